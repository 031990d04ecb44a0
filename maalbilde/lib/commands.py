"""A base for the project's management commands."""

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    """A command whose `help` may be translated: argparse needs it as plain text, in the
    language active when the help is shown.

    The project's commands skip Django's system checks, which load every page's code and
    cost a third of a second a call (imports run each night from scripts); `maalbilde serve`
    runs them before it starts, and `maalbilde check` on demand."""

    requires_system_checks = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def user_named(self, username: str | None) -> User | None:
        """The user a change is recorded for (--user), or none when not given."""
        if username is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user “%(user)s”.") % {"user": username})
        return user
