"""Funding files: who pays an organisation or a network what, by which rule. Read like plan
files (lib/documents.py): every problem at once, each with its path, line and column;
reading never touches the database."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from maalbilde.lib.documents import (
    Issue,
    PathTuple,
    checked_document,
)

FORMAT = "maalbilde-funding/1"
SCHEMA_PATH = Path(__file__).with_name("schema") / "funding-file.schema.json"


@cache
def funding_file_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def parse_funding_file(raw: bytes) -> dict[str, Any]:
    """A funding file's data, checked; or DocumentInvalid with every problem."""
    return checked_document(raw, funding_file_schema(), _("a funding file"), reference_issues)


def amount_of(value: int | float | str) -> Decimal:
    """Kroner as written in the file (2500000, 60000.5, "60000.50"), exactly."""
    return Decimal(str(value))


def _duplicates(slugs: list[tuple[PathTuple, str]], what: str) -> Iterator[Issue]:
    counts = Counter(slug for _path, slug in slugs)
    for path, slug in slugs:
        if counts[slug] > 1:
            yield Issue(path, _("The %(what)s “%(slug)s” is named more than once.")
                        % {"what": what, "slug": slug})  # fmt: skip


def reference_issues(data: dict[str, Any]) -> Iterator[Issue]:
    parties = {p["slug"]: p for p in data["parties"]}
    yield from _duplicates(
        [(("parties", i, "slug"), p["slug"]) for i, p in enumerate(data["parties"])], _("party")
    )
    yield from _duplicates([(("agreements", i, "slug"), a["slug"])
                            for i, a in enumerate(data["agreements"])], _("agreement"))  # fmt: skip
    for a, agreement in enumerate(data["agreements"]):
        here: PathTuple = ("agreements", a)
        if agreement["first_year"] > agreement["last_year"]:
            yield Issue((*here, "last_year"), _("The last year comes before the first year."))
        rules = [((*here, "rules", r, "slug"), rule["slug"])
                 for r, rule in enumerate(agreement["rules"])]  # fmt: skip
        yield from _duplicates(rules, _("rule"))
        for r, rule in enumerate(agreement["rules"]):
            yield from _rule_issues((*here, "rules", r), rule, parties)


def _rule_issues(
    path: PathTuple, rule: dict[str, Any], parties: dict[str, dict[str, Any]]
) -> Iterator[Issue]:
    for i, slug in enumerate(rule["parties"]):
        if slug not in parties:
            yield Issue((*path, "parties", i), _("There is no party “%(slug)s” in the file.")
                        % {"slug": slug})  # fmt: skip
    needs = {"fixed": ["amount"], "tiers": ["fact", "tiers"], "per_unit": ["amount", "fact"]}
    for key in needs[rule["kind"]]:
        if key not in rule:
            yield Issue(path, _("A rule of the kind “%(kind)s” needs “%(key)s”.")
                        % {"kind": rule["kind"], "key": key})  # fmt: skip
    if rule.get("indexed") and "base_year" not in rule:
        yield Issue(path, _("An indexed amount needs the year it is given for (“base_year”)."))
    if rule["kind"] == "tiers" and "tiers" in rule:
        yield from _tier_issues((*path, "tiers"), rule["tiers"])
    fact = rule.get("fact")
    if fact and rule["kind"] in ("tiers", "per_unit"):
        for i, slug in enumerate(rule["parties"]):
            if slug in parties and fact not in parties[slug].get("facts", {}):
                yield Issue((*path, "parties", i), _(
                    "The party “%(party)s” has no “%(fact)s”, which this rule counts by."
                ) % {"party": slug, "fact": fact})  # fmt: skip


def _tier_issues(path: PathTuple, tiers: list[dict[str, Any]]) -> Iterator[Issue]:
    """Tiers in order, each beginning where the one before ended (…14 999, 15 000…), the
    first from 0 and the last open or closed."""
    expected_from = 0
    for i, tier in enumerate(tiers):
        begins = tier.get("from", 0)
        if begins != expected_from:
            yield Issue((*path, i), _(
                "This tier should begin at %(expected)s, where the one before ends; it begins "
                "at %(begins)s."
            ) % {"expected": expected_from, "begins": begins})  # fmt: skip
        if "to" in tier:
            if tier["to"] < begins:
                yield Issue((*path, i, "to"), _("The tier ends before it begins."))
            expected_from = tier["to"] + 1
        elif i < len(tiers) - 1:
            yield Issue((*path, i), _("Only the last tier may be open-ended (no “to”)."))


def notes_for(data: dict[str, Any], year: int) -> list[str]:
    """The file's notes that hold for `year`: those for every year and those for that one."""
    return [note if isinstance(note, str) else note["text"] for note in data.get("notes", [])
            if isinstance(note, str) or note["year"] == year]  # fmt: skip
