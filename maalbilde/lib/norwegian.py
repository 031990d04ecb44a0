"""Parse the text cells of Norwegian spreadsheet and CSV exports with polars expressions.

Everything is vectorised (regular expressions run by polars, no Python per row), so a
column of a million cells parses in a fraction of a second. A cell that is empty or not
understood becomes null; the caller decides whether that is an error.

Polars evaluates a sub-expression again each time it is used, so a result needed more
than once is kept in a struct (`with_fields`) and read back with `pl.field`. Regex capture
groups are slow next to plain matching, so numbers are checked with `contains` and
cleaned with `replace_all`, without groups.
"""

import datetime
import math
import re
from decimal import Decimal

import polars as pl
from django.utils.text import slugify

# Spreadsheets write U+00A0 (CLDR nb), U+202F or U+2009 where a space is meant; a naive
# `\s` does not match those in every engine, so they are named. [0-9] rather than \d,
# which in polars (Rust) matches every script's digits.
_SPACE = "[\\s\u00a0\u202f\u2009]"
# Thousands separators between digits: the spaces above and the (Swiss-style) apostrophe.
_THOUSANDS = "[ \u00a0\u202f\u2009'\u2019]"
# ASCII hyphen as people type it, U+2212 (CLDR nb), and the en dash Word's autocorrect makes.
_MINUS = "[-\u2212\u2013]"
# "kr 1 200", "kr. 99,50", "NOK 1200", "1 200 NOK": a currency mark before or after.
_CURRENCY = r"(?:kr\.?|nok)"
# Digits in groups joined by thousands separators (anywhere between digits) or by a dot
# or comma; which of those is the decimal mark is decided after the groups are joined.
_DIGITS = rf"[0-9]+(?:(?:{_THOUSANDS}+|[.,])[0-9]+)*"


def _number_cell(
    opening: str = "", minus: str = "", trailing_minus: str = "", closing: str = ""
) -> str:
    """A whole number cell, any case, with the given minus marks (regex) around the digits.
    "kr 1 200", "1 200 NOK", "1 200,-" (",-" means "no øre"), "80 %" ("%" is dropped, not
    divided by 100). Exponents ("1e3") are not numbers here."""
    return (
        rf"(?i)^{_SPACE}*{opening}{_SPACE}*(?:{_CURRENCY}{_SPACE}*)?{minus}{_SPACE}*{_DIGITS}"
        rf"(?:,{_MINUS})?{_SPACE}*{trailing_minus}{_SPACE}*(?:{_CURRENCY}|%)?"
        rf"{_SPACE}*{closing}{_SPACE}*$"
    )


_POSITIVE_CELL = _number_cell()
# Exactly one minus ("(-5)" or "-5-" is a typing error, not 5): the accounting parentheses
# "(1 200)", a leading minus before or after the currency ("-1 200", "kr -50", "-kr 50"),
# or the bookkeeping trailing minus "1 200-".
_NEGATIVE_CELL = "|".join(
    [
        _number_cell(opening=r"\(", closing=r"\)"),
        _number_cell(minus=rf"{_MINUS}{_SPACE}*(?:{_CURRENCY}{_SPACE}*)?"),
        _number_cell(trailing_minus=_MINUS),
    ]
)
# Everything in a valid cell that is not part of the number: once the shape is checked,
# deleting these leaves the digits with their dots and commas.
_DECORATION = rf"(?i)(?:kr\.|,{_MINUS}|[^0-9.,])+"

# How the digits read once the thousands spaces are gone. Thousands groups have three
# digits after a first group that does not start with 0 ("0.500" is a half, not 500).
# "80,5", "1234,50", "1.234,50": one comma is the Norwegian decimal comma (so "1,234" is
# 1.234), and dots before it can only be thousands separators.
_DECIMAL_COMMA = r"^(?:[0-9]+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+),[0-9]+$"
# "1.500", "12.345.678": dots between groups of three are thousands separators (the
# Norwegian print convention); checked before _DECIMAL_POINT, which also matches "1.500".
_DOT_THOUSANDS = r"^[1-9][0-9]{0,2}(?:\.[0-9]{3})+$"
# "1,234,567": several commas can only be thousands separators.
_COMMA_THOUSANDS = r"^[1-9][0-9]{0,2}(?:,[0-9]{3}){2,}$"
# "1200", "1234.5": an integer, or one dot that is not a thousands separator, so a decimal
# point as programs write it.
_DECIMAL_POINT = r"^[0-9]+(?:\.[0-9]+)?$"

# A time of day after a date ("14:30", "T14:30:00", "14.30") is allowed and ignored.
_TIME = (
    rf"(?:(?:{_SPACE}+|T)(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9](?:[:.][0-5][0-9](?:[.,][0-9]+)?)?)?"
)
# Day first as Norwegians write it ("23.11.2026", "3.1.2026", "23.11.26", "23/11/2026").
# The year is required: "22.10" is as likely a time as a date.
_DAY_MONTH_YEAR = (
    rf"^{_SPACE}*(?P<day>[0-9]{{1,2}})[./](?P<month>[0-9]{{1,2}})[./]"
    rf"(?P<year>[1-9][0-9]{{3}}|[0-9]{{2}}){_TIME}{_SPACE}*$"
)
# ISO 8601 as databases and APIs write it ("2026-11-23", "2026-11-23T14:30:00").
_YEAR_MONTH_DAY = (
    rf"^{_SPACE}*(?P<year>[1-9][0-9]{{3}})-(?P<month>[0-9]{{1,2}})-(?P<day>[0-9]{{1,2}})"
    rf"{_TIME}{_SPACE}*$"
)
# Excel's serial day number exported as text ("46349", "46349,5"; the fraction is the time
# of day). Only 20000 to 80000 (1954-10-03 to 2119-01-11): wide enough for any real date,
# narrow enough that a count or an amount is not taken for a date.
_SERIAL = rf"^{_SPACE}*([2-7][0-9]{{4}}(?:[.,][0-9]+)?|80000(?:[.,]0+)?){_SPACE}*$"
# Excel counts days from 1899-12-30 (which absorbs its 1900 leap-year bug for every serial
# above 60); a polars Date counts from 1970-01-01, which is Excel day 25569.
_EXCEL_DAY_OF_1970_01_01 = 25_569


LARGEST_NUMBER = 1e15


def number_expr(column: str) -> pl.Expr:
    """A Float64 expression parsing Norwegian number text in `column` (a Utf8 column); null
    where the text is empty or not a number."""
    text = pl.col(column)
    cell = pl.struct(
        sign=pl.when(text.str.contains(_POSITIVE_CELL))
        .then(1.0)
        .when(text.str.contains(_NEGATIVE_CELL))
        .then(-1.0),
        digits=text.str.replace_all(_DECORATION, ""),
    )
    digits = pl.field("digits")
    plain = (
        pl.when(digits.str.contains(_DECIMAL_COMMA) | digits.str.contains(_DOT_THOUSANDS))
        .then(digits.str.replace_many([".", ","], ["", "."]))
        .when(digits.str.contains(_COMMA_THOUSANDS))
        .then(digits.str.replace_all(",", "", literal=True))
        .when(digits.str.contains(_DECIMAL_POINT))
        .then(digits)
    )
    # `plain` holds only digits and at most one dot, so the cast never meets "1e3" or "nan".
    # `sign` is null where the cell does not have the shape of a number.
    value = plain.cast(pl.Float64, strict=False) * pl.field("sign")
    # A thousand trillion is more than any figure here; past it (or past what a float holds,
    # a cell of a hundred thousand 9s) the text is no figure.
    value = pl.when(value.abs() <= LARGEST_NUMBER).then(value)
    return cell.struct.with_fields(value=value).struct.field("value").alias(column)


def date_expr(column: str) -> pl.Expr:
    """A Date expression parsing the text in `column`; null where empty or not a date."""
    text = pl.col(column)
    serial = text.str.extract(_SERIAL).str.replace(",", ".", literal=True)
    serial_date = serial.cast(pl.Float64).floor().cast(pl.Int32) - _EXCEL_DAY_OF_1970_01_01
    return pl.coalesce(
        _date_from_parts(text, _DAY_MONTH_YEAR),
        _date_from_parts(text, _YEAR_MONTH_DAY),
        serial_date.cast(pl.Date),
    ).alias(column)


def _date_from_parts(text: pl.Expr, pattern: str) -> pl.Expr:
    """The date in `text` by `pattern`'s groups year, month and day; null if no such day."""
    year = pl.field("year").cast(pl.Int32)
    # "23.11.26": two-digit years 00-69 are 2000-2069 and 70-99 are 1970-1999, as in Excel.
    two_digit = pl.field("year").str.len_chars() == 2
    century = pl.when(~two_digit).then(0).when(year <= 69).then(2000).otherwise(1900)
    # Zero-padded ISO text, which strict=False turns into null for "31.02.2026".
    iso = pl.concat_str(
        (year + century).cast(pl.String).str.zfill(4),
        pl.field("month").str.zfill(2),
        pl.field("day").str.zfill(2),
        separator="-",
    )
    parts = text.str.extract_groups(pattern).struct.with_fields(iso=iso)
    return parts.struct.field("iso").str.to_date("%Y-%m-%d", strict=False)


# Norwegian letters written out, as Norwegians do in web addresses (æ → ae, ø → o, å → a);
# dashes between numbers ("13–19") kept apart.
_SLUG_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "–": "-", "—": "-"})


def slug_of(text: str, length: int = 60) -> str:
    """A web address's name for a Norwegian title: "Årsstatistikk 2026" → "arsstatistikk-2026"."""
    return slugify(text.lower().translate(_SLUG_LETTERS))[:length].strip("-")


def number_text(value: float) -> str:
    """A number as `parse_number` reads it back: whole numbers without decimals, others
    with a decimal comma and as many decimals as they need (never 1e-05), no grouping."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".").replace(".", ",")


# --- one cell at a time ----------------------------------------------------------------------
# The same rules in plain Python, for a value typed into a form or read from a plan file: a
# polars frame for one cell costs a millisecond, these a few microseconds. Python's `re`
# takes the patterns above with three changes, so that both read every text alike
# (tests/test_norwegian_parsing.py checks that they do): `(?i)` becomes a flag, `$` becomes
# `\Z` (Python's `$` also matches before a final line break), and `\s` becomes the Unicode
# White_Space characters that Rust's `\s` means (Python's also takes \x1c-\x1f).
_WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _python(pattern: str) -> re.Pattern[str]:
    flags = re.IGNORECASE if "(?i)" in pattern else 0
    pattern = pattern.replace("(?i)", "").replace("$", r"\Z").replace(r"\s", _WHITE_SPACE)
    return re.compile(pattern, flags)


_ONE_POSITIVE_CELL = _python(_POSITIVE_CELL)
_ONE_NEGATIVE_CELL = _python(_NEGATIVE_CELL)
_ONE_DECORATION = _python(_DECORATION)
_ONE_DECIMAL_COMMA = _python(_DECIMAL_COMMA)
_ONE_DOT_THOUSANDS = _python(_DOT_THOUSANDS)
_ONE_COMMA_THOUSANDS = _python(_COMMA_THOUSANDS)
_ONE_DECIMAL_POINT = _python(_DECIMAL_POINT)
_ONE_DAY_MONTH_YEAR = _python(_DAY_MONTH_YEAR)
_ONE_YEAR_MONTH_DAY = _python(_YEAR_MONTH_DAY)
_ONE_SERIAL = _python(_SERIAL)
_EXCEL_DAY_ZERO = datetime.date(1899, 12, 30)


def parse_number(text: str) -> float | None:
    """One cell by the rules of `number_expr`."""
    found = _signed_digits(text)
    if found is None:
        return None
    value = float(found)
    return value if abs(value) <= LARGEST_NUMBER else None


def parse_amount(text: str) -> Decimal | None:
    """Kroner as Norwegians write them ("60 000", "1 234,50", "kr 80.000"), exactly, to the
    øre: None for what is no amount or has more than two decimals."""
    found = _signed_digits(text)
    if found is None:
        return None
    amount = Decimal(found)
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2 or abs(amount) > LARGEST_NUMBER:
        return None
    return amount.quantize(Decimal("0.01"))


def _signed_digits(text: str) -> str | None:
    """A cell's number as plain digits with a sign and a decimal point, by the rules of
    `number_expr`; None if it is no number."""
    if _ONE_POSITIVE_CELL.search(text):
        sign = ""
    elif _ONE_NEGATIVE_CELL.search(text):
        sign = "-"
    else:
        return None
    digits = _ONE_DECORATION.sub("", text)
    if _ONE_DECIMAL_COMMA.search(digits) or _ONE_DOT_THOUSANDS.search(digits):
        return sign + digits.replace(".", "").replace(",", ".")
    if _ONE_COMMA_THOUSANDS.search(digits):
        return sign + digits.replace(",", "")
    if _ONE_DECIMAL_POINT.search(digits):
        return sign + digits
    return None


def parse_date(text: str) -> datetime.date | None:
    """One cell by the rules of `date_expr`."""
    for pattern in (_ONE_DAY_MONTH_YEAR, _ONE_YEAR_MONTH_DAY):
        parts = pattern.search(text)
        if parts:
            year = int(parts["year"])
            if len(parts["year"]) == 2:
                year += 2000 if year <= 69 else 1900
            try:
                return datetime.date(year, int(parts["month"]), int(parts["day"]))
            except ValueError:
                return None
    serial = _ONE_SERIAL.search(text)
    if serial:
        days = math.floor(float(serial[1].replace(",", ".")))
        return _EXCEL_DAY_ZERO + datetime.timedelta(days=days)
    return None


# --- numbers typed on a page ----------------------------------------------------------------
# "65,000", "1,234,567.5", "80.5": how numbers are typed on English pages, where a comma groups
# thousands and a point is the decimal point ("1,234" is a thousand and more, not 1.234).
_ENGLISH_NUMBER = re.compile(
    r"(?P<sign>[-\u2212+]?)(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<fraction>\.[0-9]+)?"
)
_TYPED_SPACE = re.compile(f"[{_WHITE_SPACE}]")


def parse_typed_number(text: str, language: str) -> float | None:
    """A number as a person types it on a page in `language`: on English pages 65,000 and
    80.5; on the others, and whatever the English rules do not read, as `parse_number`
    reads it."""
    if language.startswith("en"):
        found = _ENGLISH_NUMBER.fullmatch(_TYPED_SPACE.sub("", text))
        if found:
            sign = -1.0 if found["sign"] in ("-", "\u2212") else 1.0
            value = sign * float(found["whole"].replace(",", "") + (found["fraction"] or ""))
            return value if abs(value) <= LARGEST_NUMBER else None
    return parse_number(text)


def canonical_number_text(text: str, language: str) -> str:
    """A number typed on a page in `language` as the services read numbers (`number_text`);
    the text as typed where it is no number, so that the service says what is wrong."""
    value = parse_typed_number(text, language)
    return text if value is None else number_text(value)


def typed_number_text(value: float, language: str) -> str:
    """A stored number as a form in `language` shows it for correction: 12.5 on English
    pages, 12,5 on the others, whole numbers without decimals, no grouping."""
    text = number_text(value)
    return text.replace(",", ".") if language.startswith("en") else text
