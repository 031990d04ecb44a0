"""Tables out, for people who open them in Excel: CSV as Norwegian Excel reads it (UTF-8 with
BOM, semicolons), with no cell a spreadsheet would run as a formula, and XLSX."""

import io
import re
from decimal import Decimal
from typing import Any

import polars as pl
from openpyxl import Workbook

from maalbilde.lib.norwegian import number_text

# A cell a spreadsheet would run: starting with = + - @ (or a tab or carriage return before
# them), unless it is plainly a number such as -1 200,50. (Both polars and Python read these.)
FORMULA = r"^[\t\r]|^[=+\-@]"
NUMBER = r"^[+\-\u2212]?[0-9][0-9 \u00a0.,]*$"


def formula_safe(text: str) -> str:
    """A text as a spreadsheet shows it rather than runs it: an apostrophe before a formula."""
    return f"'{text}" if re.search(FORMULA, text) and not re.search(NUMBER, text) else text


def formula_safe_table(table: pl.DataFrame) -> pl.DataFrame:
    """The table with no text cell or column name that a spreadsheet would run."""
    safe = table.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA) & ~pl.col(c).str.contains(NUMBER))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in table.columns
        if table.schema[c] == pl.String
    )
    return safe.rename({c: formula_safe(c) for c in safe.columns})


def csv_for_excel(table: pl.DataFrame) -> bytes:
    """The table as CSV for Excel: UTF-8 with BOM, semicolons, and no cell or column name
    that a spreadsheet would run as a formula."""
    return b"\xef\xbb\xbf" + formula_safe_table(table).write_csv(separator=";").encode("utf-8")


def rows_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """Rows as CSV for Excel, numbers written the Norwegian way (1 200,5), empty cells
    empty."""
    cells = [[_csv_cell(value) for value in row] for row in rows]
    # Every cell is text or empty: a column empty in its first rows is still text.
    schema = {name: pl.String for name in header}
    return csv_for_excel(pl.DataFrame(cells, schema=schema, orient="row"))


def _csv_cell(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, Decimal):  # money: exact, with a decimal comma
        return str(value).replace(".", ",")
    return str(value)


def xlsx_bytes(header: list[str], rows: list[list], sheet: str = "Svar") -> bytes:
    """One sheet with a header row; texts that look like formulas are written as texts."""
    book = Workbook()
    page = book.active
    # A sheet's name has at most 31 characters and none of : \ / ? * [ ].
    page.title = re.sub(r"[:\\/?*\[\]]", "-", sheet)[:31] or "Ark"
    page.append(header)
    for row in rows:
        page.append(row)
    for line in page.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
