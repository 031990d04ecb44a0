"""Report files made in the background: the browser asks for a PDF or a Word file, the
worker makes it (`report_file_task`) as the person who asked sees the plan, writing how far
it has come, and the person's page fetches it when it is ready. With
`MAALBILDE_TASKS=immediate` it is made within the request."""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth.models import User
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from maalbilde.plans.models import Plan
from maalbilde.reports.build import report_for
from maalbilde.reports.files import shipped_reports
from maalbilde.reports.models import MadeReport
from maalbilde.reports.render import report_bytes

# Made files are kept this long for their download, then deleted.
KEPT_FOR = datetime.timedelta(days=1)
# A person's files being made at once: more waits for these (the worker makes one at a time).
AT_ONCE = 3


class MakingRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


log = logging.getLogger(__name__)


def report_file_start(
    *, user: User, plan: Plan, report: str, fmt: str, year: int, organisation: str = ""
) -> MadeReport:
    """Ask for a report file; returns it as it stands once the work is queued (or, when
    tasks run within the request, once it is made). Who may see the plan is the caller's to
    check; the file holds what the person sees."""
    MadeReport.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    working = (MadeReport.State.WAITING, MadeReport.State.RUNNING)
    if MadeReport.objects.filter(user=user, state__in=working).count() >= AT_ONCE:
        raise MakingRefused(_("%(count)s of your report files are being made; ask for another "
                              "when one is ready.") % {"count": AT_ONCE})  # fmt: skip
    made = MadeReport.objects.create(user=user, plan=plan, report=report, format=fmt, year=year,
                                     organisation=organisation,
                                     stage=_("Waiting for its turn"))  # fmt: skip
    try:
        report_file_task.enqueue(made.pk, translation.get_language())
    except DatabaseError:
        log.exception("Report file %s could not be queued", made.pk)
        failed = _("It could not be started. Try again.")
        MadeReport.objects.filter(pk=made.pk).update(state=MadeReport.State.FAILED, stage=failed)
    made.refresh_from_db()
    return made


@task()
def report_file_task(pk: int, language: str) -> None:
    """Make a report file, in the language of the person who asked for it."""
    made = MadeReport.objects.select_related("user", "plan__current_version").get(pk=pk)
    with translation.override(language):
        _stage(made, MadeReport.State.RUNNING, _("Gathering the figures and verdicts"))
        try:
            spec = shipped_reports()[made.report]
            report = report_for(
                made.user,
                spec,
                made.plan,
                year=made.year,
                organisation=made.organisation,
                today=timezone.localdate(),
            )
            _stage(
                made,
                MadeReport.State.RUNNING,
                _("Laying out the pages and %(charts)s charts") % {"charts": report.chart_count},
            )
            content = report_bytes(report, made.format)
        except Exception:
            log.exception("Report file %s failed", pk)
            _stage(made, MadeReport.State.FAILED, _("It could not be made. Try again."))
            return
        MadeReport.objects.filter(pk=pk).update(
            state=MadeReport.State.DONE, stage=_("Ready"), content=content,
            file_name=f"{made.plan.slug}-{made.report}-{made.year}.{made.format}",
            finished_at=timezone.now(),
        )  # fmt: skip


def _stage(made: MadeReport, state: str, stage: str) -> None:
    MadeReport.objects.filter(pk=made.pk).update(state=state, stage=stage)
