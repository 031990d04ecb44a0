"""Writing funding: a funding file imported for its owner, audited; an unchanged file is
left as it is."""

from __future__ import annotations

import datetime
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from maalbilde.funding.files import parse_funding_file
from maalbilde.funding.models import FundingFile, FundingPublication, Payment
from maalbilde.funding.selectors import balances, current_funding
from maalbilde.lib.documents import DocumentInvalid, Problem
from maalbilde.lib.norwegian import number_text, parse_amount
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation
from maalbilde.plans.models import Plan
from maalbilde.plans.observations import observations_save


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


class PaymentRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def payment_record(
    *, owner: Organisation, party: str, year: int, kind: str, amount: str,
    date: datetime.date, reference: str = "", user: User | None = None,
) -> Payment:  # fmt: skip
    """An invoice or a payment of a party of the owner's funding file, for a year; the amount
    as a person writes it (80 000, 1 234,50). Audited."""
    stored = current_funding(owner)
    parties = {p["slug"]: p for p in stored.data["parties"]} if stored else {}
    if party not in parties:
        raise PaymentRefused(_("“%(party)s” is not a party of %(owner)s's funding file.")
                             % {"party": party, "owner": owner.name})  # fmt: skip
    if kind not in Payment.Kind.values:
        raise PaymentRefused(_("Say whether the amount was invoiced or received."))
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
    return payment


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
    written: dict[str, dict[str, Decimal]] = {}
    with transaction.atomic():
        for wanted in stored.data.get("indicators", []):
            plan = Plan.objects.filter(slug=wanted["plan"]).first()
            if plan is None:
                raise DocumentInvalid([Problem("indicators", _("There is no plan “%(plan)s”.")
                                               % {"plan": wanted["plan"]})])  # fmt: skip
            sums: dict[str, Decimal] = {}
            for row in rows:
                slug = organisation_of.get(row.party)
                if slug:
                    sums[slug] = sums.get(slug, Decimal(0)) + getattr(row, wanted["figure"])
            organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=sums)}
            for slug, amount in sums.items():
                if slug not in organisations:
                    raise DocumentInvalid([Problem("parties", _(
                        "There is no organisation “%(slug)s”.") % {"slug": slug})])  # fmt: skip
                kroner = amount.quantize(Decimal(1), ROUND_HALF_UP)
                observations_save(
                    plan=plan, organisation=organisations[slug], year=year,
                    figures={wanted["indicator"]: (number_text(int(kroner)), "")},
                    source=f"funding/{owner.slug}", user=user, force_source=True,
                )  # fmt: skip
                written.setdefault(wanted["indicator"], {})[slug] = kroner
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
