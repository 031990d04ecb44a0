"""A director finds the plan's reports, sees the board report as a page and has the PDF
made; the pages pass axe, and the report prints without the way back. The secretariat of a
network reads its yearly analysis, and a museum its official return, each passing axe."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import Membership, Organisation, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.test_backup import REPO

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemmelig-passord-1"


def test_the_board_report_as_a_page_and_a_pdf(page: Page):
    call_command("plan", "import", str(REPO / "plans" / "ringve-rockheim.yaml"), verbosity=0)
    user = User.objects.create_user("direktor", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.VIEWER,
                              organisation=Organisation.objects.get(slug="nmm"))  # fmt: skip
    log_in(page, "direktor", PASSWORD)
    page.goto("/plans/ringve-rockheim/?year=2026")
    page.get_by_role("link", name="Rapporter: styrerapporten og årsrapporten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporter")
    assert_accessible(page)
    board = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Styrerapport")
    )
    # The PDF is made in the background, with a page that says how far it has come.
    board.get_by_role("button", name="Lag PDF").click()
    expect(page.get_by_role("status")).to_have_text("Klar")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned ringve-rockheim-board-2026.pdf").click()
    assert download.value.suggested_filename == "ringve-rockheim-board-2026.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.get_by_role("link", name="Rapporter", exact=True).click()
    board = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Styrerapport")
    )
    board.get_by_role("link", name="Se den").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Styrerapport 2026: Strategiplan for Norges musikkmuseum – Ringve og Rockheim"
    )
    expect(page.get_by_role("heading", name="Avvik", level=2)).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Tilbake til rapportene")).to_be_hidden()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Tilbake til rapportene").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporter")


def test_the_networks_analysis_and_a_museums_return_in_the_browser(
    page: Page, tmp_path, settings, demo_snapshot
):
    settings.DATA_DIR = tmp_path
    demo_snapshot(tmp_path)
    user = User.objects.create_user("sekretariat", password=PASSWORD)
    for slug, role in (("norske-kulturhus", Role.EDITOR), ("nmm", Role.VIEWER)):
        Membership.objects.create(user=user, role=role,
                                  organisation=Organisation.objects.get(slug=slug))  # fmt: skip
    log_in(page, "sekretariat", PASSWORD)
    page.goto("/organisations/norske-kulturhus/")
    page.get_by_role("link", name="Rapporter", exact=True).click()
    expect(page.get_by_role("heading", name="Årsanalyse")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Se den").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Norske kulturhus: årsanalyse 2024–2025"
    )
    expect(page.get_by_role("heading", name="Etter region og størrelsesgruppe")).to_be_visible()
    assert_accessible(page)
    page.goto("/organisations/nmm/reports/?year=2025")
    page.get_by_role("link", name="Se den for 2025").click()
    expect(page.get_by_role("row", name="1.1 Besøk i alt")).to_be_visible()
    assert_accessible(page)
