"""The public page shows a plan only with the years of figures an administrator published."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Publication, Target
from maalbilde.plans.observations import observation_save
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = plan_import(document=parse_plan_file(dump(minimal_plan()).encode())).plan
    nord = Organisation.objects.get(slug="nord")
    for year, value in ((2025, "310"), (2026, "120")):
        observation_save(plan=plan, indicator_slug="skolebesok", organisation=nord, year=year,
                         text=value)  # fmt: skip
    return plan


def member(client, role: Role) -> User:
    user = User.objects.create_user(str(role), password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="testmuseet"),
                              role=role)  # fmt: skip
    client.force_login(user)
    return user


def test_nothing_is_public_until_published(client, plan):
    assert client.get("/p/testplan/").status_code == 404


def test_an_administrator_publishes_a_year(client, plan):
    admin = member(client, Role.ADMINISTRATOR)
    response = client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "publish", "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert Publication.objects.get().published_by == admin
    assert AuditEntry.objects.filter(action="publish", subject="testplan 2025").exists()
    client.logout()
    page = client.get("/p/testplan/").content.decode()
    assert "Status 2025" in page
    # The 2025 figure for Nord against its target, with the verdict in words.
    assert "310" in page and "Nådd" in page
    # 2026 is not published: asking for it shows 2025 still, and its figure nowhere.
    page_2026 = client.get("/p/testplan/?year=2026").content.decode()
    assert "Status 2025" in page_2026 and "120" not in page_2026
    assert "Tallene for 2026 er ikke publisert. Dette er tallene for 2025." in page_2026
    assert "/plans/testplan/indicators/" not in page_2026  # no links into the members' pages


def test_unpublish(client, plan):
    member(client, Role.ADMINISTRATOR)
    client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "publish", "confirmed": "yes"}
    )
    client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "unpublish", "confirmed": "yes"}
    )
    assert not Publication.objects.exists()
    client.logout()
    assert client.get("/p/testplan/").status_code == 404


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REPORTER, Role.VIEWER])
def test_only_administrators_publish(client, plan, role):
    member(client, role)
    response = client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "publish", "confirmed": "yes"}
    )
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_a_year_outside_the_plan_cannot_be_published(client, plan):
    member(client, Role.ADMINISTRATOR)
    response = client.post(
        "/plans/testplan/publish/", {"year": "2031", "action": "publish", "confirmed": "yes"}
    )
    assert response.status_code == 404  # the plan runs 2025–2028
    assert not Publication.objects.exists()


def test_the_public_page_shows_no_figure_of_a_later_year(client):
    data = minimal_plan()
    data["focus_areas"][0]["indicators"][0]["targets"] = [
        {"organisation": "nord", "value": 5000, "deadline": 2028, "since": 2025}
    ]
    plan = plan_import(document=parse_plan_file(dump(data).encode())).plan
    nord = Organisation.objects.get(slug="nord")
    for year, value in ((2025, "100"), (2026, "9999")):
        observation_save(plan=plan, indicator_slug="skolebesok", organisation=nord, year=year,
                         text=value)  # fmt: skip
    member(client, Role.ADMINISTRATOR)
    client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "publish", "confirmed": "yes"}
    )
    client.logout()
    page = client.get("/p/testplan/").content.decode()
    assert "100 så langt" in page and "9" + "\u00a0999" not in page and "10\u00a0099" not in page


def test_odd_numbers_in_the_address_are_no_error(client, plan):
    member(client, Role.ADMINISTRATOR)
    client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "publish", "confirmed": "yes"}
    )
    assert client.get("/p/testplan/?year=%C2%B2").status_code == 200
    assert client.get("/plans/testplan/?year=%C2%B2&version=%C2%B2").status_code == 200


def test_a_published_year_shows_its_figures_as_published_and_says_what_changed(client, plan):
    member(client, Role.ADMINISTRATOR)
    client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "publish", "confirmed": "yes"}
    )
    published = Publication.objects.get()
    assert [row["actual"] for row in published.statuses["nb"] if row["target_id"]] == [310]
    # A correction after publishing: Nord had 290 school visits in 2025, not 310.
    observation_save(plan=plan, indicator_slug="skolebesok", year=2025, text="290",
                     organisation=Organisation.objects.get(slug="nord"))  # fmt: skip
    client.logout()
    page = client.get("/p/testplan/?year=2025").content.decode()
    when = timezone.localtime(published.published_at).strftime("%d.%m.%Y")
    # The published figure and verdict stand, with the change said beside them.
    assert "Målverdien er nådd: 310 mot 300 for 2025." in page
    assert f"Endret siden publiseringen {when}: nå 290." in page
    # Inside, the live figure.
    member(client, Role.VIEWER)
    inside = client.get("/plans/testplan/?year=2025").content.decode()
    assert "Målverdien er ikke nådd: 290 mot 300 for 2025." in inside


def test_an_administrator_shows_todays_figures_for_a_published_year(client, plan):
    member(client, Role.ADMINISTRATOR)
    client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "publish", "confirmed": "yes"}
    )
    observation_save(plan=plan, indicator_slug="skolebesok", year=2025, text="290",
                     organisation=Organisation.objects.get(slug="nord"))  # fmt: skip
    page = client.get("/plans/testplan/?year=2025").content.decode()
    assert 'value="republish">Vis dagens tall for 2025 på den offentlige siden</button>' in page
    client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "republish", "confirmed": "yes"}
    )
    assert [row["actual"] for row in Publication.objects.get().statuses["nb"]
            if row["target_id"]] == [290]  # fmt: skip
    entry = AuditEntry.objects.filter(action="publish").latest("pk")
    assert (entry.before, entry.after) == ({"published": True}, {"published": True})
    client.logout()
    public = client.get("/p/testplan/?year=2025").content.decode()
    assert "Målverdien er ikke nådd: 290 mot 300 for 2025." in public and "Endret" not in public


def test_the_plan_page_offers_every_organisation_below_the_owner_the_person_sees(client, plan):
    """Organisations that joined after the plan was written are offered too; one the person
    may not see is said, not silently replaced by the whole."""
    below = Organisation.objects.create(slug="ny-avdeling", name="Ny avdeling", kind="site",
                                        parent=Organisation.objects.get(slug="testmuseet"),
                                        path="/testmuseet/ny-avdeling/")  # fmt: skip
    Organisation.objects.create(slug="utenfor", name="Utenfor", kind="organisation",
                                path="/utenfor/")  # fmt: skip
    member(client, Role.VIEWER)
    page = client.get("/plans/testplan/?year=2025").content.decode()
    assert f'<option value="{below.slug}">Ny avdeling</option>' in page
    assert '<option value="nord">Avdeling Nord</option>' in page
    refused = client.get("/plans/testplan/?year=2025&organisation=utenfor").content.decode()
    assert "«utenfor» er ikke en av planens organisasjoner du kan se tallene for." in refused


def test_the_status_table_holds_numbers_as_numbers(client, plan):
    member(client, Role.VIEWER)
    response = client.get("/plans/testplan/status.xlsx?year=2025")
    assert response["Content-Disposition"] == 'attachment; filename="testplan-status-2025.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, [c.value for c in row], strict=True))
            for row in sheet.iter_rows(min_row=2)]  # fmt: skip
    (nord,) = [r for r in rows if r["Organisasjon"] == "Avdeling Nord" and r["Målverdi"]]
    # Nord's 310 school visits in 2025 against 300 each year: met, and 2025 is over.
    assert (nord["Tall"], nord["Målverdi"], nord["Vurdering"], nord["Endelig"]) == (
        310, 300, "nådd", "ja")  # fmt: skip
    assert (nord["Enhet"], nord["Type målverdi"]) == ("antall", "minst, hvert år")
    (goal,) = [r for r in rows if r["Nivå"] == "mål"]
    assert (goal["Mål"], goal["Vurdering"]) == ("flere-skolebesok", "nådd")


def test_the_status_table_is_for_those_who_see_the_plan(client, plan):
    assert client.get("/plans/testplan/status.csv?year=2025").status_code == 302  # to log in
    outsider = User.objects.create_user("utenfor", password="x")
    client.force_login(outsider)
    assert client.get("/plans/testplan/status.csv?year=2025").status_code == 403


def test_publishing_asks_first_and_says_what_will_happen(client, plan):
    member(client, Role.ADMINISTRATOR)
    asked = client.post("/plans/testplan/publish/", {"year": "2025", "action": "publish"})
    page = asked.content.decode()
    assert asked.status_code == 200 and not Publication.objects.exists()
    targets = Target.objects.filter(indicator__version=plan.current_version).count()
    assert (f"ser planen og tallene for 2025 på http://testserver/p/testplan/?year=2025, slik "
            f"de står nå: {targets} mål med vurderinger.") in page  # fmt: skip
    # The page posts the same fields again, confirmed.
    assert 'name="action" value="publish"' in page and 'name="confirmed" value="yes"' in page


def test_the_front_door_lists_published_plans_and_leads_to_login(client, plan):
    front = client.get("/").content.decode()
    assert "Ingen plan har publisert tall ennå." in front and 'href="/login/"' in front
    member(client, Role.ADMINISTRATOR)
    client.post(
        "/plans/testplan/publish/", {"year": "2025", "action": "publish", "confirmed": "yes"}
    )
    client.logout()
    for address in ("/", "/p/"):
        page = client.get(address).content.decode()
        assert f'<a href="/p/testplan/">{plan.current_version.title}</a>' in page, address
        assert '<a href="/p/testplan/?year=2025">2025</a>' in page, address
    assert "/p/testplan/?year=2026" not in page  # only the years published
    assert 'href="/p/"' in client.get("/login/").content.decode()
