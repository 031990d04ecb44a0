"""Pushing rows: a ticket or booking system sends a day's rows to a dataset as CSV (as its
export is) or as JSON rows, through the same importer as a file uploaded in the browser —
one batch, atomic, with the same checks; withdrawing a batch. A push with an
`Idempotency-Key` header is answered once: the same key again gets the first answer and no
second batch; the same key with another body is refused."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from maalbilde.api.auth import recorded_as, require_writer
from maalbilde.api.models import IdempotentWrite
from maalbilde.api.problems import Problem, problems
from maalbilde.data.imports import (
    ImportRejected,
    ImportResult,
    Overlapping,
    batch_import,
    batch_withdraw,
    skipped_ranges,
)
from maalbilde.data.models import Batch, Dataset
from maalbilde.lib.norwegian import number_text
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import has_role
from maalbilde.organisations.tokens import TokenPrincipal
from maalbilde.plans.selectors import plans_visible_to

router = Router(tags=["data"])

# Rows a JSON push may hold; a larger day goes as CSV, as the export is.
JSON_ROWS_AT_MOST = 100_000
ROW = {"type": "object", "additionalProperties": {"type": ["string", "number", "null"]}}
PUSH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"},
                         "example": "Dato;Billettype;Antall\n01.12.2026;Voksen;120\n"},
            "application/json": {"schema": {
                "type": "object", "required": ["rows"],
                "properties": {"rows": {"type": "array", "minItems": 1,
                                        "maxItems": JSON_ROWS_AT_MOST, "items": ROW}},
            }},
        },
    },
    "parameters": [{"in": "header", "name": "Idempotency-Key", "required": False,
                    "schema": {"type": "string", "maxLength": 200}}],
    **problems(403, 404, 409, 413, 415),
}  # fmt: skip


def dataset_of(
    request: HttpRequest, slug: str, *, register: bool | None = None
) -> tuple[Dataset, list[str]]:
    """The dataset, if a plan the caller sees declares it (another's is not there), and the
    paths of those plans' owners: rows go into a dataset only for the organisations of its
    plans (`within`)."""
    found = Dataset.objects.select_related("organisation").filter(slug=slug)
    if register is not None:
        found = found.filter(register=register)
    dataset = found.first()
    if dataset is None:
        raise Problem(404, _("Not found"))
    owners = [plan.owner.path for plan in plans_visible_to(request.user)
              if any(d["slug"] == dataset.slug for d in plan.current_version.datasets)]  # fmt: skip
    if not owners:
        raise Problem(404, _("Not found"))
    return dataset, owners


def within(organisation: Organisation, owners: list[str]) -> bool:
    return any(organisation.path.startswith(path) for path in owners)


def as_written(value: str | float | None) -> str:
    """A cell a system sent as the importer and the forms read it: a JSON number written so
    it reads back as the same number (1.234 as 1,234, never one thousand two hundred and
    thirty-four), a text as sent."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(value) if math.isfinite(value) else str(value)
    return str(value)


def _csv_of(request: HttpRequest) -> bytes:
    """The body as the importer reads a file: CSV as sent, JSON rows written as CSV."""
    kind = request.content_type or ""
    if kind == "application/json":
        try:
            rows = json.loads(request.body)["rows"]
        except (ValueError, KeyError, TypeError, RecursionError):
            raise Problem(
                422,
                _("The request is not valid"),
                _('Send JSON as {"rows": [{"column": value, …}, …]}.'),
            ) from None
        if not isinstance(rows, list) or not rows or len(rows) > JSON_ROWS_AT_MOST or not all(
                isinstance(r, dict) for r in rows):  # fmt: skip
            raise Problem(
                422,
                _("The request is not valid"),
                _("“rows” must be a list of 1 to %(most)s objects.") % {"most": JSON_ROWS_AT_MOST},
            )
        columns = list(dict.fromkeys(k for r in rows for k in r))
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(columns)
        writer.writerows([[as_written(r.get(c)) for c in columns] for r in rows])
        return out.getvalue().encode("utf-8")
    if kind in ("text/csv", "text/plain", "application/octet-stream", ""):
        return request.body
    raise Problem(415, _("Unsupported body"), _("Send the rows as text/csv or application/json."))


@router.post("/datasets/{slug}/batches", response={201: dict[str, Any]},
             openapi_extra=PUSH_BODY, summary="Push rows into a dataset as one batch")  # fmt: skip
def batch_push(
    request: HttpRequest, slug: str, organisation: str | None = None,
    file_name: str = "api-push.csv", replace: bool = False,
) -> HttpResponse | Status:  # fmt: skip
    dataset, owners = dataset_of(request, slug)
    owner = dataset.organisation or (Organisation.objects.filter(slug=organisation or "").first())
    if organisation and owner is None:
        raise Problem(404, _("Not found"), _("There is no organisation “%(slug)s”.")
                      % {"slug": organisation[:80]})  # fmt: skip
    if owner is not None and not within(owner, owners):
        raise Problem(404, _("Not found"), _(
            "“%(dataset)s” is not a dataset of the plans of %(organisation)s that the caller "
            "sees.") % {"dataset": dataset.slug, "organisation": owner.slug})  # fmt: skip
    if owner is None:
        raise Problem(
            422,
            _("Say for which organisation"),
            _(
                "This dataset's rows name their organisation in a column: give the "
                "organisation they lie under, ?organisation=…"
            ),
        )
    require_writer(request, owner)
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > 200:
        raise Problem(422, _("The request is not valid"),
                      _("An idempotency key may be at most 200 characters."))  # fmt: skip
    raw = _csv_of(request)
    token = request.user.token if isinstance(request.user, TokenPrincipal) else None
    digest = hashlib.sha256(request.get_full_path().encode() + b"\n" + raw).hexdigest()
    if key and token is not None:
        earlier = IdempotentWrite.objects.filter(token=token, key=key).first()
        if earlier is not None:
            if earlier.digest != digest:
                raise Problem(422, _("Idempotency key used for another request"), _(
                    "The key “%(key)s” was sent before with another body; use a new key for "
                    "new rows.") % {"key": key})  # fmt: skip
            return _json(earlier.status, earlier.answer, replayed=True)
    try:
        with transaction.atomic():
            result = _imported(request, dataset, owner, raw, file_name[:200], replace)
            answer = {"batch": result.batch.pk if result.batch else None,
                      "dataset": dataset.slug, "organisation": owner.slug,
                      "rows_read": result.rows_read, "rows_stored": result.rows_stored,
                      "rows_skipped": [{"first_row": first, "last_row": last, "reason": reason}
                                       for first, last, reason
                                       in skipped_ranges(result.skipped)]}  # fmt: skip
            if key and token is not None:
                IdempotentWrite.objects.create(token=token, key=key, digest=digest, status=201,
                                               answer=answer)  # fmt: skip
    except IntegrityError:  # the same key sent twice at once: the first one's answer counts
        earlier = IdempotentWrite.objects.filter(token=token, key=key).first()
        if earlier is None:
            raise
        return _json(earlier.status, earlier.answer, replayed=True)
    return Status(201, answer)


def _imported(
    request: HttpRequest, dataset: Dataset, owner: Organisation, raw: bytes, file_name: str,
    replace: bool,
) -> ImportResult:  # fmt: skip
    """The push through the importer, recorded as the token's (or the person's)."""
    user, recording = recorded_as(request)
    try:
        with recording:
            return batch_import(dataset=dataset, raw=raw, file_name=file_name,
                                organisation=owner, replace=replace, user=user)  # fmt: skip
    except Overlapping as clash:
        raise Problem(409, _("The rows overlap stored batches"), clash.message + " " + _(
            "To let these rows replace those days, send them again with ?replace=true."),
            batches=sorted({o.batch for o in clash.overlaps})) from None  # fmt: skip
    except ImportRejected as rejected:
        as_json = request.content_type == "application/json"
        raise Problem(422, _("Nothing was stored"), rejected.message, problems=[
            {"row": p.row, "column": p.column, "value": p.value[:200], "reason": p.reason,
             # JSON rows: where in the body (RFC 6901); the CSV written from them has a header
             **({"pointer": f"/rows/{p.row - 2}"} if as_json and p.row >= 2 else {})}
            for p in rejected.problems[:200]]) from None  # fmt: skip


def _json(status: int, answer: dict[str, Any], *, replayed: bool) -> HttpResponse:
    response = HttpResponse(json.dumps(answer), status=status, content_type="application/json")
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


class WithdrawnOut(Schema):
    batch: int
    restored: list[int] = Field(description="Batches whose days it had replaced: they count "
                                            "again.")  # fmt: skip


@router.delete("/batches/{batch_id}", response=WithdrawnOut, summary="Withdraw a batch",
               openapi_extra=problems(403, 404, 409))  # fmt: skip
def batch_remove(request: HttpRequest, batch_id: int) -> dict[str, Any]:
    batch = get_object_or_404(Batch.objects.select_related("organisation"), pk=batch_id)
    if not has_role(request.user, batch.organisation, Role.VIEWER):
        raise Problem(404, _("Not found"))  # another organisation's batch is not there
    require_writer(request, batch.organisation)
    user, recording = recorded_as(request)
    try:
        with recording:
            restored = batch_withdraw(batch=batch, user=user)
    except ImportRejected as refused:  # withdrawn already
        raise Problem(409, _("Withdrawn already"), refused.message) from None
    return {"batch": batch.pk, "restored": list(restored)}
