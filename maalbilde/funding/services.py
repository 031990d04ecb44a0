"""Writing funding: a funding file imported for its owner, audited; an unchanged file is
left as it is."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from maalbilde.funding.files import parse_funding_file
from maalbilde.funding.models import FundingFile
from maalbilde.lib.documents import DocumentInvalid, Problem
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation


def current_funding(owner: Organisation) -> FundingFile | None:
    return FundingFile.objects.filter(owner=owner).first()


@transaction.atomic
def funding_import(*, raw: bytes, user: User | None = None) -> tuple[FundingFile, bool]:
    """Check and store a funding file for the owner it names; the file stored and whether it
    is new (False: the same file as the latest, nothing stored). DocumentInvalid otherwise,
    with nothing stored."""
    data = parse_funding_file(raw)
    owner = Organisation.objects.filter(slug=data["owner"]).first()
    if owner is None:
        raise DocumentInvalid([Problem("owner", _("There is no organisation “%(slug)s”.")
                                       % {"slug": data["owner"]})])  # fmt: skip
    checksum = hashlib.sha256(raw).hexdigest()
    latest = current_funding(owner)
    if latest is not None and latest.checksum == checksum:
        return latest, False
    stored = FundingFile.objects.create(owner=owner, source=raw.decode("utf-8-sig"), data=data,
                                        checksum=checksum, imported_by=user)  # fmt: skip
    audit_record(user=user, action="funding-import", subject=f"funding/{owner.slug}",
                 about=stored, organisation=owner,
                 after={"parties": len(data["parties"]),
                        "agreements": len(data["agreements"])})  # fmt: skip
    return stored, True
