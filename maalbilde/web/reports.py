"""Reports in the browser: a plan's reports page (choose the report, the year and the
organisation), the report as a page, and the same report as PDF, DOCX or XLSX. Everyone who
sees the plan may make its reports, each with only the figures they may see (the rows the
plan page shows them)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from maalbilde.plans.models import Plan
from maalbilde.reports.build import Report, report_build
from maalbilde.reports.files import shipped_reports
from maalbilde.reports.render import FORMATS, report_bytes, report_html
from maalbilde.web.views import (
    _sites_in_reach,
    figures_reach,
    statuses_shown,
    viewable_plan,
    year_asked,
)


def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    version = plan.current
    reach = figures_reach(request)
    return render(request, "web/report_list.html", {
        "plan": plan, "reports": shipped_reports().values(), "year": year_asked(request, version),
        "years": version.years, "formats": [f for f in FORMATS if f != "html"],
        "sites": _sites_in_reach(version, reach),
    })  # fmt: skip


def report_view(request: HttpRequest, slug: str, kind: str, fmt: str = "html") -> HttpResponse:
    """The report as a page (`html`) or a file to download."""
    plan = viewable_plan(request, slug)
    spec = shipped_reports().get(kind)
    if spec is None or fmt not in FORMATS:
        raise Http404
    report = _report(request, plan, spec)
    if fmt == "html":
        back = reverse("web:reports", args=[plan.slug]) + f"?year={report.year}"
        content = report_html(report, back=back).encode("utf-8")
    else:
        content = report_bytes(report, fmt)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    if fmt != "html":
        name = f"{plan.slug}-{spec['slug']}-{report.year}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report(request: HttpRequest, plan: Plan, spec: dict) -> Report:
    version = plan.current
    year = year_asked(request, version)
    reach = figures_reach(request)
    site = _sites_in_reach(version, reach).filter(slug=request.GET.get("organisation") or "")
    within = site.first()
    today = timezone.localdate()
    rows = statuses_shown(version, year=year, site=within, reach=reach, today=today)
    return report_build(spec, version, year=year, rows=rows, organisation=within, today=today,
                        sources_of=reach)  # fmt: skip
