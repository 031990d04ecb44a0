"""A museum's administrator starts from the strategy they have: uploads it, checks the draft
beside the text, corrects one target and saves; the new plan's page shows the corrected
target."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import Membership, Organisation, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.test_plan_draft import RINGVE_ROCKHEIM

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_correct_a_target_and_save(page: Page):
    museum = Organisation.objects.create(slug="musikkmuseet", name="Norges musikkmuseum",
                                         kind="department", path="/musikkmuseet/")  # fmt: skip
    admin = User.objects.create_user("ada", password="hemmelig-passord-1")
    Membership.objects.create(user=admin, organisation=museum, role=Role.ADMINISTRATOR)
    log_in(page, "ada", "hemmelig-passord-1")
    page.goto("/organisations/musikkmuseet/")
    page.get_by_role("link", name="Lag en plan fra et strategidokument").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lag en plan fra et strategidokument")
    assert_accessible(page)
    page.get_by_label("Strategidokumentet (PDF, Word eller tekst)").set_input_files(
        str(RINGVE_ROCKHEIM)
    )
    page.get_by_role("button", name="Les dokumentet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Se over planutkastet")
    expect(page.get_by_text("mål 41, indikatorer 37, tallmål 7, milepæler 1")).to_be_visible()
    expect(page.get_by_role("region", name="Dokumentet")).to_contain_text(
        "Øke årlige skole- og barnehagebesøk til"
    )
    assert_accessible(page)
    target = page.get_by_role("group", name="Målverdi 1 for «Antall registrerte "
                                            "skole-/barnehagebestillinger per år.»")  # fmt: skip
    expect(target.get_by_label("Organisasjon")).to_have_value("rockheim")
    expect(target.get_by_label("Verdi")).to_have_value("300")
    target.get_by_label("Verdi").fill("320")
    # A goal the document does not mean is left out (the page greys it, and saves without it).
    left_out = "Styrke faglig utvikling internt gjennom kompetanseheving og deling."
    area = page.get_by_role("group", name="Innsatsområde 2")
    area.get_by_label("Utelat mål 5").check()
    expect(area.get_by_label("Mål 5", exact=True)).to_have_value(left_out)
    page.get_by_role("button", name="Lagre som ny plan").first.click()

    expect(page.get_by_role("status")).to_contain_text("er lagret som utkast")
    expect(page.get_by_text("Målverdi, Rockheim: 320 innen 2030")).to_be_visible()
    expect(page.get_by_text("Målverdi, Ringve: 275 innen 2030")).to_be_visible()
    expect(page.get_by_text(left_out)).to_have_count(0)
    assert_accessible(page)
