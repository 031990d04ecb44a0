"""The demo's files as the real systems write them: Norwegian CSV in Windows-1252 or UTF-8
with a closing total row, or XLSX."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook

Row = list[object]


@dataclass(frozen=True)
class DemoFile:
    dataset: str
    organisation: str
    year: int
    header: list[str]
    rows: list[Row]
    kind: str  # "csv-1252", "csv-utf8" or "xlsx"

    @property
    def name(self) -> str:
        extension = "xlsx" if self.kind == "xlsx" else "csv"
        return f"demo-{self.dataset}-{self.year}.{extension}"


# --- how the exports look ----------------------------------------------------------------


def _norwegian(value: object) -> str:
    """A cell as Norwegian Excel writes it: 23.11.2026, 1 200 (no-break space), 80,5."""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float | Decimal):
        whole, _dot, decimals = f"{value:,.2f}".partition(".")
        return whole.replace(",", "\u00a0") + "," + decimals
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


def render(demo: DemoFile) -> bytes:
    if demo.kind == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(demo.header)
        for row in demo.rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    lines = [";".join(demo.header)]
    lines += [";".join(_norwegian(cell) for cell in row) for row in demo.rows]
    # Exports people receive end with a blank row and a total.
    measures = [i for i, cell in enumerate(demo.rows[0])
                if isinstance(cell, int | float | Decimal)]  # fmt: skip
    total = ["Sum"] + [""] * (len(demo.header) - 1)
    for i in measures:
        total[i] = _norwegian(sum(row[i] for row in demo.rows))  # type: ignore[misc]
    lines += ["", ";".join(total)]
    text = "\r\n".join(lines) + "\r\n"
    if demo.kind == "csv-1252":
        return text.encode("cp1252")
    return b"\xef\xbb\xbf" + text.encode("utf-8")
