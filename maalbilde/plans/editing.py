"""Editing a plan in the browser: each change is made to the plan file of the current
version, checked as any plan file is, and stored as a new version. Old versions stay as
they were, and a change made to a version that is no longer current is refused, so two
people editing at once cannot overwrite each other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from maalbilde.data.models import Dataset
from maalbilde.lib.norwegian import slug_of
from maalbilde.organisations.models import Organisation
from maalbilde.plans.export import plan_document, plan_yaml
from maalbilde.plans.files import (
    MEASURE_SEPARATOR,
    PlanDocument,
    PlanFileInvalid,
    Problem,
    parse_plan_file,
)
from maalbilde.plans.models import Plan
from maalbilde.plans.services import PlanImport, PlanImportRefused, plan_import

Change = Callable[[dict[str, Any]], None]


class PlanEditRefused(Exception):
    """The change cannot be stored; `problems` say why, in the user's language."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@transaction.atomic
def plan_edit(*, plan: Plan, based_on: int, change: Change, user: User | None) -> PlanImport:
    """Apply `change` to the plan file of version `based_on` (which must still be current)
    and store the result as a new version."""
    plan = _locked(plan)
    _refuse_stale(plan, based_on)
    document = _document(plan)
    change(document)
    return _store(document_text=plan_yaml(document), plan=plan, user=user)


@transaction.atomic
def plan_file_edit(*, plan: Plan, based_on: int, text: str, user: User | None) -> PlanImport:
    """Store a plan file written by hand as the plan's new version. The file changes the
    plan's own texts, goals, indicators, targets and initiatives; its owner, organisations
    and datasets are shared with other plans and stay as they are (an administrator changes
    them with `maalbilde plan import`)."""
    plan = _locked(plan)
    _refuse_stale(plan, based_on)
    submitted = _parsed(text, plan).data
    current = _parsed(plan_yaml(_document(plan)), plan).data
    shared = ("organisations", "datasets")
    if any(submitted[key] != current[key] for key in shared) or (
        submitted["plan"]["owner"] != current["plan"]["owner"]
    ):
        raise PlanEditRefused([_(
            "The plan's owner, organisations and datasets are shared with other plans and "
            "cannot be changed here; an administrator changes them with a plan file import."
        )])  # fmt: skip
    return _store(document_text=text, plan=plan, user=user)


def _locked(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=plan.pk)
    )


def _refuse_stale(plan: Plan, based_on: int) -> None:
    if plan.current.number != based_on:
        raise PlanEditRefused(
            [
                _(
                    "The plan was changed (now version %(current)s) after you opened version "
                    "%(opened)s. Open it again and make your change there."
                )
                % {"current": plan.current.number, "opened": based_on}
            ]
        )


def _parsed(text: str, plan: Plan) -> PlanDocument:
    try:
        parsed = parse_plan_file(text.encode("utf-8"), source_name=f"{plan.slug}.yaml")
    except PlanFileInvalid as invalid:
        raise PlanEditRefused([_problem_text(p) for p in invalid.problems]) from None
    if parsed.slug != plan.slug:
        raise PlanEditRefused(
            [_("The file is for the plan “%(slug)s”, not this one.") % {"slug": parsed.slug}]
        )
    return parsed


def _document(plan: Plan) -> dict[str, Any]:
    """The current version as a plan document, with its organisations and datasets as they
    are now: other plans may have changed them since this version was stored, and an edit
    of this plan must not turn them back."""
    document = plan_document(plan.current)
    listed = {entry["slug"] for entry in document["organisations"]}
    organisations = Organisation.objects.filter(slug__in=listed).select_related("parent")
    now = {o.slug: o for o in organisations}
    for entry in document["organisations"]:
        if organisation := now.get(entry["slug"]):
            parent = organisation.parent.slug if organisation.parent else None
            entry.update(name=organisation.name, kind=organisation.kind,
                         description=organisation.description,
                         attributes=organisation.attributes,
                         parent=parent if parent in listed else entry["parent"])  # fmt: skip
    datasets = Dataset.objects.filter(slug__in=[d["slug"] for d in document["datasets"]])
    declared = {d.slug: d for d in datasets.select_related("organisation")}
    for entry in document["datasets"]:
        if dataset := declared.get(entry["slug"]):
            entry.update(name=dataset.name, description=dataset.description,
                         register=dataset.register, columns=dataset.columns,
                         organisation=dataset.organisation.slug if dataset.organisation else None,
                         organisation_column=dataset.organisation_column or None,
                         date_column=dataset.date_column)  # fmt: skip
    return document


def _store(*, document_text: str, plan: Plan, user: User | None) -> PlanImport:
    parsed = _parsed(document_text, plan)
    try:
        result = plan_import(document=parsed, user=user)
    except PlanImportRefused as refused:
        raise PlanEditRefused([str(refused)]) from None
    if result.outcome == "unchanged":
        raise PlanEditRefused([_("Nothing was changed, so no new version was made.")])
    return result


def _problem_text(problem: Problem) -> str:
    """A problem as a person reads it on a page: where in words, then what."""
    what = f"{problem.path}: {problem.message}" if problem.path else problem.message
    if problem.line is None:
        return what
    if problem.column is None:
        return _("Line %(line)s: %(problem)s") % {"line": problem.line, "problem": what}
    return _("Line %(line)s, column %(column)s: %(problem)s") % {
        "line": problem.line,
        "column": problem.column,
        "problem": what,
    }


def current_file(plan: Plan) -> str:
    """The current version as a plan file, for editing by hand."""
    return plan_yaml(_document(plan))


# --- changes ------------------------------------------------------------------------------


def _goals(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for area in document["focus_areas"]:
        yield from area["goals"]


def indicators_of(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for area in document["focus_areas"]:
        yield from area["indicators"]
        for goal in area["goals"]:
            yield from goal["indicators"]


def indicator_written(document: dict[str, Any], slug: str) -> dict[str, Any]:
    """An indicator as its file writes it, or another measure of one (kept as
    `<indicator>--<measure>`)."""
    parent, _separator, measure = slug.partition(MEASURE_SEPARATOR)
    indicator = _one(indicators_of(document), parent)
    return _one(iter(indicator.get("other_measures", [])), measure) if measure else indicator


def _one(items: Iterator[dict[str, Any]], slug: str) -> dict[str, Any]:
    found = next((item for item in items if item["slug"] == slug), None)
    if found is None:
        raise PlanEditRefused([_("The plan has nothing called “%(slug)s”.") % {"slug": slug}])
    return found


def texts_change(**texts: str) -> Change:
    """The plan's title, introduction, vision and mission."""

    def change(document: dict[str, Any]) -> None:
        document["plan"].update(texts)

    return change


def goal_change(slug: str, *, title: str, description: str) -> Change:
    def change(document: dict[str, Any]) -> None:
        goal = _one(_goals(document), slug)
        goal.update(title=title, description=description)

    return change


def goal_add(focus_area: str, *, title: str, description: str) -> Change:
    """A new goal at the end of a focus area, its slug made from its title."""

    def change(document: dict[str, Any]) -> None:
        area = _one(iter(document["focus_areas"]), focus_area)
        taken = {g["slug"] for g in _goals(document)}
        area["goals"].append(
            {"slug": _free_slug(title, taken), "title": title, "description": description}
        )

    return change


def indicator_change(
    slug: str, *, name: str, description: str, targets: list[dict[str, Any]]
) -> Change:
    """An indicator's name and description, and its targets as a whole."""

    def change(document: dict[str, Any]) -> None:
        indicator_written(document, slug).update(
            name=name, description=description, targets=targets
        )

    return change


def indicator_add(goal: str, *, name: str, unit: str, direction: str) -> Change:
    """A new typed-in indicator under a goal, measuring it."""

    def change(document: dict[str, Any]) -> None:
        found = _one(_goals(document), goal)
        taken = {i["slug"] for i in indicators_of(document)}
        found["indicators"].append(
            {"slug": _free_slug(name, taken), "name": name, "unit": unit,
             "direction": direction, "measures": [goal]}
        )  # fmt: skip

    return change


def initiative_change(slug: str, *, status: str, responsible: str, due: str | None) -> Change:
    """An initiative's or milestone's status, who is responsible and when it is due."""

    def change(document: dict[str, Any]) -> None:
        initiatives = (i for goal in _goals(document) for i in goal["initiatives"])
        _one(initiatives, slug).update(status=status, responsible=responsible, due=due)

    return change


def _free_slug(text: str, taken: set[str]) -> str:
    base = slug_of(text) or "nytt"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
