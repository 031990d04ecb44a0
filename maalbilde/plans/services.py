"""Writes to plans: importing a plan file as a new version."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maalbilde.data.services import DatasetSlotsExhausted, dataset_declare
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation
from maalbilde.organisations.services import OrganisationMoveRefused, organisations_upsert
from maalbilde.plans.files import MEASURE_SEPARATOR, PlanDocument, calendar_of, target_kind
from maalbilde.plans.models import (
    FocusArea,
    Goal,
    Indicator,
    Initiative,
    Plan,
    PlanVersion,
    Publication,
    Section,
    Target,
)
from maalbilde.plans.status import plan_status


@dataclass(frozen=True)
class PlanImport:
    plan: Plan
    version: PlanVersion
    outcome: str  # "created", "new_version" or "unchanged"


class PlanImportRefused(Exception):
    """The file is valid on its own, but storing it would break another plan."""


@transaction.atomic
def plan_import(*, document: PlanDocument, user: User | None = None) -> PlanImport:
    """Store a checked plan file. The same content twice leaves one version; changed content
    makes a new version and keeps the old ones. All of it or nothing is stored."""
    data = document.data
    plan = Plan.objects.select_for_update().filter(slug=document.slug).first()
    if plan and plan.current_version and plan.current_version.checksum == document.checksum:
        return PlanImport(plan, plan.current_version, "unchanged")
    try:
        organisations = organisations_upsert(entries=data["organisations"], holder=document.slug)
    except OrganisationMoveRefused as refused:
        raise PlanImportRefused(str(refused)) from None
    _datasets_upsert(data["datasets"], organisations)
    owner = organisations[data["plan"]["owner"]]
    if plan is None:
        plan = Plan.objects.create(slug=document.slug, owner=owner)
        outcome = "created"
    else:
        outcome = "new_version"
    plan.owner = owner
    previous = plan.current_version
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = _version_create(plan, number, document, organisations, user)
    plan.current_version = version
    plan.save(update_fields=["owner", "current_version"])
    _audit_target_changes(plan, previous, version, user)
    return PlanImport(plan, version, outcome)


def _targets_of(version: PlanVersion | None) -> set[tuple]:
    if version is None:
        return set()
    return set(
        Target.objects.filter(indicator__version=version).values_list(
            "indicator__slug", "organisation__slug", "kind", "comparator", "value", "period",
            "first_year", "last_year", "baseline_year", "baseline_value",
        )
    )  # fmt: skip


def _audit_target_changes(
    plan: Plan, previous: PlanVersion | None, version: PlanVersion, user: User | None
) -> None:
    """Record which targets a new version removed and added (a changed one is both)."""
    before, after = _targets_of(previous), _targets_of(version)
    if before == after:
        return
    keys = ["indicator", "organisation", "kind", "comparator", "value", "period", "from", "to",
            "baseline_year", "baseline_value"]  # fmt: skip

    def rows(targets: set[tuple]) -> list[dict[str, Any]]:
        return [
            {
                k: (float(v) if k in ("value", "baseline_value") and v is not None else v)
                for k, v in zip(keys, t, strict=True)
            }
            for t in sorted(targets, key=str)
        ]

    audit_record(
        user=user,
        action="targets",
        subject=f"{plan.slug} v{version.number}",
        about=version,
        organisation=plan.owner,
        before=rows(before - after),
        after=rows(after - before),
    )


def plan_placements(holder: str) -> list[tuple[str, str, str]]:
    """What the current versions of plans other than `holder` (a plan's slug) place at
    organisations, for the organisation-move rule (organisations.services)."""
    others = PlanVersion.objects.filter(plan__current_version=F("pk")).exclude(plan__slug=holder)
    rows = {
        *Target.objects.filter(indicator__version__in=others).values_list(
            "indicator__version__plan__slug", "indicator__version__owner__slug",
            "organisation__slug",
        ),
        *Initiative.objects.filter(version__in=others, organisation__isnull=False).values_list(
            "version__plan__slug", "version__owner__slug", "organisation__slug"
        ),
    }  # fmt: skip
    return [(_("Plan “%(plan)s”") % {"plan": plan}, owner, organisation)
            for plan, owner, organisation in rows]  # fmt: skip


def _datasets_upsert(entries: list[dict[str, Any]], organisations: dict[str, Organisation]) -> None:
    for entry in entries:
        try:
            dataset_declare(
                entry=entry, organisation=organisations.get(entry["organisation"] or "")
            )
        except DatasetSlotsExhausted as error:
            raise PlanImportRefused(str(error)) from error


def _decimal(value: int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _version_create(
    plan: Plan,
    number: int,
    document: PlanDocument,
    organisations: dict[str, Organisation],
    user: User | None,
) -> PlanVersion:
    data = document.data
    spec = data["plan"]
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        title=spec["title"],
        start_year=spec["start_year"],
        end_year=spec["end_year"],
        state=spec["state"],
        adopted_on=datetime.date.fromisoformat(spec["adopted_on"]) if spec["adopted_on"] else None,
        introduction=spec["introduction"],
        vision=spec["vision"],
        mission=spec["mission"],
        values=spec["values"],
        target_groups=spec["target_groups"],
        ambitions=spec["ambitions"],
        owner=organisations[spec["owner"]],
        organisations=data["organisations"],
        datasets=data["datasets"],
        checksum=document.checksum,
        source_name=document.source_name,
        created_by=user,
    )
    Section.objects.bulk_create(
        Section(version=version, position=i, number=s["number"], title=s["title"], text=s["text"])
        for i, s in enumerate(spec["sections"])
    )
    areas = FocusArea.objects.bulk_create(
        FocusArea(
            version=version,
            position=i,
            slug=a["slug"],
            number=a["number"],
            title=a["title"],
            kind=a["kind"],
            description=a["description"],
        )
        for i, a in enumerate(data["focus_areas"])
    )
    goals = Goal.objects.bulk_create(
        Goal(
            version=version,
            focus_area=area,
            position=i,
            slug=g["slug"],
            title=g["title"],
            description=g["description"],
        )
        for area, a in zip(areas, data["focus_areas"], strict=True)
        for i, g in enumerate(a["goals"])
    )
    goal_by_slug = {g.slug: g for g in goals}

    # Indicators of the focus area as a whole first, then those of each goal, in file order.
    placed: list[tuple[FocusArea, Goal | None, int, dict[str, Any]]] = []
    for area, a in zip(areas, data["focus_areas"], strict=True):
        placed += [(area, None, i, ind) for i, ind in enumerate(a["indicators"])]
        for g in a["goals"]:
            placed += [
                (area, goal_by_slug[g["slug"]], i, ind) for i, ind in enumerate(g["indicators"])
            ]
    indicators = Indicator.objects.bulk_create(
        _indicator(version, area, goal, i, ind) for area, goal, i, ind in placed
    )
    # Another measure of an indicator stands beside it: the same place in the plan, the same
    # goals, the same calendar.
    measures = Indicator.objects.bulk_create(
        _indicator(version, area, goal, i, m, of=indicator, calendar=ind)
        for indicator, (area, goal, i, ind) in zip(indicators, placed, strict=True)
        for m in ind.get("other_measures", [])
    )
    # A measure measures the goals its indicator measures.
    specs = [ind for _a, _g, _i, ind in placed]
    specs += [{**m, "measures": ind["measures"]} for ind in specs
              for m in ind.get("other_measures", [])]  # fmt: skip
    specs_of = list(zip([*indicators, *measures], specs, strict=True))
    Indicator.measures.through.objects.bulk_create(
        Indicator.measures.through(indicator=indicator, goal=goal_by_slug[slug])
        for indicator, ind in specs_of
        for slug in ind["measures"]
    )
    Target.objects.bulk_create(
        _target(indicator, i, t, organisations)
        for indicator, ind in specs_of
        for i, t in enumerate(ind["targets"])
    )
    Initiative.objects.bulk_create(
        Initiative(
            version=version,
            goal=goal_by_slug[g["slug"]],
            position=i,
            slug=item["slug"],
            title=item["title"],
            kind=item["kind"],
            description=item["description"],
            organisation=organisations[item["organisation"]] if item["organisation"] else None,
            responsible=item["responsible"],
            due=datetime.date.fromisoformat(item["due"]) if item["due"] else None,
            status=item["status"],
        )
        for a in data["focus_areas"]
        for g in a["goals"]
        for i, item in enumerate(g["initiatives"])
    )
    return version


def _indicator(
    version: PlanVersion,
    area: FocusArea,
    goal: Goal | None,
    position: int,
    spec: dict[str, Any],
    of: Indicator | None = None,
    calendar: dict[str, Any] | None = None,
) -> Indicator:
    """An indicator, or another measure `of` one, in the calendar its file entry (or the
    indicator's, for a measure) states."""
    calendar_name, calendar_month = calendar_of(calendar or spec)
    return Indicator(
        version=version,
        focus_area=area,
        goal=goal,
        position=position,
        slug=f"{of.slug}{MEASURE_SEPARATOR}{spec['slug']}" if of else spec["slug"],
        name=spec["name"],
        description=spec["description"],
        unit=spec["unit"],
        direction=spec["direction"],
        over_time=spec["over_time"],
        over_tree=spec["over_tree"],
        metric=spec["metric"],
        formula=spec["formula"],
        calendar=calendar_name,
        calendar_month=calendar_month,
        measure_of=of,
        measure=spec["slug"] if of else "",
    )


def _target(
    indicator: Indicator,
    position: int,
    spec: dict[str, Any],
    organisations: dict[str, Organisation],
) -> Target:
    if "year" in spec:
        period, first, last = Target.Period.YEAR, spec["year"], spec["year"]
    elif "each_year" in spec:
        period, first, last = Target.Period.EACH_YEAR, spec["from"], spec["to"]
    elif "by" in spec:
        # A level or a change by a deadline is judged every year up to the deadline.
        period, first, last = Target.Period.EACH_YEAR, spec["from"], spec["by"]
    else:
        period, first, last = Target.Period.DEADLINE, spec["since"], spec["deadline"]
    baseline = spec["baseline"] or {}
    return Target(
        indicator=indicator,
        organisation=organisations[spec["organisation"]],
        position=position,
        kind=target_kind(spec),
        comparator=spec["comparator"],
        value=Decimal(str(spec["value"])),  # every target has one (the schema says so)
        period=period,
        first_year=first,
        last_year=last,
        baseline_year=baseline.get("year"),
        baseline_value=_decimal(baseline.get("value")),
        note=spec["note"],
    )


@transaction.atomic
def publication_set(
    *, plan: Plan, year: int, published: bool, user: User | None = None, refresh: bool = False
) -> None:
    """Make a year of the plan's figures public, or take it back; with `refresh`, a public
    year shows today's figures from now on (after late data or a correction)."""
    if published:
        version = plan.current
        # The figures as published, judged as the public page judges them, in each language
        # the page is read in.
        statuses = {}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                statuses[language] = [s.as_dict() for s in plan_status(version, year=year)]
        publication, created = Publication.objects.get_or_create(
            plan=plan, year=year,
            defaults={"published_by": user, "version": version, "statuses": statuses},
        )  # fmt: skip
        changed, was_public = created, not created
        if refresh and not created:
            publication.version, publication.statuses = version, statuses
            publication.published_at, publication.published_by = timezone.now(), user
            publication.save(update_fields=["version", "statuses", "published_at",
                                            "published_by"])  # fmt: skip
            changed = True
    else:
        changed = was_public = Publication.objects.filter(plan=plan, year=year).delete()[0] > 0
    if changed:
        audit_record(
            user=user,
            action="publish" if published else "unpublish",
            subject=f"{plan.slug} {year}",
            about=plan,
            organisation=plan.owner,
            before={"published": was_public},
            after={"published": published},
        )
