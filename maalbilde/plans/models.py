"""A strategy plan as data.

A `Plan` is the lasting identity (its slug and owner). Each import or edit that changes the
plan makes a new `PlanVersion`; everything inside a plan — sections, focus areas, goals,
indicators, targets, initiatives — belongs to one version, so old versions stay readable
exactly as they were.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from maalbilde.organisations.models import Organisation


class Plan(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="plans"
    )
    current_version = models.OneToOneField(
        "PlanVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.current_version.title if self.current_version else self.slug

    @property
    def current(self) -> PlanVersion:
        """The version in force: a stored plan always has one (its first import sets it)."""
        if self.current_version is None:
            raise PlanVersion.DoesNotExist(f"The plan “{self.slug}” has no version.")
        return self.current_version


class PlanVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    values = models.JSONField(_("values"), default=list, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    ambitions = models.JSONField(_("ambitions"), default=list, blank=True)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    # The organisations and datasets as the plan file declared them. They are shared with
    # other plans and change over time; these copies keep this version exactly as it was.
    organisations = models.JSONField(default=list, editable=False)
    datasets = models.JSONField(default=list, editable=False)
    checksum = models.CharField(_("checksum"), max_length=64, editable=False)
    source_name = models.CharField(_("source file"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique")
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class Section(models.Model):
    """A chapter of the plan's prose."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class FocusArea(models.Model):
    class Kind(models.TextChoices):
        FOCUS_AREA = "focus_area", _("focus area")
        PERSPECTIVE = "perspective", _("cross-cutting perspective")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="focus_areas")
    position = models.PositiveIntegerField()
    slug = models.SlugField(_("slug"), max_length=80)
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FOCUS_AREA)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="focus_area_slug_unique")
        ]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, related_name="goals"
    )
    position = models.PositiveIntegerField()
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.TextField(_("title"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["focus_area__position", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "slug"], name="goal_slug_unique")]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        PERCENT = "percent", _("percent")
        NOK = "nok", _("NOK")
        HOURS = "hours", _("hours")
        FTE = "fte", _("full-time equivalents")
        SCORE = "score", _("score")
        KWH = "kwh", _("kWh")
        KG = "kg", _("kg")
        QUALITATIVE = "qualitative", _("qualitative")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("higher is better")
        DECREASE = "decrease", _("lower is better")
        MAINTAIN = "maintain", _("keep steady")

    class OverTime(models.TextChoices):
        SUM = "sum", _("sum")
        MEAN = "mean", _("mean")
        LAST = "last", _("last value")
        CUMULATIVE = "cumulative", _("cumulative")

    class OverTree(models.TextChoices):
        SUM = "sum", _("sum")
        MEAN = "mean", _("mean")
        NONE = "none", _("not combined")

    class Calendar(models.TextChoices):
        YEAR = "year", _("calendar year")
        SCHOOL_YEAR = "school_year", _("school year (August–July)")
        SEASON = "season", _("season")
        SNAPSHOT = "snapshot", _("count on a date")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="indicators")
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, related_name="indicators"
    )
    # Set when the indicator belongs to one goal rather than to the focus area as a whole.
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    position = models.PositiveIntegerField()
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.TextField(_("name"))
    description = models.TextField(_("how it is measured"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.COUNT)
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, default=Direction.INCREASE
    )
    over_time = models.CharField(
        _("over time"), max_length=20, choices=OverTime.choices, default=OverTime.SUM
    )
    over_tree = models.CharField(
        _("over the organisation tree"),
        max_length=20,
        choices=OverTree.choices,
        default=OverTree.SUM,
    )
    # How the value is found: typed in (neither), a metric over a dataset, or a formula over
    # other indicators of the plan, as the plan file's `metric` and `formula` keys say.
    metric = models.JSONField(_("metric"), null=True, blank=True)
    formula = models.JSONField(_("formula"), null=True, blank=True)
    measures = models.ManyToManyField(
        Goal, verbose_name=_("goals measured"), blank=True, related_name="measured_by"
    )
    # The years its figures count towards: calendar years, school years, seasons from
    # `calendar_month`, or the count in `calendar_month` alone (a snapshot on its first day).
    calendar = models.CharField(
        _("calendar"), max_length=20, choices=Calendar.choices, default=Calendar.YEAR
    )
    calendar_month = models.PositiveSmallIntegerField(_("first month"), default=1)
    # Another measure of an indicator (its reach beside its count, its kroner beside its
    # number): kept as an indicator of its own, named `<indicator>--<measure>`, so that it is
    # computed, charted and judged like any other, and shown under the indicator it belongs to.
    measure_of = models.ForeignKey(
        "self",
        verbose_name=_("measure of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="other_measures",
    )
    measure = models.SlugField(_("measure"), max_length=80, blank=True)

    class Meta:
        ordering = ["focus_area__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="indicator_slug_unique")
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def source(self) -> str:
        return "metric" if self.metric else "formula" if self.formula else "observation"

    @property
    def calendar_text(self) -> str:
        """The calendar in words: “school year (August–July)”, “season from September”."""
        month = formats.date_format(datetime.date(2000, self.calendar_month, 1), "F")
        if self.calendar == self.Calendar.SEASON:
            return _("season from %(month)s") % {"month": month}
        if self.calendar == self.Calendar.SNAPSHOT:
            return _("counted on 1 %(month)s") % {"month": month}
        return str(self.get_calendar_display())


class Target(models.Model):
    """An indicator's goal for an organisation: one year, every year of a span, or a deadline."""

    class Kind(models.TextChoices):
        # A level to reach by a deadline, on a path from a baseline, judged every year.
        LEVEL_BY = "level_by", _("a level to reach by a deadline")
        FLOOR = "floor", _("at least, every year")
        CEILING = "ceiling", _("at most, every year")
        # A total counted from a year to a deadline.
        TOTAL = "total", _("a total by a deadline")
        GROWTH = "growth", _("growth each year")
        # A change in per cent from a baseline year's figure, reached by a deadline.
        CHANGE_BY = "change_by", _("a change from a baseline by a deadline")

    class Comparator(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")
        GROWTH_AT_LEAST = "growth_at_least", _("growth of at least (% a year)")

    class Period(models.TextChoices):
        YEAR = "year", _("one year")
        EACH_YEAR = "each_year", _("every year")
        DEADLINE = "deadline", _("by a deadline")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FLOOR)
    comparator = models.CharField(
        _("comparator"), max_length=20, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    period = models.CharField(_("period"), max_length=20, choices=Period.choices)
    # YEAR: first_year == last_year. EACH_YEAR: the span (for a level or a change by a
    # deadline: the years judged, the last one the deadline). DEADLINE: counted from first_year
    # (the "since" year) to last_year (the deadline).
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    # Without a value, a level or a change by a deadline starts from the baseline year's
    # figure.
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["indicator", "position"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return (
            f"{self.indicator} – {self.organisation}: {self.get_comparator_display()} {self.value}"
        )


class Initiative(models.Model):
    """A tiltak or a milestone under a goal."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", _("initiative")
        MILESTONE = "milestone", _("milestone")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="initiatives")
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="initiatives"
    )
    position = models.PositiveIntegerField()
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INITIATIVE)
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["goal", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "slug"], name="initiative_slug_unique")
        ]
        verbose_name = _("initiative or milestone")
        verbose_name_plural = _("initiatives and milestones")

    def __str__(self) -> str:
        return self.title


class Publication(models.Model):
    """A year of a plan's figures that an administrator has made public at /p/<plan>/."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="publications"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The plan version and its status rows as they stood when published: the public page shows
    # these, and says where a figure has changed since. (Empty for years published before
    # figures were kept: those show the live figures.)
    version = models.ForeignKey(PlanVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")  # fmt: skip
    statuses = models.JSONField(default=dict, blank=True)  # {language: [status rows]}

    class Meta:
        ordering = ["plan", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="publication_once_a_year")
        ]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.plan.slug} {self.year}"


class Observation(models.Model):
    """A typed-in figure for an indicator, an organisation and a period.

    Indicators are named by plan and slug, so figures outlive the plan version they were
    entered under.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    indicator_slug = models.SlugField(_("indicator"), max_length=80)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # 0 for the whole year, or the month 1–12 the figure is for.
    month = models.PositiveSmallIntegerField(_("month"), default=0)
    value = models.FloatField(_("value"))
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    entered_at = models.DateTimeField(_("entered"), auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        # The table it had when figures were kept apart from plans.
        db_table = "maalbilde_data_observation"
        ordering = ["plan", "indicator_slug", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator_slug", "organisation", "year", "month"],
                name="observation_once_per_period",
            )
        ]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.indicator_slug} {period}: {self.value}"


class Assessment(models.Model):
    """A person's written assessment of an indicator or a goal for a year: why it stands
    where it does and what is being done, with a verdict where no number gives one.

    Kept as a history: a new assessment is a new row, and the latest one counts. Named by
    plan and slug, like typed-in figures, so it outlives the plan version it was written
    under. Only public ones reach public pages.
    """

    class Subject(models.TextChoices):
        INDICATOR = "indicator", _("indicator")
        GOAL = "goal", _("goal")

    class Verdict(models.TextChoices):
        MET = "met", _("met")
        NOT_MET = "not_met", _("not met")
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        BEHIND = "behind", _("behind")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="assessments"
    )
    subject = models.CharField(_("about"), max_length=10, choices=Subject.choices)
    slug = models.SlugField(_("slug"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    verdict = models.CharField(_("assessment"), max_length=10, choices=Verdict.choices,
                               blank=True)  # fmt: skip
    text = models.TextField(_("comment"))
    public = models.BooleanField(_("public"), default=False)
    written_at = models.DateTimeField(_("written"), auto_now_add=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["plan", "year", "subject", "slug"],
                                name="assessment_lookup")]  # fmt: skip
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.subject} {self.slug} {self.year}"
