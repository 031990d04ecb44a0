"""Typed-in figures: one value for an indicator, an organisation and a year or month."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maalbilde.data.services import figures_changed
from maalbilde.lib.norwegian import parse_number
from maalbilde.organisations.audit import audit_entry
from maalbilde.organisations.models import AuditEntry, Organisation
from maalbilde.plans.models import Indicator, Observation, Plan

# Figures may go back this many years before a plan starts, to give it a baseline.
BASELINE_YEARS = 10


# Figures a funding file writes carry this source and its owner's slug; only the funding
# writes them again (a figure typed in over them would disagree with the accounts).
FUNDING_SOURCE = "funding/"


class ObservationRefused(Exception):
    """A figure that cannot be stored; `indicator_slug` says which of several."""

    def __init__(self, message: str, indicator_slug: str = ""):
        super().__init__(message)
        self.indicator_slug = indicator_slug


def _checked(indicator: Indicator | None, plan: Plan, organisation: Organisation,
             year: int, month: int, value: float | None, slug: str) -> float:  # fmt: skip
    """The value, if it may be stored as the indicator's figure; refused with why if not."""
    if indicator is None:
        raise ObservationRefused(
            _("Plan “%(plan)s” has no indicator “%(indicator)s”.")
            % {"plan": plan.slug, "indicator": slug}
        )
    if indicator.metric or indicator.formula:
        raise ObservationRefused(
            _("“%(indicator)s” is computed from data, so its figures cannot be typed in.")
            % {"indicator": indicator.name}
        )
    if not organisation.path.startswith(plan.owner.path):
        raise ObservationRefused(
            _("“%(organisation)s” is not part of the plan's organisation “%(owner)s”.")
            % {"organisation": organisation.name, "owner": plan.owner.name}
        )
    version = indicator.version
    if not version.start_year - BASELINE_YEARS <= year <= version.end_year:
        raise ObservationRefused(
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": version.start_year - BASELINE_YEARS, "last": version.end_year}
        )
    if not 0 <= month <= 12:
        raise ObservationRefused(_("The month must be 1–12 (or left out for the whole year)."))
    if indicator.calendar == Indicator.Calendar.SNAPSHOT and month not in (
        0, indicator.calendar_month
    ):  # fmt: skip
        raise ObservationRefused(
            _("“%(indicator)s” is counted on one day a year (%(when)s): type in the figure for "
              "the whole year, or for that month.")
            % {"indicator": indicator.name, "when": indicator.calendar_text}
        )  # fmt: skip
    if value is None:
        raise ObservationRefused(_("Write a number, for example 65 000 or 80,5."))
    if value < 0 and indicator.unit in {"count", "hours", "fte", "kwh", "kg"}:
        raise ObservationRefused(_("A count cannot be negative."))
    if indicator.unit == "percent" and not -1000 <= value <= 1000:
        raise ObservationRefused(_("A percentage must lie between −1000 and 1000."))
    return value


def observation_save(
    *,
    plan: Plan,
    indicator_slug: str,
    organisation: Organisation,
    year: int,
    month: int = 0,
    text: str,
    comment: str = "",
    source: str = "",
    user: User | None = None,
    force_source: bool = False,
) -> Observation:
    """Store (or correct) a typed-in figure, written the Norwegian way, and record the change.
    With `force_source` the figure is claimed for `source` even when its value is unchanged
    (a reporting round taking over a figure typed in by hand)."""
    saved = observations_save(
        plan=plan, organisation=organisation, year=year, month=month,
        figures={indicator_slug: (text, comment)}, source=source, user=user,
        force_source=force_source,
    )  # fmt: skip
    return saved[indicator_slug]


@transaction.atomic
def observations_save(
    *,
    plan: Plan,
    organisation: Organisation,
    year: int,
    month: int = 0,
    figures: dict[str, tuple[str, str]],
    source: str = "",
    user: User | None = None,
    force_source: bool = False,
) -> dict[str, Observation]:
    """`observation_save` for several indicators of one organisation and period at once,
    `figures` giving each indicator's text and comment: all stored, or none."""
    version = plan.current_version
    found = version.indicators.filter(slug__in=figures) if version else Indicator.objects.none()
    indicators = {indicator.slug: indicator for indicator in found}
    values: dict[str, float] = {}
    for slug, (text, _comment) in figures.items():
        try:
            values[slug] = _checked(indicators.get(slug), plan, organisation, year, month,
                                    parse_number(text), slug)  # fmt: skip
        except ObservationRefused as refused:
            raise ObservationRefused(str(refused), slug) from None
    stored = {
        observation.indicator_slug: observation
        for observation in Observation.objects.select_for_update().filter(
            plan=plan, indicator_slug__in=figures, organisation=organisation, year=year,
            month=month,
        )
    }  # fmt: skip
    # A year the accounts fill (in any month of it) takes no figure typed in beside theirs.
    funded = (Observation.objects.filter(plan=plan, indicator_slug__in=figures,
                                         organisation=organisation, year=year,
                                         source__startswith=FUNDING_SOURCE)
              .exclude(source=source).first())  # fmt: skip
    if funded is not None:
        raise ObservationRefused(_(
            "The figure comes from the accounts of %(owner)s's funding: record the invoice "
            "or payment there, and the figure follows."
        ) % {"owner": funded.source.removeprefix(FUNDING_SOURCE)},
            funded.indicator_slug)  # fmt: skip
    saved: dict[str, Observation] = {}
    new: list[Observation] = []
    changed: list[tuple[Observation, dict[str, Any]]] = []
    now = timezone.now()
    for slug, (_text, comment) in figures.items():
        value, observation = values[slug], stored.get(slug)
        if (
            observation is not None
            and (observation.value, observation.comment) == (value, comment)
            and (not force_source or observation.source == source)
        ):
            saved[slug] = observation  # nothing changed, nothing to record
            continue
        if observation is None:
            observation = Observation(
                plan=plan, indicator_slug=slug, organisation=organisation, year=year,
                month=month,
            )  # fmt: skip
            new.append(observation)
        else:
            changed.append((observation, {"value": observation.value,
                                          "comment": observation.comment}))  # fmt: skip
        observation.value = value
        observation.comment = comment
        observation.source = source
        observation.entered_by = user
        observation.entered_at = now
        saved[slug] = observation
    if not new and not changed:
        return saved
    Observation.objects.bulk_create(new)
    Observation.objects.bulk_update(
        [observation for observation, _before in changed],
        ["value", "comment", "source", "entered_by", "entered_at"],
    )
    figures_changed()
    befores = [(observation, None) for observation in new] + changed
    AuditEntry.objects.bulk_create(
        audit_entry(
            user=user,
            action="observation",
            subject=f"{plan.slug}/{observation.indicator_slug}/{organisation.slug}/{observation}",
            about=observation,
            organisation=organisation,
            before=before,
            after={"value": observation.value, "comment": observation.comment},
        )
        for observation, before in befores
    )
    return saved


@transaction.atomic
def observations_remove(
    *, plan: Plan, indicator_slug: str, year: int, organisations: list[Organisation],
    source: str | None = None, months_only: bool = False, user: User | None = None,
) -> int:  # fmt: skip
    """Remove an indicator's figures for a year, of the given organisations: those of a
    `source` (the funding's, when nothing it counts is recorded any more), or else, with
    `months_only`, those typed in for single months (the accounts' figure for the year
    takes their place). Audited; the number removed."""
    found = Observation.objects.filter(plan=plan, indicator_slug=indicator_slug, year=year,
                                       organisation__in=organisations)  # fmt: skip
    if source is not None:
        found = found.filter(source=source)
    if months_only:
        found = found.exclude(month=0)
    removed = list(found.select_related("organisation"))
    if not removed:
        return 0
    Observation.objects.filter(pk__in=[o.pk for o in removed]).delete()
    figures_changed()
    AuditEntry.objects.bulk_create(
        audit_entry(
            user=user, action="observation-removed",
            subject=f"{plan.slug}/{indicator_slug}/{o.organisation.slug}/{o}",
            organisation=o.organisation, before={"value": o.value, "comment": o.comment,
                                                 "source": o.source},
        )
        for o in removed
    )  # fmt: skip
    return len(removed)
