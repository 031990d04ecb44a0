"""Reading funding: each party's balance for a year — what the rules expect, what was
invoiced and what was received, and the differences, shown rather than hidden — and the
year's allocation among the members and regions below the owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from maalbilde.funding.allocation import CENTRAL, WORDS, Allocated, Allocation, Recipient, allocate
from maalbilde.funding.files import amount_of
from maalbilde.funding.ledger import name_key
from maalbilde.funding.models import FundingFile, Payment
from maalbilde.funding.rules import PARTY_KINDS, expected_amounts, totals_by
from maalbilde.lib.spreadsheets import rows_csv, xlsx_bytes
from maalbilde.organisations.models import Organisation
from maalbilde.organisations.tree import units_by_region

ORE_PER_KRONE = 100
PAID = (Payment.Kind.INVOICED, Payment.Kind.RECEIVED)


def current_funding(owner: Organisation) -> FundingFile | None:
    """The owner's funding file as last imported."""
    return FundingFile.objects.filter(owner=owner).first()


@dataclass(frozen=True)
class Balance:
    party: str
    name: str
    kind: str
    expected: Decimal
    invoiced: Decimal
    received: Decimal
    notes: tuple[str, ...] = ()  # what to check in the expected amount

    @property
    def to_receive(self) -> Decimal:
        """Expected by the rules but not received yet (negative: received more)."""
        return self.expected - self.received

    @property
    def not_invoiced(self) -> Decimal:
        """Expected by the rules but not invoiced (negative: invoiced more)."""
        return self.expected - self.invoiced

    @property
    def outstanding(self) -> Decimal:
        """Invoiced but not received (negative: received more)."""
        return self.invoiced - self.received


def balances(owner: Organisation, year: int) -> list[Balance]:
    """Every party of the owner's funding file with its expected, invoiced and received
    amounts for the year (sums in the database), in the file's order."""
    stored = current_funding(owner)
    if stored is None:
        return []
    rows = expected_amounts(stored.data, year)
    expected = totals_by(rows, lambda row: row.party)
    notes: dict[str, tuple[str, ...]] = {}
    for row in rows:
        notes[row.party] = (*notes.get(row.party, ()), *row.notes)
    paid = {
        (row["party"], row["kind"]): Decimal(row["total"]) / ORE_PER_KRONE
        for row in Payment.objects.filter(owner=owner, year=year, kind__in=PAID)
        .values("party", "kind").annotate(total=Sum("amount_ore"))
    }  # fmt: skip
    zero = Decimal("0.00")
    return [
        Balance(p["slug"], p["name"], p["kind"], expected.get(p["slug"], zero),
                paid.get((p["slug"], Payment.Kind.INVOICED), zero).quantize(zero),
                paid.get((p["slug"], Payment.Kind.RECEIVED), zero).quantize(zero),
                notes.get(p["slug"], ()))
        for p in stored.data["parties"]
        if p["slug"] in expected or any(party == p["slug"] for party, _kind in paid)
    ]  # fmt: skip


def balance_totals(rows: list[Balance]) -> Balance:
    """The parties' balances added up."""
    zero = Decimal("0.00")
    return Balance(
        "", "", "", sum((b.expected for b in rows), zero), sum((b.invoiced for b in rows), zero),
        sum((b.received for b in rows), zero),
    )  # fmt: skip


def allocation_for(owner: Organisation, year: int) -> tuple[Allocation | None, list[str]]:
    """The owner's allocation for the year as its funding file declares it, among the
    members and regions below the owner (each member in the region it lies under, else its
    attribute `region`); and the overrides naming no member or region there."""
    stored = current_funding(owner)
    spec = next((a for a in (stored.data.get("allocations", []) if stored else [])
                 if a["year"] == year), None)  # fmt: skip
    if stored is None or spec is None:
        return None, []
    budget = amount_of(spec["budget"]) if "budget" in spec else sum(
        (row.amount for row in expected_amounts(stored.data, year)), Decimal(0))  # fmt: skip
    fact = spec.get("members", {}).get("fact", "")
    facts = spec.get("facts", {})

    def units_of(o: Organisation) -> Decimal | None:
        units = facts.get(o.slug, {}).get(fact, o.attributes.get(fact)) if fact else None
        return Decimal(str(units)) if units is not None else None

    recipients = _recipients(owner, units_of)
    known = {r.slug for r in recipients}
    unknown = [o["recipient"] for o in spec.get("overrides", []) if o["recipient"] not in known]
    return allocate(spec, recipients, budget), unknown


def _recipients(
    owner: Organisation, units_of: Callable[[Organisation], Decimal | None] = lambda o: None
) -> list[Recipient]:
    """The regions and members below the owner as the organisation page shows them, each
    member with its units (pupils) by `units_of`."""
    regions, _apart = units_by_region(owner, Organisation.objects.all())
    recipients = []
    for region in regions:
        if region.node is not None:
            recipients.append(Recipient(region.node.slug, region.node.name,
                                        Organisation.Kind.REGION, region.name, None))  # fmt: skip
        recipients += [Recipient(o.slug, o.name, o.kind, region.name, units_of(o))
                       for o in region.units if o.kind == Organisation.Kind.MEMBER]  # fmt: skip
    return recipients


def payees(owner: Organisation, kind: str) -> dict[str, str]:
    """Whom a payment of `kind` can name, by slug: the parties of the owner's funding file
    for what is invoiced and received; central management, the regions and the members for
    what is spent."""
    if kind == Payment.Kind.SPENT:
        return {CENTRAL: str(WORDS["central"]), **{r.slug: r.name for r in _recipients(owner)}}
    stored = current_funding(owner)
    return {p["slug"]: p["name"] for p in (stored.data["parties"] if stored else [])}


def payee_names(owner: Organisation, kind: str) -> dict[str, str]:
    """How an accounting export may name each payee of `kind`, as `ledger.name_key` writes
    it, to its slug: the slug, the name, the names the funding file gives for the accounts;
    central management also by the owner's own name."""
    names: dict[str, str] = {}
    stored = current_funding(owner)
    written = {p["slug"]: p.get("ledger_names", []) for p in (stored.data["parties"] if stored
                                                              else [])}  # fmt: skip
    if kind == Payment.Kind.SPENT:
        written = {CENTRAL: [owner.name, owner.slug]}
    for slug, name in payees(owner, kind).items():
        for text in (slug, name, *written.get(slug, [])):
            names.setdefault(name_key(text), slug)
    return names


def spent_by_recipient(owner: Organisation, year: int) -> dict[str, Decimal]:
    """What the owner spent on each recipient in the year, summed in the database."""
    return {
        row["party"]: (Decimal(row["total"]) / ORE_PER_KRONE).quantize(Decimal("0.01"))
        for row in Payment.objects.filter(owner=owner, year=year, kind=Payment.Kind.SPENT)
        .values("party").annotate(total=Sum("amount_ore"))
    }  # fmt: skip


def funding_table(owner: Organisation, year: int) -> tuple[list[str], list[list]]:
    """The year's money in and where it went, as one table for a spreadsheet: each party's
    expected, invoiced and received amounts, then each recipient's allocation with its
    pupils and kroner per pupil."""
    header = [str(h) for h in (
        _("Section"), _("Name"), _("Kind"), _("Region"), _("Expected"), _("Invoiced"),
        _("Received"), _("Still to receive"), _("Allocated"), _("Spent"), _("Pupils"),
        _("Kroner per pupil"),
    )]  # fmt: skip
    money_in, money_out = _("Money in"), _("Allocation")
    rows: list[list] = [
        [money_in, b.name, str(PARTY_KINDS.get(b.kind, b.kind)), "", b.expected, b.invoiced,
         b.received, b.to_receive, None, None, None, None]
        for b in balances(owner, year)
    ]  # fmt: skip
    allocation, _unknown = allocation_for(owner, year)
    spent = spent_by_recipient(owner, year)
    if allocation is not None:
        rows += [[money_out, r.name, _kind_label(r.kind), r.region, None, None, None, None,
                  r.amount, spent.get(r.recipient), r.units, r.per_unit]
                 for r in allocation.rows]  # fmt: skip
    allocated = {r.recipient for r in allocation.rows} if allocation else set()
    names = payees(owner, Payment.Kind.SPENT)
    rows += [[money_out, names.get(slug, slug), "", "", None, None, None, None, None, amount,
              None, None] for slug, amount in spent.items() if slug not in allocated]  # fmt: skip
    return header, rows


def funding_spreadsheet(owner: Organisation, year: int, kind: str) -> bytes:
    """`funding_table` as an XLSX workbook or a CSV file for Excel."""
    header, rows = funding_table(owner, year)
    if kind == "xlsx":
        return xlsx_bytes(header, rows, sheet=str(year))
    return rows_csv(header, rows)


def _kind_label(kind: str) -> str:
    return str(Organisation.Kind(kind).label) if kind in Organisation.Kind.values else ""


def published_years(owner: Organisation) -> list[int]:
    return list(owner.funding_publications.values_list("year", flat=True))


def funding_years(data: dict, owner: Organisation | None = None) -> list[int]:
    """The years the agreements of a funding file cover, and with the `owner`, the years
    its payments are recorded for."""
    spans = [range(a["first_year"], a["last_year"] + 1) for a in data["agreements"]]
    paid = (
        set(Payment.objects.filter(owner=owner).values_list("year", flat=True)) if owner else set()
    )
    return sorted({year for span in spans for year in span} | paid)


def _owners_above(organisation: Organisation) -> list[tuple[Organisation, FundingFile]]:
    """The owners of funding files above the organisation, with their files."""
    found = []
    for owner in Organisation.objects.filter(funding_files__isnull=False).distinct():
        stored = current_funding(owner)
        if stored and organisation.path.startswith(owner.path) and owner != organisation:
            found.append((owner, stored))
    return found


def own_contributions(
    organisation: Organisation, until: int
) -> list[tuple[Organisation, int, Balance]]:
    """What the party an organisation is in a funding file above it (a municipality's
    culture school for the municipality) was to pay, was invoiced and paid, by owner and
    year up to `until`: a party sees its own payments, and no other party's."""
    found = []
    for owner, stored in _owners_above(organisation):
        parties = {p["slug"] for p in stored.data["parties"]
                   if p.get("organisation") == organisation.slug}  # fmt: skip
        for year in funding_years(stored.data, owner) if parties else []:
            if year <= until:
                found += [(owner, year, b) for b in balances(owner, year) if b.party in parties]
    return found


def own_allocations(
    organisation: Organisation,
) -> list[tuple[Organisation, int, Allocated, Decimal]]:
    """What the funding of the networks above a member allocates to it, by owner and year,
    with what the owner has spent on it that year: a member sees its own allocation and
    spending, and no other member's."""
    found = []
    for owner, stored in _owners_above(organisation):
        for spec in stored.data.get("allocations", []):
            allocation, _unknown = allocation_for(owner, spec["year"])
            spent = Payment.objects.filter(owner=owner, year=spec["year"], party=organisation.slug,
                                           kind=Payment.Kind.SPENT).aggregate(
                                               total=Sum("amount_ore"))["total"]  # fmt: skip
            found += [(owner, spec["year"], row, Decimal(spent or 0) / ORE_PER_KRONE)
                      for row in (allocation.rows if allocation else [])
                      if row.recipient == organisation.slug]  # fmt: skip
    return found
