"""Log in, see the plan's status, type a figure or add a register row with the keyboard
alone, and see the indicator and its verdict change."""

import datetime

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import read_plan_file
from maalbilde.plans.services import plan_import
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import SHIPPED_PLANS

pytestmark = pytest.mark.django_db(transaction=True)
PLAN = "Strategiplan for Norges musikkmuseum – Ringve og Rockheim"
OFFERS = "Antall nye pedagogiske formidlingstilbud"


@pytest.fixture
def reporter() -> User:
    plan_import(
        document=read_plan_file(next(p for p in SHIPPED_PLANS if p.stem == "ringve-rockheim"))
    )
    reporter = User.objects.create_user("siri", password="hemmelig-passord-1")
    Membership.objects.create(user=reporter, organisation=Organisation.objects.get(slug="nmm"),
                              role=Role.REPORTER)  # fmt: skip
    return reporter


def test_type_a_figure_and_the_indicator_shows_it(page: Page, reporter: User):
    log_in(page, "siri", "hemmelig-passord-1")
    page.get_by_role("link", name=PLAN).click()
    page.get_by_role(
        "link", name="Antall tilrettelagte plasser for arbeidstrening el.", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("arbeidstrening")
    assert_accessible(page)
    # The keyboard alone: focus the figure, type, tab to the comment, type, press Enter.
    page.get_by_role("textbox", name="Tall").focus()
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.type("Seks plasser på Ringve, seks på Rockheim")
    page.get_by_role("button", name="Lagre").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Tallet er lagret.")
    year = datetime.date.today().year
    expect(page.locator("table.figures tr", has_text=str(year)).first).to_contain_text("12")
    expect(page.locator("#h-history + ul")).to_contain_text("Seks plasser")
    assert_accessible(page)


def test_add_a_register_row_and_the_verdict_changes(page: Page, reporter: User):
    """New offers for schools are kept in a register; the plan's target is one a year."""
    log_in(page, "siri", "hemmelig-passord-1")
    page.get_by_role("link", name=PLAN).click()
    offers = page.locator("li", has=page.get_by_role("link", name=OFFERS))
    expect(offers.locator(".status")).to_contain_text("Ingen tall")
    page.get_by_role("link", name="Registre", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Nye pedagogiske formidlingstilbud").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nye pedagogiske formidlingstilbud")
    assert_accessible(page)
    # The keyboard alone, field by field in the order of the form.
    page.get_by_label("Organisasjon").focus()
    page.keyboard.press("Tab")
    today = datetime.date.today()
    page.keyboard.type(today.strftime("%d.%m.%Y"))
    page.keyboard.press("Tab")
    page.get_by_label("Målgruppe").select_option("Barnetrinn")
    page.get_by_label("Tittel").focus()
    page.keyboard.type("Lag din egen låt")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Raden er lagt til.")
    expect(page.locator("table")).to_contain_text("Lag din egen låt")
    assert_accessible(page)
    page.get_by_role("link", name=f"Rett eller fjern raden fra {today:%d.%m.%Y}").click()
    assert_accessible(page)
    page.get_by_role("link", name="Strategiplan for Norges musikkmuseum", exact=False).click()
    expect(offers.locator(".status")).to_contain_text("Nådd")
