"""A plan drafted from the strategy an organisation already has: an administrator uploads the
document (or pastes its text), sees the text beside the structure Målbilde read from it,
corrects titles, numbers, kinds and which indicator each target belongs to, and saves it as a
new plan through the plan import. Until then the draft lives in the person's session only."""

import copy
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalbilde.lib.documents import DocumentInvalid
from maalbilde.lib.norwegian import parse_number
from maalbilde.organisations.models import Organisation, Role
from maalbilde.organisations.permissions import has_role
from maalbilde.organisations.tree import entries_above_and_of
from maalbilde.plans.draft.building import (
    KINDS,
    draft_import,
    plan_draft,
    target_entry,
    target_kind,
    target_year,
)
from maalbilde.plans.draft.text import MOST_CHARACTERS, DocumentRefused, document_text
from maalbilde.plans.models import Indicator
from maalbilde.plans.services import PlanImportRefused

SESSION_KEY = "plan-draft"
# The document's text shown beside the draft: a strategy's worth.
SHOWN_CHARACTERS = 300_000


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("The strategy document (PDF, Word or text)"), required=False
    )
    text = forms.CharField(label=gettext_lazy("… or its text, pasted"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=MOST_CHARACTERS)  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("document") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Choose the document, or paste its text."))
        return cleaned


def _administered(request: HttpRequest, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not has_role(request.user, organisation, Role.ADMINISTRATOR):
        raise PermissionDenied
    return organisation


def plan_draft_start(request: HttpRequest, slug: str) -> HttpResponse:
    # Who may draft is known before the body (the document) is read.
    organisation = _administered(request, slug)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            if upload:
                text = document_text(upload.read(), upload.name)
            else:
                text = document_text(form.cleaned_data["text"].encode("utf-8"), "text.txt")
            draft = plan_draft(text, owner=organisation.slug, owner_name=organisation.name,
                               known=entries_above_and_of(organisation),
                               file_name=upload.name if upload else "")  # fmt: skip
        except DocumentRefused as refused:
            form.add_error(None, refused.message)
        else:
            # One draft a session; its id in the review form tells a page of an older draft
            # (another tab) from this one.
            request.session[SESSION_KEY] = {
                "id": uuid.uuid4().hex, "organisation": organisation.slug, "data": draft.data,
                "text": text[:SHOWN_CHARACTERS], "unplaced": draft.unplaced,
                "counts": draft.counts, "yaml": draft.yaml,
            }  # fmt: skip
            return redirect("web:plan-draft-review", slug=organisation.slug)
    return render(request, "web/plan_draft_start.html",
                  {"organisation": organisation, "form": form})  # fmt: skip


def plan_draft_review(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _administered(request, slug)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored["organisation"] != organisation.slug:
        messages.info(request, _("Upload the document first."))
        return redirect("web:plan-draft", slug=organisation.slug)
    if request.GET.get("format") == "yaml":
        response = HttpResponse(stored["yaml"], content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="plan-draft.yaml"'
        return response
    data = stored["data"]
    problems: list[str] = []
    if request.method == "POST" and request.POST.get("draft") != stored.get("id"):
        messages.error(request, _("The page you sent was of an older draft, replaced since by "
                                  "the one below (uploaded in another tab or window). Nothing "
                                  "was stored."))  # fmt: skip
        return redirect("web:plan-draft-review", slug=organisation.slug)
    if request.method == "POST" and request.POST.get("action") == "discard":
        del request.session[SESSION_KEY]
        messages.success(request, _("The draft is discarded; nothing was stored."))
        return redirect("web:organisation", slug=organisation.slug)
    if request.method == "POST":
        corrected, problems = _corrected(data, request.POST)
        if not problems:
            try:
                saved = draft_import(data=corrected, user=request.user)
            except DocumentInvalid as invalid:
                problems = [str(problem) for problem in invalid.problems]
            except PlanImportRefused as refused:
                problems = [str(refused)]
            else:
                del request.session[SESSION_KEY]
                messages.success(request, _("The plan “%(title)s” is stored as a draft.")
                                 % {"title": saved.version.title})  # fmt: skip
                return redirect("web:plan-detail", slug=saved.plan.slug)
    # After a problem the page shows what the person sent, as they sent it, beside the message.
    sent = request.POST if problems else QueryDict()
    known = set(Organisation.objects.filter(slug__in=[o["slug"] for o in data["organisations"]])
                .values_list("slug", flat=True))  # fmt: skip
    return render(request, "web/plan_draft_review.html", {
        "organisation": organisation, "draft": stored, "areas": _areas(data, sent),
        "organisations": [(o["slug"], o["name"]) for o in data["organisations"]],
        "new_organisations": [o["name"] for o in data["organisations"] if o["slug"] not in known],
        "indicators": [(f"{i}-{k}", ind["name"]) for i, area in enumerate(data["focus_areas"])
                       for k, ind in enumerate(area.get("indicators", []))],
        "kinds": [(kind, KIND_WORDS[kind]) for kind in KINDS], "problems": problems,
        "units": Indicator.Unit.choices, "lines": stored["text"].split("\n"),
        "plan": data["plan"], "title": sent.get("plan-title", data["plan"]["title"]),
        "start_year": sent.get("plan-start", data["plan"]["start_year"]),
        "end_year": sent.get("plan-end", data["plan"]["end_year"]),
    }, status=422 if problems else 200)  # fmt: skip


KIND_WORDS = {
    "level_by": gettext_lazy("a level to reach by the year"),
    "floor": gettext_lazy("at least, every year"),
    "ceiling": gettext_lazy("at most, every year"),
    "total": gettext_lazy("a total by the year"),
    "growth": gettext_lazy("growth in per cent, every year"),
    "change_by": gettext_lazy("a change in per cent by the year"),
}


def _areas(data: dict[str, Any], sent: Any) -> list[dict[str, Any]]:
    """The draft as the review page lists it, with each field's name and value: as stored,
    or as the person sent it (`sent`, after a problem), and whether they left it out."""

    def field(name: str, stored: Any) -> dict[str, Any]:
        return {"name": name, "text": sent.get(name, stored), "out": f"{name}-remove" in sent}

    areas = []
    for i, area in enumerate(data["focus_areas"]):
        indicators = []
        for k, indicator in enumerate(area.get("indicators", [])):
            targets = []
            for t, target in enumerate(indicator.get("targets", [])):
                name = f"target-{i}-{k}-{t}"
                targets.append(field(name, "") | {
                    "value": sent.get(f"{name}-value", target["value"]),
                    "kind": sent.get(f"{name}-kind", target_kind(target)),
                    "year": sent.get(f"{name}-year", target_year(target) or ""),
                    "organisation": sent.get(f"{name}-organisation", target["organisation"]),
                    "indicator": sent.get(f"{name}-indicator", f"{i}-{k}"),
                })  # fmt: skip
            name = f"indicator-{i}-{k}"
            indicators.append(field(name, indicator["name"]) | {
                "unit": sent.get(f"{name}-unit", indicator.get("unit", "")),
                "targets": targets})  # fmt: skip
        goals = [field(f"goal-{i}-{j}", goal["title"]) | {
                     "milestones": [m for m in goal.get("initiatives", [])
                                    if m.get("kind") == "milestone"]}
                 for j, goal in enumerate(area.get("goals", []))]  # fmt: skip
        areas.append(
            field(f"area-{i}", area["title"])
            | {"kind": area.get("kind", "focus_area"), "goals": goals, "indicators": indicators}
        )
    return areas


def _corrected(data: dict[str, Any], sent: Any) -> tuple[dict[str, Any], list[str]]:
    """The draft with the person's corrections: titles and names, and each target's value,
    kind, year, organisation and indicator; without the areas, goals, indicators and targets
    they left out; and what cannot be read."""
    corrected = copy.deepcopy(data)
    problems: list[str] = []
    plan = corrected["plan"]
    plan["title"] = (sent.get("plan-title") or plan["title"]).strip()[:300]
    first = _year(sent.get("plan-start", plan["start_year"]))
    last = _year(sent.get("plan-end", plan["end_year"]))
    if first is None or last is None or first > last:
        problems.append(_("The plan's period: give two years, the first not after the last."))
    else:
        plan["start_year"], plan["end_year"] = first, last
    period = (plan["start_year"], plan["end_year"])
    organisations = {o["slug"]: o["name"] for o in corrected["organisations"]}
    moved: list[tuple[str, dict[str, Any]]] = []
    left_out: set[str] = {name for name in sent if name.endswith("-remove")}
    for i, area in enumerate(corrected["focus_areas"]):
        area["title"] = (sent.get(f"area-{i}") or area["title"]).strip()[:300]
        for j, goal in enumerate(area.get("goals", [])):
            goal["title"] = (sent.get(f"goal-{i}-{j}") or goal["title"]).strip()[:1000]
        for k, indicator in enumerate(area.get("indicators", [])):
            indicator["name"] = (sent.get(f"indicator-{i}-{k}") or indicator["name"]).strip()[:500]
            unit = sent.get(f"indicator-{i}-{k}-unit", indicator.get("unit"))
            if unit in Indicator.Unit.values:
                indicator["unit"] = unit
            kept = []
            for t, target in enumerate(indicator.get("targets", [])):
                name = f"target-{i}-{k}-{t}"
                if f"{name}-remove" in left_out:
                    continue
                value = parse_number(sent.get(f"{name}-value", str(target["value"])))
                kind = sent.get(f"{name}-kind", target_kind(target))
                written_year = (sent.get(f"{name}-year") or "").strip()
                year = _year(written_year) if written_year else None
                organisation = sent.get(f"{name}-organisation", target["organisation"])
                which = {"indicator": indicator["name"],
                         "organisation": organisations.get(organisation, organisation)}  # fmt: skip
                problem = None
                if value is None:
                    problem = _("“%(indicator)s”, %(organisation)s: the target's value is not a "
                                "number.")  # fmt: skip
                elif value < 0 and kind != "change_by":
                    problem = _("“%(indicator)s”, %(organisation)s: only a change may be below "
                                "zero.")  # fmt: skip
                elif kind not in KINDS or organisation not in organisations:
                    problem = _("“%(indicator)s”, %(organisation)s: choose the target's kind and "
                                "organisation from the lists.")  # fmt: skip
                elif written_year and (year is None or not period[0] <= year <= period[1]):
                    problem = _("“%(indicator)s”, %(organisation)s: the year must be one of the "
                                "plan's, %(first)s–%(last)s.")  # fmt: skip
                    which |= {"first": period[0], "last": period[1]}
                if problem:
                    problems.append(problem % which)
                    kept.append(target)
                    continue
                start = target.get("baseline") or {}
                entry = target_entry(kind, value, organisation, year, period, start.get("year"),
                                     start.get("value"))  # fmt: skip
                home = sent.get(f"{name}-indicator", f"{i}-{k}")
                if home == f"{i}-{k}":
                    kept.append(entry)
                else:
                    moved.append((home, entry))
            indicator["targets"] = kept
            if not kept:
                indicator.pop("targets")
    homes = {f"{i}-{k}": indicator for i, area in enumerate(corrected["focus_areas"])
             if f"area-{i}-remove" not in left_out
             for k, indicator in enumerate(area.get("indicators", []))
             if f"indicator-{i}-{k}-remove" not in left_out}  # fmt: skip
    for home, entry in moved:
        if home not in homes:
            problems.append(_("Choose the indicator of each target from the list, among those "
                              "not left out."))  # fmt: skip
            continue
        homes[home].setdefault("targets", []).append(entry)
    return _without(corrected, left_out), problems


def _year(written: Any) -> int | None:
    """A year as a person writes one ("2028"), or None."""
    text = str(written).strip()
    return int(text) if text.isdigit() and 1900 <= int(text) <= 2100 else None


def _without(data: dict[str, Any], left_out: set[str]) -> dict[str, Any]:
    """The draft less the areas, goals and indicators the person left out, and the links to
    the goals left out."""
    areas = []
    gone: set[str] = set()
    for i, area in enumerate(data["focus_areas"]):
        goals = area.get("goals", [])
        if f"area-{i}-remove" in left_out:
            continue
        gone |= {g["slug"] for j, g in enumerate(goals) if f"goal-{i}-{j}-remove" in left_out}
        area["goals"] = [g for g in goals if g["slug"] not in gone]
        area["indicators"] = [indicator for k, indicator in enumerate(area.get("indicators", []))
                              if f"indicator-{i}-{k}-remove" not in left_out]  # fmt: skip
        for indicator in area["indicators"]:
            measures = [slug for slug in indicator.pop("measures", []) if slug not in gone]
            if measures:
                indicator["measures"] = measures
        if not area["indicators"]:
            area.pop("indicators")
        areas.append(area)
    data["focus_areas"] = areas
    return data
