"""What a round shows once members have answered: statistics per question across all
members, by region and by size group, always with coverage; each member's own figures
against its peers; survey results per question and respondent group.

Only approved answers count. Members see no figure that would give one member's answer away
(see `_private`); the secretariat, who sees every answer anyway, sees all. The numbers are
read in one query and aggregated in columns (polars): the same figures on SQLite and
PostgreSQL, and a round of 250 000 values in a fraction of a second, where SQLite's window
functions took seconds (bench/round_bench.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, F, Q, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce

from maalbilde.networks.disclosure import rounded_quartile
from maalbilde.networks.models import Answer, Question, Round, RoundMember
from maalbilde.networks.models import Value as AnswerValue
from maalbilde.organisations.models import Organisation

# The groupings statistics are given for: everybody, each region, each size group.
DIMENSIONS = ("all", "region", "size")


@dataclass(frozen=True)
class Statistic:
    question: str
    dimension: str
    group: str
    asked: int
    answered: int
    total: float | None = None
    mean: float | None = None
    lower_quartile: float | None = None
    median: float | None = None
    upper_quartile: float | None = None
    # In a release: the release the figures are from, and whether they were held back.
    release: int | None = None
    held_back: bool = False

    @property
    def shown(self) -> bool:
        """Whether members see this group's distribution (its quartiles)."""
        return self.median is not None


def member_grouping(prefix: str) -> dict[str, Any]:
    """Region (an attribute, else the parent organisation) and size group of a member."""
    attributes = f"{prefix}attributes"
    return {
        "region": Coalesce(
            KeyTextTransform("region", attributes),
            F(f"{prefix}parent__name"),
            Value(""),
            output_field=CharField(),
        ),
        "size": Coalesce(
            KeyTextTransform("size_group", attributes), Value(""), output_field=CharField()
        ),
    }


def round_numbers(round_: Round, organisations: list[Organisation] | None = None) -> pl.DataFrame:
    """The round's numbers (number and scale questions) in answers of any state, as a frame
    of question slug, member, value, whether the answer is approved, and the member's region
    and size group: what statistics (approved answers) and each member's own figures (any
    state) are worked out from. One query, read straight from the cursor: a round of 5 000
    members × 50 questions has 250 000 values, and Django's rows would pass each through its
    converters."""
    values = AnswerValue.objects.filter(
        answer__round=round_, number__isnull=False,
        question__kind__in=[Question.Kind.NUMBER, Question.Kind.SCALE],
    )  # fmt: skip
    if organisations is not None:
        values = values.filter(answer__organisation__in=organisations)
    # The state as a 0 or 1: a word for each of 250 000 rows costs more to read.
    rows = values.annotate(
        approved=ExpressionWrapper(Q(answer__state=Answer.State.APPROVED),
                                   output_field=BooleanField()),
    ).values_list("question_id", "answer__organisation_id", "number", "approved")  # fmt: skip
    fetched = _fetch(*rows.query.sql_with_params())
    slugs = dict(round_.questions.values_list("pk", "slug"))
    schema = {"question_id": pl.Int64, "member": pl.Int64, "x": pl.Float64, "approved": pl.Int8}
    frame = pl.DataFrame(fetched, orient="row", schema=schema)
    return frame.select(
        pl.col("question_id").replace_strict(slugs, return_dtype=pl.String).alias("question"),
        "member", "x", pl.col("approved").cast(pl.Boolean),
    ).join(_groupings(round_, organisations), on="member", how="inner")  # fmt: skip


def _fetch(sql: str, params: tuple) -> list[tuple]:
    """Every row of a query; from PostgreSQL in its binary format, where numbers need no
    parsing from text (a third faster for 250 000 values)."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, binary=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _groupings(round_: Round, organisations: list[Organisation] | None = None) -> pl.DataFrame:
    """Each member's region and size group, worked out once in the database."""
    members = RoundMember.objects.filter(round=round_)
    if organisations is not None:
        members = members.filter(organisation__in=organisations)
    groups = members.annotate(**member_grouping("organisation__")).values_list(
        "organisation_id", "region", "size"
    )
    return pl.DataFrame(list(groups), schema={"member": pl.Int64, "region": pl.String,
                                               "size": pl.String}, orient="row")  # fmt: skip


def round_statistics(
    round_: Round, *, for_member: bool, numbers: pl.DataFrame | None = None
) -> list[Statistic]:
    """Sum, mean and quartiles of every number and scale question, for all members, each
    region and each size group, with how many were asked and how many answered; from the
    round's `numbers` if they are read already. Quartiles interpolate linearly between the
    ranked values (position (n − 1) × p), as spreadsheets' QUARTILE.INC does."""
    numbers = round_numbers(round_) if numbers is None else numbers
    values = numbers.filter("approved")
    aggregates = {
        "n": pl.len(), "total": pl.col("x").sum(), "mean": pl.col("x").mean(),
        **{f"q{k}": pl.col("x").quantile(k / 4, "linear") for k in (1, 2, 3)},
    }  # fmt: skip
    # All members, each region, each size group: one grouping of the values each.
    groupings = {"all": pl.lit(""), "region": pl.col("region"), "size": pl.col("size")}
    figures = pl.concat([
        values.group_by("question", group.alias("grp")).agg(**aggregates)
        .select("question", pl.lit(dimension).alias("dim"), "grp", *aggregates)
        for dimension, group in groupings.items()
    ])  # fmt: skip
    asked = _asked(round_)
    statistics = [
        Statistic(question, dim, grp, asked.get((question, dim, grp), n), n, *figures)
        for question, dim, grp, n, *figures in figures.iter_rows()
    ]
    answered = {(s.question, s.dimension, s.group) for s in statistics}
    # Groups asked that nobody has answered yet: coverage 0 of n.
    statistics += [
        Statistic(question, dim, grp, count, 0)
        for (question, dim, grp), count in asked.items()
        if (question, dim, grp) not in answered
    ]
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    statistics.sort(key=lambda s: (s.question, order[s.dimension], s.group))
    return members_view(round_, statistics) if for_member else statistics


# What a member's figure may be divided by, where the members' attributes give it: the seats
# of the house, and the inhabitants of its municipality (per 1 000).
RATIOS = {"seats": 1, "population": 1000}


def round_ratios(round_: Round, numbers: pl.DataFrame | None = None) -> list[dict[str, Any]]:
    """Every summable number question per seat and per 1 000 inhabitants, for all members,
    each region and each size group: how many were asked and how many answered with the
    attribute, and the quartiles of the members' own ratios — shown, rounded, only for groups
    of at least NETWORK_MIN_ANSWERS_FOR_QUARTILES, as quartiles of answers are. No sum or mean
    of ratios: a sum over the members that have an attribute is a new sum of answers, and the
    released figures are checked for the sums they hold only."""
    numbers = round_numbers(round_) if numbers is None else numbers
    summable = [q.slug for q in round_.questions.all() if q.adds_up]
    attributes = RoundMember.objects.filter(round=round_).values_list(
        "organisation_id", "organisation__attributes"
    )
    divisors = pl.DataFrame(
        [(member, ratio, positive_number((found or {}).get(ratio)))
         for member, found in attributes for ratio in RATIOS],
        schema={"member": pl.Int64, "ratio": pl.String, "by": pl.Float64}, orient="row",
    ).drop_nulls("by")  # fmt: skip
    if divisors.is_empty():
        return []
    scale = pl.col("ratio").replace_strict(RATIOS)
    values = (
        numbers.filter(pl.col("approved") & pl.col("question").is_in(summable))
        .join(divisors, on="member")
        .with_columns((pl.col("x") / pl.col("by") * scale).alias("r"))
    )
    groupings = {"all": pl.lit(""), "region": pl.col("region"), "size": pl.col("size")}
    aggregates = {"n": pl.len(), **{f"q{k}": pl.col("r").quantile(k / 4, "linear")
                                    for k in (1, 2, 3)}}  # fmt: skip
    figures = pl.concat([
        values.group_by("question", "ratio", group.alias("grp")).agg(**aggregates)
        .select("question", "ratio", pl.lit(dimension).alias("dim"), "grp", *aggregates)
        for dimension, group in groupings.items()
    ])  # fmt: skip
    asked = _asked(round_)
    least = max(settings.NETWORK_MIN_ANSWERS, settings.NETWORK_MIN_ANSWERS_FOR_QUARTILES)
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    rows = [
        {"question": question, "ratio": ratio, "grouping": dim, "group": grp,
         "asked": asked.get((question, dim, grp), n), "answered": n,
         **dict(zip(("lower_quartile", "median", "upper_quartile"),
                    [rounded_quartile(q, "ratio") if n >= least else None for q in quartiles],
                    strict=True))}
        for question, ratio, dim, grp, n, *quartiles in figures.iter_rows()
    ]  # fmt: skip
    rows.sort(key=lambda r: (r["question"], r["ratio"], order[r["grouping"]], r["group"]))
    return rows


def positive_number(value: Any) -> float | None:
    """An attribute as a number to divide by; None where it is missing, not a number or not
    above zero."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 and number != float("inf") else None


def members_view(round_: Round, statistics: list[Statistic]) -> list[Statistic]:
    """The round's statistics as members may see them (`_private`)."""
    units = {q.slug: q.rounding_unit for q in round_.questions.all()}
    return _private(statistics, units)


def hidden_groups(answered: dict[str, int], least: int, unlisted: int = 0) -> set[str]:
    """The groups of one division of the members whose figures must not be shown: those
    with fewer than `least` answers; and, where the answers hidden together are still fewer
    than `least` (so that the whole minus the groups shown would give them away), the
    smallest groups shown as well, until they are not. `unlisted` answers belong to no group
    shown (members outside every respondent group)."""
    hidden = {group for group, n in answered.items() if n < least}
    while 0 < unlisted + sum(answered[group] for group in hidden) < least:
        shown = sorted((n, group) for group, n in answered.items() if group not in hidden)
        if not shown:
            break
        hidden.add(shown[0][1])
    return hidden


def _private(statistics: list[Statistic], units: dict[str, str]) -> list[Statistic]:
    """Statistics as members may see them. Sums and means add up across groups, so that one
    group minus another (small houses minus the north) could give a single member's figure:
    members see them for the whole network only, with at least NETWORK_MIN_ANSWERS
    answers. Quartiles do not add up, but of a handful of answers they give the answers
    away (three answers: the quartiles are the three figures); members see them for groups
    of at least NETWORK_MIN_ANSWERS_FOR_QUARTILES, rounded so that none is one member's
    answer (`disclosure.rounded_quartile`). What changes between two releases is checked
    apart (`releases`)."""
    least = settings.NETWORK_MIN_ANSWERS
    least_for_quartiles = max(least, settings.NETWORK_MIN_ANSWERS_FOR_QUARTILES)
    shown = []
    for s in statistics:
        totals = s.dimension == "all" and s.answered >= least
        unit = units[s.question]
        quartiles = [s.lower_quartile, s.median, s.upper_quartile]
        if s.answered >= least_for_quartiles:
            quartiles = [rounded_quartile(q, unit) for q in quartiles]
        else:
            quartiles = [None, None, None]
        shown.append(replace(
            s,
            total=s.total if totals else None, mean=s.mean if totals else None,
            lower_quartile=quartiles[0], median=quartiles[1], upper_quartile=quartiles[2],
        ))  # fmt: skip
    return shown


def _asked(round_: Round) -> dict[tuple[str, str, str], int]:
    """How many members were asked each number question, by grouping."""
    members = list(
        RoundMember.objects.filter(round=round_)
        .annotate(**member_grouping("organisation__"))
        .values("region", "size", "group__slug")
        .annotate(n=Count("pk"))
    )  # fmt: skip
    counts: Counter[tuple[str, str, str]] = Counter()
    questions = round_.questions.filter(kind__in=[Question.Kind.NUMBER, Question.Kind.SCALE])
    for question in questions:
        for m in members:
            if not question.groups or m["group__slug"] in question.groups:
                counts[(question.slug, "all", "")] += m["n"]
                counts[(question.slug, "region", m["region"])] += m["n"]
                counts[(question.slug, "size", m["size"])] += m["n"]
    return dict(counts)


@dataclass(frozen=True)
class Benchmark:
    """A member's own figure for a question against its peers in each grouping, and where it
    lies among them: "low" (below the lower quartile), "middle", "high" (above the upper), or
    "" where either is missing or the peers' quartiles are not shown."""

    question: Question
    own: float | None
    peers: dict[str, Statistic | None] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)

    def place(self, dimension: str) -> str:
        return self.places.get(dimension, "")


def round_benchmarks(
    round_: Round, statistics: list[Statistic], numbers: pl.DataFrame | None = None,
    organisations: list[Organisation] | None = None,
) -> pl.DataFrame:  # fmt: skip
    """Every member's own figures (any state of its answer) against all members, its region
    and its size group, among the statistics members may see (a release's): one row per
    member and question it has a figure for, with where the figure lies in each grouping
    (`place_all`, `place_region`, `place_size`), worked out in columns. From the round's
    `numbers` if they are read already; for the members given, or all asked."""
    numbers = round_numbers(round_, organisations) if numbers is None else numbers
    own = numbers.with_columns(group_all=pl.lit(""))
    quartiles = pl.DataFrame(
        [(s.question, s.dimension, s.group, s.lower_quartile, s.upper_quartile)
         for s in statistics if s.shown],
        schema={"question": pl.String, "dimension": pl.String, "group": pl.String,
                "low": pl.Float64, "high": pl.Float64}, orient="row",
    )  # fmt: skip
    columns = {"all": "group_all", "region": "region", "size": "size"}
    for dimension, column in columns.items():
        peers = quartiles.filter(dimension=dimension).select(
            "question", pl.col("group").alias(column), "low", "high")  # fmt: skip
        own = own.join(peers, on=["question", column], how="left").with_columns(
            pl.when(pl.col("low").is_null()).then(pl.lit(""))
            .when(pl.col("x") < pl.col("low")).then(pl.lit("low"))
            .when(pl.col("x") > pl.col("high")).then(pl.lit("high"))
            .otherwise(pl.lit("middle")).alias(f"place_{dimension}"),
        ).drop("low", "high")  # fmt: skip
    return own.select("member", "question", "x", *(f"place_{d}" for d in DIMENSIONS))


def member_benchmark(
    round_: Round, organisation: Organisation, statistics: list[Statistic]
) -> list[Benchmark]:
    """The member's own numbers against all members, its region and its size group, each
    number question in the round's order (its own figure None where it has none)."""
    rows = round_benchmarks(round_, statistics, organisations=[organisation])
    mine = {row["question"]: row for row in rows.iter_rows(named=True)}
    member = _groupings(round_, [organisation])
    grouping = member.row(0, named=True) if member.height else {}
    shown = {(s.question, s.dimension, s.group): s for s in statistics}
    groups = {"all": "", "region": grouping.get("region", ""), "size": grouping.get("size", "")}
    questions = round_.questions.filter(kind__in=[Question.Kind.NUMBER, Question.Kind.SCALE])
    return [
        Benchmark(
            q, mine[q.slug]["x"] if q.slug in mine else None,
            {d: shown.get((q.slug, d, groups[d])) for d in DIMENSIONS},
            {d: mine[q.slug][f"place_{d}"] for d in DIMENSIONS} if q.slug in mine else {},
        )
        for q in questions.order_by("position")
    ]  # fmt: skip


@dataclass
class SurveyResult:
    question: Question
    group: str  # the respondent group's name, "" for everybody
    answered: int
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    release: int | None = None
    held_back: bool = False


def survey_results(round_: Round, *, for_member: bool) -> list[SurveyResult]:
    """Per question and respondent group: how many chose each option or scale step, and
    the free-text answers (for the secretariat only: words can tell who wrote them)."""
    least = settings.NETWORK_MIN_ANSWERS
    group_of = dict(
        RoundMember.objects.filter(round=round_, group__isnull=False)
        .values_list("organisation_id", "group__name")
    )  # fmt: skip
    values = (
        AnswerValue.objects.filter(answer__round=round_, answer__state=Answer.State.APPROVED)
        .exclude(question__kind=Question.Kind.NUMBER)
        .select_related("question", "answer")
        .order_by("question__position", "pk")
    )
    results: dict[tuple[int, str], SurveyResult] = {}
    # Chosen options are lists kept as JSON, counted here: counting inside JSON arrays
    # differs between the databases, and a survey has tens of answers, not millions.
    for value in values:
        chosen = value.choices or ([_step(value.number)] if value.number is not None else [])
        # Choosing none of a multiple choice is an answer, and counts as one.
        if not chosen and not value.text and value.question.kind != Question.Kind.MULTIPLE:
            continue
        group = group_of.get(value.answer.organisation_id, "")
        for name in dict.fromkeys(["", group]):
            key = (value.question.pk, name)
            result = results.setdefault(key, SurveyResult(value.question, name, 0))
            result.answered += 1
            result.counts.extend((c, 1) for c in chosen)
            if value.text:
                result.texts.append(value.text)
    for result in results.values():
        tally = Counter(choice for choice, _one in result.counts)
        if result.question.kind == Question.Kind.TEXT:
            options = []
        else:
            options = result.question.choices or [str(step) for step in range(1, 6)]
        result.counts = [(option, tally.get(option, 0)) for option in options]
    if for_member:
        _survey_private(results, least)
    return [
        r for r in results.values()
        if not (for_member and r.question.kind == Question.Kind.TEXT)
    ]  # fmt: skip


def _survey_private(results: dict[tuple[int, str], SurveyResult], least: int) -> None:
    """Words can tell who wrote them: no free text. Small groups can tell who chose what, and
    so can everybody minus the groups shown: no counts of those."""
    for question in {key[0] for key in results}:
        everybody = results.get((question, ""))
        groups = {name: r.answered for (q, name), r in results.items() if q == question and name}
        unlisted = (everybody.answered if everybody else 0) - sum(groups.values())
        hidden = hidden_groups(groups, least, unlisted)
        if everybody is not None and everybody.answered < least:
            hidden.add("")
        for (q, name), result in results.items():
            if q == question:
                result.texts = []
                if name in hidden:
                    result.counts = []


def _step(number: float) -> str:
    return str(int(number))
