"""`maalbilde serve` as `make run` starts it: the web server and the tasks' worker together.
When the day begins it queues the day's reminders and reports by e-mail, which the worker
sends; stopping serve stops both. Run in processes of their own, on a SQLite database of their
own (once, not once a database)."""

import datetime
import os
import re
import signal
import socket
import subprocess
import sys
import time
from email.header import decode_header, make_header

import yaml

from tests.test_backup import REPO
from tests.test_networks import network_plan, round_file


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_serve_runs_the_web_and_the_worker_sends_the_days_reminders_and_stops_both(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'maalbilde.sqlite3'}",
           "MAALBILDE_DATA_DIR": str(tmp_path), "MAALBILDE_LANGUAGE": "nb"}  # fmt: skip
    env.pop("MAALBILDE_TASKS", None)

    def maalbilde(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "maalbilde.cli", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, check=True).stdout  # fmt: skip

    # A round whose deadline is in three days; Hus B has a reporter and has not answered.
    deadline = datetime.date.today() + datetime.timedelta(days=3)
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(network_plan(), allow_unicode=True))
    (tmp_path / "runde.yaml").write_text(
        yaml.safe_dump(round_file(deadline=deadline.isoformat()), allow_unicode=True)
    )
    maalbilde("migrate", "-v", "0")
    maalbilde("plan", "import", str(tmp_path / "plan.yaml"))
    maalbilde("round", "import", str(tmp_path / "runde.yaml"))
    maalbilde("people", "grant", "hus-b", "rapportor@hus-b.example", "reporter")

    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    serve = subprocess.Popen([sys.executable, "-m", "maalbilde.cli", "serve", "--port", str(port),
                              "--workers", "1"], cwd=REPO, env=env, stdout=log,
                             stderr=subprocess.STDOUT)  # fmt: skip
    try:
        # The e-mail is written by the worker (the console backend): the task ran.
        deadline_at = time.monotonic() + 60
        while time.monotonic() < deadline_at and "rapportor@hus-b.example" not in _read(log):
            time.sleep(0.2)
        assert "rapportor@hus-b.example" in _read(log), _read(log)[-3000:]
        subject = re.search(r"^Subject: (.+)$", _read(log), re.MULTILINE)[1]
        assert str(make_header(decode_header(subject))) == (
            f"Påminnelse: Statistikk, frist {deadline:%d.%m.%Y}"
        )
        assert answers(port)
        # The day's second task, the reports by e-mail, runs after the reminders: wait for it.
        deadline_at = time.monotonic() + 60
        while time.monotonic() < deadline_at and "SUCCESSFUL" not in maalbilde(
                "shell", "--no-imports", "-c", _DELIVERIES_STATUS):  # fmt: skip
            time.sleep(0.5)
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(timeout=60)
    assert code == 0, _read(log)[-3000:]
    assert not answers(port)  # the web server stopped with it
    # The day's tasks done: one reminder e-mail (a second run the same day would send none),
    # and no report to send, as nobody is subscribed.
    done = maalbilde("shell", "--no-imports", "-c", (
        "from django_tasks_db.models import DBTaskResult; "
        "print(sorted((r.task_path, r.status, r.return_value) "
        "for r in DBTaskResult.objects.all()))"
    ))  # fmt: skip
    assert done.strip() == (
        "[('maalbilde.networks.reminders.reminders_task', 'SUCCESSFUL', 1), "
        "('maalbilde.reports.delivery.deliveries_task', 'SUCCESSFUL', {})]"
    )


_DELIVERIES_STATUS = (
    "from django_tasks_db.models import DBTaskResult; "
    "print([r.status for r in DBTaskResult.objects.filter("
    "task_path='maalbilde.reports.delivery.deliveries_task')])"
)


def _read(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()
