"""Reading an accounting export: the rows of a CSV or XLSX file from the accounts — invoices
sent, payments received, money paid out — read by the data importer's reader (Norwegian
number, date and file formats, the same limits), each row placed on a party of the owner's
funding (or, for spending, a recipient of its allocation), the amounts exact to the øre.
Reading never touches the database."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl
from django.utils.translation import gettext as _

from maalbilde.data.imports import ROW, TOTAL_ROW, ImportRejected, RowProblem, read_table
from maalbilde.lib.norwegian import parse_amount, parse_date

# An accounting export for one owner and year is hundreds of rows; a file of more is no
# such export.
MAX_ROWS = 20_000
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
SHOWN_CELL = 100

# The columns read, by the names Norwegian accounting systems give them.
COLUMNS = [
    {"name": "party", "label": "Part", "role": "category",
     "aliases": ["kunde", "kundenavn", "betaler", "mottaker", "leverandør", "navn",
                 "customer", "payer", "recipient", "name"]},
    {"name": "amount", "label": "Beløp", "role": "measure",
     "aliases": ["sum", "innbetalt", "fakturert", "utbetalt", "amount"]},
    {"name": "date", "label": "Dato", "role": "date",
     "aliases": ["fakturadato", "bilagsdato", "betalingsdato", "innbetalingsdato",
                 "betalt dato", "date", "invoice date", "payment date"]},
    {"name": "reference", "label": "Referanse", "role": "category", "optional": True,
     "aliases": ["bilagsnr", "bilagsnummer", "bilag", "fakturanr", "fakturanummer", "tekst",
                 "reference", "invoice number", "voucher"]},
    {"name": "year", "label": "År", "role": "category", "optional": True,
     "aliases": ["gjelder år", "tilskuddsår", "for år", "year"]},
]  # fmt: skip


def name_key(text: str) -> str:
    """A name as compared with the parties': without regard to case, spacing or accents
    written apart."""
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class LedgerRow:
    row: int
    party: str
    year: int
    amount: Decimal
    date: datetime.date
    reference: str


@dataclass
class LedgerReading:
    rows: list[LedgerRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # closing total rows and empty rows


def ledger_read(
    raw: bytes, names: dict[str, str], year: int | None = None, spending: bool = False
) -> LedgerReading:
    """The export's rows, each placed by `names` (a party's or, for `spending`, a
    recipient's names, as `name_key` writes them, to its slug); a row's year is its own
    column's, else `year`, else its date's. Every row that cannot be placed or read is a
    problem."""
    unknown = _("no recipient below the owner (central management, a region or a member) has "
                "this name or slug") if spending else _(
                "no party of the funding file has this name or slug")  # fmt: skip
    table, mapping = read_table(raw, COLUMNS)
    frames = []
    count = 0
    for frame in table.frames():
        count += frame.height
        if count > MAX_ROWS:
            raise ImportRejected(
                _(
                    "The file has more than %(limit)s rows; an accounting "
                    "export for a year has far fewer."
                )
                % {"limit": MAX_ROWS}
            )
        frames.append(frame)
    if not frames:
        raise ImportRejected(_("The file has no rows below its header."))
    rows = pl.concat(frames)
    first = table.header[table.columns[0]]
    reading = LedgerReading()
    for cells in rows.iter_rows(named=True):
        text = {name: (cells.get(header) or "").strip() for name, header in mapping.items()}
        number = cells[ROW]
        # A closing total ("Sum", "Totalt") in the first column or the party's, without a
        # date, and empty rows are no payments.
        total = any(re.match(TOTAL_ROW, cell) for cell in ((cells.get(first) or "").strip(),
                                                           text["party"]))  # fmt: skip
        if not any(text.values()) or (total and parse_date(text["date"]) is None):
            reading.skipped.append(number)
            continue
        placed = _placed(number, text, mapping, names, year, reading.problems, unknown)
        if placed is not None:
            reading.rows.append(placed)
    return reading


def _placed(
    number: int, text: dict[str, str], mapping: dict[str, str], names: dict[str, str],
    year: int | None, problems: list[RowProblem], unknown: str,
) -> LedgerRow | None:  # fmt: skip
    found = len(problems)
    # A problem shows the start of a cell: a page needs that, not a cell of megabytes.
    text = {name: value if len(value) <= SHOWN_CELL else value[:SHOWN_CELL] + "…"
            for name, value in text.items()}  # fmt: skip
    party = names.get(name_key(text["party"]))
    if party is None:
        problems.append(RowProblem(number, mapping["party"], text["party"], unknown))
    amount = parse_amount(text["amount"])
    if amount is None:
        problems.append(RowProblem(number, mapping["amount"], text["amount"], _(
            "no amount in kroner (write it as 80 000 or 1 234,50)")))  # fmt: skip
    date = parse_date(text["date"])
    if date is None:
        problems.append(RowProblem(number, mapping["date"], text["date"], _(
            "no date (write it as 15.01.2020)")))  # fmt: skip
    row_year = year if year is not None else (date.year if date else None)
    if text.get("year"):
        row_year = int(text["year"]) if text["year"].isdigit() else None
        if row_year is None or not EARLIEST_YEAR <= row_year <= LATEST_YEAR:
            problems.append(RowProblem(number, mapping["year"], text["year"], _("no year")))
    if len(problems) > found or party is None or amount is None or date is None:
        return None
    assert row_year is not None
    return LedgerRow(number, party, row_year, amount, date, text.get("reference", "")[:200])
