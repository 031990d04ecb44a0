"""Status: for every target of a plan, the actual figure, what was expected by now, what the
trend projects at the period's end, and a verdict with its reason in words.

A target is judged as things stood at the end of the year asked for, or today if that year
is still running: a closed year is never projected, and a total by a deadline seen for a past
year counts up to that year's end. The same function serves every page, the public page and
`maalbilde status`, so they cannot disagree.

How the verdict is reached (thresholds are settings, see docs/indicators.md):
- no_data: no figure for the period (or the period has not begun);
- for a period that is over (final): met or not_met, the figure at its end against the target;
- for a running one: met when a count has already reached it; on_track when the projection at
  the period's end meets the target; at_risk when it misses by less than
  STATUS_AT_RISK_MARGIN (growth targets: by less than STATUS_GROWTH_MARGIN_POINTS percentage
  points); behind when it misses by more.

A level or a change by a deadline is judged every year against its path: a straight line from
the baseline (a stated figure, or the baseline year's figure) to the target in the deadline
year.

Additive indicators (counts, sums) are expected to grow in step with the calendar: 300 a year
means 150 by midsummer, and the pace so far projects the year's end. Levels (per cents,
means, ratios) are expected to hold the target all along, and the level so far is the
projection.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.data.services import while_figures_stand
from maalbilde.organisations.models import Organisation
from maalbilde.plans.assessments import latest_assessments
from maalbilde.plans.engine import Engine, first_month, is_additive, is_running_total
from maalbilde.plans.files import MEASURE_SEPARATOR
from maalbilde.plans.models import Goal, Indicator, PlanVersion, Target

VERDICTS = ["met", "not_met", "on_track", "at_risk", "behind", "no_data"]
VERDICT_WORDS = {
    "met": gettext_lazy("met"),
    "on_track": gettext_lazy("on track"),
    "at_risk": gettext_lazy("at risk"),
    "behind": gettext_lazy("behind"),
    "not_met": gettext_lazy("not met"),
    "no_data": gettext_lazy("no data"),
}


@dataclass(frozen=True)
class TargetStatus:
    """A target's status for a period; for an indicator without a target, its figure alone
    (no target, no verdict)."""

    target_id: int | None
    indicator: str | None  # None on a goal's row
    name: str
    organisation: str
    organisation_name: str
    period: str
    unit: str
    actual: float | None
    target: float | None
    comparator: str
    expected: float | None
    projected: float | None
    verdict: str | None
    reason: str
    kind: str | None
    final: bool
    # What the path from the baseline asks for at the end of the period (a level or a change
    # by a deadline), or by the end of the year asked for (a total by a deadline).
    path_value: float | None
    baseline: float | None
    baseline_year: int | None
    # "indicator" for a target's row or an indicator's figure alone, "goal" for a goal's.
    level: str = "indicator"
    goal: str | None = None
    # The latest written assessment for the year, and the latest of those marked public.
    comment: str | None = None
    public_comment: str | None = None
    # The verdict as public pages may show it: a person's verdict from an assessment that is
    # not public stays inside.
    public_verdict: str | None = None
    # Which other measure of the indicator the row is about (None: the indicator's own), and
    # the calendar its period is counted in.
    measure: str | None = None
    calendar: str = "year"

    def __post_init__(self) -> None:
        if self.public_verdict is None and self.verdict is not None and self.target_id:
            object.__setattr__(self, "public_verdict", self.verdict)  # a target's own verdict

    @property
    def key(self) -> str | None:
        """The name the row's indicator or measure is kept under."""
        if self.measure is None:
            return self.indicator
        return f"{self.indicator}{MEASURE_SEPARATOR}{self.measure}"

    def as_public(self) -> TargetStatus:
        """The row as public pages show it: public assessments only."""
        return replace(self, verdict=self.public_verdict, comment=self.public_comment)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> TargetStatus | None:
        """A row as `as_dict` kept it (in a publication), or None if it lacks a field."""
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{key: value for key, value in row.items() if key in known})
        except TypeError:
            return None


@dataclass(frozen=True)
class _Window:
    """The period a target is judged over, and how far into it `today` is."""

    first_year: int
    last_year: int
    label: str
    start: datetime.date
    end: datetime.date  # the day after the period
    view_end: datetime.date  # the day after the year asked for

    def as_of(self, today: datetime.date) -> datetime.date:
        """The first day not counted: today, or the day after the year asked for."""
        return min(today, self.view_end)

    def last_year_counted(self, today: datetime.date) -> int:
        return min(self.last_year, (self.as_of(today) - datetime.timedelta(days=1)).year)

    def elapsed(self, today: datetime.date) -> float:
        if today <= self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return (today - self.start).days / (self.end - self.start).days

    def months_elapsed(self, today: datetime.date) -> int:
        """Whole months of the period begun by today (for year-to-date comparisons)."""
        months = (today.year - self.start.year) * 12 + today.month - self.start.month + 1
        return max(0, min(12, months))


def _window(target: Target, indicator: Indicator, year: int) -> _Window | None:
    """The period a target is judged over when `year` is asked for: the year itself, or a
    total's whole span; None when the target does not speak of that year."""
    if target.period == Target.Period.DEADLINE:
        return _span_window(indicator, target.first_year, target.last_year, year)
    if not target.first_year <= year <= target.last_year:
        return None
    if _on_a_path(target) and year <= (target.baseline_year or 0):
        return None  # the path starts after its baseline year
    return _span_window(indicator, year, year, year)


def _span_window(indicator: Indicator, first: int, last: int, year: int) -> _Window:
    """The years `first`–`last` in the indicator's calendar, seen from the end of `year`:
    school years and seasons run from their first month and are named by the year they start
    in; a snapshot's year is its month."""
    begins = first_month(indicator)
    if indicator.calendar == "snapshot":

        def after(y: int) -> datetime.date:
            return datetime.date(y + begins // 12, begins % 12 + 1, 1)

        day = formats.date_format(datetime.date(last, begins, 1))
        return _Window(first, last, day, datetime.date(first, begins, 1), after(last),
                       after(year))  # fmt: skip
    if begins != 1:
        label = f"{first}/{str(first + 1)[-2:]}" if first == last else f"{first}–{last + 1}"
    else:
        label = str(first) if first == last else f"{first}–{last}"
    return _Window(first, last, label, datetime.date(first, begins, 1),
                   datetime.date(last + 1, begins, 1),
                   datetime.date(year + 1, begins, 1))  # fmt: skip


def period_label(indicator: Indicator, year: int) -> str:
    """A year as the indicator counts it: “2025”, the school year or season “2025/26”, or a
    snapshot's date."""
    return _span_window(indicator, year, year, year).label


def period_bounds(indicator: Indicator, year: int) -> tuple[datetime.date, datetime.date]:
    """The first day of the indicator's year `year`, and the day after it."""
    window = _span_window(indicator, year, year, year)
    return window.start, window.end


def running_year(indicator: Indicator, today: datetime.date) -> int:
    """The year of the indicator's calendar that `today` falls in (a school year that began
    in August last year is still last year's)."""
    return today.year - (today.month < first_month(indicator) and indicator.calendar != "snapshot")


def named_as(indicator: Indicator) -> tuple[str, str | None]:
    """The indicator a row is about and which of its other measures, if any: another measure
    is kept as `<indicator>--<measure>`."""
    if indicator.measure:
        return indicator.slug.split(MEASURE_SEPARATOR)[0], indicator.measure
    return indicator.slug, None


def _on_a_path(target: Target) -> bool:
    return target.kind in (Target.Kind.LEVEL_BY, Target.Kind.CHANGE_BY)


def _baseline_year(target: Target) -> int:
    """The year a path starts from: the stated one, or the year before the first judged."""
    return target.baseline_year or target.first_year - 1


def _meets(value: float, target: float, comparator: str) -> bool:
    return value <= target if comparator == Target.Comparator.AT_MOST else value >= target


def plan_status(
    version: PlanVersion,
    *,
    year: int | None = None,
    organisation: Organisation | None = None,
    today: datetime.date | None = None,
) -> list[TargetStatus]:
    """The status of every target of a plan version for one year (default: this year)."""
    today = today or timezone.localdate()
    year = year or today.year
    targets = Target.objects.filter(indicator__version=version).select_related(
        "indicator", "organisation"
    )
    if organisation is not None:
        targets = targets.filter(organisation__path__startswith=organisation.path)
    # An indicator's other measures come after it (they share its place in the plan).
    targets = targets.order_by(
        "indicator__focus_area__position", "indicator__position", "indicator_id", "position"
    )
    engine = Engine.for_version(version)
    judged = [(t, w) for t in targets if (w := _window(t, t.indicator, year)) is not None]
    untargeted = _without_targets(version, organisation, year)
    engine.prefetch((i.slug, [o], w.first_year, w.last_year_counted(today), None)
                    for i, o, w in untargeted)  # fmt: skip
    _ask_together(engine, judged, today)
    rows = [_judge(engine, target, window, today) for target, window in judged] + [
        _figure_alone(engine, indicator, owner, window, today)
        for indicator, owner, window in untargeted
    ]
    said = _assessments(version, year)
    rows = [_with_assessment(row, said.get(("indicator", row.indicator))) for row in rows]
    return rows + _goal_rows(version, organisation or version.owner, year, today, rows, said)


def _assessments(version: PlanVersion, year: int) -> dict[tuple[str, str | None], tuple]:
    """(subject, slug) → (latest assessment, latest public one) for the year."""
    found: dict[tuple[str, str | None], tuple] = {}
    for assessment in latest_assessments(version.plan_id, year):
        key = (assessment.subject, assessment.slug)
        latest, public = found.get(key, (None, None))
        found[key] = (latest or assessment, public or (assessment if assessment.public else None))
    return found


def _with_assessment(row: TargetStatus, said: tuple | None) -> TargetStatus:
    """The row with the indicator's assessment; an indicator with no target to judge it by
    takes the person's verdict."""
    if said is None:
        return row
    latest, public = said
    verdict, public_verdict = row.verdict, row.public_verdict
    if row.target_id is None and row.measure is None:
        verdict = latest.verdict if latest is not None and latest.verdict else verdict
        public_verdict = public.verdict if public is not None and public.verdict else None
    return replace(row, verdict=verdict, public_verdict=public_verdict,
                   comment=latest.text if latest else None,
                   public_comment=public.text if public else None)  # fmt: skip


# From the worst to the best: a goal's verdict is the worst of its indicators'.
SEVERITY = ["not_met", "behind", "at_risk", "on_track", "met"]


@dataclass(frozen=True)
class _Outline:
    """What status needs of a version's structure beyond its targets: a version never
    changes, so this is read once and kept (under its checksum, like its document)."""

    untargeted: list[Indicator]
    goals: list[tuple[str, str]]  # (slug, title), in the plan's order
    of_goal: dict[str, set[str]]  # goal → the indicators under it or measuring it
    placed: dict[str, str]  # indicator → the goal it stands under


def _outline(version: PlanVersion) -> _Outline:
    return _outline_of(version.pk, version.checksum)


# Kept in the process, not in the cache: unpickling the indicators again on every call would
# cost as much as reading them.
@functools.lru_cache(maxsize=64)
def _outline_of(version_id: int, checksum: str) -> _Outline:
    untargeted = list(
        Indicator.objects.filter(version_id=version_id, targets__isnull=True)
        .only("slug", "name", "unit", "metric", "formula", "calendar", "calendar_month", "measure")
        .order_by("focus_area__position", "position", "pk")
    )
    of_goal: dict[str, set[str]] = {}
    under = Indicator.objects.filter(version_id=version_id, goal__isnull=False)
    measuring = Indicator.measures.through.objects.filter(indicator__version_id=version_id)
    placed = dict(under.values_list("slug", "goal__slug"))
    for indicator, goal in [
        *placed.items(),
        *measuring.values_list("indicator__slug", "goal__slug"),
    ]:
        of_goal.setdefault(goal, set()).add(indicator)
    goals = Goal.objects.filter(version_id=version_id).order_by("focus_area__position", "position")
    return _Outline(untargeted, list(goals.values_list("slug", "title")), of_goal, placed)


def _goal_rows(
    version: PlanVersion,
    owner: Organisation,
    year: int,
    today: datetime.date,
    rows: list[TargetStatus],
    said: dict[tuple[str, str | None], tuple],
) -> list[TargetStatus]:
    """A row per goal: the worst verdict of the indicators under it or measuring it (no data
    counts only when nothing else does), or, where none is judged, the person's assessment."""
    outline = _outline(version)
    rows_of: dict[str | None, list[TargetStatus]] = {}
    for row in rows:
        rows_of.setdefault(row.indicator, []).append(row)
    # The words, translated once rather than for each goal.
    words = {
        "one": _("As its one judged target."),
        "weakest": _("The weakest of the %(count)s judged targets under it."),
        "assessed": _("As assessed in writing."),
        "no_data": _("No figures yet for its indicators."),
        None: _("No indicator with a target, and no assessment."),
    }
    goal_rows = []
    for slug, title in outline.goals:
        mine = [r for i in outline.of_goal.get(slug, ()) for r in rows_of.get(i, [])]
        # A goal's year is over when its indicators' years are (a school year runs on to
        # July); with none, when the calendar year is.
        closed = all(r.final for r in mine) if mine else datetime.date(year + 1, 1, 1) <= today
        periods = {r.period for r in mine}
        latest, public = said.get(("goal", slug), (None, None))
        verdict, why, judged = _goal_verdict([r.verdict for r in mine], latest)
        reason = words[why] % {"count": judged} if why == "weakest" else words[why]
        # The same rule over what the public may see: public assessments only.
        public_verdict, _why, _judged = _goal_verdict([r.public_verdict for r in mine], public)
        goal_rows.append(TargetStatus(
            target_id=None, indicator=None, name=title, organisation=owner.slug,
            organisation_name=owner.name,
            period=periods.pop() if len(periods) == 1 else str(year), unit="", actual=None,
            target=None, comparator="", expected=None, projected=None, verdict=verdict,
            reason=reason, kind=None, final=closed, path_value=None, baseline=None,
            baseline_year=None, level="goal", goal=slug, comment=latest.text if latest else None,
            public_comment=public.text if public else None, public_verdict=public_verdict,
        ))  # fmt: skip
    return goal_rows


def _goal_verdict(
    verdicts: list[str | None], assessment: Any
) -> tuple[str | None, str | None, int]:
    """A goal's verdict, why (a key of `_goal_rows`' words), and how many targets judged it."""
    judged = [v for v in verdicts if v in SEVERITY]
    if judged:
        why = "one" if len(judged) == 1 else "weakest"
        return min(judged, key=SEVERITY.index), why, len(judged)
    if assessment is not None and assessment.verdict:
        return assessment.verdict, "assessed", 0
    if "no_data" in verdicts:
        return "no_data", "no_data", 0
    return None, None, 0


def _without_targets(
    version: PlanVersion, organisation: Organisation | None, year: int
) -> list[tuple[Indicator, Organisation, _Window]]:
    """The indicators with no target, each for the organisation asked about (or the plan's
    owner) and the year."""
    owner = organisation or version.owner
    return [(i, owner, _span_window(i, year, year, year)) for i in _outline(version).untargeted]


def _figure_alone(
    engine: Engine,
    indicator: Indicator,
    organisation: Organisation,
    window: _Window,
    today: datetime.date,
) -> TargetStatus:
    values = engine.values(indicator.slug, [organisation], window.first_year,
                           window.last_year_counted(today))  # fmt: skip
    actual = _rounded(values.get((organisation.pk, window.last_year)))
    elapsed = window.elapsed(window.as_of(today))
    words = {"period": window.label, "actual": format_value(actual, indicator.unit)}
    if actual is None:
        reason = _("No target, and no figures for %(period)s.") % words
    elif elapsed < 1:
        reason = _("No target; %(actual)s so far in %(period)s.") % words
    else:
        reason = _("No target; %(actual)s in %(period)s.") % words
    slug, measure = named_as(indicator)
    return TargetStatus(
        target_id=None, indicator=slug, measure=measure, calendar=indicator.calendar,
        name=indicator.name,
        organisation=organisation.slug, organisation_name=organisation.name,
        period=window.label, unit=indicator.unit, actual=actual, target=None, comparator="",
        expected=None, projected=None, verdict=None, reason=reason, kind=None,
        final=elapsed >= 1, path_value=None, baseline=None, baseline_year=None,
    )  # fmt: skip


def _ask_together(engine: Engine, judged: list, today: datetime.date) -> None:
    """One query for all the targets' indicators and years, rather than one per target or
    per indicator. Targets whose months depend on their own organisation's figures (growth
    within a year) take two more: the months each has figures for, then their values."""
    whole, within_year = [], []
    for target, window in judged:
        (within_year if _compares_months(target, window, today) else whole).append((target, window))
    engine.prefetch((t.indicator.slug, [t.organisation], *_years_asked(t, w, today), None)
                    for t, w in whole)  # fmt: skip
    if within_year:
        engine.prefetch_months((_months_of(t), [t.organisation], w.last_year)
                               for t, w in within_year)  # fmt: skip
        engine.prefetch((t.indicator.slug, [t.organisation], *_years_asked(t, w, today),
                         _months(engine, t, w, today)) for t, w in within_year)  # fmt: skip


def _months_of(target: Target) -> str:
    """The indicator whose months with figures a target's growth within a year counts."""
    return (target.indicator.formula or {}).get("growth", target.indicator.slug)


def _months(engine: Engine, target: Target, window: _Window, today: datetime.date) -> int:
    """The months of the year a growth within a year compares: those with figures, and no
    more than have passed."""
    months = engine.months_with_data(_months_of(target), target.organisation, window.last_year)
    return min(months or 12, window.months_elapsed(window.as_of(today)))


def _compares_months(target: Target, window: _Window, today: datetime.date) -> bool:
    """Whether growth within an unfinished period compares only the months that have figures
    (the target asks for growth, or the indicator is a growth formula)."""
    growth = target.comparator == Target.Comparator.GROWTH_AT_LEAST
    running = window.elapsed(window.as_of(today)) < 1
    return running and (growth or "growth" in (target.indicator.formula or {}))


def _years_asked(target: Target, window: _Window, today: datetime.date) -> tuple[int, int]:
    """The years a target's values are asked for: growth compares with the year before; a
    path starts from its baseline year; a total counts no year after the one asked for, nor
    after today."""
    if target.comparator == Target.Comparator.GROWTH_AT_LEAST:
        return window.first_year - 1, window.last_year
    if _on_a_path(target):
        return min(_baseline_year(target), window.first_year), window.last_year
    return window.first_year, window.last_year_counted(today)


def plan_status_cached(
    version: PlanVersion,
    *,
    year: int,
    organisation: Organisation | None = None,
    today: datetime.date | None = None,
) -> list[TargetStatus]:
    """`plan_status`, kept in the cache until the figures change, the day turns, or the
    plan gets a new version (a new version is another key)."""
    today = today or timezone.localdate()
    parts = ("status", version.pk, year, organisation.pk if organisation else "", today)
    return while_figures_stand(
        parts, lambda: plan_status(version, year=year, organisation=organisation, today=today)
    )


def _judge(engine: Engine, target: Target, window: _Window, today: datetime.date) -> TargetStatus:
    indicator = target.indicator
    roots = [target.organisation]
    root = target.organisation.pk
    goal: float | None = float(target.value)
    elapsed = window.elapsed(window.as_of(today))
    additive = is_additive(indicator)
    running_total = is_running_total(indicator)
    actual = expected = projected = path_value = baseline = None
    baseline_year = None
    # Growth compares the months of this year that have figures with the same months of the
    # year before.
    months = (
        _months(engine, target, window, today) if _compares_months(target, window, today) else None
    )
    first, last = _years_asked(target, window, today)
    values = engine.values(indicator.slug, roots, first, last, months)

    if target.comparator == Target.Comparator.GROWTH_AT_LEAST:
        now, before = values.get((root, window.last_year)), values.get((root, window.last_year - 1))
        if now is not None and before:
            actual = projected = (now / before - 1) * 100
            expected = goal
    elif _on_a_path(target):
        path = _path_of(target, values, root, window.last_year, today)
        if path is not None:
            baseline_year, baseline, goal, path_value = path
            actual = values.get((root, window.last_year))
        if actual is not None and path_value is not None:
            # A count grows with the calendar towards the year's point on the path, from zero;
            # a running total from where it stood at the year's start, towards the point; a
            # level is expected to stand at it.
            since = (0.0, 0.0) if additive else None
            if running_total and baseline_year is not None:
                before = window.last_year - 1
                point = baseline if before <= baseline_year else _point(
                    target, baseline_year, baseline, goal, before)  # fmt: skip
                since = (point, values.get((root, before), point))
            expected, projected = _path(since, path_value, actual, elapsed)
    else:
        found = [values[(root, y)] for y in range(first, last + 1) if (root, y) in values]
        if found:
            actual = sum(found) if additive else found[-1]
            deadline = target.period == Target.Period.DEADLINE
            if deadline and additive and target.baseline_value is not None:
                actual += float(target.baseline_value)  # the total before `since` counts
            grows = additive or running_total
            expected, projected = _total_path(target, grows, additive, goal, actual, elapsed)
            if deadline:
                path_value = _total_path(target, grows, additive, goal, actual,
                                         window.elapsed(window.view_end))[0]  # fmt: skip

    actual, expected, projected = _rounded(actual), _rounded(expected), _rounded(projected)
    path_value, baseline, goal = _rounded(path_value), _rounded(baseline), _rounded(goal)
    judged_against = path_value if _on_a_path(target) else goal
    verdict = _verdict(target, actual, projected, judged_against, elapsed,
                       additive or running_total)  # fmt: skip
    final = elapsed >= 1
    slug, measure = named_as(indicator)
    return TargetStatus(
        target_id=target.pk,
        indicator=slug,
        measure=measure,
        calendar=indicator.calendar,
        name=indicator.name,
        organisation=target.organisation.slug,
        organisation_name=target.organisation.name,
        period=window.label,
        unit=indicator.unit,
        actual=actual,
        target=goal,
        comparator=target.comparator,
        expected=expected,
        projected=projected,
        verdict=verdict,
        reason=_reason(
            verdict,
            target,
            window,
            elapsed,
            actual,
            expected,
            projected,
            judged_against,
            baseline,
            baseline_year,
            goal,
        ),
        kind=target.kind,
        final=final,
        path_value=path_value,
        baseline=baseline,
        baseline_year=baseline_year,
    )


def yearly_goal(target: Target, year: int, values: dict, today: datetime.date) -> float | None:
    """What a target asks of one year's figure, for a chart's line: a floor's or a ceiling's
    value, the year before's figure grown by the rate, or the year's point on a path
    (`values` holds the organisation's figures from the baseline year). None for a total by a
    deadline, which is not a year's figure (it has a chart of its own)."""
    if not target.first_year <= year <= target.last_year:
        return None
    if target.kind == Target.Kind.GROWTH:
        if year > running_year(target.indicator, today):
            return None  # the year before is not over: nothing to grow from yet
        before = values.get((target.organisation_id, year - 1))
        return _rounded(before * (1 + float(target.value) / 100)) if before else None
    if not _on_a_path(target):
        yearly = target.kind in (Target.Kind.FLOOR, Target.Kind.CEILING)
        return float(target.value) if yearly else None
    path = _path_of(target, values, target.organisation_id, year, today)
    return None if path is None else _rounded(path.point)


def first_year_asked(target: Target) -> int:
    """The first year whose figure a target's judgement may need."""
    return (
        min(_baseline_year(target), target.first_year) if _on_a_path(target) else target.first_year
    )


class _Path(NamedTuple):
    baseline_year: int
    baseline: float
    goal: float  # for a change, the level it asks for
    point: float  # what the path asks of the year


def _path_of(
    target: Target, values: dict, root: int, year: int, today: datetime.date
) -> _Path | None:
    """A target on a path, seen from `year`: where it starts, where it ends, and the year's
    point; None while there is no baseline figure."""
    start = _path_start(target, values, root, year, today)
    if start is None:
        return None
    baseline_year, baseline = start
    goal = float(target.value)
    if target.kind == Target.Kind.CHANGE_BY:
        goal = baseline * (1 + goal / 100)
    return _Path(baseline_year, baseline, goal, _point(target, baseline_year, baseline, goal, year))


def _path_start(
    target: Target, values: dict, root: int, judged_year: int, today: datetime.date
) -> tuple[int, float] | None:
    """Where a path starts: the stated baseline, or the stated baseline year's figure; with
    no baseline year, the year before the first judged, or, lacking its figure, the first
    whole year with a figure before the year judged (never a year still running)."""
    year = _baseline_year(target)
    if target.baseline_value is not None:
        return year, float(target.baseline_value)
    last = year + 1 if target.baseline_year is not None else min(judged_year, today.year)
    for candidate in range(year, last):
        if (root, candidate) in values:
            return candidate, values[(root, candidate)]
    return None


def _point(target: Target, start_year: int, start: float, goal: float, year: int) -> float:
    """A year's point on the target's path; where the baseline already meets the target
    ("øke til 80 000" at 83 933), every year is held to the target, not led down to it."""
    if _meets(start, goal, target.comparator):
        return goal
    return _path_value(start_year, start, target.last_year, goal, year)


def _path_value(start_year: int, start: float, deadline: int, goal: float, year: int) -> float:
    """The point on a straight line from `start` in `start_year` to `goal` in `deadline`."""
    if year >= deadline:
        return goal
    if year <= start_year:
        return start
    return start + (goal - start) * (year - start_year) / (deadline - start_year)


def _path(
    since: tuple[float, float] | None, level: float, actual: float, elapsed: float
) -> tuple[float, float]:
    """What a year's point on a path expects by now, and where the pace so far leads. A
    figure that grows through the year does so `since` (the path's point and the figure) at
    the year's start; a level (`since` None) is expected to stand at the point all along."""
    if since is not None and 0 < elapsed < 1:
        point, figure = since
        return point + (level - point) * elapsed, figure + (actual - figure) / elapsed
    return level, actual


def _total_path(
    target: Target, grows: bool, per_year: bool, goal: float, actual: float, elapsed: float
) -> tuple[float, float]:
    """What is expected by now, and where the pace so far leads by the period's end.

    A target by a deadline runs on a straight line from its baseline (or zero, for a total
    that grows) to the target. Inside one year a count grows with the calendar from zero.
    A level is expected to hold all along, unless a baseline gives it a path to a deadline.
    """
    if target.period == Target.Period.DEADLINE and (grows or target.baseline_value is not None):
        start = float(target.baseline_value or 0)
    elif per_year and target.period != Target.Period.DEADLINE:
        start = 0.0
    else:
        return goal, actual
    expected = start + (goal - start) * elapsed
    projected = start + (actual - start) / elapsed if 0 < elapsed < 1 else actual
    return expected, projected


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _verdict(
    target: Target,
    actual: float | None,
    projected: float | None,
    goal: float | None,
    elapsed: float,
    additive: bool,
) -> str:
    if actual is None or projected is None or goal is None or elapsed == 0:
        return "no_data"
    comparator = target.comparator
    if elapsed >= 1:
        return "met" if _meets(actual, goal, comparator) else "not_met"
    if additive and comparator == Target.Comparator.AT_LEAST and actual >= goal:
        return "met"
    if additive and comparator == Target.Comparator.AT_MOST and actual > goal:
        return "behind"
    if _meets(projected, goal, comparator):
        return "on_track"
    if comparator == Target.Comparator.GROWTH_AT_LEAST:
        near = projected >= goal - settings.STATUS_GROWTH_MARGIN_POINTS
    elif comparator == Target.Comparator.AT_MOST:
        near = projected <= goal * (1 + settings.STATUS_AT_RISK_MARGIN)
    else:
        near = projected >= goal * (1 - settings.STATUS_AT_RISK_MARGIN)
    return "at_risk" if near else "behind"


def format_value(
    value: float | None, unit: str, *, growth: bool = False, decimals: int | None = None
) -> str:
    """A figure as a person reads it in the active language: 65 000, 80 %, 1 250 000 kr in
    Norwegian; 65,000, 80%, NOK 1,250,000 in English. Whole numbers from 100, else one
    decimal, unless `decimals` says."""
    if value is None:
        return "–"
    if decimals is None:
        decimals = 0 if abs(value) >= 100 or float(value).is_integer() else 1
    number = formats.number_format(
        round(value, decimals), decimals, use_l10n=True, force_grouping=True
    )
    norwegian = translation.get_language() != "en"
    if growth or unit == "percent":
        return f"{number}\u00a0%" if norwegian else f"{number}%"
    if unit == "nok":
        return f"{number}\u00a0kr" if norwegian else f"NOK {number}"
    if unit in ("kwh", "kg"):
        return f"{number}\u00a0{'kWh' if unit == 'kwh' else 'kg'}"
    return number


def _reason(
    verdict: str,
    target: Target,
    window: _Window,
    elapsed: float,
    actual: float | None,
    expected: float | None,
    projected: float | None,
    judged_against: float | None,
    baseline: float | None,
    baseline_year: int | None,
    goal: float | None,
) -> str:
    """The verdict in words; for a target on a path, followed by the path it is on."""
    said = _verdict_in_words(verdict, target, window, elapsed, actual, expected, projected,
                             judged_against)  # fmt: skip
    if not _on_a_path(target):
        return said
    unit = target.indicator.unit
    if baseline is None:
        return " ".join((said, _("No figure yet for the baseline year %(year)s.")
                         % {"year": _baseline_year(target)}))  # fmt: skip
    path = {
        "baseline": format_value(baseline, unit),
        "baseline_year": baseline_year,
        "goal": format_value(goal, unit),
        "deadline": target.last_year,
    }
    if goal is not None and _meets(baseline, goal, target.comparator):
        words = _("%(baseline)s in %(baseline_year)s already met the target of %(goal)s: "
                  "every year is held to it.")  # fmt: skip
    elif target.kind == Target.Kind.CHANGE_BY:
        path["change"] = format_value(float(target.value), "percent")
        words = _("The path runs from %(baseline)s in %(baseline_year)s to %(goal)s in "
                  "%(deadline)s (a change of %(change)s).")  # fmt: skip
    else:
        words = _("The path runs from %(baseline)s in %(baseline_year)s to %(goal)s in "
                  "%(deadline)s.")  # fmt: skip
    return " ".join((said, words % path))


def _verdict_in_words(
    verdict: str,
    target: Target,
    window: _Window,
    elapsed: float,
    actual: float | None,
    expected: float | None,
    projected: float | None,
    judged_against: float | None,
) -> str:
    growth = target.comparator == Target.Comparator.GROWTH_AT_LEAST
    unit = target.indicator.unit
    words = {
        "actual": format_value(actual, unit, growth=growth),
        "expected": format_value(expected, unit, growth=growth),
        "projected": format_value(projected, unit, growth=growth),
        "target": format_value(judged_against, unit, growth=growth),
        "period": window.label,
    }
    if verdict == "no_data":
        if elapsed == 0:
            return _("The period %(period)s has not begun.") % words
        if elapsed >= 1:
            return _("No figures for %(period)s.") % words
        return _("No figures for %(period)s yet.") % words
    if elapsed >= 1:
        if growth:
            return _("Grew %(actual)s in %(period)s; the target was %(target)s.") % words
        if verdict == "met":
            return _("Target reached: %(actual)s against %(target)s for %(period)s.") % words
        return _("Target missed: %(actual)s against %(target)s for %(period)s.") % words
    if verdict == "met":
        return _("Target already reached: %(actual)s against %(target)s for %(period)s.") % words
    if growth:
        messages = {
            "on_track": _(
                "Growth so far is %(actual)s against the same months last "
                "year; the target is %(target)s."
            ),
            "at_risk": _(
                "Growth so far is %(actual)s against the same months last "
                "year, a little below the target of %(target)s."
            ),
            "behind": _(
                "Growth so far is %(actual)s against the same months last year, "
                "well below the target of %(target)s."
            ),
        }
    else:
        messages = {
            "on_track": _(
                "%(actual)s so far, %(expected)s expected by now; at this "
                "pace %(projected)s against the target of %(target)s."
            ),
            "at_risk": _(
                "%(actual)s so far, %(expected)s expected by now; at this pace "
                "%(projected)s, close to missing the target of %(target)s."
            ),
            "behind": _(
                "%(actual)s so far, %(expected)s expected by now; at this pace "
                "%(projected)s, far from the target of %(target)s."
            ),
        }
    return messages[verdict] % words


def status_counts(statuses: list[TargetStatus]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for status in statuses:
        # Targets (and indicators a person judged), not goals, nor figures without a verdict.
        if status.verdict is not None and status.level == "indicator":
            counts[status.verdict] += 1
    return counts


def unit_words(row: TargetStatus) -> str:
    """A status row's unit as a table to hand on says it."""
    if row.comparator == Target.Comparator.GROWTH_AT_LEAST:
        return _("% a year")  # the figure and the target are rates, whatever is counted
    return str(Indicator.Unit(row.unit).label) if row.unit else ""


def status_table(
    rows: list[TargetStatus], version: PlanVersion
) -> tuple[list[str], list[list[Any]]]:
    """Status rows as a table to hand on (CSV, XLSX): the verdict and the words the pages
    give, numbers as numbers; each goal's row followed by the rows of the indicators under
    it (with their measures), then the indicators of focus areas as a whole."""
    placed = _outline(version).placed
    goal_of = {id(row): row.goal if row.level == "goal" else placed.get(row.indicator or "")
               for row in rows}  # fmt: skip
    # An indicator's rows stand together, its own before its other measures'.
    first = {}
    for index, row in enumerate(rows):
        first.setdefault(row.indicator, index)
    indicators = sorted((r for r in rows if r.level != "goal"),
                        key=lambda r: (first[r.indicator], r.measure is not None))  # fmt: skip
    in_plan_order = [
        row
        for goal in [r for r in rows if r.level == "goal"]
        for row in [goal, *(r for r in indicators if goal_of[id(r)] == goal.goal)]
    ]
    placed_rows = {id(row) for row in in_plan_order}
    rows = in_plan_order + [row for row in indicators if id(row) not in placed_rows]
    header = [_("Level"), _("Goal"), _("Indicator"), _("Measure"), _("Name"), _("Organisation"),
              _("Period"), _("Unit"), _("Figure"), _("Target"), _("Kind of target"),
              _("On the path"), _("Expected by now"), _("Projected"), _("Verdict"),
              _("Final"), _("Reason"), _("Written assessment")]  # fmt: skip
    levels = {"indicator": _("indicator"), "goal": _("goal")}

    table = [
        [levels[row.level], goal_of[id(row)] or "", row.indicator or "", row.measure or "",
         row.name,
         row.organisation_name, row.period, unit_words(row), row.actual, row.target,
         str(Target.Kind(row.kind).label) if row.kind else "",
         row.path_value, row.expected, row.projected,
         str(VERDICT_WORDS[row.verdict]) if row.verdict else "",
         _("yes") if row.final else _("no"), row.reason, row.comment or ""]
        for row in rows
    ]  # fmt: skip
    return header, table
