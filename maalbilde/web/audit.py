"""The trail of changes: who changed what, when, from what to what; per plan and per
organisation. Seen by the editors and administrators of each organisation, for the
organisations whose figures they see (inside a network: a member's own people and the
secretariat)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from maalbilde.organisations.models import AuditEntry, Organisation, Role
from maalbilde.organisations.permissions import figures_in_reach, organisations_with_role
from maalbilde.plans.selectors import plan_organisations
from maalbilde.web.views import viewable_plan

# The latest entries shown; older ones are kept, and read with a narrower choice.
SHOWN = 200
# What each kind of entry is called on the page; others show their own name.
ACTIONS = {
    "observation": gettext_lazy("figure typed in"),
    "assessment": gettext_lazy("assessment written"),
    "observation-removed": gettext_lazy("figure taken back"),
    "import": gettext_lazy("file imported"),
    "withdraw": gettext_lazy("file withdrawn"),
    "register": gettext_lazy("register row saved"),
    "register-add": gettext_lazy("register rows added"),
    "register-remove": gettext_lazy("register row removed"),
    "targets": gettext_lazy("targets changed"),
    "publish": gettext_lazy("figures published"),
    "unpublish": gettext_lazy("figures taken off the public page"),
    "membership-granted": gettext_lazy("role given"),
    "membership-changed": gettext_lazy("role changed"),
    "membership-removed": gettext_lazy("role removed"),
    "round-create": gettext_lazy("round made"),
    "round-replace": gettext_lazy("round replaced"),
    "round-release": gettext_lazy("release made"),
    "round-publish": gettext_lazy("round published as open data"),
    "round-unpublish": gettext_lazy("round's open data taken down"),
    "round-export": gettext_lazy("answers exported"),
    "round-remind": gettext_lazy("reminders sent"),
    "password-changed": gettext_lazy("password changed"),
}


def plan_audit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = viewable_plan(request, slug)
    return _audit_page(request, plan_organisations(plan.current_version), {"plan": plan})


def organisation_audit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    below = Organisation.objects.filter(path__startswith=organisation.path)
    return _audit_page(request, below, {"organisation": organisation})


def _audit_page(request: HttpRequest, organisations: QuerySet[Organisation],
                context: dict) -> HttpResponse:  # fmt: skip
    seen = organisations.filter(pk__in=figures_in_reach(request.user))
    allowed = organisations_with_role(request.user, seen.order_by("path"), Role.EDITOR)
    if not allowed:
        raise PermissionDenied
    chosen = next((o for o in allowed if o.slug == request.GET.get("organisation")), None)
    entries = AuditEntry.objects.filter(organisation__in=[chosen] if chosen else allowed)
    return render(request, "web/audit.html", {
        **context, "organisations": allowed, "chosen": chosen, "actions": ACTIONS,
        "entries": entries.select_related("user", "organisation")[:SHOWN], "shown": SHOWN,
    })  # fmt: skip
