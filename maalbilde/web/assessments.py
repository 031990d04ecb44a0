"""Written assessments of an indicator or a goal: the history for everyone who may read the
plan, and the form for those who report on it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from maalbilde.organisations.models import Role
from maalbilde.organisations.permissions import has_role
from maalbilde.plans.assessments import AssessmentRefused, assessed, assessment_write
from maalbilde.plans.models import Assessment
from maalbilde.web.forms import AssessmentForm
from maalbilde.web.views import figures_reach, viewable_plan, year_asked

# The latest assessments shown; older ones are kept.
SHOWN = 100


def assessment(request: HttpRequest, slug: str, subject: str, item: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    version = plan.current
    found = assessed(version, subject, item)
    if found is None:
        raise Http404
    may_write = has_role(request.user, plan.owner, Role.REPORTER)
    if request.method == "POST" and not may_write:
        raise PermissionDenied
    # Inside a network, words that are not public may speak of figures only the secretariat
    # sees: those who do not see the network's own figures read the public ones only.
    may_read_all = plan.owner.slug in figures_reach(request)
    year = year_asked(request, version)
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
