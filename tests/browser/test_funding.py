"""The secretariat records a municipality's payment in the browser and the balance changes;
the page passes axe on a desktop and on a phone."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Page, expect

from maalbilde.funding.models import FundingFile, Payment
from maalbilde.organisations.models import Membership, Organisation, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.test_backup import REPO

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemmelig-passord-1"


def test_a_payment_is_recorded_and_the_balance_changes(page: Page):
    call_command("plan", "import", str(REPO / "plans" / "ungmusikk.yaml"), verbosity=0)
    call_command("funding", "import", str(REPO / "funding" / "ungmusikk.yaml"), verbosity=0)
    user = User.objects.create_user("kasserer", password=PASSWORD)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="ungmusikk"),
                              role=Role.EDITOR)  # fmt: skip
    log_in(page, "kasserer", PASSWORD)
    page.goto("/organisations/ungmusikk/")
    page.get_by_role("link", name="Finansiering").click()
    page.get_by_label("År", exact=True).select_option("2020")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finansieringen til UngMusikk, 2020")
    moss = page.get_by_role("row", name="Moss kommune")
    expect(moss).to_contain_text("80 000 kr")
    assert_accessible(page)
    page.get_by_label("Part").select_option(label="Moss kommune")
    page.get_by_role("group", name="Hva").get_by_role("radio", name="fakturert").check()
    page.get_by_label("Beløp (kr)").fill("80 000")
    page.get_by_label("Dato").fill("15.01.2020")
    page.get_by_role("button", name="Registrer").click()
    expect(page.get_by_role("status")).to_have_text("Registrert: fakturert for Moss kommune, 2020.")
    # Invoiced now, and outstanding until it is paid.
    expect(moss.get_by_role("cell").nth(2)).to_have_text("80 000 kr")
    expect(moss.get_by_role("cell").nth(4)).to_have_text("80 000 kr")
    # The bank's export of payments: Moss paid, and the county half of its grant.
    ledger = page.get_by_role("region", name="Fra regnskapet")
    ledger.get_by_label("Regnskapsutskrift (CSV eller XLSX)").set_input_files(files=[{
        "name": "bank.csv", "mimeType": "text/csv",
        "buffer": "Bilagsdato;Kunde;Beløp\n01.03.2020;Moss kommune;80 000\n"
                  "16.03.2020;Viken fylkeskommune;1 288 750,00\nSum;;1 368 750\n".encode("cp1252"),
    }])  # fmt: skip
    ledger.get_by_role("radio", name="innbetalt").check()
    ledger.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status")).to_have_text("bank.csv: 2 rader lagret som innbetalt.")
    expect(moss.get_by_role("cell").nth(3)).to_have_text("80 000 kr")  # received
    expect(moss.get_by_role("cell").nth(4)).to_have_text("0 kr")  # nothing outstanding
    county = page.get_by_role("row", name="Viken fylkeskommune")
    expect(county.get_by_role("cell").nth(3)).to_have_text("1 288 750 kr")
    assert Payment.objects.filter(kind="received").count() == 2
    # A scenario: two more municipalities; the answer is shown and nothing is stored.
    stored = (FundingFile.objects.get().data, Payment.objects.count())
    page.get_by_role("link", name="Hva om: et scenario").click()
    page.get_by_label("Scenario (YAML)").fill(
        "format: maalbilde-funding-scenario/1\ntitle: To til\nowner: ungmusikk\nyear: 2020\n"
        "pupils: {before: 12000, after: 12500}\nadd_parties:\n"
        "  - {slug: drammen, name: Drammen kommune, kind: municipality,\n"
        "     facts: {population: {value: 101386}}}\nadd_to_rules: {pilotkommunene: [drammen]}\n"
    )  # fmt: skip
    page.get_by_role("button", name="Regn ut").click()
    result = page.get_by_role("region", name="To til (2020)")
    # 4 140 833,33 + Drammen's 100 000 by the top tier
    expect(result.get_by_role("row", name="Tilskudd, etter reglene")).to_contain_text(
        "4 240 833,33 kr"
    )
    assert_accessible(page)
    assert (FundingFile.objects.get().data, Payment.objects.count()) == stored
    page.goto("/organisations/ungmusikk/funding/?year=2020")
    # A wrong amount: the page opens on what to correct, and nothing is recorded.
    page.get_by_label("Beløp (kr)").fill("80 000,555")
    page.get_by_label("Dato").fill("1.3.2020")
    page.get_by_role("button", name="Registrer").click()
    summary = page.locator(".error-summary")
    assert summary.evaluate("element => element === document.activeElement")
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/organisations/ungmusikk/funding/?year=2020")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)
