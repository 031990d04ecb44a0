"""The organisation tree as a page: a network's members and units by region with their
attributes, bodies and partners apart, for anyone whose roles reach them."""

import pytest
from django.contrib.auth.models import User

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file, read_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import SHIPPED_PLANS, dump
from tests.test_networks import network_plan

pytestmark = pytest.mark.django_db


def grant(client, slug: str, role: Role = Role.VIEWER) -> None:
    user = User.objects.create_user(f"{slug}-{role}")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=slug),
                              role=role)  # fmt: skip
    client.force_login(user)


@pytest.fixture
def ungmusikk():
    path = next(p for p in SHIPPED_PLANS if p.stem == "ungmusikk")
    plan_import(document=read_plan_file(path))


def test_the_coordinator_sees_the_23_schools_by_region(client, ungmusikk):
    grant(client, "ungmusikk")
    page = client.get("/organisations/ungmusikk/").content.decode()
    assert "23 medlemmer og enheter, etter region" in page
    # Each sub-region a table of its schools, with municipality and school type.
    follo = page[page.index(">Region Follo</a>") : page.index(">Region Romerike</a>")]
    assert "(8)" in follo and follo.count('<th scope="row">') == 8
    assert '<th scope="col">Kommune</th>' in page and "<td>Enebakk</td>" in follo
    assert "<td>kulturskole</td>" in follo and "<td>folkehøgskole</td>" in follo
    # The committees and partners are listed apart, not among the schools.
    apart = page[page.index('id="h-apart"') :]
    assert ">Styringsgruppen</a> (organ)" in apart
    assert ">Referansegruppe Follo</a> (organ, Region Follo)" in apart  # and its region
    assert "referansegruppe" not in follo.lower()


def test_a_school_sees_itself_but_not_the_network(client, ungmusikk):
    grant(client, "um-enebakk-kulturskole", Role.REPORTER)
    assert client.get("/organisations/ungmusikk/").status_code == 403
    assert client.get("/organisations/um-frogn-kulturskole/").status_code == 403
    page = client.get("/organisations/um-enebakk-kulturskole/").content.decode()
    assert "<dd>Enebakk</dd>" in page and 'href="/organisations/um-follo/"' not in page
    listing = client.get("/organisations/").content.decode()
    assert 'href="/organisations/um-enebakk-kulturskole/"' in listing
    assert 'href="/organisations/ungmusikk/"' not in listing


def test_regions_from_attributes_and_size_groups_in_words(client):
    plan = network_plan()
    plan["organisations"][1]["attributes"]["population"] = 15000
    plan_import(document=parse_plan_file(dump(plan).encode()))
    grant(client, "nettverket")
    page = client.get("/organisations/nettverket/").content.decode()
    north = page[page.index(">Nord <") : page.index(">Sør <")]
    assert [name for name in ("Hus A", "Hus B", "Hus C") if f">{name}</a>" in north] == [
        "Hus A", "Hus B", "Hus C"]  # fmt: skip
    assert "<td>15\xa0000</td>" in north and "<td>liten</td>" in north and "<td>stor</td>" in north
    english = client.get("/en/organisations/nettverket/").content.decode()
    assert "<td>15,000</td>" in english and "<td>small</td>" in english
