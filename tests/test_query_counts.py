"""The main pages make as many queries for a plan with twice the organisations and targets,
seen by a person with twice the memberships: a query in a loop over organisations, targets or
roles fails here. (Each indicator still asks once for all its targets: a page's queries grow
with the number of indicators, not of targets or organisations.)"""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/plans/testplan/",
    "/plans/testplan/?year=2026",
    "/plans/testplan/indicators/besokstall/",
    "/plans/testplan/initiatives/",
    "/plans/testplan/import/",
    "/plans/testplan/registers/",
]


def plan_of_size(sites: int) -> dict:
    """The small plan with `sites` more sites, each with a target of the visits indicator
    and of the school-visits indicator typed in by hand."""
    data = plan_with_data()
    for n in range(sites):
        data["organisations"].append({"slug": f"sted-{n}", "name": f"Sted {n}", "kind": "site",
                                      "parent": "testmuseet"})  # fmt: skip
    for indicator in data["focus_areas"][0]["indicators"]:
        indicator.setdefault("targets", []).extend(
            {"organisation": f"sted-{n}", "value": 100 + n, "each_year": True} for n in range(sites)
        )
    return data


def queries_per_page(client, user: User, sites: int) -> dict[str, int]:
    plan_import(document=parse_plan_file(dump(plan_of_size(sites)).encode()))
    for n in range(sites):
        site = Organisation.objects.get(slug=f"sted-{n}")
        Membership.objects.get_or_create(user=user, role=Role.REPORTER, organisation=site)
    counts = {}
    for page in PAGES:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200, page
        counts[page] = len(queries)
    return counts


def test_twice_the_organisations_targets_and_memberships_make_no_more_queries(client):
    user = User.objects.create_user("kari")
    museum = Organisation.objects.create(slug="testmuseet", name="Testmuseet", path="/testmuseet/")
    Membership.objects.create(user=user, role=Role.VIEWER, organisation=museum)
    client.force_login(user)
    # Both plans measured are later versions (a plan at version 1 skips its list of versions).
    plan_import(document=parse_plan_file(dump(plan_of_size(1)).encode()))
    small = queries_per_page(client, user, sites=3)
    large = queries_per_page(client, user, sites=6)
    assert large == small
