"""Initiatives and milestones, with overdue ones flagged in words."""

import datetime

import pytest
from django.contrib.auth.models import User

from maalbilde.organisations.models import Membership, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db


def test_overdue_milestone_is_flagged(client):
    data = minimal_plan()
    initiatives = data["focus_areas"][0]["goals"][0]["initiatives"]
    initiatives[0]["due"] = "2025-06-30"  # planned, and past
    initiatives.append({"slug": "ferdig", "title": "Ferdig tiltak", "due": "2025-01-31",
                        "status": "done"})  # fmt: skip
    plan = plan_import(document=parse_plan_file(dump(data).encode())).plan
    user = User.objects.create_user("kari", password="x")
    Membership.objects.create(user=user, organisation=plan.owner, role=Role.VIEWER)
    client.force_login(user)
    page = client.get("/plans/testplan/initiatives/").content.decode()
    assert datetime.date.today() > datetime.date(2025, 6, 30)
    rows = page.split("<tr")[2:]
    overdue = next(r for r in rows if "Ny skolepakke" in r)
    done = next(r for r in rows if "Ferdig tiltak" in r)
    assert "forsinket" in overdue and "forsinket" not in done
