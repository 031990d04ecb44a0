"""How a year's budget is divided between central management, the regions and the members:
a pot for each region, to each member a base and an amount per unit of a fact (pupils),
manual overrides each with its reason; what is left unallocated shown, not hidden. Kroner per
pupil by member and region, with the spread. Exact kroner, rounded once to øre, half up."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from django.utils.translation import gettext_lazy

from maalbilde.funding.files import amount_of
from maalbilde.funding.rules import ORE, number_words

# The recipient that stands for central management, in allocations and spending.
CENTRAL = "central"
WORDS = {
    "central": gettext_lazy("central management"),
    "region": gettext_lazy("pot for the region"),
    "member": gettext_lazy("%(base)s + %(per_unit)s × %(units)s %(fact)s"),
    "override": gettext_lazy("set by hand: %(reason)s"),
}


@dataclass(frozen=True)
class Recipient:
    """A member or a region below the owner, with its region and its units (pupils)."""

    slug: str
    name: str
    kind: str  # "member" or "region"
    region: str
    units: Decimal | None = None


@dataclass(frozen=True)
class Allocated:
    recipient: str
    name: str
    kind: str  # "central", "region" or "member"
    region: str
    amount: Decimal
    basis: str
    units: Decimal | None = None

    @property
    def per_unit(self) -> Decimal | None:
        if not self.units:
            return None
        return (self.amount / self.units).quantize(ORE, ROUND_HALF_UP)


@dataclass(frozen=True)
class Allocation:
    year: int
    budget: Decimal
    rows: list[Allocated]

    @property
    def allocated(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))

    @property
    def unallocated(self) -> Decimal:
        return self.budget - self.allocated

    @property
    def units(self) -> Decimal:
        """The members' units (pupils) together."""
        return sum((row.units or Decimal(0) for row in self.rows if row.kind == "member"),
                   Decimal(0))  # fmt: skip

    def per_unit_of_budget(self) -> Decimal | None:
        """Kroner per unit of the whole budget: central management and the regions too."""
        return (self.budget / self.units).quantize(ORE, ROUND_HALF_UP) if self.units else None

    def per_unit_of_members(self) -> Decimal | None:
        """Kroner per unit of what the members get themselves."""
        members = sum((row.amount for row in self.rows if row.kind == "member"), Decimal(0))
        return (members / self.units).quantize(ORE, ROUND_HALF_UP) if self.units else None

    def per_unit_by_region(self) -> dict[str, Decimal]:
        """Kroner per unit (pupil) of each region's members and its pot together."""
        amounts: dict[str, Decimal] = {}
        units: dict[str, Decimal] = {}
        for row in self.rows:
            if row.kind in ("member", "region") and row.region:
                amounts[row.region] = amounts.get(row.region, Decimal(0)) + row.amount
                units[row.region] = units.get(row.region, Decimal(0)) + (row.units or 0)
        return {region: (amounts[region] / units[region]).quantize(ORE, ROUND_HALF_UP)
                for region in amounts if units[region]}  # fmt: skip

    def spread(self) -> tuple[Decimal, Decimal, Decimal] | None:
        """The lowest, median and highest kroner per unit among the members."""
        values = sorted(row.per_unit for row in self.rows
                        if row.kind == "member" and row.per_unit is not None)  # fmt: skip
        if not values:
            return None
        return values[0], Decimal(median(values)).quantize(ORE, ROUND_HALF_UP), values[-1]


def allocate(spec: dict[str, Any], recipients: list[Recipient], budget: Decimal) -> Allocation:
    """The year's allocation by `spec` (one entry of a funding file's `allocations`)."""
    words = {key: str(text) for key, text in WORDS.items()}
    members = spec.get("members", {})
    overrides = {o["recipient"]: o for o in spec.get("overrides", [])}
    rows = []
    if "central" in spec:
        central = amount_of(spec["central"]).quantize(ORE, ROUND_HALF_UP)
        rows.append(Allocated(CENTRAL, words["central"], "central", "", central,
                              words["central"]))  # fmt: skip
    for recipient in recipients:
        if recipient.kind == "region" and "regions" in spec:
            amount, basis = amount_of(spec["regions"]), words["region"]
        elif recipient.kind == "member" and members:
            base = amount_of(members.get("base", 0))
            per_unit = amount_of(members.get("per_unit", 0))
            amount = base + per_unit * (recipient.units or 0)
            basis = words["member"] % {
                "base": number_words(base), "per_unit": number_words(per_unit),
                "units": number_words(recipient.units or Decimal(0)),
                "fact": members.get("fact", ""),
            }  # fmt: skip
        else:
            continue
        if recipient.slug in overrides:
            override = overrides[recipient.slug]
            amount = amount_of(override["amount"])
            basis = words["override"] % {"reason": override["reason"]}
        rows.append(Allocated(recipient.slug, recipient.name, recipient.kind, recipient.region,
                              amount.quantize(ORE, ROUND_HALF_UP), basis,
                              recipient.units))  # fmt: skip
    return Allocation(spec["year"], budget, rows)
