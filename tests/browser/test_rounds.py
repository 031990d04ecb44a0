"""A member fills in and submits → the secretariat returns it → the member corrects and
resubmits → approval → the network's statistics and the member's benchmark change."""

import re

import pytest
import yaml
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from maalbilde.networks.rounds import round_import
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import dump
from tests.test_networks import approved, network_plan, round_file

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemmelig-passord-1"


def person(name: str, organisation: str, role: Role) -> None:
    user = User.objects.create_user(name, password=PASSWORD)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip


def test_answer_return_correct_approve_and_compare(
    page: Page, browser: Browser, live_server, settings
):
    # Quartiles of five answers, to compare with few houses (by default ten: docs/networks.md).
    settings.NETWORK_MIN_ANSWERS_FOR_QUARTILES = 5
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    round_ = round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    for slug, capacity in (("hus-a", "100"), ("hus-b", "200"), ("hus-c", "300"),
                           ("hus-d", "400")):  # fmt: skip
        approved(round_, slug, kapasitet=capacity)
    person("eli", "hus-e", Role.REPORTER)
    person("siv", "nettverket", Role.ADMINISTRATOR)

    # The member: the answer form, filled in and submitted.
    log_in(page, "eli", PASSWORD)
    page.get_by_role("link", name="Rapporteringsrunder").click()
    assert_accessible(page)
    page.get_by_role("link", name="Statistikk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistikk: Hus E")
    page.get_by_label(re.compile(r"^Kapasitet")).fill("5 000")
    page.get_by_label(re.compile(r"^Solgt")).fill("4 000")
    page.get_by_role("group", name="Fornøyd?").get_by_label("4").check()
    assert_accessible(page)
    page.get_by_role("button", name="Lever").click()
    expect(page.get_by_role("status")).to_have_text("Svaret er levert til sekretariatet.")

    # The secretariat returns it with a comment.
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    secretariat = context.new_page()
    log_in(secretariat, "siv", PASSWORD)
    secretariat.goto("/rounds/statistikk/")
    expect(secretariat.get_by_text("4 av 5 medlemmer godkjent")).to_be_visible()
    assert_accessible(secretariat)
    secretariat.get_by_role("link", name="Hus E").click()
    assert_accessible(secretariat)
    secretariat.get_by_label("Kommentar til medlemmet").fill("Er kapasiteten 500, ikke 5 000?")
    secretariat.get_by_role("button", name="Send tilbake til medlemmet").click()
    expect(secretariat.get_by_role("status")).to_have_text("Svaret er sendt tilbake til medlemmet.")

    # The member corrects and submits again.
    page.reload()
    expect(page.get_by_text("Er kapasiteten 500, ikke 5 000?").first).to_be_visible()
    page.get_by_label(re.compile(r"^Kapasitet")).fill("500")
    page.get_by_label(re.compile(r"^Solgt")).fill("400")
    page.get_by_role("button", name="Lever").click()
    expect(page.get_by_role("status")).to_have_text("Svaret er levert til sekretariatet.")

    # The secretariat approves: five of five, and the median moves from 250 to 300.
    secretariat.goto("/rounds/statistikk/results/")
    capacity_table = secretariat.get_by_role("region", name="Kapasitet")
    all_members = capacity_table.get_by_role("row", name="Alle medlemmer")
    expect(all_members).to_contain_text("4 av 5 medlemmer")
    expect(all_members).to_contain_text("250")
    secretariat.goto("/rounds/statistikk/answers/hus-e/")
    secretariat.get_by_role("button", name="Godkjenn").click()
    expect(secretariat.get_by_role("status")).to_have_text("Svaret er godkjent.")
    secretariat.goto("/rounds/statistikk/results/")
    expect(all_members).to_contain_text("5 av 5 medlemmer")
    expect(all_members).to_contain_text("300")
    assert_accessible(secretariat)

    # Members see nothing until the secretariat releases the figures.
    page.goto("/rounds/statistikk/results/")
    expect(page.get_by_text("Sekretariatet har ikke frigitt noen tall")).to_be_visible()
    secretariat.goto("/rounds/statistikk/")
    secretariat.get_by_role("link", name="Forbered en ny frigivelse").click()
    expect(secretariat.get_by_text("Ingenting holdes tilbake.")).to_be_visible()
    secretariat.get_by_label("Merknader til frigivelsen").fill("Alle fem hus har svart.")
    secretariat.get_by_label(re.compile("Publiser den som åpne data")).check()
    assert_accessible(secretariat)
    secretariat.get_by_role("button", name="Lag frigivelsen").click()
    expect(secretariat.get_by_role("status")).to_have_text("Frigivelse 1 er laget.")
    expect(secretariat.get_by_role("link", name="Åpne data (JSON)")).to_be_visible()
    assert_accessible(secretariat)

    # The member sees its 500 among its peers: 100, 200, 300, 400, 500 → 200 – 300 – 400.
    page.goto("/rounds/statistikk/results/")
    expect(page.get_by_text("Alle fem hus har svart.")).to_be_visible()
    capacity = page.get_by_role("row", name="Kapasitet")
    expect(capacity).to_contain_text("500")
    expect(capacity).to_contain_text("200 – 300 – 400")
    expect(capacity).to_contain_text("dere er i den høyeste fjerdedelen")
    assert_accessible(page)
    page.goto("/rounds/statistikk/survey/")
    assert_accessible(page)
    context.close()


def test_an_administrator_starts_next_periods_round(page: Page):
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    person("anita", "nettverket", Role.ADMINISTRATOR)
    log_in(page, "anita", PASSWORD)
    page.goto("/rounds/statistikk/")
    page.get_by_role("link", name="Neste periodes runde").click()
    assert_accessible(page)
    page.get_by_label("Tittel").fill("Statistikk 2026")
    page.get_by_role("button", name="Start runden").click()
    expect(page.get_by_role("status")).to_have_text("Runden er klar: 5 medlemmer er spurt.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistikk 2026")
    page.goto("/rounds/new/?from=statistikk")
    expect(page.get_by_label("Rundefil (YAML)")).to_contain_text("slug: statistikk")
    assert_accessible(page)
