"""An organisation's API tokens, for its administrators: make one (its key shown this once),
see when each was last used and how many reads it made, revoke any."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maalbilde.organisations.models import ApiToken
from maalbilde.organisations.tokens import LONGEST_DAYS, TokenRefused, token_create, token_revoke
from maalbilde.web.people import administered

# Where a new key waits in the session for the one page that shows it.
NEW_KEY = "maalbilde_new_api_key"


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Which system uses it: “Tixly, daily sales”."),
    )
    scopes = forms.MultipleChoiceField(label=gettext_lazy("May"), choices=ApiToken.Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)  # fmt: skip
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1,
                              max_value=LONGEST_DAYS, initial=365)  # fmt: skip


def organisation_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = administered(request, slug)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made, secret = token_create(organisation=organisation, by=request.user,
                                        **form.cleaned_data)  # fmt: skip
        except TokenRefused as refused:
            form.add_error(None, refused.message)
        else:
            # Shown once, on the page the browser is sent to (a reload makes no second key).
            request.session[NEW_KEY] = [made.pk, secret]
            return redirect("web:organisation-tokens", organisation.slug)
    shown = request.session.pop(NEW_KEY, None) if request.method == "GET" else None
    made = organisation.api_tokens.filter(pk=shown[0]).first() if shown else None
    return render(request, "web/organisation_tokens.html", {
        "organisation": organisation, "form": form,
        "made": (made, shown[1]) if made else None,
        "tokens": organisation.api_tokens.select_related("created_by"), "now": timezone.now(),
    }, status=400 if form.errors else 200)  # fmt: skip


@require_POST
def organisation_token_revoke(request: HttpRequest, slug: str, token: int) -> HttpResponse:
    organisation = administered(request, slug)
    found = get_object_or_404(ApiToken, pk=token, organisation=organisation)
    try:
        token_revoke(token=found, by=request.user)
    except TokenRefused as refused:
        return HttpResponse(refused.message, status=403)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": found.name})
    return redirect("web:organisation-tokens", organisation.slug)
