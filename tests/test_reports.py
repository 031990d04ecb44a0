"""Reports: the annual report of Ringve og Rockheim's 2025 in every format holds every focus
area, goal and indicator of the plan, and every figure and verdict is the status command's;
the board report puts the deviations first, with their comments; the PDF is tagged; nobody
sees in a report what the plan page would not show them."""

import io
import json
import re
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.models import Plan
from maalbilde.plans.status import VERDICT_WORDS, format_value
from tests.conftest import DEMO_DAY, pdf_structure

pytestmark = pytest.mark.django_db
YEAR = 2025
TITLE = f"Styrerapport {YEAR}: Strategiplan for Norges musikkmuseum – Ringve og Rockheim"


@pytest.fixture
def demo(demo_data, settings, tmp_path):
    shutil.copytree(demo_data, tmp_path, dirs_exist_ok=True)
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def today(monkeypatch):
    """The day the demo was made: the status command and the reports judge as of it."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: DEMO_DAY)


def made(tmp_path, kind: str, fmt: str, *more: str) -> bytes:
    out = tmp_path / f"{kind}.{fmt}"
    call_command("report", "--plan", "ringve-rockheim", "--year", str(YEAR), "--kind", kind,
                 "--format", fmt, "-o", str(out), *more)  # fmt: skip
    return out.read_bytes()


def status_rows(capsys) -> list[dict]:
    capsys.readouterr()
    call_command("status", "--plan", "ringve-rockheim", "--year", str(YEAR), "--format", "json")
    return json.loads(capsys.readouterr().out)


def squeezed(text: str) -> str:
    """Text without its spacing and line breaks (a PDF breaks lines where it must)."""
    return re.sub(r"\s+", "", text.replace("\u00ad", ""))


def plan_names() -> list[str]:
    version = Plan.objects.get(slug="ringve-rockheim").current_version
    names = [a.title for a in version.focus_areas.all()]
    names += [g.title for g in version.goals.all()]
    names += [i.name for i in version.indicators.filter(measure_of__isnull=True)]
    return names


def test_the_annual_report_in_every_format_holds_the_plan_and_the_status_figures(
    demo, today, tmp_path, capsys
):
    rows = [r for r in status_rows(capsys) if r["level"] == "indicator"]
    names = plan_names()
    assert len(names) > 80  # 8 focus areas and a perspective, 41 goals, 37 indicators
    with translation.override("nb"):
        figures = [(r["name"], format_value(r["actual"], r["unit"],
                                            growth=r["comparator"] == "growth_at_least"),
                    str(VERDICT_WORDS.get(r["verdict"] or "", "–")))
                   for r in rows]  # fmt: skip
    pdf = PdfReader(io.BytesIO(made(tmp_path, "annual", "pdf")))
    pdf_text = squeezed("".join(page.extract_text() for page in pdf.pages))
    document = Document(io.BytesIO(made(tmp_path, "annual", "docx")))
    docx_text = squeezed(" ".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]))  # fmt: skip
    html_text = squeezed(re.sub(r"<[^>]+>", " ", made(tmp_path, "annual", "html").decode()))
    for text in (pdf_text, docx_text, html_text):
        missing = [name for name in names if squeezed(name) not in text]
        assert not missing
        for name, actual, verdict in figures:
            assert squeezed(actual) in text and squeezed(verdict) in text, name
    # The charts: a picture in Word for each one in the HTML
    html = made(tmp_path, "annual", "html").decode()
    assert len(document.inline_shapes) == html.count('<img src="data:image/svg+xml') > 10
    # Word's own heading styles, real tables with a header row
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3"} <= styles
    headers = [t.rows[0].cells[0].text for t in document.tables]
    assert "Indikator" in headers
    # Each chart's figures as a table beside its picture, as on the page.
    assert headers.count("År") == len(document.inline_shapes)
    # XLSX: every row's figures as numbers, the same as the status command's
    book = load_workbook(io.BytesIO(made(tmp_path, "annual", "xlsx")))
    sheet = book["Mål og indikatorer"]
    header = [c.value for c in sheet[1]]
    got = sorted(
        (r[header.index("Indikator")], r[header.index("Organisasjon")], r[header.index("Periode")],
         r[header.index("Faktisk")], r[header.index("Målverdi")])
        for r in sheet.iter_rows(min_row=2, values_only=True))  # fmt: skip
    wanted = sorted((r["name"], r["organisation_name"], r["period"], r["actual"], r["target"])
                    for r in rows)  # fmt: skip
    assert got == wanted


def test_the_board_report_puts_the_deviations_first_with_their_comments(
    demo, today, tmp_path, capsys
):
    rows = [r for r in status_rows(capsys) if r["level"] == "indicator"]
    deviations = [r for r in rows if r["verdict"] in ("behind", "at_risk", "not_met")]
    assert deviations and len(deviations) < len(rows)
    book = load_workbook(io.BytesIO(made(tmp_path, "board", "xlsx")))
    assert book.sheetnames == ["Sammendrag", "Avvik", "Mål og indikatorer", "Tiltak", "Kilder"]
    sheet = book["Avvik"]
    header = [c.value for c in sheet[1]]
    listed = [
        dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    # Only the deviations, behind first, then at risk, then not met; each with its comment
    order = {"bak skjema": 0, "i faresonen": 1, "ikke nådd": 2}
    assert [r["Vurdering"] for r in listed] == sorted((r["Vurdering"] for r in listed),
                                                      key=order.__getitem__)  # fmt: skip
    assert sorted((r["Indikator"], r["Organisasjon"]) for r in listed) == sorted(
        (r["name"], r["organisation_name"]) for r in deviations
    )
    commented = {(r["name"], r["comment"]) for r in deviations if r["comment"]}
    assert {(r["Indikator"], r["Kommentar"]) for r in listed if r["Kommentar"]} == commented
    summary = {r[0]: r[1] for r in book["Sammendrag"].iter_rows(min_row=2, values_only=True)}
    assert summary["bak skjema"] == sum(r["verdict"] == "behind" for r in rows)


def test_the_pdf_is_tagged_with_title_language_bookmarks_and_structure(demo, today, tmp_path):
    pdf = PdfReader(io.BytesIO(made(tmp_path, "board", "pdf")))
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "nb"
    assert (
        pdf.metadata.title
        == f"Styrerapport {YEAR}: Strategiplan for Norges musikkmuseum – Ringve og Rockheim"
    )
    assert root["/MarkInfo"]["/Marked"]
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(pdf.outline)
    assert titles[:4] == [TITLE, "Sammendrag", "Avvik", "Innsatsområder, mål og indikatorer"]
    kinds, alternatives = pdf_structure(pdf)
    html = made(tmp_path, "board", "html").decode()
    assert kinds["/H1"] == html.count("<h1")
    assert kinds["/H2"] == html.count("<h2") and kinds["/H3"] == html.count("<h3")
    assert kinds["/Table"] >= html.count("<table")  # a table over two pages is two there
    assert kinds["/TH"] >= html.count("<th ")
    # Every chart is a figure with its words as the alternative text.
    charts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" width="\d+" height="\d+" '
                        r'alt="([^"]+)"', html)  # fmt: skip
    assert charts and kinds["/Figure"] == len(charts)
    assert sorted(alternatives) == sorted(c.replace("&#x27;", "'") for c in charts)


def test_a_report_file_of_ones_own_and_a_bad_one(demo, today, tmp_path, capsys):
    own = tmp_path / "mine.yaml"
    own.write_text("format: maalbilde-report/1\nslug: kort\ntitle: 'Kort {year}'\n"
                   "sections: [summary, deviations]\n")  # fmt: skip
    text = made(tmp_path, "annual", "html", "--file", str(own)).decode()
    assert "<h1>Kort 2025</h1>" in text and "Innsatsområder" not in text
    own.write_text("format: maalbilde-report/1\nslug: kort\ntitle: x\nsections: [summry]\n")
    with pytest.raises(CommandError):
        made(tmp_path, "annual", "html", "--file", str(own))
    assert "sections[0]" in capsys.readouterr().err
    with pytest.raises(CommandError, match="board"):
        made(tmp_path, "quarterly", "html")


def test_reports_in_the_browser_show_only_what_the_plan_page_shows(demo, today, client):
    """A member of the culture-house network sees in the network's reports its own figures
    and nothing of another member's; the museum's plan is closed to it."""
    member = Organisation.objects.get(slug="nk-fjordvik")
    user = User.objects.create_user("fjordvik", password="x")
    Membership.objects.create(user=user, organisation=member, role=Role.ADMINISTRATOR)
    client.force_login(user)
    page = client.get("/plans/norske-kulturhus/reports/").content.decode()
    assert "Styrerapport" in page or "Styrerapporten" in page
    for fmt in ("xlsx", "docx", "pdf"):
        response = client.get(f"/plans/norske-kulturhus/reports/annual.{fmt}?year={YEAR}")
        assert response.status_code == 200, fmt
    annual = client.get(f"/plans/norske-kulturhus/reports/annual.xlsx?year={YEAR}")
    book = load_workbook(io.BytesIO(annual.content))
    sheet = book["Mål og indikatorer"]
    organisations = {r[3] for r in sheet.iter_rows(min_row=2, values_only=True)}
    others = set(Organisation.objects.filter(path__startswith="/norske-kulturhus/")
                 .exclude(slug__in=["nk-fjordvik", "norske-kulturhus"])
                 .values_list("name", flat=True))  # fmt: skip
    assert organisations and not organisations & others
    assert client.get(f"/plans/ringve-rockheim/reports/annual.pdf?year={YEAR}").status_code == 403
    assert client.get("/plans/norske-kulturhus/reports/quarterly.pdf").status_code == 404


def test_a_pdf_is_made_in_the_background_for_the_one_who_asked(demo, today, client):
    """The reports page asks for the PDF; the work runs as a task (here within the request)
    writing how far it has come; the file is the person's own."""
    member = Organisation.objects.get(slug="nk-fjordvik")
    user = User.objects.create_user("fjordvik", password="x")
    Membership.objects.create(user=user, organisation=member, role=Role.VIEWER)
    client.force_login(user)
    response = client.post("/plans/norske-kulturhus/reports/annual/make/",
                           {"format": "pdf", "year": YEAR, "organisation": ""})  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and "norske-kulturhus-annual-2025.pdf" in page.content.decode()
    assert client.get(response["Location"] + "?format=json").json()["state"] == "done"
    pdf = client.get(response["Location"] + "file")
    assert pdf["Content-Type"] == "application/pdf"
    text = squeezed("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    # The same report as the page gives the member: the network's released figures, and
    # nothing of another member's.
    assert squeezed(f"Årsrapport {YEAR}") in text and squeezed("Norske kulturhus") in text
    direct = client.get(f"/plans/norske-kulturhus/reports/annual/?year={YEAR}").content.decode()
    assert all(squeezed(row) in text for row in re.findall(
        r'<th scope="row">([^<]+)</th>', direct) if len(row) < 40)  # fmt: skip
    assert squeezed("Elvedal kulturhus") not in text
    # Somebody else may not fetch it, nor ask for a format that is not made this way.
    other = User.objects.create_user("elvedal", password="x")
    Membership.objects.create(user=other, role=Role.ADMINISTRATOR,
                              organisation=Organisation.objects.get(slug="nk-elvedal"))  # fmt: skip
    client.force_login(other)
    assert client.get(response["Location"] + "file").status_code == 404
    assert client.post("/plans/norske-kulturhus/reports/annual/make/",
                       {"format": "exe"}).status_code == 404  # fmt: skip


def test_a_person_has_only_a_few_files_made_at_once(demo, today, client):
    from maalbilde.plans.models import Plan
    from maalbilde.reports.models import MadeReport

    user = User.objects.create_user("ivrig", password="x")
    Membership.objects.create(user=user, role=Role.VIEWER,
                              organisation=Organisation.objects.get(slug="nmm"))  # fmt: skip
    plan = Plan.objects.get(slug="ringve-rockheim")
    for _ in range(3):  # waiting for the worker
        MadeReport.objects.create(user=user, plan=plan, report="annual", format="pdf", year=YEAR)
    client.force_login(user)
    response = client.post("/plans/ringve-rockheim/reports/annual/make/", {"format": "pdf"})
    assert response["Location"] == "/plans/ringve-rockheim/reports/"
    assert MadeReport.objects.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "3 av rapportfilene dine lages" in page


def test_the_spreadsheet_says_units_in_words_and_a_growth_rate_as_percent(demo, today, tmp_path):
    book = load_workbook(io.BytesIO(made(tmp_path, "annual", "xlsx")))
    sheet = book["Mål og indikatorer"]
    header = [c.value for c in sheet[1]]
    unit, actual = header.index("Enhet"), header.index("Faktisk")
    rows = list(sheet.iter_rows(min_row=2))
    growth = [r for r in rows if r[unit].value == "% per år"]
    assert growth and all(r[actual].number_format == '0.0" %"' for r in growth)
    assert {r[unit].value for r in rows} >= {"antall", "kvalitativ"}
    sources = book["Kilder"]
    assert all(isinstance(r[3], int) for r in sources.iter_rows(min_row=2, values_only=True))
