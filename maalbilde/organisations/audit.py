"""The audit trail: every service that changes something records it here, at the bottom of
the layers, so that every layer can (docs/architecture.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.utils import timezone

from maalbilde.organisations.models import AuditEntry, Organisation


def audit_record(
    *,
    user: User | None,
    action: str,
    subject: str,
    about: Model | None = None,
    organisation: Organisation | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Record a change: who, what (`about`, the changed row, and `subject`, in words), whose
    (`organisation`), and the values before and after."""
    entry = audit_entry(user=user, action=action, subject=subject, about=about,
                        organisation=organisation, before=before, after=after)  # fmt: skip
    entry.save()
    return entry


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
    """An entry as `audit_record` records it, not yet stored: for a service that records
    several changes at once with `AuditEntry.objects.bulk_create`."""
    return AuditEntry(
        user=user,
        action=action,
        subject=subject,
        object_kind=about._meta.label_lower if about is not None else "",
        object_id=str(about.pk) if about is not None else "",
        organisation=organisation,
        before=before,
        after=after,
    )


def audit_recent(action: str, within: datetime.timedelta) -> QuerySet[AuditEntry]:
    """The entries of one action in the last `within`: what limits on repeated asks count."""
    return AuditEntry.objects.filter(action=action, at__gte=timezone.now() - within)
