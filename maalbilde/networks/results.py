"""What a round shows once members have answered: statistics per question across all
members, by region and by size group, always with coverage; each member's own figures
against its peers; survey results per question and respondent group.

Only approved answers count. Members see no figure that would give one member's answer away
(see `_private`); the secretariat, who sees every answer anyway, sees all. Statistics are
computed in one SQL statement (window functions for the quartiles), on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, F, Value
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


def _percentile(quarter: int) -> str:
    """A quartile by linear interpolation between the ranked values i and i + 1, where the
    position (n − 1) × quarter / 4 is split with integer arithmetic (the same on SQLite and
    PostgreSQL)."""
    position = f"(n - 1) * {quarter}"
    return (
        f"SUM(CASE WHEN i = {position} / 4 THEN x * (1 - ({position} %% 4) / 4.0) "
        f"WHEN i = {position} / 4 + 1 THEN x * (({position} %% 4) / 4.0) ELSE 0 END)"
    )


def round_statistics(round_: Round, *, for_member: bool) -> list[Statistic]:
    """Sum, mean and quartiles of every number and scale question, for all members, each
    region and each size group, with how many were asked and how many answered."""
    values = (
        AnswerValue.objects.filter(
            answer__round=round_, answer__state=Answer.State.APPROVED, number__isnull=False,
            question__kind__in=[Question.Kind.NUMBER, Question.Kind.SCALE],
        )
        .annotate(question_slug=F("question__slug"), x=F("number"),
                  member=F("answer__organisation_id"))
        .values("question_slug", "x", "member")
    )  # fmt: skip
    # Each member's region and size group worked out once, not once for every value.
    groups = (
        RoundMember.objects.filter(round=round_)
        .annotate(**member_grouping("organisation__"))
        .values("organisation_id", "region", "size")
    )
    values_sql, values_params = values.query.sql_with_params()
    groups_sql, groups_params = groups.query.sql_with_params()
    base_sql = (
        f"SELECT v.question_slug, v.x, g.region, g.size FROM ({values_sql}) v "
        f"JOIN ({groups_sql}) g ON g.organisation_id = v.member"
    )
    params = (*values_params, *groups_params)
    group_column = {"all": "''", "region": "region", "size": "size"}
    dimensions = " UNION ALL ".join(
        f"SELECT question_slug, '{d}' AS dim, {group_column[d]} AS grp, x FROM base"
        for d in DIMENSIONS
    )
    sql = f"""
        WITH base AS ({base_sql}),
             dims AS ({dimensions}),
             ranked AS (
                 SELECT question_slug, dim, grp, x,
                        ROW_NUMBER() OVER (PARTITION BY question_slug, dim, grp ORDER BY x) - 1
                            AS i,
                        COUNT(*) OVER (PARTITION BY question_slug, dim, grp) AS n
                 FROM dims)
        SELECT question_slug, dim, grp, MAX(n), SUM(x), AVG(x),
               {_percentile(1)}, {_percentile(2)}, {_percentile(3)}
        FROM ranked GROUP BY question_slug, dim, grp
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    asked = _asked(round_)
    statistics = [
        Statistic(question, dim, grp, asked.get((question, dim, grp), n), n, *figures)
        for question, dim, grp, n, *figures in rows
    ]
    if for_member:
        units = {q.slug: q.rounding_unit for q in round_.questions.all()}
        statistics = _private(statistics, units)
    answered = {(s.question, s.dimension, s.group) for s in statistics}
    # Groups asked that nobody has answered yet: coverage 0 of n.
    statistics += [
        Statistic(question, dim, grp, count, 0)
        for (question, dim, grp), count in asked.items()
        if (question, dim, grp) not in answered
    ]
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    return sorted(statistics, key=lambda s: (s.question, order[s.dimension], s.group))


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


@dataclass
class Benchmark:
    question: Question
    own: float | None
    peers: dict[str, Statistic | None] = field(default_factory=dict)

    def place(self, dimension: str) -> str:
        """Where the member's own value lies among its peers: low, middle or high half."""
        peers = self.peers.get(dimension)
        if self.own is None or peers is None or not peers.shown:
            return ""
        if self.own < peers.lower_quartile:
            return "low"
        if self.own > peers.upper_quartile:
            return "high"
        return "middle"


def round_benchmarks(
    round_: Round, statistics: list[Statistic], organisations: list[Organisation] | None = None
) -> dict[int, list[Benchmark]]:
    """Each member's own numbers against all members, its region and its size group (for
    the members given, or all asked), among the statistics members may see (a release's):
    the members' own figures in one query, then each member's place among them."""
    shown = {(s.question, s.dimension, s.group): s for s in statistics}
    members = RoundMember.objects.filter(round=round_)
    values = AnswerValue.objects.filter(answer__round=round_, number__isnull=False)
    if organisations is not None:
        members = members.filter(organisation__in=organisations)
        values = values.filter(answer__organisation__in=organisations)
    own = {(o, q): n for o, q, n in
           values.values_list("answer__organisation_id", "question__slug", "number")}  # fmt: skip
    questions = list(round_.questions.filter(kind__in=[Question.Kind.NUMBER, Question.Kind.SCALE]))
    benchmarks = {}
    groupings = members.annotate(**member_grouping("organisation__"))
    for member in groupings.values("organisation_id", "region", "size"):
        mine = {"all": "", "region": member["region"], "size": member["size"]}
        organisation = member["organisation_id"]
        benchmarks[organisation] = [
            Benchmark(q, own.get((organisation, q.slug)),
                      {d: shown.get((q.slug, d, mine[d])) for d in DIMENSIONS})
            for q in questions
        ]  # fmt: skip
    return benchmarks


def member_benchmark(
    round_: Round, organisation: Organisation, statistics: list[Statistic]
) -> list[Benchmark]:
    """The member's own numbers against all members, its region and its size group."""
    return round_benchmarks(round_, statistics, [organisation]).get(organisation.pk, [])


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
