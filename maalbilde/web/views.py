from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from maalbilde.plans.models import Plan
from maalbilde.plans.selectors import plan_version_for_page, plans_listed


def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/plan_list.html", {"plans": plans_listed()})


def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, slug=slug)
    number = request.GET.get("version")
    version = plan_version_for_page(plan, int(number) if number and number.isdigit() else None)
    if version is None:
        raise Http404
    return render(
        request,
        "web/plan_detail.html",
        {
            "plan": plan,
            "version": version,
            "versions": plan.versions.order_by("-number"),
            "is_current": version.pk == plan.current_version_id,
        },
    )
