"""A director finds the plan's reports, sees the board report as a page and downloads the
PDF; both pages pass axe, and the report prints without the way back."""

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
    with page.expect_download() as download:
        board.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "ringve-rockheim-board-2026.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
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
