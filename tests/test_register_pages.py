"""Registers in the browser: add, correct and remove rows; errors by the field in the user's
language; and nobody changes or sees rows outside their reach."""

import datetime

import pytest
from django.contrib.auth.models import User

from maalbilde.data.models import Dataset, RegisterRow
from maalbilde.data.registers import register_row_save, register_rows_add
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from maalbilde.plans.status import plan_status
from tests.conftest import dump, register_plan

pytestmark = pytest.mark.django_db
URL = "/plans/testplan/registers/omtaler/"


@pytest.fixture(autouse=True)
def plan():
    data = register_plan()
    # Nord aims at 2 national mentions in 2026.
    data["focus_areas"][0]["indicators"][1]["targets"] = [
        {"organisation": "nord", "value": 2, "year": 2026}
    ]
    return plan_import(document=parse_plan_file(dump(data).encode())).plan


def member(client, role: Role, organisation: str) -> User:
    user = User.objects.create_user(f"{role}-{organisation}", password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip
    client.force_login(user)
    return user


def row_for(organisation: str, date: str = "03.02.2026") -> RegisterRow:
    return register_row_save(
        dataset=Dataset.objects.get(slug="omtaler"),
        organisation=Organisation.objects.get(slug=organisation),
        cells={"dato": date, "dekning": "nasjonal", "rekkevidde": "10"},
    )


def nord_2026(plan) -> tuple[str, float | None]:
    status = next(
        s
        for s in plan_status(plan.current_version, year=2026)
        if s.organisation == "nord" and s.indicator == "nasjonale-oppslag"
    )
    return status.verdict, status.actual


def test_a_reporter_adds_corrects_and_removes_a_row(client, plan):
    member(client, Role.REPORTER, "nord")
    form = {"organisation": "nord", "column_dato": "2026-03-01", "column_dekning": "nasjonal",
            "column_tittel": "NRK Dagsrevyen", "column_rekkevidde": "1 200 000"}  # fmt: skip
    response = client.post(URL, form)
    assert response.status_code == 302
    row = RegisterRow.objects.get()
    assert row.values == {"dekning": "nasjonal", "tittel": "NRK Dagsrevyen", "rekkevidde": 1.2e6}
    page = client.get(f"{URL}?year=2026").content.decode()
    assert "Raden er lagt til." in page
    assert "NRK Dagsrevyen" in page and "1\u00a0200\u00a0000" in page
    assert nord_2026(plan)[1] == 1
    client.post(URL, {**form, "column_dato": "2026-04-01"})
    assert nord_2026(plan) == ("met", 2)
    # Corrected to local coverage: one national mention left.
    edit = f"{URL}{row.pk}/"
    shown = client.get(edit).content.decode()
    assert 'value="1200000"' in shown and 'value="01.03.2026"' in shown
    assert client.post(edit, {**form, "column_dekning": "lokal"}).status_code == 302
    assert nord_2026(plan)[1] == 1
    # Asked first, with what will happen; nothing is removed until confirmed.
    asked = client.post(f"{edit}remove/").content.decode()
    assert "Raden for 01.03.2026 for Avdeling Nord i «Medieoppslag» fjernes" in asked
    assert RegisterRow.objects.count() == 2
    assert client.post(f"{edit}remove/", {"confirmed": "yes"}).status_code == 302
    assert RegisterRow.objects.count() == 1
    assert nord_2026(plan)[1] == 1  # the removed row was the local one


def test_errors_show_by_the_field_in_the_users_language(client):
    member(client, Role.REPORTER, "nord")
    form = {"organisation": "nord", "column_dato": "", "column_dekning": "nasjonal",
            "column_rekkevidde": "mange"}  # fmt: skip
    page = client.post(URL, form).content.decode()
    assert 'id="id_column_dato_error" role="alert">Feltet er påkrevet.' in page
    page = client.post(URL, {**form, "column_dato": "2026-02-30"}).content.decode()
    assert 'id="id_column_dato_error" role="alert">ikke en dato' in page
    assert 'id="id_column_rekkevidde_error" role="alert">ikke et tall' in page
    english = client.post(f"/en{URL}", {**form, "column_dato": "2026-02-30"}).content.decode()
    assert "not a number" in english
    assert not RegisterRow.objects.exists()


def test_reach_and_role_are_checked_on_every_action(client):
    nord_row, sor_row = row_for("nord"), row_for("sor", "04.02.2026")
    member(client, Role.REPORTER, "sor")
    page = client.get(f"{URL}?year=all").content.decode()
    assert "04.02.2026" in page and "03.02.2026" not in page  # Nord's row is not shown
    assert client.get(f"{URL}{nord_row.pk}/").status_code == 403
    assert client.post(f"{URL}{nord_row.pk}/remove/").status_code == 403
    # A reporter of Sør cannot add a row for Nord: Nord is not among the choices.
    form = {"organisation": "nord", "column_dato": "2026-03-01", "column_dekning": "lokal"}
    assert "Velg et gyldig valg" in client.post(URL, form).content.decode()
    assert RegisterRow.objects.count() == 2
    client.logout()
    member(client, Role.VIEWER, "testmuseet")
    page = client.get(f"{URL}?year=all").content.decode()
    assert "03.02.2026" in page and "04.02.2026" in page and "Legg til" not in page
    assert client.post(URL, form).status_code == 403
    assert client.get(f"{URL}{sor_row.pk}/").status_code == 403
    assert client.post(f"{URL}{sor_row.pk}/remove/").status_code == 403
    assert RegisterRow.objects.count() == 2


def test_a_dataset_that_is_not_a_register_has_no_register_page(client, plan):
    member(client, Role.ADMINISTRATOR, "testmuseet")
    assert client.get("/plans/testplan/registers/besok/").status_code == 404
    listing = client.get("/plans/testplan/registers/").content.decode()
    assert "Medieoppslag" in listing


def test_the_same_form_sent_twice_adds_one_row_and_numbers_show_in_full(client):
    member(client, Role.REPORTER, "nord")
    form = {"organisation": "nord", "column_dato": "01.03.2026", "column_dekning": "lokal",
            "column_rekkevidde": "1 234,5", "token": "a1b2c3"}  # fmt: skip
    assert client.post(URL, form).status_code == 302
    assert client.post(URL, form).status_code == 302
    assert RegisterRow.objects.count() == 1
    page = client.get(f"{URL}?year=2026").content.decode()
    assert "<td>1\u00a0234,5</td>" in page
    # A year beyond any calendar is not an error: the page shows the latest year.
    assert client.get(f"{URL}?year=99999").status_code == 200


def test_a_busy_year_is_shown_fifty_rows_a_page_newest_first(client):
    member(client, Role.VIEWER, "nord")
    # 120 rows: one a day from 1 January 2026 (day 1) to 30 April (day 120).
    register_rows_add(
        dataset=Dataset.objects.get(slug="omtaler"),
        organisation=Organisation.objects.get(slug="nord"),
        rows=[{"dato": f"{day:%d.%m.%Y}", "dekning": "lokal", "tittel": f"Oppslag {n}"}
              for n, day in enumerate(
                  (datetime.date(2026, 1, 1) + datetime.timedelta(days=d) for d in range(120)),
                  start=1)],
    )  # fmt: skip
    first = client.get(f"{URL}?year=2026").content.decode()
    # Newest first: days 120 to 71 on the first page, 70 to 21 on the second, 20 to 1 last.
    assert first.count("Oppslag ") == 50 and "Oppslag 120<" in first and "Oppslag 71<" in first
    assert "Oppslag 70<" not in first and "Side 1 av 3" in first
    assert 'href="?year=2026&amp;page=2" rel="next"' in first and 'rel="prev"' not in first
    last = client.get(f"{URL}?year=2026&page=3").content.decode()
    assert last.count("Oppslag ") == 20 and "Oppslag 20<" in last and "Oppslag 1<" in last
    assert 'href="?year=2026&amp;page=2" rel="prev"' in last and 'rel="next"' not in last
    # A page past the end, or no number, shows the last page or the first: never an error.
    assert "Oppslag 1<" in client.get(f"{URL}?year=2026&page=9").content.decode()
    assert "Oppslag 120<" in client.get(f"{URL}?year=2026&page=x").content.decode()
    # All years: the same pages, and the links keep to all years.
    every = client.get(f"{URL}?year=all&page=2").content.decode()
    assert "Oppslag 70<" in every and 'href="?year=all&amp;page=3" rel="next"' in every
