"""Who sees which rounds, and as what: the secretariat of the network, or a member asked."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from maalbilde.networks.models import Round, RoundMember
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import (
    has_role,
    membership_paths,
    organisations_in_reach,
)


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
