"""Reports in the browser beyond a plan's: official returns filled for an organisation (for
those who see its figures, and nobody else — a house sees its own, not another house's nor
the network's live total), and the owner's money in a report only for its editors."""

import io
import json
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from openpyxl import load_workbook

from maalbilde.funding.selectors import funding_table
from maalbilde.organisations.models import Membership, Organisation, Role
from tests.test_round_prefill import by_hand

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data, settings, tmp_path):
    shutil.copytree(demo_data, tmp_path, dirs_exist_ok=True)
    settings.DATA_DIR = tmp_path
    return tmp_path / "demo"


def logged_in(client, name: str, organisation: str, role: str):
    user = User.objects.create_user(name, password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip
    client.force_login(user)
    return client


def test_a_museum_fills_its_return_in_the_browser_as_the_command_does(demo, client, capsys):
    call_command("return", "--template", "museumsstatistikk", "--organisation", "nmm",
                 "--year", "2025", "--format", "json")  # fmt: skip
    by_command = {f["code"]: f["value"] for f in json.loads(capsys.readouterr().out)}
    logged_in(client, "leder", "nmm", Role.VIEWER)
    listing = client.get("/organisations/nmm/reports/?year=2025").content.decode()
    assert "/organisations/nmm/returns/museumsstatistikk/?year=2025" in listing
    page = client.get("/organisations/nmm/returns/museumsstatistikk/?year=2025")
    assert page.status_code == 200 and "Besøk i alt" in page.content.decode()
    sheet = load_workbook(io.BytesIO(client.get(
        "/organisations/nmm/returns/museumsstatistikk.xlsx?year=2025").content)).active  # fmt: skip
    in_sheet = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert in_sheet == by_command and in_sheet["1.1"] > 100_000
    csv = client.get("/organisations/nmm/returns/museumsstatistikk.csv?year=2025")
    assert csv["Content-Type"].startswith("text/csv")


def test_a_house_sees_its_own_return_and_nobody_elses(demo, client):
    house = Organisation.objects.get(slug="nk-fjordvik")
    events, seats, sold = by_hand(demo, house.name)
    logged_in(client, "fjordvik", "nk-fjordvik", Role.REPORTER)
    url = "/organisations/nk-fjordvik/returns/nk-medlemsstatistikk.xlsx?year=2025"
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    values = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (values["1"], values["2"], values["3"]) == (events, seats, sold)
    # Another house's figures, and the network's total of every house's: refused.
    for other in ("nk-elvedal", "norske-kulturhus"):
        for url in ("nk-medlemsstatistikk/", "nk-medlemsstatistikk.csv"):
            assert client.get(f"/organisations/{other}/returns/{url}").status_code == 403


def test_the_networks_viewers_read_released_figures_not_a_live_total(demo, client):
    logged_in(client, "fylket", "norske-kulturhus", Role.VIEWER)
    page = client.get("/organisations/norske-kulturhus/reports/").content.decode()
    assert "/rounds/nk-medlemsstatistikk-2025/analysis/" in page
    assert "/returns/" not in page  # the network's own figures add the houses' up
    network_return = "/organisations/norske-kulturhus/returns/nk-medlemsstatistikk/"
    assert client.get(network_return).status_code == 403
    assert client.get("/rounds/nk-medlemsstatistikk-2025/analysis/").status_code == 200


def test_the_owners_money_is_in_the_report_for_its_editors_only(demo, client):
    url = "/plans/ungmusikk/reports/annual.xlsx?year=2020"
    logged_in(client, "styret", "ungmusikk", Role.VIEWER)
    assert "Finansiering" not in load_workbook(io.BytesIO(client.get(url).content)).sheetnames
    logged_in(client, "koordinator", "ungmusikk", Role.EDITOR)
    book = load_workbook(io.BytesIO(client.get(url).content))
    rows = [list(r) for r in book["Finansiering"].iter_rows(min_row=2, values_only=True)]
    header, expected = funding_table(Organisation.objects.get(slug="ungmusikk"), 2020)
    assert [c.value for c in book["Finansiering"][1]] == header
    # Each party's expected amount, as the funding page's export has it, as a number.
    money_in = {row[1]: row[4] for row in rows if row[0] == "Inn"}
    assert money_in == {row[1]: float(row[4]) for row in expected if row[0] == "Inn"}
    assert money_in["Viken fylkeskommune"] == 2_577_500 and len(rows) == len(expected)
