from pathlib import Path

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.backup import backup_write
from maalbilde.lib.commands import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy("Write every row of the database to FILE (docs/operations.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file: str, **options) -> None:
        count = backup_write(Path(file))
        self.stdout.write(_("%(count)s rows written to %(file)s.") % {"count": count, "file": file})
