import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maalbilde.data.models import Batch, Dataset
from maalbilde.data.services import while_figures_stand
from maalbilde.funding.models import FundingPublication
from maalbilde.lib.spreadsheets import rows_csv, xlsx_bytes
from maalbilde.networks.models import Round
from maalbilde.networks.selectors import rounds_to_do
from maalbilde.organisations.models import AuditEntry, Organisation, Role
from maalbilde.organisations.permissions import (
    can_view_plan_of,
    has_role,
    organisations_with_role,
    role_in,
)
from maalbilde.plans.engine import (
    Engine,
    figures_changed_at,
    first_month,
    is_additive,
)
from maalbilde.plans.models import (
    Indicator,
    Observation,
    Plan,
    PlanVersion,
    Publication,
    Target,
)
from maalbilde.plans.observations import ObservationRefused, observation_save
from maalbilde.plans.selectors import (
    plan_organisations,
    plan_version,
    plans_visible_to,
    published_plans,
    version_with_tree,
)
from maalbilde.plans.services import publication_set
from maalbilde.plans.status import (
    format_value,
    period_bounds,
    period_label,
    plan_status_cached,
    running_year,
    status_counts,
    status_table,
)
from maalbilde.reports.charts import ChartSpec, Series, indicator_charts
from maalbilde.reports.seen import figures_seen_by, sites_in_reach, statuses_shown, visible
from maalbilde.web.confirm import ask_first, confirmed
from maalbilde.web.forms import ObservationForm


def query_number(text: str | None) -> int | None:
    """A whole number from a query (a year, a version), or None; never a number so long
    that reading it is work."""
    return int(text) if text and len(text) <= 9 and text.isascii() and text.isdigit() else None


def year_asked(request: HttpRequest, version: PlanVersion, data: Any = None) -> int:
    """The year a page is asked for (`?year=`, or in a form's `data`; default this year),
    inside the plan's years."""
    asked = query_number((request.GET if data is None else data).get("year"))
    asked = asked or timezone.localdate().year
    return min(max(asked, version.start_year), version.end_year)


def figures_reach(request: HttpRequest) -> set[str]:
    """The slugs of the organisations whose figures the user may see: those they have a role
    in and everything below, but inside a network only a member's own and, for the
    secretariat, all (`figures_in_reach`). A member of one site does not see another's."""
    return figures_seen_by(request.user)


def _figures_withheld(request: HttpRequest, sites: Iterable[Organisation], reach: set[str]) -> bool:
    """Whether organisations of the plan (`sites`) that the user has a role in or above show
    no figures to them: members of a network, seen only by themselves and the secretariat."""
    return any(o.slug not in reach and role_in(request.user, o) is not None for o in sites)


def _reach_key(reach: set[str]) -> str:
    """The organisations a person sees, as a short part of a cache key."""
    return hashlib.sha256(" ".join(sorted(reach)).encode()).hexdigest()


@login_not_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The start page: the reporting rounds with something to do first, by deadline, then
    the plans with their status; for a visitor not logged in, the front door."""
    if not request.user.is_authenticated:
        return public_index(request)
    year = timezone.localdate().year
    reach = figures_reach(request)
    plans = [
        (plan, status_counts(visible(plan_status_cached(plan.current_version, year=year), reach)))
        for plan in plans_visible_to(request.user)
    ]
    return render(request, "web/plan_list.html", {
        "plans": plans, "year": year, "rounds": rounds_to_do(request.user)})  # fmt: skip


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    version = plan_version(plan, query_number(request.GET.get("version")))
    if version is None:
        raise Http404
    year = year_asked(request, version)
    sites = list(plan_organisations(version))
    reach = figures_reach(request)
    choices = _in_tree_order(list(sites_in_reach(version, reach)), version.owner)
    asked = request.GET.get("organisation") or None
    site = next((o for o in choices if o.slug == asked), None)
    if asked and site is None:
        messages.warning(request, _("“%(organisation)s” is not one of this plan's "
                                    "organisations whose figures you may see. Shown: all the "
                                    "figures you may see.") % {"organisation": asked})  # fmt: skip
    counts, body = plan_body(plan, version, year=year, site=site, reach=reach)
    return render(
        request,
        "web/plan_detail.html",
        {
            "plan": plan,
            "version": version,
            # Versions are numbered from 1: a plan at version 1 has no other to choose.
            "versions": plan.versions.order_by("-number") if plan.current.number > 1 else [],
            "is_current": version.pk == plan.current_version_id,
            "year": year,
            "sites": choices,
            "site": site,
            "counts": counts,
            "body": body,
            "may_publish": has_role(request.user, plan.owner, Role.ADMINISTRATOR),
            "may_edit": has_role(request.user, plan.owner, Role.EDITOR),
            "published_years": set(plan.publications.values_list("year", flat=True)),
            "figures_withheld": _figures_withheld(request, sites, reach),
        },
    )


def _in_tree_order(organisations: list[Organisation], owner: Organisation) -> list[Organisation]:
    """Organisations as a tree for a menu: each under its parent, by name, indented by its
    depth below the owner."""
    names = {o.slug: o.name.casefold() for o in organisations}

    def key(organisation: Organisation) -> tuple[str, ...]:
        return tuple(names.get(slug, slug) for slug in organisation.path.strip("/").split("/"))

    depth = owner.path.count("/")
    for organisation in organisations:
        organisation.indent = "\u00a0\u00a0\u00a0" * (organisation.path.count("/") - depth - 1)
    return sorted(organisations, key=key)


def plan_body(
    plan: Plan,
    version: PlanVersion,
    *,
    year: int,
    site: Organisation | None = None,
    reach: set[str] | None = None,
    today: datetime.date | None = None,
    published: Publication | None = None,
) -> tuple[dict[str, int], str]:
    """The counts of verdicts and the plan's texts and tree with the status of each target,
    rendered; kept in the cache until the figures change. Only targets of organisations in
    `reach` are judged; without a reach (the public page) all are, without links. A
    publication's rows stand in for the live ones, with a note where a figure has changed."""
    today = today or timezone.localdate()
    reach_key = "public" if reach is None else _reach_key(reach)

    def render_body() -> tuple[dict[str, int], str]:
        statuses = statuses_shown(version, year=year, site=site, reach=reach, today=today,
                                  published=published)  # fmt: skip
        body = render_to_string("web/plan_body.html", {
            "plan": plan, "version": version_with_tree(version), "public": reach is None,
            "year": year,
            "status_by_target": {s.target_id: s for s in statuses if s.target_id},
            "figure_by_indicator": {s.key: s for s in statuses
                                    if not s.target_id and s.level == "indicator"},
            "row_by_indicator": {s.indicator: s for s in statuses
                                 if s.level == "indicator" and s.measure is None},
            "goal_status": {s.goal: s for s in statuses if s.level == "goal"},
        })  # fmt: skip
        return status_counts(statuses), body

    shown = f"{published.pk}@{published.published_at.isoformat()}" if published else ""
    parts = ("plan-body", version.pk, year, site.pk if site else "", today, reach_key, shown)
    return while_figures_stand(parts, render_body)


def plan_status_export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The plan page's status rows for a year, as a table to hand on: the same rows, the
    same verdicts and words."""
    if kind not in ("csv", "xlsx"):
        raise Http404
    plan = viewable_plan(request, slug)
    version = plan.current
    year = year_asked(request, version)
    reach = figures_reach(request)
    site = sites_in_reach(version, reach).filter(slug=request.GET.get("organisation") or "")
    rows = statuses_shown(version, year=year, site=site.first(), reach=reach,
                          today=timezone.localdate())  # fmt: skip
    header, table = status_table(rows, version)
    if kind == "xlsx":
        content = xlsx_bytes(header, table, sheet=f"Status {year}")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, content_type = rows_csv(header, table), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-status-{year}.{kind}"'
    return response


@require_POST
def plan_publish(request: HttpRequest, slug: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    if not has_role(request.user, plan.owner, Role.ADMINISTRATOR):
        raise PermissionDenied
    year = query_number(request.POST.get("year"))
    if year is None or year not in plan.current_version.years:
        raise Http404
    action = request.POST.get("action")
    publish = action in ("publish", "republish")
    if not confirmed(request):
        return ask_first(request, **_publication_question(request, plan, year, action))
    publication_set(plan=plan, year=year, published=publish, user=request.user,
                    refresh=action == "republish")  # fmt: skip
    if action == "republish":
        messages.success(request, _("The public page shows today's figures for %(year)s.")
                         % {"year": year})  # fmt: skip
    elif publish:
        messages.success(request, _("The figures for %(year)s are public.") % {"year": year})
    else:
        messages.success(
            request, _("The figures for %(year)s are no longer public.") % {"year": year}
        )
    return redirect(f"{request.path.rsplit('publish/', 1)[0]}?year={year}")


def _publication_question(
    request: HttpRequest, plan: Plan, year: int, action: str | None
) -> dict[str, Any]:
    page = (
        request.build_absolute_uri(reverse("web:plan-public", args=[plan.slug])) + f"?year={year}"
    )
    back = f"{request.path.rsplit('publish/', 1)[0]}?year={year}"
    words = {"year": year, "page": page}
    if action == "publish":
        targets = Target.objects.filter(indicator__version=plan.current_version).count()
        return {"title": _("Publish the figures for %(year)s?") % words, "back": back,
                "button": _("Publish the figures for %(year)s") % words, "consequences": [
                    _("Anyone, without logging in, sees the plan and its figures for %(year)s "
                      "at %(page)s, as they stand now: %(targets)s targets with their verdicts.")
                    % {**words, "targets": targets},
                    _("Later changes to the figures are shown when you show today's figures "
                      "again. To undo, take the figures off the public page."),
                ]}  # fmt: skip
    if action == "republish":
        return {"title": _("Show today's figures for %(year)s?") % words, "back": back,
                "button": _("Show today's figures") % words, "consequences": [
                    _("The public page %(page)s shows the figures for %(year)s as they stand "
                      "now, in place of those published before.") % words]}  # fmt: skip
    return {"title": _("Take the figures for %(year)s off the public page?") % words,
            "back": back, "button": _("Take them off") % words, "consequences": [
                _("Nobody without a login sees the figures for %(year)s at %(page)s any "
                  "more. They can be published again.") % words]}  # fmt: skip


@login_not_required
def public_index(request: HttpRequest) -> HttpResponse:
    """What anyone may read without logging in: the published plans, the networks' open
    data and published funding; and the way to log in."""
    return render(request, "web/public_index.html", {
        "plans": published_plans(),
        "rounds": Round.objects.filter(open_data=True).select_related("network")
        .order_by("-year", "title"),
        "fundings": FundingPublication.objects.select_related("owner")
        .order_by("owner__name", "-year"),
    })  # fmt: skip


@login_not_required
def plan_public(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan and the years of figures an administrator has published; nothing else."""
    plan = get_object_or_404(Plan.objects.select_related("current_version__owner"), slug=slug)
    years = list(Publication.objects.filter(plan=plan).values_list("year", flat=True))
    if not years:
        raise Http404
    asked = query_number(request.GET.get("year"))
    year = asked if asked in years else years[0]
    published = Publication.objects.select_related("version").get(plan=plan, year=year)
    version = published.version or plan_version(plan, None)
    # The figures as published, judged as the plan page judged the year then; if the version
    # they were published with is gone, the live ones of the version in force.
    kept = published if published.version is not None else None
    counts, body = plan_body(plan, version, year=year, published=kept)
    return render(
        request,
        "web/plan_public.html",
        {"plan": plan, "version": version, "year": year, "years": years, "counts": counts,
         "body": body, "not_published": asked if asked is not None and asked != year else None},
    )  # fmt: skip


def viewable_plan(request: HttpRequest, slug: str) -> Plan:
    plans = Plan.objects.select_related("owner", "current_version__owner")
    plan = get_object_or_404(plans, slug=slug)
    if not can_view_plan_of(request.user, plan.owner):
        raise PermissionDenied
    return plan


def indicator_detail(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    version = plan.current
    item = get_object_or_404(
        version.indicators.select_related("focus_area", "goal"), slug=indicator
    )
    item.version = version
    tree = list(plan_organisations(version))
    reach = figures_reach(request)
    # Figures are typed in for organisations whose figures the user sees, and only those.
    may_enter = organisations_with_role(
        request.user, [o for o in tree if o.slug in reach], Role.REPORTER
    )
    form = None
    # A qualitative indicator is assessed in words (its assessments page), not typed in.
    typed_in = not item.metric and not item.formula and item.unit != Indicator.Unit.QUALITATIVE
    if typed_in and may_enter:
        choices = [(o.slug, o.name) for o in may_enter]
        form = ObservationForm(request.POST or None, organisations=choices,
                               initial={"year": year_asked(request, version)})  # fmt: skip
        if request.method == "POST" and form.is_valid():
            try:
                observation_save(
                    plan=plan,
                    indicator_slug=item.slug,
                    organisation=next(
                        o for o in may_enter if o.slug == form.cleaned_data["organisation"]
                    ),
                    year=form.cleaned_data["year"],
                    month=form.cleaned_data["month"],
                    text=form.cleaned_data["value"],
                    comment=form.cleaned_data["comment"],
                    user=request.user,
                )
            except ObservationRefused as refused:
                form.add_error("value", str(refused))
            else:
                messages.success(request, _("The figure is stored."))
                return redirect(request.path)
    elif request.method == "POST":
        raise PermissionDenied

    year = year_asked(request, version)
    figures = indicator_figures(plan, version, item, reach, year)
    return render(
        request,
        "web/indicator_detail.html",
        {
            "plan": plan,
            "version": version,
            "year": year,
            "indicator": item,
            "form": form,
            "figures": figures,
            "figures_withheld": _figures_withheld(request, tree, reach),
        },
    )


def indicator_figures(
    plan: Plan, version: PlanVersion, item: Indicator, reach: set[str], year: int
) -> dict[str, Any]:
    """The indicator's targets with their status for `year`, its charts, the typed-in
    figures, the files and the register behind it and its history, for the organisations in
    `reach`: rendered, and kept in the cache until the figures change."""
    today = timezone.localdate()

    def render_figures() -> dict[str, Any]:
        targets = [t for t in item.targets.select_related("organisation")
                   if t.organisation.slug in reach]  # fmt: skip
        organisations = list(dict.fromkeys([t.organisation for t in targets]))
        if not organisations and version.owner.slug in reach:
            organisations = [version.owner]
        engine = Engine.for_version(version)
        measures = [item, *item.other_measures.all()]
        statuses = plan_status_cached(version, year=year, today=today)
        # The register or files behind its figures: its own, or its first other measure's.
        counted = next((m for m in measures if m.metric), item)
        source = Dataset.objects.filter(slug=(counted.metric or {}).get("dataset")).first()
        batches = Batch.objects.none()
        if source and not source.register:
            batches = Batch.objects.filter(dataset=source, organisation__slug__in=reach)
        context = {
            "plan": plan,
            "indicator": item,
            "targets": targets,
            "status_by_target": {s.target_id: s for s in visible(statuses, reach)
                                 if s.target_id},
            # The indicator's charts, then those of its other measures; a qualitative one
            # has words, not a number to draw.
            "charts": [chart for measure in measures if measure.unit != Indicator.Unit.QUALITATIVE
                       for chart in indicator_charts(engine, measure, organisations, reach,
                                                     version, today)],
            "last_changed": _last_changed(measures, organisations, year, today),
            "month_charts": [chart for measure in measures if measure.metric
                             for chart in _month_charts(engine, measure, organisations, year,
                                                        today)],
            "observations": [
                _with_period(o, item) for o in Observation.objects.filter(
                    plan=plan, indicator_slug=item.slug, organisation__slug__in=reach
                ).select_related("organisation", "entered_by")
            ],
            "batches": batches.select_related("organisation"),
            "register": source if source and source.register else None,
            # Changes to typed-in figures are recorded as "plan/indicator/organisation/…".
            "history": AuditEntry.objects.filter(
                action="observation", subject__startswith=f"{plan.slug}/{item.slug}/",
                organisation__slug__in=reach,
            ).select_related("user")[:50],
        }  # fmt: skip
        return {
            "register": bool(context["register"]),
            "before": render_to_string("web/indicator_figures.html", {**context, "part": 1}),
            "after": render_to_string("web/indicator_figures.html", {**context, "part": 2}),
        }

    parts = ("indicator", item.pk, year, today, _reach_key(reach))
    return while_figures_stand(parts, render_figures)


def _with_period(observation: Observation, item: Indicator) -> Observation:
    """A typed-in figure with its period as the indicator counts it: a whole school year is
    2025/26, a month 2025-10."""
    month = observation.month
    observation.period = (
        f"{observation.year}-{month:02d}" if month else period_label(item, observation.year)
    )
    return observation


def _last_changed(measures: list[Indicator], organisations: list[Organisation], year: int,
                  today: datetime.date) -> dict[str, Any] | None:  # fmt: skip
    """For a year that is over, when the figures of an indicator's measures last changed
    (late data, a correction)."""
    start, end = period_bounds(measures[0], year)
    if end > today:
        return None
    found = [figures_changed_at(m, organisations, start, end) for m in measures]
    at = max((t for t in found if t is not None), default=None)
    return {"period": period_label(measures[0], year), "at": at} if at else None


def _month_charts(engine: Engine, item: Indicator, organisations: list[Organisation],
                  year: int, today: datetime.date) -> list[dict[str, Any]]:  # fmt: skip
    """The year's months against the year before's, and, for counts and sums while the year
    runs, the year so far against the same months the year before."""
    monthly = engine.series(item.slug, organisations, year - 1, year, "month")
    # The months in the order the indicator's year runs (a school year from August).
    begins = first_month(item)
    order = [(begins + i - 1) % 12 + 1 for i in range(12)]
    charts = []
    for organisation in organisations:
        now = [monthly.get((organisation.pk, year, m)) for m in order]
        before = [monthly.get((organisation.pk, year - 1, m)) for m in order]
        if not any(v is not None for v in [*now, *before]):
            continue
        names = [formats.date_format(datetime.date(year, m, 1), "b") for m in order]
        this_label, last_label = period_label(item, year), period_label(item, year - 1)
        chart = ChartSpec(
            title=_("%(indicator)s, %(organisation)s, month by month") % {
                "indicator": item.name.rstrip("."), "organisation": organisation.name},
            description=_("Bars: %(year)s. Line: %(before)s.") % {"year": this_label,
                                                                   "before": last_label},
            labels=names,
            series=[Series(this_label, now, "bar"), Series(last_label, before, "line")],
            unit=item.unit,
        )  # fmt: skip
        rows = [{"year": name, "actual": format_value(a, item.unit),
                 "target": format_value(b, item.unit)}
                for name, a, b in zip(names, now, before, strict=True)]  # fmt: skip
        so_far = None
        months = max((i + 1 for i in range(12) if now[i] is not None), default=0)
        if is_additive(item) and months and year == running_year(item, today):
            this, last = sum(v or 0 for v in now[:months]), sum(v or 0 for v in before[:months])
            words = {
                "months": f"{names[0]}–{names[months - 1]}",
                "now": format_value(this, item.unit),
                "before": format_value(last, item.unit),
                "year": this_label,
            }
            so_far = _("So far in %(year)s (%(months)s): %(now)s, against %(before)s in the same "
                       "months last year.") % words  # fmt: skip
            if last:
                so_far += " " + _("A change of %(change)s.") % {
                    "change": format_value((this / last - 1) * 100, "percent")}  # fmt: skip
        charts.append(
            {
                "spec": chart,
                "geometry": chart.geometry(),
                "rows": rows,
                "columns": (_("Month"), this_label, last_label),
                "so_far": so_far,
            }
        )
    return charts


def initiatives(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's initiatives and milestones with owner, due date and status; overdue ones
    are flagged in words."""
    plan = viewable_plan(request, slug)
    items = plan.current_version.initiatives.select_related("goal__focus_area", "organisation")
    items = items.order_by("due", "goal__focus_area__position", "position")
    today = timezone.localdate()
    rows = [
        {
            "item": item,
            "overdue": bool(
                item.due and item.due < today and item.status in ("planned", "in_progress")
            ),
        }
        for item in items
    ]
    return render(request, "web/initiatives.html", {
        "plan": plan, "rows": rows, "today": today,
        "may_edit": has_role(request.user, plan.owner, Role.EDITOR),
    })  # fmt: skip
