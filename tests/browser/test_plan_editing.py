"""An editor changes the plan in the browser: a text and a target, each a new version, and
the plan page shows the new target."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import Membership, Role
from maalbilde.plans.files import read_plan_file
from maalbilde.plans.services import plan_import
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import SHIPPED_PLANS

pytestmark = pytest.mark.django_db(transaction=True)


def test_edit_a_text_and_a_target(page: Page):
    path = next(p for p in SHIPPED_PLANS if p.stem == "ringve-rockheim")
    plan = plan_import(document=read_plan_file(path)).plan
    editor = User.objects.create_user("eva", password="hemmelig-passord-1")
    Membership.objects.create(user=editor, organisation=plan.owner, role=Role.EDITOR)
    log_in(page, "eva", "hemmelig-passord-1")
    page.goto("/plans/ringve-rockheim/")
    page.get_by_role("link", name="Rediger planen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rediger planen")
    assert_accessible(page)

    page.get_by_label("Visjon").fill("Musikkens kraft – for alle.")
    page.get_by_role("button", name="Lagre som ny versjon").click()
    expect(page.get_by_role("status")).to_have_text("Lagret som versjon 2.")
    expect(page.get_by_label("Visjon")).to_have_value("Musikkens kraft – for alle.")

    page.get_by_role("link", name="Antall registrerte skole-/barnehagebestillinger per år.").click()
    assert_accessible(page)
    first = page.get_by_role("group", name="Målverdi 1")
    expect(first.get_by_label("Organisasjon")).to_have_value("rockheim")
    first.get_by_label("Målverdi", exact=True).fill("320")
    page.get_by_role("button", name="Lagre som ny versjon").click()
    expect(page.get_by_role("status")).to_have_text("Lagret som versjon 3.")

    page.goto("/plans/ringve-rockheim/edit/goals/skole-og-barnehagebesok/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rediger et mål")
    assert_accessible(page)
    page.goto("/plans/ringve-rockheim/initiatives/")
    page.get_by_role("link", name="Oppdater", exact=False).first.click()
    expect(page.get_by_label("Status")).to_be_visible()
    assert_accessible(page)
    page.goto("/plans/ringve-rockheim/edit/file/")
    expect(page.get_by_label("Planfil (YAML)")).to_contain_text("value: 320")
    assert_accessible(page)
    page.goto("/plans/ringve-rockheim/")
    expect(page.get_by_text("Målverdi, Rockheim: 320 innen 2030")).to_be_visible()
    expect(page.get_by_text("Musikkens kraft – for alle.")).to_be_visible()
    # The changed target stands in the plan's trail of changes, with its value after.
    page.get_by_role("link", name="Endringer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Endringer")
    changed = page.get_by_role("cell", name="målverdier endret: ringve-rockheim v3")
    expect(changed.first).to_be_visible()
    expect(page.get_by_text("organisasjon: rockheim").first).to_be_visible()
    expect(page.get_by_text("tall: 320.0").first).to_be_visible()
    assert_accessible(page)
