"""A plan drafted in the browser: an administrator uploads the strategy, sees the text beside
the structure read from it, corrects a target and saves a new plan; nothing is stored before,
and nobody else may draft for the organisation."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from maalbilde.organisations.models import AuditEntry, Organisation, Role
from maalbilde.plans.models import Plan
from tests.test_plan_draft import RINGVE_ROCKHEIM
from tests.test_plan_editing import member

pytestmark = pytest.mark.django_db
START = "/organisations/musikkmuseet/plan-draft/"
REVIEW = f"{START}review/"


@pytest.fixture
def museum():
    mist = Organisation.objects.create(slug="mist", name="MiST", kind="organisation",
                                       path="/mist/")  # fmt: skip
    return Organisation.objects.create(slug="musikkmuseet", name="Norges musikkmuseum",
                                       kind="department", parent=mist,
                                       path="/mist/musikkmuseet/",
                                       attributes={"municipality": "Trondheim"})  # fmt: skip


def upload(client, text: bytes | None = None):
    document = SimpleUploadedFile("strategi.txt", text or RINGVE_ROCKHEIM.read_bytes(),
                                  "text/plain")  # fmt: skip
    return client.post(START, {"document": document}, HTTP_ACCEPT_LANGUAGE="nb")


def send(client, fields: dict, draft: str | None = None):
    """The review form sent for the draft in the session (or for `draft`, an older one)."""
    draft = draft or client.session["plan-draft"]["id"]
    return client.post(REVIEW, {"draft": draft} | fields, HTTP_ACCEPT_LANGUAGE="nb")


def test_an_administrator_drafts_corrects_a_target_and_saves_the_plan(client, museum):
    member(client, Role.ADMINISTRATOR, "musikkmuseet")
    assert client.get("/organisations/musikkmuseet/").content.decode().count(START) == 1
    assert upload(client)["Location"] == REVIEW
    assert not Plan.objects.exists()  # nothing stored until saved
    page = client.get(REVIEW, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "innsatsområder 9, mål 41, indikatorer 37, tallmål 7, milepæler 1" in page
    assert "Øke årlige skole- og barnehagebesøk til" in page  # the document's text beside it
    # The first target of the first focus area's first indicator: 300 at Rockheim.
    name = "target-1-0-0"
    assert f'name="{name}-value" value="300"' in page
    # The unit of the growth target's indicator, guessed as kroner, set to per cent by hand.
    assert 'name="indicator-3-0-unit"' in page
    saved = send(client, {"action": "save", f"{name}-value": "320",
                          "indicator-3-0-unit": "percent"})  # fmt: skip
    plan = Plan.objects.get()
    assert saved["Location"] == f"/plans/{plan.slug}/"
    version = plan.current_version
    assert (plan.owner.slug, version.state) == ("musikkmuseet", "draft")
    indicator = version.indicators.get(slug__startswith="registrerte")
    values = sorted((t.organisation.slug, t.value)
                    for t in indicator.targets.select_related("organisation"))  # fmt: skip
    assert values == [("ringve", 275.0), ("rockheim", 320.0)]
    report = version.indicators.get(name__startswith="Årlig økonomisk rapport")
    assert report.unit == "percent"
    # The owner and the one above it stand as they were; the sites are new, below the owner.
    museum.refresh_from_db()
    assert (museum.parent.slug, museum.kind, museum.attributes) == (
        "mist", "department", {"municipality": "Trondheim"})  # fmt: skip
    assert Organisation.objects.get(slug="rockheim").parent == museum
    assert AuditEntry.objects.get(action="plan-draft").after == {"focus_areas": 9, "goals": 41}
    assert "320" in client.get(f"/plans/{plan.slug}/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert client.get(REVIEW)["Location"] == START  # the draft is gone from the session


def test_what_the_document_does_not_mean_is_left_out(client, museum):
    """The perspective (4 goals, 5 indicators), the school visits goal, Ringve's target and
    an indicator left out: the plan holds the rest, and no link to the goal left out."""
    member(client, Role.ADMINISTRATOR, "musikkmuseet")
    upload(client)
    left_out = ["area-0", "goal-1-0", "target-1-0-1", "indicator-1-1"]
    saved = send(client, {"action": "save"} | {f"{name}-remove": "on" for name in left_out})
    plan = Plan.objects.get()
    assert saved["Location"] == f"/plans/{plan.slug}/"
    version = plan.current_version
    assert (version.focus_areas.count(), version.goals.count(), version.indicators.count()) == (
        9 - 1,
        41 - 4 - 1,
        37 - 5 - 1,
    )
    assert not version.focus_areas.filter(kind="perspective").exists()
    bookings = version.indicators.get(slug__startswith="registrerte")
    assert [(t.organisation.slug, t.value) for t in bookings.targets.all()] == [("rockheim", 300)]
    assert not bookings.measures.exists()
    assert AuditEntry.objects.get(action="plan-draft").after == {"focus_areas": 8, "goals": 36}


def test_a_value_that_is_no_number_is_said_and_nothing_is_stored(client, museum):
    """The message names the target; the page keeps what the person typed and ticked."""
    member(client, Role.ADMINISTRATOR, "musikkmuseet")
    upload(client)
    refused = send(client, {"action": "save", "target-1-0-0-value": "mange",
                            "goal-1-1-remove": "on"})  # fmt: skip
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "«Antall registrerte skole-/barnehagebestillinger per år.», Rockheim: målverdien er " \
           "ikke et tall" in page  # fmt: skip
    assert 'name="target-1-0-0-value" value="mange"' in page
    assert 'name="goal-1-1-remove" checked' in page
    assert not Plan.objects.exists()
    send(client, {"action": "discard"})
    assert not Plan.objects.exists() and client.get(REVIEW)["Location"] == START


@pytest.mark.parametrize(("year", "says"), [
    ("tjuetretti", "året må være et av planens, 2026–2030"),
    ("2035", "året må være et av planens, 2026–2030"),
])  # fmt: skip
def test_a_year_outside_the_plan_is_said_not_moved(client, museum, year, says):
    member(client, Role.ADMINISTRATOR, "musikkmuseet")
    upload(client)
    refused = send(client, {"action": "save", "target-1-0-0-year": year})
    assert refused.status_code == 422 and says in refused.content.decode()
    assert not Plan.objects.exists()


def test_a_page_of_an_older_draft_saves_nothing(client, museum):
    """Two tabs: the first tab's page, sent after the second tab uploaded another document,
    must not put its fields on the newer draft."""
    member(client, Role.ADMINISTRATOR, "musikkmuseet")
    upload(client)
    older = client.session["plan-draft"]["id"]
    upload(client, "Mål:\n• Øke besøket til 500 innen 2028.\n".encode())
    refused = send(client, {"action": "save", "target-1-0-0-value": "320"}, draft=older)
    assert refused["Location"] == REVIEW and not Plan.objects.exists()
    page = client.get(REVIEW, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "var for et eldre utkast" in page and "Øke besøket til 500" in page


def test_the_draft_is_given_as_a_plan_file_with_its_guesses(client, museum):
    member(client, Role.ADMINISTRATOR, "musikkmuseet")
    upload(client)
    answer = client.get(f"{REVIEW}?format=yaml")
    assert answer["Content-Disposition"] == 'attachment; filename="plan-draft.yaml"'
    text = answer.content.decode()
    assert "# GJETTET: planperioden" not in text  # the document states no period
    assert "# GJETTET: Dokumentet oppgir ingen planperiode" in text
    assert not Plan.objects.exists()


def test_only_administrators_draft_and_the_file_is_not_read_before(client, museum):
    for role in (Role.VIEWER, Role.REPORTER, Role.EDITOR):
        member(client, role, "musikkmuseet")
        assert client.get(START).status_code == 403
        assert upload(client).status_code == 403
        assert client.get(REVIEW).status_code == 403
        client.logout()
        User.objects.all().delete()
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    member(client, Role.ADMINISTRATOR, organisation="naboen")
    assert upload(client).status_code == 403
    assert not Plan.objects.exists()


def test_an_empty_document_gets_a_message_not_a_draft(client, museum):
    member(client, Role.ADMINISTRATOR, "musikkmuseet")
    empty = SimpleUploadedFile("tom.pdf", b"", "application/pdf")
    page = client.post(START, {"document": empty}, HTTP_ACCEPT_LANGUAGE="nb")
    assert "Velg dokumentet, eller lim inn teksten." in page.content.decode()
    blank = client.post(START, {"text": "   \n  "}, HTTP_ACCEPT_LANGUAGE="nb")
    assert "Velg dokumentet, eller lim inn teksten." in blank.content.decode()
    letter = client.post(START, {"text": "Kjære styre, takk for et godt år."},
                         HTTP_ACCEPT_LANGUAGE="nb")  # fmt: skip
    assert "fant ingen mål i dokumentet" in letter.content.decode()
    assert "plan-draft" not in client.session and not Plan.objects.exists()
