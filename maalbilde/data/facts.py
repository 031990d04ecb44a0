"""Facts: a batch's rows summarised, and the days one batch replaces in another.

An import summarises its rows per organisation, day and combination of categories (kept
as Parquet beside the batch), and from those per month (the facts status reads). When a
file overlaps days an earlier batch holds, and the person chooses to replace them, the
earlier batch's facts are counted again from its days without those; withdrawing the
replacing batch counts them again with them. Status never reads the days, so it stays as
fast as facts per month make it.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet, Subquery

from maalbilde.data.models import (
    CATEGORY_SLOTS,
    MEASURE_SLOTS,
    Batch,
    BatchDay,
    DayFigures,
    Fact,
)

MEASURES = [f"m{i}" for i in range(1, MEASURE_SLOTS + 1)]
CATEGORIES = [f"c{i}" for i in range(1, CATEGORY_SLOTS + 1)]
COUNTS = [f"k{i}" for i in range(1, MEASURE_SLOTS + 1)]
FACT_COLUMNS = ["organisation_id", "year", "month", "rows", *CATEGORIES, *MEASURES, *COUNTS]
MONTH_KEYS = ["organisation_id", "year", "month", *CATEGORIES]


def summarise(checked: pl.DataFrame) -> pl.DataFrame:
    """One figure per organisation, day and combination of categories, in the slots the
    dataset uses: the others are added to the facts, not carried through the days."""
    categories = [c for c in CATEGORIES if c in checked.columns]
    measures = [m for m in MEASURES if m in checked.columns]
    return (
        checked.group_by(["organisation_id", "day", *categories])
        .agg(
            pl.len().cast(pl.Int64).alias("rows"),
            *(pl.col(m).sum() for m in measures),
            *(pl.col(m).count().cast(pl.Int64).alias(f"k{m[1:]}") for m in measures),
        )
        .with_columns(pl.col(categories).cast(pl.Categorical))
    )


def combine(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The days of several pieces of one file as one set, without a copy. A day at the edge
    of two pieces may stay in two rows: what counts is their sum."""
    return pl.concat(parts, rechunk=False)


def by_month(days: pl.DataFrame) -> pl.DataFrame:
    """Facts: the figures per organisation, month and combination of categories, in the
    order of those (the same figures are the same facts, row by row)."""
    keys = ["organisation_id", "year", "month", *(c for c in CATEGORIES if c in days.columns)]
    sums = [c for c in ["rows", *MEASURES, *COUNTS] if c in days.columns]
    facts = (
        days.lazy()
        .with_columns(pl.col("day").dt.year().cast(pl.Int32).alias("year"),
                      pl.col("day").dt.month().cast(pl.Int32).alias("month"))
        .group_by(keys)
        .agg(pl.col(sums).sum())
        .collect()
    )  # fmt: skip
    # Days are added in no fixed order; rounded, the same figures give the same facts (and
    # the same content hash) every time.
    facts = facts.with_columns(pl.col([m for m in MEASURES if m in facts.columns]).round(6))
    return (
        facts.with_columns(
            *(pl.lit("").alias(c) for c in CATEGORIES if c not in facts.columns),
            *(pl.lit(None, dtype=pl.Float64).alias(m) for m in MEASURES if m not in facts.columns),
            *(pl.lit(0, dtype=pl.Int64).alias(k) for k in COUNTS if k not in facts.columns),
        )
        .with_columns(pl.col(CATEGORIES).cast(pl.String))
        .select(FACT_COLUMNS)
        .sort(MONTH_KEYS)
    )


def store(batch: Batch, days: pl.DataFrame, facts: pl.DataFrame) -> None:
    """Store a new batch's figures: its days (the Parquet and one row per organisation and
    day) and its facts (`by_month(days)`)."""
    buffer = io.BytesIO()
    days.write_parquet(buffer, compression="zstd")
    DayFigures.objects.create(batch=batch, parquet=buffer.getvalue())
    covered = days.select("organisation_id", "day").unique()
    BatchDay.objects.bulk_create(
        (BatchDay(batch=batch, organisation_id=organisation, day=day)
         for organisation, day in covered.iter_rows()),
        batch_size=2000,
    )  # fmt: skip
    _store_facts(batch, facts)


def _store_facts(batch: Batch, facts: pl.DataFrame) -> None:
    columns = ["batch_id", "dataset_id", *FACT_COLUMNS]
    rows = [(batch.pk, batch.dataset_id, *values) for values in facts.iter_rows()]
    table = Fact._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows
            )


@dataclass(frozen=True)
class Overlap:
    """Days of one organisation that an earlier batch holds and a new file has too."""

    batch: int
    file_name: str
    organisation: str
    days: int
    first: datetime.date
    last: datetime.date


def _counting(dataset_id: int) -> QuerySet[BatchDay]:
    """The days the dataset's active batches count (not replaced by another batch)."""
    return BatchDay.objects.filter(batch__dataset=dataset_id, batch__withdrawn_at__isnull=True,
                                   replaced_by__isnull=True)  # fmt: skip


def overlapping(batch: Batch) -> QuerySet[BatchDay]:
    """The days that other active batches of the dataset count, and the batch has too."""
    same_day = BatchDay.objects.filter(
        batch=batch, organisation=OuterRef("organisation"), day=OuterRef("day")
    )
    return _counting(batch.dataset_id).exclude(batch=batch).filter(Exists(same_day))


def overlaps_of(days: QuerySet[BatchDay], by: str = "batch") -> list[Overlap]:
    """The days per batch (`by`: the batch they belong to, or `replaced_by`) and
    organisation, with the first and the last."""
    grouped = (
        days.values(f"{by}_id", f"{by}__file_name", "organisation__name")
        .annotate(count=Count("pk"), first=Min("day"), last=Max("day"))
        .order_by(f"{by}_id", "organisation__name")
    )
    return [
        Overlap(g[f"{by}_id"], g[f"{by}__file_name"], g["organisation__name"], g["count"],
                g["first"], g["last"])
        for g in grouped
    ]  # fmt: skip


def replace_days(batch: Batch, days: QuerySet[BatchDay]) -> None:
    """The given days of earlier batches stop counting: `batch` counts them now."""
    earlier = set(days.values_list("batch_id", flat=True))
    BatchDay.objects.filter(pk__in=days.values("pk")).update(replaced_by=batch)
    for owner in earlier:
        _count_again(owner)


def restore_days(batch: Batch) -> list[int]:
    """After `batch` is withdrawn, the days it replaced count again in their own batches,
    except those another active batch counts now (they stay replaced, by that one).
    Returns the batches whose facts changed."""
    freed = BatchDay.objects.filter(replaced_by=batch)
    holder = (
        _counting(batch.dataset_id)
        .filter(organisation=OuterRef("organisation"), day=OuterRef("day"))
        .exclude(batch=OuterRef("batch"))
        .exclude(batch=batch)
    )
    freed.filter(Exists(holder)).update(replaced_by=Subquery(holder.values("batch_id")[:1]))
    owners = set(freed.values_list("batch_id", flat=True))
    freed.update(replaced_by=None)
    changed = sorted(Batch.objects.active().filter(pk__in=owners).values_list("pk", flat=True))
    for owner in changed:
        _count_again(owner)
    return changed


def _count_again(batch_id: int) -> None:
    """A batch's facts counted again from its days, leaving out those replaced."""
    batch = Batch.objects.get(pk=batch_id)
    if batch.withdrawn_at is not None:  # its facts are gone and stay gone
        return
    days = pl.read_parquet(io.BytesIO(bytes(DayFigures.objects.get(batch=batch).parquet)))
    replaced = pl.DataFrame(
        list(BatchDay.objects.filter(batch=batch, replaced_by__isnull=False)
             .values_list("organisation_id", "day")),
        schema={"organisation_id": days.schema["organisation_id"], "day": pl.Date},
        orient="row",
    )  # fmt: skip
    facts = by_month(days.join(replaced, on=["organisation_id", "day"], how="anti"))
    Fact.objects.filter(batch=batch).delete()
    _store_facts(batch, facts)
    Batch.objects.filter(pk=batch.pk).update(facts=facts.height)


def replacements(batch: Batch) -> tuple[list[Overlap], list[Overlap]]:
    """The days `batch` took over from earlier batches, and its own days that later
    batches took over (by the batch that did)."""
    took = overlaps_of(BatchDay.objects.filter(replaced_by=batch))
    lost = overlaps_of(BatchDay.objects.filter(batch=batch, replaced_by__isnull=False),
                       by="replaced_by")  # fmt: skip
    return took, lost
