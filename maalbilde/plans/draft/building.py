"""The plan file drafted from a document's outline: focus areas, goals and indicators as the
document lists them, targets read from the goals' sentences and placed on the indicator of
the same focus area whose words they share, milestones from dated goals. Every guess is a
comment in the file, with the sentence it came from; what no rule could place is listed."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from maalbilde.lib.norwegian import slug_of
from maalbilde.organisations.audit import audit_record
from maalbilde.plans.draft.outline import Area, Item, Outline, outline_of
from maalbilde.plans.draft.sentences import (
    MilestoneGuess,
    TargetGuess,
    milestone_in,
    targets_in,
    unplaced_numbers,
)
from maalbilde.plans.draft.text import DocumentRefused
from maalbilde.plans.draft.writing import Commented, yaml_with_comments
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Plan
from maalbilde.plans.services import PlanImport, plan_import

# Words that say nothing about what is measured.
STOPWORDS = frozenset(
    re.findall(
        r"\S+",
        """
    og i på til for av med som er det den de å en et ei om år årlig årleg antall tal talet per
    hvert kvart alle skal vi me ha har være vere nye nytt ny økt øke auke oppnå nå minst innen
    innan mot fra frå sin sine sitt våre vår vårt
""",
    )
)
# Units say how, not what, is measured: "prosent" is no link between energy and sick leave.
UNIT_WORDS = frozenset({"prosent", "kroner", "millioner", "mill", "tusen"})
# A target goes on an indicator sharing at least this much with its goal (a word alike).
LEAST_SHARED = 0.5


@dataclass
class Draft:
    """The plan file as YAML, the document's text it came from, and what it could not place."""

    yaml: str
    data: dict[str, Any]
    text: str
    unplaced: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _words(text: str) -> dict[str, float]:
    """The words that say what a sentence is about, each with its weight: words in brackets
    are examples ("(butikk, utleie og arrangement)"), worth half."""
    weights: dict[str, float] = {}
    for part, weight in ((re.sub(r"\([^)]*\)", " ", text), 1.0),
                         (" ".join(re.findall(r"\(([^)]*)\)", text)), 0.5)):  # fmt: skip
        for word in re.findall(r"[a-zæøå]+", part.lower()):
            if len(word) >= 4 and word not in STOPWORDS and word not in UNIT_WORDS:
                weights[word] = max(weights.get(word, 0.0), weight)
    return weights


def _alike(one: str, other: str) -> float:
    """How alike two words are: the longest run of letters they share, of the shorter word's
    length and of the longer's, when it is at least five letters: a compound shares its
    parts ("registreringsetterslepet" holds "etterslep"), and the nearer spelling counts
    more ("billettinntektene" is nearer "billettinntekter" than "billetter")."""
    match = SequenceMatcher(None, one, other, autojunk=False).find_longest_match()
    if match.size < 5:
        return 0.0
    # A longer run says more: "ventetid" names the thing, "plass" is said of many.
    specific = min(1.0, match.size / 7)
    return (
        specific
        * (match.size / min(len(one), len(other)) + match.size / max(len(one), len(other)))
        / 2
    )


# What a kind of target is measured by: a growth by a rate of growth, a per cent by a share.
KIND_WORDS = {
    "growth": r"vekst|økning|auke|utvikling",
    "percent": r"prosent|andel|del\b|belegg|%",
    "sites": r"\bper\s+(?:avdeling|besøkssted|sted|scene|sal|hus|anlegg|museum)",
}


def _shared(item: str, candidate: str, kinds: tuple[str, ...] = ()) -> float:
    """How much two sentences share (see `_words`, `_alike`), and a word for each kind of
    target (`KIND_WORDS`)."""
    theirs = _words(candidate)
    score = sum(weight * max((_alike(word, other) * theirs[other] for other in theirs),
                             default=0.0)
                for word, weight in _words(item).items())  # fmt: skip
    lower = candidate.lower()
    words = [KIND_WORDS[kind] for kind in kinds if kind in KIND_WORDS]
    return score + sum(1.0 for pattern in words if re.search(pattern, lower))


def _unique(slug: str, taken: set[str]) -> str:
    slug = slug or "punkt"
    found, number = slug, 2
    while found in taken:
        found, number = f"{slug}-{number}", number + 1
    taken.add(found)
    return found


def _short_slug(text: str) -> str:
    words = [w for w in re.findall(r"[\wæøåÆØÅ]+", text) if w.lower() not in STOPWORDS]
    return slug_of(" ".join(words[:5]), 50)


def _unit_of(name: str) -> tuple[str, str | None]:
    """An indicator's unit from its name, and why, when it is a guess."""
    lower = name.lower()
    if re.search(r"\bprosent|%|\bandel\b|\bbelegg|^del(?:en)? av\b", lower):
        return "percent", "Enheten er gjettet som prosent ut fra navnet."
    if re.search(r"\bkwh\b", lower):
        return "kwh", None
    if re.search(r"tim(?:er|ar)\b", lower):
        return "hours", None
    if re.search(r"\bårsverk", lower):
        return "fte", None
    if re.search(r"\b(antall|tal på|talet på|mengd)", lower):
        return "count", None
    if re.search(r"\bkilo|\bkg\b|\btonn\b", lower):
        return "kg", None
    if re.search(
        r"\bkroner|\bkr\b|\bnok\b|\bomsetning|inntekt|inntening|inntjening|midlar|midler"
        r"|økonomisk uttelling",
        lower,
    ):
        return "nok", "Enheten er gjettet som kroner ut fra navnet."
    return "qualitative", (
        "Navnet sier ikke hva som telles; indikatoren er satt som kvalitativ (vurderes i ord). "
        "Sett en enhet om den skal telles."
    )


def plan_draft(
    text: str, *, owner: str = "", owner_name: str = "", file_name: str = "",
    known: list[dict[str, Any]] | None = None,
) -> Draft:  # fmt: skip
    """The plan file drafted from a strategy document's text (see the module's text), for
    the organisation `owner` (a slug) named `owner_name`; both guessed from the document's
    first sentence when not given. `known`: the owner and those above it as stored (their
    plan-file entries), written into the file as they are."""
    outline = outline_of(text)
    if not any(area.goals or area.indicators for area in outline.areas):
        raise DocumentRefused(_(
            "Målbilde found no goals in the document. It reads the goals from lists under the "
            "focus areas' headings, such as «Mål:» followed by one goal a line or a bullet; "
            "is the document a strategy written so?"))  # fmt: skip
    this_year = datetime.date.today().year
    owner_name = owner_name or outline.organisation or _owner_name(outline) or owner
    owner_name = owner_name or "Organisasjonen"
    owner = owner or slug_of(owner_name, 40) or "organisasjonen"
    unplaced: list[str] = []
    areas = sorted(outline.areas, key=lambda a: (not a.perspective, int(a.number or 99)))
    guesses = _with_sites({id(g): targets_in(g.text) for a in areas
                           for g in [*a.goals, *a.indicators]})  # fmt: skip
    deadlines = [t.deadline for found in guesses.values() for t in found if t.deadline]
    milestones = {id(g): milestone_in(g.text) for a in areas for g in [*a.goals, *a.indicators]}
    deadlines += [m.year for m in milestones.values() if m is not None]
    if outline.period and outline.period[1] >= this_year:
        first, last = outline.period
        period_note = f"GJETTET: planperioden {first}–{last} er lest fra dokumentet."
    else:
        first, last = this_year, max([this_year + 4, *deadlines])
        period_note = (f"GJETTET: Dokumentet oppgir ingen planperiode; perioden er satt til "
                       f"{first}–{last}, fra i år til den seneste fristen i målene.")  # fmt: skip
    sites: dict[str, str] = {}
    taken: set[str] = {owner}
    focus_areas = []
    counts = {"focus_areas": 0, "goals": 0, "indicators": 0, "targets": 0, "milestones": 0}
    for area in areas:
        focus_areas.append(_area(area, taken, guesses, milestones, sites, owner, (first, last),
                                 unplaced, counts))  # fmt: skip
    organisations: list[Any] = list(known or [{"slug": owner, "name": owner_name,
                                                "kind": "organisation"}])  # fmt: skip
    organisations += [
        Commented(
            {"slug": slug, "name": name, "kind": "site", "parent": owner},
            (f"GJETTET: «{name}» er et sted målene nevner; lagt under {owner_name}.",),
        )
        for slug, name in sites.items()
    ]
    plan: dict[str, Any] = {
        "slug": slug_of(f"strategiplan {owner_name}", 60),
        "title": outline.title
        or Commented(
            f"Strategiplan for {owner_name}",
            (
                "GJETTET: dokumentet har ingen tittellinje; tittelen er laget av organisasjonens "
                "navn.",
            ),
        ),
        "owner": owner,
        "start_year": Commented(first, (period_note,)),
        "end_year": last,
        "state": "draft",
    }
    if outline.introduction:
        plan["introduction"] = "\n\n".join(outline.introduction)
    if outline.vision:
        plan["vision"] = outline.vision
    if outline.mission:
        plan["mission"] = outline.mission
    if outline.values:
        plan["values"] = [{"name": name, "description": meaning} if meaning else {"name": name}
                          for name, meaning in outline.values]  # fmt: skip
    if outline.ambitions:
        plan["ambitions"] = outline.ambitions
    # A chapter with no text of its own ("3. INNSATSOMRÅDER" over the areas) is no section.
    sections = [
        {"number": s.number, "title": s.title, "text": "\n\n".join(s.paragraphs)}
        if s.number
        else {"title": s.title, "text": "\n\n".join(s.paragraphs)}
        for s in outline.sections
        if s.paragraphs
    ]
    if sections:
        plan["sections"] = sections
    data = {"format": "maalbilde-plan/1", "organisations": organisations, "plan": plan,
            "focus_areas": focus_areas}  # fmt: skip
    unplaced += [f"linje {item.line}: {item.text}" for item in outline.unplaced]
    counts["focus_areas"] = len(focus_areas)
    heading = [
        f"Utkast til planfil, laget av Målbilde fra {file_name or 'et strategidokument'}.",
        "Kommentarer som begynner med GJETTET sier hva som er gjettet og fra hvilken setning;",
        "se over dem før planen importeres (maalbilde plan validate, maalbilde plan import).",
        f"Funnet: innsatsområder {counts['focus_areas']}, mål {counts['goals']}, "
        f"indikatorer {counts['indicators']}, tallmål {counts['targets']}, "
        f"milepæler {counts['milestones']}.",
        *([("Ikke plassert:")] + [f"  {line}" for line in unplaced] if unplaced else []),
    ]  # fmt: skip
    return Draft(yaml_with_comments(data, heading), _plain(data), text, unplaced, counts)


def _with_sites(guesses: dict[int, list[TargetGuess]]) -> dict[int, list[TargetGuess]]:
    """The targets with their sites where the document names sites: a name is a site where a
    sentence sets a target for it beside another ("300 på Rockheim og 275 på Ringve"); alone
    ("12 000 gjenstander på DigitaltMuseum") it is where the thing is done, and the target
    is the whole organisation's."""
    places = {t.site for found in guesses.values() if len({t.site for t in found}) > 1
              for t in found if t.site}  # fmt: skip
    return {
        key: [
            t
            if t.site is None or t.site in places
            else dataclasses.replace(
                t,
                site=None,
                guesses=(
                    *t.guesses,
                    f"«{t.site}» er ikke lest som et sted: ingen setning "
                    "setter mål for det ved siden av et annet sted; målet gjelder hele "
                    "organisasjonen.",
                ),
            )
            for t in found
        ]
        for key, found in guesses.items()
    }


def _owner_name(outline: Outline) -> str:
    """The organisation the document is about: the subject of its first sentence."""
    first = next(iter(outline.introduction), "")
    found = re.match(r"^(?P<name>[A-ZÆØÅ][^.]{2,80}?)\s+(?:er|skal|har|vil)\s", first)
    return found.group("name").replace(" - ", " – ") if found else ""


def _area(
    area: Area, taken: set[str], guesses: dict[int, list[TargetGuess]],
    milestones: dict[int, MilestoneGuess | None], sites: dict[str, str], owner: str,
    period: tuple[int, int], unplaced: list[str], counts: dict[str, int],
) -> dict[str, Any]:  # fmt: skip
    goals: list[dict[str, Any]] = []
    goal_items: list[tuple[Item, dict[str, Any]]] = []
    for goal in area.goals:
        entry: dict[str, Any] = {"slug": _unique(_short_slug(goal.text), taken), "title": goal.text}
        goals.append(entry)
        goal_items.append((goal, entry))
    indicators: list[dict[str, Any]] = []
    indicator_items: list[tuple[Item, dict[str, Any]]] = []
    for indicator in area.indicators:
        unit, why = _unit_of(indicator.text)
        entry = {"slug": _unique(_short_slug(indicator.text), taken), "name": indicator.text,
                 "unit": Commented(unit, (f"GJETTET: {why}",)) if why else unit}  # fmt: skip
        measured = indicator.goal or _best(indicator, [g for g, _e in goal_items])
        if measured is not None:
            entry["measures"] = [next(e["slug"] for g, e in goal_items if g is measured)]
        indicators.append(entry)
        indicator_items.append((indicator, entry))
    counts["goals"] += len(goals)
    measured_by_targets: dict[int, list[str]] = {}
    counts["indicators"] += len(indicators)
    for source, found in [(g, guesses[id(g)]) for g in [*area.goals, *area.indicators]]:
        if found and found[0].everyone and not _measured_as_share(source, found[0],
                                                                  indicator_items):  # fmt: skip
            found = []  # "Alle … skal …" with no share to measure it: a milestone or nothing
        milestone = milestones[id(source)] if not found else None
        if milestone is not None:
            goal = _best(source, [g for g, _e in goal_items]) or (goal_items[0][0] if goal_items
                                                                  else None)  # fmt: skip
            if goal is not None:
                entry = next(e for g, e in goal_items if g is goal)
                entry.setdefault("initiatives", []).append(
                    Commented(
                        {"slug": _unique(_short_slug(milestone.title), taken)}
                        | _milestone(milestone, owner),
                        (_milestone_note(milestone),),
                    )
                )
                counts["milestones"] += 1
            continue
        if not found:
            numbers = unplaced_numbers(source.text)
            if numbers:
                unplaced.append(f"linje {source.line}: tallene {', '.join(numbers)} i "
                                f"«{source.text}» er ikke lest som tallmål")  # fmt: skip
            continue
        for guess in found:
            target_home = _target_home(source, guess, indicator_items)
            site = owner
            if guess.site:
                site = slug_of(guess.site, 40)
                sites.setdefault(site, guess.site)
            target = _target(guess, site, period)
            outside = guess.deadline and not period[0] <= guess.deadline <= period[1]
            comments = (f"GJETTET fra «{guess.sentence}»: {guess.kind}"
                        + (f", sted {guess.site}" if guess.site else "") + ".",
                        *[f"GJETTET: {g}" for g in guess.guesses],
                        *([f"GJETTET: Fristen {guess.deadline} ligger utenfor planperioden "
                           f"{period[0]}–{period[1]}; planens siste år er brukt."]
                          if outside else []))  # fmt: skip
            if target_home is None:
                unplaced.append(f"linje {source.line}: tallmålet {_number_text(guess)} i "
                                f"«{source.text}» har ingen indikator som måler det")  # fmt: skip
                continue
            home = target_home[1]
            if guess.kind not in ("growth", "change_by"):  # a rate of change has no unit
                home["unit"] = guess.unit
            if guess.lower_is_better:
                home["direction"] = Commented("decrease", (
                    f"GJETTET: lavere er bedre, fra «{guess.sentence}»; målet sammenlignes "
                    "med «høyst».",))  # fmt: skip
            home.setdefault("targets", []).append(Commented(target, comments))
            counts["targets"] += 1
            measured_goal = next((e["slug"] for g, e in goal_items if g is source), None)
            if measured_goal:
                measured_by_targets.setdefault(id(home), []).append(measured_goal)
    # An indicator holding a goal's targets measures that goal, whatever words they share.
    for _item, entry in indicator_items:
        if id(entry) in measured_by_targets:
            entry["measures"] = list(dict.fromkeys(measured_by_targets[id(entry)]))
    result: dict[str, Any] = {"slug": _unique(slug_of(area.title, 50), taken), "title": area.title}
    if area.number:
        result["number"] = area.number
    result["kind"] = "perspective" if area.perspective else "focus_area"
    if area.description:
        result["description"] = "\n\n".join(area.description)
    result["goals"] = goals
    if indicators:
        result["indicators"] = indicators
    if area.initiatives:
        first_goal = goals[0] if goals else None
        for initiative in area.initiatives:
            goal = _best(initiative, [g for g, _e in goal_items])
            entry = next((e for g, e in goal_items if g is goal), first_goal)
            if entry is None:
                unplaced.append(f"linje {initiative.line}: tiltaket «{initiative.text}» har "
                                f"intet mål")  # fmt: skip
                continue
            found: dict[str, Any] = {"slug": _unique(_short_slug(initiative.text), taken),
                                     "title": initiative.text}  # fmt: skip
            why = ["GJETTET: tiltaket er lagt under målet det deler flest ord med."]
            dated = milestone_in(initiative.text)  # "Ta i bruk nytt fjernmagasin innen 2027."
            if dated is not None:
                found |= _milestone(dated, owner)
                why.append(_milestone_note(dated))
                counts["milestones"] += 1
            entry.setdefault("initiatives", []).append(Commented(found, tuple(why)))
    return result


def _milestone(milestone: MilestoneGuess, owner: str) -> dict[str, Any]:
    """A milestone as the plan file writes an initiative of that kind, less its slug."""
    return {"title": milestone.title, "kind": "milestone", "due": f"{milestone.year}-12-31",
            "organisation": owner}  # fmt: skip


def _milestone_note(milestone: MilestoneGuess) -> str:
    return f"GJETTET: milepæl med frist {milestone.year} fra «{milestone.sentence}»."


def _best(item: Item, candidates: list[Item], kinds: tuple[str, ...] = ()) -> Item | None:
    """The candidate sharing the most with the item (the first of equals), if it shares any."""
    scored = [(_shared(item.text, c.text, kinds), -position, c)
              for position, c in enumerate(candidates)]  # fmt: skip
    best = max(scored, key=lambda s: (s[0], s[1]), default=None)
    return best[2] if best and best[0] >= LEAST_SHARED else None


def _target_home(
    source: Item, guess: TargetGuess, indicators: list[tuple[Item, dict[str, Any]]]
) -> tuple[Item, dict[str, Any]] | None:
    """Where a target read from `source` goes: the indicator itself, or the indicator of the
    area sharing the most with the goal."""
    for item, entry in indicators:
        if item is source or item.goal is source:  # the indicator, or the one written under it
            return item, entry
    # A change's per cent is no share: only a growth or a level in per cent asks for one.
    kind = guess.kind if guess.kind in ("growth", "change_by") else guess.unit
    kinds = (kind, "sites") if guess.site else (kind,)
    best = _best(source, [item for item, _entry in indicators], kinds)
    return next(((i, e) for i, e in indicators if i is best), None)


def _measured_as_share(
    source: Item, guess: TargetGuess, indicators: list[tuple[Item, dict[str, Any]]]
) -> bool:
    """Whether "Alle … skal …" has a share among the indicators that shares its words."""
    home = _target_home(source, guess, indicators)
    return (
        home is not None
        and _unit_of(home[0].text)[0] == "percent"
        and _shared(source.text, home[0].text) >= LEAST_SHARED
    )


def _target(guess: TargetGuess, organisation: str, period: tuple[int, int]) -> dict[str, Any]:
    return target_entry(guess.kind, guess.value, organisation, guess.deadline, period,
                        guess.baseline_year, guess.baseline_value)  # fmt: skip


KINDS = ("level_by", "floor", "ceiling", "total", "growth", "change_by")


def target_entry(
    kind: str, value: float, organisation: str, year: int | None, period: tuple[int, int],
    baseline_year: int | None = None, baseline_value: float | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A target as the plan file writes it (docs/plan-file.md): its kind, value and, for the
    kinds with a deadline, the year (the plan's last year where none is given or it lies
    outside the plan); the kinds measured from a baseline start in `baseline_year` (the year
    before the plan where none is given) at `baseline_value` (that year's figure if none)."""
    first, last = period
    deadline = year if year and first <= year <= last else last
    baseline: dict[str, Any] = {
        "year": baseline_year if baseline_year and baseline_year < deadline else first - 1
    }
    if baseline_value is not None and baseline["year"] == baseline_year:
        baseline["value"] = _number(baseline_value)
    number = _number(value)
    target: dict[str, Any] = {"organisation": organisation}
    if kind == "level_by":
        target |= {"value": number, "by": deadline, "baseline": baseline}
    elif kind == "total":
        target |= {"value": number, "deadline": deadline, "since": first}
    elif kind == "change_by":
        target |= {"kind": "change_by", "value": number, "by": deadline, "baseline": baseline}
    elif kind == "ceiling":
        target |= {"comparator": "at_most", "value": number, "each_year": True}
    elif kind == "growth":
        target |= {"comparator": "growth_at_least", "value": number, "each_year": True}
    else:
        target |= {"comparator": "at_least", "value": number, "each_year": True}
    return target


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def target_kind(target: dict[str, Any]) -> str:
    """The kind of a target as `target_entry` writes it."""
    if target.get("kind"):
        return str(target["kind"])
    if "by" in target:
        return "level_by"
    if "deadline" in target:
        return "total"
    return {"at_most": "ceiling", "growth_at_least": "growth"}.get(target.get("comparator", ""),
                                                                   "floor")  # fmt: skip


def target_year(target: dict[str, Any]) -> int | None:
    return target.get("by") or target.get("deadline")


def draft_import(*, data: dict[str, Any], user: User | None) -> PlanImport:
    """A draft, as a person corrected it, stored as a new plan through the plan import every
    plan file goes through (checked, audited); under a free address if its own is taken."""
    data = copy.deepcopy(data)
    taken = set(Plan.objects.values_list("slug", flat=True))
    data["plan"]["slug"] = _unique(data["plan"]["slug"], taken)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    goals = sum(len(area.get("goals", [])) for area in data["focus_areas"])
    with transaction.atomic():
        imported = plan_import(document=parse_plan_file(text.encode("utf-8")), user=user)
        audit_record(user=user, action="plan-draft", about=imported.plan,
                     subject=f"{imported.plan.slug} v{imported.version.number}",
                     organisation=imported.plan.owner,
                     after={"focus_areas": len(data["focus_areas"]), "goals": goals})  # fmt: skip
    return imported


def _number_text(guess: TargetGuess) -> str:
    return f"{guess.value:g}" + (" %" if guess.unit == "percent" else "")


def _plain(value: Any) -> Any:
    """The data without its comments."""
    if isinstance(value, Commented):
        return _plain(value.value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
