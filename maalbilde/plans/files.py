"""Plan files: read a YAML plan file, check everything in it, and normalise it.

Reading never touches the database. Every problem is collected, not just the first, and each
carries the path inside the file (`focus_areas[2].goals[0].title`) and its line and column,
so that a person can fix the whole file in one go.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from maalbilde.lib.documents import (
    DocumentInvalid,
    Issue,
    PathTuple,
    Problem,
    decode,
    did_you_mean,
    load_yaml,
    non_finite_issues,
    quoted_list,
    schema_issues,
)

SCHEMA_PATH = Path(__file__).with_name("schema") / "plan-file.schema.json"
# A plan file that cannot be read: every problem with its path, line and column.
PlanFileInvalid = DocumentInvalid
FORMAT = "maalbilde-plan/1"
# How many measure and category columns a dataset may have (the slots of a fact row).
MEASURE_SLOTS = 8
CATEGORY_SLOTS = 6


@dataclass(frozen=True)
class PlanDocument:
    """A checked plan file in its normal form: every default filled in, every key present."""

    data: dict[str, Any]
    source_name: str = ""
    checksum: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checksum", document_checksum(self.data))

    @property
    def slug(self) -> str:
        return self.data["plan"]["slug"]


def document_checksum(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@cache
def plan_file_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def read_plan_file(path: Path | str) -> PlanDocument:
    """Read and check a plan file from disk; raise PlanFileInvalid with every problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > settings.PLAN_FILE_MAX_BYTES:
            raise PlanFileInvalid([_too_large(size)])
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise PlanFileInvalid([Problem("", _("There is no such file."))]) from error
    except IsADirectoryError as error:
        raise PlanFileInvalid([Problem("", _("This is a folder, not a file."))]) from error
    except PermissionError as error:
        raise PlanFileInvalid([Problem("", _("You may not read this file."))]) from error
    except OSError as error:
        raise PlanFileInvalid(
            [Problem("", _("The file cannot be read: %(reason)s") % {"reason": error.strerror})]
        ) from error
    return parse_plan_file(raw, source_name=path.name)


def parse_plan_file(raw: bytes, *, source_name: str = "") -> PlanDocument:
    """Check a plan file's bytes; return its normal form or raise PlanFileInvalid."""
    if len(raw) > settings.PLAN_FILE_MAX_BYTES:
        raise PlanFileInvalid([_too_large(len(raw))])
    text = decode(raw)
    data, positions = load_yaml(text)
    issues = [
        *non_finite_issues(data), *schema_issues(data, plan_file_schema()),
        *_reference_issues(data),
    ]  # fmt: skip
    if issues:
        raise PlanFileInvalid(positions.locate(issues))
    return PlanDocument(normalise(data), source_name=source_name)


def _too_large(size: int) -> Problem:
    return Problem(
        "",
        _("The file is %(size)s bytes; a plan file may be at most %(limit)s bytes.")
        % {"size": size, "limit": settings.PLAN_FILE_MAX_BYTES},
    )


# --- references between the parts of a plan ----------------------------------------------


def _dicts(container: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in container[key] with their index, ignoring anything malformed."""
    items = container.get(key) if isinstance(container, dict) else None
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def _duplicates(entries: list[tuple[PathTuple, Any]], what: str) -> Iterator[Issue]:
    counts = Counter(value for _path, value in entries if isinstance(value, str))
    for path, value in entries:
        if isinstance(value, str) and counts[value] > 1:
            yield Issue(
                path,
                _("The slug “%(slug)s” is used by more than one %(what)s; slugs must be unique.")
                % {"slug": value, "what": what},
            )


def _reference_issues(data: Any) -> Iterator[Issue]:
    if not isinstance(data, dict):
        return
    organisations = _dicts(data, "organisations")
    org_entries = [(("organisations", i, "slug"), o.get("slug")) for i, o in organisations]
    yield from _duplicates(org_entries, _("organisation"))
    parents = {
        _text(o.get("slug")): _text(o.get("parent"))
        for _i, o in organisations
        if _text(o.get("slug"))
    }
    known: set[str] = set(parents)
    for index, org in organisations:
        parent = _text(org.get("parent"))
        if parent and parent not in known:
            yield Issue(
                ("organisations", index, "parent"),
                _("The parent “%(slug)s” is not one of the file's organisations.")
                % {"slug": parent}
                + did_you_mean(parent, known),
            )
    for index, org in organisations:
        if _in_cycle(_text(org.get("slug")), parents):
            yield Issue(
                ("organisations", index, "parent"),
                _("The organisation “%(slug)s” is its own ancestor: the parents form a cycle.")
                % {"slug": org.get("slug")},
            )

    plan = data.get("plan") if isinstance(data.get("plan"), dict) else {}
    owner = _text(plan.get("owner"))
    if owner and owner not in known:
        yield Issue(
            ("plan", "owner"),
            _("The owner “%(slug)s” is not one of the file's organisations.") % {"slug": owner}
            + did_you_mean(owner, known),
        )
    in_tree = _subtree(owner, parents) if owner in known else known
    start, end = plan.get("start_year"), plan.get("end_year")
    years_known = isinstance(start, int) and isinstance(end, int)
    if years_known and start > end:
        yield Issue(
            ("plan", "end_year"),
            _("The plan ends (%(end)s) before it starts (%(start)s).")
            % {"end": end, "start": start},
        )

    yield from _dataset_issues(data, known)

    goal_entries: list[tuple[PathTuple, Any]] = []
    indicator_entries: list[tuple[PathTuple, Any]] = []
    initiative_entries: list[tuple[PathTuple, Any]] = []
    focus_areas = _dicts(data, "focus_areas")
    yield from _duplicates(
        [(("focus_areas", i, "slug"), f.get("slug")) for i, f in focus_areas], _("focus area")
    )
    indicators: list[tuple[PathTuple, dict[str, Any]]] = []
    for f_index, area in focus_areas:
        area_path: PathTuple = ("focus_areas", f_index)
        indicators += [
            ((*area_path, "indicators", i), ind) for i, ind in _dicts(area, "indicators")
        ]
        for g_index, goal in _dicts(area, "goals"):
            goal_path: PathTuple = (*area_path, "goals", g_index)
            goal_entries.append(((*goal_path, "slug"), goal.get("slug")))
            indicators += [
                ((*goal_path, "indicators", i), ind) for i, ind in _dicts(goal, "indicators")
            ]
            for i_index, initiative in _dicts(goal, "initiatives"):
                initiative_path: PathTuple = (*goal_path, "initiatives", i_index)
                initiative_entries.append(((*initiative_path, "slug"), initiative.get("slug")))
                org = initiative.get("organisation")
                if isinstance(org, str) and org not in in_tree:
                    yield _outside_tree((*initiative_path, "organisation"), org, owner)
    indicator_entries = [((*path, "slug"), ind.get("slug")) for path, ind in indicators]
    yield from _duplicates(goal_entries, _("goal"))
    yield from _duplicates(indicator_entries, _("indicator"))
    yield from _duplicates(initiative_entries, _("initiative"))

    goal_slugs = [slug for _path, slug in goal_entries if isinstance(slug, str)]
    indicator_slugs = [slug for _path, slug in indicator_entries if isinstance(slug, str)]
    datasets = {
        _text(d.get("slug")): d for _i, d in _dicts(data, "datasets") if _text(d.get("slug"))
    }
    yield from _formula_cycle_issues(indicators)
    calendars = {ind.get("slug"): _calendar_named(ind) for _path, ind in indicators}
    for path, indicator in indicators:
        measures = indicator.get("measures")
        for m_index, slug in enumerate(measures if isinstance(measures, list) else []):
            if isinstance(slug, str) and slug not in goal_slugs:
                yield Issue(
                    (*path, "measures", m_index),
                    _("There is no goal “%(slug)s” in this plan.") % {"slug": slug}
                    + did_you_mean(slug, goal_slugs),
                )
        yield from _calendar_issues(path, indicator)
        yield from _formula_calendar_issues(path, indicator, calendars)
        measures_of = [(path, indicator)] + [
            ((*path, "other_measures", i), measure)
            for i, measure in _dicts(indicator, "other_measures")
        ]
        yield from _duplicates(
            [((*p, "slug"), m.get("slug")) for p, m in measures_of[1:]], _("measure")
        )
        for measure_path, measure in measures_of[1:]:
            yield from _measure_issues(measure_path, measure, indicator)
        for measure_path, measure in measures_of:
            yield from _source_issues(measure_path, measure, datasets, indicator_slugs)
            for t_index, target in _dicts(measure, "targets"):
                yield from _target_issues(
                    (*measure_path, "targets", t_index),
                    target,
                    in_tree,
                    owner,
                    start if years_known else None,
                    end if years_known else None,
                )


# The longest slug a plan keeps (the schema's maxLength).
SLUG_LENGTH = 80

# Between an indicator's slug and its other measure's, in the name the measure is kept
# under: slugs have single hyphens only, so no indicator can take that name.
MEASURE_SEPARATOR = "--"

# The month each calendar begins in when the file does not say: a season runs from August
# like a school year; a snapshot counts as of 1 October, as the culture schools' returns do.
CALENDAR_MONTHS = {"year": 1, "school_year": 8, "season": 8, "snapshot": 10}


def calendar_of(indicator: dict[str, Any]) -> tuple[str, int]:
    """An indicator's calendar and its first month (a snapshot's month). A metric's
    `period: school_year` is the older spelling of `calendar: school_year`."""
    calendar = indicator.get("calendar") or (indicator.get("metric") or {}).get("period", "year")
    return calendar, indicator.get("calendar_month") or CALENDAR_MONTHS[calendar]


def _calendar_named(indicator: dict[str, Any]) -> str | None:
    """The calendar an entry names, or None where the file has it wrong (said elsewhere)."""
    metric = indicator.get("metric")
    period = metric.get("period") if isinstance(metric, dict) else None
    calendar = indicator.get("calendar") or period or "year"
    return calendar if calendar in CALENDAR_MONTHS else None


def _formula_calendar_issues(
    path: PathTuple, indicator: dict[str, Any], calendars: dict[Any, str | None]
) -> Iterator[Issue]:
    """A formula counts in the calendar of the indicators it is made from."""
    formula = indicator.get("formula")
    if not isinstance(formula, dict):
        return
    own = calendars.get(indicator.get("slug"))
    for operation in _FORMULA_OPERATIONS:
        named = formula.get(operation)
        for slug in named if isinstance(named, list) else [named]:
            other = calendars.get(slug) if isinstance(slug, str) else None
            if own and other and other != own:
                yield Issue(
                    (*path, "formula", operation),
                    _("“%(slug)s” counts by “%(other)s” and this indicator by “%(own)s”: a "
                      "formula counts in its inputs' calendar, so give it “calendar: "
                      "%(other)s”.") % {"slug": slug, "other": other, "own": own},
                )  # fmt: skip


def _measure_issues(
    path: PathTuple, measure: dict[str, Any], indicator: dict[str, Any]
) -> Iterator[Issue]:
    """Another measure is kept as `<indicator>--<measure>` and counts in its indicator's
    calendar."""
    slug, parent = measure.get("slug"), indicator.get("slug")
    if isinstance(slug, str) and isinstance(parent, str):
        longest = SLUG_LENGTH - len(parent) - len(MEASURE_SEPARATOR)
        if len(slug) > longest:
            yield Issue(
                (*path, "slug"),
                _("A measure is kept as “%(indicator)s--%(measure)s”, which may be at most "
                  "%(limit)s characters: shorten this slug to %(longest)s characters or "
                  "fewer.") % {"indicator": parent, "measure": slug, "limit": SLUG_LENGTH,
                               "longest": max(longest, 0)},
            )  # fmt: skip
    calendar = _calendar_named(indicator)
    if calendar is not None:
        yield from _period_issues(path, measure, calendar)


def _period_issues(path: PathTuple, entry: dict[str, Any], calendar: str) -> Iterator[Issue]:
    """A metric's older `period` must not say another calendar than the indicator's."""
    metric = entry.get("metric")
    period = metric.get("period") if isinstance(metric, dict) else None
    if period is not None and period != calendar:
        yield Issue(
            (*path, "metric", "period"),
            _("The metric counts by “%(period)s” but the indicator's calendar is "
              "“%(calendar)s”; leave out the metric's “period”.")
            % {"period": period, "calendar": calendar},
        )  # fmt: skip


def _calendar_issues(path: PathTuple, indicator: dict[str, Any]) -> Iterator[Issue]:
    calendar = indicator.get("calendar")
    if calendar is not None:
        yield from _period_issues(path, indicator, calendar)
    if "calendar_month" in indicator and calendar not in ("season", "snapshot"):
        yield Issue(
            (*path, "calendar_month"),
            _("“%(key)s” is only used together with “%(other)s”.")
            % {"key": "calendar_month", "other": "calendar: season / snapshot"},
            at_key=True,
        )


def _text(value: Any) -> str | None:
    """The value if it is text; anything else has already been reported by the schema."""
    return value if isinstance(value, str) else None


def _in_cycle(slug: str | None, parents: dict[str, str | None]) -> bool:
    seen = set()
    current = parents.get(slug)
    while current is not None and current in parents:
        if current == slug:
            return True
        if current in seen:
            return False
        seen.add(current)
        current = parents.get(current)
    return False


def _subtree(root: str, parents: dict[str, str | None]) -> set[str]:
    """The root and every organisation whose chain of parents reaches it."""
    members = set()
    for slug in parents:
        current, seen = slug, set()
        while current is not None and current not in seen:
            if current == root:
                members.add(slug)
                break
            seen.add(current)
            current = parents.get(current)
    return members


def _outside_tree(path: PathTuple, slug: str, owner: Any) -> Issue:
    return Issue(
        path,
        _(
            "“%(slug)s” is not the plan's owner “%(owner)s” or an organisation below it, "
            "so this plan cannot set it targets or tasks."
        )
        % {"slug": slug, "owner": owner},
    )


# The key that says over which years a target holds, for each kind of target.
PERIOD_KEYS = ("year", "each_year", "deadline", "by")
KIND_PERIODS = {
    "level_by": ("by",),
    "change_by": ("by",),
    "total": ("deadline",),
    "floor": ("year", "each_year"),
    "ceiling": ("year", "each_year"),
    "growth": ("year", "each_year"),
}
# The comparator each kind implies; a level or a change by a deadline takes the indicator's
# direction, or the sign of the change.
KIND_COMPARATORS = {"floor": "at_least", "total": "at_least", "ceiling": "at_most",
                    "growth": "growth_at_least"}  # fmt: skip


def target_kind(target: dict[str, Any]) -> str:
    """The kind a target states, or the one its keys imply: a level by a deadline for “by”, a
    total for “deadline”, otherwise what the comparator says (a floor by default)."""
    if "kind" in target:
        return target["kind"]
    if "by" in target:
        return "level_by"
    if "deadline" in target:
        return "total"
    return {"at_most": "ceiling", "growth_at_least": "growth"}.get(
        target.get("comparator", ""), "floor"
    )


def target_comparator(target: dict[str, Any], direction: str) -> str:
    """The comparator a target states, or the one its kind implies."""
    if "comparator" in target:
        return target["comparator"]
    kind = target_kind(target)
    if kind == "level_by":
        return "at_most" if direction == "decrease" else "at_least"
    if kind == "change_by":
        value = target.get("value")
        return "at_most" if isinstance(value, int | float) and value < 0 else "at_least"
    return KIND_COMPARATORS[kind]


def _target_issues(
    path: PathTuple,
    target: dict[str, Any],
    in_tree: set[str],
    owner: Any,
    start: int | None,
    end: int | None,
) -> Iterator[Issue]:
    org = target.get("organisation")
    if isinstance(org, str) and org not in in_tree:
        yield _outside_tree((*path, "organisation"), org, owner)
    periods = [key for key in PERIOD_KEYS if key in target]
    if len(periods) != 1:
        yield Issue(
            path,
            _(
                "A target needs exactly one of “year”, “each_year”, “deadline” or “by”; "
                "found %(found)s."
            )
            % {"found": quoted_list(periods) if periods else _("none")},
        )
    kind = target_kind(target)
    if periods and kind in KIND_PERIODS and periods[0] not in KIND_PERIODS[kind]:
        yield Issue(
            (*path, "kind"),
            _("A target of the kind “%(kind)s” is set with %(keys)s, not “%(key)s”.")
            % {"kind": kind, "keys": quoted_list(KIND_PERIODS[kind]), "key": periods[0]},
        )
    implied = KIND_COMPARATORS.get(kind)
    comparator = target.get("comparator")
    if "kind" in target and implied and comparator not in (None, implied):
        yield Issue(
            (*path, "comparator"),
            _("A target of the kind “%(kind)s” compares “%(implied)s”, not “%(comparator)s”.")
            % {"kind": kind, "implied": implied, "comparator": comparator},
        )
    if kind in ("level_by", "change_by") and comparator == "growth_at_least":
        yield Issue(
            (*path, "comparator"),
            _("A level or a change by a deadline compares “at_least” or “at_most”."),
        )
    if kind == "change_by" and "baseline" not in target:
        yield Issue(
            path,
            _("A change by a deadline needs a “baseline”: the year the change is measured from."),
        )
    baseline = target.get("baseline")
    if (
        isinstance(baseline, dict)
        and "value" not in baseline
        and kind
        not in (
            "level_by",
            "change_by",
        )
    ):
        yield Issue(
            (*path, "baseline"),
            _("The baseline needs a “value” here; only a level or a change by a deadline can "
              "take it from the figures."),
        )  # fmt: skip
    for key, belongs_to in (("from", ("each_year", "by")), ("to", ("each_year",)),
                            ("since", ("deadline",))):  # fmt: skip
        if key in target and not any(other in target for other in belongs_to):
            yield Issue(
                (*path, key),
                _("“%(key)s” is only used together with %(other)s.")
                % {"key": key, "other": quoted_list(belongs_to)},
                at_key=True,
            )
    if target.get("comparator") == "growth_at_least" and "deadline" in target:
        yield Issue(
            (*path, "comparator"),
            _("A growth target is set per year; use “year” or “each_year”, not “deadline”."),
        )
    by = target.get("by")
    baseline_year = baseline.get("year") if isinstance(baseline, dict) else None
    if isinstance(by, int) and isinstance(baseline_year, int) and baseline_year >= by:
        yield Issue(
            (*path, "baseline", "year"),
            _("The baseline year must come before the deadline %(by)s.") % {"by": by},
        )
    if start is None or end is None:
        return
    for key in ("year", "from", "to", "deadline", "since", "by"):
        year = target.get(key)
        if isinstance(year, int) and not isinstance(year, bool) and not start <= year <= end:
            yield Issue(
                (*path, key),
                _("The year %(year)s is outside the plan's years %(start)s–%(end)s.")
                % {"year": year, "start": start, "end": end},
            )
    first, last = target.get("from", start), target.get("to", target.get("by", end))
    if isinstance(first, int) and isinstance(last, int) and first > last:
        key = "to" if "to" in target else ("by" if "by" in target else "from")
        yield Issue((*path, key), _("“%(key)s” comes before “from”.") % {"key": key})
    since, deadline = target.get("since", start), target.get("deadline")
    if isinstance(since, int) and isinstance(deadline, int) and since > deadline:
        yield Issue((*path, "since"), _("“since” comes after the deadline."))


def _dataset_issues(data: dict[str, Any], organisations: set[Any]) -> Iterator[Issue]:
    datasets = _dicts(data, "datasets")
    yield from _duplicates(
        [(("datasets", i, "slug"), d.get("slug")) for i, d in datasets], _("dataset")
    )
    for index, dataset in datasets:
        path: PathTuple = ("datasets", index)
        has_org, has_column = "organisation" in dataset, "organisation_column" in dataset
        if has_org == has_column:
            yield Issue(
                path,
                _(
                    "A dataset needs exactly one of “organisation” (every row belongs to it) or "
                    "“organisation_column” (a column names the organisation)."
                ),
            )
        org = dataset.get("organisation")
        if isinstance(org, str) and org not in organisations:
            yield Issue(
                (*path, "organisation"),
                _("The organisation “%(slug)s” is not one of the file's organisations.")
                % {"slug": org},
            )
        columns = _dicts(dataset, "columns")
        yield from _duplicates(
            [((*path, "columns", i, "name"), c.get("name")) for i, c in columns], _("column")
        )
        roles = {_text(c.get("name")): c.get("role") for _i, c in columns}
        for role, limit in (("measure", MEASURE_SLOTS), ("category", CATEGORY_SLOTS)):
            if sum(1 for _i, c in columns if c.get("role") == role) > limit:
                yield Issue(
                    (*path, "columns"),
                    _("A dataset can have at most %(limit)s columns with the role “%(role)s”.")
                    % {"limit": limit, "role": role},
                )
        for c_index, column in columns:
            if column.get("choices") is not None and column.get("role") != "category":
                yield Issue(
                    (*path, "columns", c_index, "choices"),
                    _("Only a category column can have choices."),
                )
            if "empty" in column and (column.get("role") != "measure" or "ratio_of" in column):
                yield Issue(
                    (*path, "columns", c_index, "empty"),
                    _("Only a measure read from the file has a rule for empty cells."),
                    at_key=True,
                )
            ratio_of = column.get("ratio_of")
            if ratio_of is None:
                continue
            if column.get("role") != "measure":
                yield Issue(
                    (*path, "columns", c_index, "ratio_of"),
                    _("Only a measure column can be computed as a ratio."),
                )
            for r_index, name in enumerate(ratio_of if isinstance(ratio_of, list) else []):
                if isinstance(name, str) and roles.get(name) != "measure":
                    yield Issue(
                        (*path, "columns", c_index, "ratio_of", r_index),
                        _("There is no column “%(name)s” with the role “%(role)s” in this dataset.")
                        % {"name": name, "role": "measure"},
                    )
        for key, role in (("date_column", "date"), ("organisation_column", "organisation")):
            name = dataset.get(key)
            if isinstance(name, str) and roles.get(name) != role:
                yield Issue(
                    (*path, key),
                    _("There is no column “%(name)s” with the role “%(role)s” in this dataset.")
                    % {"name": name, "role": role},
                )


# What each kind of metric needs: (key, the role its column must have).
_METRIC_COLUMNS = {
    "count": [],
    "sum": [("column", "measure")],
    "mean": [("column", "measure")],
    "distinct": [("column", "category")],
    "ratio": [("numerator", "measure"), ("denominator", "measure")],
    "mean_of_ratios": [("numerator", "measure"), ("denominator", "measure")],
}
_FORMULA_OPERATIONS = ("growth", "share", "difference", "cumulative")


def _source_issues(
    path: PathTuple,
    indicator: dict[str, Any],
    datasets: dict[str | None, dict[str, Any]],
    indicator_slugs: list[str],
) -> Iterator[Issue]:
    metric, formula = indicator.get("metric"), indicator.get("formula")
    if metric is not None and formula is not None:
        yield Issue(
            path,
            _("An indicator is computed by a “metric” or by a “formula”, not by both."),
        )
    if isinstance(metric, dict):
        yield from _metric_issues((*path, "metric"), metric, datasets)
    if isinstance(formula, dict):
        formula_path: PathTuple = (*path, "formula")
        operations = [key for key in _FORMULA_OPERATIONS if key in formula]
        if len(operations) != 1:
            yield Issue(
                formula_path,
                _("A formula needs exactly one of %(choices)s.")
                % {"choices": quoted_list(_FORMULA_OPERATIONS)},
            )
        if "since" in formula and "cumulative" not in formula:
            yield Issue(
                (*formula_path, "since"),
                _("“%(key)s” is only used together with “%(other)s”.")
                % {"key": "since", "other": "cumulative"},
                at_key=True,
            )
        for operation in operations:
            named = formula[operation]
            for index, slug in enumerate(named if isinstance(named, list) else [named]):
                if isinstance(slug, str) and slug not in indicator_slugs:
                    where = (*formula_path, operation) + (
                        (index,) if isinstance(named, list) else ()
                    )
                    yield Issue(
                        where,
                        _("There is no indicator “%(slug)s” in this plan.") % {"slug": slug}
                        + did_you_mean(slug, indicator_slugs),
                    )


def _metric_issues(
    path: PathTuple, metric: dict[str, Any], datasets: dict[str | None, dict[str, Any]]
) -> Iterator[Issue]:
    dataset = datasets.get(_text(metric.get("dataset")))
    if dataset is None:
        name = metric.get("dataset")
        if isinstance(name, str):
            yield Issue(
                (*path, "dataset"),
                _("There is no dataset “%(slug)s” in this file.") % {"slug": name}
                + did_you_mean(name, [k for k in datasets if k]),
            )
        return
    roles = {_text(c.get("name")): c for _i, c in _dicts(dataset, "columns")}
    needed = _METRIC_COLUMNS.get(metric.get("aggregate"), [])
    for key, role in needed:
        name = metric.get(key)
        if name is None:
            yield Issue(
                (*path, key),
                _("The aggregate “%(aggregate)s” needs “%(key)s”.")
                % {"aggregate": metric.get("aggregate"), "key": key},
            )
        elif isinstance(name, str) and (roles.get(name) or {}).get("role") != role:
            yield Issue(
                (*path, key),
                _("There is no column “%(name)s” with the role “%(role)s” in this dataset.")
                % {"name": name, "role": role},
            )
    for key in ("column", "numerator", "denominator"):
        if key in metric and key not in dict(needed):
            yield Issue(
                (*path, key),
                _("The aggregate “%(aggregate)s” does not use “%(key)s”.")
                % {"aggregate": metric.get("aggregate"), "key": key},
                at_key=True,
            )
    if metric.get("aggregate") == "mean_of_ratios":
        pair = [metric.get("numerator"), metric.get("denominator")]
        if not any(c.get("ratio_of") == pair for c in roles.values()):
            yield Issue(
                path,
                _(
                    "A mean of per-row ratios needs the dataset to compute that ratio for "
                    "every row: add a measure column with “ratio_of: [%(numerator)s, "
                    "%(denominator)s]”."
                )
                % {"numerator": pair[0], "denominator": pair[1]},
            )
    for index, item in _dicts(metric, "filters"):
        name = item.get("column")
        if isinstance(name, str) and (roles.get(name) or {}).get("role") != "category":
            yield Issue(
                (*path, "filters", index, "column"),
                _("Filters work on category columns; “%(name)s” is not one in this dataset.")
                % {"name": name},
            )
        conditions = [key for key in ("equals", "in", "not", "not_in", "range") if key in item]
        if len(conditions) != 1:
            yield Issue(
                (*path, "filters", index),
                _("A filter needs exactly one of “equals”, “in”, “not”, “not_in” or “range”."),
            )


def _formula_cycle_issues(indicators: list[tuple[PathTuple, dict[str, Any]]]) -> Iterator[Issue]:
    uses: dict[str, list[str]] = {}
    for _path, indicator in indicators:
        formula = indicator.get("formula")
        slug = _text(indicator.get("slug"))
        if slug and isinstance(formula, dict):
            named = [formula.get(op) for op in _FORMULA_OPERATIONS]
            flat = [n for item in named for n in (item if isinstance(item, list) else [item])]
            uses[slug] = [n for n in flat if isinstance(n, str)]
    for path, indicator in indicators:
        slug = _text(indicator.get("slug"))
        if slug in uses and _reaches(slug, slug, uses, set()):
            yield Issue(
                (*path, "formula"),
                _("The formula of “%(slug)s” depends on itself.") % {"slug": slug},
            )


def _reaches(start: str, goal: str, uses: dict[str, list[str]], seen: set[str]) -> bool:
    for used in uses.get(start, []):
        if used == goal:
            return True
        if used not in seen:
            seen.add(used)
            if _reaches(used, goal, uses, seen):
                return True
    return False


# --- the normal form ----------------------------------------------------------------------

# The value a key takes when a file leaves it out. An export leaves out keys that hold these.
DEFAULTS: dict[str, dict[str, Any]] = {
    "organisation": {
        "kind": "organisation",
        "parent": None,
        "description": "",
        "contact_email": "",
        "attributes": {},
    },
    "plan": {
        "state": "draft",
        "adopted_on": None,
        "introduction": "",
        "vision": "",
        "mission": "",
        "values": [],
        "target_groups": [],
        "ambitions": [],
        "sections": [],
    },
    "value": {"description": ""},
    "section": {"number": ""},
    "dataset": {
        "description": "",
        "register": False,
        "organisation": None,
        "organisation_column": None,
        "date_meaning": None,
    },
    "column": {"label": "", "aliases": [], "ratio_of": None, "choices": None},
    "metric": {"filters": [], "scale": 1, "period": "year"},
    "focus_area": {
        "number": "",
        "kind": "focus_area",
        "description": "",
        "goals": [],
        "indicators": [],
    },
    "goal": {"description": "", "indicators": [], "initiatives": []},
    "indicator": {
        "description": "",
        "unit": "count",
        "direction": "increase",
        "over_time": "sum",
        "over_tree": "sum",
        "measures": [],
        "metric": None,
        "formula": None,
        "targets": [],
    },
    "target": {"baseline": None, "note": ""},
    "initiative": {
        "kind": "initiative",
        "description": "",
        "organisation": None,
        "responsible": "",
        "due": None,
        "status": "planned",
    },
}


def _with_defaults(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS[kind], **item}


def plain_number(value: Any) -> int | float:
    """One spelling for a number, the way the database keeps it (four decimals)."""
    number = Decimal(str(value)).quantize(Decimal("0.0001"))
    return int(number) if number == number.to_integral_value() else float(number)


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """The checked file with every default filled in, so equal plans have equal checksums."""
    plan = _with_defaults("plan", data["plan"])
    start, end = plan["start_year"], plan["end_year"]
    plan["values"] = [_with_defaults("value", v) for v in plan["values"]]
    plan["sections"] = [
        {**_with_defaults("section", s), "number": str(s.get("number", ""))}
        for s in plan["sections"]
    ]

    # The goals an indicator measures, in the order the goals stand in the plan.
    goal_order = {
        goal["slug"]: index
        for index, goal in enumerate(
            g for area in data["focus_areas"] for g in area.get("goals", [])
        )
    }

    def indicator(item: dict[str, Any]) -> dict[str, Any]:
        result = measure(item)
        result["measures"] = sorted(result["measures"], key=goal_order.__getitem__)
        # A calendar is written only where it is not the default.
        calendar, month = calendar_of(item)
        if result.pop("calendar", "year") != "year":
            result["calendar"] = calendar
        if result.pop("calendar_month", None) not in (None, CALENDAR_MONTHS[calendar]):
            result["calendar_month"] = month
        # Kept only where the file has them, so that the files before them keep their
        # checksums.
        if "other_measures" in item:
            result["other_measures"] = [
                measure(m, of_indicator=True) for m in item["other_measures"]
            ]
        return result

    def measure(item: dict[str, Any], of_indicator: bool = False) -> dict[str, Any]:
        result = _with_defaults("indicator", item)
        if of_indicator:  # it measures the goals its indicator measures
            del result["measures"]
        if result["metric"] is not None:
            result["metric"] = _with_defaults("metric", result["metric"])
            result["metric"]["scale"] = plain_number(result["metric"]["scale"])
        if result["formula"] is not None and "cumulative" in result["formula"]:
            result["formula"] = {"since": start, **result["formula"]}
        result["targets"] = [target(t, result["direction"]) for t in result["targets"]]
        return result

    def target(item: dict[str, Any], direction: str) -> dict[str, Any]:
        result = _with_defaults("target", item)
        result["comparator"] = target_comparator(item, direction)
        # The kind is kept only where the other keys do not already say it.
        result.pop("kind", None)
        if target_kind(item) != target_kind(result):
            result["kind"] = target_kind(item)
        result["value"] = plain_number(result["value"])
        if "each_year" in result or "by" in result:
            result["from"] = result.get("from", start)
        if "each_year" in result:
            result["to"] = result.get("to", end)
        if "deadline" in result:
            result["since"] = result.get("since", start)
        if result["baseline"] is not None:
            baseline = result["baseline"]
            result["baseline"] = {"year": baseline["year"]} | (
                {"value": plain_number(baseline["value"])} if "value" in baseline else {}
            )
        return result

    def goal(item: dict[str, Any]) -> dict[str, Any]:
        result = _with_defaults("goal", item)
        result["indicators"] = [indicator(i) for i in result["indicators"]]
        result["initiatives"] = [_with_defaults("initiative", i) for i in result["initiatives"]]
        return result

    def focus_area(item: dict[str, Any]) -> dict[str, Any]:
        result = _with_defaults("focus_area", item)
        result["number"] = str(result["number"])
        result["goals"] = [goal(g) for g in result["goals"]]
        result["indicators"] = [indicator(i) for i in result["indicators"]]
        return result

    def dataset(item: dict[str, Any]) -> dict[str, Any]:
        result = _with_defaults("dataset", item)
        result["columns"] = [_with_defaults("column", c) for c in result["columns"]]
        return result

    return {
        "format": FORMAT,
        "organisations": [_with_defaults("organisation", o) for o in data["organisations"]],
        "plan": plan,
        "datasets": [dataset(d) for d in data.get("datasets", [])],
        "focus_areas": [focus_area(f) for f in data["focus_areas"]],
    }
