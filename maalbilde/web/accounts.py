"""Accounts beyond logging in: a password reset that cannot be used to flood a mailbox, and a
page to change one's password that cannot be used to guess it. Both leave an entry in the
audit trail."""

import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from maalbilde.organisations.audit import audit_recent, audit_record
from maalbilde.web.addresses import client_address

# Links asked for in an hour: for one e-mail address, and from one client address. More are
# not sent, and the page says the same as always, so that it tells nobody whether an
# address has an account.
RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 10
RESET_ACTION = "password-reset-asked"


class LoginForm(auth_forms.AuthenticationForm):
    """The user name as typed, or else the one account whose name differs from it only in
    capital letters: people invited log in with their e-mail address, which phones may
    start with a capital letter."""

    def clean_username(self) -> str:
        typed = self.cleaned_data["username"]
        model = get_user_model()
        if model._default_manager.filter(username=typed).exists():
            return typed
        alike = list(model._default_manager.filter(username__iexact=typed)
                     .values_list("username", flat=True)[:2])  # fmt: skip
        return alike[0] if len(alike) == 1 else typed


class LoginView(auth_views.LoginView):
    form_class = LoginForm


class PasswordResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email: str):
        """Also people invited who have not chosen a password yet (Django's own form leaves
        them out): a lost invitation is found again this way."""
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("web:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form) -> HttpResponse:
        email = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        client = client_address(self.request) or ""
        recent = audit_recent(RESET_ACTION, timedelta(hours=1))
        flooded = (
            recent.filter(after__email=email).count() >= RESETS_PER_ADDRESS
            or recent.filter(after__client=client).count() >= RESETS_PER_CLIENT
        )
        audit_record(user=None, action=RESET_ACTION, subject="accounts/password-reset",
                     after={"email": email, "client": client, "sent": not flooded})  # fmt: skip
        if flooded:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


# Wrong current passwords on the change page: after this many in the window, the page takes
# no more tries until the window has passed (the login's own lockout counts only logins).
WRONG_OLD_PASSWORDS = 5
WRONG_OLD_PASSWORD_WINDOW = timedelta(minutes=15)
WRONG_OLD_PASSWORD_ACTION = "password-change-refused"


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("web:password_change_done")

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wrong = audit_recent(WRONG_OLD_PASSWORD_ACTION, WRONG_OLD_PASSWORD_WINDOW)
        if wrong.filter(user=request.user).count() >= WRONG_OLD_PASSWORDS:
            messages.error(request, _("Too many wrong passwords. Try again in 15 minutes."))
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        if "old_password" in form.errors:
            audit_record(user=self.request.user, action=WRONG_OLD_PASSWORD_ACTION,
                         subject=f"accounts/{self.request.user.pk}")  # fmt: skip
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(user=self.request.user, action="password-changed",
                     subject=f"accounts/{self.request.user.pk}")  # fmt: skip
        return response
