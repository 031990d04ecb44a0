from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.backup import BackupRefused, backup_restore
from maalbilde.lib.commands import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy("Fill an empty database from a backup FILE (docs/operations.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file: str, **options) -> None:
        try:
            count = backup_restore(Path(file))
        except BackupRefused as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(_("%(count)s rows restored.") % {"count": count})
