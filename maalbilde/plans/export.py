"""Plan files out: a stored plan version written back as the file that imports to it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import yaml
from django.core.cache import cache

from maalbilde.plans.files import CALENDAR_MONTHS, DEFAULTS, FORMAT, plain_number
from maalbilde.plans.models import Indicator, Initiative, PlanVersion, Target

# A day: the document of a version never changes (an edit makes a new version).
DOCUMENT_KEPT = 24 * 3600


def plan_document(version: PlanVersion) -> dict[str, Any]:
    """The plan version in the normal form of a plan file, read from the database once and
    then from the cache (each caller gets its own copy to change). The key holds the
    version's checksum as well as its number, so a number used again after a rollback never
    finds another version's document."""
    key = f"plan-document:{version.pk}:{version.checksum}"
    return cache.get_or_set(key, lambda: _document(version), DOCUMENT_KEPT)


def _document(version: PlanVersion) -> dict[str, Any]:
    targets_of: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(indicator__version=version).select_related("organisation"):
        targets_of[target.indicator_id].append(target)
    initiatives_of: dict[int, list[Initiative]] = defaultdict(list)
    for initiative in version.initiatives.select_related("organisation").order_by("position"):
        initiatives_of[initiative.goal_id].append(initiative)
    everything = list(
        version.indicators.prefetch_related("measures__focus_area").order_by("position", "pk")
    )
    indicators = [i for i in everything if i.measure_of_id is None]
    measures_of: dict[int, list[Indicator]] = defaultdict(list)
    for item in everything:
        if item.measure_of_id is not None:
            measures_of[item.measure_of_id].append(item)

    def indicator(item: Indicator) -> dict[str, Any]:
        written = {
            **measure(item),
            "measures": [g.slug for g in sorted(item.measures.all(), key=_goal_order)],
            **calendar(item),
        }
        if measures_of[item.pk]:
            written["other_measures"] = [measure(m) for m in measures_of[item.pk]]
        return written

    def measure(item: Indicator) -> dict[str, Any]:
        return {
            "slug": item.measure or item.slug,
            "name": item.name,
            "description": item.description,
            "unit": item.unit,
            "direction": item.direction,
            "over_time": item.over_time,
            "over_tree": item.over_tree,
            "metric": item.metric,
            "formula": item.formula,
            "targets": [target(t) for t in sorted(targets_of[item.pk], key=lambda t: t.position)],
        }

    def calendar(item: Indicator) -> dict[str, Any]:
        """The calendar as the file says it: not at all for calendar years, nor where the
        metric's older `period` says it."""
        if item.calendar == "year" or (item.metric or {}).get("period") == item.calendar:
            return {}
        month = {"calendar_month": item.calendar_month}
        return {"calendar": item.calendar} | (
            month if item.calendar_month != CALENDAR_MONTHS[item.calendar] else {}
        )

    def target(item: Target) -> dict[str, Any]:
        period: dict[str, Any]
        by_deadline = item.kind in (Target.Kind.LEVEL_BY, Target.Kind.CHANGE_BY)
        if item.period == Target.Period.YEAR:
            period = {"year": item.first_year}
        elif by_deadline:
            period = {"by": item.last_year, "from": item.first_year}
        elif item.period == Target.Period.EACH_YEAR:
            period = {"each_year": True, "from": item.first_year, "to": item.last_year}
        else:
            period = {"deadline": item.last_year, "since": item.first_year}
        baseline = None
        if item.baseline_year is not None:
            baseline = {"year": item.baseline_year}
            if item.baseline_value is not None:
                baseline["value"] = plain_number(item.baseline_value)
        # The kind is written where the other keys do not say it (as the file would be).
        kind = {"kind": item.kind} if item.kind == Target.Kind.CHANGE_BY else {}
        return {
            "organisation": item.organisation.slug,
            **kind,
            "comparator": item.comparator,
            "value": plain_number(item.value),
            **period,
            "baseline": baseline,
            "note": item.note,
        }

    def initiative(item: Initiative) -> dict[str, Any]:
        return {
            "slug": item.slug,
            "title": item.title,
            "kind": item.kind,
            "description": item.description,
            "organisation": item.organisation.slug if item.organisation else None,
            "responsible": item.responsible,
            "due": item.due.isoformat() if item.due else None,
            "status": item.status,
        }

    focus_areas = []
    for area in version.focus_areas.order_by("position"):
        goals = []
        for goal in area.goals.order_by("position"):
            goals.append(
                {
                    "slug": goal.slug,
                    "title": goal.title,
                    "description": goal.description,
                    "indicators": [indicator(i) for i in indicators if i.goal_id == goal.pk],
                    "initiatives": [initiative(i) for i in initiatives_of[goal.pk]],
                }
            )
        focus_areas.append(
            {
                "slug": area.slug,
                "number": area.number,
                "title": area.title,
                "kind": area.kind,
                "description": area.description,
                "goals": goals,
                "indicators": [
                    indicator(i) for i in indicators if i.focus_area_id == area.pk and not i.goal_id
                ],
            }
        )

    return {
        "format": FORMAT,
        "organisations": version.organisations,
        "plan": {
            "slug": version.plan.slug,
            "title": version.title,
            "owner": version.owner.slug,
            "start_year": version.start_year,
            "end_year": version.end_year,
            "state": version.state,
            "adopted_on": version.adopted_on.isoformat() if version.adopted_on else None,
            "introduction": version.introduction,
            "vision": version.vision,
            "mission": version.mission,
            "values": version.values,
            "target_groups": version.target_groups,
            "ambitions": version.ambitions,
            "sections": [
                {"number": s.number, "title": s.title, "text": s.text}
                for s in version.sections.order_by("position")
            ],
        },
        "datasets": version.datasets,
        "focus_areas": focus_areas,
    }


def _goal_order(goal: Any) -> tuple[int, int]:
    return (goal.focus_area.position, goal.position)


# Which DEFAULTS table applies to the items of each list key in a plan file.
_ITEM_KIND = {
    "organisations": "organisation",
    "values": "value",
    "sections": "section",
    "datasets": "dataset",
    "columns": "column",
    "focus_areas": "focus_area",
    "goals": "goal",
    "indicators": "indicator",
    "other_measures": "indicator",
    "targets": "target",
    "initiatives": "initiative",
}


def _compact(value: Any, kind: str | None = None) -> Any:
    """Leave out every key that holds its default, so the file shows only what was said."""
    if isinstance(value, dict):
        defaults = DEFAULTS.get(kind or "", {})
        return {
            key: _compact(item, _ITEM_KIND.get(key, key))
            for key, item in value.items()
            if not (key in defaults and item == defaults[key])
        }
    if isinstance(value, list):
        return [_compact(item, kind) for item in value]
    return value


class _PlanDumper(yaml.SafeDumper):
    """Block style, with prose written as literal blocks so it reads like the original."""


def _str_representer(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_PlanDumper.add_representer(str, _str_representer)


def plan_export_yaml(version: PlanVersion) -> str:
    return plan_yaml(plan_document(version))


def plan_yaml(document: dict[str, Any]) -> str:
    """A plan document in its normal form as a plan file, without the keys at their defaults."""
    document = _compact(document)
    header = (
        "# Målbilde plan file. Reference: docs/plan-file.md; "
        "schema: maalbilde/plans/schema/plan-file.schema.json\n"
    )
    body = yaml.dump(document, Dumper=_PlanDumper, allow_unicode=True, sort_keys=False, width=100)
    return header + body
