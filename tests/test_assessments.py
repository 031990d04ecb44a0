"""Written assessments: the responsible person's word on an indicator or goal for a year; goals
judged by the worst of their indicators, or by a person where nothing measures them."""

import datetime

import pytest
from django.contrib.auth.models import User

from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.assessments import AssessmentRefused, assessment_write
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Assessment
from maalbilde.plans.observations import observation_save
from maalbilde.plans.services import plan_import, publication_set
from maalbilde.plans.status import plan_status
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db
AFTER_2026 = datetime.date(2027, 1, 10)


@pytest.fixture
def plan():
    data = minimal_plan()
    data["focus_areas"][0]["goals"] += [
        {"slug": "bevaring", "title": "En operativ bevaringsplan (2028).", "indicators": [
            {"slug": "bevaringsplan", "name": "Bevaringsplanen", "unit": "qualitative"}]},
        {"slug": "samarbeid", "title": "Styrke samarbeidet med skolene."},
    ]  # fmt: skip
    plan = plan_import(document=parse_plan_file(dump(data).encode())).plan
    for site, value in (("nord", "320"), ("sor", "250")):
        observation_save(plan=plan, indicator_slug="skolebesok", year=2026, text=value,
                         organisation=Organisation.objects.get(slug=site))  # fmt: skip
    return plan


def rows_of(plan, level: str) -> dict:
    rows = plan_status(plan.current_version, year=2026, today=AFTER_2026)
    return {r.goal if level == "goal" else (r.indicator, r.organisation): r
            for r in rows if r.level == level}  # fmt: skip


def test_a_goal_takes_the_worst_verdict_of_its_indicators_or_a_persons(plan):
    writer = User.objects.create_user("rita")
    assessment_write(
        plan=plan,
        subject="indicator",
        slug="bevaringsplan",
        year=2026,
        verdict="on_track",
        text="Utkastet er på høring.",
        user=writer,
    )
    assessment_write(plan=plan, subject="goal", slug="samarbeid", year=2026, verdict="at_risk",
                     text="To skoler har sagt opp avtalen.", user=writer)  # fmt: skip
    goals = rows_of(plan, "goal")
    # Nord 320 ≥ 300 is met and Sør 250 < 275 is not: the worst of the two.
    assert (goals["flere-skolebesok"].verdict, goals["flere-skolebesok"].final) == (
        "not_met", True)  # fmt: skip
    # The qualitative indicator has no number; the person's verdict judges it, and its goal.
    indicators = rows_of(plan, "indicator")
    assert indicators[("bevaringsplan", "testmuseet")].verdict == "on_track"
    assert goals["bevaring"].verdict == "on_track"
    # Nothing measures the third goal: the written assessment is its verdict.
    assert (goals["samarbeid"].verdict, goals["samarbeid"].comment) == (
        "at_risk", "To skoler har sagt opp avtalen.")  # fmt: skip
    assert goals["samarbeid"].indicator is None and goals["samarbeid"].level == "goal"


def test_the_latest_assessment_counts_and_only_public_ones_reach_the_public(plan):
    assessment_write(
        plan=plan,
        subject="indicator",
        slug="skolebesok",
        year=2026,
        text="Vi er nesten i mål.",
        public=True,
    )
    assessment_write(plan=plan, subject="indicator", slug="skolebesok", year=2026,
                     text="Sør har mistet to skoler (internt).")  # fmt: skip
    assessment_write(plan=plan, subject="indicator", slug="skolebesok", year=2025,
                     text="Et annet år.", public=True)  # fmt: skip
    row = rows_of(plan, "indicator")[("skolebesok", "sor")]
    assert (row.comment, row.public_comment) == ("Sør har mistet to skoler (internt).",
                                                 "Vi er nesten i mål.")  # fmt: skip
    assert Assessment.objects.filter(slug="skolebesok").count() == 3  # the history stays
    entry = AuditEntry.objects.filter(action="assessment").latest("pk")
    assert entry.subject == "testplan/indicator/skolebesok/2025"
    assert entry.organisation.slug == "testmuseet"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": "finnes-ikke"}, "Planen “testplan” har ingen indikator “finnes-ikke”."),
        ({"year": 2031}, "Året må være mellom 2025 og 2028."),
        ({"text": "   "}, "Skriv hva vurderingen sier."),
        ({"text": "x" * 2001}, "En vurdering kan være høyst 2000 tegn."),
        ({"verdict": "kanskje"}, "«kanskje» er ikke en vurdering."),
        (
            {"subject": "goal", "slug": "samarbeid", "year": 2025, "verdict": "on_track"},
            "2025 er omme: det er nådd eller ikke nådd.",
        ),
        ({"verdict": "met"}, "Indikatorens målverdier gir vurderingen; skriv den uten."),
    ],
)
def test_a_refused_assessment_says_why_and_stores_nothing(plan, fields, message):
    asked = {"subject": "indicator", "slug": "skolebesok", "year": 2026, "text": "Tekst",
             **fields}  # fmt: skip
    with pytest.raises(AssessmentRefused) as refused:
        assessment_write(plan=plan, **asked, today=datetime.date(2026, 6, 1))
    assert str(refused.value) == message
    assert not Assessment.objects.exists()
    assert not AuditEntry.objects.filter(action="assessment").exists()


def test_written_in_the_browser_it_shows_on_the_plan_the_public_page_and_in_status(plan, client):
    reporter = User.objects.create_user("rune", password="x")
    Membership.objects.create(user=reporter, organisation=plan.owner, role=Role.REPORTER)
    client.force_login(reporter)
    url = "/plans/testplan/assessments/indicator/skolebesok/"
    # A reporter writes; only editors and administrators put words on the public page.
    refused = client.post(url, {"year": 2026, "verdict": "", "text": "Ut!", "public": "on"})
    assert 'id="id_public_error" role="alert">' in refused.content.decode()
    assert not Assessment.objects.exists()
    editor = User.objects.create_user("eli", password="x")
    Membership.objects.create(user=editor, organisation=plan.owner, role=Role.EDITOR)
    client.force_login(editor)
    assert 'name="text"' in client.get(f"{url}?year=2026").content.decode()
    empty = client.post(url, {"year": 2026, "verdict": "", "text": ""}).content.decode()
    assert 'id="id_text_error" role="alert">' in empty and not Assessment.objects.exists()
    for text, public in (("Vi satser på høsten.", "on"), ("Internt: budsjettet er brukt opp.", "")):
        answer = client.post(url, {"year": 2026, "verdict": "", "text": text, "public": public})
        assert answer.status_code == 302
    page = client.get("/plans/testplan/?year=2026").content.decode()
    assert "Internt: budsjettet er brukt opp." in page
    publication_set(plan=plan, year=2026, published=True)
    public = client.get("/p/testplan/?year=2026").content.decode()
    assert "Vi satser på høsten." in public and "Internt" not in public
    history = client.get(f"{url}?year=2026").content.decode()
    assert history.index("Internt: budsjettet") < history.index("Vi satser på høsten.")


def test_a_verdict_given_in_private_stays_off_the_public_page(plan, client):
    assessment_write(plan=plan, subject="goal", slug="samarbeid", year=2026, verdict="behind",
                     text="Internt: to skoler har sagt opp.")  # fmt: skip
    assessment_write(plan=plan, subject="indicator", slug="bevaringsplan", year=2026,
                     verdict="not_met", text="Internt.")  # fmt: skip
    goals, indicators = rows_of(plan, "goal"), rows_of(plan, "indicator")
    assert (goals["samarbeid"].verdict, goals["samarbeid"].public_verdict) == ("behind", None)
    assert indicators[("bevaringsplan", "testmuseet")].public_verdict is None
    # The goal over the qualitative indicator: not met inside, nothing judged for the public.
    assert (goals["bevaring"].verdict, goals["bevaring"].public_verdict) == ("not_met", None)
    publication_set(plan=plan, year=2026, published=True)
    page = client.get("/p/testplan/?year=2026").content.decode()
    assert "Slik den er vurdert skriftlig." not in page and "Internt" not in page
    assert (
        'class="verdict verdict-behind"><span class="sign" aria-hidden="true">✖</span> 0 ' in page
    )
