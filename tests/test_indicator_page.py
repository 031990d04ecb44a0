"""The indicator page: its chart and table, and typing in a figure by those allowed to."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Observation
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db
URL = "/plans/testplan/indicators/skolebesok/"


@pytest.fixture
def plan():
    return plan_import(document=parse_plan_file(dump(minimal_plan()).encode())).plan


def member(client, role: Role, organisation: str = "testmuseet") -> User:
    user = User.objects.create_user(f"{role}-{organisation}", password="x")
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(slug=organisation), role=role
    )
    client.force_login(user)
    return user


def test_a_reporter_types_a_figure_and_sees_it(client, plan):
    reporter = member(client, Role.REPORTER, "nord")
    form = {
        "organisation": "nord",
        "year": "2026",
        "month": "0",
        "value": "1 250",
        "comment": "Telling",
    }
    response = client.post(URL, form)
    assert response.status_code == 302 and response["Location"] == URL
    observation = Observation.objects.get()
    assert (observation.value, observation.entered_by, observation.comment) == (
        1250.0,
        reporter,
        "Telling",
    )
    page = client.get(URL).content.decode()
    assert "Tallet er lagret." in page
    # The table beside the chart: 2026 has 1 250 against the target 300 (so far, while 2026
    # runs).
    label = "2026 (så langt)" if timezone.localdate().year == 2026 else "2026"
    assert f'<th scope="row">{label}</th><td>1\u00a0250</td><td>300</td>' in page


def test_a_wrong_figure_is_explained_and_nothing_is_stored(client, plan):
    member(client, Role.REPORTER)
    form = {"organisation": "nord", "year": "2026", "month": "0", "value": "mange", "comment": ""}
    response = client.post(URL, form)
    assert response.status_code == 200
    assert "Skriv et tall, for eksempel 65 000 eller 80,5." in response.content.decode()
    assert Observation.objects.count() == 0


def test_a_reporter_of_one_site_cannot_type_for_another(client, plan):
    member(client, Role.REPORTER, "nord")
    form = {"organisation": "sor", "year": "2026", "month": "0", "value": "5", "comment": ""}
    response = client.post(URL, form)
    assert response.status_code == 200  # the form says the choice is not allowed
    assert Observation.objects.count() == 0


def test_a_viewer_sees_no_form_and_cannot_post(client, plan):
    member(client, Role.VIEWER)
    assert "Skriv inn et tall" not in client.get(URL).content.decode()
    form = {"organisation": "nord", "year": "2026", "month": "0", "value": "5", "comment": ""}
    assert client.post(URL, form).status_code == 403
    assert Observation.objects.count() == 0


def test_chart_coordinates_are_not_written_the_norwegian_way(client, plan):
    import re

    member(client, Role.REPORTER, "nord")
    form = {"organisation": "nord", "year": "2026", "month": "0", "value": "1 250,5", "comment": ""}
    client.post(URL, form)
    svg = re.search(r"<svg.*?</svg>", client.get(URL).content.decode(), re.S).group(0)
    bars = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', svg)
    assert len(bars) == 1
    assert all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", number) for number in bars[0])


def test_a_member_of_one_site_sees_only_that_sites_figures(client, plan):
    member(client, Role.REPORTER, "sor")
    observation_form = {"organisation": "sor", "year": "2026", "month": "0", "value": "77"}
    client.post(URL, observation_form)
    client.logout()
    member(client, Role.REPORTER, "nord")
    page = client.get(URL).content.decode()
    # Sør's target and typed-in 77 are not shown to a member of Nord; Nord's target is.
    assert "Avdeling Nord: minst 300" in page
    assert "Avdeling Sør" not in page and ">77<" not in page
    plan_page = client.get("/plans/testplan/").content.decode()
    assert "1 Ingen tall" in plan_page  # only Nord's target is counted


def test_the_charts_show_every_year_with_figures_and_this_year_month_by_month(client, monkeypatch):
    from tests.test_status import load, make_plan, tickets

    make_plan(tickets({"organisation": "nord", "value": 150, "each_year": True}))
    load("billettsalg", "Dato;Sted;Billetter\n15.03.2023;nord;100\n"
                        "10.01.2025;nord;10\n10.02.2025;nord;20\n10.03.2025;nord;30\n"
                        "10.12.2025;nord;40\n10.01.2026;nord;15\n10.02.2026;nord;25\n")  # fmt: skip
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2026, 3, 10))
    member(client, Role.VIEWER)
    page = client.get("/plans/testplan/indicators/billetter/").content.decode()
    # 2023 comes before the plan (2024–2028) and shows where it started; 2026 is not over.
    rows = re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>', page)
    assert rows[:4] == [("2023", "100", "–"), ("2024", "–", "150"), ("2025", "100", "150"),
                        ("2026 (så langt)", "40", "150")]  # fmt: skip
    assert "Planen gjelder 2024–2028; årene før viser hvor den startet." in page
    assert 'class="bar partial"' in page
    # Month by month: January and February of 2026 against 2025's, and the year so far:
    # 15 + 25 = 40 against 10 + 20 = 30, (40 / 30 − 1) × 100 = 33,3 % more.
    assert (
        ("jan", "15", "10") in rows and ("feb", "25", "20") in rows and ("mar", "–", "30") in rows
    )
    assert "Hittil i 2026 (jan–feb): 40, mot 30 i de samme månedene i fjor." in page
    assert "En endring på 33,3\u00a0%." in page
    # Another year, asked for: its months against the year before, with no "so far".
    earlier = client.get("/plans/testplan/indicators/billetter/?year=2025").content.decode()
    assert "Søyler: 2025. Linje: 2024." in earlier and "Hittil i" not in earlier


def test_a_total_by_a_deadline_is_drawn_as_the_running_total_against_its_path(client, monkeypatch):
    from tests.test_status import PLAYS, load, make_plan, plays

    make_plan(plays({"organisation": "testmuseet", "value": 2_000_000, "deadline": 2028}))
    load("avspillinger", PLAYS)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2027, 3, 1))
    member(client, Role.VIEWER)
    page = client.get("/plans/testplan/indicators/avspillinger/").content.decode()
    assert "Avspillinger, Testmuseet, til sammen siden 2024" in page
    rows = re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>', page)
    # 2025: 300 000; 2026: 200 000 + 300 000 more; 2027 so far: 280 000 more. The path climbs
    # by days from 0 at the start of 2024, as the verdict's "expected" does: 2024–2028 is
    # 366 + 365 + 365 + 365 + 366 = 1 827 days, so the end of 2024 is 2 000 000 × 366 / 1 827
    # = 400 656,8; of 2025 × 731 / 1 827 = 800 218,9; of 2026 × 1 096 / 1 827 = 1 199 781,1;
    # of 2027 × 1 461 / 1 827 = 1 599 343,2.
    nbsp = "\u00a0"
    # The yearly chart comes first, then the total; the months come after both.
    assert [r for r in rows if r[0].startswith("202")][-5:] == [
        ("2024", "0", f"400{nbsp}657"),
        ("2025", f"300{nbsp}000", f"800{nbsp}219"),
        ("2026", f"800{nbsp}000", f"1{nbsp}199{nbsp}781"),
        ("2027 (så langt)", f"1{nbsp}080{nbsp}000", f"1{nbsp}599{nbsp}343"),
        ("2028", "–", f"2{nbsp}000{nbsp}000"),
    ]


def test_a_growth_targets_line_is_the_year_before_grown_by_the_rate(client, monkeypatch):
    from tests.test_status import REVENUE, growth_targets, load, make_plan, revenue

    make_plan(revenue(*growth_targets("nord")))
    load("inntekter", REVENUE)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2025, 7, 1))
    member(client, Role.VIEWER)
    page = client.get("/plans/testplan/indicators/egeninntekter/").content.decode()
    rows = re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>', page)
    # Nord: 400 000 in 2023, 100 000 + 100 000 + 500 000 = 700 000 in 2024, 110 000 + 110 000
    # so far in 2025. 5 % a year asks 400 000 × 1,05 = 420 000 of 2024 and 735 000 of 2025.
    kr = "\u00a0kr"
    nbsp = "\u00a0"
    assert rows[:3] == [
        ("2023", f"400{nbsp}000{kr}", "–"),
        ("2024", f"700{nbsp}000{kr}", f"420{nbsp}000{kr}"),
        ("2025 (så langt)", f"220{nbsp}000{kr}", f"735{nbsp}000{kr}"),
    ]
    # 2026 would grow from 2025, which is not over: no line for it yet.
    assert ("2026", "–", "–") in rows


def test_a_growth_target_reads_as_growth_a_year(client):
    data = minimal_plan(start_year=2025)
    data["focus_areas"][0]["indicators"][0]["targets"] = [
        {"organisation": "testmuseet", "kind": "growth", "value": 5, "each_year": True}
    ]
    plan_import(document=parse_plan_file(dump(data).encode()))
    member(client, Role.VIEWER)
    page = client.get(URL).content.decode().replace("\xa0", " ")
    assert "vekst på minst 5 % per år, 2025–2028" in page
