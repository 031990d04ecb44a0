"""Who calls: a system with a token (`Authorization: Bearer mb_…`), or a person logged in to
the app's own pages (the session, with Django's CSRF check on writes)."""

from __future__ import annotations

import math
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from maalbilde.api.problems import Problem
from maalbilde.organisations.audit import acting_with
from maalbilde.organisations.models import ApiToken, Organisation, Role
from maalbilde.organisations.permissions import has_role
from maalbilde.organisations.tokens import TokenPrincipal, token_principal


class TokenAuth(HttpBearer):
    openapi_description = "An API token made by an administrator of the organisation."

    def authenticate(self, request: HttpRequest, token: str) -> TokenPrincipal | None:
        principal = token_principal(token, read=request.method in ("GET", "HEAD"))
        if principal is None:
            return None
        if principal.calls_this_minute > settings.API_CALLS_PER_MINUTE:
            wait = max(1, math.ceil((principal.next_minute - timezone.now()).total_seconds()))
            raise Problem(429, _("Too many requests"), _(
                "A token makes at most %(calls)s calls a minute; try again in %(seconds)s "
                "seconds.") % {"calls": settings.API_CALLS_PER_MINUTE, "seconds": wait},
                headers={"Retry-After": str(wait)})  # fmt: skip
        request.user = principal
        return principal


class SessionAuth(APIKeyCookie):
    """The app's own pages: the person's session; writes need the CSRF token."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # A request that presents a token stands or falls by it, session or not; one without
        # a session is not asked for a CSRF token (it is answered 401).
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if key is not None and request.user.is_authenticated else None


def require_scope(request: HttpRequest, scope: str) -> None:
    """Refused (403) unless the caller's token has the scope; a person's own roles decide
    for them."""
    user = request.user
    if isinstance(user, TokenPrincipal) and not user.has_scope(scope):
        words = {ApiToken.Scope.READ: _("The token's scopes do not include read."),
                 ApiToken.Scope.IMPORT: _("The token's scopes do not include import."),
                 ApiToken.Scope.ANSWER: _("The token's scopes do not include answer.")}  # fmt: skip
        raise Problem(403, _("Not allowed"), words[ApiToken.Scope(scope)])


def require_writer(request: HttpRequest, organisation: Organisation) -> None:
    """Refused (403) unless the caller may put figures in for the organisation: the import
    scope, and a reporter's role there, as the pages ask."""
    require_scope(request, ApiToken.Scope.IMPORT)
    if not has_role(request.user, organisation, Role.REPORTER):
        raise Problem(403, _("Not allowed"), _("The caller may not enter figures for %(name)s.")
                      % {"name": organisation.name})  # fmt: skip


def recorded_as(request: HttpRequest) -> tuple[Any, AbstractContextManager]:
    """Whom a change is recorded for (the person; None for a token), and the context that
    records every change inside as the token's."""
    user = request.user
    if isinstance(user, TokenPrincipal):
        return None, acting_with(user.token)
    return user, nullcontext()
