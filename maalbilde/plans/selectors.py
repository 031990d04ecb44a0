"""Reads of plans for pages and commands."""

from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from maalbilde.organisations.models import Organisation
from maalbilde.organisations.permissions import membership_paths
from maalbilde.plans.models import Goal, Indicator, Plan, PlanVersion, Target


def plans_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Plan]:
    """Plans whose owner the user has a role in, above, or in a part of."""
    plans = Plan.objects.select_related("owner", "current_version").order_by(
        "current_version__title"
    )
    if user.is_authenticated and user.is_superuser:
        return plans
    paths = membership_paths(user)
    if not paths:
        return plans.none()
    above = {slug for path in paths for slug in path.strip("/").split("/")}
    within = reduce(or_, (Q(owner__path__startswith=path) for path in paths))
    return plans.filter(Q(owner__slug__in=above) | within)


def plan_version(plan: Plan, number: int | None) -> PlanVersion | None:
    """The version to show: the current one unless a number is asked for."""
    if number is None:
        return plan.current_version
    return plan.versions.select_related("owner").filter(number=number).first()


def version_with_tree(version: PlanVersion) -> PlanVersion:
    """The version with its whole tree fetched in a fixed number of queries."""
    return (
        PlanVersion.objects.select_related("owner")
        .prefetch_related(
            "sections",
            Prefetch(
                "focus_areas__goals",
                queryset=Goal.objects.prefetch_related(
                    "initiatives__organisation",
                    Prefetch("indicators", queryset=_indicators()),
                ),
            ),
            Prefetch("focus_areas__indicators", queryset=_indicators().filter(goal__isnull=True)),
        )
        .get(pk=version.pk)
    )


def _indicators() -> QuerySet[Indicator]:
    """The indicators of a place in the plan, each with its targets and its other measures
    (with theirs)."""
    targets = Prefetch("targets", queryset=Target.objects.select_related("organisation"))
    measures = Indicator.objects.order_by("pk").prefetch_related(targets)
    return (
        Indicator.objects.filter(measure_of__isnull=True)
        .order_by("position")
        .prefetch_related(targets, Prefetch("other_measures", queryset=measures))
    )


def plan_organisations(version: PlanVersion) -> QuerySet[Organisation]:
    """The organisations of a plan version's tree: its owner and everything below it that
    the plan names."""
    return Organisation.objects.filter(
        slug__in=[o["slug"] for o in version.organisations], path__startswith=version.owner.path
    )


def dataset_organisations(dataset: str) -> QuerySet[Organisation]:
    """The organisations a dataset's files may belong to: those of every plan whose current
    version declares it."""
    found = Organisation.objects.none()
    for plan in Plan.objects.exclude(current_version=None).select_related("current_version__owner"):
        if any(d["slug"] == dataset for d in plan.current_version.datasets):
            found |= plan_organisations(plan.current_version)
    return found


def published_plans() -> QuerySet[Plan]:
    """The plans with at least one year of figures made public, with those years."""
    return (
        Plan.objects.filter(publications__isnull=False).distinct()
        .select_related("current_version__owner")
        .prefetch_related("publications").order_by("current_version__title")
    )  # fmt: skip
