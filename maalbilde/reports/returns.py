"""Official returns, mapped once: a return template lists an official form's fields in the
form's order and, for each plan, how each field is computed — a metric over a dataset or
register (as plan files write them), a plan indicator, or the sum of other fields. Filled
for an organisation and a year by the indicator engine, every field with its trail (which
files, how many of their rows counted); a field that cannot be filled says why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from maalbilde.lib.documents import Issue, checked_document
from maalbilde.organisations.models import Organisation
from maalbilde.organisations.permissions import paths_above
from maalbilde.plans.engine import Engine, metric_dataset, metric_value
from maalbilde.plans.models import Plan

SCHEMA_PATH = Path(__file__).with_name("schema") / "return-template.schema.json"
SHIPPED = Path(__file__).with_name("returns")


@cache
def return_template_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def parse_return_template(raw: bytes) -> dict[str, Any]:
    """A return template's data, checked; or DocumentInvalid with every problem."""
    return checked_document(
        raw, return_template_schema(), _("a return template"), _reference_issues
    )


def _reference_issues(data: dict[str, Any]) -> Iterator[Issue]:
    keys = [f["key"] for f in data["fields"]]
    for index, item in enumerate(data["fields"]):
        for name in item.get("sum", []):
            if name not in keys:
                yield Issue(("fields", index, "sum"), _("There is no field “%(key)s”.")
                            % {"key": name})  # fmt: skip
    for plan, sources in data.get("sources", {}).items():
        for key, source in sources.items():
            if key not in keys:
                yield Issue(("sources", plan, key), _("There is no field “%(key)s”.")
                            % {"key": key}, at_key=True)  # fmt: skip
            elif ("indicator" in source) == ("dataset" in source):
                yield Issue(("sources", plan, key), _(
                    "Say either which dataset (with an aggregate) or which indicator gives the "
                    "field."))  # fmt: skip


@cache
def shipped_returns() -> dict[str, dict[str, Any]]:
    found = [parse_return_template(p.read_bytes()) for p in sorted(SHIPPED.glob("*.yaml"))]
    return {template["slug"]: template for template in found}


def return_plan(template: dict[str, Any], organisation: Organisation) -> Plan | None:
    """The plan the template is mapped for that the organisation is in: one of its own or of
    an organisation above it (a member house reports from its network's plan)."""
    mapped = Plan.objects.filter(owner__path__in=paths_above(organisation.path),
                                 slug__in=list(template.get("sources", {})))  # fmt: skip
    return mapped.select_related("current_version").order_by("-owner__path").first()


@dataclass
class FieldValue:
    code: str
    key: str
    label: str
    unit: str
    value: float | None = None
    trail: list[str] = field(default_factory=list)
    missing: str = ""


def return_fill(
    template: dict[str, Any], plan: Plan, organisation: Organisation, year: int
) -> list[FieldValue]:
    """Every field of the form for the organisation (and those below it) and the year, in
    the form's order."""
    sources = template.get("sources", {}).get(plan.slug, {})
    values: dict[str, FieldValue] = {}
    engine = Engine.for_version(plan.current_version)
    for item in template["fields"]:
        found = FieldValue(item["code"], item["key"], item["label"], item.get("unit", "count"))
        source = sources.get(item["key"])
        if "sum" in item:
            continue
        if source is None:
            found.missing = _("The template does not say where %(plan)s keeps it.") % {
                "plan": plan.current_version.title}  # fmt: skip
        elif "indicator" in source:
            _from_indicator(found, engine, source["indicator"], organisation, year)
        else:
            _from_metric(found, source, organisation, year)
        values[item["key"]] = found
    for item in template["fields"]:
        if "sum" in item:
            values[item["key"]] = _sum_of(item, values)
    return [_in_unit(values[item["key"]]) for item in template["fields"]]


def _from_metric(found: FieldValue, source: dict[str, Any], organisation: Organisation,
                 year: int) -> None:  # fmt: skip
    dataset = metric_dataset(source)
    if dataset is None:
        found.missing = _(
            "The mapping names a dataset or column that is not there: %(source)s."
        ) % {"source": json.dumps(source, ensure_ascii=False)}
        return
    metric = {k: v for k, v in source.items() if k != "note"}
    metric.setdefault("aggregate", "sum")
    found.value, trail = metric_value(metric, dataset, organisation, year)
    what = (_("rows in %(dataset)s") if metric["aggregate"] == "count" else _(
        "the sum of “%(column)s” in %(dataset)s")) % {
        "column": metric.get("column", ""), "dataset": dataset.name}  # fmt: skip
    if metric.get("filters"):
        what += " " + _("where %(filters)s") % {"filters": "; ".join(
            _filter_words(f) for f in metric["filters"])}  # fmt: skip
    found.trail = [what] + [_("%(file)s: %(rows)s rows counted") % {"file": name, "rows": rows}
                            for name, rows in trail]  # fmt: skip
    if found.value is None:
        found.missing = _("No figures for %(year)s in %(dataset)s.") % {
            "year": year, "dataset": dataset.name}  # fmt: skip


def _filter_words(item: dict[str, Any]) -> str:
    column = item["column"]
    if "equals" in item:
        return f"{column} = {item['equals']}"
    if "not" in item:
        return f"{column} ≠ {item['not']}"
    chosen = ", ".join(map(str, item.get("in", item.get("not_in", []))))
    return f"{column} {'∉' if 'not_in' in item else '∈'} {{{chosen}}}"


def _from_indicator(found: FieldValue, engine: Engine, slug: str,
                    organisation: Organisation, year: int) -> None:  # fmt: skip
    if slug not in engine.indicators:
        found.missing = _("The plan has no indicator “%(slug)s”.") % {"slug": slug}
        return
    found.value = engine.values(slug, [organisation], year, year).get((organisation.pk, year))
    found.trail = [_("the plan's indicator “%(name)s”") % {"name": engine.indicators[slug].name}]
    if found.value is None:
        found.missing = _("The indicator has no figure for %(year)s.") % {"year": year}


def _sum_of(item: dict[str, Any], values: dict[str, FieldValue]) -> FieldValue:
    parts = [values[key] for key in item["sum"]]
    found = FieldValue(item["code"], item["key"], item["label"], item.get("unit", "count"))
    found.trail = [_("the sum of %(fields)s") % {"fields": " + ".join(p.code for p in parts)}]
    empty = [p.code for p in parts if p.value is None]
    if empty:
        found.missing = _("Needs %(fields)s, which cannot be filled.") % {
            "fields": ", ".join(empty)}  # fmt: skip
    else:
        found.value = sum(p.value or 0 for p in parts)
    return found


def _in_unit(found: FieldValue) -> FieldValue:
    """Thousands of kroner as the form asks, rounded half up, and said so."""
    if found.unit == "nok_thousands" and found.value is not None:
        found.value = float((Decimal(str(found.value)) / 1000).quantize(Decimal(1), ROUND_HALF_UP))
        found.trail.append(_("in thousands of kroner, rounded"))
    return found


def return_table(filled: list[FieldValue]) -> tuple[list[str], list[list[Any]]]:
    """The filled form as a table in the form's order, for XLSX or CSV."""
    header = [_("Field"), _("Label"), _("Value"), _("Source"), _("Not filled because")]
    return header, [[f.code, f.label, f.value, "; ".join(f.trail), f.missing] for f in filled]
