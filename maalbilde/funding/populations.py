"""Populations from Statistics Norway: the CSV that table 07459 («Befolkning») exports from
the statbank, read as it comes — with or without its title line, semicolon, comma or tab,
UTF-8 or Windows-1252, one row per region and year (and sex or age, added up) or one column
per year — and matched to the funding file's municipalities by their number, else by name.
Reading never touches the database."""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from maalbilde.funding.ledger import name_key

# One year of every municipality by sex and age is about 4 MB; a few years of it fit.
MAX_BYTES = 20 * 1024 * 1024
SOURCE = "SSB, tabell 07459, folkemengde 1. januar %(year)s"
# "3002 Moss", "K-3002 Moss", "3002 Moss (2020-2023)", "30 Viken (2020-2023)".
_REGION = re.compile(r"^(?:[KF]-)?(?P<code>\d{2,4})\s+(?P<name>.+?)(?:\s*\(\d{4}-\d{0,4}\))?$")
_YEAR = re.compile(r"\b(19[89]\d|2[01]\d\d)\b")
# What the statbank writes where a figure is missing, hidden or not relevant.
_MISSING = {"", ".", "..", "...", ":", "-"}
_MUNICIPALITY = re.compile(r"\s+(kommune|herad)$")


class PopulationsRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Region:
    code: str | None
    name: str
    people: dict[int, int] = field(default_factory=dict)  # by year


def populations_read(raw: bytes) -> list[Region]:
    """The regions of a table 07459 export with their population by year; or
    PopulationsRefused saying what the file lacks."""
    if len(raw) > MAX_BYTES:
        raise PopulationsRefused(
            _("The file is %(size)s bytes; a population table may be at most %(limit)s bytes.")
            % {"size": len(raw), "limit": MAX_BYTES}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines[:20])
                  if re.match(r'^\W*region\W', line.casefold())), None)  # fmt: skip
    if start is None:
        raise PopulationsRefused(_(
            "The file has no “region” column: save table 07459 from Statistics Norway's "
            "statbank as CSV, with the regions down the side."))  # fmt: skip
    delimiter = max(";,\t", key=lines[start].count)
    rows = list(csv.reader(lines[start:], delimiter=delimiter))
    header = [h.strip().casefold() for h in rows[0]]
    regions: dict[str, Region] = {}
    year_column = next((i for i, h in enumerate(header) if h in ("år", "year", "tid")), None)
    year_of = {i: int(m[1]) for i, h in enumerate(header) if (m := _YEAR.search(h))}
    if year_column is None and not year_of:
        raise PopulationsRefused(_(
            "The file has no column “år” and no column for a year: save the table with the "
            "years in it."))  # fmt: skip
    for cells in rows[1:]:
        if not cells or not cells[0].strip():
            continue
        region = _region(regions, cells[0].strip())
        if year_column is not None:
            year = _YEAR.search(cells[year_column]) if year_column < len(cells) else None
            if year:
                _add(region, int(year[1]), cells[-1])
        else:
            for index, year_number in year_of.items():
                if index < len(cells):
                    _add(region, year_number, cells[index])
    found = [r for r in regions.values() if r.people]
    if not found:
        raise PopulationsRefused(_("The file holds no population figures."))
    return found


def _region(regions: dict[str, Region], text: str) -> Region:
    parts = _REGION.match(text)
    code, name = (parts["code"], parts["name"]) if parts else (None, text)
    return regions.setdefault(code or name_key(name), Region(code, name))


def _add(region: Region, year: int, cell: str) -> None:
    """A figure added to the region's year: a table by sex or age is added up."""
    digits = re.sub(r"[\s\u00a0\u202f]", "", cell)
    if digits in _MISSING or not digits.isdigit():
        return
    region.people[year] = region.people.get(year, 0) + int(digits)


@dataclass(frozen=True)
class Match:
    index: int  # the party's place in the funding file's list
    party: str
    name: str
    region: Region


def parties_matched(
    parties: list[dict[str, Any]], regions: list[Region]
) -> tuple[list[Match], list[str], list[str], list[str]]:
    """The municipalities (and parties with a code) found in the table, by their code, else
    by their name without "kommune"; the names of those not found, of those whose name the
    table gives to more than one region in the same years (their code tells them apart),
    and what to know of those the table has under a new number. Regions of one name whose
    years follow each other are one municipality renumbered (Moss: 3002 until 2023, 3103 from
    2024), found by either number, with the figures of both."""
    by_name: dict[str, list[Region]] = {}
    for region in regions:
        by_name.setdefault(name_key(region.name), []).append(region)
    over_time = {name: _renumbered(group) for name, group in by_name.items()}
    by_code = {r.code: over_time[name_key(r.name)] or r for r in regions if r.code}
    matches, missing, ambiguous, renumbered = [], [], [], []
    for index, party in enumerate(parties):
        if party["kind"] != "municipality" and "code" not in party:
            continue
        if "code" in party:
            region = by_code.get(party["code"])
        else:
            name = _MUNICIPALITY.sub("", name_key(party["name"]))
            named = by_name.get(name, [])
            if len(named) > 1 and over_time[name] is None:
                ambiguous.append(party["name"])
                continue
            region = over_time.get(name) or (named[0] if named else None)
        if region is None:
            missing.append(party["name"])
            continue
        matches.append(Match(index, party["slug"], party["name"], region))
        if "code" in party and region.code != party["code"]:
            renumbered.append(_(
                "%(party)s has the number %(code)s in the table from %(year)s (%(old)s before); "
                "the funding file now gives the new number."
            ) % {"party": party["name"], "code": region.code, "old": party["code"],
                 "year": min(y for r in by_name[name_key(region.name)] if r.code == region.code
                             for y in r.people)})  # fmt: skip
    return matches, missing, ambiguous, renumbered


def _renumbered(group: list[Region]) -> Region | None:
    """Regions of one name whose years do not overlap, as one municipality over time under
    its latest number; None if there is only one, or if their years overlap (two places)."""
    if len(group) < 2:
        return None
    ordered = sorted(group, key=lambda r: min(r.people))
    if any(max(a.people) >= min(b.people) for a, b in itertools.pairwise(ordered)):
        return None
    people = {year: count for r in ordered for year, count in r.people.items()}
    return Region(ordered[-1].code, ordered[-1].name, people)
