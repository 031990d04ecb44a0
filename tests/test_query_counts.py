"""The main pages make as many queries for a plan with twice the organisations, indicators and
targets, seen by a person with twice the memberships: a query in a loop over organisations,
indicators, targets or roles fails here."""

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


def plan_of_size(size: int) -> dict:
    """The small plan with `size` more sites, and `size` more indicators of each kind —
    counted from the visits, typed in, and a formula on both — with a target for each site
    in every indicator."""
    data = plan_with_data()
    sites = [f"sted-{n}" for n in range(size)]
    data["organisations"] += [{"slug": site, "name": site.title(), "kind": "site",
                               "parent": "testmuseet"} for site in sites]  # fmt: skip
    indicators = data["focus_areas"][0]["indicators"]
    for n in range(size):
        indicators += [
            {"slug": f"belegg-{n}", "name": f"Belegg {n}", "unit": "percent",
             "metric": {"dataset": "besok", "aggregate": "ratio", "numerator": "antall",
                        "denominator": "kapasitet", "scale": 100}},
            {"slug": f"frivillige-{n}", "name": f"Frivillige {n}"},
            {"slug": f"vekst-{n}", "name": f"Vekst {n}", "unit": "percent",
             "formula": {"growth": "besokstall"}},
            {"slug": f"andel-{n}", "name": f"Andel {n}", "unit": "percent",
             "formula": {"share": [f"frivillige-{n}", "besokstall"]}},
        ]  # fmt: skip
    for indicator in indicators:
        indicator.setdefault("targets", []).extend(
            {"organisation": site, "value": 100 + n, "each_year": True}
            for n, site in enumerate(sites)
        )
    return data


def queries_per_page(client, user: User, size: int) -> dict[str, int]:
    plan_import(document=parse_plan_file(dump(plan_of_size(size)).encode()))
    for n in range(size):
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
    small = queries_per_page(client, user, size=3)
    large = queries_per_page(client, user, size=6)
    assert large == small
