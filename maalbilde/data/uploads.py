"""Imports started in the browser: the upload waits in the database, the import runs as a
task (`upload_import`) in the worker, which writes its progress there, and any web process
can show how far it has come. With `MAALBILDE_TASKS=immediate` the task runs within the
request (tests, scripts).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from maalbilde.data.imports import ImportRejected, Overlapping, batch_import
from maalbilde.data.models import Dataset, Upload
from maalbilde.organisations.models import Organisation

# The problems kept for the page; the batch's rejected-rows file holds them all.
SHOWN_PROBLEMS = 200
# How much of a cell a problem shows: the page needs the start, not a 300 MB text.
SHOWN_CELL = 200
# A running import says it is alive this often; one silent for a minute has stopped (its
# process died or was restarted), and nothing of it was stored.
HEARTBEAT_SECONDS = 10
ABANDONED_AFTER = datetime.timedelta(minutes=1)
# An import queued this long without the worker taking it is given up.
WAITS_AT_MOST = datetime.timedelta(minutes=30)
# Uploads never imported (or failed) are kept this long for another try, then deleted.
KEPT_FOR = datetime.timedelta(days=1)
# A person's uploads waiting for their preview (one a browser tab); older ones are deleted.
WAITING_PER_PERSON = 5

log = logging.getLogger(__name__)


def upload_store(
    *, user: User, dataset: Dataset, organisation: Organisation, file_name: str, content: bytes
) -> Upload:
    """Keep an uploaded file until its preview and import. A person may have a few waiting
    at once (two tabs, two files); beyond those, their oldest go."""
    waiting = Upload.objects.filter(user=user).exclude(state=Upload.State.RUNNING)
    older = waiting.order_by("-created_at", "-pk").values_list("pk", flat=True)
    Upload.objects.filter(pk__in=list(older[WAITING_PER_PERSON - 1 :])).delete()
    return Upload.objects.create(user=user, dataset=dataset, organisation=organisation,
                                 file_name=file_name[:300], content=content)  # fmt: skip


def upload_import_start(
    *, upload: Upload, skip_bad: bool, columns: dict[str, str], replace: bool = False
) -> Upload:
    """Start importing an upload (with `replace`, taking over the days earlier batches count);
    returns it as it stands once the task is queued (or, when tasks run within the request,
    once it has ended)."""
    startable = (Upload.State.WAITING, Upload.State.FAILED)
    started = Upload.objects.filter(pk=upload.pk, state__in=startable).update(
        state=Upload.State.RUNNING, stage=_("Waiting for its turn"), started_at=timezone.now(),
        heartbeat_at=None, message="", problems=[], problem_rows=0, overlapping=False,
    )  # fmt: skip
    if started:
        Upload.objects.filter(
            created_at__lt=timezone.now() - KEPT_FOR,
            state__in=(Upload.State.WAITING, Upload.State.FAILED, Upload.State.DONE),
        ).delete()
        try:
            upload_import.enqueue(upload.pk, skip_bad, columns, translation.get_language(),
                                  replace)  # fmt: skip
        except DatabaseError:
            log.exception("Import of upload %s could not be queued", upload.pk)
            message = _("The import could not start; nothing was stored. Try again.")
            Upload.objects.filter(pk=upload.pk).update(state=Upload.State.FAILED, message=message)
    upload.refresh_from_db()
    return upload


@task()
def upload_import(
    pk: int, skip_bad: bool, columns: dict[str, str], language: str, replace: bool = False
) -> None:
    """Import an upload, in the language of the person who started it."""
    with translation.override(language):
        _run(pk, skip_bad, columns, replace)


def upload_state(upload: Upload) -> Upload:
    """The upload with an import that has stopped saying it is alive marked as failed, so it
    can be tried again. An import still waiting for the worker (no heartbeat yet) waits, as
    the worker takes one task at a time, but not for ever: the worker may be down, or may have
    died as it took the task."""
    now = timezone.now()
    if upload.state != Upload.State.RUNNING:
        return upload
    if upload.heartbeat_at is not None and upload.heartbeat_at < now - ABANDONED_AFTER:
        message = _("The import was cut off before it ended; nothing was stored. Try again.")
    elif upload.heartbeat_at is None and (upload.started_at or now) < now - WAITS_AT_MOST:
        message = _("No worker took the import in time; nothing was stored. Try again.")
    else:
        return upload
    Upload.objects.filter(pk=upload.pk, state=Upload.State.RUNNING).update(
        state=Upload.State.FAILED, message=message
    )
    upload.refresh_from_db()
    return upload


def _shown(value: object) -> object:
    text = value if isinstance(value, str) else None
    return text[:SHOWN_CELL] + "…" if text is not None and len(text) > SHOWN_CELL else value


@contextlib.contextmanager
def _heartbeat(pk: int) -> Iterator[None]:
    """While the block runs, a thread writes the upload's heartbeat every HEARTBEAT_SECONDS."""
    done = threading.Event()

    def beat() -> None:
        try:
            while not done.wait(HEARTBEAT_SECONDS):
                try:
                    Upload.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
                except DatabaseError:  # busy (the import's own write): beat again next time
                    log.warning("Heartbeat of upload %s not written", pk)
        finally:
            connection.close()

    Upload.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
    beating = threading.Thread(target=beat, daemon=True)
    beating.start()
    try:
        yield
    finally:
        done.set()
        beating.join()


def _run(pk: int, skip_bad: bool, columns: dict[str, str], replace: bool) -> None:
    with _heartbeat(pk):
        _import(pk, skip_bad, columns, replace)


def _import(pk: int, skip_bad: bool, columns: dict[str, str], replace: bool) -> None:
    upload = Upload.objects.select_related("dataset", "organisation", "user").get(pk=pk)

    def say(stage: str) -> None:
        Upload.objects.filter(pk=pk).update(stage=stage[:200])

    outcome: dict = {}
    try:
        result = batch_import(
            dataset=upload.dataset,
            raw=bytes(upload.content),
            file_name=upload.file_name,
            organisation=upload.organisation,
            user=upload.user,
            skip_bad=skip_bad,
            progress=say,
            columns=columns,
            replace=replace,
        )
    except ImportRejected as rejected:
        outcome = {
            "state": Upload.State.FAILED,
            "message": rejected.message,
            "overlapping": isinstance(rejected, Overlapping),
            "problems": [[p.row, p.column, _shown(p.value), p.reason]
                         for p in rejected.problems[:SHOWN_PROBLEMS]],
            "problem_rows": len({p.row for p in rejected.problems}),
        }  # fmt: skip
    except IntegrityError:
        outcome = {"state": Upload.State.FAILED,
                   "message": _("The same file is being imported right now.")}  # fmt: skip
    except Exception:
        log.exception("Import of upload %s failed", pk)
        outcome = {"state": Upload.State.FAILED,
                   "message": _("The import failed unexpectedly; nothing was stored.")}  # fmt: skip
    else:
        # The file is no longer needed once its figures are stored.
        outcome = {"state": Upload.State.DONE, "batch": result.batch, "content": b"",
                   "stage": ""}  # fmt: skip
    Upload.objects.filter(pk=pk).update(**outcome)
