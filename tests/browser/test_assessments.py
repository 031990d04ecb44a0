"""The responsible person writes an assessment with the keyboard alone, and reads it on the
plan page and, marked public, on the public page."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import Membership, Role
from maalbilde.plans.files import read_plan_file
from maalbilde.plans.models import Assessment
from maalbilde.plans.services import plan_import, publication_set
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import SHIPPED_PLANS

pytestmark = pytest.mark.django_db(transaction=True)


def test_write_an_assessment_with_the_keyboard_and_read_it_where_the_plan_is(page: Page):
    path = next(p for p in SHIPPED_PLANS if p.stem == "ringve-rockheim")
    plan = plan_import(document=read_plan_file(path)).plan
    publication_set(plan=plan, year=2025, published=True)
    rita = User.objects.create_user("rita", password="hemmelig-passord-1")
    Membership.objects.create(user=rita, organisation=plan.owner, role=Role.EDITOR)
    log_in(page, "rita", "hemmelig-passord-1")
    page.goto("/plans/ringve-rockheim/?year=2025")
    page.get_by_role("link", name="Vurderinger – Totalt årlig besøkstall registrert gjennom "
                     "billettsystem.", exact=True).click()  # fmt: skip
    expect(page.get_by_role("heading", level=1)).to_have_text("Vurderinger")
    assert_accessible(page)

    page.get_by_label("År").focus()
    expect(page.get_by_label("År")).to_have_value("2025")
    page.keyboard.press("Tab")  # the verdict: the indicator's targets give it
    page.keyboard.press("Tab")
    page.keyboard.type("Ringve var stengt i seks uker; vi åpner med ny utstilling i mai.")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # public
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Vurderingen er lagret.")
    expect(page.get_by_role("cell", name="Ringve var stengt i seks uker")).to_be_visible()
    assert_accessible(page)
    stored = Assessment.objects.get()
    assert (stored.year, stored.verdict, stored.public, stored.written_by) == (2025, "", True,
                                                                                rita)  # fmt: skip

    page.goto("/plans/ringve-rockheim/?year=2025")
    expect(page.get_by_text("Ringve var stengt i seks uker").first).to_be_visible()
    page.goto("/p/ringve-rockheim/?year=2025")
    expect(page.get_by_text("Ringve var stengt i seks uker").first).to_be_visible()
    assert_accessible(page)
    # ... and in the status the command gives, on the indicator's rows.
    out = io.StringIO()
    call_command("status", "--plan", "ringve-rockheim", "--year", "2025", "--format", "json",
                 stdout=out)  # fmt: skip
    visitors = [r for r in json.loads(out.getvalue()) if r["indicator"] == "besokstall"]
    assert visitors and {r["comment"] for r in visitors} == {
        "Ringve var stengt i seks uker; vi åpner med ny utstilling i mai."
    }
