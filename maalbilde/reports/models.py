"""Reports sent by e-mail: who gets which report of which plan, how often, and a copy of
every message exactly as it was sent (a board's papers must be reproducible later)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maalbilde.organisations.models import Organisation
from maalbilde.plans.models import Plan


class Subscription(models.Model):
    """A person sent a plan's report by e-mail each month or quarter, as they see it."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="subscriptions")
    report = models.SlugField(_("report"), max_length=80)
    # One of the plan's organisations the report is made for; none: all the recipient sees.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    # The secret of the unsubscribe link in every message.
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The period last sent for ("2026-12", "2026-Q4"): sent once a period.
    last_period = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["plan", "recipient__email", "report"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "report", "recipient"], condition=Q(ended_at__isnull=True),
                name="subscribed_once",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.report} → {self.recipient_id}"


class Delivery(models.Model):
    """One send of a subscription: the message exactly as it went out, or why it did not."""

    class State(models.TextChoices):
        SENT = "sent", _("sent")
        REFUSED = "refused", _("not sent")
        FAILED = "failed", _("not sent: the mail server failed")

    subscription = models.ForeignKey(Subscription, null=True, on_delete=models.SET_NULL,
                                     related_name="deliveries")  # fmt: skip
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    address = models.CharField(max_length=254, blank=True)
    period = models.CharField(max_length=10)
    sent_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices)
    note = models.TextField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    # The whole message as handed to the mail server (RFC 5322, with the PDF), and its
    # SHA-256, to show later that a copy is the one sent.
    message = models.BinaryField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.period} {self.state}"


class MadeReport(models.Model):
    """A report file made in the background for the person who asked (a PDF of a large plan
    takes seconds): where it has come, and the file when it is done. Kept a day."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting for its turn")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    report = models.SlugField(max_length=80)
    format = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    organisation = models.SlugField(max_length=80, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    stage = models.CharField(max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.report}.{self.format} {self.state}"
