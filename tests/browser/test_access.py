"""A reporter of one organisation is refused another's pages, with a page that says so in
words and passes the accessibility check."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Page, expect

from maalbilde.organisations.models import Membership, Organisation, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import SHIPPED_PLANS

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reporter_of_one_organisation_is_refused_anothers_pages(page: Page):
    call_command("plan", "import", *map(str, SHIPPED_PLANS), verbosity=0)
    reporter = User.objects.create_user("siri", password="hemmelig-passord-1")
    Membership.objects.create(user=reporter, organisation=Organisation.objects.get(slug="ringve"),
                              role=Role.REPORTER)  # fmt: skip
    log_in(page, "siri", "hemmelig-passord-1")
    # Her own plans: the museum's plan is listed, the technical museum's is not.
    expect(page.get_by_role("link", name="Strategiplan for Norges musikkmuseum",
                            exact=False)).to_be_visible()  # fmt: skip
    expect(page.get_by_text("Norsk Teknisk Museum", exact=False)).to_have_count(0)
    for url in ("/plans/norsk-teknisk-museum/", "/plans/norsk-teknisk-museum/import/",
                "/plans/ungmusikk/registers/"):  # fmt: skip
        response = page.goto(url)
        assert response is not None and response.status == 403, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Ingen tilgang")
    assert_accessible(page)
    response = page.goto("/plans/finnes-ikke/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Fant ikke siden")
    assert_accessible(page)
