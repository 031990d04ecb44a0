"""A person logs in, finds a plan and reads it, in bokmål and in English."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import Membership, Role
from maalbilde.plans.files import read_plan_file
from maalbilde.plans.services import plan_import
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import SHIPPED_PLANS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ringve_rockheim():
    path = next(p for p in SHIPPED_PLANS if p.stem == "ringve-rockheim")
    return plan_import(document=read_plan_file(path)).plan


def test_log_in_and_read_a_plan(page: Page, ringve_rockheim):
    kari = User.objects.create_user("kari", password="hemmelig-passord-1")
    Membership.objects.create(user=kari, organisation=ringve_rockheim.owner, role=Role.VIEWER)
    page.goto("/")
    # The front door: what is public, and the way in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Publiserte planer og åpne data")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Logg inn").click()
    expect(page).to_have_url("/login/")
    assert_accessible(page)

    log_in(page, "kari", "hemmelig-passord-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Planer")
    assert_accessible(page)

    page.get_by_role(
        "link", name="Strategiplan for Norges musikkmuseum – Ringve og Rockheim"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Strategiplan for Norges musikkmuseum – Ringve og Rockheim"
    )
    expect(page.get_by_text("Målverdi, Rockheim: 300 innen 2030")).to_be_visible()
    expect(page.get_by_text("Målverdi, Ringve: 65 000 innen 2030")).to_be_visible()
    assert_accessible(page)


def test_switch_language(page: Page, ringve_rockheim):
    kari = User.objects.create_user("kari", password="hemmelig-passord-1")
    Membership.objects.create(user=kari, organisation=ringve_rockheim.owner, role=Role.VIEWER)
    log_in(page, "kari", "hemmelig-passord-1")
    page.goto("/plans/ringve-rockheim/")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url("/en/plans/ringve-rockheim/")
    expect(page.get_by_role("heading", name="Focus areas")).to_be_visible()
    expect(page.get_by_text("Target, Rockheim: 300 by 2030")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_is_refused_with_a_message(page: Page):
    User.objects.create_user("kari", password="hemmelig-passord-1")
    log_in(page, "kari", "feil")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url("/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Glemt passordet?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilbakestill passordet")
    assert_accessible(page)


def test_the_accessibility_check_catches_a_violation(page: Page):
    """The axe check is real: an image without a text alternative fails it."""
    page.set_content(
        '<html lang="nb"><head><title>x</title></head><body><img src="x.png"></body></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
