"""Who may do what where. Every view, command and export asks here; nothing else decides.

A role in an organisation holds for everything below it. A superuser is an administrator
everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from maalbilde.organisations.models import ROLE_RANK, Membership, Organisation, Role


def _memberships(user: AbstractBaseUser | AnonymousUser) -> list[tuple[str, Role]]:
    """The user's memberships as (organisation path, role), read once for the user object:
    a request's user lives for the request, so pages that ask about many organisations make
    one query, not one per question."""
    if not user.is_authenticated:
        return []
    found = getattr(user, "_maalbilde_memberships", None)
    if found is None:
        rows = Membership.objects.filter(user=user).values_list("organisation__path", "role")
        found = [(path, Role(role)) for path, role in rows]
        user._maalbilde_memberships = found
    return found


def role_in(user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> Role | None:
    """The highest role the user has in the organisation, through it or any organisation
    above it; None when they have none."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    roles = [role for path, role in _memberships(user) if organisation.path.startswith(path)]
    return max(roles, key=ROLE_RANK.__getitem__, default=None)


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
    return [path for path, _role in _memberships(user)]


def paths_above(path: str) -> list[str]:
    """An organisation's path and the paths of every organisation above it."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def can_view_plan_of(user: AbstractBaseUser | AnonymousUser, owner: Organisation) -> bool:
    """A plan is seen by those with a role in its owner, above it, or in a part of it."""
    if role_in(user, owner) is not None:
        return True
    return organisations_in_reach(user).filter(path__startswith=owner.path).exists()


def figures_in_reach(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations whose own figures the user may see: those in their reach, except
    that inside a network a member's figures are seen only by its own people (a role in the
    member, a part of it, or a member it is part of) and by the secretariat (editors and
    administrators of the network); and the figures of the network, of its regions, of
    anything between it and its members and of anything above it, which add members'
    figures up, by the secretariat only. Everybody else sees members' figures only as the
    network releases them (docs/networks.md)."""
    reach = organisations_in_reach(user)
    if user.is_superuser:
        return reach
    rows = list(reach.values_list("pk", "path", "kind"))
    networks = list(Organisation.objects.filter(kind=Organisation.Kind.NETWORK))
    secretariat = [n.path for n in networks if has_role(user, n, Role.EDITOR)]
    others = [n.path for n in networks if n.path not in secretariat]
    own = membership_paths(user)
    members = [path for _pk, path, kind in rows if kind == Organisation.Kind.MEMBER]
    kinds = {path: kind for _pk, path, kind in rows}

    def adds_up_members(path: str) -> bool:
        return kinds.get(path) in (Organisation.Kind.NETWORK, Organisation.Kind.REGION) or any(
            m.startswith(path) and m != path for m in members
        )

    def seen(path: str) -> bool:
        if any(n.startswith(path) and n != path for n in others):
            return False  # above a network whose figures the user does not see
        if not any(path.startswith(n) for n in others) or any(
            path.startswith(n) for n in secretariat
        ):
            return True
        # Its own people: a role in it, in a part of it, or in a member it is a part of.
        return not adds_up_members(path) and any(
            (p.startswith(path) or path.startswith(p)) and not adds_up_members(p) for p in own
        )

    return reach.filter(pk__in=[pk for pk, path, _kind in rows if seen(path)])


def figures_in_public() -> QuerySet[Organisation]:
    """The organisations whose figures a published plan shows to everybody: those outside
    every network and not above one (their figures would add members' up)."""
    networks = list(
        Organisation.objects.filter(kind=Organisation.Kind.NETWORK).values_list("path", flat=True)
    )
    inside = reduce(or_, (Q(path__startswith=path) for path in networks), Q(pk__in=[]))
    above = Organisation.objects.filter(
        kind=Organisation.Kind.NETWORK, path__startswith=OuterRef("path")
    )
    return Organisation.objects.exclude(inside).exclude(Exists(above))
