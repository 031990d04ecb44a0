"""Importing activity data: read a CSV or XLSX export as Norwegian offices write them, check
every row, and store the file as one batch of compact facts — all of it, or nothing.

The rows themselves are not kept: they are summarised per organisation, month and
combination of categories at import time, which is what every indicator needs, keeps
personal data out of the database, and lets status read thousands of rows, not millions.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maalbilde.data.facts import (
    Overlap,
    by_month,
    combine,
    overlapping,
    overlaps_of,
    replace_days,
    restore_days,
    store,
    summarise,
)
from maalbilde.data.models import (
    Batch,
    ColumnMapping,
    Dataset,
    Fact,
)
from maalbilde.data.services import figures_changed
from maalbilde.lib.norwegian import date_expr, number_expr, number_text
from maalbilde.lib.spreadsheets import csv_for_excel, rows_csv
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation

ROW = "__row"
# Closing rows of exports that carry totals, not activity.
TOTAL_ROW = r"(?i)^(sum|summer|totalt?|total sum|i alt|sum totalt)\b"
DELIMITERS = [";", ",", "\t"]
# The earliest date an activity row may carry, and how far ahead (sales for future events).
EARLIEST_YEAR = 1900
YEARS_AHEAD = 10

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)s, %(column)s “%(value)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


class ImportRejected(Exception):
    """Nothing was stored. `message` says why; `problems` lists the rows at fault."""

    def __init__(
        self,
        message: str,
        problems: list[RowProblem] | None = None,
        headers: list[str] | None = None,
        found: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.headers = headers or []  # the file's headers, when columns could not be matched
        self.found = found or {}  # the columns that were matched, all the same


class Overlapping(ImportRejected):
    """The file has figures for days that active batches already count; stored nothing.
    Imported again with `replace`, the file's figures count for those days instead."""

    def __init__(self, overlaps: list[Overlap]):
        clashes = [
            ngettext("%(days)s day for %(organisation)s in batch %(batch)s (%(file)s), "
                     "%(first)s–%(last)s",
                     "%(days)s days for %(organisation)s in batch %(batch)s (%(file)s), "
                     "%(first)s–%(last)s", o.days)
            % {"days": o.days, "organisation": o.organisation, "batch": o.batch,
               "file": o.file_name, "first": formats.date_format(o.first, "SHORT_DATE_FORMAT"),
               "last": formats.date_format(o.last, "SHORT_DATE_FORMAT")}
            for o in overlaps
        ]  # fmt: skip
        super().__init__(
            _("The file has figures for days already imported, which would count twice: "
              "%(clashes)s. Let the file's figures replace those days, or leave the days out "
              "of the file.") % {"clashes": "; ".join(clashes)}
        )  # fmt: skip
        self.overlaps = overlaps


# CSV files are read in pieces of about this many bytes, so memory stays bounded (4 MB
# measured best for both time and peak memory on a million-row export; bench/RESULTS.md).
CHUNK_BYTES = 4 << 20
# Limits besides those in settings: Excel's own longest cell, and a width no export comes
# near (for CSV files and workbooks alike).
XLSX_MAX_CELL = 32_767
MAX_COLUMNS = 1_000


@dataclass
class Table:
    """A file to read as text cells: how it is written, and its rows in pieces."""

    file_kind: str
    header: list[str]
    columns: list[int] = field(default_factory=list)  # the header positions to read
    encoding: str = ""
    delimiter: str = ""
    first_row: int = 2  # the file's row number of the first data row
    raw: bytes = b""  # CSV: the file as UTF-8
    header_start: int = 0  # CSV: where the header line begins
    data_start: int = 0  # CSV: where the rows begin
    separator: str = ";"
    quote: str | None = '"'  # CSV: None when no cell is quoted (a " is then just a mark)
    rows: list[list[str]] = field(default_factory=list)  # XLSX: the rows as text

    def frames(self) -> Iterator[pl.DataFrame]:
        """The rows in pieces: one String column per declared header, plus ROW."""
        names = [self.header[i] for i in self.columns]
        row = self.first_row
        for piece in self._pieces():
            frame = piece.rename(dict(zip(piece.columns, names, strict=True)))
            yield frame.with_row_index(ROW, offset=row).with_columns(pl.col(ROW).cast(pl.Int64))
            row += frame.height

    def _pieces(self) -> Iterator[pl.DataFrame]:
        if self.file_kind == "XLSX":
            yield pl.DataFrame(
                {str(i): [r[i] if i < len(r) else "" for r in self.rows] for i in self.columns},
                schema=dict.fromkeys(map(str, self.columns), pl.String),
            )
            return
        # Each piece is read under the file's own header line, so every piece has the header's
        # width: short rows get empty cells, and a row with more cells than the header is
        # found (which polars does not check when it reads only some columns).
        header = self.raw[self.header_start : self.data_start]
        quote = self.quote.encode() if self.quote else None
        for start, end in _line_ranges(self.raw, self.data_start, CHUNK_BYTES, quote):
            try:
                piece = pl.read_csv(
                    header + self.raw[start:end],
                    separator=self.separator,
                    has_header=True,
                    infer_schema=False,
                    quote_char=self.quote,
                    empty_string_is_null=False,
                )
            except pl.exceptions.PolarsError as error:
                raise _unreadable_csv(self) from error
            yield piece.select(piece.columns[i] for i in self.columns)


def _line_ranges(
    raw: bytes, start: int, size: int, quote: bytes | None = b'"'
) -> Iterator[tuple[int, int]]:
    """Pieces of `raw` of about `size` bytes that end at a line break outside quotes. The
    quotes are counted once each as the piece grows, so that a stray quote (12" vinyl), which
    leaves every later line break inside quotes, costs one pass over the file, not one per
    line. Without a quote character every line break ends a row."""
    while start < len(raw):
        end = min(len(raw), start + size)
        quotes = raw.count(quote, start, end) if quote else 0
        while end < len(raw):
            newline = raw.find(b"\n", end)
            grown = len(raw) if newline == -1 else newline + 1
            quotes += raw.count(quote, end, grown) if quote else 0
            end = grown
            if quotes % 2 == 0:
                break
        yield start, end
        start = end


def _quotes_cells(raw: bytes, start: int, delimiter: str) -> bool:
    """Whether any cell from `start` on begins with a quote, the only place where a quote
    opens a quoted cell. Exports that quote nothing can still hold a mark such as 12" vinyl,
    which then is read as it stands, as Excel reads it."""
    if raw.find(b'"', start) == -1:
        return False  # most exports: no quote at all
    # A quote right after a delimiter or a line break: searched for as text, which is fast.
    if (raw.startswith(b'"', start) or raw.find(b'\n"', start) != -1
            or raw.find(f'{delimiter}"'.encode(), start) != -1):  # fmt: skip
        return True
    if raw.find(b' "', start) == -1 and raw.find(b'\t"', start) == -1:
        return False
    opening = re.compile(rb"(?:^|[\n" + re.escape(delimiter.encode()) + rb'])[ \t]+"')
    return opening.search(raw, start) is not None


@dataclass
class ImportResult:
    batch: Batch | None
    rows_read: int
    rows_stored: int
    skipped: list[tuple[int, str]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rejected: pl.DataFrame | None = None  # the rejected rows as read, with a reason column


# --- reading ------------------------------------------------------------------------------


def read_table(
    raw: bytes,
    declared: list[dict[str, Any]],
    columns: dict[str, str] | None = None,
    first_rows: int | None = None,
) -> tuple[Table, dict[str, str]]:
    """How the file is written, and which of its headers holds each of the `declared`
    columns (a dataset's, or any reader's: `name`, `label`, `aliases`, `role`, and
    `optional` for one a file may leave out). The
    rows themselves come from `table.frames()`, in pieces: only the declared columns, as
    text. XLSX, or CSV in UTF-8 (with or without BOM) or Windows-1252, delimited by
    semicolon, comma or tab."""
    if raw.startswith(b"PK\x03\x04"):
        table = _read_xlsx(raw, first_rows)
        mapping = map_columns(declared, table.header, columns)
        table.columns = _columns_to_read(table.header, mapping)
        return table, mapping
    return _read_csv(raw, declared, columns)


def _columns_to_read(header: list[str], mapping: dict[str, str]) -> list[int]:
    """The positions of the declared columns, and the first column: exports put the label
    of a closing total row there ("Sum", "Totalt") even when nothing else is read from it."""
    return sorted({0, *(header.index(h) for h in mapping.values())})


def _is_utf8(raw: bytes) -> bool:
    """Whether the whole file is UTF-8, checked piece by piece without a decoded copy."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_csv(
    raw: bytes, declared: list[dict[str, Any]], columns: dict[str, str] | None
) -> tuple[Table, dict[str, str]]:
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        try:
            raw, encoding = raw.decode("utf-16").encode("utf-8"), "UTF-16"
        except UnicodeDecodeError as error:
            raise ImportRejected(
                _("The file says it is UTF-16 but is not: save it again as CSV UTF-8.")
            ) from error
    elif _is_utf8(raw):
        # UTF-8 goes to polars as it is: no copy of a large file is made.
        encoding = "UTF-8 (BOM)" if raw.startswith(codecs.BOM_UTF8) else "UTF-8"
    else:
        # What Excel in Norway writes when it saves "CSV" without BOM.
        raw, encoding = raw.decode("cp1252", errors="replace").encode("utf-8"), "Windows-1252"
    offset = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    head = raw[offset : offset + 65536].decode("utf-8", errors="ignore")
    if not head.strip():
        raise ImportRejected(_("The file is empty."))
    lines = head.splitlines()
    # Excel's "sep=;" hint line names the delimiter and is not a header.
    hint = re.fullmatch(r"\s*sep=(.)\s*", lines[0])
    delimiter = hint.group(1) if hint else _sniff_delimiter(lines)
    header_start = offset
    for line in range(2 if hint else 1):
        end = raw.find(b"\n", offset)
        offset = len(raw) if end == -1 else end + 1
        if line == 0 and hint:
            header_start = offset
    header = next(csv.reader([lines[1 if hint else 0] if len(lines) > 1 or not hint else ""],
                             delimiter=delimiter), [])  # fmt: skip
    header = [h.strip() for h in header]
    if len(header) > MAX_COLUMNS:
        limit = {"row": 2 if hint else 1, "limit": MAX_COLUMNS}
        raise ImportRejected(_("Row %(row)s has more than %(limit)s columns.") % limit)
    mapping = map_columns(declared, header, columns)
    table = Table(
        file_kind="CSV",
        encoding=encoding,
        delimiter={"\t": "tab"}.get(delimiter, delimiter),
        header=header,
        columns=_columns_to_read(header, mapping),
        first_row=3 if hint else 2,
        raw=raw,
        header_start=header_start,
        data_start=offset,
        separator=delimiter,
        quote='"' if _quotes_cells(raw, header_start, delimiter) else None,
    )
    return table, mapping


def _sniff_delimiter(lines: list[str]) -> str:
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return max(DELIMITERS, key=lines[0].count)


def _unreadable_csv(table: Table) -> ImportRejected:
    """What is wrong with a CSV file polars could not read: a quote never closed, or a row
    wider than the header."""
    unclosed = None
    if table.quote:  # in a file that quotes no cell, a quote opens nothing
        unclosed = _unclosed_quote_row(table.raw, table.data_start, table.first_row)
    if unclosed is not None:
        return ImportRejected(
            _('Row %(row)s has a quotation mark (") that opens a cell but never closes it, so '
              "the rest of the file would be one cell. Close it, or write it twice (\"\").")
            % {"row": unclosed}
        )  # fmt: skip
    text = table.raw[table.header_start :].decode("utf-8", errors="replace")
    rows = csv.reader(io.StringIO(text), delimiter=table.separator,
                      quoting=csv.QUOTE_MINIMAL if table.quote else csv.QUOTE_NONE)  # fmt: skip
    try:
        header = next(rows, [])
        for number, row in enumerate(rows, start=table.first_row):
            if len(row) > len(header):
                return ImportRejected(
                    _("Row %(row)s has %(found)s cells, but the header has %(expected)s.")
                    % {"row": number, "found": len(row), "expected": len(header)}
                )
    except csv.Error:  # a cell past the csv module's own limit of 128 kB
        pass
    return ImportRejected(_("The file cannot be read as a table."))


def _unclosed_quote_row(raw: bytes, start: int, first_row: int) -> int | None:
    """The row (line) where a quote opens that no later quote closes, or None."""
    opened = None
    for row, line in enumerate(raw[start:].split(b"\n"), start=first_row):
        if line.count(b'"') % 2:
            opened = row if opened is None else None
    return opened


def _xlsx_cell(cell: Any) -> str:
    """A spreadsheet cell as the text a Norwegian export would hold: 23.11.2026, 80,5. A cell
    shown as a percentage holds a fraction (0.8 for 80 %): it reads as the 80 people see."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            value = value * 100
        return number_text(value)
    return str(value)


def _read_xlsx(raw: bytes, first_rows: int | None = None) -> Table:
    """The first sheet's rows as text (or only its first rows, for a preview), read as a
    stream, within limits checked before and while reading: the unpacked size of the
    workbook (a small file can unpack to gigabytes), the number of rows and columns, and the
    length of a cell (Excel's own most)."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked <= settings.XLSX_MAX_UNPACKED_BYTES:
            strings = _shared_strings(archive)
    except (
        zipfile.BadZipFile,
        ValueError,
        OSError,
        EOFError,
        zlib.error,
        RuntimeError,
        NotImplementedError,
    ) as error:  # also encrypted parts, unknown compression
        raise ImportRejected(_("The file looks like XLSX but cannot be opened.")) from error
    if unpacked > settings.XLSX_MAX_UNPACKED_BYTES:
        raise ImportRejected(
            _("The workbook unpacks to %(size)s bytes, more than %(limit)s; save the sheet as "
              "CSV UTF-8, or split it.")
            % {"size": unpacked, "limit": settings.XLSX_MAX_UNPACKED_BYTES}
        )  # fmt: skip
    if strings > settings.XLSX_MAX_SHARED_STRINGS:
        raise ImportRejected(
            _("The workbook holds %(count)s different texts, more than %(limit)s; save the "
              "sheet as CSV UTF-8, or split it.")
            % {"count": strings, "limit": settings.XLSX_MAX_SHARED_STRINGS}
        )  # fmt: skip
    try:
        _rows_as_they_come()
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        header, header_row, body = _xlsx_rows(workbook.worksheets[0].iter_rows(), first_rows)
        workbook.close()
    except ImportRejected:
        raise
    except Exception as error:  # a damaged workbook fails in openpyxl's XML, zip or values
        raise ImportRejected(_("The file looks like XLSX but cannot be read.")) from error
    names = [
        name or _("column %(number)s") % {"number": index + 1} for index, name in enumerate(header)
    ]
    return Table(file_kind="XLSX", header=names, first_row=header_row + 1, rows=body)


def _rows_as_they_come() -> None:
    """openpyxl opens a read-only sheet by looking for the size it states, and parses the
    whole sheet when it states none before its rows (54 s for a 300 kB workbook of empty
    cells, all before the first row of a preview). Rows here are read as they come and the
    size is never used, so the sheets openpyxl opens skip that look: without a size, a
    read-only sheet reads its rows to the end."""
    from openpyxl.reader import excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class SheetOfUnknownSize(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            pass

    if excel.ReadOnlyWorksheet is ReadOnlyWorksheet:
        excel.ReadOnlyWorksheet = SheetOfUnknownSize


def _shared_strings(archive: zipfile.ZipFile) -> int:
    """How many shared texts the workbook holds, counted in the unpacked stream of every part
    (the texts' part may be named and placed anything), without parsing: openpyxl reads them
    all before the first row, about a hundred thousand a second."""
    opening = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
    count = 0
    for item in archive.infolist():
        with archive.open(item) as part:
            text = b""
            while True:
                piece = part.read(1 << 20)
                text += piece
                # The last bytes of a piece are looked at again with the next, so that a tag
                # cut in two is counted; what starts in them is counted then, not now.
                cut = max(0, len(text) - 32) if piece else len(text)
                count += sum(1 for found in opening.finditer(text) if found.start() < cut)
                if not piece:
                    break
                text = text[cut:]
    return count


def _xlsx_rows(
    rows: Iterator[tuple], first_rows: int | None = None
) -> tuple[list[str], int, list[list[str]]]:
    """The header (the first row with any text), its row number, and the rows below it (or
    the first of them)."""
    header: list[str] = []
    header_row = 0
    body: list[list[str]] = []
    for number, cells in enumerate(rows, start=1):
        if len(cells) > MAX_COLUMNS:
            limit = {"row": number, "limit": MAX_COLUMNS}
            raise ImportRejected(_("Row %(row)s has more than %(limit)s columns.") % limit)
        if number > settings.XLSX_MAX_ROWS:
            limit = {"limit": settings.XLSX_MAX_ROWS}
            raise ImportRejected(
                _("The sheet has more than %(limit)s rows; save it as CSV UTF-8, or split it.")
                % limit
            )
        texts = [_xlsx_cell(c) for c in cells]
        if any(len(t) > XLSX_MAX_CELL for t in texts):
            limit = {"row": number, "limit": XLSX_MAX_CELL}
            raise ImportRejected(
                _("Row %(row)s has a cell longer than %(limit)s characters.") % limit
            )
        if header_row:
            body.append(texts[: len(header)])
            if first_rows is not None and len(body) >= first_rows:
                break
        elif any(t.strip() for t in texts):
            header, header_row = [t.strip() for t in texts], number
    if not header_row:
        raise ImportRejected(_("The file is empty."))
    return header, header_row, body


# --- from headers to columns --------------------------------------------------------------


def _header_key(text: str) -> str:
    """A name as written, compared without regard to case and spacing."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


# What Norwegian exports add to a column's name: a unit or note in brackets ("Beløp (kr)",
# "Antall [stk]"), whether VAT is included ("Sum inkl. mva"), punctuation.
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_VAT = re.compile(r"\b(inkl|ink|inkludert|eks|ekskl|eksl|ekskludert|u|m|med|uten)\.?\s*mva\b\.?")
_PUNCTUATION = re.compile(r"[^\w\s]")
_UNIT = re.compile(r"[,\s]+(i\s+)?(kr|nok|kroner|stk|prosent|pst)\.?$")


def header_name(text: str) -> str:
    """A header as matched against a dataset's columns: its name with the unit, note or VAT
    mark and the punctuation left out ("Beløp (kr)" and "beløp" are the same)."""
    key = _UNIT.sub("", _VAT.sub(" ", _NOTE.sub(" ", _header_key(text))).strip())
    return re.sub(r"\s+", " ", _PUNCTUATION.sub(" ", key)).strip()


def map_columns(
    declared: list[dict[str, Any]], headers: list[str], chosen: dict[str, str] | None = None
) -> dict[str, str]:
    """Which header of the file holds each declared column: as `chosen` (by a person, in the
    import preview) says, or else by the column's name, label or aliases."""
    read = [h for h in headers if h != ROW]
    exact = {_header_key(h): h for h in reversed(read)}  # the first of equal names wins
    loose = {header_name(h): h for h in reversed(read)}
    mapping, missing = {}, []
    for column in declared:
        # A header chosen for it (now, or for the organisation's last file) if the file has
        # it; else the column's name, label or aliases.
        header = exact.get(_header_key((chosen or {}).get(column["name"]) or "\0"))
        if header is None:
            names = [n for n in (column["name"], column.get("label", ""),
                                 *column.get("aliases", [])) if n]  # fmt: skip
            header = next((exact[_header_key(n)] for n in names if _header_key(n) in exact),
                          None) or next((loose[header_name(n)] for n in names
                                         if header_name(n) in loose), None)  # fmt: skip
        if header is not None:
            mapping[column["name"]] = header
        elif column["role"] != "organisation" and not column.get("optional"):
            # A file without the organisation column is one organisation's: the one chosen.
            missing.append(column.get("label") or column["name"])
    if missing:
        raise ImportRejected(
            _("The file has no column for %(missing)s. Its columns are: %(found)s.")
            % {
                "missing": ", ".join(f"“{m}”" for m in missing),
                "found": ", ".join(f"“{h[:100]}”" for h in headers if h != ROW),
            },
            headers=[h for h in headers if h != ROW],
            found=mapping,
        )
    return mapping


def columns_saved(dataset: Dataset, organisation: Organisation) -> dict[str, str]:
    """The headers the organisation chose for the dataset's columns last time, if any."""
    saved = ColumnMapping.objects.filter(dataset=dataset, organisation=organisation).first()
    return saved.columns if saved else {}


def _refuse_unplaced(
    dataset: Dataset, mapping: dict[str, str], organisation: Organisation, headers: list[str]
) -> None:
    """A file without the organisation column is the export of the one organisation chosen
    for it; chosen above others, its rows could be anyone's."""
    column = dataset.organisation_column
    if not column or column in mapping or not organisation.children.exists():
        return
    label = next(c.get("label") or c["name"] for c in dataset.columns if c["name"] == column)
    raise ImportRejected(
        _("The file has no column for “%(column)s”, so it must be one organisation's: choose "
          "that one rather than “%(organisation)s”, which has organisations below it. Or say "
          "which of the file's columns names the organisation. Its columns are: %(found)s.")
        % {"column": label, "organisation": organisation.name,
           "found": ", ".join(f"“{h}”" for h in headers if h != ROW)},
        headers=[h for h in headers if h != ROW], found=mapping,
    )  # fmt: skip


# --- checking rows ------------------------------------------------------------------------


def _organisation_lookup(dataset: Dataset, organisation: Organisation) -> dict[str, int]:
    """Names and slugs, as written in a file, of the organisations rows may belong to."""
    lookup: dict[str, int] = {}
    for pk, slug, name in Organisation.objects.subtree(organisation).values_list(
        "pk", "slug", "name"
    ):
        lookup[_header_key(slug)] = pk
        lookup[_header_key(name)] = pk
    return lookup


def _without_tail(
    frames: Iterator[pl.DataFrame],
    skipped: list[tuple[int, str]],
    date_header: str,
    total_rows: list[pl.DataFrame] | None = None,
) -> Iterator[pl.DataFrame]:
    """The pieces of a file less its trailing blank and total rows (listed in `skipped`;
    the total rows themselves kept in `total_rows`). The last two pieces are held back and
    looked at together, so a tail split across a piece boundary is still found."""
    held: list[pl.DataFrame] = []
    for frame in frames:
        held.append(frame)
        if len(held) > 2:
            yield held.pop(0)
    if held:
        whole = pl.concat(held)
        rest, tail = _skippable_tail(whole, date_header)
        skipped.extend(tail)
        if total_rows is not None:
            totals = [row for row, reason in tail if reason == _("total row")]
            total_rows.append(whole.filter(pl.col(ROW).is_in(totals)))
        if rest.height:
            yield rest


def skipped_ranges(skipped: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Skipped rows as runs: (first row, last row, reason) — a sheet formatted far below its
    data has thousands of blank rows, which are one line to a person."""
    runs: list[tuple[int, int, str]] = []
    for row, reason in skipped:
        if runs and runs[-1][2] == reason and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row, reason)
        else:
            runs.append((row, row, reason))
    return runs


def _rejected_rows(rows: pl.DataFrame, problems: pl.DataFrame) -> pl.DataFrame:
    """Rejected rows as read, with their problems in words, for a person to fix."""
    reasons = problems.group_by("row").agg(
        pl.concat_str([pl.col("column"), pl.lit(": "), pl.col("reason")])
        .str.join("; ")
        .alias(_("problem"))
    )
    return rows.join(reasons, left_on=ROW, right_on="row").sort(ROW).rename({ROW: _("row")})


def _skippable_tail(
    frame: pl.DataFrame, date_header: str
) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    """Trailing blank rows and a closing total row are not activity; drop them, and say so.
    A total row is labelled so ("Sum", "Totalt") and has no date: a last row of activity
    whose category happens to read "Total" is kept. Only the end of the file is looked at,
    widening while all of it is skippable."""
    cells = [c for c in frame.columns if c != ROW]
    blank = pl.all_horizontal(pl.col(c).str.strip_chars().fill_null("") == "" for c in cells)
    labelled = pl.any_horizontal(
        pl.col(c).str.strip_chars().fill_null("").str.contains(TOTAL_ROW) for c in cells
    )
    total = labelled & date_expr(date_header).is_null()
    window = 64
    while True:
        tail = frame.tail(window).select(ROW, blank.alias("blank"), total.alias("total"))
        data = tail.with_row_index("index").filter(~pl.col("blank") & ~pl.col("total"))
        if data.height or window >= frame.height:
            break
        window *= 4
    last = int(data["index"][-1]) if data.height else -1
    skippable = tail.slice(last + 1)
    skipped = [
        (row, _("blank row") if is_blank else _("total row"))
        for row, is_blank in skippable.select(ROW, "blank").iter_rows()
    ]
    return frame.head(frame.height - skippable.height), skipped


def _parse_distinct(frame: pl.DataFrame, column: str, parse: Callable[[str], pl.Expr]) -> pl.Expr:
    """`parse` applied to the distinct values of a column, mapped back onto every row."""
    values = frame.select(pl.col(column).unique())
    parsed = values.select(parse(column))
    return pl.col(column).replace_strict(
        values.to_series(), parsed.to_series(), default=None, return_dtype=parsed.dtypes[0]
    )


def _empty_as(column: dict[str, Any], parsed: pl.Expr, written: pl.Expr) -> pl.Expr:
    """A measure's parsed cells, an empty one counted as zero where the plan file says so."""
    if column.get("empty") == "zero":
        return pl.when(written == "").then(pl.lit(0.0)).otherwise(parsed)
    return parsed


def _check(
    dataset: Dataset,
    frame: pl.DataFrame,
    mapping: dict[str, str],
    organisation: Organisation,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse every cell; return the parsed columns (named by slot) and one row per problem."""
    today = timezone.localdate()
    measures = [c for c in dataset.columns_with_role("measure") if not c.get("ratio_of")]
    categories = dataset.columns_with_role("category")

    def raw(column: str) -> pl.Expr:
        return pl.col(mapping[column]).fill_null("").str.strip_chars()

    # Parse each column once, and each distinct text in it once (exports repeat the same
    # dates and amounts); the checks below read the parsed values.
    parsed = [_parse_distinct(frame, mapping[dataset.date_column], date_expr).alias("date")]
    parsed += [
        _empty_as(c, _parse_distinct(frame, mapping[c["name"]], number_expr), raw(c["name"])).alias(
            dataset.slots[c["name"]]
        )
        for c in measures
    ]
    parsed += [raw(c["name"]).alias(dataset.slots[c["name"]]) for c in categories]
    if dataset.organisation_column in mapping:
        lookup = _organisation_lookup(dataset, organisation)
        # Compared as headers are: spaces of every kind folded, case ignored.
        key = (
            raw(dataset.organisation_column)
            .str.replace_all(r"[\s\u00a0\u202f]+", " ")
            .str.to_lowercase()
        )
        parsed.append(key.replace_strict(lookup, default=None, return_dtype=pl.Int64)
                      .alias("organisation_id"))  # fmt: skip
    else:
        parsed.append(pl.lit(organisation.pk, dtype=pl.Int64).alias("organisation_id"))
    frame = frame.with_columns(parsed)

    date_column = dataset.date_column
    date = pl.col("date")
    checks: list[tuple[str, pl.Expr, str]] = [
        (date_column, raw(date_column) == "", _("the date is missing")),
        (
            date_column,
            (raw(date_column) != "") & date.is_null(),
            _("not a date (write 23.11.2026)"),
        ),
        (
            date_column,
            date.is_not_null()
            & ((date.dt.year() < EARLIEST_YEAR) | (date.dt.year() > today.year + YEARS_AHEAD)),
            _("the date is outside the years %(first)s–%(last)s")
            % {"first": EARLIEST_YEAR, "last": today.year + YEARS_AHEAD},
        ),
    ]
    if dataset.organisation_column in mapping:
        column = dataset.organisation_column
        checks += [
            (column, raw(column) == "", _("the organisation is missing")),
            (
                column,
                (raw(column) != "") & pl.col("organisation_id").is_null(),
                _("not one of the organisations in “%(name)s”") % {"name": organisation.name},
            ),
        ]
    for c in measures:
        slot = dataset.slots[c["name"]]
        checks.append(
            (c["name"], (raw(c["name"]) != "") & pl.col(slot).is_null(), _("not a number"))
        )
        # An empty cell is a missing figure, unless the plan file says it counts as zero or
        # that the row simply has no figure for this measure.
        if c.get("empty", "refuse") == "refuse":
            checks.append((c["name"], raw(c["name"]) == "", _("the figure is missing")))
    for c in categories:
        slot = dataset.slots[c["name"]]
        checks.append(
            (c["name"], pl.col(slot).str.len_chars() > 200, _("longer than 200 characters"))
        )
        if c.get("choices"):
            checks.append((
                c["name"],
                (pl.col(slot) != "") & ~pl.col(slot).is_in(c["choices"]),
                _("not one of %(choices)s")
                % {"choices": ", ".join(f"“{choice}”" for choice in c["choices"])},
            ))  # fmt: skip

    problems = pl.concat(
        [
            frame.filter(bad).select(
                pl.col(ROW).alias("row"),
                pl.lit(mapping[column]).alias("column"),  # as the file names it
                pl.col(mapping[column]).fill_null("").alias("value"),
                pl.lit(reason).alias("reason"),
            )
            for column, bad, reason in checks
        ]
    ).sort("row", maintain_order=True)

    slots = [dataset.slots[c["name"]] for c in [*measures, *categories]]
    checked = frame.select(
        ROW,
        pl.col("date").alias("day"),
        "organisation_id",
        *slots,
    )
    for measure in dataset.columns_with_role("measure"):
        if measure.get("ratio_of"):
            numerator, denominator = (dataset.slots[n] for n in measure["ratio_of"])
            checked = checked.with_columns(
                pl.when(pl.col(denominator) != 0)
                .then(pl.col(numerator) / pl.col(denominator))
                .otherwise(None)
                .alias(dataset.slots[measure["name"]])
            )
    return checked, problems


# --- summarising and storing --------------------------------------------------------------


def _totals(
    dataset: Dataset, facts: pl.DataFrame, mapping: dict[str, str], total_rows: list[pl.DataFrame]
) -> list[list[Any]]:
    """Each measure's total as stored, beside the file's own total row where it has one:
    [header, stored, the file's total or None], for a person to check one against the
    other."""
    closing = pl.concat(total_rows) if total_rows else pl.DataFrame()
    result = []
    for column in columns_read(dataset):
        if column["role"] != "measure":
            continue
        header = mapping[column["name"]]
        stored = facts[dataset.slots[column["name"]]].sum()
        said = None
        if closing.height and header in closing.columns:
            written = closing.select(number_expr(header).alias("n"))["n"].drop_nulls()
            said = round(float(written[-1]), 2) if written.len() else None
        result.append([header, round(float(stored or 0), 2), said])
    return result


def _months_covered(facts: pl.DataFrame) -> list[str]:
    """The first and the last month a file has figures for ("2025-01", "2025-12"): what a
    withdrawal changes, once the facts are gone."""
    months = facts.select(pl.col("year") * 100 + pl.col("month")).to_series().to_list()
    return [f"{value // 100}-{value % 100:02d}" for value in (min(months), max(months))]


def checksum_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def batch_import(
    *,
    dataset: Dataset,
    raw: bytes,
    file_name: str,
    organisation: Organisation | None = None,
    user: User | None = None,
    skip_bad: bool = False,
    progress: Progress | None = None,
    label: dict[str, Any] | None = None,
    columns: dict[str, str] | None = None,
    replace: bool = False,
) -> ImportResult:
    """Import one file into a dataset as one batch.

    A file with bad rows stores nothing unless `skip_bad`, which stores the good rows and
    returns the rejected ones. The same content twice is refused. `label` is kept in the
    batch's report (the demo marks its files so). `columns` says which header holds which
    declared column where a person chose it. Days that active batches already count for
    the same organisation are refused (Overlapping), or with `replace` taken over by the new
    batch. Raises ImportRejected.
    """
    say = progress or (lambda _stage: None)
    if dataset.register:
        raise ImportRejected(
            _("“%(dataset)s” is a register kept in Målbilde: add its rows in the register.")
            % {"dataset": dataset.name}
        )
    organisation = dataset.organisation or organisation
    if organisation is None:
        raise ImportRejected(
            _("Say which organisation the file belongs to: its rows name organisations below it.")
        )
    if len(raw) > settings.DATA_FILE_MAX_BYTES:
        raise ImportRejected(
            _("The file is %(size)s bytes; an import may be at most %(limit)s bytes.")
            % {"size": len(raw), "limit": settings.DATA_FILE_MAX_BYTES}
        )
    checksum = checksum_of(raw)
    _refuse_duplicate(dataset, checksum)

    say(_("Reading"))
    chosen = {name: header for name, header in (columns or {}).items() if header}
    table, mapping = read_table(
        raw, columns_read(dataset), chosen or columns_saved(dataset, organisation))  # fmt: skip
    _refuse_unplaced(dataset, mapping, organisation, table.header)
    rows_read = 0
    skipped: list[tuple[int, str]] = []
    problem_parts: list[pl.DataFrame] = []
    rejected_parts: list[pl.DataFrame] = []
    day_parts: list[pl.DataFrame] = []
    total_rows: list[pl.DataFrame] = []
    for frame in _without_tail(table.frames(), skipped, mapping[dataset.date_column],
                               total_rows):  # fmt: skip
        rows_read += frame.height
        say(
            _("Checking rows %(first)s–%(last)s")
            % {"first": frame[ROW].min(), "last": frame[ROW].max()}
        )
        checked, problems = _check(dataset, frame, mapping, organisation)
        if problems.height:
            problem_parts.append(problems)
            bad_rows = problems["row"].unique().implode()
            if skip_bad:
                rejected_parts.append(
                    _rejected_rows(frame.filter(pl.col(ROW).is_in(bad_rows)), problems)
                )
            checked = checked.filter(~pl.col(ROW).is_in(bad_rows))
        if skip_bad or not problem_parts:
            day_parts.append(summarise(checked.drop(ROW)))
    if not rows_read:
        raise ImportRejected(_("The file has a header but no rows."))
    every_problem = pl.concat(problem_parts) if problem_parts else pl.DataFrame()
    problem_list = [RowProblem(*row) for row in every_problem.iter_rows()]
    if problem_list and not skip_bad:
        count = every_problem["row"].n_unique()
        raise ImportRejected(
            ngettext("%(count)s row has problems; nothing was stored.",
                     "%(count)s rows have problems; nothing was stored.", count)
            % {"count": count},
            problem_list,
        )  # fmt: skip
    rejected = pl.concat(rejected_parts) if rejected_parts else None
    rows_rejected = 0 if rejected is None else rejected.height
    say(_("Summarising"))
    days = combine(day_parts) if day_parts else pl.DataFrame()
    if not days.height:
        raise ImportRejected(_("No row of the file could be stored; nothing was stored."))
    facts = by_month(days)
    # The same figures written differently (line endings, a re-saved workbook) are the same;
    # day by day, so that two days of a month with the same totals (a daily push) are not.
    content = hashlib.sha256(days.sort(days.columns).write_csv().encode("utf-8")).hexdigest()
    _refuse_same_figures(dataset, content)
    with transaction.atomic():
        # One import of a dataset at a time past this point: two files that overlap each
        # other cannot both pass the check.
        Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
        _refuse_duplicate(dataset, checksum)
        _refuse_same_figures(dataset, content)
        batch = Batch.objects.create(
            dataset=dataset,
            organisation=organisation,
            file_name=file_name[:300],
            checksum=checksum,
            rows_read=rows_read + len(skipped),
            rows_stored=rows_read - rows_rejected,
            rows_rejected=rows_rejected,
            rows_skipped=len(skipped),
            facts=facts.height,
            report={
                "file_kind": table.file_kind,
                "encoding": table.encoding,
                "delimiter": table.delimiter,
                "columns": mapping,
                "skipped": skipped_ranges(skipped),
                "content": content,
                "months": _months_covered(facts),
                "totals": _totals(dataset, facts, mapping, total_rows),
                **(label or {}),
            },
            created_by=user,
        )
        if rejected is not None:
            batch.rejects = rejects_csv(rejected)
            batch.save(update_fields=["rejects"])
        store(batch, days, facts)
        clashes = overlapping(batch)
        replaced = overlaps_of(clashes)
        if replaced and not replace:
            raise Overlapping(replaced)
        if replaced:
            replace_days(batch, clashes)
            batch.report["replaced"] = [_overlap_json(o) for o in replaced]
            batch.save(update_fields=["report"])
        if chosen:  # next month's file from the same system reads the same way
            ColumnMapping.objects.update_or_create(
                dataset=dataset, organisation=organisation, defaults={"columns": chosen}
            )
        figures_changed()
        audit_record(
            user=user,
            action="import",
            subject=f"{dataset.slug} #{batch.pk} {batch.file_name}",
            about=batch,
            organisation=organisation,
            after={
                "rows": batch.rows_stored,
                "facts": batch.facts,
                "checksum": checksum,
                **({"replaced": batch.report["replaced"]} if replaced else {}),
            },
        )
    return ImportResult(batch, batch.rows_read, batch.rows_stored, skipped, problem_list, rejected)


def _overlap_json(overlap: Overlap) -> list[Any]:
    return [overlap.batch, overlap.file_name, overlap.organisation, overlap.days,
            overlap.first.isoformat(), overlap.last.isoformat()]  # fmt: skip


def _refuse_duplicate(dataset: Dataset, checksum: str) -> None:
    earlier = Batch.objects.active().filter(dataset=dataset, checksum=checksum).first()
    if earlier:
        raise ImportRejected(
            _(
                "This file was already imported as batch %(batch)s on %(date)s; the same "
                "figures are not counted twice. Withdraw that batch first to import it again."
            )
            % {
                "batch": earlier.pk,
                "date": timezone.localtime(earlier.created_at).strftime("%d.%m.%Y %H:%M"),
            }
        )


def _refuse_same_figures(dataset: Dataset, content: str) -> None:
    earlier = Batch.objects.active().filter(dataset=dataset, report__content=content).first()
    if earlier:
        raise ImportRejected(
            _(
                "This file holds exactly the figures of batch %(batch)s (%(file)s), only written "
                "differently; the same figures are not counted twice."
            )
            % {"batch": earlier.pk, "file": earlier.file_name}
        )


@transaction.atomic
def batch_withdraw(*, batch: Batch, user: User | None = None) -> list[int]:
    """Take a batch back: its facts go, the record of it stays, and the days it had taken
    over from earlier batches count there again. Returns those earlier batches."""
    # The dataset first, as an import does: a withdrawal and an import that replaces days
    # of the same batches take turns.
    Dataset.objects.select_for_update().filter(pk=batch.dataset_id).first()
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.withdrawn_at:
        raise ImportRejected(_("Batch %(batch)s is already withdrawn.") % {"batch": batch.pk})
    if batch.dataset.register:
        raise ImportRejected(
            _("Batch %(batch)s holds a register's rows: remove rows in the register instead.")
            % {"batch": batch.pk}
        )
    deleted, _by_model = Fact.objects.filter(batch=batch).delete()
    figures_changed()
    batch.withdrawn_at = timezone.now()
    batch.withdrawn_by = user
    batch.save(update_fields=["withdrawn_at", "withdrawn_by"])
    restored = restore_days(batch)
    audit_record(
        user=user,
        action="withdraw",
        subject=f"{batch.dataset.slug} #{batch.pk} {batch.file_name}",
        about=batch,
        organisation=batch.organisation,
        before={"rows": batch.rows_stored, "facts": deleted},
        after={"counted_again": restored} if restored else None,
    )
    return restored


@dataclass
class Preview:
    """What an import would read, for a person to check before anything is stored."""

    file_kind: str = ""
    encoding: str = ""
    delimiter: str = ""
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    problem: str = ""


def preview(
    raw: bytes,
    dataset: Dataset,
    organisation: Organisation,
    columns: dict[str, str] | None = None,
    rows: int = 10,
) -> Preview:
    """How the file reads: its kind, encoding, delimiter, which header holds each declared
    column, and its first rows as read. Nothing is stored."""
    try:
        table, mapping = read_table(raw, columns_read(dataset), columns, first_rows=rows)
        _refuse_unplaced(dataset, mapping, organisation, table.header)
        first = next(table.frames(), None)
    except ImportRejected as rejected:
        return Preview(headers=rejected.headers, mapping=rejected.found, problem=rejected.message)
    shown = pl.DataFrame() if first is None else first.head(rows).drop(ROW)
    return Preview(
        file_kind=table.file_kind,
        encoding=table.encoding,
        delimiter=table.delimiter,
        headers=table.header,
        mapping=mapping,
        columns=shown.columns,
        rows=shown.rows(),
    )


def columns_read(dataset: Dataset) -> list[dict[str, Any]]:
    """The columns an import reads from a file (not those computed or kept in registers)."""
    return [c for c in dataset.columns if not c.get("ratio_of") and c["role"] != "text"]


def sample_csv(dataset: Dataset, organisation: Organisation) -> bytes:
    """A file to fill in: the dataset's columns as headers and two rows written the way
    Norwegian Excel writes them."""
    below = Organisation.objects.subtree(organisation).filter(children__isnull=True)
    leaves = list(below.order_by("path").values_list("name", flat=True)[:2]) or [organisation.name]
    examples = {"date": ["15.01.2026", "16.01.2026"], "measure": ["10", "12,5"]}
    rows: list[list[Any]] = [[], []]
    for column in columns_read(dataset):
        role = column["role"]
        for index, row in enumerate(rows):
            if role == "organisation":
                row.append(leaves[index % len(leaves)])
            elif role == "category":
                choices = column.get("choices") or [_("Example")]
                row.append(choices[index % len(choices)])
            else:
                row.append(examples[role][index])
    header = [c.get("label") or c["name"] for c in columns_read(dataset)]
    return rows_csv(header, rows)


def rejects_csv(rejected: pl.DataFrame) -> bytes:
    """The rejected rows for a person to fix in Excel."""
    return csv_for_excel(rejected)
