"""A plan's reports as files — the board report as PDF or Word, the figures as Excel — made
as the reports page makes them, with only the figures the caller sees (for one of the
plan's organisations if one is asked for)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from maalbilde.api.plans import plan_year, readable_plan, site_seen
from maalbilde.api.problems import Problem, problems
from maalbilde.reports.build import report_for
from maalbilde.reports.files import report_names, shipped_reports
from maalbilde.reports.render import FORMATS, report_bytes
from maalbilde.reports.seen import figures_seen_by

router = Router(tags=["reports"])

FILE_FORMATS = ("pdf", "docx", "xlsx", "html")


class ReportOut(Schema):
    slug: str
    name: str
    formats: list[str]


A_FILE = {200: {
    "description": "The report as a file",
    "content": {FORMATS[fmt].split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for fmt in FILE_FORMATS},
}}  # fmt: skip


@router.get("/plans/{slug}/reports", response=list[ReportOut], summary="A plan's reports",
            openapi_extra=problems(403, 404))  # fmt: skip
def report_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    readable_plan(request, slug)
    return [{"slug": kind, "name": name, "formats": list(FILE_FORMATS)}
            for kind, name in report_names().items()]  # fmt: skip


@router.get("/plans/{slug}/reports/{kind}", summary="A report of a plan for a year, as a file",
            openapi_extra={"responses": {**A_FILE,
                                         **problems(403, 404)["responses"]}})  # fmt: skip
def report_file(
    request: HttpRequest, slug: str, kind: str, year: int | None = None,
    organisation: str | None = None,
    file_format: Literal["pdf", "docx", "xlsx", "html"] = Query("pdf", alias="format"),
) -> HttpResponse:  # fmt: skip
    plan = readable_plan(request, slug)
    spec = shipped_reports().get(kind)
    if spec is None:
        raise Problem(
            404, _("Not found"), _("There is no report “%(kind)s”.") % {"kind": kind[:80]}
        )
    version = plan.current_version
    year = plan_year(version, year)
    site = site_seen(version, figures_seen_by(request.user), organisation)
    report = report_for(request.user, spec, plan, year=year, organisation=site.slug if site else "",
                        today=timezone.localdate())  # fmt: skip
    response = HttpResponse(report_bytes(report, file_format), content_type=FORMATS[file_format])
    name = f"{plan.slug}-{spec['slug']}-{year}{'-' + site.slug if site else ''}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
