"""The museum statistics return for Ringve og Rockheim's 2025, filled from the demo's data: each
number checked by hand against the demo's own files, each with its trail, the fields that
cannot be filled saying why, and the form's order in the export."""

import csv
import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data, settings, tmp_path):
    shutil.copytree(demo_data, tmp_path, dirs_exist_ok=True)
    settings.DATA_DIR = tmp_path
    return tmp_path / "demo"


def number(text: str) -> float:
    return float(text.replace("\xa0", "").replace(" ", "").replace(",", "."))


def csv_rows(path) -> list[dict]:
    """A demo CSV as Excel in Norway saves it, without its blank line and closing sum row."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    return [r for r in rows if r[next(iter(r))] not in ("", "Sum")]


def xlsx_rows(path) -> list[dict]:
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)
            if r[0] not in (None, "Sum")]  # fmt: skip


def filled(capsys) -> dict[str, dict]:
    capsys.readouterr()
    call_command("return", "--template", "museumsstatistikk", "--organisation", "nmm",
                 "--year", "2025", "--format", "json")  # fmt: skip
    return {f["code"]: f for f in json.loads(capsys.readouterr().out)}


def test_the_museum_statistics_from_the_demos_files_by_hand(demo, capsys):
    from maalbilde.data.models import RegisterRow

    tickets = csv_rows(demo / "demo-rr-billettsalg-2025.csv")
    pupils = xlsx_rows(demo / "demo-rr-skolebestillinger-2025.xlsx")
    events = csv_rows(demo / "demo-rr-arrangementer-2025.csv")
    income = xlsx_rows(demo / "demo-rr-inntekter-2025.xlsx")
    single = sum(number(r["Antall"]) for r in tickets)
    groups = sum(r["Antall elever"] for r in pupils)
    paying = sum(number(r["Antall"]) for r in tickets if r["Billettype"] != "Gratis")
    children = sum(number(r["Antall"]) for r in tickets if r["Billettype"] == "Barn")
    ticket_income = sum(number(r["Beløp"]) for r in tickets)
    shop = sum(r["Beløp"] for r in income if r["Kategori"] == "butikk")
    other = sum(r["Beløp"] for r in income if r["Kategori"] in ("utleie", "arrangement"))
    sponsors = sum(number(str(r.values["belop"])) for r in RegisterRow.objects.filter(
        dataset__slug="rr-sponsorat", date__year=2025))  # fmt: skip
    form = filled(capsys)
    assert form["1.2"]["value"] == single
    assert form["1.3"]["value"] == groups
    assert form["1.1"]["value"] == single + groups  # visits: tickets and pupils, not events
    assert form["1.4"]["value"] == paying  # every ticket type but "Gratis"
    assert form["1.5a"]["value"] == children
    assert form["1.5"]["value"] == children + groups
    assert form["2.1"]["value"] == len(events)
    assert form["2.2"]["value"] == sum(number(r["Solgte billetter"]) for r in events)
    # Income in thousands of kroner, rounded half up
    assert form["3.1"]["value"] == round(ticket_income / 1000)
    assert form["3.2"]["value"] == round(shop / 1000)
    assert form["3.3"]["value"] == round(other / 1000)
    assert form["3.4"]["value"] == round(sponsors / 1000)
    # Each figure's trail: the files and the rows of each that counted
    assert form["1.2"]["trail"][1] == f"demo-rr-billettsalg-2025.csv: {len(tickets)} rader talt"
    paying_rows = sum(r["Billettype"] != "Gratis" for r in tickets)
    assert form["1.4"]["trail"][1] == f"demo-rr-billettsalg-2025.csv: {paying_rows} rader talt"
    # What cannot be filled says why
    assert form["1.6"]["value"] is None and "Ringve og Rockheim har dette" in form["1.6"]["missing"]
    assert form["4.1"]["value"] is None


def test_the_return_in_the_forms_order_as_a_spreadsheet_and_the_refusals(demo, tmp_path, capsys):
    out = tmp_path / "museumsstatistikk.xlsx"
    call_command("return", "--template", "museumsstatistikk", "--organisation", "nmm",
                 "--year", "2025", "--format", "xlsx", "-o", str(out))  # fmt: skip
    sheet = load_workbook(out).active
    codes = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.5a", "1.6", "2.1", "2.2", "3.1",
                     "3.2", "3.3", "3.4", "4.1"]  # fmt: skip
    assert isinstance(sheet["C2"].value, (int, float))  # a number, not text
    with pytest.raises(CommandError, match="museumsstatistikk"):
        call_command("return", "--template", "gsi", "--organisation", "nmm", "--year", "2025")
    with pytest.raises(CommandError):  # Norske kulturhus keeps no museum
        call_command("return", "--template", "museumsstatistikk", "--organisation",
                     "norske-kulturhus", "--year", "2025")  # fmt: skip
