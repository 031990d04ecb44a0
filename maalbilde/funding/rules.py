"""What each party is expected to pay in a year by the rules of its agreements: exact
kroner (Decimal), each amount with the rule and the facts it was worked out from, and a flag
where a person should check it (an unchecked fact, a fact near a tier's boundary).

Rounding: an amount is worked out exactly and rounded once, to øre, half up; an indexed
amount compounds each year's rate after its base year before that rounding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy, pgettext_lazy

from maalbilde.funding.files import amount_of

ORE = Decimal("0.01")
# The kinds of party, as people read them.
PARTY_KINDS = {
    "county": pgettext_lazy("kind of party", "county"),
    "municipality": pgettext_lazy("kind of party", "municipalities"),
    "academy": pgettext_lazy("kind of party", "academy"),
    "state": pgettext_lazy("kind of party", "the state"),
    "sponsor": pgettext_lazy("kind of party", "sponsors"),
    "own": pgettext_lazy("kind of party", "own revenue"),
    "other": pgettext_lazy("kind of party", "others"),
}
# The words of a listing, each looked up in the active language once per listing rather than
# once per amount.
WORDS = {
    "part_year": gettext_lazy("× %(months)s/12 months taking part"),
    "fixed": gettext_lazy("fixed %(amount)s"),
    "no_index": gettext_lazy("No index rate for %(year)s: counted as 0 %%."),
    "indexed": gettext_lazy("regulated by index from %(year)s"),
    "unchecked": gettext_lazy("%(fact)s %(value)s is not checked (%(source)s)."),
    "no_source": gettext_lazy("no source named"),
    "per_unit": gettext_lazy("%(amount)s × %(value)s %(fact)s"),
    "beyond": gettext_lazy("%(fact)s %(value)s is beyond the last tier."),
    "near": gettext_lazy(
        "%(fact)s %(value)s is within 2 %% of the boundary %(boundary)s: check it."
    ),
    "tier": gettext_lazy("tier %(span)s by %(fact)s %(value)s"),
    "kroner": gettext_lazy("NOK %(amount)s"),
}
# A fact this close to a tier's boundary (2 %) is flagged: a small error moves the tier.
NEAR_BOUNDARY = Decimal("0.02")


@dataclass(frozen=True)
class Expected:
    """One party's expected contribution by one rule in a year."""

    party: str
    party_name: str
    party_kind: str
    agreement: str
    rule: str
    kind: str
    amount: Decimal
    basis: str
    notes: list[str] = field(default_factory=list)

    @property
    def to_check(self) -> bool:
        return bool(self.notes)


def expected_amounts(data: dict[str, Any], year: int) -> list[Expected]:
    """Every party's expected contribution in `year` by every rule of the agreements that
    run that year, in the file's order."""
    parties = {p["slug"]: p for p in data["parties"]}
    index = _Index({int(y): Decimal(str(r)) for y, r in data.get("index", {}).items()}, year)
    words = {key: str(text) for key, text in WORDS.items()}
    found = []
    for agreement in data["agreements"]:
        if not agreement["first_year"] <= year <= agreement["last_year"]:
            continue
        for rule in agreement["rules"]:
            for slug in rule["parties"]:
                party = parties[slug]
                months = _months_taking_part(party, agreement, year)
                if months == 0:
                    continue
                amount, basis, notes = _by_rule(rule, party, index, words, year)
                if months < 12:
                    amount = amount * months / 12
                    basis += " " + words["part_year"] % {"months": months}
                found.append(Expected(
                    slug, party["name"], party["kind"], agreement["slug"], rule["slug"],
                    rule["kind"], amount.quantize(ORE, ROUND_HALF_UP), basis, notes,
                ))  # fmt: skip
    return found


def totals_by(rows: list[Expected], key: Callable[[Expected], str]) -> dict[str, Decimal]:
    """Expected amounts added up by a key (the party, its kind, the rule), in first-seen
    order."""
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[key(row)] = totals.get(key(row), Decimal(0)) + row.amount
    return totals


def _months_taking_part(party: dict[str, Any], agreement: dict[str, Any], year: int) -> int:
    """12, or fewer in the year a party joins where the agreement counts part-years; 0 before
    it joins."""
    joins = party.get("joins")
    if not joins or joins["year"] < year:
        return 12
    if joins["year"] > year:
        return 0
    return 13 - joins.get("month", 1) if agreement.get("part_year") else 12


def fact_for(fact: dict[str, Any] | list[dict[str, Any]], year: int) -> dict[str, Any]:
    """The fact that counts for `year`: the fact itself, or of a list of dated ones (a
    population per 1 January of each year) the latest dated on or before 1 January of the
    year, else the earliest — so that a later figure never changes a year already past."""
    if isinstance(fact, dict):
        return fact
    dated = sorted(fact, key=lambda f: f["date"])
    return next((f for f in reversed(dated) if f["date"] <= f"{year}-01-01"), dated[0])


def _by_rule(
    rule: dict[str, Any], party: dict[str, Any], index: _Index, words: dict[str, str],
    year: int,
) -> tuple[Decimal, str, list[str]]:  # fmt: skip
    notes: list[str] = []
    if rule["kind"] == "fixed":
        amount = amount_of(rule["amount"])
        basis = words["fixed"] % {"amount": words["kroner"] % {"amount": number_words(amount)}}
        if rule.get("indexed"):
            factor, missing = index.since(rule["base_year"])
            amount *= factor
            notes += [words["no_index"] % {"year": regulated} for regulated in missing]
            basis += " " + words["indexed"] % {"year": rule["base_year"]}
        return amount, basis, notes
    fact = fact_for(party["facts"][rule["fact"]], year)
    value = Decimal(str(fact["value"]))
    if not fact.get("checked", False):
        notes.append(words["unchecked"] % {
            "fact": rule["fact"], "value": number_words(value),
            "source": fact.get("source") or words["no_source"]})  # fmt: skip
    if rule["kind"] == "per_unit":
        amount = amount_of(rule["amount"]) * value
        return amount, words["per_unit"] % {
            "amount": words["kroner"] % {"amount": number_words(amount_of(rule["amount"]))},
            "value": number_words(value), "fact": rule["fact"]}, notes  # fmt: skip
    tiers = rule["tiers"]
    tier = next(t for t in reversed(tiers) if value >= Decimal(str(t.get("from", 0))))
    if "to" in tier and value > Decimal(str(tier["to"])):
        notes.append(words["beyond"] % {"fact": rule["fact"], "value": number_words(value)})
    for boundary in (Decimal(str(t["from"])) for t in tiers if t.get("from")):
        if abs(value - boundary) <= boundary * NEAR_BOUNDARY:
            notes.append(words["near"] % {"fact": rule["fact"], "value": number_words(value),
                                          "boundary": number_words(boundary)})  # fmt: skip
    span = number_words(Decimal(str(tier.get("from", 0)))) + "–" + (
        number_words(Decimal(str(tier["to"]))) if "to" in tier else "")  # fmt: skip
    return amount_of(tier["amount"]), words["tier"] % {
        "span": span, "fact": rule["fact"], "value": number_words(value)}, notes  # fmt: skip


class _Index:
    """How much an amount given for a base year has grown by a year: each later year's rate
    compounded, worked out once per base year in one listing; and the years without a rate,
    counted as 0 %."""

    def __init__(self, rates: dict[int, Decimal], year: int) -> None:
        self.rates, self.year = rates, year
        self.factors: dict[int, tuple[Decimal, list[int]]] = {}

    def since(self, base_year: int) -> tuple[Decimal, list[int]]:
        if base_year not in self.factors:
            factor, missing = Decimal(1), []
            for regulated in range(base_year + 1, self.year + 1):
                if regulated not in self.rates:
                    missing.append(regulated)
                factor *= 1 + self.rates.get(regulated, Decimal(0)) / 100
            self.factors[base_year] = factor, missing
        return self.factors[base_year]


def number_words(value: Decimal) -> str:
    """An amount or a count in a basis or a note: 40 000 (with a no-break space), 12.50."""
    return f"{value:,.0f}".replace(",", "\u00a0") if value == value.to_integral() else str(value)


@dataclass(frozen=True)
class InKind:
    """What a party gives other than money in a year, its estimated value and how it was
    estimated. Never added to the money."""

    party: str
    party_name: str
    what: str
    value: Decimal
    estimated: str


def in_kind(data: dict[str, Any], year: int) -> list[InKind]:
    """The parties' contributions in kind for the year, in the file's order."""
    return [
        InKind(p["slug"], p["name"], item["what"],
               amount_of(item["value"]).quantize(ORE, ROUND_HALF_UP), item["estimated"])
        for p in data["parties"] for item in p.get("in_kind", []) if item["year"] == year
    ]  # fmt: skip
