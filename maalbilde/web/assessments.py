"""Written assessments of an indicator or a goal: the history for everyone who may read the
plan, and the form for those who report on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maalbilde.organisations.models import Role
from maalbilde.organisations.permissions import figures_in_reach, has_role
from maalbilde.plans.assessments import AssessmentRefused, assessment_write
from maalbilde.plans.models import Assessment
from maalbilde.web.forms import AssessmentForm
from maalbilde.web.views import query_number, viewable_plan

# The latest assessments shown; older ones are kept.
SHOWN = 100


def assessment(request: HttpRequest, slug: str, subject: str, item: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    version = plan.current_version
    items = {"indicator": version.indicators, "goal": version.goals}.get(subject)
    found = items.filter(slug=item).first() if items is not None else None
    if found is None:
        raise Http404
    may_write = has_role(request.user, plan.owner, Role.REPORTER)
    if request.method == "POST" and not may_write:
        raise PermissionDenied
    # Inside a network, words that are not public may speak of figures only the secretariat
    # sees: those who do not see the network's own figures read the public ones only.
    may_read_all = plan.owner.slug in figures_in_reach(request.user).values_list("slug", flat=True)
    asked = query_number(request.GET.get("year")) or timezone.localdate().year
    year = min(max(asked, version.start_year), version.end_year)
    form = AssessmentForm(request.POST or None, years=version.years, initial={"year": year})
    may_publish = has_role(request.user, plan.owner, Role.EDITOR)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.cleaned_data["public"]
        and (not may_publish)
    ):
        form.add_error("public", _("Only editors and administrators make an assessment public."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment_write(plan=plan, subject=subject, slug=item, year=data["year"],
                             text=data["text"], verdict=data["verdict"], public=data["public"],
                             user=request.user)  # fmt: skip
        except AssessmentRefused as refused:
            form.add_error("text", str(refused))
        else:
            messages.success(request, _("The assessment is stored."))
            return redirect(f"{request.path}?year={data['year']}")
    history = Assessment.objects.filter(plan=plan, subject=subject, slug=item)
    if not may_read_all:
        history = history.filter(public=True)
    return render(request, "web/assessment.html", {
        "plan": plan, "subject": subject, "item": found, "year": year,
        "form": form if may_write else None,
        "history": history.select_related("written_by")[:SHOWN],
    })  # fmt: skip
