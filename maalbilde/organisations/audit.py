"""The audit trail: every service that changes something records it here, at the bottom of
the layers, so that every layer can (docs/architecture.md)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.utils import timezone

from maalbilde.organisations.models import ApiToken, AuditEntry, Organisation

Fields = ParamSpec("Fields")

# The API token a request acts with: every change it makes is recorded with it.
_acting_token: ContextVar[ApiToken | None] = ContextVar("acting_token", default=None)


@contextmanager
def acting_with(token: ApiToken) -> Iterator[None]:
    """Record every change made inside as made with the token."""
    reset = _acting_token.set(token)
    try:
        yield
    finally:
        _acting_token.reset(reset)


def audit_entry(
    *,
    user: User | None,
    action: str,
    subject: str,
    about: Model | None = None,
    organisation: Organisation | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """A change, not yet stored: who, what (`about`, the changed row, and `subject`, in
    words), whose (`organisation`), and the values before and after. A service that records
    several at once stores them with `AuditEntry.objects.bulk_create`."""
    return AuditEntry(
        user=user,
        action=action,
        subject=subject,
        object_kind=about._meta.label_lower if about is not None else "",
        object_id=str(about.pk) if about is not None else "",
        organisation=organisation,
        before=before,
        after=after,
        token=_acting_token.get(),
    )


def _stored(build: Callable[Fields, AuditEntry]) -> Callable[Fields, AuditEntry]:
    def store(*args: Fields.args, **kwargs: Fields.kwargs) -> AuditEntry:
        entry = build(*args, **kwargs)
        entry.save()
        return entry

    return store


# Record a change, as `audit_entry` describes it.
audit_record = _stored(audit_entry)


def audit_recent(action: str, within: datetime.timedelta) -> QuerySet[AuditEntry]:
    """The entries of one action in the last `within`: what limits on repeated asks count."""
    return AuditEntry.objects.filter(action=action, at__gte=timezone.now() - within)
