from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from maalbilde.data.status import plan_status, status_counts
from maalbilde.organisations.models import Organisation
from maalbilde.organisations.permissions import can_view_plan_of
from maalbilde.plans.models import Plan
from maalbilde.plans.selectors import plan_version_for_page, plans_visible_to


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def plan_list(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    plans = [
        (plan, status_counts(plan_status(plan.current_version, year=year)))
        for plan in plans_visible_to(request.user)
    ]
    return render(request, "web/plan_list.html", {"plans": plans, "year": year})


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("owner"), slug=slug)
    if not can_view_plan_of(request.user, plan.owner):
        raise PermissionDenied
    version = plan_version_for_page(plan, _number(request.GET.get("version")))
    if version is None:
        raise Http404
    year = _number(request.GET.get("year")) or timezone.localdate().year
    year = min(max(year, version.start_year), version.end_year)
    sites = Organisation.objects.filter(slug__in=[o["slug"] for o in version.organisations])
    site = sites.filter(slug=request.GET.get("organisation") or "").first()
    statuses = plan_status(version, year=year, organisation=site)
    return render(
        request,
        "web/plan_detail.html",
        {
            "plan": plan,
            "version": version,
            "versions": plan.versions.order_by("-number"),
            "is_current": version.pk == plan.current_version_id,
            "year": year,
            "sites": sites.filter(path__startswith=version.owner.path),
            "site": site,
            "status_by_target": {s.target_id: s for s in statuses},
            "counts": status_counts(statuses),
        },
    )
