"""Accounts beyond logging in: a password reset that cannot be used to flood a mailbox, and a
page to change one's password. Both leave an entry in the audit trail."""

import hashlib
from datetime import timedelta

from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils import timezone

from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import AuditEntry
from maalbilde.web.addresses import client_address

# Links asked for in an hour: for one e-mail address, and from one client address. More are
# not sent, and the page says the same as always, so that it tells nobody whether an
# address has an account.
RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 10
RESET_ACTION = "password-reset-asked"


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("web:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form) -> HttpResponse:
        email = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        client = client_address(self.request) or ""
        recent = AuditEntry.objects.filter(
            action=RESET_ACTION, at__gte=timezone.now() - timedelta(hours=1)
        )
        flooded = (
            recent.filter(after__email=email).count() >= RESETS_PER_ADDRESS
            or recent.filter(after__client=client).count() >= RESETS_PER_CLIENT
        )
        audit_record(user=None, action=RESET_ACTION, subject="accounts/password-reset",
                     after={"email": email, "client": client, "sent": not flooded})  # fmt: skip
        if flooded:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("web:password_change_done")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(user=self.request.user, action="password-changed",
                     subject=f"accounts/{self.request.user.pk}")  # fmt: skip
        return response
