"""Demo rounds: Norske kulturhus' yearly statistics for 2024 and 2025, answered by forty
demo houses (some answers returned, some still missing), and UngMusikk's principals'
survey with answers from the schools and NMH. All made up, all labelled demo, and the
same for a given day; a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction

from maalbilde.networks.models import Answer, Round
from maalbilde.networks.releases import release_create
from maalbilde.networks.rounds import round_import
from maalbilde.networks.workflow import (
    answer_approve,
    answer_of,
    answer_return,
    answer_save,
    answer_submit,
)
from maalbilde.organisations.models import Organisation
from maalbilde.organisations.services import organisations_upsert

ROUNDS = Path(settings.BASE_DIR) / "rounds"
REGIONS = ["Nord-Norge", "Midt-Norge", "Vestlandet", "Sørlandet", "Østlandet"]
FIRST = ["Fjell", "Sol", "Lyng", "Berg", "Dal", "Vik", "Strand", "Mo", "Haug", "Lund", "Elve",
         "Fur", "Ask", "Hav", "Bjørke", "Rype"]  # fmt: skip
LAST = ["heim", "vik", "dal", "stad", "nes", "sund", "åsen", "li"]
DEMO_HOUSE = "Fiktivt demomedlem (ikke et ekte kulturhus)."
EXTRA_HOUSES = 32
RETURN_COMMENT = "Egeninntektene ser lave ut mot billettsalget – stemmer tallet?"
# Of the forty houses, how the 2025 answers stand on the demo day.
RETURNED, SUBMITTED, DRAFTS, MISSING = 2, 2, 1, 4


def _extra_houses() -> list[dict]:
    """Thirty-two made-up houses besides the eight in the plan file."""
    rng = random.Random("nk-hus")
    names = sorted({f"{a}{b}" for a in FIRST for b in LAST})
    rng.shuffle(names)
    # Houses of the plan file keep their own names (Elvedal is one).
    taken = set(Organisation.objects.exclude(description=DEMO_HOUSE).values_list("slug", flat=True))
    houses = []
    for place in names:
        slug = "nk-" + place.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))
        if slug in taken:
            continue
        if len(houses) == EXTRA_HOUSES:
            break
        seats = rng.choice([180, 250, 320, 400, 520, 650, 800, 1100, 1500])
        houses.append({
            "slug": slug, "name": f"{place} kulturhus", "kind": "member",
            "parent": "norske-kulturhus",
            "description": DEMO_HOUSE,
            "attributes": {"demo": True, "municipality": place, "region": rng.choice(REGIONS),
                           "seats": seats, "population": _population(slug, seats),
                           "size_group": "small" if seats < 400 else "medium" if seats < 900
                           else "large"},
        })  # fmt: skip
    return houses


def _population(slug: str, seats: int) -> int:
    """The inhabitants of a made-up house's municipality: about 40 to 90 for every seat."""
    return round(seats * random.Random(f"{slug}-folk").uniform(40, 90), -2)


def _statistics(house: Organisation, year: int) -> dict[str, str]:
    """A house's figures for a year: its own level, from its seats, moved a little each year."""
    level = random.Random(house.slug)
    seats = house.attributes.get("seats", 400)
    change = random.Random(f"{house.slug}-{year}")
    factor = 1 + (year - 2024) * change.uniform(-0.06, 0.12)

    def figure(base: float) -> float:
        return base * factor * change.uniform(0.98, 1.02)

    events = round(figure(seats / 4 * level.uniform(0.7, 1.3)))
    capacity = round(events * seats * 0.75)
    sold = round(capacity * level.uniform(0.55, 0.88) * change.uniform(0.98, 1.02))
    return {
        "arrangementer": str(events),
        "arrangementer-barn-unge": str(round(events * level.uniform(0.15, 0.35))),
        "besokende": str(round(sold * level.uniform(1.1, 1.4))),
        "kapasitet": str(capacity),
        "solgte-billetter": str(sold),
        "belegg": f"{sold / capacity * 100:.1f}".replace(".", ","),
        "egeninntekter": str(round(sold * level.uniform(180, 320), -3)),
        "kommunalt-driftstilskudd": str(round(figure(seats * level.uniform(8_000, 14_000)), -3)),
        "arsverk": f"{figure(seats / 90 * level.uniform(0.8, 1.2)):.1f}".replace(".", ","),
        "frivillige-timer": str(round(figure(seats * level.uniform(1, 4)))),
        "eierdialog": str(change.choice([2, 3, 3, 4, 4, 4, 5])),
    }


def _answer(round_: Round, organisation: Organisation, values: dict, *, state: str,
            comments: dict | None = None, day: datetime.date) -> None:  # fmt: skip
    """One member's answer, taken as far as `state` through the same workflow as people."""
    answer = answer_of(round_, organisation)
    answer_save(answer=answer, values=values, comments=comments, user=None)
    if state == Answer.State.DRAFT:
        return
    answer_submit(answer=answer, user=None, today=day)
    if state == Answer.State.RETURNED:
        answer_return(answer=answer, user=None, comment=RETURN_COMMENT)
    elif state == Answer.State.APPROVED:
        answer_approve(answer=answer, user=None)


def network_demo_members() -> None:
    """The demo houses that make Norske kulturhus a network of forty, before anything is
    generated for its members."""
    organisations_upsert(entries=_extra_houses())


@transaction.atomic
def network_demo_load() -> int:
    """Load the demo rounds and their answers once; returns how many answers were added."""
    added = 0
    for path in sorted(ROUNDS.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        slug = next(line.split(":", 1)[1].strip() for line in text.splitlines()
                    if line.startswith("slug:"))  # fmt: skip
        existing = Round.objects.filter(slug=slug).first()
        if existing is None or not existing.answers.exists():
            round_import(text=text)
    houses = list(Organisation.objects.filter(parent__slug="norske-kulturhus").order_by("slug"))
    for year in (2024, 2025):
        round_ = Round.objects.get(slug=f"nk-medlemsstatistikk-{year}")
        if round_.answers.exists():
            continue
        day = round_.deadline - datetime.timedelta(days=10)
        rng = random.Random(f"nk-runde-{year}")
        order = houses[:]
        rng.shuffle(order)
        states = [Answer.State.APPROVED] * len(order)
        if year == 2025:
            tail = ([Answer.State.RETURNED] * RETURNED + [Answer.State.SUBMITTED] * SUBMITTED
                    + [Answer.State.DRAFT] * DRAFTS + [""] * MISSING)  # fmt: skip
            states[-len(tail) :] = tail
        for house, state in zip(order, states, strict=True):
            if not state:
                continue
            values = _statistics(house, year)
            comments = {}
            if year == 2025 and house.attributes.get("seats", 0) >= 1100:
                # The big houses opened a new hall: big changes, with the reason given.
                values["arrangementer"] = str(round(int(values["arrangementer"]) * 1.5))
                comments["arrangementer"] = "Ny sal åpnet i februar."
            _answer(round_, house, values, state=state, comments=comments, day=day)
            added += 1
    added += _survey_answers()
    _releases()
    return added


def _releases() -> None:
    """Each demo round's figures released once to its members; last year's statistics also
    as open data."""
    for round_ in Round.objects.filter(releases__isnull=True, answers__isnull=False).distinct():
        release_create(round_=round_, user=None, notes="Tallene slik de var ved fristen.",
                       publish=round_.slug == "nk-medlemsstatistikk-2024")  # fmt: skip


SURVEY_TEXTS = {
    "forventninger": ["Et tettere faglig samarbeid med NMH og et bedre tilbud til de "
                      "ivrigste elevene.", "At elevene skulle få møte andre unge som satser."],
    "utbytte": ["Elevene har fått inspirasjon og motivasjon, og lærerne faglig påfyll.",
                "Vi kan nå gi et fordypningstilbud vi ikke kunne gitt alene."],
    "hvorfor-med": ["For å gi de mest motiverte elevene et regionalt fordypningstilbud.",
                    "Vi ønsker samarbeid med nabokommunene og NMH."],
    "hva-hape": ["Faglig utvikling for lærerne og flere elever som søker høyere utdanning."],
    "innsats": ["Tid til koordinering og lærere som kan følge opp elevene."],
    "utfordringer": ["Reiseavstander og finansiering over tid."],
    "utbytte-sa-langt": ["Elevene har hatt stort utbytte av samspill og masterclass."],
    "nmh-betydning": ["Nettverket ut i regionen og kontakten med kommende studenter."],
}  # fmt: skip
SURVEY_CHOICES = ["Fordypningstilbud for elevene", "Faglig samarbeid med NMH",
                  "Kompetanseutvikling for lærerne", "Regionalt samarbeid mellom kulturskolene",
                  "Motivasjon og inspirasjon"]  # fmt: skip


def _survey_answers() -> int:
    round_ = Round.objects.get(slug="um-rektorundersokelse-2020")
    if round_.answers.exists():
        return 0
    day = round_.deadline - datetime.timedelta(days=14)
    rng = random.Random("um-rektorer")
    added = 0
    for member in round_.members.select_related("organisation").order_by("organisation__slug"):
        values: dict = {slug: rng.choice(texts) for slug, texts in SURVEY_TEXTS.items()}
        values["samlet-vurdering"] = str(rng.choice([3, 4, 4, 5, 5]))
        values["viktigste-utbytte"] = rng.sample(SURVEY_CHOICES, 2)
        values["anbefale"] = rng.choice(["Ja", "Ja", "Ja", "Vet ikke"])
        _answer(round_, member.organisation, values, state=Answer.State.APPROVED, day=day)
        added += 1
    return added
