"""Reports sent by e-mail: an administrator of a plan's owner subscribes people to a report
monthly or quarterly; the worker sends each once a period (`deliveries_task`, queued by
`maalbilde serve` each day; `maalbilde deliver` sends at once, for cron), with the PDF
attached and a link to the report. Every send checks again that the recipient may see the
plan, and makes the report as the recipient sees it; every message has an unsubscribe link,
and a copy of exactly what was sent is kept (`Delivery.message`)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from email.message import Message
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import can_view_plan_of, has_role
from maalbilde.plans.models import Plan
from maalbilde.reports.build import report_for
from maalbilde.reports.files import shipped_reports
from maalbilde.reports.models import Delivery, Subscription
from maalbilde.reports.render import report_pdf
from maalbilde.reports.seen import figures_seen_by


class DeliveryRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def period_of(today: datetime.date, frequency: str) -> str:
    """The period a day lies in: its month ("2026-12") or its quarter ("2026-Q4")."""
    if frequency == Subscription.Frequency.QUARTERLY:
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return f"{today.year}-{today.month:02d}"


def report_year(today: datetime.date, frequency: str) -> int:
    """The year a delivery reports: that of the period just ended (the last day before this
    period began), so that January's report is of the year just closed, not the new one."""
    if frequency == Subscription.Frequency.QUARTERLY:
        begun = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    else:
        begun = today.replace(day=1)
    return (begun - datetime.timedelta(days=1)).year


def subscription_add(
    *, plan: Plan, report: str, recipient: User, frequency: str,
    organisation: Organisation | None = None, by: User | None,
) -> Subscription:  # fmt: skip
    """Subscribe a person to a report of the plan; refused unless `by` administers the plan's
    owner (None: the command line, run by those who run Målbilde) and the recipient has an
    e-mail address and may see the plan (and the organisation's figures, if one is chosen)."""
    if by is not None and not has_role(by, plan.owner, Role.ADMINISTRATOR):
        raise DeliveryRefused(_("Only administrators of the plan's owner send its reports."))
    if report not in shipped_reports() or frequency not in Subscription.Frequency.values:
        raise DeliveryRefused(_("Choose one of the reports and how often it is sent."))
    if not recipient.email:
        raise DeliveryRefused(_("%(name)s has no e-mail address.") % {"name": recipient})
    if not recipient.is_active or not can_view_plan_of(recipient, plan.owner):
        raise DeliveryRefused(_("%(name)s may not see the plan.") % {"name": recipient.email})
    if organisation is not None and (
        not organisation.path.startswith(plan.owner.path)
        or organisation.slug not in figures_seen_by(recipient)
    ):
        raise DeliveryRefused(_("%(name)s does not see the figures of %(organisation)s.") % {
            "name": recipient.email, "organisation": organisation.name})  # fmt: skip
    with transaction.atomic():
        if Subscription.objects.filter(plan=plan, report=report, recipient=recipient,
                                       ended_at__isnull=True).exists():  # fmt: skip
            raise DeliveryRefused(_("%(name)s gets this report already.")
                                  % {"name": recipient.email})  # fmt: skip
        subscription = Subscription.objects.create(
            plan=plan, report=report, recipient=recipient, frequency=frequency,
            organisation=organisation, token=secrets.token_urlsafe(32), created_by=by,
        )  # fmt: skip
        audit_record(user=by, action="report-subscribe", subject=f"plans/{plan.slug}/reports",
                     about=subscription, organisation=plan.owner,
                     after=_subscription_facts(subscription))  # fmt: skip
    return subscription


def subscription_end(subscription: Subscription, *, by: User | None, reason: str) -> None:
    """End a subscription: by an administrator, or by its recipient's unsubscribe link."""
    with transaction.atomic():
        ended = Subscription.objects.filter(pk=subscription.pk, ended_at__isnull=True).update(
            ended_at=timezone.now())  # fmt: skip
        if ended:
            audit_record(
                user=by,
                action="report-unsubscribe",
                subject=f"plans/{subscription.plan.slug}/reports",
                about=subscription,
                organisation=subscription.plan.owner,
                before=_subscription_facts(subscription),
                after={"reason": reason},
            )


def _subscription_facts(subscription: Subscription) -> dict[str, Any]:
    return {
        "report": subscription.report,
        "recipient": subscription.recipient.email,
        "frequency": subscription.frequency,
        "organisation": subscription.organisation.slug if subscription.organisation else "",
    }


def subscriptions_due(today: datetime.date) -> QuerySet[Subscription]:
    """The subscriptions not yet sent for the period the day lies in or a later one (periods
    written year first compare in time)."""
    monthly, quarterly = Subscription.Frequency.MONTHLY, Subscription.Frequency.QUARTERLY
    return (
        Subscription.objects.filter(ended_at__isnull=True)
        .exclude(
            Q(frequency=monthly, last_period__gte=period_of(today, monthly))
            | Q(frequency=quarterly, last_period__gte=period_of(today, quarterly))
        )
        .select_related("plan__owner", "plan__current_version", "recipient", "organisation")
    )


class _KeptMessage(EmailMessage):
    """A message built once, so that the copy kept is the one the mail server was given
    (building again would draw new MIME boundaries)."""

    _built: Message | None = None

    def message(self, *args: Any, **kwargs: Any) -> Any:
        if self._built is None:
            self._built = super().message(*args, **kwargs)
            self._built.as_bytes()  # draws the boundaries, which the message then keeps
        return self._built


def delivery_send(subscription: Subscription, *, today: datetime.date) -> Delivery | None:
    """Send the subscription's report for the day's period, once; None if it went already.
    A recipient no longer allowed to see the plan gets nothing, and the delivery says so; a
    mail server that fails leaves the period to be tried again."""
    period = period_of(today, subscription.frequency)
    # Claimed in one statement: two workers never send the same period twice.
    claimed = Subscription.objects.filter(pk=subscription.pk, ended_at__isnull=True).exclude(
        last_period__gte=period).update(last_period=period)  # fmt: skip
    if not claimed:
        return None
    recipient, plan = subscription.recipient, subscription.plan
    delivery = Delivery(subscription=subscription, plan=plan, recipient=recipient,
                        address=recipient.email, period=period)  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):
        refusal = _refusal(subscription)
    if refusal:
        delivery.state, delivery.note = Delivery.State.REFUSED, refusal
        delivery.save()
        return delivery
    with translation.override(settings.LANGUAGE_CODE):
        message = _message(subscription, today)
    try:
        message.send()
    except Exception as error:  # whatever the mail server says, the period is tried again
        Subscription.objects.filter(pk=subscription.pk).update(
            last_period=subscription.last_period)  # fmt: skip
        delivery.state, delivery.note = Delivery.State.FAILED, str(error)[:2000]
        delivery.save()
        return delivery
    kept = message.message().as_bytes(linesep="\r\n")
    delivery.state, delivery.subject = Delivery.State.SENT, message.subject
    delivery.message, delivery.sha256 = kept, hashlib.sha256(kept).hexdigest()
    delivery.save()
    audit_record(
        user=None,
        action="report-send",
        subject=f"plans/{plan.slug}/reports",
        about=delivery,
        organisation=plan.owner,
        after={"to": recipient.email, "period": period, "sha256": delivery.sha256},
    )
    return delivery


def _refusal(subscription: Subscription) -> str:
    """Why the recipient may not be sent the report now, or ""."""
    recipient, plan = subscription.recipient, subscription.plan
    if not recipient.is_active or not recipient.email:
        return _("The recipient's account is closed or has no e-mail address.")
    if not can_view_plan_of(recipient, plan.owner):
        return _("The recipient may no longer see the plan.")
    chosen = subscription.organisation
    if chosen is not None and chosen.slug not in figures_seen_by(recipient):
        return _("The recipient may no longer see the figures of %(organisation)s.") % {
            "organisation": chosen.name}  # fmt: skip
    return ""


def _message(subscription: Subscription, today: datetime.date) -> _KeptMessage:
    plan, recipient = subscription.plan, subscription.recipient
    spec = shipped_reports()[subscription.report]
    year = report_year(today, subscription.frequency)
    report = report_for(recipient, spec, plan, year=year, today=today,
                        organisation=subscription.organisation.slug
                        if subscription.organisation else "")  # fmt: skip
    link = settings.SITE_URL + reverse("web:report", args=[plan.slug, subscription.report])
    link += f"?year={year}"
    if subscription.organisation:
        link += f"&organisation={subscription.organisation.slug}"
    unsubscribe = settings.SITE_URL + reverse("web:report-unsubscribe",
                                              args=[subscription.token])  # fmt: skip
    body = _(
        "%(report)s, as it stands on %(day)s, is attached as a PDF. It shows what Målbilde "
        "shows you: the same figures and verdicts as the plan's page.\n\n"
        "See it in the browser:\n%(link)s\n\n"
        "You get it %(frequency)s because an administrator of %(owner)s asked for it. "
        "To stop getting it:\n%(unsubscribe)s\n"
    ) % {"report": report.title, "day": formats.date_format(today, "SHORT_DATE_FORMAT"),
         "link": link, "frequency": subscription.get_frequency_display(),
         "owner": plan.owner.name, "unsubscribe": unsubscribe}  # fmt: skip
    message = _KeptMessage(
        subject=report.title, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )  # fmt: skip
    message.attach(f"{plan.slug}-{subscription.report}-{today.isoformat()}.pdf",
                   report_pdf(report), "application/pdf")  # fmt: skip
    return message


def deliveries_send(*, today: datetime.date) -> dict[str, int]:
    """Every report due for the day's period, sent; how many deliveries by state."""
    counts: dict[str, int] = {}
    for subscription in subscriptions_due(today):
        delivery = delivery_send(subscription, today=today)
        if delivery is not None:
            counts[delivery.state] = counts.get(delivery.state, 0) + 1
    return counts


@task()
def deliveries_task(today: str | None = None) -> dict[str, int]:
    """The day's reports by e-mail (`today` as an ISO date, else the worker's today), sent
    by the worker; sent twice the same period, nothing goes twice."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return deliveries_send(today=day)
