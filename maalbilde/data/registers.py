"""Registers: datasets kept in Målbilde row by row, because no other system holds them
(media mentions, rentals, sponsorships, incidents, new offers, health programmes).

A row is checked by the same rules as a cell of an imported file. Every change rebuilds the
facts of that organisation's register with one aggregate query, so a register feeds the
same metrics as imported files and the indicator changes at once.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CharField, Count, FloatField, Q, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from maalbilde.data.imports import EARLIEST_YEAR, YEARS_AHEAD
from maalbilde.data.models import Batch, Dataset, Fact, RegisterRow
from maalbilde.data.services import figures_changed
from maalbilde.lib.norwegian import parse_date, parse_number
from maalbilde.organisations.audit import audit_record
from maalbilde.organisations.models import Organisation

CATEGORY_MAX_CHARS = 200
TEXT_MAX_CHARS = 1000


class RegisterRefused(Exception):
    """What is wrong with a row, by column name ("" for the row as a whole)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def register_columns(dataset: Dataset) -> list[dict[str, Any]]:
    """The columns a person fills in, in the declared order: the date, measures that are not
    computed, categories and texts. The organisation is chosen apart from them."""
    return [
        c
        for c in dataset.columns
        if c["role"] in ("date", "measure", "category", "text") and not c.get("ratio_of")
    ]


def row_check(dataset: Dataset, cells: dict[str, str]) -> tuple[datetime.date, dict[str, Any]]:
    """The row's date and its values (numbers as numbers), or RegisterRefused."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    day = None
    last_year = timezone.localdate().year + YEARS_AHEAD
    for column in register_columns(dataset):
        name, role = column["name"], column["role"]
        text = (cells.get(name) or "").strip()
        if role == "date":
            day = parse_date(text) if text else None
            if not text:
                errors[name] = _("the date is missing")
            elif day is None:
                errors[name] = _("not a date (write 23.11.2026)")
            elif not EARLIEST_YEAR <= day.year <= last_year:
                errors[name] = _("the date is outside the years %(first)s–%(last)s") % {
                    "first": EARLIEST_YEAR,
                    "last": last_year,
                }
        elif not text:
            if column.get("choices"):
                errors[name] = _("choose one")
        elif role == "measure":
            number = parse_number(text)
            if number is None:
                errors[name] = _("not a number")
            else:
                values[name] = number
        elif column.get("choices") and text not in column["choices"]:
            errors[name] = _("not one of %(choices)s") % {
                "choices": ", ".join(f"“{c}”" for c in column["choices"])
            }
        else:
            limit = CATEGORY_MAX_CHARS if role == "category" else TEXT_MAX_CHARS
            if len(text) > limit:
                errors[name] = _("longer than %(limit)s characters") % {"limit": limit}
            values[name] = text
    if errors or day is None:
        raise RegisterRefused(errors)
    return day, values


def _refuse_outside(dataset: Dataset, organisation: Organisation) -> None:
    if not dataset.register:
        message = _("“%(dataset)s” is not a register: its rows come from imported files.")
        raise RegisterRefused({"": message % {"dataset": dataset.name}})
    if dataset.organisation and dataset.organisation != organisation:
        message = _("The register “%(dataset)s” is kept for %(organisation)s only.")
        raise RegisterRefused(
            {"": message % {"dataset": dataset.name, "organisation": dataset.organisation.name}}
        )


@transaction.atomic
def register_row_save(
    *,
    dataset: Dataset,
    organisation: Organisation,
    cells: dict[str, str],
    row: RegisterRow | None = None,
    user: User | None = None,
    form_token: str | None = None,
) -> RegisterRow:
    """Add a row to a register, or correct one; the register's facts follow at once. A new
    row sent again with the same form token is the row already added, not a second one."""
    _refuse_outside(dataset, organisation)
    day, values = row_check(dataset, cells)
    # One change to a register at a time, so its facts are rebuilt from a settled set of rows.
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
    if row is None and form_token:
        sent_before = RegisterRow.objects.filter(form_token=form_token).first()
        if sent_before is not None:
            return sent_before
    before = None
    moved_from = None
    if row is None:
        row = RegisterRow(dataset=dataset, form_token=form_token or None)
    else:
        row = RegisterRow.objects.select_for_update().get(pk=row.pk, dataset=dataset)
        before = _snapshot(row)
        if row.organisation_id != organisation.pk:
            moved_from = row.organisation
    row.organisation = organisation
    row.date = day
    row.values = values
    row.updated_by = user
    row.save()
    for affected in filter(None, (organisation, moved_from)):
        _facts_rebuild(dataset, affected)
    audit_record(
        user=user,
        action="register",
        subject=f"{dataset.slug}/{organisation.slug}/#{row.pk}",
        about=row,
        organisation=organisation,
        before=before,
        after=_snapshot(row),
    )
    return row


@transaction.atomic
def register_rows_add(
    *,
    dataset: Dataset,
    organisation: Organisation,
    rows: list[dict[str, str]],
    user: User | None = None,
) -> int:
    """Add many rows at once, all or none (a list kept elsewhere until now)."""
    _refuse_outside(dataset, organisation)
    checked = []
    for number, cells in enumerate(rows, start=1):
        try:
            checked.append(row_check(dataset, cells))
        except RegisterRefused as refused:
            problems = "; ".join(f"{name}: {text}" for name, text in refused.errors.items())
            raise RegisterRefused(
                {"": _("Row %(row)s: %(problems)s") % {"row": number, "problems": problems}}
            ) from None
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
    RegisterRow.objects.bulk_create(
        RegisterRow(dataset=dataset, organisation=organisation, date=day, values=values,
                    updated_by=user)
        for day, values in checked
    )  # fmt: skip
    _facts_rebuild(dataset, organisation)
    audit_record(user=user, action="register-add", subject=f"{dataset.slug}/{organisation.slug}",
                 about=dataset, organisation=organisation,
                 after={"rows": len(checked)})  # fmt: skip
    return len(checked)


@transaction.atomic
def register_row_remove(*, row: RegisterRow, user: User | None = None) -> None:
    """Remove a row from its register; the register's facts follow at once."""
    dataset = row.dataset
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()
    row = RegisterRow.objects.select_for_update().select_related("organisation").get(pk=row.pk)
    before = _snapshot(row)
    subject = f"{dataset.slug}/{row.organisation.slug}/#{row.pk}"
    row.delete()
    _facts_rebuild(dataset, row.organisation)
    audit_record(user=user, action="register-remove", subject=subject,
                 organisation=row.organisation, before=before)  # fmt: skip


def _snapshot(row: RegisterRow) -> dict[str, Any]:
    return {"organisation": row.organisation.slug, "date": row.date.isoformat(), **row.values}


def _facts_rebuild(dataset: Dataset, organisation: Organisation) -> None:
    """The facts of one organisation's register, summarised from its rows in the database
    just as an import summarises a file: per month and combination of categories."""
    batch, _created = Batch.objects.get_or_create(
        dataset=dataset,
        checksum=f"register-{organisation.pk}",
        withdrawn_at=None,
        defaults={"organisation": organisation, "file_name": "Register",
                  "report": {"register": True}},
    )  # fmt: skip
    Fact.objects.filter(batch=batch).delete()

    def number(name: str) -> Any:
        return Cast(KT(f"values__{name}"), FloatField())

    expressions: dict[str, Any] = {}
    for column in dataset.columns_with_role("measure"):
        if column.get("ratio_of"):
            numerator, denominator = column["ratio_of"]
            value = number(numerator) / NullIf(number(denominator), Value(0.0))
        else:
            value = number(column["name"])
        expressions[dataset.slots[column["name"]]] = value
    categories = {
        dataset.slots[c["name"]]: Coalesce(
            KT(f"values__{c['name']}"), Value(""), output_field=CharField()
        )
        for c in dataset.columns_with_role("category")
    }
    groups = (
        RegisterRow.objects.filter(dataset=dataset, organisation=organisation)
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"),
                  **{f"key_{slot}": e for slot, e in categories.items()},
                  **{f"value_{slot}": e for slot, e in expressions.items()})
        .order_by()
        .values("year", "month", *(f"key_{slot}" for slot in categories))
        .annotate(
            rows=Count("pk"),
            **{slot: Sum(f"value_{slot}") for slot in expressions},
            **{f"k{slot[1:]}": Count(f"value_{slot}") for slot in expressions},
        )
    )  # fmt: skip
    facts = [
        Fact(
            batch=batch,
            dataset=dataset,
            organisation=organisation,
            **{key.removeprefix("key_"): value for key, value in group.items()},
        )
        for group in groups
    ]
    Fact.objects.bulk_create(facts)
    figures_changed()
    rows = RegisterRow.objects.filter(dataset=dataset, organisation=organisation).count()
    Batch.objects.filter(pk=batch.pk).update(rows_read=rows, rows_stored=rows, facts=len(facts))


def register_rows(
    dataset: Dataset, organisations: list[Organisation], year: int | None = None
) -> Any:
    """The rows of a register that belong to the given organisations, newest first."""
    rows = RegisterRow.objects.filter(dataset=dataset, organisation__in=organisations)
    if year:
        rows = rows.filter(date__year=year)
    return rows.select_related("organisation", "updated_by")


def register_summary(dataset: Dataset, organisations: list[Organisation]) -> dict[int, int]:
    """How many rows each year holds, for the organisations given."""
    counts = (
        RegisterRow.objects.filter(dataset=dataset, organisation__in=organisations)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
    )
    return {c["year"]: c["n"] for c in counts.filter(~Q(year=None))}
