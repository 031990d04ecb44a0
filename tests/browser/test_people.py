"""An organisation's administrator invites a colleague in the browser, changes her role and
removes it after a confirmation; each page passes the accessibility check."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_invite_change_and_remove_a_role(page: Page):
    plan_import(document=parse_plan_file(dump(minimal_plan()).encode()))
    anne = User.objects.create_user("anne", "anne@museet.no", password="hemmelig-passord-1")
    Membership.objects.create(user=anne, role=Role.ADMINISTRATOR,
                              organisation=Organisation.objects.get(slug="testmuseet"))  # fmt: skip
    log_in(page, "anne", "hemmelig-passord-1")
    page.get_by_role("link", name="Organisasjoner").click()
    page.get_by_role("link", name="Personer og roller").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personer og roller: Testmuseet")
    assert_accessible(page)

    page.get_by_label("E-postadresse").fill("kari@nord.no")
    page.get_by_label("Rolle", exact=True).select_option("reporter")
    page.get_by_label("Organisasjon").select_option("nord")
    page.get_by_role("button", name="Inviter").click()
    expect(
        page.get_by_text("kari@nord.no er invitert som rapportør i Avdeling Nord")
    ).to_be_visible()
    expect(page.get_by_text("invitert, ikke passord ennå")).to_be_visible()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kari@nord.no"]
    assert_accessible(page)

    page.get_by_label("Rollen til kari@nord.no").select_option("editor")
    page.get_by_role("row", name="kari@nord.no").get_by_role("button", name="Endre").click()
    expect(page.get_by_text("kari@nord.no er nå redaktør i Avdeling Nord")).to_be_visible()

    page.get_by_role("link", name="Fjern kari@nord.no").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fjern en rolle")
    assert_accessible(page)
    page.get_by_role("button", name="Fjern rollen").click()
    expect(
        page.get_by_text("kari@nord.no har ikke lenger noen rolle i Avdeling Nord")
    ).to_be_visible()
    assert not Membership.objects.filter(user__username="kari@nord.no").exists()
    actions = AuditEntry.objects.filter(action__startswith="membership").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == [
        "membership-granted", "membership-changed", "membership-removed"]  # fmt: skip

    page.get_by_role("link", name="Endringer").click()
    expect(page.get_by_role("cell", name="rolle fjernet: nord/kari@nord.no")).to_be_visible()
    assert_accessible(page)
