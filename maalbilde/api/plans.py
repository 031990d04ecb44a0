"""Reading plans: the plans a caller may see, a plan as its plan file, and its status — the
same rows and keys as `maalbilde status --format json`, as the pages show them to the caller
(a network's member sees its own figures and what the network released)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from maalbilde.api.auth import require_scope
from maalbilde.api.problems import Problem, problems
from maalbilde.organisations.models import ApiToken, Organisation
from maalbilde.organisations.permissions import can_view_plan_of
from maalbilde.plans.export import plan_document
from maalbilde.plans.models import Plan, PlanVersion
from maalbilde.plans.selectors import plans_visible_to
from maalbilde.reports.seen import figures_seen_by, sites_in_reach, statuses_shown

router = Router(tags=["plans"])


class PlanOut(Schema):
    slug: str
    title: str
    owner: str
    start_year: int
    end_year: int


def readable_plan(request: HttpRequest, slug: str, scope: str = ApiToken.Scope.READ) -> Plan:
    """The plan, if the caller may see it (another organisation's plan is not there) and
    the token has the scope."""
    require_scope(request, scope)
    plan = get_object_or_404(Plan.objects.select_related("owner", "current_version"), slug=slug)
    if not can_view_plan_of(request.user, plan.owner):
        raise Problem(404, _("Not found"))  # another organisation's plan is not there
    return plan


@router.get("/plans", response=list[PlanOut], summary="The plans the caller may see",
            openapi_extra=problems(403))  # fmt: skip
def plan_list(request: HttpRequest) -> list[dict[str, Any]]:
    require_scope(request, ApiToken.Scope.READ)
    return [
        {
            "slug": p.slug,
            "title": p.current_version.title,
            "owner": p.owner.slug,
            "start_year": p.current_version.start_year,
            "end_year": p.current_version.end_year,
        }
        for p in plans_visible_to(request.user).select_related("owner", "current_version")
    ]


@router.get("/plans/{slug}", response=dict[str, Any], summary="A plan as its plan file",
            openapi_extra=problems(403, 404))  # fmt: skip
def plan_file(request: HttpRequest, slug: str) -> dict[str, Any]:
    return plan_document(readable_plan(request, slug).current_version)


@router.get("/plans/{slug}/status", response=list[dict[str, Any]],
            summary="The status rows for a year, as the caller sees them",
            openapi_extra=problems(403, 404))  # fmt: skip
def plan_status_rows(
    request: HttpRequest, slug: str, year: int | None = None, organisation: str | None = None
) -> list[dict[str, Any]]:
    version = readable_plan(request, slug).current_version
    reach = figures_seen_by(request.user)
    rows = statuses_shown(version, year=plan_year(version, year),
                          site=site_seen(version, reach, organisation), reach=reach,
                          today=timezone.localdate())  # fmt: skip
    return [row.as_dict() for row in rows]


def plan_year(version: PlanVersion, year: int | None) -> int:
    """The year asked for (this year if none), refused (422) outside the plan's years."""
    year = year if year is not None else timezone.localdate().year
    if not version.start_year <= year <= version.end_year:
        raise Problem(422, _("No such year"), _("The plan runs %(first)s–%(last)s.") % {
            "first": version.start_year, "last": version.end_year})  # fmt: skip
    return year


def site_seen(version: PlanVersion, reach: set[str], slug: str | None) -> Organisation | None:
    """The organisation of the plan asked for, if the caller sees its figures (404 if not);
    None when none is asked for (the whole plan)."""
    if not slug:
        return None
    site = sites_in_reach(version, reach).filter(slug=slug).first()
    if site is None:
        raise Problem(404, _("Not found"), _("No organisation “%(slug)s” the caller sees in "
                                             "the plan.") % {"slug": slug[:80]})  # fmt: skip
    return site
