import datetime
import json
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.networks import exports
from maalbilde.networks.models import Round
from maalbilde.networks.releases import (
    ReleaseRefused,
    open_data_set,
    release_create,
    release_draft,
)
from maalbilde.networks.reminders import reminders_due
from maalbilde.networks.results import round_statistics
from maalbilde.networks.rounds import RoundRefused, round_import
from maalbilde.organisations.audit import audit_record

EXPORTS = {
    "xlsx": exports.answers_xlsx,
    "csv": exports.answers_csv,
    "open-csv": exports.open_data_csv,
    "open-json": exports.open_data_json,
}


class Command(BaseCommand):
    help = gettext_lazy("Reporting rounds: import round files, remind, export, statistics.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help=_("Start rounds from round files."))
        load.add_argument("files", nargs="+", metavar="FILE")
        actions.add_parser("list", help=_("List the rounds and how far their answers are."))
        remind = actions.add_parser(
            "remind", help=_("E-mail the members that have not submitted, near the deadline.")
        )
        remind.add_argument("--today", type=datetime.date.fromisoformat)
        export = actions.add_parser("export", help=_("Write a round's answers or open data."))
        export.add_argument("round", metavar="ROUND")
        export.add_argument("--format", choices=sorted(EXPORTS), default="xlsx")
        export.add_argument("-o", "--output", required=True, metavar="FILE")
        statistics = actions.add_parser("statistics", help=_("A round's statistics as JSON."))
        statistics.add_argument("round", metavar="ROUND")
        release = actions.add_parser(
            "release", help=_("Release a round's aggregated figures to members (and open data).")
        )
        release.add_argument("round", metavar="ROUND")
        release.add_argument("--notes", default="")
        release.add_argument("--dry-run", action="store_true",
                             help=_("Only say what would be released and held back."))  # fmt: skip
        release.add_argument("--publish", action="store_true", help=_("Publish it as open data."))
        release.add_argument(
            "--release-anyway", action="append", default=[], metavar="FIGURE=REASON",
            help=_("Release a held-back figure all the same, for the reason given."),
        )  # fmt: skip
        unpublish = actions.add_parser("unpublish", help=_("Take a round's open data down."))
        unpublish.add_argument("round", metavar="ROUND")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"handle_{action}")(**options)

    def handle_import(self, files: list[str], **options) -> None:
        failed = False
        for name in files:
            try:
                round_ = round_import(text=Path(name).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                self.stderr.write(f"{name}: {error}")
                failed = True
            except RoundRefused as refused:
                self.stderr.write("\n".join(f"{name}: {p}" for p in refused.problems))
                failed = True
            else:
                self.stdout.write(_("%(file)s: round “%(round)s”, %(members)s members asked.")
                                  % {"file": name, "round": round_.slug,
                                     "members": round_.members.count()})  # fmt: skip
        if failed:
            raise CommandError(_("Some files were not imported (see above); the others were."))

    def handle_list(self, **options) -> None:
        for round_ in Round.objects.select_related("network").order_by("-year", "slug"):
            states = {s: round_.answers.filter(state=s).count()
                      for s in ("draft", "submitted", "returned", "approved")}  # fmt: skip
            self.stdout.write(json.dumps({
                "round": round_.slug, "network": round_.network.slug, "year": round_.year,
                "deadline": round_.deadline.isoformat(), "asked": round_.members.count(),
                **states}, ensure_ascii=False))  # fmt: skip

    def handle_remind(self, today: datetime.date | None, **options) -> None:
        for round_, sent in reminders_due(today=today or timezone.localdate()).items():
            if sent:
                self.stdout.write(_("%(round)s: %(count)s reminders sent.")
                                  % {"round": round_.slug, "count": sent})  # fmt: skip

    def handle_export(self, round: str, format: str, output: str, **options) -> None:
        found = self._round(round)
        Path(output).write_bytes(EXPORTS[format](found))
        audit_record(user=None, action="round-export", subject=f"rounds/{found.slug}",
                     about=found, organisation=found.network,
                     after={"kind": format, "file": output})  # fmt: skip
        self.stdout.write(output)

    def handle_statistics(self, round: str, **options) -> None:
        for s in round_statistics(self._round(round), for_member=False):
            self.stdout.write(json.dumps(vars(s), ensure_ascii=False))

    def handle_release(
        self, round: str, notes: str, dry_run: bool, publish: bool, release_anyway: list[str],
        **options,
    ) -> None:  # fmt: skip
        found = self._round(round)
        draft = release_draft(found)
        for label in draft.changed:
            self.stdout.write(_("changed: %(question)s") % {"question": label})
        for cell, label in draft.held_back.items():
            self.stdout.write(
                _("held back: %(figure)s (%(cell)s)") % {"figure": label, "cell": cell}
            )
        if draft.unchanged():
            self.stdout.write(_("A release now would show the same as release %(number)s.")
                              % {"number": draft.latest.number})  # fmt: skip
        if dry_run:
            return
        overrides = dict(item.partition("=")[::2] for item in release_anyway)
        try:
            release = release_create(round_=found, user=None, notes=notes, publish=publish,
                                     overrides=overrides)  # fmt: skip
        except ReleaseRefused as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(_("Release %(number)s is made.") % {"number": release.number})
        if found.open_data:
            self.stdout.write(_("It is published as open data."))

    def handle_unpublish(self, round: str, **options) -> None:
        open_data_set(round_=self._round(round), user=None, published=False)

    def _round(self, slug: str) -> Round:
        found = Round.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(_("There is no round “%(slug)s”.") % {"slug": slug})
        return found
