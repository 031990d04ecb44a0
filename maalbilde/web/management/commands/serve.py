import os
import sys

from django.core.management.base import CommandParser
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand


class Command(BaseCommand):
    help = gettext_lazy("Serve Målbilde with gunicorn, a production-grade WSGI server.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2))
        )

    def handle(self, *args, host: str, port: int, workers: int, **options) -> None:
        self.stdout.write(f"Målbilde: http://{host}:{port}/")
        self.stdout.flush()
        command = [
            sys.executable, "-m", "gunicorn",
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--access-logfile", "-",
            "maalbilde.wsgi:application",
        ]  # fmt: skip
        os.execv(sys.executable, command)
