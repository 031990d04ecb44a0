from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.lib.documents import DocumentInvalid
from maalbilde.organisations.commands import organisation_named
from maalbilde.plans.models import Plan
from maalbilde.plans.status import plan_status
from maalbilde.reports.build import report_build
from maalbilde.reports.files import parse_report_file, shipped_reports
from maalbilde.reports.render import FORMATS, report_bytes


class Command(BaseCommand):
    help = gettext_lazy(
        "Write a plan's report for a year — the board report, the annual report or one's own "
        "report file — as HTML, PDF, DOCX or XLSX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, metavar="SLUG")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--kind", default="annual", metavar="KIND",
                            help=_("board or annual (default), or --file."))  # fmt: skip
        parser.add_argument("--file", metavar="FILE", help=_("A report file of one's own."))
        parser.add_argument("--organisation", metavar="SLUG",
                            help=_("Only this organisation and those below it."))  # fmt: skip
        parser.add_argument("--format", choices=list(FORMATS), default="html")
        parser.add_argument("-o", "--output", required=True, metavar="FILE")

    def handle(self, *args, plan: str, year: int, kind: str, file: str | None,
               organisation: str | None, format: str, output: str, **options) -> None:  # fmt: skip
        found = Plan.objects.select_related("current_version").filter(slug=plan).first()
        if found is None:
            raise CommandError(_("There is no plan “%(slug)s”.") % {"slug": plan})
        spec = self._spec(kind, file)
        within = organisation_named(organisation) if organisation else None
        today = timezone.localdate()
        rows = plan_status(found.current_version, year=year, organisation=within, today=today)
        report = report_build(spec, found.current_version, year=year, rows=rows,
                              organisation=within, today=today, funding=True)  # fmt: skip
        Path(output).write_bytes(report_bytes(report, format))
        self.stdout.write(_("%(file)s written") % {"file": output})

    def _spec(self, kind: str, file: str | None) -> dict:
        if file:
            try:
                return parse_report_file(Path(file).read_bytes())
            except OSError as error:
                said = {"file": file, "reason": error.strerror}
                raise CommandError(_("Cannot read %(file)s: %(reason)s") % said) from error
            except DocumentInvalid as invalid:
                for problem in invalid.problems:
                    self.stderr.write(f"{file}:{problem}")
                raise CommandError(_("The report file cannot be used."), returncode=1) from None
        shipped = shipped_reports()
        if kind not in shipped:
            raise CommandError(_("There is no report “%(kind)s”; choose %(kinds)s.")
                               % {"kind": kind, "kinds": ", ".join(shipped)})  # fmt: skip
        return shipped[kind]
