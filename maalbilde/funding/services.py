"""Writing funding: a funding file imported for its owner, audited; an unchanged file is
left as it is."""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maalbilde.data.imports import ImportRejected, checksum_of
from maalbilde.funding.files import parse_funding_file
from maalbilde.funding.ledger import ledger_read
from maalbilde.funding.models import FundingFile, FundingPublication, LedgerImport, Payment
from maalbilde.funding.populations import (
    SOURCE,
    PopulationsRefused,
    parties_matched,
    populations_read,
)
from maalbilde.funding.rules import fact_for
from maalbilde.funding.selectors import balances, current_funding, payee_names, payees
from maalbilde.lib.documents import DocumentInvalid, Problem
from maalbilde.lib.norwegian import number_text, parse_amount
from maalbilde.lib.yamlfiles import yaml_value_set
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation
from maalbilde.plans.models import Observation, Plan
from maalbilde.plans.observations import (
    FUNDING_SOURCE,
    ObservationRefused,
    observations_remove,
    observations_save,
)


@transaction.atomic
def funding_import(
    *, raw: bytes, user: User | None = None, owner_expected: Organisation | None = None,
    based_on: int | None = None,
) -> tuple[FundingFile, bool]:  # fmt: skip
    """Check and store a funding file for the owner it names; the file stored and whether it
    is new (False: the same file as the latest, nothing stored). DocumentInvalid otherwise,
    with nothing stored. From the browser, the file must stay the page's owner's
    (`owner_expected`), and be based on the latest file (`based_on`, its id): an edit made on
    an older one is refused rather than undo a change made meanwhile."""
    data = parse_funding_file(raw)
    if owner_expected is not None and data["owner"] != owner_expected.slug:
        raise DocumentInvalid([Problem("owner", _(
            "The file is for “%(other)s”; here only “%(owner)s”'s funding can be stored."
        ) % {"other": data["owner"], "owner": owner_expected.slug})])  # fmt: skip
    owner = Organisation.objects.select_for_update().filter(slug=data["owner"]).first()
    if owner is None:
        raise DocumentInvalid([Problem("owner", _("There is no organisation “%(slug)s”.")
                                       % {"slug": data["owner"]})])  # fmt: skip
    checksum = hashlib.sha256(raw).hexdigest()
    latest = current_funding(owner)
    if based_on is not None and (latest.pk if latest else 0) != based_on:
        raise DocumentInvalid([Problem("", _(
            "The funding file was changed by someone else meanwhile; open it again and make "
            "your change there."))])  # fmt: skip
    if latest is not None and latest.checksum == checksum:
        return latest, False
    stored = FundingFile.objects.create(owner=owner, source=raw.decode("utf-8-sig"), data=data,
                                        checksum=checksum, imported_by=user)  # fmt: skip
    audit_record(user=user, action="funding-import", subject=f"funding/{owner.slug}",
                 about=stored, organisation=owner,
                 after={"parties": len(data["parties"]),
                        "agreements": len(data["agreements"])})  # fmt: skip
    return stored, True


def _refused_payee(owner: Organisation, kind: str, party: str) -> str:
    if kind == Payment.Kind.SPENT:
        return _("“%(party)s” is neither central management nor a region or member below "
                 "%(owner)s.") % {"party": party, "owner": owner.name}  # fmt: skip
    return _("“%(party)s” is not a party of %(owner)s's funding file.") % {
        "party": party, "owner": owner.name}  # fmt: skip


class PaymentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def payment_record(
    *, owner: Organisation, party: str, year: int, kind: str, amount: str,
    date: datetime.date, reference: str = "", user: User | None = None,
) -> Payment:  # fmt: skip
    """An invoice or a payment of a party of the owner's funding file, or money the owner
    spent on a recipient of its allocation, for a year; the amount as a person writes it
    (80 000, 1 234,50). Audited."""
    if kind not in Payment.Kind.values:
        raise PaymentRefused(_("Say whether the amount was invoiced, received or spent."))
    if party not in payees(owner, kind):
        raise PaymentRefused(_refused_payee(owner, kind, party))
    kroner = parse_amount(amount)
    if kroner is None:
        raise PaymentRefused(_("“%(amount)s” is no amount in kroner; write it as 80 000 or "
                               "1 234,50.") % {"amount": amount})  # fmt: skip
    payment = Payment.objects.create(
        owner=owner, party=party, year=year, kind=kind, amount_ore=int(kroner * 100),
        date=date, reference=reference[:200], created_by=user,
    )  # fmt: skip
    audit_record(user=user, action=f"funding-{kind}", subject=f"funding/{owner.slug}/{party}",
                 about=payment, organisation=owner,
                 after={"year": year, "amount": str(kroner), "date": date.isoformat()})  # fmt: skip
    _indicators_refresh(owner, {year}, user)
    return payment


def _indicators_refresh(owner: Organisation, years: set[int], user: User | None) -> None:
    """The plan figures the funding fills, written again for the years a payment changed.
    A funding file whose indicators name what is not there writes nothing here; `maalbilde
    funding indicators` says what is wrong."""
    for year in sorted(years):
        try:
            with transaction.atomic():
                funding_indicators_write(owner=owner, year=year, user=user)
        except (DocumentInvalid, ObservationRefused) as refused:
            log.warning("Funding indicators of %s for %s not written: %s", owner.slug, year,
                        refused)  # fmt: skip


log = logging.getLogger(__name__)

# An accounting export is a small file: a year's invoices or payments.
LEDGER_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class LedgerResult:
    ledger: LedgerImport
    stored: int
    already: list[int]  # rows of the file already recorded, left out
    skipped: list[int]  # closing total rows and empty rows


@transaction.atomic
def ledger_import(
    *, owner: Organisation, raw: bytes, file_name: str, kind: str, year: int | None = None,
    user: User | None = None,
) -> LedgerResult:  # fmt: skip
    """An accounting export's rows stored as payments of `kind` for the owner: all of them,
    or — when a row names no party, or holds no amount or date — none, with every problem
    in ImportRejected. The same file twice is refused; a row already recorded (the same
    party, year, amount, date and reference, typed in or from an earlier export) is left out
    and named, so that nothing counts twice. Audited."""
    if kind not in Payment.Kind.values:
        raise ImportRejected(_("Say whether the file holds invoices, payments received or "
                               "money spent."))  # fmt: skip
    if len(raw) > LEDGER_MAX_BYTES:
        raise ImportRejected(
            _("The file is %(size)s bytes; an accounting export may be at most %(limit)s "
              "bytes.") % {"size": len(raw), "limit": LEDGER_MAX_BYTES})  # fmt: skip
    Organisation.objects.select_for_update().filter(pk=owner.pk).first()
    checksum = checksum_of(raw)
    earlier = LedgerImport.objects.filter(owner=owner, checksum=checksum).first()
    if earlier is not None:
        raise ImportRejected(_(
            "This file was imported on %(date)s as %(kind)s (%(file)s); it is not counted "
            "twice. If it was imported as the wrong kind, withdraw that import first."
        ) % {"date": f"{earlier.imported_at:%d.%m.%Y}", "file": earlier.file_name,
             "kind": Payment.Kind(earlier.kind).label})  # fmt: skip
    reading = ledger_read(raw, payee_names(owner, kind), year,
                          spending=kind == Payment.Kind.SPENT)  # fmt: skip
    if reading.problems:
        raise ImportRejected(ngettext(
            "Nothing was stored: %(count)s row cannot be read.",
            "Nothing was stored: %(count)s rows cannot be read.", len(reading.problems))
                             % {"count": len(reading.problems)},
                             problems=reading.problems)  # fmt: skip
    if not reading.rows:
        raise ImportRejected(_("The file has no rows with an amount."))
    recorded = set(
        Payment.objects.filter(owner=owner, kind=kind,
                               party__in={r.party for r in reading.rows},
                               year__in={r.year for r in reading.rows})
        .values_list("party", "year", "amount_ore", "date", "reference")
    )  # fmt: skip
    new, already = [], []
    for row in reading.rows:
        key = (row.party, row.year, int(row.amount * 100), row.date, row.reference)
        (already if key in recorded else new).append(row)
    ledger = LedgerImport.objects.create(owner=owner, kind=kind, file_name=file_name[:300],
                                         checksum=checksum, rows=len(new),
                                         imported_by=user)  # fmt: skip
    Payment.objects.bulk_create(
        Payment(owner=owner, party=r.party, year=r.year, kind=kind,
                amount_ore=int(r.amount * 100), date=r.date, reference=r.reference,
                ledger=ledger, created_by=user)
        for r in new
    )  # fmt: skip
    audit_record(user=user, action=f"funding-ledger-{kind}", subject=f"funding/{owner.slug}",
                 about=ledger, organisation=owner,
                 after={"file": file_name[:300], "rows": len(new), "already": len(already),
                        "amount": str(sum((r.amount for r in new), Decimal(0)))})  # fmt: skip
    _indicators_refresh(owner, {r.year for r in new}, user)
    return LedgerResult(ledger, len(new), [r.row for r in already], reading.skipped)


@dataclass
class PopulationsResult:
    year: int
    changed: list[tuple[str, object, int]]  # name, the population before (or None), after
    unchanged: list[str]
    missing: list[str]  # municipalities the table does not have
    stored: FundingFile | None  # the new version of the funding file, if anything changed
    renumbered: list[str]  # what to know of municipalities the table has under a new number


@transaction.atomic
def populations_import(
    *, owner: Organisation, raw: bytes, year: int | None = None, user: User | None = None
) -> PopulationsResult:
    """The populations of Statistics Norway's table 07459 (per 1 January of `year`, else of
    the latest year in the table) set as the population of the municipalities of the owner's
    funding file, marked as checked and with the table as their source, and their number
    (`code`) added where they were found by name. Stored as a new version of the funding
    file, which keeps its comments and layout; PopulationsRefused or DocumentInvalid, with
    nothing stored, otherwise."""
    stored = current_funding(owner)
    if stored is None:
        raise PopulationsRefused(_("%(owner)s has no funding file yet.") % {"owner": owner.name})
    regions = populations_read(raw)
    matches, missing, ambiguous, renumbered = parties_matched(stored.data["parties"], regions)
    if ambiguous:
        raise PopulationsRefused(_(
            "The table has more than one region named as %(names)s: give each its municipality "
            "number (code) in the funding file.") % {"names": ", ".join(ambiguous)})  # fmt: skip
    if not matches:
        raise PopulationsRefused(_(
            "None of the municipalities in the funding file is in the table, by number or by "
            "name."))  # fmt: skip
    if year is None:
        year = max(y for m in matches for y in m.region.people)
    found = [m for m in matches if year in m.region.people]
    if not found:
        raise PopulationsRefused(_(
            "The table has no population for %(year)s of any municipality in the funding file."
        ) % {"year": year})  # fmt: skip
    missing += [m.name for m in matches if year not in m.region.people]
    text, changed, unchanged = stored.source, [], []
    for match in found:
        party = stored.data["parties"][match.index]
        before = party.get("facts", {}).get("population")
        people = match.region.people[year]
        fact = {"value": people, "source": SOURCE % {"year": year},
                "date": f"{year}-01-01", "checked": True}  # fmt: skip
        after = _dated(before, fact)
        code = match.region.code or party.get("code")
        if after == before and party.get("code") == code:
            unchanged.append(match.name)
            continue
        text = yaml_value_set(text, ("parties", match.index, "facts", "population"), after)
        if code and party.get("code") != code:
            text = yaml_value_set(text, ("parties", match.index, "code"), code)
        earlier = fact_for(before, year)["value"] if before else None
        changed.append((match.name, earlier, people))
    new = None
    if changed:
        new, _created = funding_import(raw=text.encode(), user=user, owner_expected=owner,
                                       based_on=stored.pk)  # fmt: skip
    return PopulationsResult(year, changed, unchanged, missing, new, renumbered)


def _dated(before: dict | list | None, fact: dict) -> dict | list:
    """A party's fact with `fact` set for its date, and kept as it was for the other dates
    (a population per 1 January 2020 stays when 2021's is added): one fact, or a list of
    them by date. An undated fact is replaced: it cannot be placed among dated ones."""
    if before is None or (isinstance(before, dict) and before.get("date") in (None, fact["date"])):
        return fact
    facts = [before] if isinstance(before, dict) else before
    others = [f for f in facts if f["date"] != fact["date"]]
    return sorted([*others, fact], key=lambda f: f["date"])


@transaction.atomic
def ledger_withdraw(*, ledger: LedgerImport, user: User | None = None) -> int:
    """An imported accounting export taken back: its payments deleted (a wrong file, or the
    right file imported as the wrong kind), the plan figures written again; audited, with
    what it held. The number of payments taken back."""
    payments = Payment.objects.filter(ledger=ledger)
    years = set(payments.values_list("year", flat=True).distinct())
    total = payments.aggregate(total=Sum("amount_ore"))["total"] or 0
    count = payments.delete()[0]
    owner = ledger.owner
    audit_record(user=user, action="funding-ledger-withdraw", subject=f"funding/{owner.slug}",
                 organisation=owner,
                 before={"file": ledger.file_name, "kind": ledger.kind, "rows": count,
                         "amount": str(Decimal(total) / 100)})  # fmt: skip
    ledger.delete()
    _indicators_refresh(owner, years, user)
    return count


def funding_indicators_write(
    *, owner: Organisation, year: int, user: User | None = None
) -> dict[str, dict[str, Decimal]]:
    """The plan indicators the owner's funding file fills, written as the plans' figures for
    the year: for each organisation its parties name, their expected, invoiced or received
    amounts added up and rounded to whole kroner (half up) on the way into the plan. Returns
    the figures written, by indicator and organisation slug; all or nothing."""
    stored = current_funding(owner)
    if stored is None:
        return {}
    organisation_of = {p["slug"]: p.get("organisation") for p in stored.data["parties"]}
    rows = balances(owner, year)
    recorded = {
        kind: set(Payment.objects.filter(owner=owner, year=year, kind=kind)
                  .values_list("party", flat=True).distinct())
        for kind in (Payment.Kind.INVOICED, Payment.Kind.RECEIVED)
    }  # fmt: skip
    source = f"{FUNDING_SOURCE}{owner.slug}"
    written: dict[str, dict[str, Decimal]] = {}
    with transaction.atomic():
        for wanted in stored.data.get("indicators", []):
            plan = Plan.objects.filter(slug=wanted["plan"]).first()
            if plan is None:
                raise DocumentInvalid([Problem("indicators", _("There is no plan “%(plan)s”.")
                                               % {"plan": wanted["plan"]})])  # fmt: skip
            # Expected amounts are there for every party; what was invoiced or received only
            # where something is recorded: no payment yet is no figure, not a nought.
            sums: dict[str, Decimal] = {}
            for row in rows:
                slug = organisation_of.get(row.party)
                if slug and (wanted["figure"] == "expected"
                             or row.party in recorded[wanted["figure"]]):  # fmt: skip
                    sums[slug] = sums.get(slug, Decimal(0)) + getattr(row, wanted["figure"])
            organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=sums)}
            for slug, amount in sums.items():
                if slug not in organisations:
                    raise DocumentInvalid([Problem("parties", _(
                        "There is no organisation “%(slug)s”.") % {"slug": slug})])  # fmt: skip
                kroner = amount.quantize(Decimal(1), ROUND_HALF_UP)
                # The accounts' figure for the year takes the place of months typed in.
                observations_remove(plan=plan, indicator_slug=wanted["indicator"], year=year,
                                    organisations=[organisations[slug]], months_only=True,
                                    user=user)  # fmt: skip
                observations_save(
                    plan=plan, organisation=organisations[slug], year=year,
                    figures={wanted["indicator"]: (number_text(int(kroner)), "")},
                    source=source, user=user, force_source=True,
                )  # fmt: skip
                written.setdefault(wanted["indicator"], {})[slug] = kroner
            # What the funding wrote before, where nothing is recorded any more (an import
            # withdrawn), goes.
            gone = Organisation.objects.filter(pk__in=Observation.objects.filter(
                plan=plan, indicator_slug=wanted["indicator"], year=year, source=source,
            ).exclude(organisation__slug__in=sums).values("organisation"))  # fmt: skip
            observations_remove(plan=plan, indicator_slug=wanted["indicator"], year=year,
                                organisations=list(gone), source=source, user=user)  # fmt: skip
    return written


@transaction.atomic
def funding_publication_set(
    *, owner: Organisation, year: int, published: bool, user: User | None = None
) -> None:
    """Make a year of the owner's funding public, or take it down again; audited."""
    if published:
        _publication, created = FundingPublication.objects.get_or_create(
            owner=owner, year=year, defaults={"published_by": user})  # fmt: skip
    else:
        created = FundingPublication.objects.filter(owner=owner, year=year).delete()[0] > 0
    if created:
        audit_record(user=user, action="funding-publish" if published else "funding-unpublish",
                     subject=f"funding/{owner.slug}/{year}", organisation=owner,
                     after={"year": year})  # fmt: skip
