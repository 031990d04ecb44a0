"""Status: for every target of a plan, the actual figure, what was expected by now, what the
trend projects at the period's end, and a verdict with its reason in words.

How the verdict is reached (thresholds are settings, see docs/indicators.md):
- no_data: no figure for the period (or the period has not begun);
- met: the period is over and the target holds, or a running total has already reached it;
- on_track: the projection at the period's end meets the target;
- at_risk: the projection misses it by less than STATUS_AT_RISK_MARGIN (growth targets: by
  less than STATUS_GROWTH_MARGIN_POINTS percentage points);
- behind: it misses by more, or the period is over and the target does not hold.

Additive indicators (counts, sums) are expected to grow in step with the calendar: 300 a year
means 150 by midsummer, and the pace so far projects the year's end. Levels (per cents,
means, ratios) are expected to hold the target all along, and the level so far is the
projection.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from maalbilde.data.services import while_figures_stand
from maalbilde.organisations.models import Organisation
from maalbilde.plans.engine import Engine, is_additive, is_running_total
from maalbilde.plans.models import Indicator, PlanVersion, Target

VERDICTS = ["met", "on_track", "at_risk", "behind", "no_data"]


@dataclass(frozen=True)
class TargetStatus:
    target_id: int
    indicator: str
    name: str
    organisation: str
    organisation_name: str
    period: str
    unit: str
    actual: float | None
    target: float
    comparator: str
    expected: float | None
    projected: float | None
    verdict: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Window:
    """The period a target is judged over, and how far into it `today` is."""

    first_year: int
    last_year: int
    label: str
    start: datetime.date
    end: datetime.date  # the day after the period

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
    school = (indicator.metric or {}).get("period") == "school_year"
    first_month = 8 if school else 1
    if target.period == Target.Period.DEADLINE:
        first, last = target.first_year, target.last_year
    else:
        if not target.first_year <= year <= target.last_year:
            return None
        first = last = year
    start = datetime.date(first, first_month, 1)
    end = datetime.date(last + 1, first_month, 1)
    if school:
        label = f"{first}/{str(first + 1)[-2:]}" if first == last else f"{first}–{last + 1}"
    else:
        label = str(first) if first == last else f"{first}–{last}"
    return _Window(first, last, label, start, end)


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
    targets = targets.order_by("indicator__focus_area__position", "indicator__position", "position")
    engine = Engine.for_version(version)
    judged = [(t, w) for t in targets if (w := _window(t, t.indicator, year)) is not None]
    _ask_together(engine, judged, today)
    return [_judge(engine, target, window, today) for target, window in judged]


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
    return min(months or 12, window.months_elapsed(today))


def _compares_months(target: Target, window: _Window, today: datetime.date) -> bool:
    """Whether growth within an unfinished period compares only the months that have figures
    (the target asks for growth, or the indicator is a growth formula)."""
    growth = target.comparator == Target.Comparator.GROWTH_AT_LEAST
    return window.elapsed(today) < 1 and (growth or "growth" in (target.indicator.formula or {}))


def _years_asked(target: Target, window: _Window, today: datetime.date) -> tuple[int, int]:
    """The years a target's values are asked for: growth compares with the year before;
    other targets count no year after `today` (a deadline's later years)."""
    if target.comparator == Target.Comparator.GROWTH_AT_LEAST:
        return window.first_year - 1, window.last_year
    return window.first_year, min(window.last_year, today.year)


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
    goal = float(target.value)
    elapsed = window.elapsed(today)
    additive = is_additive(indicator)
    running_total = is_running_total(indicator)
    actual = expected = projected = None
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
    else:
        found = [values[(root, y)] for y in range(first, last + 1) if (root, y) in values]
        if found:
            actual = sum(found) if additive else found[-1]
            deadline = target.period == Target.Period.DEADLINE
            if deadline and additive and target.baseline_value is not None:
                actual += float(target.baseline_value)  # the total before `since` counts
            grows = additive or running_total
            expected, projected = _path(target, grows, additive, goal, actual, elapsed)

    actual, expected, projected = _rounded(actual), _rounded(expected), _rounded(projected)
    verdict = _verdict(target, actual, projected, elapsed, additive or running_total)
    return TargetStatus(
        target_id=target.pk,
        indicator=indicator.slug,
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
        reason=_reason(verdict, target, window, elapsed, actual, expected, projected),
    )


def _path(
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
    elapsed: float,
    additive: bool,
) -> str:
    if actual is None or projected is None or elapsed == 0:
        return "no_data"
    goal = float(target.value)
    comparator = target.comparator
    if elapsed >= 1:
        return "met" if _meets(actual, goal, comparator) else "behind"
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


def format_value(value: float | None, unit: str, *, growth: bool = False) -> str:
    """A figure as a person reads it in the active language: 65 000, 80 %, 1 250 000 kr in
    Norwegian; 65,000, 80%, NOK 1,250,000 in English."""
    if value is None:
        return "–"
    decimals = 0 if abs(value) >= 100 or float(value).is_integer() else 1
    number = formats.number_format(
        round(value, decimals), decimals, use_l10n=True, force_grouping=True
    )
    norwegian = translation.get_language() != "en"
    if growth or unit == "percent":
        return f"{number}\u00a0%" if norwegian else f"{number}%"
    if unit == "nok":
        return f"{number}\u00a0kr" if norwegian else f"NOK {number}"
    return number


def _reason(
    verdict: str,
    target: Target,
    window: _Window,
    elapsed: float,
    actual: float | None,
    expected: float | None,
    projected: float | None,
) -> str:
    growth = target.comparator == Target.Comparator.GROWTH_AT_LEAST
    unit = target.indicator.unit
    words = {
        "actual": format_value(actual, unit, growth=growth),
        "expected": format_value(expected, unit, growth=growth),
        "projected": format_value(projected, unit, growth=growth),
        "target": format_value(float(target.value), unit, growth=growth),
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
        counts[status.verdict] += 1
    return counts
