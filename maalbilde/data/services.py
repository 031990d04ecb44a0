"""Writes to activity data: declaring datasets, typed-in observations, the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from maalbilde.data.models import (
    CATEGORY_SLOTS,
    MEASURE_SLOTS,
    Dataset,
    FiguresGeneration,
)
from maalbilde.organisations.models import Organisation

# How long a result computed from the figures is kept: a change of figures makes a new key.
CACHE_SECONDS = 60 * 60
Computed = TypeVar("Computed")


class DatasetSlotsExhausted(Exception):
    pass


def dataset_declare(*, entry: dict[str, Any], organisation: Organisation | None) -> Dataset:
    """Create or update a dataset from its plan-file declaration, giving each new measure and
    category column a fact slot of its own. Slots of earlier columns stay taken, so facts
    already stored keep their meaning."""
    dataset = Dataset.objects.filter(slug=entry["slug"]).first() or Dataset(slug=entry["slug"])
    slots = dict(dataset.slots)
    for prefix, role, limit in (("m", "measure", MEASURE_SLOTS), ("c", "category", CATEGORY_SLOTS)):
        taken = {slot for slot in slots.values() if slot.startswith(prefix)}
        free = [f"{prefix}{i}" for i in range(1, limit + 1) if f"{prefix}{i}" not in taken]
        for column in entry["columns"]:
            key = column["name"]
            if column["role"] != role or slots.get(key, "").startswith(prefix):
                continue
            if not free:
                raise DatasetSlotsExhausted(
                    _(
                        "The dataset “%(slug)s” has no free place for the column “%(column)s”: "
                        "earlier columns keep theirs while data may refer to them."
                    )
                    % {"slug": entry["slug"], "column": key}
                )
            slots[key] = free.pop(0)
    dataset.name = entry["name"]
    dataset.description = entry["description"]
    dataset.organisation = organisation
    dataset.organisation_column = entry["organisation_column"] or ""
    dataset.register = entry["register"]
    dataset.date_column = entry["date_column"]
    dataset.columns = entry["columns"]
    dataset.slots = slots
    dataset.save()
    return dataset


def figures_changed() -> None:
    """Mark that figures changed; called inside the transaction that changes them, so the
    new generation is seen exactly when the new figures are."""
    if not FiguresGeneration.objects.filter(pk=1).update(number=F("number") + 1):
        FiguresGeneration.objects.get_or_create(pk=1, defaults={"number": 1})


def figures_generation() -> int:
    return FiguresGeneration.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def while_figures_stand(parts: tuple, compute: Callable[[], Computed]) -> Computed:
    """`compute()`, kept in the cache under `parts` and the language until the figures change
    (each process keeps its own; the generation, read from the database, keeps them true)."""
    key = ":".join(map(str, (*parts, translation.get_language(), figures_generation())))
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return found
