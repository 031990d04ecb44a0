import json
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.lib.spreadsheets import rows_csv, xlsx_bytes
from maalbilde.organisations.commands import organisation_named
from maalbilde.plans.status import format_value
from maalbilde.reports.returns import return_fill, return_plan, return_table, shipped_returns


class Command(BaseCommand):
    help = gettext_lazy(
        "Fill an official return (museumsstatistikk) for an organisation and a year from its "
        "data: every field with where it comes from, and why a field is empty."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--template", required=True, metavar="SLUG")
        parser.add_argument("--organisation", required=True, metavar="SLUG")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["table", "json", "xlsx", "csv"], default="table")
        parser.add_argument("-o", "--output", metavar="FILE", help=_("For xlsx and csv."))

    def handle(self, *args, template: str, organisation: str, year: int, format: str,
               output: str | None, **options) -> None:  # fmt: skip
        templates = shipped_returns()
        if template not in templates:
            raise CommandError(_("There is no return template “%(slug)s”; there is %(known)s.")
                               % {"slug": template, "known": ", ".join(templates)})  # fmt: skip
        form = templates[template]
        owner = organisation_named(organisation)
        plan = return_plan(form, owner)
        if plan is None:
            raise CommandError(_("No plan of “%(organisation)s” is mapped in %(template)s.")
                               % {"organisation": organisation, "template": template})  # fmt: skip
        filled = return_fill(form, plan, owner, year)
        if format == "json":
            self.stdout.write(json.dumps([vars(f) for f in filled], ensure_ascii=False, indent=1))
            return
        if format in ("xlsx", "csv"):
            if not output:
                raise CommandError(_("Say where to write it: -o FILE."))
            header, rows = return_table(filled)
            content = xlsx_bytes(header, rows, sheet=template) if format == "xlsx" else rows_csv(
                header, rows)  # fmt: skip
            Path(output).write_bytes(content)
            self.stdout.write(_("%(file)s written") % {"file": output})
            return
        self.stdout.write(f"{form['title']} · {owner.name} · {year}")
        for f in filled:
            shown = format_value(f.value, "count") if f.value is not None else "–"
            self.stdout.write(f"{f.code:>5} {f.label:<58} {shown:>12}")
            for line in f.trail if f.value is not None else [f.missing]:
                self.stdout.write(f"{'':>5} {'':<2}{line}")
