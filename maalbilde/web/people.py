"""People and roles: an organisation's administrators invite people by e-mail, change their
roles and remove them, for the organisation and every organisation below it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import number_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.funding.selectors import own_allocations, own_contributions
from maalbilde.organisations.memberships import (
    USERNAME_LENGTH,
    MembershipRefused,
    membership_change,
    membership_grant,
    membership_remove,
)
from maalbilde.organisations.models import Membership, Organisation, Role, size_group_label
from maalbilde.organisations.permissions import (
    has_role,
    organisations_in_reach,
    organisations_with_role,
)
from maalbilde.organisations.tree import units_by_region
from maalbilde.reports.returns import return_plan, shipped_returns


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=USERNAME_LENGTH)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


def organisation_list(request: HttpRequest) -> HttpResponse:
    """The organisations the user may see — the topmost of each branch, since each page covers
    everything below its organisation — with their changes and people where the user looks
    after those."""
    reach = organisations_in_reach(request.user).order_by("path")
    edited = _topmost(organisations_with_role(request.user, reach, Role.EDITOR))
    administered = _topmost(organisations_with_role(request.user, reach, Role.ADMINISTRATOR))
    listed = _topmost(list(reach))
    # Below each, the organisations that own a plan: the ones people look for by name.
    owners = list(reach.filter(plans__isnull=False).distinct())
    return render(request, "web/organisation_list.html", {
        "organisations": [
            (o, [owner for owner in owners if owner.path.startswith(o.path) and owner != o])
            for o in listed
        ],
        "administered": set(administered), "edited": set(edited),
    })  # fmt: skip


# The attributes people know by name; others are shown by their key.
ATTRIBUTE_LABELS = {
    "municipality": gettext_lazy("Municipality"),
    "population": gettext_lazy("Population"),
    "size_group": gettext_lazy("Size group"),
    "school_type": gettext_lazy("School type"),
    "member_from": gettext_lazy("Member from"),
    "pupils": gettext_lazy("Pupils"),
    "schools": gettext_lazy("Schools"),
    "regions": gettext_lazy("Regions"),
    "seats": gettext_lazy("Seats"),
    "pilot": gettext_lazy("Pilot"),
}
# Kept for the machine, or shown otherwise (the region is the grouping).
ATTRIBUTES_HIDDEN = {"region", "demo"}


def _attribute_text(key: str, value: object) -> str:
    if key == "size_group":
        return size_group_label(str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _attributes(organisation: Organisation, keys: list[str]) -> list[str]:
    return [_attribute_text(k, organisation.attributes[k]) if k in organisation.attributes
            else "–" for k in keys]  # fmt: skip


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation and, below it, its members and units by region with their attributes
    (a network's schools by sub-region), its bodies and partners apart; for anyone whose
    roles reach it, who sees only what their roles reach."""
    reach = organisations_in_reach(request.user)
    organisation = reach.filter(slug=slug).first()
    if organisation is None:
        raise PermissionDenied
    regions, apart = units_by_region(organisation, reach)
    units = [u for region in regions for u in region.units]
    found = {k for u in units for k in u.attributes if k not in ATTRIBUTES_HIDDEN}
    # The attributes people know by name first, in that order; the others after, by key.
    keys = [k for k in ATTRIBUTE_LABELS if k in found] + sorted(found - set(ATTRIBUTE_LABELS))
    own = [(ATTRIBUTE_LABELS.get(k, k), _attribute_text(k, v))
           for k, v in organisation.attributes.items() if k not in ATTRIBUTES_HIDDEN]  # fmt: skip
    return render(request, "web/organisation_detail.html", {
        "organisation": organisation, "own": own,
        "parent": reach.filter(pk=organisation.parent_id).first(),
        "columns": [ATTRIBUTE_LABELS.get(k, k) for k in keys],
        "regions": [(region, [(u, _attributes(u, keys)) for u in region.units])
                    for region in regions],
        "apart": apart, "unit_count": len(units),
        "administers": has_role(request.user, organisation, Role.ADMINISTRATOR),
        "edits": has_role(request.user, organisation, Role.EDITOR),
        "has_funding": organisation.funding_files.exists(),
        "has_reports": organisation.rounds.exists() or any(
            return_plan(t, organisation) for t in shipped_returns().values()),
        "allocations": own_allocations(organisation),
        "contributions": own_contributions(organisation, timezone.localdate().year),
    })  # fmt: skip


def _topmost(organisations: list[Organisation]) -> list[Organisation]:
    """Those not below another of them (in path order)."""
    kept: list[Organisation] = []
    for organisation in organisations:
        if not any(organisation.path.startswith(k.path) for k in kept):
            kept.append(organisation)
    return kept


def organisation_people(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = administered(request, slug)
    below = list(Organisation.objects.filter(path__startswith=organisation.path))
    invite = InviteForm(request.POST if request.POST.get("action") == "invite" else None,
                        organisations=below, initial={"organisation": organisation.slug,
                                                      "role": Role.VIEWER})  # fmt: skip
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "invite" and invite.is_valid():
            place = next(o for o in below if o.slug == invite.cleaned_data["organisation"])
            if _granted(request, place, invite.cleaned_data):
                return redirect(request.path)
        elif action == "change":
            membership = _membership_below(organisation, request.POST.get("membership"))
            form = RoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose one of the roles."))
            else:
                try:
                    changed = membership_change(membership=membership, by=request.user,
                                                role=Role(form.cleaned_data["role"]))  # fmt: skip
                except MembershipRefused as refused:
                    messages.error(request, str(refused))
                else:
                    messages.success(request, _("%(person)s is now %(role)s in %(organisation)s.")
                                     % _said(changed))  # fmt: skip
            return redirect(request.path)
        elif action != "invite":
            raise PermissionDenied
    memberships = (
        Membership.objects.filter(organisation__path__startswith=organisation.path)
        .select_related("user", "organisation")
        .order_by("organisation__path", "user__username")
    )
    return render(request, "web/organisation_people.html", {
        "organisation": organisation, "memberships": memberships, "invite": invite,
        "roles": Role.choices,
    })  # fmt: skip


def membership_remove_view(request: HttpRequest, slug: str, membership: int) -> HttpResponse:
    organisation = administered(request, slug)
    found = _membership_below(organisation, membership)
    if request.method == "POST":
        try:
            membership_remove(membership=found, by=request.user)
        except MembershipRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("%(person)s no longer has a role in %(organisation)s.")
                             % _said(found))  # fmt: skip
        return redirect("web:organisation-people", slug=organisation.slug)
    return render(request, "web/membership_remove.html", {
        "organisation": organisation, "membership": found,
    })  # fmt: skip


def administered(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not has_role(request.user, organisation, Role.ADMINISTRATOR):
        raise PermissionDenied
    return organisation


def _membership_below(organisation: Organisation, pk) -> Membership:
    if not str(pk or "").isdigit():
        raise PermissionDenied
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=int(pk), organisation__path__startswith=organisation.path,
    )  # fmt: skip


def _said(membership: Membership) -> dict[str, str]:
    return {"person": membership.user.email or membership.user.get_username(),
            "role": membership.get_role_display().lower(),
            "organisation": membership.organisation.name}  # fmt: skip


def _granted(request: HttpRequest, place: Organisation, data: dict) -> bool:
    try:
        membership, _new = membership_grant(organisation=place, email=data["email"],
                                           role=Role(data["role"]), by=request.user)  # fmt: skip
    except MembershipRefused as refused:
        messages.error(request, str(refused))
        return False
    if not membership.user.has_usable_password():
        # A new account, or one whose invitation was not followed: the link is sent (again).
        _invite(request, membership)
        messages.success(request, _("%(person)s is invited as %(role)s in %(organisation)s: "
                                    "they are sent a link to choose a password.")
                         % _said(membership))  # fmt: skip
    else:
        messages.success(request, _("%(person)s is now %(role)s in %(organisation)s.")
                         % _said(membership))  # fmt: skip
    return True


def _invite(request: HttpRequest, membership: Membership) -> None:
    person = membership.user
    link = request.build_absolute_uri(reverse("web:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
    }))  # fmt: skip
    context = {"organisation": membership.organisation, "inviter": request.user, "link": link,
               "user": person, "role": membership.get_role_display()}  # fmt: skip
    send_mail(
        subject=_("You are invited to Målbilde"),
        message=render_to_string("registration/invitation_email.txt", context),
        from_email=None,
        recipient_list=[person.email],
    )
