"""Releases: a round's aggregated figures frozen when the secretariat releases them. Members,
viewers of the network and — while the round is published — everybody see the latest release,
never the live figures, so that one more approval or a reopened answer shows nothing until
the next release, and the next release is checked against every earlier one
(`disclosure.hold_back`) before anything in it is shown.

`release_draft` works out what a new release would show and hold back (the secretariat's
preview); `release_create` makes it, with any held-back figure the secretariat decides to
release anyway recorded with its reason; `open_data_set` publishes and takes down.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from maalbilde.data.services import figures_changed
from maalbilde.networks.disclosure import alike, changed, hold_back
from maalbilde.networks.models import Answer, Question, Release, Round, RoundMember
from maalbilde.networks.models import Value as AnswerValue
from maalbilde.networks.results import (
    Statistic,
    SurveyResult,
    round_numbers,
    round_ratios,
    round_statistics,
    survey_results,
)
from maalbilde.organisations.audit import audit_record


class ReleaseRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ReleaseDraft:
    """What a new release would show: the figures as they stand under the least-answers
    rules, each cell's contributions, the cells held back (key → label) and, of those, the
    ones that keep the figure of an earlier release (key → its number)."""

    statistics: list[dict[str, Any]]
    survey: list[dict[str, Any]]
    contributions: dict[str, dict[str, dict[str, float]]]
    ratios: list[dict[str, Any]] = field(default_factory=list)
    held_back: dict[str, str] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    latest: Release | None = None

    def unchanged(self, released_anyway: frozenset[str] = frozenset()) -> bool:
        """Whether the release would show what the latest one shows."""
        if self.latest is None:
            return False
        statistics, survey = self.rows(released_anyway)
        return _same(self.latest.statistics, statistics) and _same(self.latest.survey, survey)

    def rows(self, released_anyway: frozenset[str] = frozenset()) -> tuple[list, list]:
        """The rows the release shows: a held-back figure keeps what the latest release
        showed of it (already public, so nothing new), or is left empty."""
        held = set(self.held_back) - released_anyway
        before = self.latest
        kept_statistics = {(r["question"], r["grouping"], r["group"]): r
                           for r in (before.statistics if before else [])}  # fmt: skip
        kept_survey = {(r["question"], r["group"]): r for r in (before.survey if before else [])}
        statistics = []
        for row in self.statistics:
            if row["grouping"] == "all" and _sum_key(row["question"]) in held:
                kept = kept_statistics.get((row["question"], "all", ""))
                row = kept if kept and kept["mean"] is not None else {
                    **row, "sum": None, "mean": None, "held_back": True}  # fmt: skip
            statistics.append(row)
        survey = []
        for row in self.survey:
            if _survey_key(row["question"], row["group"]) in held:
                kept = kept_survey.get((row["question"], row["group"]))
                row = kept if kept and kept["counts"] else {**row, "counts": [], "held_back": True}
            survey.append(row)
        return statistics, survey


def latest_release(round_: Round) -> Release | None:
    return round_.releases.order_by("-number").first()


def _sum_key(question: str) -> str:
    return f"sum:{question}"


def _survey_key(question: str, group: str) -> str:
    return f"survey:{question}:{group}"


def _contributions(round_: Round) -> dict[str, dict[str, dict[str, float]]]:
    """Every cell a release may show as a sum or a count, with each measure's contributions:
    the network's sum of a number question ({question: {member: answer}}), and each
    respondent group's counts of a survey question ({question/option: {member: 1 or 0}})."""
    approved = AnswerValue.objects.filter(answer__round=round_, answer__state=Answer.State.APPROVED)
    cells: dict[str, dict[str, dict[str, float]]] = {}
    numbers = approved.filter(
        number__isnull=False, question__kind__in=[Question.Kind.NUMBER, Question.Kind.SCALE]
    )
    for question, member, number in numbers.values_list(
        "question__slug", "answer__organisation_id", "number"
    ):  # fmt: skip
        if number is not None:  # as asked of the database: the type does not know it
            cells.setdefault(_sum_key(question), {}).setdefault(question, {})[str(member)] = number
    group_of = dict(RoundMember.objects.filter(round=round_, group__isnull=False)
                    .values_list("organisation_id", "group__name"))  # fmt: skip
    surveyed = round_.questions.exclude(kind__in=[Question.Kind.NUMBER, Question.Kind.TEXT])
    options = {q.slug: q.choices or [str(s) for s in range(1, 6)] for q in surveyed}
    scales = {q.slug for q in surveyed if q.kind == Question.Kind.SCALE}
    chosen = approved.filter(question__slug__in=options).values_list(
        "question__slug", "answer__organisation_id", "choices", "number"
    )
    for question, member, choices, number in chosen:
        # Choosing none of a multiple choice is an answer too, and counted as one.
        picked = choices or ([str(int(number))] if number is not None else [])
        if not picked and question in scales:
            continue
        for group in dict.fromkeys(["", group_of.get(member, "")]):
            cell = cells.setdefault(_survey_key(question, group), {})
            for option in options[question]:
                cell.setdefault(f"{question}/{option}", {})[str(member)] = float(option in picked)
            if question in scales and number is not None:
                # A scale's counts add up to its sum: the same measure as the sum's.
                cell.setdefault(question, {})[str(member)] = number
    return cells


def _answers(cell: str, measures: dict, ends: dict[str, set[float]]) -> dict[int, Hashable]:
    """Each member's answer in a cell as far as limits tell it apart: the options chosen in
    a survey cell; in a sum, a number at its question's least or most, else a value of its
    own that no other member's equals."""
    if cell.startswith("survey:"):
        chosen: dict[int, set[str]] = {}
        for measure, contributions in measures.items():
            for member, value in contributions.items():
                picked = chosen.setdefault(int(member), set())
                if "/" in measure and value:
                    picked.add(measure.rsplit("/", 1)[1])
        return {m: frozenset(p) for m, p in chosen.items()}
    question = cell.split(":", 1)[1]
    limits = ends.get(question, set())
    return {int(m): v if v in limits else ("inside", int(m))
            for m, v in measures.get(question, {}).items()}  # fmt: skip


def _shown_before(round_: Round) -> Iterator[tuple[str, dict]]:
    """Each cell every earlier release showed (held-back ones left out), with its
    contributions, oldest release first."""
    for release in round_.releases.order_by("number"):
        held = {item["cell"] for item in release.held_back}
        yield from ((c, m) for c, m in release.contributions.items() if c not in held)


def _lopsided(
    earlier: list[tuple[str, dict]], candidates: dict[str, dict], ends: dict[str, set[float]]
) -> set[str]:
    """The cells whose answers, or whose changes since any earlier release showing them, are
    all alike but for one or two members (`disclosure.alike`)."""
    before_by_cell: dict[str, list[dict[int, Hashable]]] = {}
    for cell, measures in earlier:
        before_by_cell.setdefault(cell, []).append(_answers(cell, measures, ends))
    lopsided = set()
    for cell, measures in candidates.items():
        now = _answers(cell, measures, ends)
        if now in before_by_cell.get(cell, []):
            continue  # shown before as it is: nothing new
        moves = [changed(before, now) for before in before_by_cell.get(cell, [])]
        if alike(now) or any(m and alike(m) for m in moves):
            lopsided.add(cell)
    return lopsided


def _released(earlier: list[tuple[str, dict]]) -> dict[str, list[dict[int, float]]]:
    """Every sum and count released so far, by measure."""
    shown: dict[str, list[dict[int, float]]] = {}
    for _cell, measures in earlier:
        for measure, contributions in measures.items():
            shown.setdefault(measure, []).append({int(m): v for m, v in contributions.items()})
    return shown


def release_draft(round_: Round) -> ReleaseDraft:
    """The figures a new release would show, under the least-answers rules, with the cells
    whose change since earlier releases would give an answer away held back."""
    labels = dict(round_.questions.values_list("slug", "label"))
    meaningless_sums = {q.slug for q in round_.questions.all() if not q.adds_up}
    numbers = round_numbers(round_)
    statistics = [replace(s, total=None) if s.question in meaningless_sums else s
                  for s in round_statistics(round_, for_member=True, numbers=numbers)]  # fmt: skip
    survey = survey_results(round_, for_member=True)
    contributions = _contributions(round_)
    # The cells the least-answers rules show, the network's figures first.
    shown = [_sum_key(s.question) for s in statistics
             if s.dimension == "all" and s.mean is not None]  # fmt: skip
    shown += [
        _survey_key(r.question.slug, r.group)
        for r in sorted(survey, key=lambda r: (r.question.position, r.group != "", -r.answered))
        if r.counts
    ]
    candidates = {cell: {m: {int(k): v for k, v in c.items()}
                         for m, c in contributions[cell].items()}
                  for cell in shown if cell in contributions}  # fmt: skip
    _consistent(statistics, survey, contributions)
    ends = {q.slug: {limit for limit in (q.minimum, q.maximum) if limit is not None}
            for q in round_.questions.all()}  # fmt: skip
    earlier = list(_shown_before(round_))
    lopsided = _lopsided(earlier, candidates, ends)
    candidates = {cell: measures for cell, measures in candidates.items()
                  if cell not in lopsided}  # fmt: skip
    held = hold_back(candidates, _released(earlier)) | lopsided
    held_back = {cell: _cell_label(cell, labels) for cell in shown if cell in held}
    latest = latest_release(round_)
    draft = ReleaseDraft(
        statistics=[_statistic_row(s, labels, latest) for s in statistics],
        survey=[_survey_row(r, latest) for r in survey],
        contributions={cell: contributions[cell] for cell in shown if cell in contributions},
        ratios=round_ratios(round_, numbers), held_back=held_back, latest=latest,
    )  # fmt: skip
    statistics_now, survey_now = draft.rows()
    draft.kept = {
        _sum_key(r["question"]) if "grouping" in r else _survey_key(r["question"], r["group"]):
        r["release"] for r in [*statistics_now, *survey_now]
        if latest and r["release"] != latest.number + 1 and not r.get("held_back")
    }  # fmt: skip
    draft.changed = _changes(latest, draft, labels) if latest else []
    return draft


def _consistent(statistics: list[Statistic], survey: list[SurveyResult], contributions: dict):
    """The figures shown are those checked: each sum and count agrees with the contributions
    it is checked by. (Approvals wait for a release, but a figure read in another statement
    than its contributions must not slip through if one did not.)"""
    for s in statistics:
        cell = contributions.get(_sum_key(s.question), {}).get(s.question, {})
        if (
            s.dimension == "all"
            and s.mean is not None
            and (len(cell) != s.answered or abs(sum(cell.values()) - s.mean * s.answered) > 1e-6)
        ):
            raise ReleaseRefused(_("Answers changed while the release was made; try again."))
    for r in survey:
        cell = contributions.get(_survey_key(r.question.slug, r.group), {})
        for option, count in r.counts:
            if sum(cell.get(f"{r.question.slug}/{option}", {}).values()) != count:
                raise ReleaseRefused(_("Answers changed while the release was made; try again."))


def _cell_label(cell: str, labels: dict[str, str]) -> str:
    kind, question, *group = cell.split(":", 2)
    name = labels.get(question, question)
    if kind == "sum":
        return _("%(question)s: sum and mean") % {"question": name}
    return _("%(question)s: counts, %(group)s") % {
        "question": name, "group": group[0] or _("all respondents")}  # fmt: skip


# The columns of a released statistic, in the order open data gives them (PostgreSQL's JSON
# keeps keys in an order of its own).
STATISTIC_COLUMNS = ("question", "label", "grouping", "group", "asked", "answered", "sum",
                     "mean", "lower_quartile", "median", "upper_quartile", "release",
                     "held_back")  # fmt: skip
SURVEY_COLUMNS = ("question", "label", "group", "answered", "counts", "release", "held_back")


def _statistic_row(s: Statistic, labels: dict[str, str], latest: Release | None) -> dict:
    """A statistic as a release keeps it: the figures rounded to what can be read (sums of
    answers with decimals carry float noise), and the release it is from."""
    return {"question": s.question, "label": labels[s.question], "grouping": s.dimension,
            "group": s.group, "asked": s.asked, "answered": s.answered,
            "sum": _readable(s.total), "mean": _readable(s.mean),
            "lower_quartile": s.lower_quartile, "median": s.median,
            "upper_quartile": s.upper_quartile, "release": _next(latest)}  # fmt: skip


def _survey_row(r: SurveyResult, latest: Release | None) -> dict[str, Any]:
    return {"question": r.question.slug, "label": r.question.label, "group": r.group,
            "answered": r.answered, "counts": [list(c) for c in r.counts],
            "release": _next(latest)}  # fmt: skip


def _next(latest: Release | None) -> int:
    return latest.number + 1 if latest else 1


def _readable(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _changes(latest: Release, draft: ReleaseDraft, labels: dict[str, str]) -> list[str]:
    """The questions whose shown figures differ from the latest release's."""
    statistics, survey = draft.rows()

    def by_question(rows: list[dict[str, Any]]) -> dict[str, list]:
        grouped: dict[str, list] = {}
        for row in rows:
            grouped.setdefault(row["question"], []).append(_figures(row))
        return grouped

    now, before = by_question([*statistics, *survey]), by_question(
        [*latest.statistics, *latest.survey])  # fmt: skip
    return [label for slug, label in labels.items() if now.get(slug) != before.get(slug)]


@transaction.atomic
def release_create(
    *,
    round_: Round,
    user: User | None,
    notes: str = "",
    overrides: dict[str, str] | None = None,
    publish: bool = False,
) -> Release:
    """Make the next release of the round's figures. `overrides` are held-back cells the
    secretariat releases all the same, each with the reason for the decision. Refused when
    nothing would change since the latest release."""
    # Approvals and reopenings wait on this lock (workflow._move): the statements below see
    # one set of approved answers.
    list(Round.objects.select_for_update().filter(pk=round_.pk).values_list("pk"))
    draft = release_draft(round_)
    overrides = {cell: reason.strip() for cell, reason in (overrides or {}).items()}
    unknown = set(overrides) - set(draft.held_back)
    if unknown:
        raise ReleaseRefused(_("Only a figure held back can be released all the same."))
    if any(not reason for reason in overrides.values()):
        raise ReleaseRefused(_("Say why each figure held back is released all the same."))
    latest = draft.latest
    statistics, survey = draft.rows(frozenset(overrides))
    if latest and draft.unchanged(frozenset(overrides)):
        if draft.held_back:
            raise ReleaseRefused(_(
                "Nothing would change since release %(number)s: every figure that changed is "
                "held back until enough answers have changed that none can be worked out."
            ) % {"number": latest.number})  # fmt: skip
        raise ReleaseRefused(
            _("Nothing has changed since release %(number)s.") % {"number": latest.number}
        )
    number = (round_.releases.aggregate(n=Max("number"))["n"] or 0) + 1
    release = Release.objects.create(
        round=round_, number=number, created_by=user, notes=notes.strip(),
        statistics=statistics, survey=survey, contributions=draft.contributions,
        ratios=draft.ratios,
        held_back=[{"cell": c, "label": draft.held_back[c], "kept": draft.kept.get(c)}
                   for c in sorted(set(draft.held_back) - set(overrides))],
        overridden=[{"cell": c, "label": draft.held_back[c], "reason": r}
                    for c, r in sorted(overrides.items())],
    )  # fmt: skip
    audit_record(user=user, action="round-release", subject=f"rounds/{round_.slug}/{number}",
                 about=release, organisation=round_.network,
                 after={"notes": release.notes, "held_back": release.held_back,
                        "overridden": release.overridden, "changed": draft.changed})  # fmt: skip
    figures_changed()  # the network's plan shows the latest release's figures
    if publish and not round_.open_data:
        open_data_set(round_=round_, user=user, published=True)
    return release


@transaction.atomic
def open_data_set(*, round_: Round, user: User | None, published: bool) -> None:
    """Publish the latest release as open data, or take the open data down."""
    latest = latest_release(round_)
    if published and latest is None:
        raise ReleaseRefused(_("Make a release before publishing it as open data."))
    round_.open_data = published
    round_.save(update_fields=["open_data"])
    figures_changed()  # the public page of the network's plan shows released figures or none
    audit_record(
        user=user,
        action="round-publish" if published else "round-unpublish",
        subject=f"rounds/{round_.slug}",
        about=round_,
        organisation=round_.network,
        after={"release": latest.number if published and latest else None},
    )


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    """A released row without the number of the release it is from."""
    return {k: v for k, v in row.items() if k != "release"}


def _same(before: list[dict], now: list[dict]) -> bool:
    return [_figures(r) for r in before] == [_figures(r) for r in now]


def counted_in(release: Release, organisation_id: int) -> bool:
    """Whether a member's answer is in any figure the release checked."""
    member = str(organisation_id)
    return any(member in contributions for measures in release.contributions.values()
               for contributions in measures.values())  # fmt: skip


def held_back_labels(round_: Round, release: Release) -> list[str]:
    """What a release held back, in the reader's language, with the release whose figure a
    held-back figure keeps."""
    labels = dict(round_.questions.values_list("slug", "label"))
    said = []
    for item in release.held_back:
        label = _cell_label(item["cell"], labels)
        if item.get("kept"):
            label = _("%(figure)s (as in release %(number)s)") % {
                "figure": label, "number": item["kept"]}  # fmt: skip
        said.append(label)
    return said


def release_statistics(round_: Round, release: Release | None) -> list[Statistic]:
    """A release's statistics as the pages show statistics."""
    if release is None:
        return []
    return [
        Statistic(r["question"], r["grouping"], r["group"], r["asked"], r["answered"], r["sum"],
                  r["mean"], r["lower_quartile"], r["median"], r["upper_quartile"],
                  r.get("release"), r.get("held_back", False))
        for r in release.statistics
    ]  # fmt: skip


def release_survey(round_: Round, release: Release | None) -> list[SurveyResult]:
    """A release's survey counts as the pages show survey results."""
    if release is None:
        return []
    questions = {q.slug: q for q in round_.questions.all()}
    return [
        SurveyResult(questions[r["question"]], r["group"], r["answered"],
                     counts=[(option, count) for option, count in r["counts"]],
                     release=r.get("release"), held_back=r.get("held_back", False))
        for r in release.survey if r["question"] in questions
    ]  # fmt: skip
