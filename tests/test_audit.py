"""The trail of changes: each entry says what was changed (its kind and key) and whose it is,
and a plan's page of changes shows the entries of the organisations whose figures the person
sees, to editors and administrators only."""

import pytest
from django.contrib.auth.models import User

from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Observation, Plan
from maalbilde.plans.observations import observation_save
from maalbilde.plans.services import plan_import
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures():
    """School visits typed in for both sites: 120 at Nord, 80 at Sør."""
    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    plan = Plan.objects.get(slug="testplan")
    for site, text in (("nord", "120"), ("sor", "80")):
        observation_save(plan=plan, indicator_slug="skolebesok", year=2026, text=text,
                         organisation=Organisation.objects.get(slug=site))  # fmt: skip


def person(client, organisation: str, role: Role) -> None:
    user = User.objects.create_user(f"{organisation}-{role}")
    Membership.objects.create(user=user, role=role,
                              organisation=Organisation.objects.get(slug=organisation))  # fmt: skip
    client.force_login(user)


def test_an_entry_names_what_was_changed_and_whose_it_is(figures):
    entry = AuditEntry.objects.get(action="observation", organisation__slug="nord")
    observation = Observation.objects.get(organisation__slug="nord")
    assert (entry.object_kind, entry.object_id) == ("plans.observation", str(observation.pk))
    assert entry.after == {"value": 120.0, "comment": ""}


def test_the_page_shows_the_changes_the_person_may_see(client, figures):
    person(client, "testmuseet", Role.EDITOR)
    page = client.get("/plans/testplan/changes/").content.decode()
    assert "testplan/skolebesok/nord" in page and "testplan/skolebesok/sor" in page
    only_nord = client.get("/plans/testplan/changes/?organisation=nord").content.decode()
    assert "testplan/skolebesok/nord" in only_nord and "skolebesok/sor" not in only_nord
    # An editor of one site sees that site's changes, not the other's.
    person(client, "sor", Role.EDITOR)
    page = client.get("/plans/testplan/changes/").content.decode()
    assert "testplan/skolebesok/sor" in page and "skolebesok/nord" not in page
    # Asking for the other site shows all the person may see, not the other site's.
    asked = client.get("/plans/testplan/changes/?organisation=nord").content.decode()
    assert "skolebesok/nord" not in asked


def test_viewers_and_reporters_do_not_see_the_changes(client, figures):
    for role in (Role.VIEWER, Role.REPORTER):
        person(client, "testmuseet", role)
        assert client.get("/plans/testplan/changes/").status_code == 403
