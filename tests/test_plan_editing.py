"""Editing a plan in the browser: texts, goals, indicators, targets and the whole plan file;
every change a new version, stale and invalid changes refused, and only editors allowed."""

import copy

import pytest
import yaml
from django.contrib.auth.models import User

from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Plan, Target
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db
EDIT = "/plans/testplan/edit/"


@pytest.fixture(autouse=True)
def plan():
    return plan_import(document=parse_plan_file(dump(minimal_plan()).encode())).plan


def member(client, role: Role, organisation: str = "testmuseet") -> User:
    user = User.objects.create_user(f"{role}-{organisation}", password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip
    client.force_login(user)
    return user


def current() -> Plan:
    return Plan.objects.select_related("current_version").get(slug="testplan")


def texts(**changes) -> dict:
    version = current().current_version
    return {"based_on": version.number, "title": version.title, "introduction": "",
            "vision": version.vision, "mission": version.mission, **changes}  # fmt: skip


def test_texts_are_stored_as_a_new_version(client):
    member(client, Role.EDITOR)
    response = client.post(EDIT, texts(vision="Alle skal ha et museum – også i 2030."))
    assert response.status_code == 302
    plan = current()
    assert plan.current_version.number == 2
    assert plan.current_version.vision == "Alle skal ha et museum – også i 2030."
    assert plan.versions.get(number=1).vision == "Alle skal ha et museum."
    assert "Lagret som versjon 2." in client.get(EDIT).content.decode()
    # The same form again, based on version 1, is refused: version 2 came in between.
    stale = client.post(EDIT, {**texts(vision="Noe annet"), "based_on": 1}, follow=True)
    assert "endret (nå versjon 2) etter at du åpnet versjon 1" in stale.content.decode()
    # Nothing changed is not a new version.
    same = client.post(EDIT, texts(), follow=True).content.decode()
    assert "Ingenting ble endret" in same
    assert current().current_version.number == 2


def test_a_goal_is_added_and_an_indicator_under_it(client):
    member(client, Role.EDITOR)
    goal = {"based_on": 1, "title": "Øke besøket blant ungdom", "description": ""}
    client.post(f"{EDIT}areas/formidling/goals/", goal)
    version = current().current_version
    goal = version.goals.get(slug="oke-besoket-blant-ungdom")
    assert goal.title == "Øke besøket blant ungdom" and goal.focus_area.slug == "formidling"
    url = f"{EDIT}goals/oke-besoket-blant-ungdom/"
    client.post(url, {"based_on": 2, "action": "add_indicator", "name": "Besøk 13–19 år",
                      "unit": "count", "direction": "increase"})  # fmt: skip
    indicator = current().current_version.indicators.get(slug="besok-13-19-ar")
    assert [g.slug for g in indicator.measures.all()] == ["oke-besoket-blant-ungdom"]
    assert indicator.goal_id == current().current_version.goals.get(slug=goal.slug).pk
    client.post(url, {"based_on": 3, "title": "Øke besøket blant unge", "description": "13–19"})
    assert current().current_version.goals.get(slug=goal.slug).title == "Øke besøket blant unge"


def target_form(index: int, **fields) -> dict:
    return {f"targets-{index}-{key}": value for key, value in fields.items()}


def test_targets_are_changed_removed_and_added(client):
    member(client, Role.EDITOR)
    url = f"{EDIT}indicators/skolebesok/"
    page = client.get(url).content.decode()
    # The two targets of the plan file, shown for editing, and a blank one for a new target.
    assert 'name="targets-0-value" value="300"' in page
    assert 'name="targets-1-last_year" value="2026"' in page
    assert 'name="targets-TOTAL_FORMS" value="3"' in page
    form = {
        "based_on": 1, "name": "Antall skolebesøk per år", "description": "",
        "targets-TOTAL_FORMS": 3, "targets-INITIAL_FORMS": 2,
        **target_form(0, organisation="nord", comparator="at_least", value="320",
                      period="each_year", first_year=2025, last_year=2028, note=""),
        **target_form(1, organisation="sor", comparator="at_least", value="275", period="year",
                      first_year=2026, last_year=2026, note="", DELETE="on"),
        **target_form(2, organisation="sor", comparator="at_least", value="1 000",
                      period="deadline", first_year=2025, last_year=2028, note="Til sammen"),
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    targets = Target.objects.filter(indicator__version=current().current_version)
    assert sorted(targets.values_list("organisation__slug", "value", "period", "first_year",
                                      "last_year", "note")) == [
        ("nord", 320, "each_year", 2025, 2028, ""),
        ("sor", 1000, "deadline", 2025, 2028, "Til sammen"),
    ]  # fmt: skip
    # A value that is not a number, and a year range backwards: errors by the field.
    bad = {**form, "based_on": 2, **target_form(0, value="mange", first_year=2028,
                                               last_year=2025)}  # fmt: skip
    page = client.post(url, bad).content.decode()
    assert 'id="id_targets-0-value_error" role="alert">Skriv et tall' in page
    assert 'id="id_targets-0-last_year_error" role="alert">Det siste året' in page
    assert current().current_version.number == 2


def test_the_plan_file_is_edited_whole_and_checked(client):
    member(client, Role.EDITOR)
    url = f"{EDIT}file/"
    text = client.get(url).context["form"].initial["text"]
    assert "slug: testplan" in text
    broken = text.replace("start_year: 2025", "start_year: tjuetjuefem")
    page = client.post(url, {"based_on": 1, "text": broken}, follow=True).content.decode()
    assert "Linje 18, kolonne 15: plan.start_year: Her skal det stå et heltall" in page
    other = text.replace("slug: testplan", "slug: en-annen-plan")
    page = client.post(url, {"based_on": 1, "text": other}, follow=True).content.decode()
    assert "Filen gjelder planen «en-annen-plan», ikke denne." in page
    assert current().current_version.number == 1
    changed = text.replace("title: Formidling", "title: Formidling og læring")
    assert client.post(url, {"based_on": 1, "text": changed}).status_code == 302
    version = current().current_version
    assert version.number == 2
    assert version.focus_areas.get(slug="formidling").title == "Formidling og læring"


def test_an_initiatives_status_is_updated(client):
    member(client, Role.EDITOR)
    listing = client.get("/plans/testplan/initiatives/").content.decode()
    url = f"{EDIT}initiatives/ny-skolepakke/"
    assert f'href="{url}"' in listing
    assert 'value="30.06.2027"' in client.get(url).content.decode()
    bad = client.post(url, {"based_on": 1, "status": "in_progress", "due": "30.02.2027"})
    assert 'id="id_due_error" role="alert">ikke en dato' in bad.content.decode()
    form = {"based_on": 1, "status": "in_progress", "responsible": "Formidlingsleder",
            "due": "1.9.2027"}  # fmt: skip
    assert client.post(url, form)["Location"] == "/plans/testplan/initiatives/"
    item = current().current_version.initiatives.get(slug="ny-skolepakke")
    assert (item.status, item.responsible, item.due.isoformat()) == (
        "in_progress",
        "Formidlingsleder",
        "2027-09-01",
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REPORTER])
def test_only_editors_edit(client, role):
    member(client, role)
    for url in (EDIT, f"{EDIT}file/", f"{EDIT}goals/flere-skolebesok/",
                f"{EDIT}indicators/skolebesok/", f"{EDIT}initiatives/ny-skolepakke/"):  # fmt: skip
        assert client.get(url).status_code == 403, url
        assert client.post(url, texts(vision="x")).status_code == 403, url
    assert (
        client.post(f"{EDIT}areas/formidling/goals/", {"based_on": 1, "title": "x"}).status_code
        == 403
    )
    assert current().current_version.number == 1
    assert "Rediger planen" not in client.get("/plans/testplan/").content.decode()
    assert "/edit/initiatives/" not in client.get("/plans/testplan/initiatives/").content.decode()


def test_the_file_editor_leaves_shared_organisations_and_datasets_alone(client, write_plan):
    """An editor of a plan changes the plan, not the organisations or datasets other plans
    share: moving a site below another, or redeclaring a dataset, is refused."""
    from tests.conftest import plan_with_data

    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    member(client, Role.EDITOR)
    url = f"{EDIT}file/"
    data = yaml.safe_load(client.get(url).context["form"].initial["text"])
    moved = copy.deepcopy(data)
    next(o for o in moved["organisations"] if o["slug"] == "sor")["parent"] = "nord"
    redeclared = copy.deepcopy(data)
    redeclared["datasets"][0]["register"] = True
    for changed in (dump(moved), dump(redeclared)):
        page = client.post(url, {"based_on": 2, "text": changed}, follow=True).content.decode()
        assert "deles med andre planer" in page
    assert Organisation.objects.get(slug="sor").path == "/testmuseet/sor/"
    assert current().current_version.number == 2


def test_a_text_edit_keeps_what_other_plans_changed_since(client):
    """Another plan renamed a shared site after this version was stored; editing this plan's
    vision does not rename it back."""
    data = minimal_plan(slug="annen-plan", title="En annen plan")
    data["organisations"][1]["name"] = "Avdeling Nord (ny)"
    plan_import(document=parse_plan_file(dump(data).encode()))
    member(client, Role.EDITOR)
    client.post(EDIT, texts(vision="Ny visjon"))
    assert current().current_version.vision == "Ny visjon"
    assert Organisation.objects.get(slug="nord").name == "Avdeling Nord (ny)"


def test_targets_on_a_path_are_written_and_read_back_in_the_form(client):
    member(client, Role.EDITOR)
    url = f"{EDIT}indicators/skolebesok/"
    form = {
        "based_on": 1, "name": "Antall skolebesøk per år", "description": "",
        "targets-TOTAL_FORMS": 3, "targets-INITIAL_FORMS": 2,
        **target_form(0, organisation="nord", comparator="at_least", value="400",
                      period="by", first_year=2025, last_year=2028, baseline_year=2024,
                      baseline_value="250", note=""),
        **target_form(1, organisation="sor", comparator="at_least", value="-10,5",
                      period="change_by", first_year=2026, last_year=2028, baseline_year=2025,
                      baseline_value="", note=""),
        **target_form(2, organisation="", comparator="at_least", value="", period="each_year",
                      note=""),
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    targets = Target.objects.filter(indicator__version=current().current_version)
    assert sorted(targets.values_list("organisation__slug", "kind", "comparator", "value",
                                      "first_year", "last_year", "baseline_year",
                                      "baseline_value")) == [
        ("nord", "level_by", "at_least", 400, 2025, 2028, 2024, 250),
        # A fall of 10,5 % is a ceiling on the path; the baseline is 2025's figure.
        ("sor", "change_by", "at_most", -10.5, 2026, 2028, 2025, None),
    ]  # fmt: skip
    page = client.get(url).content.decode()
    assert 'name="targets-0-baseline_value" value="250"' in page
    assert '<option value="change_by" selected>' in page
    # A change without the year it is measured from is refused by the field.
    missing = {**form, "based_on": 2, **target_form(1, baseline_year="")}
    page = client.post(url, missing).content.decode()
    assert 'id="id_targets-1-baseline_year_error" role="alert">' in page
    assert current().current_version.number == 2
