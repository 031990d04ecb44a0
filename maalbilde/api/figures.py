"""Indicators and their figures, batches and register rows: read as the caller sees them, and
written through the services the pages use — a register row added or corrected, a figure
typed in for an indicator that is not counted from data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from maalbilde.api.auth import recorded_as, require_scope, require_writer
from maalbilde.api.data import as_written, dataset_of, within
from maalbilde.api.plans import readable_plan
from maalbilde.api.problems import Problem, problems, refusal
from maalbilde.data.models import Batch, Dataset, RegisterRow
from maalbilde.data.registers import (
    RegisterRefused,
    register_columns,
    register_row_remove,
    register_row_save,
)
from maalbilde.organisations.models import ApiToken, Organisation
from maalbilde.plans.engine import Engine
from maalbilde.plans.observations import ObservationRefused, observation_save
from maalbilde.reports.seen import figures_seen_by

router = Router(tags=["figures"])


# A cell or figure as the forms and the importer read it; a JSON number is written so.
Written = Annotated[str, BeforeValidator(as_written, json_schema_input_type=str | float | None)]

# A figure typed in: a text of at most 50 characters, or a JSON number no figure exceeds
# (written out, a larger one would pass the 50 characters the text may have).
FIGURE_CHARACTERS = 50
MOST_FIGURE = 10**15


def _figure_written(value: str | float | None) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not value <= MOST_FIGURE:
            raise PydanticCustomError("less_than_equal", "", {"le": MOST_FIGURE})
        if not value >= -MOST_FIGURE:
            raise PydanticCustomError("greater_than_equal", "", {"ge": -MOST_FIGURE})
    return as_written(value)


FigureWritten = Annotated[
    str,
    BeforeValidator(
        _figure_written,
        json_schema_input_type=Annotated[str, Field(max_length=FIGURE_CHARACTERS)]
        | Annotated[float, Field(ge=-MOST_FIGURE, le=MOST_FIGURE)]
        | None,
    ),
]


class IndicatorOut(Schema):
    slug: str
    name: str
    unit: str
    focus_area: str | None
    goal: str | None
    counted: bool = Field(description="Counted from data (true) or typed in (false).")


class PointOut(Schema):
    organisation: str
    year: int
    value: float


class BatchOut(Schema):
    id: int
    dataset: str
    organisation: str
    file_name: str
    rows_stored: int
    created_at: datetime
    withdrawn_at: datetime | None


class RowOut(Schema):
    id: int
    organisation: str
    date: date
    values: dict[str, Any]


class RowIn(Schema):
    organisation: str = Field(max_length=80)
    cells: dict[str, Written] = Field(
        description="Each column's value by column name: as written (12 000, 01.02.2026) or "
                    "a number.")  # fmt: skip


class FigureIn(Schema):
    organisation: str = Field(max_length=80)
    year: int = Field(ge=1900, le=2200)
    month: int = Field(0, ge=0, le=12, description="0: the whole year.")
    value: FigureWritten = Field(
        max_length=FIGURE_CHARACTERS, description="As written (1 200, 80 %, 12,5) or a number."
    )
    comment: str = Field("", max_length=2000)


def _seen_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or slug not in figures_seen_by(request.user):
        raise Problem(404, _("Not found"))
    return organisation


@router.get("/plans/{slug}/indicators", response=list[IndicatorOut],
            summary="A plan's indicators", openapi_extra=problems(403, 404))  # fmt: skip
def indicator_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    version = readable_plan(request, slug).current_version
    return [{"slug": i.slug, "name": i.name, "unit": i.unit,
             "focus_area": i.focus_area.slug if i.focus_area else None,
             "goal": i.goal.slug if i.goal else None, "counted": bool(i.metric or i.formula)}
            for i in version.indicators.select_related("focus_area", "goal")]  # fmt: skip


@router.get("/plans/{slug}/indicators/{indicator}/series", response=list[PointOut],
            summary="An indicator's figure each year, for the organisations the caller sees",
            openapi_extra=problems(403, 404))  # fmt: skip
def indicator_series(
    request: HttpRequest, slug: str, indicator: str, first: int | None = None,
    last: int | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    version = readable_plan(request, slug).current_version
    engine = Engine.for_version(version)
    if indicator not in engine.indicators:
        raise Problem(404, _("Not found"))
    first = max(first if first is not None else version.start_year, version.start_year - 10)
    last = min(last if last is not None else version.end_year, version.end_year)
    if first > last:
        return []
    seen = figures_seen_by(request.user)
    roots = list(Organisation.objects.filter(path__startswith=version.owner.path, slug__in=seen))
    slugs = {o.pk: o.slug for o in roots}
    values = engine.values(indicator, roots, first, last)
    return [
        {"organisation": slugs[key[0]], "year": key[1], "value": value}
        for key, value in sorted(values.items())
        if len(key) == 2 and key[0] in slugs
    ]


@router.get("/batches", response=list[BatchOut], summary="Imported batches, the latest first",
            openapi_extra=problems(403))  # fmt: skip
@paginate(PageNumberPagination, page_size=100)
def batch_list(request: HttpRequest, dataset: str | None = None) -> Any:
    require_scope(request, ApiToken.Scope.READ)
    batches = Batch.objects.filter(organisation__slug__in=figures_seen_by(request.user))
    if dataset:
        batches = batches.filter(dataset__slug=dataset)
    return [{"id": b.pk, "dataset": b.dataset.slug, "organisation": b.organisation.slug,
             "file_name": b.file_name, "rows_stored": b.rows_stored, "created_at": b.created_at,
             "withdrawn_at": b.withdrawn_at}
            for b in batches.select_related("dataset", "organisation").order_by("-pk")]  # fmt: skip


@router.get("/datasets/{slug}/rows", response=list[RowOut], summary="A register's rows",
            openapi_extra=problems(403, 404))  # fmt: skip
@paginate(PageNumberPagination, page_size=100)
def register_rows(request: HttpRequest, slug: str, organisation: str | None = None) -> Any:
    require_scope(request, ApiToken.Scope.READ)
    dataset, _owners = dataset_of(request, slug, register=True)
    rows = RegisterRow.objects.filter(
        dataset=dataset, organisation__slug__in=figures_seen_by(request.user)
    )
    if organisation:
        rows = rows.filter(organisation__slug=organisation)
    return [{"id": r.pk, "organisation": r.organisation.slug, "date": r.date, "values": r.values}
            for r in rows.select_related("organisation").order_by("-date", "-pk")]  # fmt: skip


@router.post("/datasets/{slug}/rows", response={201: RowOut}, summary="Add a register row",
             openapi_extra=problems(403, 404))  # fmt: skip
def register_row_add(request: HttpRequest, slug: str, row: RowIn) -> Status:
    dataset, owners = dataset_of(request, slug, register=True)
    return Status(201, _row_saved(request, dataset, owners, row))


@router.put("/datasets/{slug}/rows/{row_id}", response=RowOut, summary="Correct a register row",
            openapi_extra=problems(403, 404))  # fmt: skip
def register_row_correct(request: HttpRequest, slug: str, row_id: int, row: RowIn) -> dict:
    dataset, owners = dataset_of(request, slug, register=True)
    return _row_saved(request, dataset, owners, row, _row_written(request, dataset, row_id))


@router.delete("/datasets/{slug}/rows/{row_id}", response={204: None},
               summary="Remove a register row", openapi_extra=problems(403, 404))  # fmt: skip
def register_row_delete(request: HttpRequest, slug: str, row_id: int) -> Status:
    dataset, _owners = dataset_of(request, slug, register=True)
    found = _row_written(request, dataset, row_id)
    user, recording = recorded_as(request)
    with recording:
        register_row_remove(row=found, user=user)
    return Status(204, None)


def _row_written(request: HttpRequest, dataset: Dataset, row_id: int) -> RegisterRow:
    """A row of the register the caller may change: one of an organisation whose figures
    they see (another's is not there), for which they may enter figures."""
    found = (
        RegisterRow.objects.select_related("organisation")
        .filter(pk=row_id, dataset=dataset, organisation__slug__in=figures_seen_by(request.user))
        .first()
    )
    if found is None:
        raise Problem(404, _("Not found"))
    require_writer(request, found.organisation)
    return found


def _row_saved(
    request: HttpRequest, dataset: Dataset, owners: list[str], row: RowIn,
    written: RegisterRow | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A row added, or corrected (`written`), through the service the register's page uses,
    for an organisation of the register's plans that the caller enters figures for."""
    organisation = _seen_organisation(request, row.organisation)
    if not within(organisation, owners):
        raise Problem(
            404,
            _("Not found"),
            _("“%(slug)s” is not an organisation of the plans that keep this register.")
            % {"slug": row.organisation},
        )
    require_writer(request, organisation)
    columns = {c["name"] for c in register_columns(dataset)}
    unknown = {name: _("the register has no column “%(name)s”; its columns are %(columns)s")
               % {"name": name[:80], "columns": ", ".join(sorted(columns))}
               for name in row.cells if name not in columns}  # fmt: skip
    if unknown:
        raise refusal(_("Nothing was stored"), unknown, "cells")
    user, recording = recorded_as(request)
    try:
        with recording:
            saved = register_row_save(dataset=dataset, organisation=organisation,
                                      cells=row.cells,
                                      row=written, user=user)  # fmt: skip
    except RegisterRefused as refused:
        raise refusal(_("Nothing was stored"), refused.errors, "cells") from None
    return {"id": saved.pk, "organisation": organisation.slug, "date": saved.date,
            "values": saved.values}  # fmt: skip


@router.post("/plans/{slug}/indicators/{indicator}/figures", response={201: dict[str, Any]},
             summary="Type in a figure", openapi_extra=problems(403, 404))  # fmt: skip
def figure_add(request: HttpRequest, slug: str, indicator: str, figure: FigureIn) -> Status:
    plan = readable_plan(request, slug, scope=ApiToken.Scope.IMPORT)
    if not plan.current_version.indicators.filter(slug=indicator).exists():
        raise Problem(404, _("Not found"), _("The plan has no indicator “%(slug)s”.")
                      % {"slug": indicator[:80]})  # fmt: skip
    organisation = _seen_organisation(request, figure.organisation)
    require_writer(request, organisation)
    user, recording = recorded_as(request)
    try:
        with recording:
            saved = observation_save(plan=plan, indicator_slug=indicator,
                                     organisation=organisation, year=figure.year,
                                     month=figure.month, text=figure.value,
                                     comment=figure.comment, user=user, source="API")  # fmt: skip
    except ObservationRefused as refused:
        raise Problem(422, _("Nothing was stored"), str(refused)) from None
    return Status(
        201,
        {
            "indicator": indicator,
            "organisation": organisation.slug,
            "year": saved.year,
            "month": saved.month,
            "value": saved.value,
        },
    )
