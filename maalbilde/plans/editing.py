"""Editing a plan in the browser: each change is made to the plan file of the current
version, checked as any plan file is, and stored as a new version. Old versions stay as
they were, and a change made to a version that is no longer current is refused, so two
people editing at once cannot overwrite each other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maalbilde.plans.export import plan_document, plan_export_yaml, plan_yaml
from maalbilde.plans.files import PlanFileInvalid, Problem, parse_plan_file
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
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=plan.pk)
    )
    _refuse_stale(plan, based_on)
    document = plan_document(plan.current_version)
    change(document)
    return _store(document_text=plan_yaml(document), plan=plan, user=user)


@transaction.atomic
def plan_file_edit(*, plan: Plan, based_on: int, text: str, user: User | None) -> PlanImport:
    """Store a plan file written by hand as the plan's new version. The file must keep the
    plan's slug: a different slug would be another plan."""
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=plan.pk)
    )
    _refuse_stale(plan, based_on)
    return _store(document_text=text, plan=plan, user=user)


def _refuse_stale(plan: Plan, based_on: int) -> None:
    if plan.current_version.number != based_on:
        raise PlanEditRefused(
            [
                _(
                    "The plan was changed (now version %(current)s) after you opened version "
                    "%(opened)s. Open it again and make your change there."
                )
                % {"current": plan.current_version.number, "opened": based_on}
            ]
        )


def _store(*, document_text: str, plan: Plan, user: User | None) -> PlanImport:
    try:
        parsed = parse_plan_file(document_text.encode("utf-8"), source_name=f"{plan.slug}.yaml")
    except PlanFileInvalid as invalid:
        raise PlanEditRefused([_problem_text(p) for p in invalid.problems]) from None
    if parsed.slug != plan.slug:
        raise PlanEditRefused(
            [_("The file is for the plan “%(slug)s”, not this one.") % {"slug": parsed.slug}]
        )
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
    return _("Line %(line)s, column %(column)s: %(problem)s") % {
        "line": problem.line,
        "column": problem.column,
        "problem": what,
    }


def current_file(plan: Plan) -> str:
    """The current version as a plan file, for editing by hand."""
    return plan_export_yaml(plan.current_version)


# --- changes ------------------------------------------------------------------------------


def _goals(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for area in document["focus_areas"]:
        yield from area["goals"]


def indicators_of(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for area in document["focus_areas"]:
        yield from area["indicators"]
        for goal in area["goals"]:
            yield from goal["indicators"]


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
        indicator = _one(indicators_of(document), slug)
        indicator.update(name=name, description=description, targets=targets)

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
    # Norwegian letters written out, as Norwegians do in web addresses (æ → ae, ø → o, å → a);
    # dashes between numbers ("13–19") kept apart.
    letters = {"æ": "ae", "ø": "o", "å": "a", "–": "-", "—": "-"}
    spelled = text.lower().translate(str.maketrans(letters))
    base = slugify(spelled)[:60].strip("-") or "nytt"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
