"""API tokens: made by an organisation's administrators, shown once and kept as a digest, with
scopes and an expiry. A token acts as one member of its organisation with the least of its
maker's role then and what its scopes need: it reads and writes only within its
organisation's subtree, sees figures as such a member would (a network's member its own),
and keeps working when its maker leaves, until an administrator revokes it."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import ROLE_RANK, ApiToken, Organisation, Role
from maalbilde.organisations.permissions import has_role, role_in

# What each scope lets a token do, as the role it takes.
SCOPE_ROLES = {
    ApiToken.Scope.READ: Role.VIEWER,
    ApiToken.Scope.IMPORT: Role.REPORTER,
    ApiToken.Scope.ANSWER: Role.REPORTER,
}
# Tokens live at most a year; an integration renews its key.
LONGEST_DAYS = 366
PREFIX = "mb_"


class TokenRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TokenPrincipal(AnonymousUser):
    """A request made with a token, as the permission checks see a person: one membership,
    in the token's organisation, with the token's role."""

    calls_this_minute = 0
    next_minute: datetime.datetime | None = None

    def __init__(self, token: ApiToken) -> None:
        super().__init__()
        self.token = token
        self.username = f"token:{token.prefix}"
        self._maalbilde_memberships = [(token.organisation.path, Role(token.role))]

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return True

    def has_scope(self, scope: str) -> bool:
        return scope in self.token.scopes


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_create(
    *, organisation: Organisation, name: str, scopes: list[str], days: int, by: User
) -> tuple[ApiToken, str]:
    """A new token and its key, which is shown this once. Its role is the least of its
    maker's role in the organisation and what its scopes need."""
    if not has_role(by, organisation, Role.ADMINISTRATOR):
        raise TokenRefused(_("Only the organisation's administrators make API tokens."))
    name, scopes = name.strip(), sorted(set(scopes))
    if not name or len(name) > 100:
        raise TokenRefused(_("Give the token a name of at most 100 characters."))
    if not scopes or any(s not in ApiToken.Scope.values for s in scopes):
        raise TokenRefused(_("Choose what the token may do: read, push data, answer rounds."))
    if not 1 <= days <= LONGEST_DAYS:
        raise TokenRefused(_("A token lives from 1 to %(days)s days.") % {"days": LONGEST_DAYS})
    maker = role_in(by, organisation) or Role.VIEWER
    needed = max((SCOPE_ROLES[ApiToken.Scope(s)] for s in scopes), key=ROLE_RANK.__getitem__)
    role = min(maker, needed, key=ROLE_RANK.__getitem__)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation, name=name, prefix=secret[:10], digest=_digest(secret),
        scopes=scopes, role=role, created_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )  # fmt: skip
    audit_record(user=by, action="token-create", subject=f"organisations/{organisation.slug}",
                 about=token, organisation=organisation,
                 after={"name": name, "scopes": scopes, "role": role, "days": days})  # fmt: skip
    return token, secret


def token_revoke(*, token: ApiToken, by: User) -> None:
    """Revoke a token: any administrator of its organisation, its maker gone or not."""
    if not has_role(by, token.organisation, Role.ADMINISTRATOR):
        raise TokenRefused(_("Only the organisation's administrators revoke API tokens."))
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()):  # fmt: skip
        audit_record(user=by, action="token-revoke",
                     subject=f"organisations/{token.organisation.slug}", about=token,
                     organisation=token.organisation, before={"name": token.name})  # fmt: skip


def token_principal(secret: str, *, read: bool) -> TokenPrincipal | None:
    """The principal a key stands for, if it is a token neither revoked nor expired; its
    last use noted and, for a read, counted."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    now = timezone.now()
    token = (ApiToken.objects.select_related("organisation")
             .filter(digest=_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
             .first())  # fmt: skip
    if token is None:
        return None
    minute = now.replace(second=0, microsecond=0)
    used = ApiToken.objects.filter(pk=token.pk)
    used.update(last_used_at=now, reads=F("reads") + (1 if read else 0), window_start=minute,
                window_calls=Case(When(window_start=minute, then=F("window_calls") + 1),
                                  default=Value(1)))  # fmt: skip
    principal = TokenPrincipal(token)
    principal.calls_this_minute = used.values_list("window_calls", flat=True).first() or 1
    principal.next_minute = minute + datetime.timedelta(minutes=1)
    return principal
