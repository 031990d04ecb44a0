"""A member's own answer to a network's round: the rounds it is asked in, its answer as it
stands, saving figures (a draft may be incomplete) and handing it in — through the workflow
the answer page uses, with the same checks. Only for the members the caller answers for,
with the *answer* scope; the secretariat's steps stay in the browser."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import StrictFloat, StrictInt, StrictStr

from maalbilde.api.auth import recorded_as, require_scope
from maalbilde.api.problems import Problem, problems, refusal
from maalbilde.networks.exports import open_data
from maalbilde.networks.models import Answer, Round
from maalbilde.networks.selectors import may_read_releases, members_of, rounds_for
from maalbilde.networks.workflow import (
    WorkflowRefused,
    answer_of,
    answer_save,
    answer_submit,
    questions_for,
)
from maalbilde.organisations.models import ApiToken, Organisation, Role
from maalbilde.organisations.permissions import has_role

router = Router(tags=["rounds"])


class RoundOut(Schema):
    slug: str
    title: str
    network: str
    year: int
    deadline: str
    members: list[str] = Field(description="The members the caller answers for.")


class AnswerOut(Schema):
    round: str
    member: str
    state: str
    values: dict[str, Any]
    comments: dict[str, str] = Field(description="The member's comments, by question.")
    returned_with: str = Field(description="What the secretariat wrote when it returned the "
                                           "answer (empty unless returned).")  # fmt: skip


class AnswerIn(Schema):
    # Strict: true is not the number 1, nor 12 the text "12".
    values: dict[str, StrictStr | StrictInt | StrictFloat | list[StrictStr] | None] = Field(
        description="Each question's answer by its slug: a number as written, a choice, "
                    "or a list of choices.")  # fmt: skip
    comments: dict[str, str] = Field(default_factory=dict)


def _answering(request: HttpRequest, slug: str, member: str) -> tuple[Round, Organisation]:
    require_scope(request, ApiToken.Scope.ANSWER)
    round_ = get_object_or_404(Round, slug=slug)
    organisation = next((o for o in members_of(request.user, round_) if o.slug == member), None)
    if organisation is None:
        raise Problem(404, _("Not found"))  # not a member the caller answers for
    if not has_role(request.user, organisation, Role.REPORTER):
        raise Problem(403, _("Not allowed"), _("The caller may not answer for %(name)s.")
                      % {"name": organisation.name})  # fmt: skip
    return round_, organisation


def _shown(answer: Answer) -> dict[str, Any]:
    stored = list(answer.values.select_related("question"))
    values = {v.question.slug: v.number if v.number is not None else (v.choices or v.text)
              for v in stored}  # fmt: skip
    returned = answer.events.filter(action="returned").order_by("-at", "-pk").first()
    return {"round": answer.round.slug, "member": answer.organisation.slug,
            "state": answer.state, "values": values,
            "comments": {v.question.slug: v.comment for v in stored if v.comment},
            "returned_with": returned.comment if returned and answer.state == Answer.State.RETURNED
            else ""}  # fmt: skip


@router.get("/rounds", response=list[RoundOut], summary="The rounds the caller answers in",
            openapi_extra=problems(403))  # fmt: skip
def round_list(request: HttpRequest) -> list[dict[str, Any]]:
    require_scope(request, ApiToken.Scope.ANSWER)
    found = []
    for round_ in rounds_for(request.user).select_related("network").order_by("-year", "slug"):
        members = [o.slug for o in members_of(request.user, round_)]
        if members:
            found.append({"slug": round_.slug, "title": round_.title,
                          "network": round_.network.slug, "year": round_.year,
                          "deadline": round_.deadline.isoformat(), "members": members})  # fmt: skip
    return found


@router.get("/rounds/{slug}/answers/{member}", response=AnswerOut,
            summary="A member's answer as it stands", openapi_extra=problems(403, 404))  # fmt: skip
def answer_read(request: HttpRequest, slug: str, member: str) -> dict[str, Any]:
    round_, organisation = _answering(request, slug, member)
    answer = Answer.objects.filter(round=round_, organisation=organisation).first()
    if answer is None:
        return {"round": slug, "member": member, "state": "", "values": {}, "comments": {},
                "returned_with": ""}  # fmt: skip
    return _shown(answer)


@router.put("/rounds/{slug}/answers/{member}", response=AnswerOut,
            summary="Save a member's answer (a draft may be incomplete)",
            openapi_extra=problems(403, 404, 409))  # fmt: skip
def answer_write(request: HttpRequest, slug: str, member: str, body: AnswerIn) -> dict[str, Any]:
    round_, organisation = _answering(request, slug, member)
    asked = {q.slug for q in questions_for(round_, organisation)}
    unknown = {slug: _("The round asks %(member)s no question “%(slug)s”.")
               % {"member": organisation.name, "slug": slug[:80]}
               for slug in [*body.values, *body.comments] if slug not in asked}  # fmt: skip
    if unknown:
        raise refusal(_("Nothing was stored"), unknown, "values")
    user, recording = recorded_as(request)
    try:
        with recording, transaction.atomic():
            answer = answer_of(round_, organisation)
            answer_save(answer=answer, values=body.values, comments=body.comments, user=user)
    except WorkflowRefused as refused:
        raise refusal(_("Nothing was stored"), refused.errors, "values") from None
    answer.refresh_from_db()
    return _shown(answer)


@router.post("/rounds/{slug}/answers/{member}/submit", response=AnswerOut,
             summary="Hand a member's answer in",
             openapi_extra=problems(403, 404, 409))  # fmt: skip
def answer_hand_in(request: HttpRequest, slug: str, member: str) -> dict[str, Any]:
    round_, organisation = _answering(request, slug, member)
    user, recording = recorded_as(request)
    try:
        with recording, transaction.atomic():
            answer = answer_submit(answer=answer_of(round_, organisation), user=user)
    except WorkflowRefused as refused:
        raise refusal(_("Not handed in"), refused.errors, "values") from None
    return _shown(answer)


@router.get("/rounds/{slug}/statistics", response=dict[str, Any],
            summary="A round's latest release: the statistics as members and the public see them",
            openapi_extra=problems(403, 404))  # fmt: skip
def round_release(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Released figures only, under the small-number rules and the checks between releases;
    for those who read the round's releases (its network's people, the members asked, and
    — while it is open data — everybody with a token)."""
    require_scope(request, ApiToken.Scope.READ)
    round_ = Round.objects.filter(slug=slug).first()
    if round_ is None or not may_read_releases(request.user, round_):
        raise Problem(404, _("Not found"))
    return open_data(round_)
