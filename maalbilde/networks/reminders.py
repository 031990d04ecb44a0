"""Reminders by e-mail, before the deadline, to the members that have not submitted.

The worker sends them each day (`reminders_task`, queued by `maalbilde serve` when the day
begins): an SMTP server may take seconds a message, and a network has hundreds of members.
`maalbilde round remind` sends them at once, for a machine that runs it from cron."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from maalbilde.networks.models import Answer, Round, RoundMember
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Membership, Organisation, Role

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
        mails = _mails(reminders_for(round_))
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


@dataclass(frozen=True)
class Reminder:
    """The e-mail to one member still waiting; no addresses when nobody can be reached."""

    member: Organisation
    addresses: list[str]
    subject: str
    body: str


def contact_addresses(organisations: list[Organisation]) -> dict[int, list[str]]:
    """Where each organisation's reminders go: its contact e-mail, else the e-mails of its
    own administrators, editors and reporters (roles in the member itself, not the network's
    staff above it)."""
    people: dict[int, set[str]] = {}
    without_contact = [o.pk for o in organisations if not o.contact_email]
    memberships = Membership.objects.filter(
        organisation__in=without_contact,
        role__in=[Role.ADMINISTRATOR, Role.EDITOR, Role.REPORTER],
    ).exclude(user__email="").values_list("organisation_id", "user__email")  # fmt: skip
    for organisation, email in memberships:
        people.setdefault(organisation, set()).add(email)
    return {
        o.pk: [o.contact_email] if o.contact_email else sorted(people.get(o.pk, ()))
        for o in organisations
    }


def reminders_for(round_: Round, organisations: list[Organisation] | None = None) -> list[Reminder]:
    """The reminder to each member still waiting that can still send its answer (of those
    given, or all): after the deadline, unless the round takes late answers, only the
    members whose answer was returned for correction. In Målbilde's language
    (MAALBILDE_LANGUAGE), not the sender's: the members read them, with a link to the
    answer."""
    after_deadline = timezone.localdate() > round_.deadline and not round_.late_answers
    waiting = [m.organisation for m in members_waiting(round_)]
    if after_deadline:
        returned = set(Answer.objects.filter(round=round_, state=Answer.State.RETURNED)
                       .values_list("organisation_id", flat=True))  # fmt: skip
        waiting = [o for o in waiting if o.pk in returned]
    if organisations is not None:
        chosen = {o.pk for o in organisations}
        waiting = [o for o in waiting if o.pk in chosen]
    addresses = contact_addresses(waiting)
    with translation.override(settings.LANGUAGE_CODE):
        deadline = formats.date_format(round_.deadline, "SHORT_DATE_FORMAT")
        subject = _("Reminder: %(round)s, deadline %(deadline)s") % {
            "round": round_.title, "deadline": deadline}  # fmt: skip
        return [
            Reminder(member, addresses[member.pk], subject, _(
                "%(member)s has not yet submitted its answer to “%(round)s”. The deadline is "
                "%(deadline)s. The answer is saved as you go and can be submitted when "
                "complete:\n\n%(link)s"
            ) % {"member": member.name, "round": round_.title, "deadline": deadline,
                 "link": settings.SITE_URL + reverse("web:round-answer",
                                                     args=[round_.slug, member.slug])})
            for member in sorted(waiting, key=lambda o: o.name)
        ]  # fmt: skip


def _mails(reminders: list[Reminder]) -> list[tuple[str, str, str, list[str]]]:
    return [(r.subject, r.body, settings.DEFAULT_FROM_EMAIL, r.addresses)
            for r in reminders if r.addresses]  # fmt: skip


def reminders_send_now(
    *, round_: Round, organisations: list[Organisation], user: User | None
) -> int:
    """The secretariat's reminders, sent when it asks, to the members given that are still
    waiting; recorded in the audit log. Returns how many e-mails were sent."""
    mails = _mails(reminders_for(round_, organisations))
    sent = send_mass_mail(mails) if mails else 0
    audit_record(user=user, action="round-remind", subject=f"rounds/{round_.slug}",
                 about=round_, organisation=round_.network,
                 after={"sent": sent, "to": sorted({a for m in mails for a in m[3]})})  # fmt: skip
    return sent


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
