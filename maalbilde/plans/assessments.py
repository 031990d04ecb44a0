"""Written assessments: the responsible person's word on an indicator or a goal for a year
(why it stands where it does, what is being done), with a verdict where no number gives one."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maalbilde.data.services import figures_changed
from maalbilde.organisations.audit import audit_record
from maalbilde.plans.models import Assessment, Goal, Indicator, Plan, PlanVersion

TEXT_MAX_CHARACTERS = 2000


def assessed(version: PlanVersion, subject: str, slug: str) -> Indicator | Goal | None:
    """The indicator or goal of the version that an assessment is about, if there is one."""
    items = {Assessment.Subject.INDICATOR: version.indicators,
             Assessment.Subject.GOAL: version.goals}.get(subject)  # fmt: skip
    return items.filter(slug=slug).first() if items is not None else None


class AssessmentRefused(Exception):
    """An assessment that cannot be stored, with why in the user's language."""


@transaction.atomic
def assessment_write(
    *,
    plan: Plan,
    subject: str,
    slug: str,
    year: int,
    text: str,
    verdict: str = "",
    public: bool = False,
    user: User | None = None,
    today: datetime.date | None = None,
) -> Assessment:
    """Store a new assessment of an indicator or goal of the plan's current version (the
    earlier ones stay as its history), and record it."""
    version = plan.current
    if assessed(version, subject, slug) is None:
        words = {"plan": plan.slug, "slug": slug, "indicator": slug}
        if subject == Assessment.Subject.GOAL:
            raise AssessmentRefused(_("Plan “%(plan)s” has no goal “%(slug)s”.") % words)
        raise AssessmentRefused(_("Plan “%(plan)s” has no indicator “%(indicator)s”.") % words)
    if year not in version.years:
        raise AssessmentRefused(
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": version.start_year, "last": version.end_year}
        )
    text = text.strip()
    if not text:
        raise AssessmentRefused(_("Write what the assessment says."))
    if len(text) > TEXT_MAX_CHARACTERS:
        raise AssessmentRefused(
            _("An assessment may be at most %(limit)s characters.") % {"limit": TEXT_MAX_CHARACTERS}
        )
    if verdict not in ("", *Assessment.Verdict.values):
        raise AssessmentRefused(_("“%(verdict)s” is not a verdict.") % {"verdict": verdict})
    running = (Assessment.Verdict.ON_TRACK, Assessment.Verdict.AT_RISK, Assessment.Verdict.BEHIND)
    if verdict in running and year < (today or timezone.localdate()).year:
        raise AssessmentRefused(_("%(year)s is over: it is met or not met.") % {"year": year})
    # Targets on the indicator or on any of its other measures give its verdict.
    judged = version.indicators.filter(
        Q(slug=slug) | Q(measure_of__slug=slug), targets__isnull=False
    ).exists()
    if verdict and subject == Assessment.Subject.INDICATOR and judged:
        raise AssessmentRefused(
            _("The indicator's targets give its verdict; write the assessment without one.")
        )
    assessment = Assessment.objects.create(
        plan=plan, subject=subject, slug=slug, year=year, verdict=verdict, text=text,
        public=public, written_by=user,
    )  # fmt: skip
    figures_changed()  # the cached pages and statuses show the latest assessment
    audit_record(
        user=user,
        action="assessment",
        subject=f"{plan.slug}/{subject}/{slug}/{year}",
        about=assessment,
        organisation=plan.owner,
        after={"verdict": verdict, "text": text, "public": public},
    )
    return assessment


def latest_assessments(plan_id: int, year: int) -> QuerySet:
    """The plan's assessments for the year, the latest first: the first of each indicator or
    goal is its latest, the first public one its latest public. A plan's year holds a few, so
    one plain query beats a latest-per-group query, whose building alone costs milliseconds."""
    return (
        Assessment.objects.filter(plan_id=plan_id, year=year)
        .order_by("-written_at", "-pk")
        .only("subject", "slug", "verdict", "text", "public")
    )
