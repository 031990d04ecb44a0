"""Reminders by e-mail, before the deadline, to the members that have not submitted.

The worker sends them each day (`reminders_task`, queued by `maalbilde serve` when the day
begins): an SMTP server may take seconds a message, and a network has hundreds of members.
`maalbilde round remind` sends them at once, for a machine that runs it from cron."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from maalbilde.networks.models import Answer, Round, RoundMember
from maalbilde.organisations.models import Membership, Role

# Reminders go out on each of the last days before the deadline, once a day.
REMIND_DAYS = 7


def members_waiting(round_: Round) -> list[RoundMember]:
    """Members asked that have not submitted: no answer, a draft, or a returned answer."""
    done = Answer.objects.filter(
        round=round_, state__in=[Answer.State.SUBMITTED, Answer.State.APPROVED]
    ).values("organisation")
    return list(
        RoundMember.objects.filter(round=round_).exclude(organisation__in=done)
        .select_related("organisation")
    )  # fmt: skip


def reminders_send(round_: Round, *, today: datetime.date) -> int:
    """Remind the reporters of every member still waiting, if the deadline is near and no
    reminder went out today; returns how many e-mails were sent. The round is marked as
    reminded in a short transaction and the e-mails go after it, so that a slow mail server
    holds no lock; if they cannot be sent, the mark is taken back and a later try sends them."""
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        days_left = (round_.deadline - today).days
        if not 0 <= days_left <= REMIND_DAYS or round_.reminded_on == today:
            return 0
        mails = _mails(round_)
        before = round_.reminded_on
        round_.reminded_on = today
        round_.save(update_fields=["reminded_on"])
    if not mails:
        return 0
    try:
        return send_mass_mail(mails)
    except Exception:
        Round.objects.filter(pk=round_.pk, reminded_on=today).update(reminded_on=before)
        raise


def _mails(round_: Round) -> list[tuple[str, str, str, list[str]]]:
    """A reminder for each member still waiting that has people with an e-mail address."""
    mails = []
    for member in members_waiting(round_):
        # The member's own people: roles in the member itself, not the network's staff.
        people = Membership.objects.filter(
            organisation=member.organisation, role__in=[Role.ADMINISTRATOR, Role.EDITOR,
                                                         Role.REPORTER],
        ).exclude(user__email="").values_list("user__email", flat=True)  # fmt: skip
        addresses = sorted(set(people))
        if not addresses:
            continue
        subject = _("Reminder: %(round)s, deadline %(deadline)s") % {
            "round": round_.title, "deadline": round_.deadline.strftime("%d.%m.%Y")}  # fmt: skip
        body = _(
            "%(member)s has not yet submitted its answer to “%(round)s”. The deadline is "
            "%(deadline)s. The answer is saved as you go and can be submitted when complete."
        ) % {"member": member.organisation.name, "round": round_.title,
             "deadline": round_.deadline.strftime("%d.%m.%Y")}  # fmt: skip
        mails.append((subject, body, settings.DEFAULT_FROM_EMAIL, addresses))
    return mails


def reminders_due(*, today: datetime.date) -> dict[Round, int]:
    """The reminders of every round whose deadline is near, each once a day: the e-mails
    sent, by round."""
    near = Round.objects.filter(
        deadline__gte=today, deadline__lte=today + datetime.timedelta(days=REMIND_DAYS)
    ).order_by("deadline", "slug")
    return {round_: reminders_send(round_, today=today) for round_ in near}


@task()
def reminders_task(today: str | None = None) -> int:
    """The day's reminders (`today` as an ISO date, else the worker's today), sent by the
    worker; returns how many e-mails went out. Sent twice the same day, it sends nothing
    more."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return sum(reminders_due(today=day).values())
