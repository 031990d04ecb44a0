"""The secretariat's month: the start page shows the round, the work list is filtered to the
members that have not answered, the reminders are read before they are sent, and one
e-mail goes to each member waiting; the network's members by region on their own page."""

import pytest
import yaml
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Page, expect

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
    user = User.objects.create_user(name, email=f"{name}@example.org", password=PASSWORD)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip


def test_the_secretariat_reminds_the_members_that_have_not_answered(page: Page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    round_ = round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    approved(round_, "hus-a", kapasitet="100")  # Hus A is done; B, C, D and E are not
    for slug in ("b", "c", "d", "e"):
        person(f"rapportor-{slug}", f"hus-{slug}", Role.REPORTER)
    person("siv", "nettverket", Role.EDITOR)
    log_in(page, "siv", PASSWORD)

    # The start page puts the round first, with what waits for the secretariat.
    expect(page.get_by_role("heading", level=1)).to_have_text("Start")
    expect(page.get_by_text("Som sekretariat: 4 medlemmer har ikke sendt")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Statistikk").click()

    # The work list, filtered to the members not answered, in the south.
    page.get_by_label("Status").select_option(label="ikke svart (ikke sendt)")
    page.get_by_role("button", name="Vis", exact=True).click()
    members = page.get_by_role("region", name="Medlemmer")
    expect(members.get_by_role("row")).to_have_count(5)  # the header and four members
    expect(members).not_to_contain_text("Hus A")
    assert_accessible(page)
    page.get_by_role("button", name="Påminn de 4 medlemmene som vises og ikke har svart").click()

    # What will be sent, and to whom, before anything is.
    expect(page.get_by_role("heading", level=1)).to_have_text("Sende påminnelser?")
    expect(page.get_by_text("Hus B har ennå ikke levert svaret på «Statistikk».")).to_be_visible()
    recipients = page.get_by_role("region", name="Hvem som får den")
    expect(recipients.get_by_role("row", name="Hus D")).to_contain_text("rapportor-d@example.org")
    assert_accessible(page)
    assert mail.outbox == []
    page.get_by_role("button", name="Send 4 påminnelser").click()
    expect(page.get_by_role("status")).to_have_text("4 påminnelser er sendt.")
    assert sorted(m.to for m in mail.outbox) == [
        [f"rapportor-{slug}@example.org"] for slug in ("b", "c", "d", "e")
    ]

    # The members by region, on the network's own page.
    page.goto("/organisations/nettverket/")
    expect(page.get_by_role("heading", name="5 medlemmer og enheter, etter region")).to_be_visible()
    expect(page.get_by_role("region", name="Sør (2)")).to_contain_text("Hus D")
    assert_accessible(page)
