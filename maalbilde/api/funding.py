"""An owner's funding: the years published for anyone — who was to pay what by the agreements,
what was received and where the money went, as the public page shows it — and, for the
owner's editors, every year with what was invoiced too. Amounts in kroner."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from maalbilde.api.auth import require_scope
from maalbilde.api.problems import Problem, problems
from maalbilde.funding.files import notes_for
from maalbilde.funding.selectors import (
    allocation_for,
    balances,
    current_funding,
    funding_years,
    published_years,
    spent_by_recipient,
)
from maalbilde.organisations.models import ApiToken, Organisation, Role
from maalbilde.organisations.permissions import has_role

router = Router(tags=["funding"])


class FundingYearsOut(Schema):
    owner: str
    years: list[int] = Field(description="The years the caller may read.")
    published: list[int]


class PartyOut(Schema):
    party: str
    name: str
    kind: str
    expected: float
    received: float
    invoiced: float | None = Field(description="For the owner's editors only.")


class AllocatedOut(Schema):
    recipient: str
    name: str
    kind: str
    region: str
    amount: float
    spent: float | None
    pupils: float | None
    per_pupil: float | None


class FundingYearOut(Schema):
    owner: str
    year: int
    published: bool
    notes: list[str]
    parties: list[PartyOut]
    budget: float | None
    allocation: list[AllocatedOut]


def _readable_years(request: HttpRequest, slug: str) -> tuple[Organisation, list[int], bool]:
    """The owner, the years of its funding the caller may read (its editors every year, the
    rest the published ones), and whether the caller is one of its editors."""
    require_scope(request, ApiToken.Scope.READ)
    owner = Organisation.objects.filter(slug=slug).first()
    if owner is None:
        raise Problem(404, _("Not found"))
    stored = current_funding(owner)
    editor = stored is not None and has_role(request.user, owner, Role.EDITOR)
    years = funding_years(stored.data, owner) if editor and stored else published_years(owner)
    if not years and not editor:
        raise Problem(404, _("Not found"))
    return owner, sorted(years), editor


def _number(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount)


@router.get("/organisations/{slug}/funding", response=FundingYearsOut,
            summary="The years of an owner's funding the caller may read",
            openapi_extra=problems(403, 404))  # fmt: skip
def funding_year_list(request: HttpRequest, slug: str) -> dict[str, Any]:
    owner, years, _editor = _readable_years(request, slug)
    return {"owner": owner.slug, "years": years, "published": sorted(published_years(owner))}


@router.get("/organisations/{slug}/funding/{year}", response=FundingYearOut,
            summary="An owner's funding for a year: money in and where it went",
            openapi_extra=problems(403, 404))  # fmt: skip
def funding_year(request: HttpRequest, slug: str, year: int) -> dict[str, Any]:
    owner, years, editor = _readable_years(request, slug)
    if year not in years:
        raise Problem(404, _("Not found"))
    stored = current_funding(owner)
    allocation, _unknown = allocation_for(owner, year)
    spent = spent_by_recipient(owner, year)
    return {
        "owner": owner.slug, "year": year, "published": year in published_years(owner),
        "notes": notes_for(stored.data, year) if stored else [],
        "parties": [{"party": b.party, "name": b.name, "kind": b.kind,
                     "expected": float(b.expected), "received": float(b.received),
                     "invoiced": float(b.invoiced) if editor else None}
                    for b in balances(owner, year)],
        "budget": _number(allocation.budget) if allocation else None,
        "allocation": [{"recipient": r.recipient, "name": r.name, "kind": r.kind,
                        "region": r.region, "amount": float(r.amount),
                        "spent": _number(spent.get(r.recipient)), "pupils": _number(r.units),
                        "per_pupil": _number(r.per_unit)}
                       for r in (allocation.rows if allocation else [])],
    }  # fmt: skip
