"""Reporting rounds: round files, the answer workflow with every refusal, figures that follow
approval, statistics worked out by hand, and the rule that keeps small groups private."""

import datetime

import pytest
import yaml
from django.contrib.auth.models import User

from maalbilde.networks.models import Answer, AnswerEvent, Round
from maalbilde.networks.releases import open_data_set, release_create
from maalbilde.networks.results import member_benchmark, round_statistics, survey_results
from maalbilde.networks.rounds import RoundRefused, round_import
from maalbilde.networks.workflow import (
    WorkflowRefused,
    answer_approve,
    answer_of,
    answer_reopen,
    answer_return,
    answer_save,
    answer_submit,
)
from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.assessments import assessment_write
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Observation
from maalbilde.plans.services import plan_import, publication_set
from tests.conftest import dump

pytestmark = pytest.mark.django_db
NEXT_YEAR = datetime.date.today().year + 1

MEMBERS = {  # slug: (region, size group)
    "hus-a": ("Nord", "small"),
    "hus-b": ("Nord", "small"),
    "hus-c": ("Nord", "large"),
    "hus-d": ("Sør", "large"),
    "hus-e": ("Sør", "large"),
}


def network_plan() -> dict:
    return {
        "format": "maalbilde-plan/1",
        "organisations": [
            {"slug": "nettverket", "name": "Nettverket", "kind": "network"},
            *(
                {
                    "slug": slug,
                    "name": slug.replace("-", " ").title(),
                    "kind": "member",
                    "parent": "nettverket",
                    "attributes": {"region": region, "size_group": size},
                }
                for slug, (region, size) in MEMBERS.items()
            ),
        ],
        "plan": {
            "slug": "nettverksplan",
            "title": "Nettverkets plan",
            "owner": "nettverket",
            "start_year": 2024,
            "end_year": NEXT_YEAR,
        },
        "focus_areas": [
            {
                "slug": "tall",
                "title": "Tall",
                "indicators": [
                    {"slug": "frivillige-timer", "name": "Frivillige timer", "unit": "hours"}
                ],
            }
        ],
    }


def round_file(**changes) -> dict:
    data = {
        "format": "maalbilde-round/1",
        "slug": "statistikk",
        "title": "Statistikk",
        "network": "nettverket",
        "plan": "nettverksplan",
        "year": 2025,
        "deadline": f"{NEXT_YEAR}-03-01",
        "change_warning_percent": 30,
        "groups": [{"slug": "store", "name": "Store hus", "members": ["hus-c", "hus-d", "hus-e"]}],
        "sections": [{"title": "Tall", "questions": [
            {"slug": "kapasitet", "kind": "number", "label": "Kapasitet", "required": True},
            {"slug": "solgt", "kind": "number", "label": "Solgt", "at_most": "kapasitet"},
            {"slug": "belegg", "kind": "number", "label": "Belegg", "minimum": 0, "maximum": 100},
            {"slug": "timer", "kind": "number", "label": "Frivillige timer",
             "indicator": "frivillige-timer"},
            {"slug": "fornoyd", "kind": "scale", "label": "Fornøyd?", "groups": ["store"]},
            {"slug": "hvorfor", "kind": "text", "label": "Hvorfor?"},
        ]}],
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.fixture
def plan():
    return plan_import(document=parse_plan_file(dump(network_plan()).encode())).plan


@pytest.fixture
def round_(plan):
    return round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))


def member(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def people() -> tuple[User, User]:
    return User.objects.create_user("medlem"), User.objects.create_user("sekretariat")


def approved(round_, slug: str, **values) -> Answer:
    reporter, secretariat = people() if not User.objects.exists() else (
        User.objects.get(username="medlem"), User.objects.get(username="sekretariat"))  # fmt: skip
    answer = answer_of(round_, member(slug))
    answer_save(answer=answer, values=values, user=reporter)
    answer_submit(answer=answer, user=reporter)
    return answer_approve(answer=answer, user=secretariat)


def test_a_round_file_makes_the_round_and_its_members(round_):
    assert round_.members.count() == 5
    assert [m.organisation.slug for m in round_.members.filter(group__slug="store")] == [
        "hus-c", "hus-d", "hus-e"]  # fmt: skip
    assert list(round_.questions.values_list("slug", flat=True)) == [
        "kapasitet", "solgt", "belegg", "timer", "fornoyd", "hvorfor"]  # fmt: skip
    # The scale question is asked only of the large houses.
    questions_a = [q.slug for q in round_.questions.all() if q.asks(None)]
    assert "fornoyd" not in questions_a


def test_a_bad_round_file_says_everything_wrong_and_stores_nothing(plan):
    data = round_file(network="finnes-ikke")
    data["sections"][0]["questions"][1]["at_most"] = "hvorfor"
    data["sections"][0]["questions"][0]["indicator"] = "ukjent"
    with pytest.raises(RoundRefused) as refused:
        round_import(text=yaml.safe_dump(data, allow_unicode=True))
    assert "Det finnes ingen organisasjon «finnes-ikke»." in refused.value.problems
    assert any("hvorfor" in p and "ikke er et tallspørsmål" in p for p in refused.value.problems)
    assert any("ukjent" in p for p in refused.value.problems)
    with pytest.raises(RoundRefused) as invalid:
        round_import(text="format: maalbilde-round/1\nslug: x\n")
    assert any("title" in p for p in invalid.value.problems)
    assert not Round.objects.exists()


def test_a_round_cannot_fill_another_organisations_plan(plan):
    other = {"format": "maalbilde-plan/1",
             "organisations": [{"slug": "museet", "name": "Museet"}],
             "plan": {"slug": "museets-plan", "title": "Museets plan", "owner": "museet",
                      "start_year": 2024, "end_year": 2026},
             "focus_areas": [{"slug": "a", "title": "A", "indicators": [
                 {"slug": "frivillige-timer", "name": "Timer"}]}]}  # fmt: skip
    plan_import(document=parse_plan_file(dump(other).encode()))
    with pytest.raises(RoundRefused) as refused:
        round_import(text=yaml.safe_dump(round_file(plan="museets-plan"), allow_unicode=True))
    assert refused.value.problems == [
        "Planen «museets-plan» er ikke nettverkets egen: medlemmene er ikke en del av den."
    ]


def test_submit_return_correct_resubmit_approve_reopen(round_):
    reporter, secretariat = people()
    answer = answer_of(round_, member("hus-c"))
    check = answer_save(answer=answer, values={"kapasitet": "1 000", "solgt": "1 200"},
                        user=reporter)  # fmt: skip
    assert check.errors == {"solgt": "Kan ikke være mer enn «Kapasitet» (1000)."}
    with pytest.raises(WorkflowRefused):
        answer_submit(answer=answer, user=reporter)
    answer_save(answer=answer, values={"solgt": "800", "belegg": "80", "timer": "1 500"},
                user=reporter)  # fmt: skip
    answer_submit(answer=answer, user=reporter)
    with pytest.raises(WorkflowRefused, match="lagt inn svaret selv"):
        answer_approve(answer=answer, user=reporter)
    with pytest.raises(WorkflowRefused):
        answer_return(answer=answer, user=secretariat, comment="  ")
    answer_return(answer=answer, user=secretariat, comment="Timene ser for høye ut.")
    with pytest.raises(WorkflowRefused):
        answer_approve(answer=answer, user=secretariat)  # returned, not submitted
    answer_save(answer=answer, values={"timer": "150"}, user=reporter)
    answer_submit(answer=answer, user=reporter)
    answer_approve(answer=answer, user=secretariat)
    # The approved hours are the member's figure for the year.
    figure = Observation.objects.get(indicator_slug="frivillige-timer")
    assert (figure.organisation.slug, figure.year, figure.value) == ("hus-c", 2025, 150)
    with pytest.raises(WorkflowRefused):
        answer_save(answer=answer, values={"timer": "1"}, user=reporter)
    answer_reopen(answer=answer, user=secretariat, reason="Feil i kapasiteten.")
    assert not Observation.objects.exists()
    # Taking the figure back is in the trail of changes, by whom and from what.
    removed = AuditEntry.objects.get(action="observation-removed")
    assert (removed.user, removed.organisation.slug, removed.before) == (
        secretariat, "hus-c", {"value": 150.0, "comment": ""})  # fmt: skip
    steps = list(AnswerEvent.objects.filter(answer=answer).values_list("action", "comment"))
    assert [a for a, _c in steps] == ["saved", "saved", "submitted", "returned", "saved",
                                      "submitted", "approved", "reopened"]  # fmt: skip
    assert steps[3][1] == "Timene ser for høye ut." and steps[7][1] == "Feil i kapasiteten."


def test_required_ranges_and_the_deadline(plan):
    data = round_file(deadline="2020-01-01")
    round_ = round_import(text=yaml.safe_dump(data, allow_unicode=True))
    reporter, _secretariat = people()
    answer = answer_of(round_, member("hus-a"))
    check = answer_save(answer=answer, values={"belegg": "120"}, user=reporter)
    assert check.errors == {"kapasitet": "Et svar er påkrevd.", "belegg": "Høyst 100."}
    with pytest.raises(WorkflowRefused) as unreadable:
        answer_save(answer=answer, values={"kapasitet": "mange"}, user=reporter)
    assert "kapasitet" in unreadable.value.errors
    answer_save(answer=answer, values={"kapasitet": "100", "belegg": "50"}, user=reporter)
    with pytest.raises(WorkflowRefused, match="Fristen"):
        answer_submit(answer=answer, user=reporter)
    assert Answer.objects.get().state == "draft"
    Round.objects.update(late_answers=True)
    answer_submit(answer=Answer.objects.get(), user=reporter)
    with pytest.raises(WorkflowRefused):
        answer_of(round_, Organisation.objects.get(slug="nettverket"))  # not a member asked


def test_a_large_change_from_last_year_asks_for_a_comment(plan):
    last = round_import(text=yaml.safe_dump(round_file(slug="i-fjor", year=2024)))
    approved(last, "hus-a", kapasitet="1 000")
    this = round_import(text=yaml.safe_dump(round_file(previous="i-fjor")))
    reporter = User.objects.get(username="medlem")
    answer = answer_of(this, member("hus-a"))
    # 1 000 → 1 400 is +40 %, beyond 30 %: a warning until a comment says why.
    check = answer_save(answer=answer, values={"kapasitet": "1 400"}, user=reporter)
    assert check.errors == {} and check.warnings == {
        "kapasitet": "+40 % fra i fjor (1000). Si hvorfor i en kommentar."}  # fmt: skip
    with pytest.raises(WorkflowRefused):
        answer_submit(answer=answer, user=reporter)
    answer_save(answer=answer, values={}, comments={"kapasitet": "Ny sal åpnet."}, user=reporter)
    answer_submit(answer=answer, user=reporter)


def capacity_statistics(round_, *, for_member: bool) -> dict:
    return {
        (s.dimension, s.group): s
        for s in round_statistics(round_, for_member=for_member)
        if s.question == "kapasitet"
    }


def test_statistics_by_hand_and_no_statistic_of_fewer_than_three(round_, settings):
    # The least-answers rules at three for sums and five for quartiles, to work the figures
    # out by hand with five members (the defaults are four and ten: test_disclosure.py).
    settings.NETWORK_MIN_ANSWERS, settings.NETWORK_MIN_ANSWERS_FOR_QUARTILES = 3, 5
    for slug, capacity in (("hus-a", "100"), ("hus-b", "200"), ("hus-c", "400"),
                           ("hus-d", "800")):  # fmt: skip
        approved(round_, slug, kapasitet=capacity)
    # hus-e has only a draft: not counted.
    answer_save(answer=answer_of(round_, member("hus-e")), values={"kapasitet": "5 000"},
                user=User.objects.get(username="medlem"))  # fmt: skip
    stats = capacity_statistics(round_, for_member=False)
    everybody = stats[("all", "")]
    # 100, 200, 400, 800: sum 1 500, mean 375; quartile positions (n − 1)·p = 0.75, 1.5,
    # 2.25: 100 + 0.75·100 = 175, 200 + 0.5·200 = 300, 400 + 0.25·400 = 500.
    assert (everybody.asked, everybody.answered) == (5, 4)
    assert (everybody.total, everybody.mean) == (1500, 375)
    assert (everybody.lower_quartile, everybody.median, everybody.upper_quartile) == (
        175, 300, 500)  # fmt: skip
    north = stats[("region", "Nord")]
    assert (north.asked, north.answered, north.median) == (3, 3, 200)
    south = stats[("region", "Sør")]
    assert (south.asked, south.answered, south.total) == (2, 1, 800)
    # To members: sums and means of the whole only (they add up, so one group minus another
    # could give one member's figure); quartiles only of five answers or more (of three or
    # four they give the answers themselves away).
    to_members = capacity_statistics(round_, for_member=True)
    everybody = to_members[("all", "")]
    assert (everybody.total, everybody.mean, everybody.median) == (1500, 375, None)
    assert to_members[("region", "Nord")].total is None
    assert not to_members[("region", "Nord")].shown and not to_members[("size", "large")].shown
    # hus-d's benchmark: its own figure, and peers too few to place it among.
    shown = round_statistics(round_, for_member=True)
    benchmark = next(b for b in member_benchmark(round_, member("hus-d"), shown)
                     if b.question.slug == "kapasitet")  # fmt: skip
    assert benchmark.own == 800 and benchmark.place("all") == ""
    approved(round_, "hus-e", kapasitet="1 600")
    # Five answers: 100, 200, 400, 800, 1 600 — quartiles at positions 1, 2, 3.
    everybody = capacity_statistics(round_, for_member=True)[("all", "")]
    assert (everybody.lower_quartile, everybody.median, everybody.upper_quartile) == (
        200, 400, 800)  # fmt: skip
    shown = round_statistics(round_, for_member=True)
    benchmark = next(b for b in member_benchmark(round_, member("hus-e"), shown)
                     if b.question.slug == "kapasitet")  # fmt: skip
    assert benchmark.place("all") == "high"


def test_survey_results_by_group_and_free_text_only_for_the_secretariat(round_, settings):
    settings.NETWORK_MIN_ANSWERS = 3
    for slug, score in (("hus-c", "4"), ("hus-d", "5"), ("hus-e", "4")):
        approved(round_, slug, kapasitet="10", fornoyd=score, hvorfor=f"Svar fra {slug}")
    results = {(r.question.slug, r.group): r for r in survey_results(round_, for_member=False)}
    scale = results[("fornoyd", "Store hus")]
    assert scale.answered == 3
    assert scale.counts == [("1", 0), ("2", 0), ("3", 0), ("4", 2), ("5", 1)]
    assert sorted(results[("hvorfor", "")].texts) == ["Svar fra hus-c", "Svar fra hus-d",
                                                     "Svar fra hus-e"]  # fmt: skip
    to_members = {(r.question.slug, r.group): r for r in survey_results(round_, for_member=True)}
    assert ("hvorfor", "") not in to_members
    assert to_members[("fornoyd", "")].counts == scale.counts


def test_an_approved_answer_counts_its_member_as_reporting(plan):
    data = network_plan()
    data["focus_areas"][0]["indicators"].append(
        {"slug": "rapporterer", "name": "Medlemmer som rapporterer", "over_time": "last"}
    )
    plan_import(document=parse_plan_file(dump(data).encode()))
    text = yaml.safe_dump(round_file(reporting_indicator="rapporterer"), allow_unicode=True)
    round_ = round_import(text=text)
    for slug in ("hus-a", "hus-b"):
        approved(round_, slug, kapasitet="100", timer="10")
    counted = Observation.objects.filter(indicator_slug="rapporterer")
    assert sorted(counted.values_list("organisation__slug", "year", "value")) == [
        ("hus-a", 2025, 1), ("hus-b", 2025, 1)]  # fmt: skip
    answer_reopen(answer=Answer.objects.get(organisation__slug="hus-b"),
                  user=User.objects.get(username="sekretariat"), reason="Feil.")  # fmt: skip
    assert list(counted.values_list("organisation__slug", flat=True)) == ["hus-a"]
    # It must be a typed-in indicator of the plan.
    with pytest.raises(RoundRefused) as refused:
        round_import(text=yaml.safe_dump(round_file(slug="ny", reporting_indicator="ukjent"),
                                         allow_unicode=True))  # fmt: skip
    assert any("ukjent" in p for p in refused.value.problems)


def test_members_see_the_latest_release_at_once_and_the_public_only_when_it_is_open_data(
    round_, client
):
    for slug, hours in (("hus-a", "100"), ("hus-b", "200"), ("hus-c", "300"), ("hus-d", "400")):
        approved(round_, slug, kapasitet="100", timer=hours)
    viewer = User.objects.create_user("hus-e-leser")
    Membership.objects.create(user=viewer, organisation=member("hus-e"), role=Role.VIEWER)
    client.force_login(viewer)
    url = "/plans/nettverksplan/?year=2025"
    assert "slik runden" not in client.get(url).content.decode()  # nothing released yet
    release_create(round_=round_, user=User.objects.get(username="sekretariat"))
    # 100 + 200 + 300 + 400 = 1 000 hours, released: the member sees it at once.
    assert "1\u00a0000 i 2025, slik runden «Statistikk» frigav tallet (frigivelse 1)." in (
        client.get(url).content.decode())  # fmt: skip
    publication_set(plan=round_.plan, year=2025, published=True)
    client.logout()
    public = "/p/nettverksplan/?year=2025"
    assert "slik runden" not in client.get(public).content.decode()  # not open data
    open_data_set(round_=round_, user=None, published=True)
    assert "1\u00a0000 i 2025, slik runden" in client.get(public).content.decode()


def test_a_member_reads_only_the_networks_public_assessments(round_, client):
    plan = round_.plan
    assessment_write(plan=plan, subject="indicator", slug="frivillige-timer", year=2025,
                     text="Internt: 33 191 timer så langt.")  # fmt: skip
    assessment_write(plan=plan, subject="indicator", slug="frivillige-timer", year=2025,
                     text="Frivilligheten holder seg.", public=True)  # fmt: skip
    viewer = User.objects.create_user("hus-e-leser")
    Membership.objects.create(user=viewer, organisation=member("hus-e"), role=Role.VIEWER)
    client.force_login(viewer)
    page = client.get("/plans/nettverksplan/assessments/indicator/frivillige-timer/?year=2025")
    assert "Frivilligheten holder seg." in page.content.decode()
    assert "Internt" not in page.content.decode()
    secretary = User.objects.create_user("sekr")
    Membership.objects.create(user=secretary, organisation=member("nettverket"), role=Role.EDITOR)
    client.force_login(secretary)
    page = client.get("/plans/nettverksplan/assessments/indicator/frivillige-timer/?year=2025")
    assert "Internt: 33 191 timer så langt." in page.content.decode()
