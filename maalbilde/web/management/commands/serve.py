import datetime
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.commands import Command as BaseCommand
from maalbilde.networks.reminders import reminders_task
from maalbilde.reports.delivery import deliveries_task

# How long to wait before queueing the day's tasks again when the database refused them.
RETRY_SECONDS = 30


class Command(BaseCommand):
    help = gettext_lazy(
        "Serve Målbilde with gunicorn, a production-grade WSGI server, and the worker that runs "
        "its tasks (imports, and each day's reminders); stopping one stops both."
    )
    requires_system_checks = "__all__"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2))
        )
        parser.add_argument(
            "--no-task-worker",
            action="store_true",
            help=_("Only the web server: the tasks' worker runs elsewhere (maalbilde db_worker)."),
        )

    def handle(
        self, *args, host: str, port: int, workers: int, no_task_worker: bool, **options
    ) -> None:
        self.stdout.write(f"Målbilde: http://{host}:{port}/")
        self.stdout.flush()
        web = [
            sys.executable, "-m", "gunicorn",
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--access-logfile", "-",
            "maalbilde.wsgi:application",
        ]  # fmt: skip
        tasks = [sys.executable, "-m", "maalbilde.cli", "db_worker", "--interval", "0.5"]
        started = [subprocess.Popen(web)]
        if not no_task_worker:
            started.append(subprocess.Popen(tasks))

        stopped: set[int] = set()

        def stop(signum: int, frame: object) -> None:
            # Once per child: a second SIGTERM can reach a child while Python shuts down, when
            # its handler is gone, and kill it mid-cleanup.
            for process in started:
                if process.pid not in stopped and process.poll() is None:
                    stopped.add(process.pid)
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        queued_for, next_try = None, 0.0
        try:
            # When one ends (stopped, or failed to start), the other is stopped too.
            while all(process.poll() is None for process in started):
                due = queued_for != timezone.localdate() and time.monotonic() >= next_try
                if not no_task_worker and due:
                    queued_for = self._queue_daily_tasks()
                    next_try = time.monotonic() + RETRY_SECONDS
                time.sleep(0.5)
        finally:  # whatever ended the loop, no child is left running
            stop(signal.SIGTERM, None)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        sys.exit(max(_exit_code(process, stopped) for process in started))

    def _queue_daily_tasks(self) -> datetime.date | None:
        """The day's reminders and reports by e-mail, for the worker; the day they were queued
        for, or None if they could not be queued (tried again RETRY_SECONDS later, on a new
        connection: this process keeps one for days, and the database may have dropped it)."""
        today = timezone.localdate()
        close_old_connections()
        try:
            reminders_task.enqueue(today.isoformat())
            deliveries_task.enqueue(today.isoformat())
        except Exception as error:  # the server and the worker keep running whatever it is
            connection.close()
            self.stderr.write(_("The day's reminders and reports could not be queued: %(error)s")
                              % {"error": error})  # fmt: skip
            return None
        return today


def _exit_code(process: subprocess.Popen, stopped: set[int]) -> int:
    """A child ended by a signal reports it as a shell does (128 + the signal), unless it is the
    SIGTERM serve sent to stop it."""
    code = process.returncode
    if code == -signal.SIGTERM and process.pid in stopped:
        return 0
    return 128 - code if code < 0 else code
