"""Pages for editing a plan: its texts, goals, indicators and targets, or the whole plan file.
Every save makes a new version; editors of the plan's owner may edit."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maalbilde.organisations.models import Role
from maalbilde.organisations.permissions import has_role
from maalbilde.plans import editing
from maalbilde.plans.export import plan_document
from maalbilde.plans.models import Indicator, Plan
from maalbilde.plans.selectors import plan_organisations
from maalbilde.plans.services import PlanImport
from maalbilde.web.forms import (
    GoalForm,
    IndicatorAddForm,
    IndicatorForm,
    InitiativeForm,
    PlanFileForm,
    PlanTextsForm,
    TargetForms,
)
from maalbilde.web.middleware import pasted_text_too_large
from maalbilde.web.views import query_number, viewable_plan


def _editable_plan(request: HttpRequest, slug: str) -> Plan:
    plan = viewable_plan(request, slug)
    if not has_role(request.user, plan.owner, Role.EDITOR):
        raise PermissionDenied
    return plan


def _store(request: HttpRequest, plan: Plan, change: editing.Change) -> bool:
    """Apply a change as a new version; say what became of it. False when refused."""

    def save(based_on: int) -> PlanImport:
        return editing.plan_edit(plan=plan, based_on=based_on, change=change, user=request.user)

    return _outcome(request, save)


def _outcome(request: HttpRequest, save: Callable[[int], PlanImport]) -> bool:
    based_on = query_number(request.POST.get("based_on"))
    if based_on is None:
        messages.error(request, _("The form is incomplete; open the page again."))
        return False
    try:
        result = save(based_on)
    except editing.PlanEditRefused as refused:
        for problem in refused.problems[:50]:
            messages.error(request, problem)
        return False
    messages.success(request, _("Stored as version %(number)s.")
                     % {"number": result.version.number})  # fmt: skip
    return True


def plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    version = plan.current_version
    form = PlanTextsForm(request.POST or None, initial={
        "title": version.title, "introduction": version.introduction,
        "vision": version.vision, "mission": version.mission,
    })  # fmt: skip
    changed = request.method == "POST" and form.is_valid()
    if changed and _store(request, plan, editing.texts_change(**form.cleaned_data)):
        return redirect("web:plan-edit", slug=plan.slug)
    # An indicator's other measures are edited from the indicator's page.
    indicators = Indicator.objects.filter(measure_of__isnull=True)
    areas = version.focus_areas.order_by("position").prefetch_related(
        "goals", Prefetch("indicators", queryset=indicators)
    )
    return render(request, "web/plan_edit.html", {
        "plan": plan, "version": version, "form": form, "areas": areas,
        "goal_form": GoalForm(auto_id="id_new_%s"),
    })  # fmt: skip


@require_POST
def plan_edit_goal_add(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    form = GoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the goal."))
    else:
        _store(request, plan, editing.goal_add(area, **form.cleaned_data))
    return redirect("web:plan-edit", slug=plan.slug)


def plan_edit_goal(request: HttpRequest, slug: str, goal: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    found = plan.current_version.goals.filter(slug=goal).select_related("focus_area").first()
    if found is None:
        raise Http404
    adding = request.POST.get("action") == "add_indicator"
    form = GoalForm(None if adding else request.POST or None,
                    initial={"title": found.title, "description": found.description})  # fmt: skip
    indicator_form = IndicatorAddForm(request.POST if adding else None)
    if request.method == "POST":
        if adding and indicator_form.is_valid():
            change = editing.indicator_add(goal, **indicator_form.cleaned_data)
        elif not adding and form.is_valid():
            change = editing.goal_change(goal, **form.cleaned_data)
        else:
            change = None
        if change and _store(request, plan, change):
            return redirect("web:plan-edit-goal", slug=plan.slug, goal=goal)
    return render(request, "web/plan_edit_goal.html", {
        "plan": plan, "goal": found, "form": form, "indicator_form": indicator_form,
        "indicators": found.indicators.filter(measure_of__isnull=True).order_by("position"),
    })  # fmt: skip


def plan_edit_indicator(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    version = plan.current_version
    found = version.indicators.filter(slug=indicator).first()
    if found is None:
        raise Http404
    document = plan_document(version)
    written = editing.indicator_written(document, indicator)
    organisations = [(o.slug, o.name) for o in plan_organisations(version)]
    initial = {"name": found.name, "description": found.description}
    form = IndicatorForm(request.POST or None, initial=initial)
    targets = TargetForms(request.POST or None, organisations=organisations, prefix="targets",
                          initial=[_target_initial(t) for t in written["targets"]])  # fmt: skip
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        kept = [
            target_form.target()
            for target_form in targets.forms
            # The blank form left blank has no data; a ticked "delete" drops a target.
            if target_form.cleaned_data and not target_form.cleaned_data.get("DELETE")
        ]
        change = editing.indicator_change(indicator, **form.cleaned_data, targets=kept)
        if _store(request, plan, change):
            return redirect("web:plan-edit-indicator", slug=plan.slug, indicator=indicator)
    return render(request, "web/plan_edit_indicator.html", {
        "plan": plan, "indicator": found, "form": form, "targets": targets,
    })  # fmt: skip


def _target_initial(target: dict) -> dict:
    if "each_year" in target:
        period, first, last = "each_year", target["from"], target["to"]
    elif "deadline" in target:
        period, first, last = "deadline", target["since"], target["deadline"]
    elif "by" in target:
        period = "change_by" if target.get("kind") == "change_by" else "by"
        first, last = target["from"], target["by"]
    else:
        period, first, last = "year", target["year"], target["year"]
    baseline = target["baseline"] or {}
    return {"organisation": target["organisation"], "comparator": target["comparator"],
            "value": _written(target["value"]), "period": period, "first_year": first,
            "last_year": last, "baseline_year": baseline.get("year"),
            "baseline_value": _written(baseline.get("value")), "note": target["note"]}  # fmt: skip


def _written(number: float | None) -> str:
    """A number as a Norwegian form field shows it (a decimal comma)."""
    return "" if number is None else str(number).replace(".", ",")


def plan_edit_file(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    if pasted_text_too_large(request, settings.PLAN_FILE_MAX_BYTES):
        messages.error(request, _("A plan file may be at most %(limit)s bytes.")
                       % {"limit": settings.PLAN_FILE_MAX_BYTES})  # fmt: skip
        return redirect("web:plan-edit-file", slug=plan.slug)
    form = PlanFileForm(request.POST or None, initial={"text": editing.current_file(plan)})
    if request.method == "POST" and form.is_valid():

        def save(based_on: int) -> PlanImport:
            text = form.cleaned_data["text"]
            return editing.plan_file_edit(
                plan=plan, based_on=based_on, text=text, user=request.user
            )

        if _outcome(request, save):
            return redirect("web:plan-detail", slug=plan.slug)
    return render(request, "web/plan_edit_file.html", {"plan": plan, "form": form})


def plan_edit_initiative(request: HttpRequest, slug: str, initiative: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    found = plan.current_version.initiatives.filter(slug=initiative).first()
    if found is None:
        raise Http404
    due = found.due.strftime("%d.%m.%Y") if found.due else ""
    form = InitiativeForm(request.POST or None, initial={
        "status": found.status, "responsible": found.responsible, "due": due})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        change = editing.initiative_change(initiative, **form.cleaned_data)
        if _store(request, plan, change):
            return redirect("web:initiatives", slug=plan.slug)
    return render(request, "web/plan_edit_initiative.html", {
        "plan": plan, "initiative": found, "form": form})  # fmt: skip
