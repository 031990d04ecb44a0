"""Upload a Norwegian CSV → preview → import → the status changes → withdraw → the status is
as it was."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from maalbilde.data.models import Batch, Dataset, Upload
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_and_withdraw_in_the_browser(page: Page):
    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    reporter = User.objects.create_user("siri", password="hemmelig-passord-1")
    museum = Organisation.objects.get(slug="testmuseet")
    Membership.objects.create(user=reporter, organisation=museum, role=Role.REPORTER)
    year = datetime.date.today().year
    lines = [
        "Dato;Avdeling;Antall;Kapasitet;Billettype",
        f"02.01.{year};Avdeling Nord;1\u00a0200;;Voksen",
        f"03.01.{year};sor;300;;Barn",
        ";;;;",
        "Sum;;1\u00a0500;;",
    ]
    csv = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    visits = page.locator("ul.indicators > li").filter(
        has=page.get_by_role("link", name="Besøk per år", exact=True)
    )

    log_in(page, "siri", "hemmelig-passord-1")
    page.goto("/plans/testplan/")
    expect(visits.locator(".status")).to_contain_text("Ingen tall")
    page.get_by_role("link", name="Importer data").click()
    assert_accessible(page)
    # The keyboard alone: the dataset (the only one is chosen), the organisation, the file
    # chooser opened with the space bar, then Enter on the button.
    page.get_by_label("Datasett").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("input[type=file]")).to_be_focused()
    chooser = None
    # Headless Chromium now and then lets a key press on a file field go by without opening
    # the chooser, or opens it late on a busy machine; a person would wait, and press again.
    for _attempt in range(3):
        try:
            with page.expect_file_chooser(timeout=15_000) as opened:
                page.keyboard.press("Space")
            chooser = opened.value
            break
        except PlaywrightTimeout:
            continue
    assert chooser is not None, "the file chooser did not open from the keyboard"
    chooser.set_files(files=[{"name": "besok.csv", "mimeType": "text/csv", "buffer": csv}])
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Last opp og forhåndsvis")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("tegnkoding Windows-1252, skilletegn “;”")).to_be_visible()
    expect(page.get_by_role("cell", name="1\u00a0200")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Importer", exact=True).focus()
    page.keyboard.press("Enter")
    # The progress page leads to the batch when the task is done.
    expect(page.get_by_role("status")).to_contain_text("Importert: 2 rader lagret som parti")
    expect(page).to_have_url(re.compile(r"/plans/testplan/batches/\d+/$"))
    assert_accessible(page)

    page.goto("/plans/testplan/")
    expect(visits.locator(".status")).to_contain_text("Nådd")
    page.get_by_role("link", name="Importer data").click()
    page.get_by_role("button", name="Trekk tilbake parti").focus()
    page.keyboard.press("Enter")
    # Asked first: the rows that stop counting, and how to undo.
    expect(page.locator("main")).to_contain_text("De 2 radene i besok.csv")
    assert_accessible(page)
    page.get_by_role("button", name="Trekk tilbake parti").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("er trukket tilbake")
    page.goto("/plans/testplan/")
    expect(visits.locator(".status")).to_contain_text("Ingen tall")


def test_the_progress_page_follows_a_running_import(page: Page):
    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    reporter = User.objects.create_user("siri", password="hemmelig-passord-1")
    museum = Organisation.objects.get(slug="testmuseet")
    Membership.objects.create(user=reporter, organisation=museum, role=Role.REPORTER)
    upload = Upload.objects.create(
        user=reporter, dataset=Dataset.objects.get(slug="besok"), organisation=museum,
        file_name="besok.csv", content=b"Dato;Avdeling;Antall;Kapasitet;Billettype\n",
        state=Upload.State.RUNNING,
        stage="Leser", started_at=timezone.now(),
    )  # fmt: skip
    log_in(page, "siri", "hemmelig-passord-1")
    page.goto(f"/plans/testplan/import/{upload.pk}/progress/")
    expect(page.get_by_role("status")).to_have_text("Leser")
    assert_accessible(page)
    # The task moves on: the page says so without being reloaded.
    Upload.objects.filter(pk=upload.pk).update(stage="Kontrollerer rader 2–3")
    expect(page.get_by_role("status")).to_have_text("Kontrollerer rader 2–3")
    # The task fails: the page leads back to the check of the file, with the reason.
    Upload.objects.filter(pk=upload.pk).update(
        state=Upload.State.FAILED, message="1 rad har feil; ingenting ble lagret."
    )
    expect(page.get_by_role("alert")).to_have_text("1 rad har feil; ingenting ble lagret.")
    expect(page).to_have_url(f"/plans/testplan/import/{upload.pk}/")


def test_a_single_site_export_and_a_file_that_replaces_a_month(page: Page):
    """A venue's own export (no column naming the venue, `Beløp (kr)`), then the same January
    again, corrected: replacing counts January once, with the new figures."""
    data = plan_with_data()
    data["datasets"][0]["columns"] = [
        {"name": "dato", "role": "date", "aliases": ["Dato"]},
        {"name": "sted", "role": "organisation", "aliases": ["Avdeling"]},
        {"name": "antall", "role": "measure", "label": "Antall"},
        {"name": "belop", "role": "measure", "label": "Beløp"},
        {"name": "billettype", "role": "category", "label": "Billettype"},
    ]
    plan_import(document=parse_plan_file(dump(data).encode()))
    reporter = User.objects.create_user("siri", password="hemmelig-passord-1")
    museum = Organisation.objects.get(slug="testmuseet")
    Membership.objects.create(user=reporter, organisation=museum, role=Role.REPORTER)
    year = datetime.date.today().year
    header = "Dato;Arrangement;Billettype;Antall;Beløp (kr)"
    # January 2 and 3 and February 1: 300 + 200 + 100 = 600 visits.
    first = [f"02.01.{year};Omvisning;Voksen;300;30 000", f"03.01.{year};Omvisning;Barn;200;0",
             f"01.02.{year};Konsert;Voksen;100;25 000"]  # fmt: skip
    # January again, corrected, with a day more: 350 + 250 + 50 = 650, and February's 100
    # stays: 750, a change of 650 − 500 = +150.
    again = [f"02.01.{year};Omvisning;Voksen;350;35 000", f"03.01.{year};Omvisning;Barn;250;0",
             f"04.01.{year};Omvisning;Voksen;50;5 000"]  # fmt: skip
    visits = page.locator("ul.indicators > li").filter(
        has=page.get_by_role("link", name="Besøk per år", exact=True)
    )

    def upload(lines: list[str], name: str) -> None:
        page.goto("/plans/testplan/import/")
        page.get_by_label("Organisasjon").select_option(label="Avdeling Nord")
        page.get_by_label("Fil (CSV eller XLSX)").set_input_files(files=[{
            "name": name, "mimeType": "text/csv",
            "buffer": ("\r\n".join([header, *lines]) + "\r\n").encode("cp1252")}])  # fmt: skip
        page.get_by_role("button", name="Last opp og forhåndsvis").click()

    log_in(page, "siri", "hemmelig-passord-1")
    upload(first, "nord-jan-feb.csv")
    # Every column is matched by itself, Beløp (kr) as Beløp; no venue column: all Nord's.
    expect(page.get_by_label("Beløp")).to_have_value("Beløp (kr)")
    expect(page.get_by_label("Antall")).to_have_value("Antall")
    expect(page.get_by_label("Dato")).to_have_value("Dato")
    expect(page.get_by_text("hver rad telles for Avdeling Nord")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Importert: 3 rader lagret som parti")
    page.goto("/plans/testplan/")
    expect(visits.locator(".status").first).to_contain_text("600")

    upload(again, "nord-jan.csv")
    page.get_by_role("button", name="Importer", exact=True).click()
    earlier = Batch.objects.get().pk
    expect(page.get_by_role("alert")).to_contain_text(
        f"2 dager for Avdeling Nord i parti {earlier} (nord-jan-feb.csv), 02.01.{year}–03.01.{year}"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Erstatt de dagene og importer").click()
    expect(page.get_by_role("status")).to_contain_text("Importert: 3 rader lagret som parti")
    expect(page.get_by_role("heading", name="Dager denne filen erstattet")).to_be_visible()
    assert_accessible(page)
    page.goto("/plans/testplan/")
    expect(visits.locator(".status").first).to_contain_text("750")
