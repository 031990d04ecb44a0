"""What keeps rounds safe: one network cannot take another's round; a region's people are
not members; no group's figures can be worked out by subtraction; figures a round replaced
come back when it is reopened; corrections after the deadline; odd exports."""

import io

import pytest
import yaml
from django.contrib.auth.models import User
from openpyxl import load_workbook

from maalbilde.networks.models import Answer, Round
from maalbilde.networks.results import round_statistics, survey_results
from maalbilde.networks.rounds import round_import
from maalbilde.networks.workflow import answer_of, answer_reopen, answer_save, answer_submit
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Observation, Plan
from maalbilde.plans.observations import observation_save
from maalbilde.plans.services import plan_import
from tests.conftest import dump
from tests.test_networks import NEXT_YEAR, approved, network_plan, round_file

pytestmark = pytest.mark.django_db
URL = "/rounds/statistikk/"


@pytest.fixture
def round_():
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    return round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))


def person(client, name: str, organisation: str, role: Role) -> User:
    user = User.objects.create_user(name, password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip
    client.force_login(user)
    return user


def other_network() -> None:
    plan_import(document=parse_plan_file(dump({
        "format": "maalbilde-plan/1",
        "organisations": [{"slug": "annet", "name": "Annet", "kind": "network"},
                          {"slug": "annet-hus", "name": "Annet hus", "kind": "member",
                           "parent": "annet"}],
        "plan": {"slug": "annet-plan", "title": "A", "owner": "annet", "start_year": 2024,
                 "end_year": NEXT_YEAR},
        "focus_areas": [{"slug": "a", "title": "A"}],
    }).encode()))  # fmt: skip


def test_one_network_cannot_take_or_make_another_networks_round(client, round_):
    other_network()
    person(client, "bob", "annet", Role.ADMINISTRATOR)
    theirs = round_file(network="annet", plan=None, groups=[])
    theirs.pop("plan")
    theirs["sections"][0]["questions"] = theirs["sections"][0]["questions"][:1]
    page = client.post("/rounds/new/", {"text": yaml.safe_dump(theirs)}, follow=True)
    assert "Et annet nettverk har en runde «statistikk»" in page.content.decode()
    assert Round.objects.get(slug="statistikk").network.slug == "nettverket"
    # A file that names the other network twice is read as the import reads it (the last).
    sneaky = yaml.safe_dump({**round_file(slug="ny"), "network": "nettverket"})
    sneaky = "network: annet\n" + sneaky
    assert client.post("/rounds/new/", {"text": sneaky}).status_code == 403
    assert not Round.objects.filter(slug="ny").exists()


def test_a_region_viewer_is_not_a_member(client):
    data = network_plan()
    data["organisations"].insert(1, {"slug": "nord", "name": "Nord", "kind": "region",
                                     "parent": "nettverket"})  # fmt: skip
    data["organisations"][2]["parent"] = "nord"  # hus-a below the region
    plan_import(document=parse_plan_file(dump(data).encode()))
    round_ = round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    approved(round_, "hus-a", kapasitet="123")
    person(client, "rita", "nord", Role.VIEWER)
    assert client.get(f"{URL}answers/hus-a/").status_code == 403
    assert client.get(URL).status_code == 403


def test_no_hidden_group_can_be_worked_out_from_the_whole(round_):
    """Sør has one answer; all minus Nord would give it, so Nord is hidden as well."""
    for slug, capacity in (("hus-a", "100"), ("hus-b", "200"), ("hus-c", "400"),
                           ("hus-d", "800")):  # fmt: skip
        approved(round_, slug, kapasitet=capacity)
    statistics = round_statistics(round_, for_member=True)
    shown = {(s.dimension, s.group): s.total for s in statistics if s.question == "kapasitet"}
    assert shown[("all", "")] == 1500
    assert shown[("region", "Nord")] is None and shown[("region", "Sør")] is None


def test_the_rule_hides_enough_groups_that_none_can_be_subtracted():
    from maalbilde.networks.results import hidden_groups

    # One group too small: the smallest of the others goes with it (3 + 1 ≥ 3).
    assert hidden_groups({"A": 3, "B": 4, "C": 1}, 3) == {"A", "C"}
    # Two small groups together already make three: nothing more.
    assert hidden_groups({"A": 3, "B": 1, "C": 2}, 3) == {"B", "C"}
    assert hidden_groups({"A": 3, "B": 4}, 3) == set()
    # One member outside every respondent group: everybody minus the group would be it.
    assert hidden_groups({"Store hus": 3}, 3, unlisted=1) == {"Store hus"}


def test_survey_counts_of_a_group_are_hidden_when_the_rest_is_one_member(round_, settings):
    """The text and number questions aside, all members answer "hvorfor"; a single choice
    asked of everybody shows counts per group only when no group can be subtracted."""
    settings.NETWORK_MIN_ANSWERS = 3
    for slug in ("hus-c", "hus-d", "hus-e"):
        approved(round_, slug, kapasitet="1", fornoyd="4")
    results = {(r.question.slug, r.group): r for r in survey_results(round_, for_member=True)}
    # The scale is asked of the large houses only: everybody and the group are the same three.
    assert results[("fornoyd", "Store hus")].counts and results[("fornoyd", "")].counts


def test_reopening_gives_back_the_figure_the_approval_replaced(round_):
    plan = Plan.objects.get(slug="nettverksplan")
    hus_c = Organisation.objects.get(slug="hus-c")
    observation_save(plan=plan, indicator_slug="frivillige-timer", organisation=hus_c,
                     year=2025, text="90", comment="Typed in")  # fmt: skip
    answer = approved(round_, "hus-c", kapasitet="10", timer="150")
    assert Observation.objects.get().value == 150
    answer_reopen(answer=answer, user=None, reason="Feil")
    figure = Observation.objects.get()
    assert (figure.value, figure.comment, figure.source) == (90, "Typed in", "")


def test_a_reopened_answer_can_be_corrected_after_the_deadline(plan_after_deadline):
    round_ = plan_after_deadline
    Round.objects.update(late_answers=True)
    answer = approved(round_, "hus-c", kapasitet="10")
    Round.objects.update(late_answers=False)
    answer_reopen(answer=answer, user=None, reason="Rett kapasiteten")
    answer_save(answer=answer, values={"kapasitet": "12"}, user=None)
    answer_submit(answer=answer, user=None)
    assert Answer.objects.get().state == "submitted"
    # A member handing in for the first time after the deadline is still refused; the
    # secretariat filling in is not.
    late = answer_of(round_, Organisation.objects.get(slug="hus-d"))
    answer_save(answer=late, values={"kapasitet": "5"}, user=None)
    with pytest.raises(Exception, match="Fristen"):
        answer_submit(answer=late, user=None)
    answer_submit(answer=late, user=None, on_behalf="Sendt på e-post")


@pytest.fixture
def plan_after_deadline():
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    return round_import(text=yaml.safe_dump(round_file(deadline="2020-01-01")))


def test_a_round_with_groups_and_no_answers_can_be_replaced(round_):
    again = round_import(text=yaml.safe_dump(round_file(title="Statistikk, rettet")))
    assert again.title == "Statistikk, rettet" and again.groups.count() == 1


def test_an_unknown_action_changes_nothing(client, round_):
    person(client, "vera", "hus-a", Role.VIEWER)
    assert client.post(f"{URL}answers/hus-a/", {"action": "tull"}).status_code == 404
    assert not Answer.objects.exists()


def test_exports_with_shared_labels_and_odd_titles(client):
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    data = round_file(title="Statistikk: 2025/26")
    data["sections"].append({"title": "Igjen", "questions": [
        {"slug": "kapasitet-2", "kind": "number", "label": "Kapasitet"}]})  # fmt: skip
    round_ = round_import(text=yaml.safe_dump(data, allow_unicode=True))
    approved(round_, "hus-a", kapasitet="1", **{"kapasitet-2": "2"})
    person(client, "siv", "nettverket", Role.EDITOR)
    header = client.get(f"{URL}answers.csv").content.decode("utf-8-sig").splitlines()[0]
    assert "Kapasitet (kapasitet);" in header and header.endswith("Kapasitet (kapasitet-2)")
    book = load_workbook(io.BytesIO(client.get(f"{URL}answers.xlsx").content))
    assert book.active.title == "Statistikk- 2025-26"


def test_reopening_leaves_a_later_rounds_or_a_hand_correction_alone(round_):
    plan = Plan.objects.get(slug="nettverksplan")
    hus_c = Organisation.objects.get(slug="hus-c")

    def figure() -> tuple:
        found = Observation.objects.get()
        return found.value, found.source

    observation_save(plan=plan, indicator_slug="frivillige-timer", organisation=hus_c,
                     year=2025, text="90")  # fmt: skip
    first = approved(round_, "hus-c", timer="150", kapasitet="1")
    second_round = round_import(text=yaml.safe_dump(round_file(slug="ekstra")))
    second = approved(second_round, "hus-c", timer="200", kapasitet="1")
    answer_reopen(answer=first, user=None, reason="Feil")
    assert figure() == (200, "round:ekstra")  # the later round's figure stays
    answer_reopen(answer=second, user=None, reason="Feil")
    assert figure() == (90, "")  # the first round no longer counts: the hand-typed 90


def test_copying_never_replaces_a_round(client, round_):
    person(client, "anita", "nettverket", Role.ADMINISTRATOR)
    other = round_import(text=yaml.safe_dump(round_file(slug="nettverket-statistikk-2026",
                                                        title="Noe annet")))  # fmt: skip
    form = {"title": "Statistikk 2026", "year": "2026", "deadline": "1.3.2027"}
    page = client.post(f"{URL}copy/", form, follow=True).content.decode()
    assert "finnes allerede en runde «nettverket-statistikk-2026»" in page
    assert Round.objects.get(pk=other.pk).title == "Noe annet"
    same = client.post(f"{URL}copy/", {**form, "title": "Statistikk"}, follow=True)
    assert same.status_code == 200 and Round.objects.filter(slug="statistikk").exists()


def test_a_question_named_like_a_fixed_column(client):
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    data = round_file()
    data["sections"][0]["questions"][0]["label"] = "Gruppe"
    round_ = round_import(text=yaml.safe_dump(data, allow_unicode=True))
    approved(round_, "hus-a", kapasitet="1")
    person(client, "siv", "nettverket", Role.EDITOR)
    header = client.get(f"{URL}answers.csv").content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Medlem;Region;Størrelsesgruppe;Gruppe;Status;Gruppe (kapasitet);")
