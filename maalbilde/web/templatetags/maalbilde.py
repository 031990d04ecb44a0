from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from maalbilde.plans.status import format_value

register = template.Library()

# Each verdict has a sign and a word: colour is never the only cue.
VERDICTS = {
    "met": ("✔", _("Met")),
    "on_track": ("➚", _("On track")),
    "at_risk": ("⚠", _("At risk")),
    "behind": ("✖", _("Behind")),
    "no_data": ("–", _("No data")),
}


@register.filter
def lookup(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.inclusion_tag("web/verdict.html")
def verdict(name: str, count: int | None = None) -> dict[str, Any]:
    sign, word = VERDICTS[name]
    return {"name": name, "sign": sign, "word": word, "count": count}


@register.simple_tag
def figure(value: float | None, unit: str, comparator: str = "") -> str:
    return format_value(value, unit, growth=comparator == "growth_at_least")


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def place(benchmark: Any, dimension: str) -> str:
    """Where a member's own figure lies among its peers in a grouping."""
    return benchmark.place(dimension)
