"""A report's content, built once for every format: the plan's tree for the year with each
target's status — the rows `plan_status` gives, the same verdicts as every page and
`maalbilde status` — its deviations with their comments, the verdicts counted, the
initiatives and the data the figures come from. Who may see which rows is the caller's to
decide (the pages pass only the rows a person may see)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from maalbilde.data.models import Batch
from maalbilde.funding.selectors import current_funding, funding_table
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import has_role
from maalbilde.plans.engine import Engine
from maalbilde.plans.models import Indicator, Plan, PlanVersion
from maalbilde.plans.selectors import version_with_tree
from maalbilde.plans.status import VERDICT_WORDS, TargetStatus, format_value, status_counts
from maalbilde.reports.charts import indicator_charts
from maalbilde.reports.files import DEVIATIONS
from maalbilde.reports.seen import figures_seen_by, sites_in_reach, statuses_shown


@dataclass(frozen=True)
class Table:
    """A table as every format writes it: the first cell of each row heads the row; cells
    are texts, or numbers (kroner as Decimal) that a spreadsheet keeps as numbers."""

    caption: str
    header: list[str]
    rows: list[list[Any]]

    def texts(self) -> list[list[str]]:
        """The cells as a page or a Word document prints them."""
        return [[_cell_text(cell) for cell in row] for row in self.rows]


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format_value(float(cell), "nok")
    if isinstance(cell, int | float):
        return format_value(cell, "count")
    return str(cell)


@dataclass(frozen=True)
class Figure:
    """One status row as a report prints it."""

    row: TargetStatus

    @property
    def actual(self) -> str:
        return format_value(self.row.actual, self.row.unit, growth=self.growth)

    @property
    def target(self) -> str:
        return format_value(self.row.target, self.row.unit, growth=self.growth)

    @property
    def verdict(self) -> str:
        return str(VERDICT_WORDS.get(self.row.verdict or "", "–"))

    @property
    def growth(self) -> bool:
        return self.row.comparator == "growth_at_least"


@dataclass
class IndicatorPart:
    slug: str
    name: str
    description: str
    figures: list[Figure]
    charts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GoalPart:
    slug: str
    title: str
    status: Figure | None
    indicators: list[IndicatorPart]
    initiatives: list[dict[str, Any]]


@dataclass
class FocusAreaPart:
    slug: str
    number: str
    title: str
    description: str
    goals: list[GoalPart]
    indicators: list[IndicatorPart]


@dataclass
class Source:
    dataset: str
    organisation: str
    files: int
    rows: int
    latest: datetime.datetime | None


@dataclass
class Report:
    slug: str
    title: str
    plan: str
    plan_title: str
    owner: str
    organisation: str
    year: int
    made: datetime.date
    sections: list[str]
    counts: dict[str, int]
    deviations: list[Figure]
    focus_areas: list[FocusAreaPart]
    sources: list[Source] = field(default_factory=list)
    funding: Table | None = None

    @property
    def verdict_counts(self) -> list[tuple[str, str, int]]:
        """The verdicts in their order, each with its words and count."""
        return [(key, str(VERDICT_WORDS[key]), count) for key, count in self.counts.items()]

    @property
    def initiatives(self) -> list[tuple[str, dict[str, Any]]]:
        return [(g.title, i) for a in self.focus_areas for g in a.goals for i in g.initiatives]

    def placed_figures(self) -> list[tuple[FocusAreaPart, GoalPart | None, Figure]]:
        """Every figure of the focus areas with its area and goal (None: the area's own
        indicators), in the plan's order."""
        return [(area, goal, figure) for area in self.focus_areas
                for goal, parts in [*((g, g.indicators) for g in area.goals),
                                    (None, area.indicators)]
                for part in parts for figure in part.figures]  # fmt: skip

    @property
    def chart_count(self) -> int:
        return sum(len(part.charts) for area in self.focus_areas for part in
                   [*(i for g in area.goals for i in g.indicators), *area.indicators])  # fmt: skip

    def indicator_names(self) -> Iterable[str]:
        for area in self.focus_areas:
            for part in [*(i for g in area.goals for i in g.indicators), *area.indicators]:
                yield part.name


def report_build(
    spec: dict[str, Any], version: PlanVersion, *, year: int, rows: list[TargetStatus],
    organisation: Organisation | None = None, today: datetime.date,
    sources_of: Iterable[str] | None = None, funding: bool = False,
) -> Report:  # fmt: skip
    """The report `spec` declares for the plan version's year, from the status `rows`;
    `sources_of` limits the appendix of data to those organisations' files (slugs); the
    owner's money for the year only with `funding` (for those who may see it)."""
    tree = version_with_tree(version)
    by_indicator: dict[str, list[TargetStatus]] = {}
    for row in rows:
        if row.level == "indicator" and row.indicator:
            by_indicator.setdefault(row.indicator, []).append(row)
    goals = {row.goal: row for row in rows if row.level == "goal"}

    engine = Engine.for_version(version)
    charted = {o.slug: o for o in Organisation.objects.filter(
        slug__in={r.organisation for r in rows})}  # fmt: skip
    reach = set(charted) if sources_of is None else set(charted) & set(sources_of)

    def indicators(found: Iterable[Any]) -> list[IndicatorPart]:
        parts = []
        for item in found:
            figures = [Figure(r) for r in by_indicator.get(item.slug, [])]
            # Drawn only for the organisations whose figures the reader sees themselves (a
            # network's total that a member sees as released is not drawn from live figures).
            shown = sorted({charted[f.row.organisation] for f in figures
                            if f.row.organisation in reach}, key=lambda o: o.path)  # fmt: skip
            charts = indicator_charts(engine, item, shown, reach, version, today) if (
                shown and item.unit != Indicator.Unit.QUALITATIVE) else []  # fmt: skip
            charts = [c for c in charts if any(v is not None for s in c["spec"].series
                                               if s.kind == "bar" for v in s.values)]  # fmt: skip
            for number, chart in enumerate(charts, start=1):
                chart["number"] = f"{item.slug}-{number}"  # an id, once in the document
            parts.append(IndicatorPart(item.slug, item.name, item.description, figures, charts))
        return parts

    areas = [
        FocusAreaPart(
            area.slug, area.number, area.title, area.description,
            [GoalPart(goal.slug, goal.title,
                      Figure(goals[goal.slug]) if goal.slug in goals else None,
                      indicators(goal.indicators.all()),
                      [{"title": i.title, "kind": i.get_kind_display(),
                        "status": i.get_status_display(), "due": i.due,
                        "organisation": i.organisation.name if i.organisation else ""}
                       for i in goal.initiatives.all()])
             for goal in area.goals.all()],
            indicators(area.indicators.all()),
        )
        for area in tree.focus_areas.all()
    ]  # fmt: skip
    wanted = spec.get("deviations", DEVIATIONS)
    deviations = [Figure(r) for r in rows if r.level == "indicator" and r.verdict in wanted]
    deviations.sort(key=lambda f: wanted.index(f.row.verdict or ""))
    names = {"plan": tree.title, "year": year,
             "organisation": organisation.name if organisation else tree.owner.name}  # fmt: skip
    return Report(
        slug=spec["slug"], title=spec["title"].format(**names), plan=version.plan.slug,
        plan_title=tree.title, owner=tree.owner.name,
        organisation=organisation.name if organisation else tree.owner.name, year=year,
        made=today, sections=spec["sections"], counts=status_counts(rows),
        deviations=deviations, focus_areas=areas,
        sources=_sources(version, sources_of) if "sources" in spec["sections"] else [],
        funding=_funding(tree.owner, year) if funding and "funding" in spec["sections"] else None,
    )  # fmt: skip


def report_for(
    user: AbstractBaseUser | AnonymousUser, spec: dict[str, Any], plan: Plan, *, year: int,
    organisation: str = "", today: datetime.date,
) -> Report:  # fmt: skip
    """The report as the user sees it: the rows the plan page shows them (for one of the
    organisations they see, if `organisation` names one), the files of the organisations
    whose figures they see, and the owner's money for its editors. Who may see the plan at
    all is the caller's to check."""
    version = plan.current_version
    reach = figures_seen_by(user)
    within = sites_in_reach(version, reach).filter(slug=organisation or "").first()
    rows = statuses_shown(version, year=year, site=within, reach=reach, today=today)
    return report_build(spec, version, year=year, rows=rows, organisation=within, today=today,
                        sources_of=reach,
                        funding=has_role(user, plan.owner, Role.EDITOR))  # fmt: skip


def _funding(owner: Organisation, year: int) -> Table | None:
    """The owner's money in and where it went, as its funding page's export has it; none
    where it keeps no funding file."""
    if current_funding(owner) is None:
        return None
    header, rows = funding_table(owner, year)
    return Table(_("Money in and where it went, %(year)s") % {"year": year}, header, rows)


def _sources(version: PlanVersion, organisations: Iterable[str] | None) -> list[Source]:
    """The imported files the plan's figures rest on (those not withdrawn): by dataset and
    organisation, how many files and rows, and the latest import; counted in the database."""
    slugs = [d["slug"] for d in version.datasets]
    batches = Batch.objects.active().filter(dataset__slug__in=slugs)
    if organisations is not None:
        batches = batches.filter(organisation__slug__in=list(organisations))
    grouped = (batches.values("dataset__name", "organisation__name")
               .annotate(files=Count("pk"), rows=Sum("rows_stored"), latest=Max("created_at"))
               .order_by("dataset__name", "organisation__name"))  # fmt: skip
    return [Source(g["dataset__name"], g["organisation__name"], g["files"], g["rows"],
                   g["latest"]) for g in grouped]  # fmt: skip


def section_title(section: str) -> str:
    """A section's heading in the active language."""
    return {
        "summary": _("Summary"), "deviations": _("Deviations"),
        "focus_areas": _("Focus areas, goals and indicators"),
        "initiatives": _("Initiatives and milestones"), "sources": _("Where the figures come from"),
        "funding": _("Funding"),
    }.get(section, "")  # fmt: skip


def sheet_title(section: str) -> str:
    """A section's name on a spreadsheet's tab (at most 31 characters)."""
    return {
        "summary": _("Summary"), "deviations": _("Deviations"),
        "focus_areas": _("Goals and indicators"), "initiatives": _("Initiatives"),
        "sources": _("Sources"), "funding": _("Funding"),
    }.get(section, section)[:31]  # fmt: skip
