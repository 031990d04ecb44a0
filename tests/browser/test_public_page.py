"""An administrator publishes a year; the public page, without login, shows that year only."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.observations import observation_save
from maalbilde.plans.services import plan_import
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_publish_a_year_and_read_it_without_logging_in(page: Page):
    plan = plan_import(document=parse_plan_file(dump(minimal_plan()).encode())).plan
    nord = Organisation.objects.get(slug="nord")
    observation_save(
        plan=plan, indicator_slug="skolebesok", organisation=nord, year=2025, text="310"
    )
    observation_save(
        plan=plan, indicator_slug="skolebesok", organisation=nord, year=2026, text="777"
    )
    admin = User.objects.create_user("anne", password="hemmelig-passord-1")
    Membership.objects.create(user=admin, organisation=plan.owner, role=Role.ADMINISTRATOR)

    log_in(page, "anne", "hemmelig-passord-1")
    page.goto("/plans/testplan/?year=2025")
    page.get_by_role("button", name="Publiser tallene for 2025").click()
    # Asked first, with what will happen; Cancel leaves it as it was.
    expect(page.get_by_role("heading", name="Publisere tallene for 2025?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Alle, uten innlogging, ser planen")
    assert_accessible(page)
    page.get_by_role("link", name="Avbryt: ikke gjør noe").click()
    expect(page).to_have_url(re.compile(r"/plans/testplan/\?year=2025$"))
    page.get_by_role("button", name="Publiser tallene for 2025").click()
    page.get_by_role("button", name="Publiser tallene for 2025").click()
    expect(page.get_by_role("status")).to_contain_text("Tallene for 2025 er offentlige.")
    assert_accessible(page)
    page.get_by_role("button", name="Logg ut").click()

    page.goto("/p/testplan/")
    expect(page.get_by_role("heading", name="Status 2025")).to_be_visible()
    expect(page.get_by_text("Nådd").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("777")
    assert_accessible(page)
