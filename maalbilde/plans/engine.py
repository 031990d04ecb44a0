"""The indicator engine: an indicator's value for organisations and years, computed in the
database from facts (metrics) and observations (typed-in figures), and from other
indicators' values (formulas).

Every value is asked for a set of organisations ("roots") at once; each root's value covers
its whole subtree as the indicator's `over_tree` says:
- sum: the rows of the root and everything below it, pooled (a count, a sum, a pooled mean
  or ratio);
- mean: the value of each organisation in the subtree that has data, averaged;
- none: the root's own rows only.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max, Q

from maalbilde.data.models import Batch, Dataset, Fact, RegisterRow
from maalbilde.organisations.models import AuditEntry, Organisation
from maalbilde.plans.models import Indicator, Observation

# (root organisation id, year) → value
Values = dict[tuple[int, int], float]

# A metric's aggregate as SQL over the fact slots: (numerator, denominator or None).
_AGGREGATES = {
    "count": ("SUM(f.rows)", None),
    # A sum over rows that never had the measure is no figure, not 0.
    "sum": ("CASE WHEN SUM(f.{count}) > 0 THEN SUM(f.{column}) END", None),
    "mean": ("SUM(f.{column})", "SUM(f.{count})"),
    "ratio": ("SUM(f.{numerator})", "SUM(f.{denominator})"),
    "mean_of_ratios": ("SUM(f.{derived})", "SUM(f.{derived_count})"),
}
ADDITIVE_AGGREGATES = {"count", "sum"}


def first_month(indicator: Indicator) -> int:
    """The month an indicator's year begins (August for a school year), or the month of its
    snapshot."""
    return indicator.calendar_month if indicator.calendar != "year" else 1


def _period_sql(indicator: Indicator, month: str = "f.month", year: str = "f.year") -> str:
    """The year a row counts towards: the calendar year, or the school year or season it
    falls in (named by the year it starts in)."""
    begins = first_month(indicator)
    if indicator.calendar in ("year", "snapshot") or begins == 1:
        return year
    return f"(CASE WHEN {month} >= {begins} THEN {year} ELSE {year} - 1 END)"


def _snapshot_sql(indicator: Indicator, month: str = "f.month") -> str:
    """A snapshot counts the rows of its month alone (a whole year's typed-in figure is the
    count on that date)."""
    if indicator.calendar != "snapshot":
        return ""
    return f" AND {month} IN (0, {int(indicator.calendar_month)})"


def _tree_join(over_tree: str, rows: str = "f") -> str:
    """Join the rows (alias `rows`: facts or observations) to the roots they count for."""
    if over_tree == "none":
        return f"JOIN organisations_organisation r ON r.id = {rows}.organisation_id"
    return (
        f"JOIN organisations_organisation o ON o.id = {rows}.organisation_id "
        "JOIN organisations_organisation r ON o.path LIKE r.path || '%%'"
    )


def _in(values: Iterable[Any]) -> tuple[str, list[Any]]:
    values = list(values)
    return "(" + ", ".join(["%s"] * len(values)) + ")", values


def _filters_sql(dataset: Dataset, filters: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for item in filters:
        slot = f"LOWER(f.{dataset.slots[item['column']]})"
        if "equals" in item:
            clauses.append(f"{slot} = %s")
            params.append(str(item["equals"]).lower())
        elif "not" in item:
            clauses.append(f"{slot} <> %s")
            params.append(str(item["not"]).lower())
        else:
            if "range" in item:
                chosen = _values_in_range(dataset, item["column"], item["range"])
            else:
                chosen = [str(v).lower() for v in item.get("in", item.get("not_in", []))]
            sql, values = _in(chosen or [""])
            negate = "NOT " if "not_in" in item else ""
            if not chosen and not negate:
                clauses.append("1 = 0")
                continue
            clauses.append(f"{slot} {negate}IN {sql}")
            params += values
    return "".join(f" AND {c}" for c in clauses), params


def metric_trail(
    dataset: Dataset, metric: dict[str, Any], root: Organisation, year: int
) -> list[tuple[str, int]]:
    """A figure's trail: the imported files (not withdrawn) a metric counts for an
    organisation and those below it in a calendar year, each with the rows of it counted."""
    filters, params = _filters_sql(dataset, metric.get("filters", []))
    sql = (
        f"SELECT b.file_name, SUM(f.rows) FROM {Fact._meta.db_table} f "
        f"JOIN {Batch._meta.db_table} b ON b.id = f.batch_id "
        f"JOIN {Organisation._meta.db_table} o ON o.id = f.organisation_id "
        f"WHERE f.dataset_id = %s AND f.year = %s AND o.path LIKE %s "
        f"AND b.withdrawn_at IS NULL{filters} GROUP BY b.file_name ORDER BY b.file_name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [dataset.pk, year, f"{root.path}%", *params])
        return [(name, int(rows)) for name, rows in cursor.fetchall()]


def metric_dataset(metric: dict[str, Any]) -> Dataset | None:
    """The dataset a metric written as in plan files (dataset, aggregate, column, filters)
    reads, or None if it names a dataset or column that is not there."""
    dataset = Dataset.objects.filter(slug=metric.get("dataset", "")).first()
    columns = [metric.get("column"), *(f.get("column") for f in metric.get("filters", []))]
    if dataset is None or any(c is not None and c not in dataset.slots for c in columns):
        return None
    return dataset


def metric_value(
    metric: dict[str, Any], dataset: Dataset, root: Organisation, year: int
) -> tuple[float | None, list[tuple[str, int]]]:
    """A metric over `dataset` (as `metric_dataset` found it) for an organisation and those
    below it in a calendar year, computed as an indicator's would be; and its trail. For
    what asks a figure of the data outside a plan (a return's field, a round's pre-filled
    answer)."""
    indicator = Indicator(slug="metric", name="metric", unit=Indicator.Unit.COUNT,
                          over_time="sum", over_tree="sum", metric=metric, calendar="year",
                          calendar_month=1)  # fmt: skip
    engine = Engine({"metric": indicator}, None, {dataset.slug: dataset})
    value = engine.values("metric", [root], year, year).get((root.pk, year))
    return value, metric_trail(dataset, metric, root, year)


def _values_in_range(dataset: Dataset, column: str, bounds: list[float | None]) -> list[str]:
    """The category values (as numbers) inside a range: read the few distinct values."""
    slot = dataset.slots[column]
    low, high = bounds
    chosen = []
    for value in Fact.objects.filter(dataset=dataset).values_list(slot, flat=True).distinct():
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            continue
        if (low is None or number >= low) and (high is None or number <= high):
            chosen.append(str(value).lower())
    return chosen


@dataclass
class MetricQuery:
    indicator: Indicator
    dataset: Dataset
    roots: list[Organisation]
    first_year: int
    last_year: int
    # Count only months up to this one in each year (for year-to-date comparisons).
    until_month: int | None = None
    # Split each year into quarters or months (keys then carry the quarter or month too).
    within: str | None = None

    def run(self) -> dict[tuple[int, ...], float]:
        return _ask([self.question()])[0]

    def question(self) -> _Question:
        metric = self.indicator.metric
        dataset = self.dataset
        period = _period_sql(self.indicator)
        value_sql, outer = self._value_sql(metric, dataset)
        filters, filter_params = _filters_sql(dataset, metric.get("filters", []))
        roots, root_params = _in(r.pk for r in self.roots)
        until = ""
        until_params: list[Any] = []
        if self.until_month is not None:
            # Year-to-date: months of the period's first `n` months.
            until = f" AND ((f.month - {first_month(self.indicator)} + 12) %% 12) < %s"
            until_params = [self.until_month]
        where = (
            f"WHERE f.dataset_id = %s AND r.id IN {roots} "
            f"AND {period} BETWEEN %s AND %s{filters}{until}{_snapshot_sql(self.indicator)}"
        )
        params = [dataset.pk, *root_params, self.first_year, self.last_year, *filter_params,
                  *until_params]  # fmt: skip
        table = Fact._meta.db_table
        part = {"quarter": "((f.month - 1) / 3 + 1)", "month": "f.month"}.get(self.within or "")
        # A whole year has no part; a literal 0 must not be grouped by (SQLite reads it as a
        # column position).
        part_select, part_group = (part, f", {part}") if part else ("0", "")
        if self.indicator.over_tree == "mean":
            sql = (
                f"SELECT root, period, part, AVG(value) FROM ("
                f"SELECT r.id AS root, {period} AS period, {part_select} AS part, "
                f"{value_sql} AS value FROM {table} f {_tree_join('sum')} {where} "
                f"GROUP BY r.id, {period}{part_group}, f.organisation_id) per_organisation "
                f"WHERE value IS NOT NULL GROUP BY root, period, part"
            )
        else:
            sql = (
                f"SELECT r.id, {period}, {part_select}, {value_sql} FROM {table} f "
                f"{_tree_join(self.indicator.over_tree)} {where} "
                f"GROUP BY r.id, {period}{part_group}"
            )
        return _Question(sql, params, float(metric.get("scale", 1)) * outer, bool(self.within))

    def _value_sql(self, metric: dict[str, Any], dataset: Dataset) -> tuple[str, float]:
        aggregate = metric["aggregate"]
        slots = dataset.slots
        if aggregate == "distinct":
            return f"COUNT(DISTINCT NULLIF(f.{slots[metric['column']]}, ''))", 1.0
        derived = ""
        if aggregate == "mean_of_ratios":
            pair = [metric["numerator"], metric["denominator"]]
            derived = next(c["name"] for c in dataset.columns if c.get("ratio_of") == pair)
        names = {
            "column": slots.get(metric.get("column", ""), ""),
            "count": "k" + slots.get(metric.get("column", ""), "m0")[1:],
            "numerator": slots.get(metric.get("numerator", ""), ""),
            "denominator": slots.get(metric.get("denominator", ""), ""),
            "derived": slots.get(derived, ""),
            "derived_count": "k" + slots.get(derived, "m0")[1:],
        }
        numerator, denominator = _AGGREGATES[aggregate]
        numerator = numerator.format(**names)
        if denominator is None:
            return numerator, 1.0
        denominator = denominator.format(**names)
        # Floating point in both databases: CAST keeps integer division out of the ratio.
        return f"CAST({numerator} AS DOUBLE PRECISION) / NULLIF({denominator}, 0)", 1.0


def observation_question(
    indicator: Indicator,
    plan_id: int | None,
    roots: list[Organisation],
    first_year: int,
    last_year: int,
    until_month: int | None = None,
) -> _Question:
    """Typed-in figures per root and year. A year's value combines its figures as the
    indicator's `over_time` says (sum, mean, or the latest)."""
    combine = {"mean": "AVG(value)", "last": "MAX(CASE WHEN latest = 1 THEN value END)"}.get(
        indicator.over_time, "SUM(value)"
    )
    roots_sql, root_params = _in(r.pk for r in roots)
    join = _tree_join(indicator.over_tree, "b")
    begins = first_month(indicator)
    until = (
        f" AND (b.month = 0 OR ((b.month - {begins} + 12) %% 12) < %s)"
        if until_month is not None
        else ""
    )
    # A figure for the whole year (month 0) is for the indicator's year; a month's figure
    # counts towards the school year or season the month falls in.
    in_period = _period_sql(indicator, "b.month", "b.year")
    year = f"(CASE WHEN b.month = 0 THEN b.year ELSE {in_period} END)"
    # The latest figure of a period is its last month in the period's own order.
    order = f"CASE WHEN b.month = 0 THEN 0 ELSE ((b.month - {begins} + 12) %% 12) + 1 END"
    table = Observation._meta.db_table
    per_organisation = (
        f"SELECT r.id AS root, {year} AS year, b.organisation_id AS organisation, "
        f"b.value AS value, ROW_NUMBER() OVER (PARTITION BY r.id, {year}, b.organisation_id "
        f"ORDER BY {order} DESC) AS latest "
        f"FROM {table} b {join} "
        f"WHERE b.plan_id = %s AND b.indicator_slug = %s AND r.id IN {roots_sql} "
        f"AND {year} BETWEEN %s AND %s{until}{_snapshot_sql(indicator, 'b.month')}"
    )
    by_organisation = (
        f"SELECT root, year, organisation, {combine} AS value FROM ({per_organisation}) x "
        f"GROUP BY root, year, organisation"
    )
    across = "AVG(value)" if indicator.over_tree == "mean" else "SUM(value)"
    sql = f"SELECT root, year, 0, {across} FROM ({by_organisation}) y GROUP BY root, year"
    params = [plan_id, indicator.slug, *root_params, first_year, last_year]
    if until_month is not None:
        params.append(until_month)
    return _Question(sql, params)


@dataclass
class _Question:
    """One indicator's values for some roots and years, as SQL whose rows are (root, year,
    part of the year or 0, value)."""

    sql: str
    params: list[Any]
    factor: float = 1.0
    within: bool = False

    def values(self, rows: Iterable[tuple[Any, ...]]) -> dict[tuple[int, ...], float]:
        return {
            ((root, int(year), int(part)) if self.within else (root, int(year))): float(value)
            * self.factor
            for root, year, part, value in rows
            if value is not None
        }


# SQLite takes at most 500 parts in a compound SELECT and 32 766 parameters in a statement.
ASKED_TOGETHER = 200
PARAMETERS_TOGETHER = 10_000


def _ask(questions: list[_Question]) -> list[dict[tuple[int, ...], float]]:
    """The answers to many questions from one query (one round trip to the database for the
    indicators of a page, up to a few hundred), in the questions' order."""
    answers: list[dict[tuple[int, ...], float]] = []
    for batch in _batches(questions):
        sql = " UNION ALL ".join(
            f"SELECT {number} AS question, q{number}.* FROM ({question.sql}) q{number}"
            for number, question in enumerate(batch)
        )
        rows: list[list[tuple[Any, ...]]] = [[] for _ in batch]
        with connection.cursor() as cursor:
            cursor.execute(sql, [param for question in batch for param in question.params])
            for number, *row in cursor.fetchall():
                rows[number].append(tuple(row))
        answers += [question.values(answer) for question, answer in zip(batch, rows, strict=True)]
    return answers


def _batches(questions: list[_Question]) -> Iterator[list[_Question]]:
    batch: list[_Question] = []
    parameters = 0
    for question in questions:
        full = (
            len(batch) == ASKED_TOGETHER or parameters + len(question.params) > PARAMETERS_TOGETHER
        )
        if batch and full:
            yield batch
            batch, parameters = [], 0
        batch.append(question)
        parameters += len(question.params)
    if batch:
        yield batch


@dataclass
class Engine:
    """Values of a plan version's indicators, memoised, formulas resolved through the plan."""

    indicators: dict[str, Indicator]
    # The plan whose typed-in figures its indicators read (they are named by plan and slug).
    plan_id: int | None = None
    datasets: dict[str, Dataset] = field(default_factory=dict)
    cache: dict[tuple[str, tuple[int, ...], int, int, int | None], Values] = field(
        default_factory=dict
    )
    months: dict[tuple[str, int, int], int | None] = field(default_factory=dict)

    @classmethod
    def for_version(cls, version: Any) -> Engine:
        # A version's indicators never change (an edit makes a new version): read once and
        # kept in the process under its checksum, shared by every request and never changed.
        # Datasets are read each time: their columns may change.
        indicators = _indicators_of(version.pk, version.checksum)
        used = {i.metric["dataset"] for i in indicators if i.metric}
        datasets = {d.slug: d for d in Dataset.objects.filter(slug__in=used)} if used else {}
        return cls({i.slug: i for i in indicators}, version.plan_id, datasets)

    def values(
        self,
        slug: str,
        roots: list[Organisation],
        first_year: int,
        last_year: int,
        until_month: int | None = None,
    ) -> Values:
        if not roots:  # nobody's figures: nothing to ask the database (IN () is no SQL)
            return {}
        key = (slug, tuple(r.pk for r in roots), first_year, last_year, until_month)
        if key not in self.cache:
            self.cache[key] = self._compute(
                self.indicators[slug], roots, first_year, last_year, until_month
            )
        return self.cache[key]

    def prefetch(
        self, requests: Iterable[tuple[str, list[Organisation], int, int, int | None]]
    ) -> None:
        """Compute `values` for many indicators, roots and years in one query, kept for each
        root's own call: a plan's targets ask one root each, and would otherwise ask the
        database once each, and once for each indicator. Requests that differ only in their
        roots are asked as one; a formula's inputs are asked for in the same query."""
        asked: dict[tuple[str, int, int, int | None], dict[int, Organisation]] = {}
        pending = list(requests)
        while pending:
            slug, roots, first_year, last_year, until_month = pending.pop()
            formula = self.indicators[slug].formula
            if formula:
                inputs = _inputs(formula, first_year, last_year)
                pending += [(base, roots, first, last, until_month)
                            for base, first, last in inputs]  # fmt: skip
            else:
                together = asked.setdefault((slug, first_year, last_year, until_month), {})
                together.update((root.pk, root) for root in roots)
        asked = {key: roots for key, roots in asked.items() if roots}
        questions = [self._question(self.indicators[slug], list(roots.values()), *years)
                     for (slug, *years), roots in asked.items()]  # fmt: skip
        for (slug, *years), computed in zip(asked, _ask(questions), strict=True):
            for root in asked[(slug, *years)]:
                own = {key: value for key, value in computed.items() if key[0] == root}
                self.cache[(slug, (root,), *years)] = own

    def series(
        self, slug: str, roots: list[Organisation], first_year: int, last_year: int, within: str
    ) -> dict[tuple[int, ...], float]:
        """A metric per quarter or month: {(root, year, quarter or month): value}."""
        indicator = self.indicators[slug]
        if not indicator.metric:
            raise ValueError(f"{slug} is not computed from a dataset")
        dataset = self.dataset(indicator.metric["dataset"])
        query = MetricQuery(indicator, dataset, roots, first_year, last_year, within=within)
        return query.run()

    def dataset(self, slug: str) -> Dataset:
        if slug not in self.datasets:
            self.datasets[slug] = Dataset.objects.get(slug=slug)
        return self.datasets[slug]

    def months_with_data(self, slug: str, root: Organisation, year: int) -> int | None:
        """How many months of the period `year` run up to the last month with figures — so
        that "so far" compares the months that are in, not the calendar (revenue is booked
        a month late, say). None when the source has no months (formulas, yearly figures)."""
        key = (slug, root.pk, year)
        if key not in self.months:
            self.prefetch_months([(slug, [root], year)])
        return self.months[key]

    def prefetch_months(self, requests: Iterable[tuple[str, list[Organisation], int]]) -> None:
        """`months_with_data` for many indicators, roots and years in one query; requests
        that differ only in their roots are asked as one."""
        roots_of: dict[tuple[str, int], dict[int, Organisation]] = {}
        for slug, roots, year in requests:
            roots_of.setdefault((slug, year), {}).update((root.pk, root) for root in roots)
            self.months.update({(slug, root.pk, year): None for root in roots})
        asked = [(slug, question) for (slug, year), roots in roots_of.items()
                 if (question := self._months_question(self.indicators[slug],
                                                       list(roots.values()), year))]  # fmt: skip
        for (slug, _question), answer in zip(asked, _ask([q for _s, q in asked]), strict=True):
            for (root, year), months in answer.items():
                self.months[(slug, root, year)] = int(months) if months else None

    def _months_question(
        self, indicator: Indicator, roots: list[Organisation], year: int
    ) -> _Question | None:
        roots_sql, root_params = _in(r.pk for r in roots)
        if indicator.metric:
            dataset = self.dataset(indicator.metric["dataset"])
            begins = first_month(indicator)
            period = _period_sql(indicator)
            sql = (
                f"SELECT r.id, {period}, 0, MAX((f.month - {begins} + 12) %% 12) + 1 "
                f"FROM {Fact._meta.db_table} f {_tree_join(indicator.over_tree)} "
                f"WHERE f.dataset_id = %s AND r.id IN {roots_sql} AND {period} = %s "
                f"GROUP BY r.id, {period}"
            )
            return _Question(sql, [dataset.pk, *root_params, year])
        if indicator.formula:
            return None
        begins = first_month(indicator)
        period = _period_sql(indicator, "b.month", "b.year")
        sql = (
            f"SELECT r.id, {period}, 0, MAX((b.month - {begins} + 12) %% 12) + 1 "
            f"FROM {Observation._meta.db_table} b {_tree_join(indicator.over_tree, 'b')} "
            f"WHERE b.plan_id = %s AND b.indicator_slug = %s AND r.id IN {roots_sql} "
            f"AND {period} = %s AND b.month > 0 GROUP BY r.id, {period}"
        )
        return _Question(sql, [self.plan_id, indicator.slug, *root_params, year])

    def _compute(
        self,
        indicator: Indicator,
        roots: list[Organisation],
        first_year: int,
        last_year: int,
        until_month: int | None,
    ) -> Values:
        if indicator.formula:
            return self._formula(indicator.formula, roots, first_year, last_year, until_month)
        return _ask([self._question(indicator, roots, first_year, last_year, until_month)])[0]

    def _question(
        self,
        indicator: Indicator,
        roots: list[Organisation],
        first_year: int,
        last_year: int,
        until_month: int | None,
    ) -> _Question:
        if indicator.metric:
            dataset = self.dataset(indicator.metric["dataset"])
            query = MetricQuery(indicator, dataset, roots, first_year, last_year, until_month)
            return query.question()
        return observation_question(
            indicator, self.plan_id, roots, first_year, last_year, until_month
        )

    def _formula(
        self,
        formula: dict[str, Any],
        roots: list[Organisation],
        first_year: int,
        last_year: int,
        until_month: int | None,
    ) -> Values:
        result: Values = {}
        keys = [(r.pk, y) for r in roots for y in range(first_year, last_year + 1)]
        inputs = [self.values(slug, roots, first, last, until_month)
                  for slug, first, last in _inputs(formula, first_year, last_year)]  # fmt: skip
        if "growth" in formula:
            (base,) = inputs
            for root, year in keys:
                now, before = base.get((root, year)), base.get((root, year - 1))
                if now is not None and before:
                    result[(root, year)] = (now / before - 1) * 100
        elif "cumulative" in formula:
            (base,) = inputs
            since = formula["since"]
            for root, year in keys:
                parts = [base[(root, y)] for y in range(since, year + 1) if (root, y) in base]
                if parts and year >= since:
                    result[(root, year)] = sum(parts)
        else:
            first, second = inputs
            for key in keys:
                a, b = first.get(key), second.get(key)
                if a is None or b is None:
                    continue
                if "difference" in formula:
                    result[key] = a - b
                elif b:
                    result[key] = a / b * 100
        return result


def _inputs(formula: dict[str, Any], first_year: int, last_year: int) -> list[tuple[str, int, int]]:
    """The indicators and years a formula's values are made from: growth compares with the
    year before; a running total counts from its first year."""
    if "growth" in formula:
        return [(formula["growth"], first_year - 1, last_year)]
    if "cumulative" in formula:
        return [(formula["cumulative"], formula["since"], last_year)]
    operation = "share" if "share" in formula else "difference"
    return [(slug, first_year, last_year) for slug in formula[operation]]


@functools.lru_cache(maxsize=64)
def _indicators_of(version_id: int, checksum: str) -> list[Indicator]:
    return list(Indicator.objects.filter(version_id=version_id))


def is_additive(indicator: Indicator) -> bool:
    """Whether the indicator's values add up over time: a year's value is the sum of its
    parts, so part of a year is part of the value (counts and sums, not levels)."""
    if indicator.unit == "percent" or indicator.calendar == "snapshot":
        return False
    if indicator.metric:
        return indicator.metric["aggregate"] in ADDITIVE_AGGREGATES
    if indicator.formula:
        return "difference" in indicator.formula
    return indicator.over_time == "sum"


def is_running_total(indicator: Indicator) -> bool:
    """Whether each year's value already holds everything before it (a running total)."""
    return bool(indicator.formula and "cumulative" in indicator.formula) or (
        not indicator.metric and not indicator.formula and indicator.over_time == "cumulative"
    )


def figures_changed_at(
    indicator: Indicator, roots: list[Organisation], start: datetime.date, end: datetime.date
) -> datetime.datetime | None:
    """When the figures behind an indicator for the days `start` up to `end` last changed
    for `roots` and everything below them: the latest import or withdrawal of a file with
    figures for them, change to a register row, or typed-in figure. None for a formula (its
    inputs') or when nothing is there."""
    under = Q()
    for root in roots:
        under |= Q(organisation__path__startswith=root.path)
    first, last = (start.year, start.month), _month_before(end)
    in_months = (Q(year__gt=first[0]) | Q(year=first[0], month__gte=first[1])) & (
        Q(year__lt=last[0]) | Q(year=last[0], month__lte=last[1])
    )
    times: list[datetime.datetime | None] = []
    if indicator.metric:
        dataset = Dataset.objects.filter(slug=indicator.metric["dataset"]).first()
        if dataset is None:
            return None
        if dataset.register:
            rows = RegisterRow.objects.filter(under, dataset=dataset, date__gte=start, date__lt=end)
            times.append(rows.aggregate(at=Max("updated_at"))["at"])
            # A row removed, or moved to another day, is gone from the period: its record in
            # the audit log says when, and the day it had.
            gone = AuditEntry.objects.filter(
                under, action__in=("register", "register-remove"),
                subject__startswith=f"{dataset.slug}/", before__isnull=False,
            ).values_list("at", "before")  # fmt: skip
            days = (start.isoformat(), end.isoformat())
            times += [at for at, before in gone if days[0] <= before.get("date", "") < days[1]]
        else:
            facts = Fact.objects.filter(under, in_months, dataset=dataset)
            times.append(facts.aggregate(at=Max("batch__created_at"))["at"])
            span = (f"{first[0]}-{first[1]:02d}", f"{last[0]}-{last[1]:02d}")
            # A file imported above the roots (a museum's file for its sites) may hold theirs.
            above = {"/".join(r.path.split("/")[:n]) + "/" for r in roots
                     for n in range(2, r.path.count("/"))}  # fmt: skip
            withdrawn = Batch.objects.filter(
                under | Q(organisation__path__in=above), dataset=dataset, withdrawn_at__isnull=False
            )
            times += [
                at
                for at, months in withdrawn.values_list("withdrawn_at", "report__months")
                # A file withdrawn before files recorded their months may have held any.
                if not months or (months[0] <= span[1] and months[1] >= span[0])
            ]
    elif indicator.formula:
        # A formula's figures change with its inputs' (growth compares with the year before;
        # a running total counts from its first year).
        formula = indicator.formula
        since = {"growth": start.replace(year=start.year - 1)}
        since["cumulative"] = datetime.date(formula.get("since", start.year), start.month, 1)
        begins = next((since[k] for k in since if k in formula), start)
        for base in Indicator.objects.filter(
            version_id=indicator.version_id, slug__in=[s for s, _f, _l in _inputs(formula, 0, 0)]
        ):
            base.version = indicator.version
            times.append(figures_changed_at(base, roots, min(begins, start), end))
    else:
        typed = Observation.objects.filter(
            under, in_months | Q(month=0, year=start.year),
            plan_id=indicator.version.plan_id, indicator_slug=indicator.slug,
        )  # fmt: skip
        times.append(typed.aggregate(at=Max("entered_at"))["at"])
    return max((t for t in times if t is not None), default=None)


def _month_before(day: datetime.date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
