"""The trail of changes to a plan's figures and settings: who changed what, when, from what
to what. Seen by the editors and administrators of each organisation, for the organisations
whose figures they see (inside a network: a member's own people and the secretariat)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maalbilde.organisations.models import AuditEntry, Role
from maalbilde.organisations.permissions import figures_in_reach, organisations_with_role
from maalbilde.plans.selectors import plan_organisations
from maalbilde.web.views import viewable_plan

# The latest entries shown; older ones are kept, and read with a narrower choice.
SHOWN = 200


def plan_audit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    seen = plan_organisations(plan.current_version).filter(pk__in=figures_in_reach(request.user))
    allowed = organisations_with_role(request.user, seen.order_by("path"), Role.EDITOR)
    if not allowed:
        raise PermissionDenied
    chosen = next((o for o in allowed if o.slug == request.GET.get("organisation")), None)
    entries = AuditEntry.objects.filter(organisation__in=[chosen] if chosen else allowed)
    return render(request, "web/plan_audit.html", {
        "plan": plan, "organisations": allowed, "chosen": chosen,
        "entries": entries.select_related("user", "organisation")[:SHOWN], "shown": SHOWN,
    })  # fmt: skip
