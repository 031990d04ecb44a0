"""Networks collect the same figures and answers from their members: reporting rounds with
their questions, the members asked, each member's answer and every step it went through."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maalbilde.organisations.models import Organisation


class Round(models.Model):
    """A network asks its members the same questions for a period, by a deadline. A survey is
    a round whose questions are mostly words and scales."""

    network = models.ForeignKey(Organisation, verbose_name=_("network"),
                                on_delete=models.PROTECT, related_name="rounds")  # fmt: skip
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    instructions = models.TextField(_("instructions"), blank=True)
    # Numbers bound to indicators become that plan's figures for the member once approved.
    plan = models.ForeignKey("plans.Plan", verbose_name=_("plan"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    # A typed-in indicator of the plan that counts the members reporting: an approved answer
    # is 1 there for its member and the round's year.
    reporting_indicator = models.SlugField(_("indicator of members reporting"), max_length=80,
                                           blank=True)  # fmt: skip
    late_answers = models.BooleanField(_("answers after the deadline"), default=False)
    # A change from the previous round beyond this many percent asks for a comment.
    change_warning_percent = models.FloatField(_("change that asks for a comment (%)"),
                                               default=30)  # fmt: skip
    previous = models.ForeignKey(
        "self", verbose_name=_("previous round"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    open_data = models.BooleanField(_("published as open data"), default=False)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    source = models.TextField(_("round file"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")

    def __str__(self) -> str:
        return self.title


class RespondentGroup(models.Model):
    """Members asked different questions: experienced schools, new schools, the academy."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="groups")
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "slug"], name="group_once")]

    def __str__(self) -> str:
        return self.name


class RoundMember(models.Model):
    """A member asked in a round, and the group it answers as."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(RespondentGroup, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="members")  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="member_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.organisation_id}"


class Question(models.Model):
    class Kind(models.TextChoices):
        NUMBER = "number", _("number")
        TEXT = "text", _("free text")
        SCALE = "scale", _("scale 1–5")
        SINGLE = "single", _("one choice")
        MULTIPLE = "multiple", _("several choices")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    section = models.CharField(_("section"), max_length=200, blank=True)
    slug = models.SlugField(max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=500)
    help = models.TextField(_("help"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    required = models.BooleanField(_("required"), default=False)
    minimum = models.FloatField(_("at least"), null=True, blank=True)
    maximum = models.FloatField(_("at most"), null=True, blank=True)
    # The slug of another number question this one may not exceed (sold ≤ capacity).
    at_most = models.SlugField(max_length=80, blank=True)
    choices = models.JSONField(default=list, blank=True)
    # The groups asked this question; none listed: everybody.
    groups = models.JSONField(default=list, blank=True)
    indicator = models.SlugField(_("indicator"), max_length=80, blank=True)
    # A metric over the member's own data (as plan files write one) that fills the answer in
    # before the member confirms it: tickets and events from its own ticket exports.
    prefill = models.JSONField(_("pre-filled from"), null=True, blank=True)

    class Meta:
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "slug"], name="question_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def adds_up(self) -> bool:
        """Whether a sum of the answers means something: not of percentages or scale steps."""
        return self.kind == self.Kind.NUMBER and self.unit != "percent"

    @property
    def rounding_unit(self) -> str:
        """The unit a quartile of this question is rounded by: a scale's steps, else its unit."""
        return "scale" if self.kind == self.Kind.SCALE else self.unit

    def asks(self, group: RespondentGroup | None) -> bool:
        return not self.groups or (group is not None and group.slug in self.groups)


class Answer(models.Model):
    """One member's answer to a round and where it stands in the workflow."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.DRAFT)  # fmt: skip
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="answer_once")
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.round_id}/{self.organisation_id}: {self.state}"


class Value(models.Model):
    """The answer to one question: a number, a text, or the choices made; and the comment a
    member gives with it (why a figure changed so much)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="values")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="values")
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "question"], name="value_once")]
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self) -> str:
        return f"{self.answer_id}/{self.question_id}"


class AnswerEvent(models.Model):
    """Every step of an answer: saved, submitted, returned with a comment, approved, reopened
    with a reason, filled in by the secretariat with a note."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    action = models.CharField(max_length=20)
    comment = models.TextField(blank=True)
    # On approval: the figures it replaced, {indicator: {"value", "comment", "source"}}, so
    # that reopening gives them back.
    replaced = models.JSONField(default=dict, blank=True)

    # What each step is called where people read the history.
    LABELS = {
        "saved": _("draft saved"),
        "filled-in": _("filled in by the secretariat"),
        "submitted": _("submitted"),
        "returned": _("returned to the member"),
        "approved": _("approved"),
        "reopened": _("reopened"),
    }

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.answer_id} {self.action}"

    @property
    def label(self) -> str:
        return str(self.LABELS.get(self.action, self.action))


class Release(models.Model):
    """The aggregated figures of a round as they may be shown beyond the secretariat, frozen
    when the secretariat makes the release: to members, to viewers of the network and, while
    the round is published, to everybody as open data. Numbered per round, with notes; what
    was held back to keep members' answers private is said in `held_back`."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("release"))
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    notes = models.TextField(_("release notes"), blank=True)
    # The figures shown: statistics rows and survey counts, as open data has them.
    statistics = models.JSONField(default=list)
    survey = models.JSONField(default=list)
    # Number questions per seat and per 1 000 inhabitants: quartiles of the members' own
    # ratios by grouping (`results.round_ratios`).
    ratios = models.JSONField(default=list, blank=True)
    # The cells held back, and those the secretariat released anyway: [{cell, label, reason}].
    held_back = models.JSONField(default=list, blank=True)
    overridden = models.JSONField(default=list, blank=True)
    # Private: which member contributed what to every sum and count released, so that a later
    # release can be checked against this one. Never shown.
    contributions = models.JSONField(default=dict)

    class Meta:
        ordering = ["round", "-number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="release_once")]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return f"{self.round_id} #{self.number}"
