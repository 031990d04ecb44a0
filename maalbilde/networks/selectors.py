"""Who sees which rounds, and as what: the secretariat of the network, or a member asked."""

from __future__ import annotations

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
