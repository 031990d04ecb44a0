"""Demo data for the four source plans: activity exports from 2022 to today, generated the
way the real systems write them (Norwegian CSV in Windows-1252 or UTF-8, XLSX, decimal
commas, a closing total row) and imported through the same importer as any file.

Everything is deterministic for a given day, and clearly labelled: the files are named
`demo-…` and kept in the data folder's `demo/` for anyone to open. The figures are made up
around the plans' own targets so that every verdict shows: some targets met, some on
track, some at risk, some behind, and one without figures yet.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from maalbilde.data.imports import batch_import, batch_withdraw
from maalbilde.data.models import Batch, Dataset, RegisterRow
from maalbilde.data.registers import register_rows_add
from maalbilde.demo.exports import DemoFile, Row, render
from maalbilde.demo.funding import funding_demo_load
from maalbilde.demo.network import network_demo_load, network_demo_members
from maalbilde.organisations.models import Organisation
from maalbilde.plans.models import Plan
from maalbilde.plans.observations import observation_save
from maalbilde.plans.services import publication_set

FIRST_YEAR = 2022
# --- the activity -------------------------------------------------------------------------


def _days(year: int, today: datetime.date) -> Iterator[datetime.date]:
    day = datetime.date(year, 1, 1)
    while day.year == year and day < today:
        yield day
        day += datetime.timedelta(days=1)


def _season(day: datetime.date, summer: float) -> float:
    """Visits through the year: a summer peak of `summer` times the winter level."""
    angle = 2 * math.pi * (day.timetuple().tm_yday - 196) / 365
    return 1 + (summer - 1) * (1 + math.cos(angle)) / 2


def _spread(
    total: float,
    days: list[datetime.date],
    weight: Callable[[datetime.date], float],
    rng: random.Random,
) -> dict[datetime.date, int]:
    """A year's total spread over its days by weight, with a little day-to-day noise."""
    full_year = [datetime.date(days[0].year, 1, 1) + datetime.timedelta(d) for d in range(365)]
    scale = total / sum(weight(d) for d in full_year)
    return {d: max(0, round(weight(d) * scale * rng.uniform(0.8, 1.2))) for d in days}


TICKET_TYPES = [
    ("Voksen", 0.46, 160),
    ("Barn", 0.16, 60),
    ("Student", 0.1, 120),
    ("Honnør", 0.12, 120),
    ("Familie", 0.1, 90),
    ("Gratis", 0.06, 0),
]
# Visitors a year per site: Ringve falls short of its 65 000, Rockheim passes its 80 000.
VISITORS = {"ringve": 52_000, "rockheim": 84_000}
SUMMER = {"ringve": 3.5, "rockheim": 1.6}
# School and kindergarten bookings a year: 275 and 300 are the targets by 2030.
BOOKINGS = {"ringve": 255, "rockheim": 335}
# The running year differs from the years before, so that its verdicts are not all alike:
# Ringve loses visitors (behind its path), Rockheim's schools book more (the year's point on
# the path reached before the year ends).
THIS_YEAR = {("rr-billettsalg", "ringve"): 0.86, ("rr-skolebestillinger", "rockheim"): 1.1}


def _this_year(dataset: str, site: str, year: int, today: datetime.date) -> float:
    return THIS_YEAR.get((dataset, site), 1.0) if year == today.year else 1.0


PLAYS = {2022: 120_000, 2023: 150_000, 2024: 190_000, 2025: 205_000, 2026: 212_000}
OWN_REVENUE_2022 = {"ringve": 3_100_000, "rockheim": 4_200_000}
OWN_REVENUE_GROWTH = 0.035  # a year; the target is 5 %


def _open(day: datetime.date) -> bool:
    return day.weekday() != 0 or day.month in (6, 7, 8)


def ticket_sales(year: int, today: datetime.date, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for site, visitors in VISITORS.items():
        visitors = round(visitors * _this_year("rr-billettsalg", site, year, today))
        days = [d for d in _days(year, today) if _open(d)]
        daily = _spread(visitors, days, lambda d, s=site: _season(d, SUMMER[s]) * _open(d), rng)
        for day in days:
            for name, share, price in TICKET_TYPES:
                count = round(daily[day] * share * rng.uniform(0.7, 1.3))
                if count:
                    rows.append([day, site.capitalize(), name, count, float(count * price)])
    return rows


def school_bookings(year: int, today: datetime.date, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for site, per_year in BOOKINGS.items():
        per_year = round(per_year * _this_year("rr-skolebestillinger", site, year, today))
        term = [
            d
            for d in _days(year, datetime.date(year + 1, 1, 1))
            if d.weekday() < 5 and d.month != 7 and not (d.month == 6 and d.day > 20)
        ]
        for day in sorted(rng.choices(term, k=per_year)):
            if day < today:
                group = "Barnehage" if rng.random() < 0.25 else "Skole"
                rows.append([day, site.capitalize(), group, rng.randint(12, 28)])
    return rows


EVENT_TYPES = [("fritid", 0.45), ("konsert", 0.3), ("foredrag", 0.15), ("omvisning", 0.1)]


def events(year: int, today: datetime.date, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for site in VISITORS:
        days = [d for d in _days(year, today) if d.weekday() in (3, 5, 6)]
        for day in sorted(rng.sample(days, min(len(days), 110 * len(days) // 156 + 1))):
            kind = rng.choices([k for k, _ in EVENT_TYPES], [w for _, w in EVENT_TYPES])[0]
            capacity = rng.choice([60, 80, 120, 150, 200, 350])
            # Average occupancy near 78 %, a little under the 80 % target.
            sold = min(capacity, round(capacity * rng.betavariate(7.8, 2.2)))
            rows.append([day, site.capitalize(), kind, capacity, sold])
    return rows


def own_revenue(year: int, today: datetime.date, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    growth = (1 + OWN_REVENUE_GROWTH) ** (year - FIRST_YEAR)
    for site, base in OWN_REVENUE_2022.items():
        for month in range(1, 13):
            last_day = datetime.date(year, month, calendar.monthrange(year, month)[1])
            if last_day >= today:
                break
            monthly = base * growth / 12 * (1.4 if month in (6, 7, 8, 12) else 0.87)
            for kind, share in (("butikk", 0.45), ("utleie", 0.3), ("arrangement", 0.25)):
                lines = 4 if kind == "utleie" else 2
                for _line in range(lines):
                    amount = monthly * share / lines * rng.uniform(0.97, 1.03)
                    rows.append([last_day, site.capitalize(), kind, round(amount, 2)])
    return rows


def plays(year: int, today: datetime.date, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        if first >= today:
            break
        days = calendar.monthrange(year, month)[1]
        elapsed = min(days, (today - first).days) / days
        for channel, share in (("Podkast", 0.5), ("Video", 0.35), ("Digital ressurs", 0.15)):
            rows.append(
                [first, channel, round(PLAYS[year] / 12 * share * elapsed * rng.uniform(0.9, 1.1))]
            )
    return rows


def museum_visits(year: int, today: datetime.date, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    days = [d for d in _days(year, today) if _open(d)]
    daily = _spread(245_000, days, lambda d: _season(d, 1.8), rng)
    # More pupils come free each year as sponsorships grow (the target: all of them by 2030).
    free = min(1.0, 0.55 + 0.06 * (year - FIRST_YEAR))
    for day in days:
        for name, share in (
            ("Voksen", 0.4),
            ("Barn", 0.35),
            ("Skole gratis", 0.15 * free),
            ("Skole", 0.15 * (1 - free)),
            ("Honnør", 0.1),
        ):
            count = round(daily[day] * share * rng.uniform(0.7, 1.3))
            if count:
                rows.append([day, name, count])
    return rows


def culture_house_events(
    year: int, today: datetime.date, rng: random.Random, houses: list[Organisation]
) -> list[Row]:
    rows: list[Row] = []
    for house in houses:
        seats = int(house.attributes.get("seats", 400))
        per_year = {"small": 60, "medium": 120, "large": 240}.get(
            str(house.attributes.get("size_group")), 100
        )
        days = list(_days(year, today))
        count = round(per_year * len(days) / 365)
        for day in sorted(rng.choices(days, k=count)):
            genre = rng.choices(
                ["konsert", "teater", "revy", "standup", "barn", "kino"], [30, 20, 10, 10, 15, 15]
            )[0]
            capacity = seats if genre != "kino" else min(seats, 180)
            sold = min(capacity, round(capacity * rng.betavariate(6, 3.5)))
            rows.append([day, house.name, genre, capacity, sold])
    return rows


ACTIVITY_TYPES = ["fordypning", "samspill", "konsert", "kurs", "mesterklasse"]


def school_activities(
    year: int, today: datetime.date, rng: random.Random, schools: list[Organisation]
) -> list[Row]:
    rows: list[Row] = []
    for school in schools:
        days = [d for d in _days(year, today) if d.month != 7 and d.weekday() < 6]
        for day in sorted(rng.sample(days, min(len(days), round(45 * len(days) / 300)))):
            kind = rng.choice(ACTIVITY_TYPES)
            rows.append([day, school.name, kind, rng.randint(4, 60)])
    return rows


# --- loading ------------------------------------------------------------------------------


def demo_files(today: datetime.date) -> Iterator[DemoFile]:
    houses = list(Organisation.objects.filter(parent__slug="norske-kulturhus").order_by("slug"))
    schools = list(
        Organisation.objects.filter(kind="member", path__startswith="/ungmusikk/").order_by("slug")
    )
    for year in range(FIRST_YEAR, today.year + 1):

        def rng(name: str, year: int = year) -> random.Random:
            return random.Random(f"{name}-{year}")

        yield DemoFile(
            "rr-billettsalg",
            "nmm",
            year,
            ["Dato", "Sted", "Billettype", "Antall", "Beløp"],
            ticket_sales(year, today, rng("billett")),
            "csv-1252",
        )
        yield DemoFile(
            "rr-skolebestillinger",
            "nmm",
            year,
            ["Dato", "Sted", "Gruppe", "Antall elever"],
            school_bookings(year, today, rng("skole")),
            "xlsx",
        )
        yield DemoFile(
            "rr-arrangementer",
            "nmm",
            year,
            ["Dato", "Sted", "Type", "Kapasitet", "Solgte billetter"],
            events(year, today, rng("arr")),
            "csv-utf8",
        )
        yield DemoFile(
            "rr-inntekter",
            "nmm",
            year,
            ["Dato", "Sted", "Kategori", "Beløp"],
            own_revenue(year, today, rng("inntekt")),
            "xlsx",
        )
        yield DemoFile(
            "rr-avspillinger",
            "nmm",
            year,
            ["Dato", "Kanal", "Avspillinger"],
            plays(year, today, rng("spill")),
            "csv-utf8",
        )
        yield DemoFile(
            "ntm-besok",
            "ntm",
            year,
            ["Dato", "Billettype", "Antall"],
            museum_visits(year, today, rng("ntm")),
            "csv-1252",
        )
        yield DemoFile(
            "nk-arrangementer",
            "norske-kulturhus",
            year,
            ["Dato", "Hus", "Sjanger", "Kapasitet", "Solgte billetter"],
            culture_house_events(year, today, rng("nk"), houses),
            "csv-utf8",
        )
        yield DemoFile(
            "um-aktiviteter",
            "ungmusikk",
            year,
            ["Dato", "Skole", "Aktivitetstype", "Deltakere"],
            school_activities(year, today, rng("um"), schools),
            "xlsx",
        )


# Typed-in figures: (plan, indicator, organisation, year, value, comment).
OBSERVATIONS = [
    ("ungmusikk", "um-tilskudd-mottatt", "um-viken", 2022, 2_500_000, "Fylkestilskudd"),
    ("ungmusikk", "um-elever-nadd", "ungmusikk", 2022, 12_150, "Telling 1. oktober"),
    # The years after the report: the county's grant index-regulated, pupils growing slowly.
    ("ungmusikk", "um-tilskudd-mottatt", "um-viken", 2023, 2_575_000, "Fylkestilskudd"),
    ("ungmusikk", "um-tilskudd-mottatt", "um-viken", 2024, 2_660_000, "Fylkestilskudd"),
    ("ungmusikk", "um-tilskudd-mottatt", "um-viken", 2025, 2_740_000, "Fylkestilskudd"),
    ("ungmusikk", "um-elever-nadd", "ungmusikk", 2023, 12_310, "Telling 1. oktober"),
    ("ungmusikk", "um-elever-nadd", "ungmusikk", 2024, 12_480, "Telling 1. oktober"),
    ("ungmusikk", "um-elever-nadd", "ungmusikk", 2025, 12_620, "Telling 1. oktober"),
    # Schools taking part, as the coordinator counts them when the school year starts.
    *(
        ("ungmusikk", "um-deltakende-skoler", "ungmusikk", year, schools, "Ved skoleårets start")
        for year, schools in ((2022, 23), (2023, 23), (2024, 24), (2025, 24))
    ),
]


# Registers kept in Målbilde: (dataset, site, rows a year in 2022, growth a year, cells).
# New offers for schools are published on the website before Christmas, so this year's
# are not there yet in November.
PUBLISHED_IN_DECEMBER = {"rr-formidlingstilbud"}
MEDIA_THEMES = ["Hall of Fame", "Utstilling", "Arrangement", "Forskning", "Annet"]
MEDIA_TITLES = ["Adresseavisen", "NRK Kultur", "Dagsavisen", "VG", "NRK P3", "Klassekampen"]
REGISTERS: list[tuple[str, str, int, int, Callable[[random.Random], dict[str, str]]]] = [
    *(
        (
            "rr-medieoppslag",
            site,
            rows,
            3,
            lambda rng, weights=weights: {
                "dekning": rng.choices(["nasjonal", "regional", "lokal"], [5, 2, 3])[0],
                "medium": rng.choice(["Avis", "Nettavis", "TV", "Radio", "Podkast"]),
                "tema": rng.choices(MEDIA_THEMES, weights)[0],
                "tittel": rng.choice(MEDIA_TITLES),
                "rekkevidde": str(rng.randrange(2_000, 400_000, 500)),
            },
        )
        # Hall of Fame is Rockheim's.
        for site, rows, weights in (
            ("ringve", 80, [0, 5, 4, 1, 1]),
            ("rockheim", 190, [4, 4, 5, 1, 1]),
        )
    ),
    *(
        (
            "rr-utleie",
            site,
            rows,
            2,
            lambda rng: {
                "kundetype": rng.choice(["Konferanse", "Bedrift", "Selskap", "Annet"]),
                "kunde": rng.choice(["Trondheim kommune", "NTNU", "Equinor", "Privat selskap"]),
                "leie": str(rng.randrange(8_000, 60_000, 500)),
                "mersalg": str(rng.randrange(0, 15_000, 250)),
            },
        )
        for site, rows in (("ringve", 28), ("rockheim", 44))
    ),
    *(
        (
            "rr-sponsorat",
            site,
            rows,
            1,
            lambda rng: {
                "type": rng.choices(["Sponsorat", "Gave"], [2, 1])[0],
                "giver": rng.choice(["SpareBank 1 SMN", "Trondheim Energi", "Privat giver"]),
                "belop": str(rng.randrange(10_000, 250_000, 5_000)),
            },
        )
        for site, rows in (("ringve", 3), ("rockheim", 5))
    ),
    *(
        (
            "rr-tilsagn",
            site,
            rows,
            0,
            lambda rng: {
                "kilde": rng.choices(["Forskningsrådet", "Kulturrådet", "Stiftelse"], [1, 3, 2])[0],
                "prosjekt": rng.choice(
                    ["Lydarkivet", "Instrumentsamlingen digitalt", "Rock i skolen"]
                ),
                "belop": str(rng.randrange(50_000, 900_000, 10_000)),
            },
        )
        for site, rows in (("ringve", 2), ("rockheim", 3))
    ),
    *(
        (
            "rr-publikasjoner",
            site,
            rows,
            0,
            lambda rng: {
                "type": rng.choice(
                    [
                        "Fagfellevurdert artikkel",
                        "Bok eller bokkapittel",
                        "Rapport",
                        "Populærvitenskapelig artikkel",
                    ]
                ),
                "tittel": rng.choice(
                    [
                        "Strengeinstrumenter i Trøndelag",
                        "Norsk rock 1960–1980",
                        "Orgelen i Ringve",
                        "Lydopptak som kilde",
                    ]
                ),
            },
        )
        for site, rows in (("ringve", 4), ("rockheim", 3))
    ),
    *(
        (
            "rr-avvik",
            site,
            rows,
            2,
            lambda rng: {
                "kategori": rng.choice(["HMS", "Sikkerhet", "Bygg og drift", "Publikum"]),
                "beskrivelse": rng.choice(
                    ["Nødutgang sperret", "Fall i trapp", "Alarm uten årsak"]
                ),
            },
        )
        for site, rows in (("ringve", 6), ("rockheim", 8))
    ),
    (
        "rr-formidlingstilbud",
        "rockheim",
        1,
        0,
        lambda rng: {
            "malgruppe": rng.choice(["Barnehage", "Barnetrinn", "Ungdomstrinn", "Videregående"]),
            "tittel": rng.choice(["Rock i klasserommet", "Lag din egen låt", "Lydens historie"]),
        },
    ),
    (
        "rr-formidlingstilbud",
        "ringve",
        1,
        0,
        lambda rng: {
            "malgruppe": rng.choice(["Barnehage", "Barnetrinn", "Ungdomstrinn"]),
            "tittel": rng.choice(["Instrumentverkstedet", "Musikk i hagen", "Syng med oss"]),
        },
    ),
    *(
        (
            "rr-helsetilbud",
            site,
            rows,
            1,
            lambda rng: {
                "malgruppe": rng.choice(["Personer med demens", "Eldre", "Innsatte"]),
                "tittel": rng.choice(["Musikkminner", "Sangstund", "Konsert i fengselet"]),
                "deltakere": str(rng.randrange(8, 60)),
            },
        )
        for site, rows in (("ringve", 4), ("rockheim", 2))
    ),
]


def register_demo_rows(today: datetime.date) -> Iterator[tuple[str, str, list[dict[str, str]]]]:
    """The demo rows of each register and site, dated through each year up to today."""
    for dataset, site, first_rows, growth, cells in REGISTERS:
        rng = random.Random(f"{dataset}-{site}")
        rows = []
        for year in range(FIRST_YEAR, today.year + 1):
            count = first_rows + growth * (year - FIRST_YEAR) + rng.randint(-1, 1)
            for _row in range(max(0, count)):
                if dataset in PUBLISHED_IN_DECEMBER:
                    day = datetime.date(year, 12, rng.randint(1, 20))
                else:
                    day = datetime.date(year, 1, 1) + datetime.timedelta(rng.randrange(365))
                row = cells(rng)
                if day < today:
                    rows.append({"dato": day.strftime("%d.%m.%Y"), **row})
        yield dataset, site, rows


@dataclass
class DemoReport:
    imported: int = 0
    unchanged: int = 0
    replaced: int = 0
    observations: int = 0
    register_rows: int = 0
    round_answers: int = 0
    ledger_rows: int = 0


def demo_load(*, today: datetime.date, say: Callable[[str], None] = lambda _m: None) -> DemoReport:
    """Write and import the demo files; a second run on the same day changes nothing, and a
    run on a later day replaces only the files whose content changed (this year's)."""
    needed = {"ringve-rockheim", "norsk-teknisk-museum", "norske-kulturhus", "ungmusikk"}
    missing = needed - set(Plan.objects.values_list("slug", flat=True))
    if missing:
        raise LookupError(", ".join(sorted(missing)))
    network_demo_members()
    folder = Path(settings.DATA_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    report = DemoReport()
    for demo in demo_files(today):
        if not demo.rows:
            continue
        raw = render(demo)
        (folder / demo.name).write_bytes(raw)
        dataset = Dataset.objects.get(slug=demo.dataset)
        # The rows decide whether a file changed: an XLSX file carries the time it was saved.
        content = hashlib.sha256(repr(demo.rows).encode()).hexdigest()
        earlier = Batch.objects.active().filter(dataset=dataset, file_name=demo.name).first()
        if earlier and earlier.report.get("demo") == content:
            report.unchanged += 1
            continue
        with transaction.atomic():
            if earlier:
                batch_withdraw(batch=earlier)
                report.replaced += 1
            batch_import(
                dataset=dataset,
                raw=raw,
                file_name=demo.name,
                organisation=Organisation.objects.get(slug=demo.organisation),
                label={"demo": content},
            )
        report.imported += 1
        say(demo.name)
    # A register gets its demo rows once: rows people add or correct later stay theirs.
    for dataset_slug, site, rows in register_demo_rows(today):
        dataset = Dataset.objects.get(slug=dataset_slug)
        organisation = Organisation.objects.get(slug=site)
        if not RegisterRow.objects.filter(dataset=dataset, organisation=organisation).exists():
            report.register_rows += register_rows_add(
                dataset=dataset, organisation=organisation, rows=rows
            )
    report.round_answers = network_demo_load()
    report.ledger_rows = funding_demo_load(folder)
    # Last year's figures of the museum's plan are public, so /p/ringve-rockheim/ shows them.
    publication_set(plan=Plan.objects.get(slug="ringve-rockheim"), year=today.year - 1,
                    published=True)  # fmt: skip
    for plan, indicator, organisation, year, value, comment in OBSERVATIONS:
        observation_save(
            plan=Plan.objects.get(slug=plan),
            indicator_slug=indicator,
            organisation=Organisation.objects.get(slug=organisation),
            year=year,
            text=str(value),
            comment=comment,
            source="demo",
        )
        report.observations += 1
    return report
