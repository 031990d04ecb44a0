import datetime

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.demo.load import demo_load
from maalbilde.lib.commands import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Load demo activity data for the four source plans (made-up figures, labelled demo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help=_("Generate data up to this day (YYYY-MM-DD) instead of today."),
        )

    def handle(self, *args, today: datetime.date | None, **options) -> None:
        try:
            report = demo_load(
                today=today or timezone.localdate(),
                say=lambda name: self.stdout.write(_("Imported %(file)s") % {"file": name}),
            )
        except LookupError as missing:
            raise CommandError(
                _("Import the source plans first (maalbilde plan import plans/*.yaml): %(plans)s")
                % {"plans": missing}
            ) from missing
        self.stdout.write(
            _(
                "Demo data: %(imported)s files imported (%(replaced)s replacing older ones), "
                "%(unchanged)s unchanged, %(observations)s typed-in figures, "
                "%(register_rows)s rows added to registers, %(round_answers)s answers to "
                "reporting rounds."
            )
            % vars(report)
        )
