"""The network's yearly analysis: every question over the rounds from their releases only,
worked out by hand — the network's sums, the change per member answering, coverage, each
figure per seat; nothing of an approval made after the release, and nothing of a round a
person may not read."""

import io

import pytest
import yaml
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone, translation
from docx import Document
from pypdf import PdfReader

from maalbilde.networks.releases import open_data_set, release_create
from maalbilde.networks.results import Statistic
from maalbilde.networks.rounds import round_import
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.reports.analysis import (
    QuestionAnalysis,
    YearFigures,
    analysis_rounds,
    network_analysis,
)
from maalbilde.reports.render import analysis_bytes
from tests import test_networks
from tests.conftest import pdf_structure
from tests.test_networks import approved, member, round_file

pytestmark = pytest.mark.django_db
plan = test_networks.plan  # the network and its five houses

# Seats and inhabitants of each house, and the capacity each gave in 2024 and 2025.
HOUSES = {
    "hus-a": (100, 10_000, 1_000, 1_100),
    "hus-b": (200, 20_000, 3_000, 3_300),
    "hus-c": (400, 40_000, 4_000, 4_400),
    "hus-d": (500, 50_000, 10_000, 11_000),
    "hus-e": (800, 80_000, 8_000, None),  # no answer approved in 2025 before the release
}


@pytest.fixture
def rounds(plan, settings):
    # Sums from three answers and quartiles from five, to work the figures out by hand.
    settings.NETWORK_MIN_ANSWERS, settings.NETWORK_MIN_ANSWERS_FOR_QUARTILES = 3, 5
    for slug, (seats, people, *_capacity) in HOUSES.items():
        house = member(slug)
        house.attributes = {**house.attributes, "seats": seats, "population": people}
        house.save()
    earlier = round_import(text=yaml.safe_dump(
        round_file(slug="statistikk-2024", title="Statistikk 2024", year=2024),
        allow_unicode=True))  # fmt: skip
    later_file = round_file(title="Statistikk 2025", previous="statistikk-2024")
    later = round_import(text=yaml.safe_dump(later_file, allow_unicode=True))
    for slug, (_seats, _people, capacity_2024, capacity_2025) in HOUSES.items():
        approved(earlier, slug, kapasitet=str(capacity_2024))
        if capacity_2025 is not None:
            approved(later, slug, kapasitet=str(capacity_2025))
    release_create(round_=earlier, user=None)
    release_create(round_=later, user=None)
    return earlier, later


def reporter_of(slug: str) -> User:
    user = User.objects.create_user(f"rapportør-{slug}")
    Membership.objects.create(user=user, organisation=member(slug), role=Role.REPORTER)
    return user


def capacity(analysis):
    return next(q for q in analysis.questions if q.slug == "kapasitet")


def test_the_analysis_by_hand_from_the_releases(rounds):
    _earlier, later = rounds
    with translation.override("en"):
        analysis = network_analysis(analysis_rounds(reporter_of("hus-a"), later),
                                    today=timezone.localdate())  # fmt: skip
        question = capacity(analysis)
        # 2024: 1 000 + 3 000 + 4 000 + 10 000 + 8 000 = 26 000 from five houses, mean 5 200;
        # 2025: 1 100 + 3 300 + 4 400 + 11 000 = 19 800 from four, mean 4 950: the sum falls
        # by a quarter, but per member answering by (4 950 − 5 200) / 5 200 = −4.8 %.
        assert [y.figure for y in question.years] == [26_000, 19_800]
        assert round(question.change, 2) == -4.81
        row = next(r for r in analysis.development_table().rows if r[0] == "Kapasitet")
        assert row == ["Kapasitet", "26,000", "19,800", "−4.8%", "5 of 5", "4 of 5"]
        # Per seat, the network: 26 000 / (100 + 200 + 400 + 500 + 800) = 13 in 2024, and
        # 19 800 / (100 + 200 + 400 + 500) = 16.5 in 2025 (the houses in the sum only).
        assert [y.per["seats"] for y in question.years] == [13, 16.5]
        # Per 1 000 inhabitants: 26 000 / 200 000 × 1 000 = 130.
        assert question.years[0].per["population"] == 130
        # The houses' own ratios in 2024: 10, 15, 10, 20, 10 — quartiles at positions 1, 2, 3
        # of 10, 10, 10, 15, 20: 10, 10, 15. In 2025 four answers: too few to show.
        everybody = [r for r in question.years[0].ratios
                     if r["ratio"] == "seats" and r["grouping"] == "all"]  # fmt: skip
        assert [(r["lower_quartile"], r["median"], r["upper_quartile"], r["answered"])
                for r in everybody] == [(10, 10, 15, 5)]  # fmt: skip
        later_all = next(r for r in question.years[1].ratios
                         if r["ratio"] == "seats" and r["grouping"] == "all")  # fmt: skip
        assert (later_all["median"], later_all["answered"]) == (None, 4)
        ratio_row = next(r for r in analysis.ratio_table("seats").rows if r[0] == "Kapasitet")
        assert ratio_row == ["Kapasitet", "13", "16.5", "10", "–"]
        # Nord (hus-a, hus-b, hus-c) in 2025: three answers, no median to show; the group and
        # its coverage are listed all the same.
        groups = {name: cells for name, *cells in question.group_table().rows}
        assert groups["Nord"] == ["– (3 of 3)", "– (3 of 3)"]


def test_the_analysis_shows_nothing_new_until_the_next_release(rounds):
    """One more approval after a release shows nothing; and the next release, compared with
    the first, would give that house's answer away (28 800 − 19 800 = 9 000), so it keeps
    the sum the first release showed."""
    _earlier, later = rounds
    approved(later, "hus-e", kapasitet="9 000")
    analysis = network_analysis(analysis_rounds(reporter_of("hus-b"), later),
                                today=timezone.localdate())  # fmt: skip
    assert [y.figure for y in capacity(analysis).years] == [26_000, 19_800]
    second = release_create(round_=later, user=None)
    assert "sum:kapasitet" in {item["cell"] for item in second.held_back}
    analysis = network_analysis(analysis_rounds(reporter_of("hus-c"), later),
                                today=timezone.localdate())  # fmt: skip
    assert [y.figure for y in capacity(analysis).years] == [26_000, 19_800]
    # The figure per seat is the kept sum over the houses of the release it comes from.
    assert capacity(analysis).years[1].per["seats"] == 16.5


def test_no_figure_per_seat_where_a_house_in_the_sum_has_no_seats(rounds):
    """A sum over the houses with seats only would be a new sum of answers: with one house
    left out, the network's sum minus it would give that house's answer."""
    _earlier, later = rounds
    house = member("hus-b")
    house.attributes = {k: v for k, v in house.attributes.items() if k != "seats"}
    house.save()
    analysis = network_analysis(analysis_rounds(reporter_of("hus-a"), later),
                                today=timezone.localdate())  # fmt: skip
    assert [y.per["seats"] for y in capacity(analysis).years] == [None, None]
    assert [y.per["population"] for y in capacity(analysis).years] == [130, 165]


def test_who_reads_the_analysis(rounds, client):
    earlier, later = rounds
    url = f"/rounds/{later.slug}/analysis/"
    # Nobody logged in: only rounds published as open data.
    assert client.get(url)["Location"].startswith("/login/")
    assert analysis_rounds(AnonymousUser(), later) == []
    open_data_set(round_=earlier, user=None, published=True)
    assert f"/rounds/{earlier.slug}/analysis/" in client.get("/p/").content.decode()
    page = client.get(f"/rounds/{earlier.slug}/analysis/")
    assert page.status_code == 200 and "26\xa0000" in page.content.decode()
    assert client.get(url).status_code == 302  # 2025 is not open data
    # A person of another organisation: refused.
    stranger = User.objects.create_user("naboen")
    other = Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    Membership.objects.create(user=stranger, organisation=other, role=Role.ADMINISTRATOR)
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    assert client.get(f"/rounds/{later.slug}/analysis.pdf").status_code == 403
    # A member's reporter: both years, released figures only, in every format.
    client.force_login(reporter_of("hus-d"))
    page = client.get(url).content.decode()
    assert "26\xa0000" in page and "19\xa0800" in page
    pdf = PdfReader(io.BytesIO(client.get(f"/rounds/{later.slug}/analysis.pdf").content))
    text = "".join(p.extract_text() for p in pdf.pages).replace("\xa0", " ")
    assert "19 800" in text and pdf.metadata.title.startswith("Nettverket")
    docx = Document(io.BytesIO(client.get(f"/rounds/{later.slug}/analysis.docx").content))
    cells = [c.text for t in docx.tables for row in t.rows for c in row.cells]
    assert "19\xa0800" in cells and "26\xa0000" in cells
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert "Kapasitet" in headings


def test_the_pdf_tags_its_tables_and_charts(rounds):
    _earlier, later = rounds
    with translation.override("nb"):
        analysis = network_analysis(analysis_rounds(reporter_of("hus-e"), later),
                                    today=timezone.localdate())  # fmt: skip
        pdf = PdfReader(io.BytesIO(analysis_bytes(analysis, "pdf")))
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "nb" and root["/MarkInfo"]["/Marked"]
    kinds, alternatives = pdf_structure(pdf)
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/Figure"} <= set(kinds)
    # Every chart's words are its alternative text: the network's sum each year.
    assert any(a.startswith("Kapasitet.") for a in alternatives)


def test_a_mean_of_percentages_or_steps_changes_by_points_a_sum_by_percent():
    def analysed(unit: str, summable: bool, before: float, after: float) -> QuestionAnalysis:
        years = [YearFigures(year, Statistic("q", "all", "", 40, 40, None, mean), [])
                 for year, mean in ((2024, before), (2025, after))]  # fmt: skip
        return QuestionAnalysis("q", "Q", unit, "", summable, years)

    with translation.override("en"):
        # Occupancy 71.9 % → 72.1 %: 0.2 points, not 0.3 % of 71.9.
        assert analysed("percent", False, 71.9, 72.1).formatted_change() == (
            "+0.2 percentage points")  # fmt: skip
        # A scale's mean 3.5 → 3.7: 0.2 steps.
        assert analysed("", False, 3.5, 3.7).formatted_change() == "+0.2"
        # A sum's mean 5 200 → 4 950 a house: −4.8 %.
        assert analysed("count", True, 5200, 4950).formatted_change() == "−4.8%"
