"""`kill -9` of the worker doing an import, in the middle of writing its figures: the
database is as it was before (one transaction), the upload reads as failed once its
heartbeat has been silent for a minute, and the same upload then imports whole. Run as the
server runs it: the import queued by one process, run by `maalbilde db_worker` in another, on
a database of their own (SQLite in the SQLite pass, PostgreSQL in the PostgreSQL pass)."""

import json
import os
import signal
import subprocess
import sys
import threading

import pytest

from tests.conftest import dump, plan_with_data
from tests.test_backup import ON_POSTGRESQL, REPO, maalbilde, postgres_database

LINES = 3_000
CSV = "Dato;Avdeling;Antall;Kapasitet;Billettype\n" + "".join(
    f"{day % 28 + 1:02d}.03.2026;{'nord' if day % 2 else 'sor'};5;10;Voksen\n"
    for day in range(LINES)
)

QUEUE = f"""
import django
django.setup()
from django.contrib.auth.models import User
from maalbilde.data.models import Dataset, Upload
from maalbilde.data.uploads import upload_import_start
from maalbilde.organisations.models import Organisation

upload = Upload.objects.create(
    user=User.objects.create_user("ola"), dataset=Dataset.objects.get(slug="besok"),
    organisation=Organisation.objects.get(slug="testmuseet"), file_name="besok.csv",
    content={CSV.encode()!r})
print(upload_import_start(upload=upload, skip_bad=False, columns={{}}).state)
"""

WORKER = """
import time
import django
django.setup()
from django.core.management import call_command
from maalbilde.data import imports

written = imports.audit_record

def written_then_wait(**entry):
    # Inside the import's transaction: the batch and its figures are written, not committed.
    written(**entry)
    print("written", flush=True)
    time.sleep(120)

imports.audit_record = written_then_wait
call_command("db_worker", "--batch", "--no-startup-delay")
"""

LOOK = """
import datetime, json, sys
from unittest import mock
import django
django.setup()
from django.db.models import Sum
from django.utils import timezone
from maalbilde.data.models import Batch, Fact, Upload
from maalbilde.organisations.models import AuditEntry
from maalbilde.data.uploads import upload_import_start, upload_state

def seen():
    upload = Upload.objects.get()
    return {"batches": Batch.objects.count(), "rows": Fact.objects.aggregate(n=Sum("rows"))["n"],
            "imports": AuditEntry.objects.filter(action="import").count(),
            "state": upload.state, "message": upload.message}

report = {"after_kill": seen()}
now = timezone.now()
for seconds in (30, 61):
    later = now + datetime.timedelta(seconds=seconds)
    with mock.patch("django.utils.timezone.now", return_value=later):
        upload_state(Upload.objects.get())
    report[f"after_{seconds}_s"] = seen()
upload_import_start(upload=Upload.objects.get(), skip_bad=False, columns={})
report["again"] = seen()
print(json.dumps(report))
"""


@pytest.mark.database
@pytest.mark.parametrize("kind", ["postgres" if ON_POSTGRESQL else "sqlite"])
def test_an_import_killed_while_writing_stores_nothing_and_fails_within_a_minute(kind, tmp_path):
    if kind == "postgres":
        database = postgres_database("maalbilde_import_killed")
    else:
        database = f"sqlite:///{tmp_path / 'maalbilde.sqlite3'}"
    plan = tmp_path / "plan.yaml"
    plan.write_text(dump(plan_with_data()), encoding="utf-8")
    maalbilde(database, "migrate", "-v", "0")
    maalbilde(database, "plan", "import", str(plan))
    env = {**os.environ, "DATABASE_URL": database, "MAALBILDE_LANGUAGE": "en"}
    queued = subprocess.run([sys.executable, "-c", QUEUE], cwd=REPO, env=env, text=True,
                            capture_output=True, timeout=120)  # fmt: skip
    # Queued for the worker: nothing has run yet, and no heartbeat, so it is not "cut off".
    assert queued.stdout.split() == ["running"], queued.stderr[-3000:]
    importing = subprocess.Popen([sys.executable, "-c", WORKER], cwd=REPO, env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    # The line comes once the figures are written; a process that fails first ends the wait.
    timer = threading.Timer(60, importing.kill)
    timer.start()
    try:
        said = importing.stdout.readline().strip()
    finally:
        timer.cancel()
    assert said == "written", importing.stderr.read()[-3000:]
    os.kill(importing.pid, signal.SIGKILL)
    assert importing.wait(timeout=30) == -signal.SIGKILL

    # Looked at, and tried again, by a process that runs its tasks at once.
    looked = subprocess.run([sys.executable, "-c", LOOK], cwd=REPO, capture_output=True,
                            env={**env, "MAALBILDE_TASKS": "immediate"}, text=True,
                            timeout=120)  # fmt: skip
    assert looked.returncode == 0, looked.stderr[-3000:]
    report = json.loads(looked.stdout.splitlines()[-1])
    # Nothing of the killed import is in the database; the upload still says running.
    nothing = {"batches": 0, "rows": None, "imports": 0}
    assert report["after_kill"] == {**nothing, "state": "running", "message": ""}
    # Half a minute on, its heartbeat (written when it began) is recent enough.
    assert report["after_30_s"]["state"] == "running"
    # A minute on, it has stopped: failed, saying so, and still nothing stored.
    assert report["after_61_s"] == {**nothing, "state": "failed", "message": (
        "The import was cut off before it ended; nothing was stored. Try again.")}  # fmt: skip
    # Tried again, the same upload imports whole: every line once.
    assert report["again"] == {"batches": 1, "rows": LINES, "imports": 1, "state": "done",
                               "message": ""}  # fmt: skip
