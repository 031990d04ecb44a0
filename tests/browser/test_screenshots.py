"""Screenshots of the main pages with the demo data, in bokmål, for docs/screenshots/.

Every run takes them (into a temporary folder) and checks each page with axe-core;
`make screenshots` runs this test with MAALBILDE_SCREENSHOTS=docs/screenshots to refresh
the pictures the README shows."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page

from maalbilde.organisations.models import Membership, Organisation, Role
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "plans": "/",
    "plan": "/plans/ringve-rockheim/",
    "indicator": "/plans/ringve-rockheim/indicators/besokstall/",
    "import": "/plans/ringve-rockheim/import/",
    "initiatives": "/plans/ringve-rockheim/initiatives/",
    "register": "/plans/ringve-rockheim/registers/rr-medieoppslag/?year=2026",
    "edit": "/plans/ringve-rockheim/edit/indicators/besokstall/",
    "round": "/rounds/nk-medlemsstatistikk-2025/",
}


def test_main_pages(page: Page, tmp_path, settings, demo_snapshot):
    settings.DATA_DIR = tmp_path
    demo_snapshot(tmp_path)
    User.objects.create_superuser("demo", password="hemmelig-passord-1")
    page.set_viewport_size({"width": 1100, "height": 900})
    log_in(page, "demo", "hemmelig-passord-1")
    shots = tmp_path / "shots"
    shots.mkdir()
    for name, url in PAGES.items():
        page.goto(url)
        assert_accessible(page)
        page.screenshot(path=shots / f"{name}.png", full_page=False)
    # A chart on a phone keeps its text readable (it scrolls sideways rather than shrink).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(PAGES["indicator"])
    assert_accessible(page)
    tick = page.locator(".chart .tick").first.evaluate("e => e.getBoundingClientRect().height")
    assert tick >= 9, f"axis text {tick:.1f} px high on a phone"
    page.screenshot(path=shots / "indicator-phone.png")
    page.set_viewport_size({"width": 1100, "height": 900})
    # A member house's view of the statistics: its own figures among its peers'.
    member = User.objects.create_user("elvedal", password="hemmelig-passord-1")
    Membership.objects.create(user=member, organisation=Organisation.objects.get(
        slug="nk-elvedal"), role=Role.REPORTER)  # fmt: skip
    page.get_by_role("button", name="Logg ut").click()
    log_in(page, "elvedal", "hemmelig-passord-1")
    page.goto("/rounds/nk-medlemsstatistikk-2025/results/")
    assert_accessible(page)
    page.screenshot(path=shots / "benchmark.png", full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(PAGES["plan"])
    assert_accessible(page)
    page.screenshot(path=shots / "plan-phone.png")
    assert sorted(p.name for p in shots.iterdir()) == sorted(
        [f"{name}.png" for name in PAGES] + ["plan-phone.png", "indicator-phone.png",
                                             "benchmark.png"]
    )  # fmt: skip
    target = os.environ.get("MAALBILDE_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for picture in shots.iterdir():
            shutil.copy(picture, Path(target) / picture.name)
