"""Log in, see the plan's status, type a figure with the keyboard alone, and see the
indicator and its verdict change."""

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


def test_type_a_figure_and_the_verdict_changes(page: Page):
    plan_import(
        document=read_plan_file(next(p for p in SHIPPED_PLANS if p.stem == "ringve-rockheim"))
    )
    reporter = User.objects.create_user("siri", password="hemmelig-passord-1")
    Membership.objects.create(user=reporter, organisation=Organisation.objects.get(slug="nmm"),
                              role=Role.REPORTER)  # fmt: skip
    log_in(page, "siri", "hemmelig-passord-1")
    page.get_by_role(
        "link", name="Strategiplan for Norges musikkmuseum – Ringve og Rockheim"
    ).click()
    offers = page.locator(
        "li", has=page.get_by_role("link", name="Antall nye pedagogiske formidlingstilbud")
    )
    expect(offers.locator(".status")).to_contain_text("Ingen tall")

    offers.get_by_role("link", name="Antall nye pedagogiske formidlingstilbud").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "nye pedagogiske formidlingstilbud"
    )
    assert_accessible(page)
    # The keyboard alone: focus the figure, type, tab to the comment, type, press Enter.
    page.get_by_role("textbox", name="Tall").focus()
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("To nye skoletilbud")
    page.get_by_role("button", name="Lagre").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Tallet er lagret.")
    year = datetime.date.today().year
    expect(page.locator("table.figures tr", has_text=str(year)).first).to_contain_text("2")
    expect(page.locator(".targets .status")).to_contain_text("Nådd")
    assert_accessible(page)
