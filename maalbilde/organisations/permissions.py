"""Who may do what where. Every view, command and export asks here; nothing else decides.

A role in an organisation holds for everything below it. A superuser is an administrator
everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from maalbilde.organisations.models import ROLE_RANK, Membership, Organisation, Role


def role_in(user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> Role | None:
    """The highest role the user has in the organisation, through it or any organisation
    above it; None when they have none."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    ancestors = [p for p in organisation.path.strip("/").split("/") if p]
    roles = Membership.objects.filter(user=user, organisation__slug__in=ancestors).values_list(
        "role", flat=True
    )
    return max((Role(r) for r in roles), key=ROLE_RANK.__getitem__, default=None)


def has_role(
    user: AbstractBaseUser | AnonymousUser, organisation: Organisation, least: Role
) -> bool:
    role = role_in(user, organisation)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[least]


def organisations_with_role(
    user: AbstractBaseUser | AnonymousUser, organisations: Iterable[Organisation], least: Role
) -> list[Organisation]:
    """Those of the organisations in which the user has at least the role `least`."""
    return [o for o in organisations if has_role(user, o, least)]


def organisations_in_reach(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    """Every organisation the user has some role in (their memberships and all below)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    paths = membership_paths(user)
    if not paths:
        return Organisation.objects.none()
    return Organisation.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def membership_paths(user: AbstractBaseUser | AnonymousUser) -> list[str]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).values_list("organisation__path", flat=True))


def can_view_plan_of(user: AbstractBaseUser | AnonymousUser, owner: Organisation) -> bool:
    """A plan is seen by those with a role in its owner, above it, or in a part of it."""
    if role_in(user, owner) is not None:
        return True
    return organisations_in_reach(user).filter(path__startswith=owner.path).exists()
