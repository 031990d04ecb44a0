"""Scenarios: a year of an owner's funding with parties added or removed and another number
of pupils — what the rules would bring, kroner per pupil before and after, and the grant that
would keep kroner per pupil where it is. Worked out on a copy: a scenario never changes the
real figures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from maalbilde.funding.files import funding_file_schema, reference_issues
from maalbilde.funding.rules import ORE, Expected, expected_amounts, totals_by
from maalbilde.lib.documents import (
    DocumentInvalid,
    Issue,
    Problem,
    checked_document,
    format_path,
    schema_issues,
)

SCHEMA_PATH = Path(__file__).with_name("schema") / "funding-scenario.schema.json"


@cache
def scenario_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _parties_schema() -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": "#/$defs/party"},
            "$defs": funding_file_schema()["$defs"]}  # fmt: skip


@dataclass(frozen=True)
class ScenarioResult:
    title: str
    year: int
    pupils_before: int
    pupils_after: int
    before: list[Expected]
    after: list[Expected]
    grant_from: str

    @property
    def total_before(self) -> Decimal:
        return sum((row.amount for row in self.before), Decimal(0))

    @property
    def total_after(self) -> Decimal:
        return sum((row.amount for row in self.after), Decimal(0))

    @property
    def per_pupil_before(self) -> Decimal:
        return (self.total_before / self.pupils_before).quantize(ORE, ROUND_HALF_UP)

    @property
    def per_pupil_after(self) -> Decimal:
        """Kroner per pupil with what the rules bring once the parties change."""
        return (self.total_after / self.pupils_after).quantize(ORE, ROUND_HALF_UP)

    @property
    def needed(self) -> Decimal:
        """The budget that keeps today's kroner per pupil for the pupils after (exactly, then
        rounded to øre)."""
        return (self.total_before * self.pupils_after / self.pupils_before).quantize(
            ORE, ROUND_HALF_UP
        )

    @property
    def gap(self) -> Decimal:
        return self.needed - self.total_after

    @property
    def grant_after(self) -> Decimal:
        """The grant of `grant_from` that would close the gap."""
        grant = sum((r.amount for r in self.after if r.party == self.grant_from), Decimal(0))
        return grant + self.gap

    def by_kind(self, rows: list[Expected]) -> dict[str, Decimal]:
        return totals_by(rows, lambda row: row.party_kind)


def parse_scenario(raw: bytes) -> dict[str, Any]:
    """A scenario's data, checked as funding files are; or DocumentInvalid."""
    return checked_document(raw, scenario_schema(), _("a scenario"))


def scenario_run(funding: dict[str, Any], scenario: dict[str, Any]) -> ScenarioResult:
    """The scenario worked out on a copy of the funding file's data; DocumentInvalid where
    it names what the file does not have, or makes a file the rules cannot read."""
    # A copy of what the scenario changes (the party lists), sharing the rest.
    changed = {**funding, "parties": list(funding["parties"]), "agreements": [
        {**a, "rules": [{**r, "parties": list(r["parties"])} for r in a["rules"]]}
        for a in funding["agreements"]
    ]}  # fmt: skip
    problems: list[Problem] = []
    removed = set(scenario.get("remove_parties", []))
    known = {p["slug"] for p in changed["parties"]}
    problems += [Problem("remove_parties", _("There is no party “%(slug)s” in the file.")
                         % {"slug": slug}) for slug in sorted(removed - known)]  # fmt: skip
    changed["parties"] = [p for p in changed["parties"] if p["slug"] not in removed]
    changed["parties"] += scenario.get("add_parties", [])
    rules = {rule["slug"]: rule for a in changed["agreements"] for rule in a["rules"]}
    for slug, parties in scenario.get("add_to_rules", {}).items():
        if slug not in rules:
            problems.append(Problem("add_to_rules", _("There is no rule “%(slug)s” in the "
                                                      "file.") % {"slug": slug}))  # fmt: skip
            continue
        rules[slug]["parties"] += [p for p in parties if p not in rules[slug]["parties"]]
    for rule in rules.values():
        rule["parties"] = [p for p in rule["parties"] if p not in removed]
    rules_left = {slug: rule for slug, rule in rules.items() if rule["parties"]}
    for agreement in changed["agreements"]:
        agreement["rules"] = [r for r in agreement["rules"] if r["slug"] in rules_left]
    if problems:
        raise DocumentInvalid(problems)
    # The changed file must still be one the rules can read: the added parties as the
    # schema wants parties (the rest was checked when the file was imported), and every
    # reference between the parts.
    issues = [
        *(Issue(("add_parties", *issue.path), issue.message) for issue in
          schema_issues(scenario.get("add_parties", []), _parties_schema())),
        *reference_issues(changed),
    ]  # fmt: skip
    if issues:
        raise DocumentInvalid([_located(issue) for issue in issues])
    counties = [p["slug"] for p in changed["parties"] if p["kind"] == "county"]
    grant_from = scenario.get("grant_from") or (counties[0] if counties else "")
    year = scenario["year"]
    return ScenarioResult(
        scenario["title"], year, scenario["pupils"]["before"], scenario["pupils"]["after"],
        expected_amounts(funding, year), expected_amounts(changed, year), grant_from,
    )  # fmt: skip


def _located(issue: Issue) -> Problem:
    return Problem(format_path(issue.path), issue.message)
