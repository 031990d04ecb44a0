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
    below the network. (A role in the network reaches every member, but makes one the
    secretariat, not a member.)"""
    network = round_.network.path
    own = [p for p in membership_paths(user) if p.startswith(network) and p != network]
    asked = RoundMember.objects.filter(round=round_).select_related("organisation")
    return [m.organisation for m in asked if any(m.organisation.path.startswith(p) for p in own)]


def rounds_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Round]:
    """Rounds of networks the user works for, and rounds that ask a member in their reach."""
    reach = organisations_in_reach(user)
    asked = RoundMember.objects.filter(organisation__in=reach).values("round")
    return (Round.objects.filter(network__in=reach) | Round.objects.filter(pk__in=asked)).distinct()
