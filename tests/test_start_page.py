"""A member's start page: its open rounds with deadlines and states first, its plans after;
the deadline and the lateness rule before the answer is filled in; and "your figures" saying
whether they are a draft, sent or approved."""

import datetime

import pytest
import yaml
from django.contrib.auth.models import User

from maalbilde.networks.releases import release_create
from maalbilde.networks.rounds import round_import
from maalbilde.networks.workflow import answer_of, answer_save, answer_submit
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump
from tests.test_networks import approved, network_plan, round_file

pytestmark = pytest.mark.django_db


def grant(slug: str, name: str, role: Role) -> User:
    user = User.objects.create_user(name)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=slug),
                              role=role)  # fmt: skip
    return user


@pytest.fixture
def rounds():
    """Two rounds: one due in ten days, and one whose deadline passed last week that takes
    no late answers."""
    today = datetime.date.today()
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    due = round_import(
        text=yaml.safe_dump(
            round_file(deadline=(today + datetime.timedelta(days=10)).isoformat()),
            allow_unicode=True,
        )
    )
    gone = round_import(
        text=yaml.safe_dump(
            round_file(
                slug="i-fjor",
                title="Statistikk i fjor",
                deadline=(today - datetime.timedelta(days=7)).isoformat(),
            ),
            allow_unicode=True,
        )
    )
    return due, gone  # fmt: skip


def test_a_member_starts_with_its_open_round_and_its_deadline(client, rounds):
    due, _gone = rounds
    client.force_login(grant("hus-b", "anne", Role.REPORTER))
    page = client.get("/").content.decode()
    assert "<h1>Start</h1>" in page
    # The round comes before the plans, with its deadline, the days left and the rule.
    assert page.index("Statistikk</a>") < page.index(">Planer</h2>")
    deadline = due.deadline.strftime("%d.%m.%Y")
    assert f"<strong>Frist {deadline}</strong> (10 dager igjen)" in page
    assert "Etter fristen tar runden ikke imot flere svar" in page
    assert 'href="/rounds/statistikk/answers/hus-b/">Hus B</a>: ikke startet' in page
    # A round gone by without an answer it could still take is nothing to do.
    assert "Statistikk i fjor" not in page
    answer_save(answer=answer_of(due, Organisation.objects.get(slug="hus-b")),
                values={"kapasitet": "10"}, user=None)  # fmt: skip
    assert "Hus B</a>: utkast" in client.get("/").content.decode()
    # The answer page says the deadline and the rule before the first field.
    form = client.get("/rounds/statistikk/answers/hus-b/").content.decode()
    assert form.index(f"Frist {deadline}") < form.index('name="q_kapasitet"')
    assert form.index("Etter fristen tar runden ikke imot flere svar") < form.index(
        'name="q_kapasitet"')  # fmt: skip


def test_the_secretariat_sees_what_waits_for_it(client, rounds):
    # Last year's round is past its deadline with nothing sent: nothing waits there.
    client.force_login(grant("nettverket", "siv", Role.EDITOR))
    page = client.get("/").content.decode()
    assert "Som sekretariat: 5 medlemmer har ikke sendt svarene sine, 0 svar venter" in page
    assert "Statistikk i fjor" not in page
    due, _gone = rounds
    answer = answer_of(due, Organisation.objects.get(slug="hus-a"))
    answer_save(answer=answer, values={"kapasitet": "5"}, user=None)
    answer_submit(answer=answer, user=None)
    page = client.get("/").content.decode()
    assert "Som sekretariat: 4 medlemmer har ikke sendt svarene sine, 1 svar venter" in page


def test_your_figures_say_whether_they_are_a_draft_sent_or_approved(client, rounds):
    due, _gone = rounds
    for slug, capacity in (("hus-c", "300"), ("hus-d", "400"), ("hus-e", "500")):
        approved(due, slug, kapasitet=capacity)
    release_create(round_=due, user=None)
    client.force_login(grant("hus-b", "anne", Role.REPORTER))
    results = "/rounds/statistikk/results/"
    assert "Dere har ikke begynt på svaret" in client.get(results).content.decode()
    answer = answer_of(due, Organisation.objects.get(slug="hus-b"))
    answer_save(answer=answer, values={"kapasitet": "200"}, user=None)
    assert "Tallene deres nedenfor er et utkast, ikke sendt" in client.get(
        results).content.decode()  # fmt: skip
    client.post("/rounds/statistikk/answers/hus-b/", {"q_kapasitet": "200", "action": "submit"})
    assert "Tallene deres nedenfor er sendt og venter" in client.get(results).content.decode()
