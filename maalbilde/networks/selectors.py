"""Who sees which rounds, and as what: the secretariat of the network, or a member asked;
the secretariat's work list of the members asked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.translation import gettext as _

from maalbilde.networks.models import Answer, Question, Round, RoundMember
from maalbilde.networks.results import member_grouping
from maalbilde.organisations.models import SIZE_GROUPS, Organisation, Role
from maalbilde.organisations.permissions import (
    has_role,
    membership_paths,
    organisations_in_reach,
)
from maalbilde.plans.engine import metric_dataset, metric_value


def is_secretariat(user: AbstractBaseUser | AnonymousUser, round_: Round) -> bool:
    """Editors and administrators of the network run its rounds."""
    return has_role(user, round_.network, Role.EDITOR)


def members_of(user: AbstractBaseUser | AnonymousUser, round_: Round) -> list[Organisation]:
    """The members asked in the round that the user answers for: those they have a role in
    themselves (in the member or a part of it). A role above a member — in the network, or
    a region between — reaches its answers only as the secretariat."""
    paths = membership_paths(user)
    asked = RoundMember.objects.filter(round=round_).select_related("organisation")
    return [m.organisation for m in asked if any(p.startswith(m.organisation.path) for p in paths)]


def may_read_releases(user: AbstractBaseUser | AnonymousUser, round_: Round) -> bool:
    """Whether the user reads the round's released figures: its secretariat, the members
    asked, the network's other people, and — while the round is open data — everybody."""
    return (
        round_.open_data
        or is_secretariat(user, round_)
        or bool(members_of(user, round_))
        or has_role(user, round_.network, Role.VIEWER)
    )


def rounds_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Round]:
    """Rounds of networks the user works for, and rounds that ask a member in their reach."""
    reach = organisations_in_reach(user)
    asked = RoundMember.objects.filter(organisation__in=reach).values("round")
    return (Round.objects.filter(network__in=reach) | Round.objects.filter(pk__in=asked)).distinct()


@dataclass(frozen=True)
class ReleasedFigure:
    """An indicator's figure for the whole network as a round's release gives it."""

    value: float
    release: int
    round_title: str


def released_figures(
    plan_id: int, year: int, *, open_data_only: bool = False
) -> dict[str, ReleasedFigure]:
    """The plan's indicators that rounds of the year fill, as each round's latest release gives
    them: the released total of the question bound to the indicator (a sum held back is no
    figure), and the members counted for the round's indicator of members reporting. For the
    public, only rounds published as open data."""
    found: dict[str, ReleasedFigure] = {}
    rounds = Round.objects.filter(plan_id=plan_id, year=year).order_by("created_at", "pk")
    if open_data_only:
        rounds = rounds.filter(open_data=True)
    for round_ in rounds.prefetch_related("releases"):
        release = max(round_.releases.all(), key=lambda r: r.number, default=None)
        if release is None:
            continue
        bound = dict(round_.questions.exclude(indicator="").values_list("slug", "indicator"))
        everybody = [row for row in release.statistics if row["grouping"] == "all"]
        for row in everybody:
            if row["question"] in bound and row["sum"] is not None and not row.get("held_back"):
                found[bound[row["question"]]] = ReleasedFigure(row["sum"], release.number,
                                                               round_.title)  # fmt: skip
        if round_.reporting_indicator:
            counted = max((row["answered"] for row in everybody), default=0)
            found[round_.reporting_indicator] = ReleasedFigure(counted, release.number,
                                                               round_.title)  # fmt: skip
    return found


# The secretariat's filters by state: "waiting" is every member that has not sent its answer
# (not started, a draft, or returned to it).
STATES = ("waiting", "not-started", "draft", "returned", "submitted", "approved")
WAITING = (None, Answer.State.DRAFT, Answer.State.RETURNED)
ORDERS = {
    "member": ("organisation__name",),
    "state": ("state_order", "organisation__name"),
    "region": ("region", "organisation__name"),
    "size": ("size_order", "organisation__name"),
    "changed": (F("changed").desc(nulls_last=True), "organisation__name"),
}


@dataclass(frozen=True)
class WorkRow:
    """A member asked in a round, as the secretariat's work list shows it."""

    organisation: Organisation
    group: str
    region: str
    size: str
    state: str  # an Answer.State, or "" when not started
    changed: datetime.datetime | None

    @property
    def waiting(self) -> bool:
        return (self.state or None) in WAITING


def work_list(
    round_: Round, *, state: str = "", region: str = "", size: str = "", order: str = "member"
) -> list[WorkRow]:
    """The members asked, with their answer's state, region and size group, filtered and
    sorted in the database."""
    answer = Answer.objects.filter(round=round_, organisation=OuterRef("organisation_id"))
    members = (
        RoundMember.objects.filter(round=round_)
        .annotate(**member_grouping("organisation__"),
                  state=Subquery(answer.values("state")[:1]),
                  changed=Subquery(answer.values("updated_at")[:1]))
        .select_related("organisation", "group")
    )  # fmt: skip
    if state == "waiting":
        members = members.filter(Q(state__isnull=True) | Q(state__in=WAITING[1:]))
    elif state == "not-started":
        members = members.filter(state__isnull=True)
    elif state in Answer.State.values:
        members = members.filter(state=state)
    if region:
        members = members.filter(region=region)
    if size:
        members = members.filter(size=size)
    members = members.annotate(
        state_order=Case(*(When(state=s, then=i) for i, s in enumerate(STATES[2:], 1)),
                         default=0),
        size_order=Case(*(When(size=s, then=i) for i, s in enumerate(SIZE_GROUPS)), default=9),
    ).order_by(*ORDERS.get(order, ORDERS["member"]))  # fmt: skip
    return [
        WorkRow(m.organisation, m.group.name if m.group else "", m.region, m.size,
                m.state or "", m.changed)
        for m in members
    ]  # fmt: skip


def work_list_choices(round_: Round) -> dict[str, list[str]]:
    """The regions and size groups among the round's members, for the filters."""
    groupings = RoundMember.objects.filter(round=round_).annotate(
        **member_grouping("organisation__")
    )
    regions = groupings.exclude(region="").values_list("region", flat=True).distinct()
    sizes = set(groupings.exclude(size="").values_list("size", flat=True).distinct())
    return {
        "regions": sorted(regions),
        "sizes": [*(s for s in SIZE_GROUPS if s in sizes), *sorted(sizes - set(SIZE_GROUPS))],
    }


@dataclass(frozen=True)
class RoundToDo:
    """A round on someone's start page: the members they answer for, each with its answer's
    state ("" when not started); for the secretariat, how many have not sent and how many
    sent answers wait for review."""

    round: Round
    members: list[tuple[Organisation, str]]
    secretariat: bool
    not_sent: int = 0
    to_review: int = 0

    @property
    def days_left(self) -> int:
        return (self.round.deadline - timezone.localdate()).days


def rounds_to_do(user: AbstractBaseUser | AnonymousUser) -> list[RoundToDo]:
    """The rounds with something left to do for the user, by deadline: those whose deadline
    has not passed, and those with an answer of theirs not yet approved or, for the
    secretariat, answers waiting for review."""
    today = timezone.localdate()
    found = []
    for round_ in rounds_for(user).select_related("network").order_by("deadline", "title"):
        secretariat = is_secretariat(user, round_)
        own = members_of(user, round_)
        if not (own or secretariat):
            continue
        states = dict(Answer.objects.filter(round=round_).values_list("organisation_id",
                                                                      "state"))  # fmt: skip
        members = [(o, states.get(o.pk, "")) for o in own]
        sent = sum(1 for s in states.values() if s not in WAITING)
        to_review = sum(1 for s in states.values() if s == Answer.State.SUBMITTED)
        reviewing = secretariat and to_review > 0
        if round_.deadline >= today or reviewing or _can_act(round_, members, today):
            asked = round_.members.count() if secretariat else 0
            found.append(RoundToDo(round_, members, secretariat,
                                   not_sent=asked - sent if secretariat else 0,
                                   to_review=to_review if secretariat else 0))  # fmt: skip
    return found


def _can_act(round_: Round, members: list[tuple[Organisation, str]], today: datetime.date) -> bool:
    """Whether an answer of theirs waits for them: returned for correction, or not sent while
    the round still takes it."""
    open_ = round_.deadline >= today or round_.late_answers
    return any(state == Answer.State.RETURNED or (open_ and state in ("", Answer.State.DRAFT))
               for _organisation, state in members)  # fmt: skip


@dataclass(frozen=True)
class Prefill:
    """An answer filled in from the member's own data, and where it comes from in words."""

    value: float
    source: str


def prefills(
    round_: Round, organisation: Organisation, questions: list[Question]
) -> dict[str, Prefill]:
    """The answers the round's questions fill in from the member's own data for the round's
    year (its ticket exports, say), by question; none where the data has no figure."""
    found = {}
    for question in questions:
        dataset = metric_dataset(question.prefill) if question.prefill else None
        if dataset is None:
            continue
        metric = {"aggregate": "sum", **question.prefill}
        value, trail = metric_value(metric, dataset, organisation, round_.year)
        if value is None:
            continue
        files = ", ".join(_("%(file)s (%(rows)s rows)") % {"file": name, "rows": rows}
                          for name, rows in trail)  # fmt: skip
        found[question.slug] = Prefill(value, _(
            "Filled in from your own data in Målbilde: %(dataset)s, %(files)s. Check it, and "
            "correct it if it is wrong.") % {"dataset": dataset.name, "files": files})  # fmt: skip
    return found
