"""Pages for registers: the rows an organisation keeps in Målbilde itself, added, corrected
and removed in the browser. Reporters change rows of their own organisations; everyone
with the plan sees the rows of the organisations in their reach."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maalbilde.data.models import Dataset, RegisterRow
from maalbilde.data.registers import (
    RegisterRefused,
    register_columns,
    register_row_remove,
    register_row_save,
    register_rows,
    register_summary,
)
from maalbilde.lib.norwegian import typed_number_text
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import (
    figures_in_reach,
    has_role,
    organisations_with_role,
)
from maalbilde.plans.models import Plan
from maalbilde.plans.selectors import plan_organisations
from maalbilde.web.confirm import ask_first, confirmed
from maalbilde.web.forms import RegisterRowForm
from maalbilde.web.views import query_number, viewable_plan


def _registers(plan: Plan) -> list[Dataset]:
    slugs = [d["slug"] for d in plan.current_version.datasets]
    return list(
        Dataset.objects.filter(slug__in=slugs, register=True).select_related("organisation")
    )


def _register(plan: Plan, dataset: str) -> Dataset:
    found = next((d for d in _registers(plan) if d.slug == dataset), None)
    if found is None:
        raise Http404
    return found


def _seen(request: HttpRequest, plan: Plan, dataset: Dataset) -> list[Organisation]:
    """The organisations whose rows the user sees: in the plan's tree and in their reach."""
    reach = figures_in_reach(request.user)
    tree = plan_organisations(plan.current_version).filter(pk__in=reach)
    if dataset.organisation:
        tree = tree.filter(pk=dataset.organisation_id)
    return list(tree)


def register_list(request: HttpRequest, slug: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    registers = [
        {"dataset": d, "years": sorted(register_summary(d, _seen(request, plan, d)).items())}
        for d in _registers(plan)
    ]
    return render(request, "web/register_list.html", {"plan": plan, "registers": registers})


# A year of a busy register (a mention a day) is read, and checked, a page at a time.
ROWS_A_PAGE = 50


def register_detail(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    register = _register(plan, dataset)
    seen = _seen(request, plan, register)
    editable = organisations_with_role(request.user, seen, Role.REPORTER)
    columns = register_columns(register)
    form = None
    if editable:
        form = RegisterRowForm(request.POST or None, columns=columns,
                               organisations=[(o.slug, o.name) for o in editable])  # fmt: skip
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if _save(request, form, register, editable):
            messages.success(request, _("The row is added."))
            return redirect(request.get_full_path())
    summary = register_summary(register, seen)
    year = _year(request.GET.get("year"), summary)
    rows = Paginator(register_rows(register, seen, year), ROWS_A_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "web/register_detail.html", {
        "plan": plan, "register": register, "columns": columns, "form": form,
        "year": year, "years": sorted(summary, reverse=True), "editable": set(editable),
        "rows": [(row, _cells(row, columns)) for row in rows], "page": rows,
    })  # fmt: skip


def register_row(request: HttpRequest, slug: str, dataset: str, row: int) -> HttpResponse:
    plan = viewable_plan(request, slug)
    register = _register(plan, dataset)
    found = _row(request, plan, register, row)
    editable = organisations_with_role(request.user, _seen(request, plan, register), Role.REPORTER)
    if found.organisation not in editable:
        raise PermissionDenied
    columns = register_columns(register)
    form = RegisterRowForm(
        request.POST or None,
        columns=columns,
        organisations=[(o.slug, o.name) for o in editable],
        initial={"organisation": found.organisation.slug, **_initial(found, columns)},
    )
    if request.method == "POST" and _save(request, form, register, editable, found):
        messages.success(request, _("The row is corrected."))
        return redirect("web:register", slug=plan.slug, dataset=register.slug)
    return render(request, "web/register_row.html", {
        "plan": plan, "register": register, "row": found, "form": form,
    })  # fmt: skip


@require_POST
def register_row_remove_view(request: HttpRequest, slug: str, dataset: str, row: int):
    plan = viewable_plan(request, slug)
    register = _register(plan, dataset)
    found = _row(request, plan, register, row)
    if not has_role(request.user, found.organisation, Role.REPORTER):
        raise PermissionDenied
    if not confirmed(request):
        return ask_first(request, title=_("Remove the row?"), consequences=[
            _("The row of %(date)s for %(organisation)s in “%(register)s” is removed, and "
              "the figures counted from it change.")
            % {"date": date_format(found.date, "SHORT_DATE_FORMAT"),
               "organisation": found.organisation.name, "register": register.name},
            _("The audit trail keeps what the row held, so it can be added again."),
        ], button=_("Remove the row"),
           back=reverse("web:register", args=[plan.slug, register.slug]))  # fmt: skip
    register_row_remove(row=found, user=request.user)
    messages.success(request, _("The row is removed."))
    return redirect("web:register", slug=plan.slug, dataset=register.slug)


def _row(request: HttpRequest, plan: Plan, register: Dataset, row: int) -> RegisterRow:
    found = get_object_or_404(RegisterRow.objects.select_related("organisation"),
                              pk=row, dataset=register)  # fmt: skip
    if found.organisation not in _seen(request, plan, register):
        raise PermissionDenied
    return found


def _save(
    request: HttpRequest,
    form: RegisterRowForm,
    register: Dataset,
    editable: list[Organisation],
    row: RegisterRow | None = None,
) -> bool:
    if not form.is_valid():
        return False
    organisation = next(o for o in editable if o.slug == form.cleaned_data["organisation"])
    try:
        register_row_save(dataset=register, organisation=organisation, cells=form.cells(),
                          row=row, user=request.user,
                          form_token=form.cleaned_data["token"] or None)  # fmt: skip
    except RegisterRefused as refused:
        for name, message in refused.errors.items():
            form.add_error(f"column_{name}" if name else None, message)
        return False
    return True


def _year(text: str | None, summary: dict[int, int]) -> int | None:
    """The year asked for, else this year if it has rows, else the latest with rows."""
    if text == "all":
        return None
    year = query_number(text)
    if year is not None and 1900 <= year <= 2200:
        return year
    this_year = timezone.localdate().year
    return this_year if this_year in summary or not summary else max(summary)


def _cells(row: RegisterRow, columns: list[dict]) -> list[str]:
    """A row's values as a person reads them: dates and numbers in the active language."""
    cells = []
    for column in columns:
        if column["role"] == "date":
            cells.append(date_format(row.date, "SHORT_DATE_FORMAT"))
        elif column["role"] == "measure":
            value = row.values.get(column["name"])
            cells.append("" if value is None else _number(value))
        else:
            cells.append(row.values.get(column["name"], ""))
    return cells


def _number(value: float) -> str:
    """A stored number in full, as the active language writes it: 1 234,5 or 1,234.5."""
    whole = float(value).is_integer()
    return number_format(int(value) if whole else value, use_l10n=True, force_grouping=True)


def _initial(row: RegisterRow, columns: list[dict]) -> dict[str, str]:
    """A row's values as the form shows them for correction (numbers as the page's language
    types them)."""
    initial = {}
    for column in columns:
        if column["role"] == "date":
            value = row.date.strftime("%d.%m.%Y")
        else:
            value = row.values.get(column["name"])
        if isinstance(value, float):
            value = typed_number_text(value, get_language())
        initial[f"column_{column['name']}"] = "" if value is None else value
    return initial
