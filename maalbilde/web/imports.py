"""Pages for importing files: upload → preview (encoding, delimiter, columns, first rows;
columns changeable) → import → the batch, with its rejected rows; and withdrawal."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maalbilde.data.facts import replacements
from maalbilde.data.imports import (
    ImportRejected,
    RowProblem,
    batch_withdraw,
    columns_read,
    columns_saved,
    preview,
    sample_csv,
)
from maalbilde.data.models import Batch, Dataset, Upload
from maalbilde.data.uploads import upload_import_start, upload_state, upload_store
from maalbilde.organisations.models import Role
from maalbilde.organisations.permissions import (
    figures_in_reach,
    has_role,
    organisations_with_role,
)
from maalbilde.plans.models import Plan
from maalbilde.plans.selectors import plan_organisations
from maalbilde.web.confirm import ask_first, confirmed
from maalbilde.web.forms import UploadForm
from maalbilde.web.views import viewable_plan


def _plan_datasets(plan: Plan) -> list[Dataset]:
    slugs = [d["slug"] for d in plan.current_version.datasets]
    return list(Dataset.objects.filter(slug__in=slugs, register=False).order_by("name"))


def import_start(request: HttpRequest, slug: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    tree = plan_organisations(plan.current_version)
    # Into the figures of organisations whose figures the user sees (a network's reporter
    # does not write a member's).
    seen = tree.filter(pk__in=figures_in_reach(request.user))
    organisations = organisations_with_role(request.user, seen, Role.REPORTER)
    # A dataset kept for one organisation takes files only from its reporters.
    datasets = [
        d
        for d in _plan_datasets(plan)
        if d.organisation is None or has_role(request.user, d.organisation, Role.REPORTER)
    ]
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        datasets=[(d.slug, d.name) for d in datasets],
        organisations=[(o.slug, o.name) for o in organisations],
    )
    if request.method == "POST":
        if not organisations:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > settings.DATA_FILE_MAX_BYTES:
                form.add_error("file", _("The file is too large."))
            else:
                dataset = next(d for d in datasets if d.slug == form.cleaned_data["dataset"])
                chosen = next(
                    o for o in organisations if o.slug == form.cleaned_data["organisation"]
                )
                stored = upload_store(
                    user=request.user,
                    dataset=dataset,
                    organisation=dataset.organisation or chosen,
                    file_name=upload.name,
                    content=upload.read(),
                )
                return redirect("web:import-preview", slug=plan.slug, upload=stored.pk)
    reach = figures_in_reach(request.user)
    batches = Batch.objects.filter(dataset__in=datasets, organisation__in=reach).select_related(
        "dataset", "organisation", "created_by"
    )[:100]
    may_withdraw = {b.pk for b in batches if has_role(request.user, b.organisation, Role.REPORTER)}
    return render(request, "web/import_start.html", {
        "plan": plan, "form": form if organisations else None, "batches": batches,
        "may_withdraw": may_withdraw,
        "datasets": [(d, columns_read(d)) for d in datasets],
    })  # fmt: skip


def import_sample(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    """A file to fill in for a dataset of the plan."""
    plan = viewable_plan(request, slug)
    found = next((d for d in _plan_datasets(plan) if d.slug == dataset), None)
    if found is None:
        raise Http404
    content = sample_csv(found, found.organisation or plan.owner)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-eksempel.csv"'
    return response


def _own_upload(request: HttpRequest, upload: int) -> Upload:
    stored = get_object_or_404(Upload.objects.select_related("dataset", "organisation"),
                               pk=upload, user=request.user)  # fmt: skip
    if not has_role(request.user, stored.dataset.organisation or stored.organisation,
                    Role.REPORTER):  # fmt: skip
        raise PermissionDenied
    return upload_state(stored)


def import_preview(request: HttpRequest, slug: str, upload: int) -> HttpResponse:
    plan = viewable_plan(request, slug)
    stored = _own_upload(request, upload)
    if stored.state in (Upload.State.RUNNING, Upload.State.DONE):
        return redirect("web:import-progress", slug=plan.slug, upload=stored.pk)
    dataset = stored.dataset
    declared = columns_read(dataset)
    chosen = {c["name"]: request.POST.get(f"column-{c['name']}", "") for c in declared}
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("import", "replace"):
        # The import reads the file itself, in the background: no preview first.
        upload_import_start(upload=stored, skip_bad="skip_bad" in request.POST, columns=chosen,
                            replace=action == "replace")  # fmt: skip
        return redirect("web:import-progress", slug=plan.slug, upload=stored.pk)
    if action == "cancel":
        stored.delete()
        messages.success(request, _("The import of %(file)s is cancelled; nothing was stored.")
                         % {"file": stored.file_name})  # fmt: skip
        return redirect("web:import-start", slug=plan.slug)
    owner = dataset.organisation or stored.organisation
    # The person's choices when they read the file again; else those made for the
    # organisation's last file of this dataset.
    if request.method != "POST":
        chosen = columns_saved(dataset, owner)
    shown = preview(bytes(stored.content), dataset, owner, chosen)
    # A failed import's problems belong to that attempt: shown until the file is read again.
    failed = stored.state == Upload.State.FAILED and request.method != "POST"
    if failed and stored.message:
        messages.error(request, stored.message)
    problems = [RowProblem(*p) for p in stored.problems] if failed else []
    selected = {name: header for name, header in chosen.items() if header in shown.headers}
    return render(request, "web/import_preview.html", {
        "plan": plan, "upload": stored, "dataset": dataset, "declared": declared,
        "preview": shown, "problems": problems, "selected": {**shown.mapping, **selected},
        "more_problems": max(0, stored.problem_rows - len({p.row for p in problems})),
        "without_organisation": bool(dataset.organisation_column)
        and dataset.organisation_column not in shown.mapping and not shown.problem,
        "owner": owner, "overlapping": failed and stored.overlapping,
    })  # fmt: skip


def import_progress(request: HttpRequest, slug: str, upload: int) -> HttpResponse:
    """How far the import has come; the page asks again until it is done, then shows the
    batch. A failed import goes back to the check of the file, with what was wrong."""
    plan = viewable_plan(request, slug)
    stored = _own_upload(request, upload)
    if request.GET.get("format") == "json":
        return JsonResponse({"state": stored.state, "stage": stored.stage})
    if stored.state == Upload.State.DONE:
        batch = stored.batch
        stored.delete()
        messages.success(request, _("Imported: %(rows)s rows stored as batch %(batch)s.")
                         % {"rows": batch.rows_stored, "batch": batch.pk})  # fmt: skip
        return redirect("web:batch-detail", slug=plan.slug, batch=batch.pk)
    if stored.state in (Upload.State.FAILED, Upload.State.WAITING):
        return redirect("web:import-preview", slug=plan.slug, upload=stored.pk)
    return render(request, "web/import_progress.html", {"plan": plan, "upload": stored})


def _batch_of_plan(request: HttpRequest, plan: Plan, batch: int) -> Batch:
    found = get_object_or_404(Batch.objects.select_related("dataset", "organisation", "created_by"),
                              pk=batch, dataset__in=_plan_datasets(plan))  # fmt: skip
    if not figures_in_reach(request.user).filter(pk=found.organisation_id).exists():
        raise PermissionDenied
    return found


def batch_detail(request: HttpRequest, slug: str, batch: int) -> HttpResponse:
    plan = viewable_plan(request, slug)
    found = _batch_of_plan(request, plan, batch)
    took, lost = replacements(found)
    return render(request, "web/batch_detail.html", {
        "plan": plan, "batch": found, "took": took, "lost": lost,
        "may_withdraw": has_role(request.user, found.organisation, Role.REPORTER),
    })  # fmt: skip


def batch_rejects(request: HttpRequest, slug: str, batch: int) -> HttpResponse:
    plan = viewable_plan(request, slug)
    found = _batch_of_plan(request, plan, batch)
    if not found.rejects:
        raise Http404
    response = HttpResponse(bytes(found.rejects), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="avviste-rader-{found.pk}.csv"'
    return response


@require_POST
def batch_withdraw_view(request: HttpRequest, slug: str, batch: int) -> HttpResponse:
    plan = viewable_plan(request, slug)
    found = _batch_of_plan(request, plan, batch)
    if not has_role(request.user, found.organisation, Role.REPORTER):
        raise PermissionDenied
    if found.withdrawn_at is None and not confirmed(request):
        return ask_first(request, title=_("Withdraw batch %(batch)s?") % {"batch": found.pk},
                         consequences=_withdrawal_consequences(found),
                         button=_("Withdraw batch %(batch)s") % {"batch": found.pk},
                         back=reverse("web:batch-detail", args=[plan.slug, found.pk]))  # fmt: skip
    try:
        restored = batch_withdraw(batch=found, user=request.user)
    except ImportRejected as rejected:
        messages.error(request, rejected.message)
    else:
        messages.success(request, _("Batch %(batch)s is withdrawn: its figures no longer count.")
                         % {"batch": found.pk})  # fmt: skip
        if restored:
            messages.info(request, _("The days it had replaced count again in batch %(batches)s.")
                          % {"batches": ", ".join(map(str, restored))})  # fmt: skip
    return redirect(reverse("web:import-start", kwargs={"slug": plan.slug}))


def _withdrawal_consequences(batch: Batch) -> list[str]:
    months = batch.report.get("months") or ["", ""]
    took, _lost = replacements(batch)
    return [
        _("The %(rows)s rows of %(file)s (%(dataset)s, %(organisation)s, %(first)s to %(last)s) "
          "no longer count: every figure computed from them changes.")
        % {"rows": batch.rows_stored, "file": batch.file_name, "dataset": batch.dataset.name,
           "organisation": batch.organisation.name, "first": months[0], "last": months[-1]},
        *(_("%(days)s days of %(organisation)s count again in batch %(batch)s (%(file)s).")
          % {"days": o.days, "organisation": o.organisation, "batch": o.batch,
             "file": o.file_name} for o in took),
        _("The record of the batch stays. To undo, import the file again."),
    ]  # fmt: skip
