"""The secretariat's work list: the members asked, filtered by state, region and size group
and sorted, and reminders sent from it to the members still waiting, after a preview."""

import datetime

import pytest
import yaml
from django.contrib.auth.models import User
from django.core import mail

from maalbilde.networks.models import Answer, Round
from maalbilde.networks.rounds import round_import
from maalbilde.networks.workflow import answer_of, answer_return, answer_save, answer_submit
from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.files import PlanFileInvalid, parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump
from tests.test_networks import approved, network_plan, round_file

pytestmark = pytest.mark.django_db
URL = "/rounds/statistikk/"


def grant(slug: str, name: str, role: Role) -> User:
    user = User.objects.create_user(name, email=f"{name}@example.org")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=slug),
                              role=role)  # fmt: skip
    return user


@pytest.fixture
def round_():
    plan = network_plan()
    hus_d = next(o for o in plan["organisations"] if o["slug"] == "hus-d")
    hus_d["contact_email"] = "post@hus-d.example"
    plan_import(document=parse_plan_file(dump(plan).encode()))
    round_ = round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    # Hus A approved, Hus C submitted; Hus B, D and E have not sent their answers.
    approved(round_, "hus-a", kapasitet="100")
    answer = answer_of(round_, Organisation.objects.get(slug="hus-c"))
    answer_save(answer=answer, values={"kapasitet": "200"}, user=None)
    answer_submit(answer=answer, user=None)
    grant("hus-b", "rapportor-b", Role.REPORTER)
    grant("hus-d", "rapportor-d", Role.REPORTER)  # Hus D has a contact e-mail: not to them
    grant("hus-e", "leder-e", Role.ADMINISTRATOR)
    grant("hus-e", "rapportor-e", Role.REPORTER)
    grant("hus-e", "leser-e", Role.VIEWER)  # a viewer is no contact
    return round_


@pytest.fixture
def secretariat(client, round_):
    client.force_login(grant("nettverket", "sekretaer", Role.EDITOR))
    return client


def members_listed(page: str) -> list[str]:
    """The members in the work list's table, in the order shown."""
    table = page[page.index('id="h-members"') :]
    found = [(table.index(f">{name}</a>"), name) for name in
             ("Hus A", "Hus B", "Hus C", "Hus D", "Hus E") if f">{name}</a>" in table]  # fmt: skip
    return [name for _at, name in sorted(found)]


def test_the_work_list_filters_by_state_region_and_size_and_sorts(secretariat):
    page = secretariat.get(URL).content.decode()
    assert members_listed(page) == ["Hus A", "Hus B", "Hus C", "Hus D", "Hus E"]
    assert "<td>Nord</td>" in page and "<td>stor</td>" in page and "<td>liten</td>" in page
    waiting = secretariat.get(URL, {"state": "waiting"}).content.decode()
    assert members_listed(waiting) == ["Hus B", "Hus D", "Hus E"]
    assert "3 medlemmer vist · 3 av dem har ikke sendt svarene sine" in waiting
    assert members_listed(secretariat.get(URL, {"state": "submitted"}).content.decode()) == [
        "Hus C"
    ]
    south = secretariat.get(URL, {"region": "Sør"}).content.decode()
    assert members_listed(south) == ["Hus D", "Hus E"]
    large_waiting = secretariat.get(URL, {"size": "large", "state": "waiting"}).content.decode()
    assert members_listed(large_waiting) == ["Hus D", "Hus E"]
    # By state: not started first, then submitted, then approved.
    by_state = secretariat.get(URL, {"order": "state"}).content.decode()
    assert members_listed(by_state) == ["Hus B", "Hus D", "Hus E", "Hus C", "Hus A"]
    nobody = secretariat.get(URL, {"region": "Vest"}).content.decode()
    assert "Ingen medlemmer passer til filteret." in nobody


def test_the_secretariat_reminds_the_members_not_answered_after_seeing_the_email(secretariat):
    waiting = secretariat.get(URL, {"state": "waiting"}).content.decode()
    assert "Påminn de 3 medlemmene som vises og ikke har svart" in waiting
    chosen = {"member": ["hus-b", "hus-d", "hus-e"]}
    question = secretariat.post(f"{URL}remind/", chosen).content.decode()
    assert "Sende påminnelser?" in question
    assert "Påminnelse: Statistikk, frist 01.03." in question  # the e-mail's subject
    assert "Hus B har ennå ikke levert svaret på «Statistikk»." in question  # the first's text
    assert "<td>Hus D</td><td>post@hus-d.example</td>" in question
    assert "<td>Hus E</td><td>leder-e@example.org, rapportor-e@example.org</td>" in question
    assert "Send 3 påminnelser" in question
    assert mail.outbox == []  # nothing is sent before the answer
    filtered = {"state": "waiting", "order": "member"}
    back = secretariat.post(f"{URL}remind/", {**chosen, **filtered, "confirmed": "yes"})
    assert back["Location"] == f"{URL}?state=waiting&order=member"  # the list as it was
    done = secretariat.get(back["Location"])
    assert "3 påminnelser er sendt." in done.content.decode()
    # One e-mail per member waiting, to its contact e-mail or else its own people.
    assert sorted(m.to for m in mail.outbox) == [
        ["leder-e@example.org", "rapportor-e@example.org"],
        ["post@hus-d.example"],
        ["rapportor-b@example.org"],
    ]
    to_b = next(m for m in mail.outbox if m.to == ["rapportor-b@example.org"])
    assert to_b.subject.startswith("Påminnelse: Statistikk, frist")
    assert "Hus B har ennå ikke levert svaret på «Statistikk»" in to_b.body
    entry = AuditEntry.objects.get(action="round-remind")
    assert entry.after["sent"] == 3 and entry.user.username == "sekretaer"


def test_reminders_go_only_to_members_still_waiting_and_say_who_cannot_be_reached(
    secretariat, round_
):
    Membership.objects.filter(organisation__slug="hus-b").delete()
    # Members that sent or were approved get none, even if the form names them.
    chosen = {"member": ["hus-a", "hus-b", "hus-c", "hus-d"]}
    question = secretariat.post(f"{URL}remind/", chosen).content.decode()
    assert "Ingen e-postadresse for: Hus B." in question
    assert "<td>Hus D</td><td>post@hus-d.example</td>" in question
    assert "Hus A</td>" not in question and "Hus C</td>" not in question
    # Hus D sends its answer before the secretariat confirms: it is not reminded.
    answer = answer_of(round_, Organisation.objects.get(slug="hus-d"))
    answer_save(answer=answer, values={"kapasitet": "50"}, user=None)
    answer_submit(answer=answer, user=None)
    assert Answer.objects.get(organisation__slug="hus-d").state == "submitted"
    page = secretariat.post(f"{URL}remind/", {**chosen, "confirmed": "yes"}, follow=True)
    assert mail.outbox == []
    assert "Ingen av medlemmene som er valgt, venter på en påminnelse" in page.content.decode()


def test_only_the_secretariat_sends_reminders(client, round_):
    client.force_login(grant("hus-b", "anne", Role.ADMINISTRATOR))
    refused = client.post(f"{URL}remind/", {"member": ["hus-b"], "confirmed": "yes"})
    assert refused.status_code == 403 and mail.outbox == []
    assert not AuditEntry.objects.filter(action="round-remind").exists()


def test_a_contact_email_that_is_no_address_is_refused_with_its_line():
    plan = network_plan()
    plan["organisations"][1]["contact_email"] = "post hus-a"
    with pytest.raises(PlanFileInvalid) as refused:
        parse_plan_file(dump(plan).encode())
    [problem] = refused.value.problems
    assert "contact_email" in problem.path and problem.line == 13, problem
    assert problem.message == "“post hus-a” er ikke en e-postadresse."


def test_the_review_shows_last_periods_figure_the_change_and_a_readable_history(client):
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    last = round_import(text=yaml.safe_dump(round_file(slug="i-fjor", year=2024,
                                                       title="Statistikk 2024")))  # fmt: skip
    approved(last, "hus-a", kapasitet="10 000", solgt="8 000")
    this = round_import(text=yaml.safe_dump(round_file(previous="i-fjor")))
    reporter = User.objects.get(username="medlem")
    reporter.first_name, reporter.last_name = "Mona", "Medlem"
    reporter.save()
    answer = answer_of(this, Organisation.objects.get(slug="hus-a"))
    # 10 000 → 12 248 000 is a change the reporter explains; 8 000 → 7 000 is −12.5 %.
    answer_save(answer=answer, values={"kapasitet": "12248000", "solgt": "7000"},
                comments={"kapasitet": "Ny storsal."}, user=reporter)  # fmt: skip
    answer_submit(answer=answer, user=reporter)
    client.force_login(grant("nettverket", "sekretaer", Role.EDITOR))
    page = client.get(f"{URL}answers/hus-a/").content.decode()
    assert '<p id="id_q_kapasitet">12\xa0248\xa0000</p>' in page  # not 12248000
    assert "I Statistikk 2024: 10\xa0000 · endring +122\xa0380\xa0%" in page
    assert "I Statistikk 2024: 8\xa0000 · endring −12,5\xa0%" in page
    assert "Mona Medlem · levert" in page and "Mona Medlem · utkast lagret" in page
    assert "submitted" not in page
    client.post(f"{URL}answers/hus-a/", {"action": "approve"})
    page = client.get(f"{URL}answers/hus-a/").content.decode()
    assert "sekretaer · godkjent" in page
    # In English: British figures and the history in English.
    english = client.get(f"/en{URL}answers/hus-a/").content.decode()
    assert '<p id="id_q_kapasitet">12,248,000</p>' in english
    assert "In Statistikk 2024: 8,000 · change −12.5%" in english
    assert "Mona Medlem · submitted" in english and "sekretaer · approved" in english


def test_statistics_and_survey_results_come_with_charts(secretariat, round_):
    for slug, capacity in (("hus-b", 200), ("hus-d", 400), ("hus-e", 500)):
        approved(round_, slug, kapasitet=str(capacity), fornoyd="4" if slug != "hus-b" else "")
    # Approved: Hus A 100, B 200, D 400, E 500 (Hus C only submitted). Medians by hand: all
    # (100, 200, 400, 500) → 300; Nord (100, 200) → 150; Sør (400, 500) → 450; small (100,
    # 200) → 150; large (400, 500) → 450.
    page = secretariat.get(f"{URL}results/").content.decode()
    section = page[page.index('id="h-q-kapasitet"') : page.index('id="h-q-solgt"')]
    assert '<strong id="chart-1-title">Kapasitet</strong>' in section
    assert section.count('class="bar"') == 5  # one bar a group: all, Nord, Sør, small, large
    assert "Søyler: medianen i hver gruppe" in section
    assert '<th scope="row">Størrelsesgruppe: liten</th>' in section  # a label, not "small"
    # Hus D and E chose 4 on the scale (Hus B is not asked it): a bar for each step, 2 on 4.
    survey = secretariat.get(f"{URL}survey/").content.decode()
    assert "Fornøyd? (alle som svarte)" in survey
    assert '<th scope="row">4</th><td>2</td><td>100\xa0%</td>' in survey
    assert '<th scope="row">1</th><td>0</td><td>0\xa0%</td>' in survey


def test_numbers_typed_on_english_pages_are_read_the_british_way(client):
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    client.force_login(grant("hus-a", "anne", Role.REPORTER))
    answer_url = f"/en{URL}answers/hus-a/"
    client.post(answer_url, {"q_kapasitet": "230,000", "q_solgt": "1,234", "q_belegg": "80.5",
                             "action": "save"})  # fmt: skip
    numbers = dict(Answer.objects.get().values.values_list("question__slug", "number"))
    assert (numbers["kapasitet"], numbers["solgt"], numbers["belegg"]) == (230000, 1234, 80.5)
    # Shown again for correction as typed in English; in bokmål as Norwegians type.
    assert 'value="80.5"' in client.get(answer_url).content.decode()
    assert 'value="80,5"' in client.get(f"{URL}answers/hus-a/").content.decode()
    # On a bokmål page a comma is the decimal comma, as before.
    client.post(f"{URL}answers/hus-a/", {"q_kapasitet": "1 000", "q_belegg": "1,5",
                                         "action": "save"})  # fmt: skip
    numbers = dict(Answer.objects.get().values.values_list("question__slug", "number"))
    assert (numbers["kapasitet"], numbers["belegg"]) == (1000, 1.5)


@pytest.mark.parametrize("typed, english, norwegian", [
    ("65,000", 65000, 65.0), ("1,234,567.5", 1234567.5, None), ("80.5", 80.5, 80.5),
    ("1.500", 1.5, 1500), ("65 000", 65000, 65000), ("80,5", 80.5, 80.5),
    ("−1,200", -1200, -1.2), ("tre", None, None),
])  # fmt: skip
def test_a_typed_number_is_read_by_the_pages_language(typed, english, norwegian):
    from maalbilde.lib.norwegian import parse_typed_number

    assert parse_typed_number(typed, "en") == english
    assert parse_typed_number(typed, "nb") == norwegian


def test_after_the_deadline_only_members_that_can_still_send_are_reminded(
    secretariat, round_, settings
):
    settings.SITE_URL = "https://maalbilde.example"
    # Hus B's answer came back for correction: it may still send it. D and E may not.
    answer = answer_of(round_, Organisation.objects.get(slug="hus-b"))
    answer_save(answer=answer, values={"kapasitet": "10"}, user=None)
    answer_submit(answer=answer, user=None)
    answer_return(answer=answer, user=None, comment="Sjekk kapasiteten.")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Round.objects.filter(pk=round_.pk).update(deadline=yesterday)
    chosen = {"member": ["hus-b", "hus-d", "hus-e"]}
    # The secretariat reads English; the members get Målbilde's language, with a link.
    question = secretariat.post(f"/en{URL}remind/", chosen).content.decode()
    assert "1 member gets the e-mail below." in question
    assert "only members whose answer was returned for correction" in question
    secretariat.post(f"/en{URL}remind/", {**chosen, "confirmed": "yes"})
    [sent] = mail.outbox
    assert sent.to == ["rapportor-b@example.org"]
    assert sent.subject.startswith("Påminnelse: Statistikk, frist")
    assert "https://maalbilde.example/rounds/statistikk/answers/hus-b/" in sent.body


def test_a_change_is_in_points_for_a_percentage_and_in_steps_for_a_scale(client):
    from django.template import Context, Template

    from maalbilde.networks.models import Question

    template = Template("{% load maalbilde %}{% change before now q %}")

    def change(before, now, **question) -> str:
        return template.render(Context({"before": before, "now": now,
                                        "q": Question(**question)}))  # fmt: skip

    assert change(64.6, 65.8, kind="number", unit="percent") == "+1,2 prosentpoeng"
    assert change(4, 3, kind="scale") == "−1"
    assert change(8000, 7000, kind="number", unit="") == "−12,5\xa0%"
    assert change(0, 7000, kind="number", unit="") == ""  # no percent of nothing
