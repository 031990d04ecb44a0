"""A member's answer from draft to approval: saved, submitted, returned with a comment and
corrected, approved, reopened with a reason. Every step is checked, recorded, and atomic;
approved numbers bound to indicators become the member's figures for the year."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maalbilde.data.services import figures_changed
from maalbilde.lib.norwegian import number_text, parse_number
from maalbilde.networks.models import Answer, AnswerEvent, Question, Round, RoundMember, Value
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation
from maalbilde.plans.models import Observation, Plan
from maalbilde.plans.observations import (
    ObservationRefused,
    observation_save,
    observations_save,
)


class WorkflowRefused(Exception):
    """A step that cannot be taken; `errors` by question slug ("" for the answer)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@dataclass
class Check:
    """What is wrong (refuses submission) and what is only unusual (asks for a comment)."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)


def questions_for(round_: Round, organisation: Organisation) -> list[Question]:
    """The questions this member is asked, by its respondent group."""
    member = RoundMember.objects.select_related("group").filter(
        round=round_, organisation=organisation).first()  # fmt: skip
    if member is None:
        return []
    return [q for q in round_.questions.order_by("position") if q.asks(member.group)]


def answer_of(round_: Round, organisation: Organisation) -> Answer:
    """The member's answer, a new draft if it has none."""
    if not RoundMember.objects.filter(round=round_, organisation=organisation).exists():
        raise WorkflowRefused({"": _("%(member)s is not asked in this round.")
                               % {"member": organisation.name}})  # fmt: skip
    answer, _created = Answer.objects.get_or_create(round=round_, organisation=organisation)
    return answer


# A text answer is a few paragraphs; a comment a sentence or two.
TEXT_AT_MOST = 10_000
COMMENT_AT_MOST = 1000


def _parse(question: Question, raw: Any) -> tuple[dict[str, Any], str]:
    """The stored form of a value as typed (a system may send a number as a number), and what
    is wrong with it ("" if nothing)."""
    kind = question.kind
    if kind == Question.Kind.MULTIPLE:
        if raw is not None and not (isinstance(raw, list) and all(isinstance(c, str) for c in raw)):
            return {}, _("Send the chosen answers as a list.")
        chosen = [c for c in (raw or []) if c]
        wrong = [c for c in chosen if c not in question.choices]
        return {"choices": chosen}, _("not one of the choices") if wrong else ""
    numeric = kind in (Question.Kind.NUMBER, Question.Kind.SCALE)
    if raw is not None and not isinstance(raw, str):
        if numeric and isinstance(raw, int | float) and not isinstance(raw, bool):
            return _number(question, float(raw))
        return {}, _("Send the answer as a number.") if numeric else _("Send the answer as a text.")
    text = (raw or "").strip()
    if kind == Question.Kind.TEXT:
        if len(text) > TEXT_AT_MOST:
            return {}, _("At most %(limit)s characters.") % {"limit": TEXT_AT_MOST}
        return {"text": text}, ""
    if kind == Question.Kind.SINGLE:
        return {"choices": [text] if text else []}, (
            _("not one of the choices") if text and text not in question.choices else ""
        )
    if not text:
        return {"number": None}, ""
    return _number(question, parse_number(text))


def _number(question: Question, number: float | None) -> tuple[dict[str, Any], str]:
    if number is None or not math.isfinite(number):
        return {"number": None}, _("Write a number, for example 65 000 or 80,5.")
    if question.kind == Question.Kind.SCALE and not number.is_integer():
        return {"number": None}, _("Choose a whole number from 1 to 5.")
    return {"number": number}, ""


@transaction.atomic
def answer_save(
    *,
    answer: Answer,
    values: dict[str, Any],
    comments: dict[str, str] | None = None,
    user: User | None,
    on_behalf: str = "",
) -> Check:
    """Store what the member has written so far (a draft may be incomplete); returns the check
    of the whole answer. Values that cannot be read are refused with nothing stored."""
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.state not in (Answer.State.DRAFT, Answer.State.RETURNED):
        raise WorkflowRefused({"": _("The answer is %(state)s and cannot be changed now.")
                               % {"state": answer.get_state_display()}})  # fmt: skip
    questions = questions_for(answer.round, answer.organisation)
    parsed: dict[int, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for question in questions:
        if question.slug in values:
            form, problem = _parse(question, values[question.slug])
            if problem:
                errors[question.slug] = problem
            parsed[question.pk] = form
    comments = comments or {}
    errors |= {slug: _("At most %(limit)s characters.") % {"limit": COMMENT_AT_MOST}
               for slug, comment in comments.items() if len(comment) > COMMENT_AT_MOST}  # fmt: skip
    if errors:
        raise WorkflowRefused(errors)
    stored = {value.question_id: value for value in answer.values.all()}
    new: list[Value] = []
    changed: list[Value] = []
    for question in questions:
        if question.pk in parsed or question.slug in comments:
            written = {**parsed.get(question.pk, {})}
            if question.slug in comments:
                written["comment"] = comments[question.slug].strip()
            value = stored.get(question.pk) or Value(answer=answer, question=question)
            for name, content in written.items():
                setattr(value, name, content)
            (changed if value.pk else new).append(value)
    Value.objects.bulk_create(new)
    Value.objects.bulk_update(changed, ["number", "text", "choices", "comment"])
    answer.save(update_fields=["updated_at"])
    _record(answer, user, "filled-in" if on_behalf else "saved", on_behalf)
    return answer_check(answer, questions)


def answer_check(answer: Answer, questions: list[Question] | None = None) -> Check:
    """Required questions, ranges, one figure not above another, and changes from the
    previous round beyond its limit without a comment. `questions` are the member's, when
    the caller has them already."""
    check = Check()
    if questions is None:
        questions = questions_for(answer.round, answer.organisation)
    stored = {v.question_id: v for v in answer.values.all()}
    numbers = {q.slug: stored[q.pk].number for q in questions if q.pk in stored}
    previous = previous_numbers(answer.round, answer.organisation)
    for q in questions:
        value = stored.get(q.pk)
        if value is None or (value.number is None and not value.text and not value.choices):
            if q.required:
                check.errors[q.slug] = _("An answer is required.")
            continue
        number = value.number
        if number is None:
            continue
        if q.minimum is not None and number < q.minimum:
            check.errors[q.slug] = _("At least %(minimum)s.") % {"minimum": number_text(q.minimum)}
        elif q.maximum is not None and number > q.maximum:
            check.errors[q.slug] = _("At most %(maximum)s.") % {"maximum": number_text(q.maximum)}
        elif (ceiling := numbers.get(q.at_most)) is not None and number > ceiling:
            other = next(o for o in questions if o.slug == q.at_most)
            check.errors[q.slug] = _("Cannot be more than “%(other)s” (%(value)s).") % {
                "other": other.label, "value": number_text(ceiling)}  # fmt: skip
        before = previous.get(q.slug) if q.kind == Question.Kind.NUMBER else None
        limit = answer.round.change_warning_percent
        if before and abs(number - before) / abs(before) * 100 > limit and not value.comment:
            check.warnings[q.slug] = _(
                "%(change)+.0f %% from last year (%(before)s). Say why in a comment."
            ) % {
                "change": (number - before) / abs(before) * 100,
                "before": number_text(before),
            }
    return check


def previous_numbers(round_: Round, organisation: Organisation) -> dict[str, float]:
    """The member's approved numbers in the previous round, by question slug."""
    previous = round_.previous
    if previous is None:
        return {}
    values = Value.objects.filter(
        answer__round=previous, answer__organisation=organisation,
        answer__state=Answer.State.APPROVED, number__isnull=False,
    ).values_list("question__slug", "number")  # fmt: skip
    return {slug: number for slug, number in values if number is not None}


def _record(answer: Answer, user: User | None, action: str, comment: str = "",
            replaced: dict | None = None) -> None:  # fmt: skip
    AnswerEvent.objects.create(answer=answer, user=user, action=action, comment=comment,
                               replaced=replaced or {})  # fmt: skip
    audit_record(user=user, action=f"answer-{action}",
                 subject=f"{answer.round.slug}/{answer.organisation.slug}",
                 about=answer, organisation=answer.organisation,
                 after={"state": answer.state, "comment": comment})  # fmt: skip


def _move(answer: Answer, allowed: tuple[str, ...], to: str) -> Answer:
    if Answer.State.APPROVED in (to, *allowed):
        # What counts changes: wait for a release being made, which reads the round's answers
        # in several statements under this same lock (releases.release_create).
        list(Round.objects.select_for_update().filter(pk=answer.round_id).values_list("pk"))
    answer = Answer.objects.select_for_update().select_related("round", "organisation").get(
        pk=answer.pk)  # fmt: skip
    if answer.state not in allowed:
        raise WorkflowRefused({"": _("The answer is %(state)s; that step is not possible now.")
                               % {"state": answer.get_state_display()}})  # fmt: skip
    answer.state = to
    return answer


@transaction.atomic
def answer_submit(
    *, answer: Answer, user: User | None, on_behalf: str = "", today: datetime.date | None = None
) -> Answer:
    """Hand the answer in: complete, valid, and with a comment where a figure changed much.
    `today` is the day it is handed in (the demo hands in earlier years' answers)."""
    answer = _move(answer, (Answer.State.DRAFT, Answer.State.RETURNED), Answer.State.SUBMITTED)
    # The deadline is for handing in the first time; an answer returned or reopened for
    # correction, and the secretariat filling in, may come after it.
    first_time = not answer.events.filter(action="submitted").exists()
    late = (today or timezone.localdate()) > answer.round.deadline
    if late and first_time and not on_behalf and not answer.round.late_answers:
        message = _(
            "The deadline (%(deadline)s) has passed; this round takes no more answers. "
            "Ask the secretariat."
        )
        deadline = answer.round.deadline.strftime("%d.%m.%Y")
        raise WorkflowRefused({"": message % {"deadline": deadline}})
    check = answer_check(answer)
    if check.errors or check.warnings:
        raise WorkflowRefused({**check.warnings, **check.errors})
    answer.submitted_by = user
    answer.save(update_fields=["state", "submitted_by", "updated_at"])
    _record(answer, user, "submitted", on_behalf)
    return answer


@transaction.atomic
def answer_return(*, answer: Answer, user: User | None, comment: str) -> Answer:
    """Send the answer back to the member with what to correct."""
    if not comment.strip():
        raise WorkflowRefused({"": _("Say what the member should correct.")})
    answer = _move(answer, (Answer.State.SUBMITTED,), Answer.State.RETURNED)
    answer.save(update_fields=["state", "updated_at"])
    _record(answer, user, "returned", comment.strip())
    return answer


@transaction.atomic
def answer_approve(*, answer: Answer, user: User | None) -> Answer:
    """Accept the answer; its numbers bound to indicators become the member's figures."""
    answer = _move(answer, (Answer.State.SUBMITTED,), Answer.State.APPROVED)
    if user is not None and answer.submitted_by_id == user.pk:
        raise WorkflowRefused({"": _("You submitted this answer; someone else must approve it.")})
    answer.save(update_fields=["state", "updated_at"])
    replaced = _figures_write(answer, user)
    _record(answer, user, "approved", replaced=replaced)
    return answer


@transaction.atomic
def answer_reopen(*, answer: Answer, user: User | None, reason: str) -> Answer:
    """Open an approved answer for correction again; its figures count no longer until it is
    approved anew."""
    if not reason.strip():
        raise WorkflowRefused({"": _("Give the reason for reopening.")})
    answer = _move(answer, (Answer.State.APPROVED,), Answer.State.RETURNED)
    answer.save(update_fields=["state", "updated_at"])
    _figures_remove(answer, user)
    _record(answer, user, "reopened", reason.strip())
    return answer


def _bound(answer: Answer) -> dict[str, tuple[str, float, str]]:
    """The figures an approved answer gives: indicator → (question, number, comment) for the
    numbers of questions bound to indicators, and 1 for the member in the round's indicator
    of members reporting (no question of its own)."""
    values = answer.values.select_related("question").exclude(question__indicator="")
    bound = {value.question.indicator: (value.question.slug, value.number, value.comment)
             for value in values if value.number is not None}  # fmt: skip
    if answer.round.reporting_indicator:
        bound[answer.round.reporting_indicator] = ("", 1.0, "")
    return bound


def _source(answer: Answer) -> str:
    return f"round:{answer.round.slug}"


def _figure(answer: Answer, indicator: str) -> Observation | None:
    """The member's figure for the indicator and the round's year, whoever wrote it."""
    return Observation.objects.filter(
        plan=answer.round.plan, indicator_slug=indicator, organisation=answer.organisation,
        year=answer.round.year, month=0,
    ).first()  # fmt: skip


def _figure_save(answer: Answer, plan: Plan, indicator: str, value: float, comment: str,
                 source: str, user: User | None) -> None:  # fmt: skip
    observation_save(
        plan=plan, indicator_slug=indicator, organisation=answer.organisation,
        year=answer.round.year, text=number_text(value), comment=comment, source=source,
        user=user, force_source=True,
    )  # fmt: skip


def _last_approval(answer: Answer | None) -> AnswerEvent | None:
    if answer is None:
        return None
    return answer.events.filter(action="approved").order_by("-at", "-pk").first()


def _figures_write(answer: Answer, user: User | None) -> dict[str, dict]:
    """Write the approved numbers as the member's figures; return the figures they replaced
    (typed in by hand, or from elsewhere), so that reopening can give them back."""
    plan = answer.round.plan
    if plan is None:
        return {}
    bound = _bound(answer)
    earlier = Observation.objects.filter(
        plan=plan, indicator_slug__in=bound, organisation=answer.organisation,
        year=answer.round.year, month=0,
    ).exclude(source=_source(answer))  # fmt: skip
    replaced = {figure.indicator_slug: {"value": figure.value, "comment": figure.comment,
                                        "source": figure.source} for figure in earlier}  # fmt: skip
    try:
        observations_save(
            plan=plan, organisation=answer.organisation, year=answer.round.year,
            figures={slug: (number_text(number), comment)
                     for slug, (_question, number, comment) in bound.items()},
            source=_source(answer), user=user, force_source=True,
        )  # fmt: skip
    except ObservationRefused as refused:
        raise WorkflowRefused({bound[refused.indicator_slug][0]: str(refused)}) from None
    return replaced


def _figures_remove(answer: Answer, user: User | None) -> None:
    """Take the answer's figures back where they are still its own (a later round or a
    correction by hand stays), giving back the figure its approval replaced, if that one
    still counts."""
    plan = answer.round.plan
    if plan is None:
        return
    approval = _last_approval(answer)
    replaced = approval.replaced if approval else {}
    changed = False
    for indicator in _bound(answer):
        current = _figure(answer, indicator)
        if current is None or current.source != _source(answer):
            continue
        earlier = _still_counting(replaced.get(indicator), indicator, answer.organisation)
        if earlier is None:
            audit_record(user=user, action="observation-removed",
                         subject=f"{plan.slug}/{indicator}/{answer.organisation.slug}/{current}",
                         about=current, organisation=answer.organisation,
                         before={"value": current.value, "comment": current.comment})  # fmt: skip
            current.delete()
            changed = True
        else:
            _figure_save(answer, plan, indicator, earlier["value"], earlier["comment"],
                         earlier["source"], user)  # fmt: skip
    if changed:
        figures_changed()


def _still_counting(earlier: dict | None, indicator: str, organisation) -> dict | None:
    """The replaced figure if it still counts: typed in by hand, or from a round whose
    answer is still approved; else what that round's approval replaced in turn."""
    for _step in range(20):  # a chain of rounds, each replacing the one before
        if earlier is None or not earlier["source"].startswith("round:"):
            return earlier
        previous = Answer.objects.filter(
            round__slug=earlier["source"].removeprefix("round:"), organisation=organisation
        ).first()  # fmt: skip
        if previous is not None and previous.state == Answer.State.APPROVED:
            return earlier
        approval = _last_approval(previous)
        earlier = (approval.replaced if approval else {}).get(indicator)
    return None
