"""The minimal pages: a list of plans and a plan page, behind a login, in bokmål and English."""

import datetime

import pytest
from django.contrib.auth.models import User

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import read_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import minimal_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(write_plan):
    return plan_import(document=read_plan_file(write_plan(minimal_plan()))).plan


@pytest.fixture
def logged_in(client, plan):
    kari = User.objects.create_user("kari", password="x")
    Membership.objects.create(user=kari, organisation=plan.owner, role=Role.VIEWER)
    client.force_login(kari)
    return client


def test_pages_need_a_login(client, plan):
    response = client.get("/plans/testplan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    # The home page is the front door: what is public, and the way to log in; no plan that
    # has published nothing.
    front = client.get("/").content.decode()
    assert 'href="/login/"' in front and "/plans/testplan/" not in front


def test_plan_list_in_norwegian_by_default(logged_in, plan):
    page = logged_in.get("/").content.decode()
    assert '<html lang="nb">' in page
    assert "<h1>Planer</h1>" in page
    assert 'href="/plans/testplan/"' in page and "Strategiplan for Testmuseet" in page


def test_plan_page_shows_goals_indicators_and_targets(logged_in, plan):
    page = logged_in.get("/plans/testplan/").content.decode()
    assert "Øke skolebesøkene til 300 i året." in page
    assert "Antall skolebesøk per år" in page
    assert "Målverdi, Avdeling Nord: minst 300" in page
    assert "hvert år 2025–2028" in page
    assert "Ny skolepakke" in page


def test_plan_page_in_english(logged_in, plan):
    page = logged_in.get("/en/plans/testplan/").content.decode()
    assert '<html lang="en">' in page
    assert "Target, Avdeling Nord: at least 300" in page
    assert "every year 2025–2028" in page


def test_language_switch_remembers_the_choice(logged_in, plan):
    response = logged_in.post("/i18n/setlang/", {"language": "en", "next": "/plans/testplan/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/plans/testplan/"


def test_language_switch_back_to_bokmal_stays_on_the_page(logged_in, plan):
    """From "/en/…" back to the default language, whose addresses carry no prefix."""
    response = logged_in.post("/i18n/setlang/", {"language": "nb", "next": "/en/plans/testplan/"})
    assert response["Location"] == "/plans/testplan/"
    page = logged_in.get(response["Location"]).content.decode()
    assert '<html lang="nb">' in page


def test_old_version_stays_readable(logged_in, plan, write_plan):
    plan_import(document=read_plan_file(write_plan(minimal_plan(title="Revidert plan"), "v2.yaml")))
    current = logged_in.get("/plans/testplan/").content.decode()
    old = logged_in.get("/plans/testplan/?version=1").content.decode()
    assert "Revidert plan" in current
    assert "Strategiplan for Testmuseet" in old and "eldre versjon" in old


def test_unknown_plan_and_version_are_not_found(logged_in, plan):
    assert logged_in.get("/plans/finnes-ikke/").status_code == 404
    assert logged_in.get("/plans/testplan/?version=9").status_code == 404


def test_a_member_of_another_organisation_is_refused(client, plan):
    stranger = User.objects.create_user("ola", password="x")
    other = Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    Membership.objects.create(user=stranger, organisation=other, role=Role.ADMINISTRATOR)
    client.force_login(stranger)
    assert client.get("/plans/testplan/").status_code == 403
    assert "testplan" not in client.get("/").content.decode()


def test_a_member_of_a_site_sees_the_plan_of_its_museum(client, plan):
    reporter = User.objects.create_user("siri", password="x")
    site = Organisation.objects.get(slug="nord")
    Membership.objects.create(user=reporter, organisation=site, role=Role.REPORTER)
    client.force_login(reporter)
    assert client.get("/plans/testplan/").status_code == 200
    assert 'href="/plans/testplan/"' in client.get("/").content.decode()


def test_status_counts_on_the_plan_list(logged_in):
    page = logged_in.get("/").content.decode()
    # Two targets, both without figures this year: 0 met … 2 no data.
    assert "0 Nådd" in page and "2 Ingen tall" in page


def test_figures_and_dates_are_written_the_way_of_each_language(logged_in, plan):
    """Norwegian: 65 000, 80 %, 1 250 000 kr, 23.11.2026. English: 65,000, 80%, NOK
    1,250,000, 23/11/2026 and a 24-hour clock, as in Britain (not America's 11/23/2026)."""
    from django.utils import translation

    from maalbilde.plans.status import format_value

    with translation.override("nb"):
        assert format_value(65_000, "count") == "65\u00a0000"
        assert format_value(80.5, "percent") == "80,5\u00a0%"
        assert format_value(1_250_000, "nok") == "1\u00a0250\u00a0000\u00a0kr"
    with translation.override("en"):
        assert format_value(65_000, "count") == "65,000"
        assert format_value(80.5, "percent") == "80.5%"
        assert format_value(1_250_000, "nok") == "NOK 1,250,000"
    norwegian = logged_in.get("/plans/testplan/initiatives/").content.decode()
    english = logged_in.get("/en/plans/testplan/initiatives/").content.decode()
    # The milestone is due 30 June 2027.
    assert "<td>30.06.2027</td>" in norwegian
    assert "<td>30/06/2027</td>" in english
    with translation.override("en"):
        from django.utils import formats

        moment = datetime.datetime(2026, 11, 23, 19, 32)
        assert formats.date_format(moment, "DATE_FORMAT") == "23 November 2026"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "23/11/2026 19:32"


def test_every_answer_says_how_long_the_app_took(logged_in, client):
    """Server-Timing: the app's own time in milliseconds, for browsers' developer tools and
    for the load benchmark; on pages and on refusals alike."""
    import re

    for response in (logged_in.get("/plans/testplan/"), client.get("/plans/finnes-ikke/")):
        timing = re.fullmatch(r"app;dur=(\d+\.\d\d)", response["Server-Timing"])
        assert timing and float(timing.group(1)) > 0
