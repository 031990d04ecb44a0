"""The network's yearly analysis: every question of a series of rounds (this year's round and
the rounds before it) across the years, for the secretariat and for publication — the
network's figures and their change, the groups by region and size with coverage, each number
per seat and per 1 000 inhabitants where the members' attributes give them, the survey
counts; with charts and tables.

Only released figures: every number comes from a round's latest release, as the round pages
show it to members, so the small-number rules and the checks between releases
(`networks.disclosure`) hold for the analysis too, and one more approval after a release
shows nothing here until the next release. Which rounds a person reads is decided by
`networks.selectors.may_read_releases`: the public reads the rounds published as open data.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from maalbilde.networks.models import Question, Release, Round
from maalbilde.networks.releases import latest_release, release_statistics, release_survey
from maalbilde.networks.results import RATIOS, Statistic, SurveyResult, positive_number
from maalbilde.networks.selectors import may_read_releases
from maalbilde.organisations.models import Organisation, size_group_label
from maalbilde.plans.status import format_value
from maalbilde.reports.build import Table
from maalbilde.reports.charts import bar_chart

# The sections of the analysis, in order.
SECTIONS = ("cover", "development", "groups", "ratios", "survey")


@dataclass(frozen=True)
class ReleasedRound:
    round: Round
    release: Release


@dataclass
class YearFigures:
    """One question in one round's latest release."""

    year: int
    network: Statistic | None
    groups: list[Statistic]
    # Per seat and per 1 000 inhabitants: the network's figure (the released sum over the
    # attributes of the members in it), and the released quartiles of the groups.
    per: dict[str, float | None] = field(default_factory=dict)
    ratios: list[dict[str, Any]] = field(default_factory=list)

    @property
    def figure(self) -> float | None:
        """The network's figure: the sum where it means something, else the mean."""
        if self.network is None:
            return None
        return self.network.total if self.network.total is not None else self.network.mean


@dataclass
class QuestionAnalysis:
    slug: str
    label: str
    unit: str
    section: str
    summable: bool
    years: list[YearFigures]
    charts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        """The network's mean from the year before to the last year: for a sum, in percent
        (per member answering, so that fewer answers do not read as a fall); for a mean of
        percentages or scale steps, the difference itself (percentage points, steps)."""
        shown = [y.network.mean if y.network else None for y in self.years[-2:]]
        if len(shown) < 2 or None in shown or (self.summable and not shown[0]):
            return None
        before, after = shown
        if not self.summable:
            return after - before  # type: ignore[operator]
        return (after - before) / abs(before) * 100  # type: ignore[operator]

    def formatted_change(self) -> str:
        change = self.change
        if change is None:
            return "–"
        sign = "+" if change > 0 else "−" if change < 0 else ""
        if self.summable:
            return sign + format_value(abs(change), "percent")
        if self.unit == "percent":
            return _("%(change)s percentage points") % {
                "change": sign + format_value(abs(change), "count", decimals=1)}  # fmt: skip
        return sign + format_value(abs(change), "count", decimals=1)

    def formatted(self, value: float | None) -> str:
        return format_value(value, self.unit or "count")

    def formatted_ratio(self, value: float | None) -> str:
        """A ratio to the two significant digits it is rounded to (0.17 events a seat)."""
        small = value is not None and 0 < abs(value) < 10
        places = 1 - math.floor(math.log10(abs(value))) if small else None  # type: ignore[arg-type]
        return format_value(value, self.unit or "count", decimals=places)

    def groups(self) -> list[tuple[str, str, list[Statistic | None]]]:
        """Each region and size group (grouping, name) with its statistic in every year."""
        keys = dict.fromkeys((s.dimension, s.group) for y in self.years for s in y.groups)
        by_year = [{(s.dimension, s.group): s for s in y.groups} for y in self.years]
        return [(dimension, group_name(dimension, group), [y.get((dimension, group))
                                                            for y in by_year])
                for dimension, group in sorted(keys, key=_grouping_order)]  # fmt: skip

    def group_table(self) -> Table:
        """Every region and size group, each year: the median and how many answered of
        those asked."""
        header = [_("Group")] + [str(y.year) for y in self.years]
        rows = [[_("All members")] + [_shown(y.network, self) for y in self.years]]
        rows += [[name] + [_shown(s, self) for s in figures]
                 for _dimension, name, figures in self.groups()]  # fmt: skip
        return Table(_("%(question)s: median (answered of asked)") % {"question": self.label},
                     header, rows)  # fmt: skip


@dataclass
class SurveyAnalysis:
    slug: str
    label: str
    options: list[str]
    # Per year: how many answered and the count of each option (None where held back or
    # too few answered).
    years: list[tuple[int, int, list[int] | None]]

    def table(self) -> Table:
        header = [_("Answer")] + [str(year) for year, _answered, _counts in self.years]
        rows = [[option] + ["–" if counts is None else format_value(counts[i], "count")
                            for _year, _answered, counts in self.years]
                for i, option in enumerate(self.options)]  # fmt: skip
        rows.append([_("Answered")] + [format_value(answered, "count")
                                       for _year, answered, _counts in self.years])  # fmt: skip
        return Table(self.label, header, rows)


@dataclass
class NetworkAnalysis:
    title: str
    network: str
    made: datetime.date
    rounds: list[ReleasedRound]
    questions: list[QuestionAnalysis]
    survey: list[SurveyAnalysis]
    sections: tuple[str, ...] = SECTIONS

    @property
    def years(self) -> list[int]:
        return [r.round.year for r in self.rounds]

    def rounds_table(self) -> Table:
        return Table(
            _("The rounds and releases the figures come from"),
            [_("Round"), _("Year"), _("Release"), _("Released"), _("Open data")],
            [
                [
                    r.round.title,
                    str(r.round.year),
                    str(r.release.number),
                    formats.date_format(
                        timezone.localtime(r.release.created_at), "SHORT_DATE_FORMAT"
                    ),
                    _("yes") if r.round.open_data else _("no"),
                ]
                for r in self.rounds
            ],
        )

    def development_table(self) -> Table:
        """Every number question's network figure each year (the sum, or the mean where a
        sum means nothing) and its change over the last year."""
        header = [_("Question"), *(str(y) for y in self.years),
                  pgettext("over the years", "Change in the mean"),
                  *(_("Answered %(year)s") % {"year": y} for y in self.years)]  # fmt: skip
        rows = []
        for q in self.questions:
            by_year = {y.year: y for y in q.years}
            label = q.label if q.summable else _("%(question)s – mean") % {"question": q.label}
            rows.append([label, *(q.formatted(by_year[y].figure) if y in by_year else "–"
                                  for y in self.years),
                         q.formatted_change(),
                         *(_coverage(by_year[y].network) if y in by_year else "–"
                           for y in self.years)])  # fmt: skip
        return Table(_("The network's figures by year"), header, rows)

    def ratio_table(self, ratio: str) -> Table:
        """Every question per seat or per 1 000 inhabitants: the network's figure each year,
        and the median of the members' own ratios."""
        header = [
            _("Question"),
            *(_("%(year)s, network") % {"year": y} for y in self.years),
            *(_("%(year)s, median of members") % {"year": y} for y in self.years),
        ]
        rows = []
        for q in self.questions:
            by_year = {y.year: y for y in q.years}
            medians = {
                y.year: next(
                    (
                        r["median"]
                        for r in y.ratios
                        if r["ratio"] == ratio and r["grouping"] == "all"
                    ),
                    None,
                )
                for y in q.years
            }
            if not any(y.per.get(ratio) is not None for y in q.years) and not any(
                    medians.values()):  # fmt: skip
                continue
            rows.append([q.label,
                         *(q.formatted_ratio(by_year[y].per.get(ratio)) if y in by_year else "–"
                           for y in self.years),
                         *(q.formatted_ratio(medians.get(y)) for y in self.years)])  # fmt: skip
        return Table(_("%(ratio)s, by year") % {"ratio": ratio_words(ratio).capitalize()},
                     header, rows)  # fmt: skip

    def ratio_group_table(self, ratio: str) -> Table:
        """The last year's median ratio of each region and size group, with coverage."""
        year = self.years[-1]
        header = [_("Question"), *(name for name, _key in self._ratio_groups(ratio))]
        rows = []
        for q in self.questions:
            latest = next((y for y in q.years if y.year == year), None)
            if latest is None or not any(r["ratio"] == ratio for r in latest.ratios):
                continue
            found = {(r["grouping"], r["group"]): r for r in latest.ratios if r["ratio"] == ratio}
            rows.append([q.label, *(_ratio_cell(found.get(key), q)
                                    for _name, key in self._ratio_groups(ratio))])  # fmt: skip
        return Table(_("%(ratio)s by group, %(year)s: median (answered of asked)") % {
            "ratio": ratio_words(ratio).capitalize(), "year": year}, header, rows)  # fmt: skip

    def _ratio_groups(self, ratio: str) -> list[tuple[str, tuple[str, str]]]:
        keys = dict.fromkeys((r["grouping"], r["group"]) for q in self.questions
                             for y in q.years if y.year == self.years[-1]
                             for r in y.ratios if r["ratio"] == ratio)  # fmt: skip
        return [(group_name(*key), key) for key in sorted(keys, key=_grouping_order)]

    def tables(self) -> dict[str, Any]:
        """Every table of the analysis, by section, as each format writes them."""
        return {
            "rounds": self.rounds_table(), "development": self.development_table(),
            "development_note": _(
                "The change compares the mean of the members who answered each year. Where "
                "fewer or other members answered, who answered moves it too: read it with the "
                "coverage."),
            "groups": [(q, q.group_table()) for q in self.questions],
            "ratios": [(words, self.ratio_table(key), self.ratio_group_table(key))
                       for key, words in self.ratios],
            "survey": [s.table() for s in self.survey],
        }  # fmt: skip

    @property
    def ratios(self) -> list[tuple[str, str]]:
        """The ratios any question has figures for: (key, words)."""
        found = {r["ratio"] for q in self.questions for y in q.years for r in y.ratios}
        return [(key, ratio_words(key)) for key in RATIOS if key in found]


def analysis_section_title(section: str) -> str:
    return {
        "development": _("The network's figures over the years"),
        "groups": _("By region and size group"), "ratios": _("Per seat and per inhabitant"),
        "survey": _("Survey answers"),
    }.get(section, "")  # fmt: skip


def _coverage(statistic: Statistic | None) -> str:
    if statistic is None:
        return "–"
    return _("%(answered)s of %(asked)s") % {"answered": statistic.answered,
                                             "asked": statistic.asked}  # fmt: skip


def _shown(statistic: Statistic | None, question: QuestionAnalysis) -> str:
    if statistic is None:
        return "–"
    return f"{question.formatted(statistic.median)} ({_coverage(statistic)})"


def _ratio_cell(row: dict[str, Any] | None, question: QuestionAnalysis) -> str:
    if row is None:
        return "–"
    return _("%(median)s (%(answered)s of %(asked)s)") % {
        "median": question.formatted_ratio(row["median"]), "answered": row["answered"],
        "asked": row["asked"]}  # fmt: skip


def _grouping_order(key: tuple[str, str]) -> tuple[int, str]:
    return {"all": 0, "region": 1, "size": 2}[key[0]], key[1]


def group_name(dimension: str, group: str) -> str:
    if dimension == "all":
        return _("All members")
    if dimension == "size":
        return size_group_label(group) or "–"
    return group or "–"


def ratio_words(ratio: str) -> str:
    return {"seats": _("per seat"), "population": _("per 1 000 inhabitants")}.get(ratio, ratio)


def round_series(round_: Round) -> list[Round]:
    """The round and the rounds before it (each round's `previous`), the earliest first."""
    series, seen = [round_], {round_.pk}
    while series[-1].previous_id and series[-1].previous_id not in seen:
        earlier = Round.objects.select_related("network").get(pk=series[-1].previous_id)
        seen.add(earlier.pk)
        series.append(earlier)
    return series[::-1]


def analysis_rounds(user: AbstractBaseUser | AnonymousUser, round_: Round) -> list[ReleasedRound]:
    """The rounds of the series whose latest release the user may read, with that release."""
    found = []
    for item in round_series(round_):
        release = latest_release(item)
        if release is not None and may_read_releases(user, item):
            found.append(ReleasedRound(item, release))
    return found


def network_analysis(rounds: list[ReleasedRound], *, today: datetime.date) -> NetworkAnalysis:
    """The analysis of the released rounds given (`analysis_rounds`), the earliest first."""
    latest = rounds[-1].round
    questions: dict[str, QuestionAnalysis] = {}
    survey: dict[str, SurveyAnalysis] = {}
    # The latest round's wording and order; questions asked only before come after.
    for released in reversed(rounds):
        for question in released.round.questions.order_by("position"):
            if question.kind in (Question.Kind.NUMBER, Question.Kind.SCALE):
                questions.setdefault(question.slug, QuestionAnalysis(
                    question.slug, question.label, question.unit, question.section,
                    question.adds_up, []))  # fmt: skip
            if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE,
                                 Question.Kind.SCALE):  # fmt: skip
                options = question.choices or [str(step) for step in range(1, 6)]
                survey.setdefault(
                    question.slug, SurveyAnalysis(question.slug, question.label, options, [])
                )
    for released in rounds:
        _add_year(released, questions, survey)
    for analysis in questions.values():
        analysis.charts = _charts(analysis)
    network = latest.network
    return NetworkAnalysis(
        title=_("%(network)s: yearly analysis %(years)s") % {
            "network": network.name, "years": _years(rounds)},
        network=network.name, made=today, rounds=rounds,
        questions=[q for q in questions.values() if any(y.network for y in q.years)],
        survey=[s for s in survey.values() if s.years],
    )  # fmt: skip


def _years(rounds: list[ReleasedRound]) -> str:
    years = sorted({r.round.year for r in rounds})
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _add_year(
    released: ReleasedRound, questions: dict[str, QuestionAnalysis],
    survey: dict[str, SurveyAnalysis],
) -> None:  # fmt: skip
    round_, release = released.round, released.release
    statistics: dict[str, list[Statistic]] = {}
    for s in release_statistics(round_, release):
        statistics.setdefault(s.question, []).append(s)
    ratios: dict[str, list[dict[str, Any]]] = {}
    for row in release.ratios:
        ratios.setdefault(row["question"], []).append(row)
    divisors = _divisors(round_)
    for slug, analysis in questions.items():
        rows = statistics.get(slug)
        if rows is None:
            continue
        network = next((s for s in rows if s.dimension == "all"), None)
        year = YearFigures(round_.year, network, [s for s in rows if s.dimension != "all"],
                           ratios=ratios.get(slug, []))  # fmt: skip
        if analysis.summable and network is not None and network.total is not None:
            members = _members_in_sum(round_, release, network, slug)
            year.per = {ratio: _per(network.total, members, divisors[ratio], scale)
                        for ratio, scale in RATIOS.items()}  # fmt: skip
        analysis.years.append(year)
    results: dict[str, SurveyResult] = {
        r.question.slug: r for r in release_survey(round_, release) if r.group == ""
    }
    for slug, item in survey.items():
        result = results.get(slug)
        if result is None:
            continue
        counts = dict(result.counts)
        item.years.append(
            (
                round_.year,
                result.answered,
                [counts.get(o, 0) for o in item.options] if counts else None,
            )
        )


def _members_in_sum(
    round_: Round, release: Release, network: Statistic, question: str
) -> set[str] | None:
    """The members whose answers the released sum holds: from the release the figure is from
    (a figure held back keeps an earlier release's)."""
    source = release
    if network.release and network.release != release.number:
        source = round_.releases.filter(number=network.release).first() or release
    cell = source.contributions.get(f"sum:{question}", {}).get(question)
    return set(cell) if cell is not None else None


def _divisors(round_: Round) -> dict[str, dict[str, float]]:
    """Each ratio's attribute of every member asked, where it is a number above zero (as the
    release's ratios read it)."""
    found: dict[str, dict[str, float]] = {ratio: {} for ratio in RATIOS}
    members = Organisation.objects.filter(pk__in=round_.members.values("organisation"))
    for pk, attributes in members.values_list("pk", "attributes"):
        for ratio in RATIOS:
            value = positive_number((attributes or {}).get(ratio))
            if value is not None:
                found[ratio][str(pk)] = value
    return found


def _per(
    total: float, members: set[str] | None, divisors: dict[str, float], scale: int
) -> float | None:
    """The released sum per seat or per inhabitants — only where every member in the sum has
    the attribute: a sum over fewer members would be a new sum of answers."""
    if not members or any(m not in divisors for m in members):
        return None
    return total / sum(divisors[m] for m in members) * scale


def _charts(analysis: QuestionAnalysis) -> list[dict[str, Any]]:
    """The network's figure over the years, each year with how many answered; and the last
    year's medians by region and by size group."""
    charts = []
    unit = analysis.unit or "count"
    shown = [y for y in analysis.years if y.figure is not None]
    if shown:
        words = _("Bars: the network's sum each year, of the members who answered (under each "
                  "year: answered of asked).") if analysis.summable else _(
            "Bars: the network's mean each year, of the members who answered (under each year: "
            "answered of asked).")  # fmt: skip
        labels = [f"{y.year} ({_coverage(y.network)})" for y in shown]
        charts.append(bar_chart(analysis.label, words, labels, [y.figure for y in shown], unit))
    last = analysis.years[-1] if analysis.years else None
    for dimension, title in (("region", _("%(question)s by region, %(year)s")),
                             ("size", _("%(question)s by size group, %(year)s"))):  # fmt: skip
        medians = [s for s in (last.groups if last else [])
                   if s.dimension == dimension and s.median is not None]  # fmt: skip
        if last and medians:
            charts.append(bar_chart(
                title % {"question": analysis.label, "year": last.year},
                _("Bars: the median of each group with enough answers to show one. The table "
                  "gives every group with its coverage."),
                [group_name(s.dimension, s.group) for s in medians], [s.median for s in medians],
                unit))  # fmt: skip
    for number, chart in enumerate(charts, start=1):
        chart["number"] = f"{analysis.slug}-{number}"
    return charts
