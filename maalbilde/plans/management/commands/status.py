import json

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.organisations.commands import organisation_named
from maalbilde.plans.models import Plan
from maalbilde.plans.status import VERDICT_WORDS, format_value, plan_status


class Command(BaseCommand):
    help = gettext_lazy("Show where a plan's targets stand: actual, expected, projected, verdict.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, metavar="SLUG")
        parser.add_argument("--year", type=int, help=_("The year to judge (default: this year)."))
        parser.add_argument("--organisation", metavar="SLUG", help=_("Only this one and below."))
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, plan: str, year: int | None, organisation: str | None,
               format: str, **options) -> None:  # fmt: skip
        found = Plan.objects.select_related("current_version").filter(slug=plan).first()
        if found is None:
            raise CommandError(_("There is no plan “%(slug)s”.") % {"slug": plan})
        within = organisation_named(organisation) if organisation else None
        statuses = plan_status(found.current_version, year=year, organisation=within)
        if format == "json":
            rows = [s.as_dict() for s in statuses]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not statuses:
            version = found.current_version
            self.stdout.write(
                _("No targets to judge for %(year)s (the plan runs %(first)s–%(last)s).")
                % {"year": year or timezone.localdate().year, "first": version.start_year,
                   "last": version.end_year}
            )  # fmt: skip
        asked = year or timezone.localdate().year
        school_years = sorted({s.period for s in statuses
                               if s.calendar in ("school_year", "season")})  # fmt: skip
        if school_years:
            # A school year's or a season's year is the one that starts in it.
            self.stdout.write(
                _("Indicators counted by school year or season show the one that starts in "
                  "%(year)s: %(periods)s.") % {"year": asked, "periods": ", ".join(school_years)}
            )  # fmt: skip
        wide = max(len(str(word)) for word in VERDICT_WORDS.values())
        for s in statuses:
            growth = s.comparator == "growth_at_least"
            verdict = VERDICT_WORDS.get(s.verdict, "–")  # an indicator without a target has none
            name = s.organisation_name
            name = name if len(name) <= 24 else name[:23] + "…"
            self.stdout.write(
                f"{verdict!s:<{wide}} {name:<24} {s.period:<10} "
                f"{format_value(s.actual, s.unit, growth=growth):>14} / "
                f"{format_value(s.target, s.unit, growth=growth):<14} {s.name}"
            )
            self.stdout.write(f"{'':<{wide}} {s.reason}")
