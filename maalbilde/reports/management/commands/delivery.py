import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.organisations.commands import organisation_named
from maalbilde.plans.models import Plan
from maalbilde.reports.delivery import (
    DeliveryRefused,
    deliveries_send,
    subscription_add,
    subscription_end,
)
from maalbilde.reports.models import Delivery, Subscription


class Command(BaseCommand):
    help = gettext_lazy(
        "Reports by e-mail: who gets which report how often, send those due, and the copy of "
        "what was sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("list", help=_("The subscriptions and the latest deliveries."))
        add = actions.add_parser("subscribe", help=_("Send a person a plan's report by e-mail."))
        add.add_argument("--plan", required=True, metavar="SLUG")
        add.add_argument("--report", default="board", metavar="KIND")
        add.add_argument("--to", required=True, metavar="EMAIL")
        add.add_argument("--frequency", choices=Subscription.Frequency.values, default="monthly")
        add.add_argument("--organisation", metavar="SLUG")
        end = actions.add_parser("end", help=_("Stop a subscription."))
        end.add_argument("subscription", type=int, metavar="ID")
        send = actions.add_parser("send", help=_("Send the reports due now (for cron)."))
        send.add_argument("--today", type=datetime.date.fromisoformat)
        show = actions.add_parser("show", help=_("Write the copy of a message as it was sent."))
        show.add_argument("delivery", type=int, metavar="ID")
        show.add_argument("-o", "--output", required=True, metavar="FILE.eml")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def handle_list(self, **options) -> None:
        self.stdout.write(_("Subscriptions:"))
        for s in Subscription.objects.filter(ended_at__isnull=True).select_related(
                "plan", "recipient", "organisation"):  # fmt: skip
            where = f" ({s.organisation.slug})" if s.organisation else ""
            self.stdout.write(
                f"{s.pk:>5} {s.plan.slug} {s.report}{where} → {s.recipient.email}"
                f" · {s.get_frequency_display()} · {s.last_period or '–'}"
            )
        self.stdout.write(_("Messages, the latest first:"))
        for d in Delivery.objects.select_related("plan")[:20]:
            sent = timezone.localtime(d.sent_at)
            self.stdout.write(f"{d.pk:>5} {sent:%d.%m.%Y %H:%M} {d.plan.slug} {d.period} "
                              f"{d.address} {d.get_state_display()} {d.note}")  # fmt: skip

    def handle_subscribe(self, plan: str, report: str, to: str, frequency: str,
                         organisation: str | None, **options) -> None:  # fmt: skip
        found = Plan.objects.select_related("owner").filter(slug=plan).first()
        if found is None:
            raise CommandError(_("There is no plan “%(slug)s”.") % {"slug": plan})
        recipient = User.objects.filter(email__iexact=to).first()
        if recipient is None:
            raise CommandError(_("Nobody has the e-mail address %(email)s.") % {"email": to})
        try:
            made = subscription_add(
                plan=found, report=report, recipient=recipient, frequency=frequency, by=None,
                organisation=organisation_named(organisation) if organisation else None,
            )  # fmt: skip
        except DeliveryRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(_("Subscription %(id)s made.") % {"id": made.pk})

    def handle_end(self, subscription: int, **options) -> None:
        found = Subscription.objects.select_related("plan__owner").filter(pk=subscription).first()
        if found is None:
            raise CommandError(_("There is no subscription %(id)s.") % {"id": subscription})
        subscription_end(found, by=None, reason="command line")
        self.stdout.write(_("Subscription %(id)s ended.") % {"id": subscription})

    def handle_send(self, today: datetime.date | None, **options) -> None:
        counts = deliveries_send(today=today or timezone.localdate())
        if counts.get(Delivery.State.SENT):
            self.stdout.write(_("The links in them lead to %(url)s (MAALBILDE_URL).")
                              % {"url": settings.SITE_URL})  # fmt: skip
        if not counts:
            self.stdout.write(_("No report is due."))
        labels = dict(Delivery.State.choices)
        for state, count in counts.items():
            self.stdout.write(f"{labels[state]}: {count}")

    def handle_show(self, delivery: int, output: str, **options) -> None:
        found = Delivery.objects.filter(pk=delivery, state=Delivery.State.SENT).first()
        if found is None:
            raise CommandError(_("No message was sent as delivery %(id)s.") % {"id": delivery})
        Path(output).write_bytes(bytes(found.message))
        self.stdout.write(f"{output} · SHA-256 {found.sha256}")
