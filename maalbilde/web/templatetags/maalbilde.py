from typing import Any

from django import template
from django.forms import BaseForm
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from maalbilde.networks.models import Answer
from maalbilde.organisations.models import Role, size_group_label
from maalbilde.plans.status import format_value

register = template.Library()

# Each verdict has a sign and a word: colour is never the only cue.
VERDICTS = {
    "met": ("✔", _("Met")),
    "on_track": ("➚", _("On track")),
    "at_risk": ("⚠", _("At risk")),
    "behind": ("✖", _("Behind")),
    "not_met": ("✖", _("Not met")),
    "no_data": ("–", _("No data")),
}


@register.filter
def lookup(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def size_group(value: str) -> str:
    return size_group_label(value)


@register.inclusion_tag("web/error_summary.html", takes_context=True)
def error_summary(context: template.Context) -> dict[str, Any]:
    """What is wrong in every form on the page, each linked to its field, for the top of the
    page (the GOV.UK error summary): the page opens with focus on it after a failed form."""
    forms = {id(v): v for v in context.flatten().values() if isinstance(v, BaseForm)}
    problems = []
    for form in forms.values():
        if not form.is_bound or not form.errors:
            continue
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            target = form[name].id_for_label if field is not None else ""
            label = str(field.label) if field is not None and field.label else ""
            problems += [(target, label, str(error)) for error in errors]
    return {"problems": problems}


@register.filter
def answer_state(value: str) -> str:
    """An answer's state as people read it; "" is an answer not started."""
    return str(Answer.State(value).label) if value else str(_("not started"))


@register.filter
def is_in(item: Any, collection: Any) -> bool:
    return item in collection


@register.inclusion_tag("web/verdict.html")
def verdict(name: str, count: int | None = None) -> dict[str, Any]:
    sign, word = VERDICTS[name]
    return {"name": name, "sign": sign, "word": word, "count": count}


@register.simple_tag
def change(before: float, now: float, question: Any) -> str:
    """How a figure changed, with its sign: in percent of the earlier figure (+8 %); a
    percentage in percentage points, a scale in steps, where a percent of them means
    nothing."""
    difference = now - before
    if question.kind == "scale":
        amount = format_value(abs(difference), "count")
    elif question.unit == "percent":
        amount = _("%(points)s percentage points") % {
            "points": format_value(abs(difference), "count")}  # fmt: skip
    elif before:
        difference = difference / abs(before) * 100
        amount = format_value(abs(difference), "percent")
    else:
        return ""
    return ("+" if difference > 0 else "−" if difference < 0 else "±") + str(amount)


@register.filter
def kroner(amount: Any) -> str:
    """Money exactly: whole kroner without øre, else with two decimals (33 333,33 kr)."""
    if amount is None:
        return "–"
    places = 0 if amount == int(amount) else 2
    number = formats.number_format(amount, places, use_l10n=True, force_grouping=True)
    return f"{number}\u00a0kr" if translation.get_language() != "en" else f"NOK {number}"


@register.simple_tag
def figure(value: float | None, unit: str, comparator: str = "") -> str:
    return format_value(value, unit, growth=comparator == "growth_at_least")


# The names of what audit entries hold, for people.
AUDIT_KEYS = {
    "role": _("role"), "email": _("e-mail"), "new_account": _("new account"),
    "value": _("figure"), "comment": _("comment"), "rows": _("rows"), "facts": _("facts"),
    "state": _("state"), "organisation": _("organisation"), "indicator": _("indicator"),
    "verdict": _("assessment"), "text": _("text"), "public": _("public"),
}  # fmt: skip


@register.filter
def readable(value: Any) -> str:
    """What an audit entry held before or after, for people: "role: editor, comment: …"
    rather than the stored JSON; a role is named in the reader's language."""
    if isinstance(value, dict):
        return ", ".join(
            f"{AUDIT_KEYS.get(key, key)}: {readable(item)}" for key, item in value.items()
        )
    if isinstance(value, list):
        return "; ".join(readable(item) for item in value)
    if isinstance(value, str) and value in Role.values:
        return str(Role(value).label)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return "" if value is None else str(value)


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def place(benchmark: Any, dimension: str) -> str:
    """Where a member's own figure lies among its peers in a grouping."""
    return benchmark.place(dimension)


@register.filter
def notes_of(rows: Any) -> bool:
    """Whether any of the rows (a funding page's balances) has something to check."""
    return any(getattr(row, "notes", ()) for row in rows)
