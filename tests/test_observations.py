"""Typed-in figures: checked, stored once per period, corrected with a record of the change."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from maalbilde.organisations.models import AuditEntry, Organisation
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Observation, Plan
from maalbilde.plans.observations import ObservationRefused, observation_save
from maalbilde.plans.services import plan_import
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plan():
    with translation.override("en"):
        plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
        yield Plan.objects.get(slug="testplan")


def save(plan, text, **overrides):
    options = {"indicator_slug": "skolebesok", "organisation": "nord", "year": 2026, **overrides}
    options["organisation"] = Organisation.objects.get(slug=options["organisation"])
    return observation_save(plan=plan, text=text, **options)


def test_a_figure_written_the_norwegian_way(plan):
    observation = save(plan, "1\u00a0250", comment="Fra bookingsystemet")
    assert (observation.value, observation.month, observation.comment) == (
        1250.0,
        0,
        "Fra bookingsystemet",
    )


def test_a_correction_replaces_the_figure_and_is_recorded(plan):
    save(plan, "300")
    save(plan, "310", comment="Rettet")
    assert Observation.objects.get().value == 310.0
    entry = AuditEntry.objects.filter(action="observation").latest("pk")
    assert (entry.before, entry.after) == (
        {"value": 300.0, "comment": ""},
        {"value": 310.0, "comment": "Rettet"},
    )
    save(plan, "310", comment="Rettet")
    assert AuditEntry.objects.filter(action="observation").count() == 2


@pytest.mark.parametrize(
    ("text", "overrides", "message"),
    [
        ("tre", {}, "Write a number, for example 65 000 or 80,5."),
        ("-5", {}, "A count cannot be negative."),
        ("5", {"year": 2040}, "The year must lie between 2015 and 2028."),
        ("5", {"month": 13}, "The month must be 1–12 (or left out for the whole year)."),
        ("5", {"indicator_slug": "besokstall"},
         "“Besøk per år” is computed from data, so its figures cannot be typed in."),
        ("5", {"indicator_slug": "finnes-ikke"},
         "Plan “testplan” has no indicator “finnes-ikke”."),
    ],
    ids=["text", "negative", "year", "month", "computed", "unknown"],
)  # fmt: skip
def test_refusals(plan, text, overrides, message):
    with translation.override("en"), pytest.raises(ObservationRefused) as refused:
        save(plan, text, **overrides)
    assert str(refused.value) == message
    assert Observation.objects.count() == 0


def test_an_organisation_outside_the_plan(plan):
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    with translation.override("en"), pytest.raises(ObservationRefused) as refused:
        save(plan, "5", organisation="naboen")
    assert str(refused.value) == "“Naboen” is not part of the plan's organisation “Testmuseet”."


def test_the_command(plan, capsys):
    call_command("data", "observe", "--plan", "testplan", "--indicator", "skolebesok",
                 "--organisation", "sor", "--year", "2026", "--month", "3", "42")  # fmt: skip
    assert Observation.objects.get().value == 42.0
    with pytest.raises(CommandError) as refused:
        call_command("data", "observe", "--plan", "testplan", "--indicator", "skolebesok",
                     "--organisation", "sor", "--year", "2026", "mange")  # fmt: skip
    assert refused.value.returncode == 1
