"""Rounds in the browser and on the command line: who may see and do what, the workflow by
form, the least-answers rule in pages and exports alike, reminders and exports."""

import datetime
import io
import json
import re

import pytest
import yaml
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from maalbilde.networks.models import Answer, Round
from maalbilde.networks.releases import release_create
from maalbilde.networks.reminders import reminders_send, reminders_task
from maalbilde.networks.rounds import round_import
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump
from tests.test_networks import approved, network_plan, round_file

pytestmark = pytest.mark.django_db
URL = "/rounds/statistikk/"


@pytest.fixture
def round_():
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    return round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))


def person(client, name: str, organisation: str, role: Role = Role.REPORTER) -> User:
    user = User.objects.create_user(name, email=f"{name}@example.org", password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip
    client.force_login(user)
    return user


def test_a_member_answers_the_secretariat_returns_and_approves(client, round_):
    person(client, "anne", "hus-c")
    page = client.get(URL)
    assert page["Location"] == f"{URL}answers/hus-c/"  # a member goes straight to its answer
    form = {"q_kapasitet": "1 000", "q_solgt": "1 200", "q_fornoyd": "4", "action": "submit"}
    refused = client.post(f"{URL}answers/hus-c/", form).content.decode()
    assert 'id="id_q_solgt_error" role="alert">Kan ikke være mer enn «Kapasitet» (1000).' in refused
    assert Answer.objects.get().state == "draft"  # saved, not submitted
    client.post(f"{URL}answers/hus-c/", {**form, "q_solgt": "900"})
    assert Answer.objects.get().state == "submitted"
    # A member cannot approve its own answer, nor return it.
    for action in ("approve", "return"):
        assert client.post(f"{URL}answers/hus-c/", {"action": action}).status_code == 403
    client.logout()
    person(client, "sekretaer", "nettverket", Role.EDITOR)
    overview = client.get(URL).content.decode()
    assert "0 av 5 medlemmer godkjent" in overview and "ikke startet: 4" in overview
    client.post(f"{URL}answers/hus-c/", {"action": "return", "comment": "Sjekk kapasiteten."})
    assert Answer.objects.get().state == "returned"
    client.logout()
    client.force_login(User.objects.get(username="anne"))
    page = client.get(f"{URL}answers/hus-c/").content.decode()
    assert "Sjekk kapasiteten." in page
    client.post(f"{URL}answers/hus-c/", {**form, "q_kapasitet": "1 100", "q_solgt": "900"})
    client.logout()
    client.force_login(User.objects.get(username="sekretaer"))
    client.post(f"{URL}answers/hus-c/", {"action": "approve"})
    assert Answer.objects.get().state == "approved"
    assert "1 av 5 medlemmer godkjent" in client.get(URL).content.decode()


def test_no_member_reads_another_members_answer_through_any_address(client, round_):
    approved(round_, "hus-b", kapasitet="777")
    person(client, "anne", "hus-a")
    for url in (f"{URL}answers/hus-b/", f"{URL}answers.xlsx", f"{URL}answers.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{URL}answers/hus-b/", {"action": "save"}).status_code == 403
    assert "777" not in client.get(f"{URL}results/").content.decode()
    assert client.get("/open/statistikk.json").status_code == 404  # not published
    client.logout()
    person(client, "ola", "nettverket", Role.VIEWER)  # the network's viewer: no secretariat
    assert client.get(URL)["Location"] == f"{URL}results/"  # released figures only
    assert "777" not in client.get(f"{URL}results/").content.decode()
    for url in (f"{URL}answers/hus-b/", f"{URL}answers.xlsx", f"{URL}release/"):
        assert client.get(url).status_code == 403, url
    client.logout()
    stranger = User.objects.create_user("fremmed")
    client.force_login(stranger)
    for url in (URL, f"{URL}results/", f"{URL}survey/", f"{URL}answers/hus-b/"):
        assert client.get(url).status_code == 403, url
    client.logout()
    person(client, "vera", "hus-b", Role.VIEWER)
    assert "777" in client.get(f"{URL}answers/hus-b/").content.decode()  # its own, to read
    assert client.post(f"{URL}answers/hus-b/", {"action": "save"}).status_code == 403


def shows(page: str, number: str) -> bool:
    """The number stands on its own in the page (not as part of a larger one)."""
    return re.search(rf"(?<![0-9\u00a0]){number}(?![0-9]|\u00a0[0-9])", page) is not None


def test_a_group_of_two_answers_shows_no_statistic_to_members_in_pages_or_exports(
    client, round_, settings
):
    """The small houses (hus-a, hus-b) are a group of two; no figure of them, nor any sum
    of a group (one group minus another could give a member's figure), reaches a member."""
    settings.NETWORK_MIN_ANSWERS, settings.NETWORK_MIN_ANSWERS_FOR_QUARTILES = 3, 5
    for slug, capacity in (("hus-a", "110"), ("hus-b", "330"), ("hus-c", "6 500"),
                           ("hus-d", "5 000"), ("hus-e", "7 000")):  # fmt: skip
        approved(round_, slug, kapasitet=capacity)
    release_create(round_=round_, user=None, publish=True)
    person(client, "anne", "hus-a")
    page = client.get(f"{URL}results/").content.decode()
    # All five: 110, 330, 5 000, 6 500, 7 000 — quartiles at positions 1, 2 and 3.
    assert "330 – 5\u00a0000 – 6\u00a0500" in page
    assert "for få svar til å vises" in page and shows(page, "110")  # hus-a's own figure
    # The two small houses: sum 440, mean 220; the large three: sum 18 500.
    for secret in ("440", "220", "18\u00a0500"):
        assert not shows(page, secret), secret
    client.logout()
    rows = [r for r in json.loads(client.get("/open/statistikk.json").content)["statistics"]
            if r["question"] == "kapasitet"]  # fmt: skip
    for row in rows:
        if row["grouping"] != "all":
            assert (row["sum"], row["mean"]) == (None, None)
            if row["answered"] < 5:
                assert (row["lower_quartile"], row["median"], row["upper_quartile"]) == (
                    None, None, None)  # fmt: skip
    everybody = next(r for r in rows if r["grouping"] == "all")
    assert (everybody["answered"], everybody["median"], everybody["sum"]) == (5, 5000, 18940)
    csv_rows = client.get("/open/statistikk.csv").content.decode().splitlines()
    small = next(line for line in csv_rows if ",kapasitet," in line and ",small," in line)
    assert small.endswith(",2,2,,,,,,1,false")  # nothing shown, from release 1


def test_the_secretariat_exports_every_answer(client, round_):
    approved(round_, "hus-c", kapasitet="1 000", hvorfor="=KOMMANDO()")
    person(client, "sekretaer", "nettverket", Role.EDITOR)
    book = load_workbook(io.BytesIO(client.get(f"{URL}answers.xlsx").content))
    rows = list(book.active.values)
    assert rows[0][:6] == ("Medlem", "Region", "Størrelsesgruppe", "Gruppe", "Status",
                           "Kapasitet")  # fmt: skip
    hus_c = next(r for r in rows if r[0] == "Hus C")
    assert hus_c[:6] == ("Hus C", "Nord", "stor", "Store hus", "godkjent", 1000)
    assert "=KOMMANDO()" in hus_c
    csv_text = client.get(f"{URL}answers.csv").content.decode("utf-8-sig")
    assert "Hus C;Nord;stor;Store hus;godkjent;1000" in csv_text
    assert "Hus A;Nord;liten;;ikke startet" in csv_text and "'=KOMMANDO()" in csv_text


def test_reminders_go_to_members_that_have_not_submitted(round_):
    approved(round_, "hus-a", kapasitet="1")
    for slug in ("hus-a", "hus-b"):
        user = User.objects.create_user(f"r-{slug}", email=f"{slug}@example.org")
        Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=slug),
                                  role=Role.REPORTER)  # fmt: skip
    deadline = round_.deadline
    assert reminders_send(round_, today=deadline - datetime.timedelta(days=30)) == 0
    assert reminders_send(round_, today=deadline - datetime.timedelta(days=3)) == 1
    assert [m.to for m in mail.outbox] == [["hus-b@example.org"]]
    assert "Hus B" in mail.outbox[0].body
    # Once a day.
    assert reminders_send(round_, today=deadline - datetime.timedelta(days=3)) == 0


def test_the_command_line_imports_lists_and_exports(tmp_path, capsys):
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    path = tmp_path / "runde.yaml"
    path.write_text(yaml.safe_dump(round_file(), allow_unicode=True), encoding="utf-8")
    call_command("round", "import", str(path))
    assert "5 medlemmer spurt" in capsys.readouterr().out
    call_command("round", "list")
    listed = json.loads(capsys.readouterr().out)
    assert (listed["round"], listed["asked"], listed["approved"]) == ("statistikk", 5, 0)
    output = tmp_path / "svar.xlsx"
    call_command("round", "export", "statistikk", "--format", "xlsx", "-o", str(output))
    assert load_workbook(output).active.max_row == 6
    bad = tmp_path / "feil.yaml"
    bad.write_text("format: maalbilde-round/1\n", encoding="utf-8")
    with pytest.raises(Exception, match="Noen filer"):
        call_command("round", "import", str(bad))


def test_members_chosen_by_attribute_and_survey_results_exported(client, settings):
    settings.NETWORK_MIN_ANSWERS = 3
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    data = round_file(members={"kind": "member", "attributes": {"size_group": "large"}})
    round_ = round_import(text=yaml.safe_dump(data, allow_unicode=True))
    assert sorted(m.organisation.slug for m in round_.members.all()) == ["hus-c", "hus-d",
                                                                         "hus-e"]  # fmt: skip
    for slug, score in (("hus-c", "4"), ("hus-d", "5"), ("hus-e", "4")):
        approved(round_, slug, kapasitet="1", fornoyd=score, hvorfor=f"Fordi {slug}")
    person(client, "sekretaer", "nettverket", Role.EDITOR)
    table = client.get(f"{URL}survey/?format=csv").content.decode("utf-8-sig").splitlines()
    assert "Fornøyd?;alle som svarte;4;2" in table
    assert "Hvorfor?;alle som svarte;Fordi hus-d;" in table
    assert not [line for line in table if line.startswith("Hvorfor?;alle som svarte;1")]
    page = client.get(f"{URL}survey/").content.decode()
    # Two of the three chose 4: 66.7 % of those who answered.
    assert '<th scope="row">4</th><td>2</td><td>66,7\xa0%</td>' in page and "Fordi hus-d" in page
    client.logout()
    release = release_create(round_=round_, user=None)
    person(client, "anne", "hus-c")
    members_table = client.get(f"{URL}survey/?format=csv").content.decode("utf-8-sig")
    # Three answers: two of the houses pooling theirs would know the third's, so the release
    # holds the counts back; words are never shown to members.
    assert [item["label"] for item in release.held_back] == [
        "Fornøyd?: sum og gjennomsnitt", "Kapasitet: sum og gjennomsnitt",
        "Fornøyd?: antall, alle som svarte", "Fornøyd?: antall, Store hus"]  # fmt: skip
    assert "Fornøyd?" not in members_table and "Fordi" not in members_table


def test_next_periods_round_from_this_one(client, round_):
    approved(round_, "hus-a", kapasitet="1 000")
    person(client, "anita", "nettverket", Role.ADMINISTRATOR)
    form = client.get(f"{URL}copy/").context["form"]
    assert form.initial["year"] == 2026
    response = client.post(f"{URL}copy/", {"title": "Statistikk 2026", "year": "2026",
                                           "deadline": "1.3.2027", "instructions": ""})  # fmt: skip
    assert response["Location"] == "/rounds/nettverket-statistikk-2026/"
    new = Round.objects.get(slug="nettverket-statistikk-2026")
    assert (new.year, new.deadline.isoformat(), new.previous.slug) == (2026, "2027-03-01",
                                                                       "statistikk")  # fmt: skip
    assert new.members.count() == 5 and new.questions.count() == 6
    client.logout()
    person(client, "sigrid", "nettverket", Role.EDITOR)  # the secretariat, not an administrator
    assert client.get(f"{URL}copy/").status_code == 403


def test_the_days_reminders_are_a_task_for_the_worker(round_):
    user = User.objects.create_user("r-hus-b", email="hus-b@example.org")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="hus-b"),
                              role=Role.REPORTER)  # fmt: skip
    three_days_before = (round_.deadline - datetime.timedelta(days=3)).isoformat()
    a_month_before = (round_.deadline - datetime.timedelta(days=30)).isoformat()
    assert reminders_task.enqueue(a_month_before).return_value == 0
    assert reminders_task.enqueue(three_days_before).return_value == 1
    assert [m.to for m in mail.outbox] == [["hus-b@example.org"]]
    assert reminders_task.enqueue(three_days_before).return_value == 0  # once a day


def test_reminders_that_the_mail_server_refused_go_out_on_the_next_try(round_, monkeypatch):
    import smtplib

    from maalbilde.networks import reminders

    user = User.objects.create_user("r-hus-b", email="hus-b@example.org")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="hus-b"),
                              role=Role.REPORTER)  # fmt: skip
    day = round_.deadline - datetime.timedelta(days=2)

    def refused(mails):
        raise smtplib.SMTPServerDisconnected("borte")

    monkeypatch.setattr(reminders, "send_mass_mail", refused)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        reminders_send(round_, today=day)
    round_.refresh_from_db()
    assert round_.reminded_on is None and mail.outbox == []
    monkeypatch.undo()
    assert reminders_send(round_, today=day) == 1
    assert [m.to for m in mail.outbox] == [["hus-b@example.org"]]


def test_publishing_open_data_asks_first_and_counts_the_members_missing(client, round_):
    # Two of the five members have sent and been approved; three have not.
    approved(round_, "hus-a", kapasitet="100")
    approved(round_, "hus-b", kapasitet="300")
    release = release_create(round_=round_, user=None)
    person(client, "leder", "nettverket", Role.ADMINISTRATOR)
    asked = client.post(f"{URL}publish/", {"action": "publish"}).content.decode()
    assert "3 av 5 medlemmer har ikke sendt svarene sine" in asked
    assert f"Publiser frigivelse {release.number} som åpne data" in asked
    round_.refresh_from_db()
    assert not round_.open_data
    client.post(f"{URL}publish/", {"action": "publish", "confirmed": "yes"})
    round_.refresh_from_db()
    assert round_.open_data


def test_survey_results_as_a_table_when_free_text_comes_first():
    """The first questions of a survey may be free text, with no count in their rows."""
    from maalbilde.networks.exports import survey_csv
    from maalbilde.networks.models import Question
    from maalbilde.networks.results import SurveyResult

    why = Question(label="Hvorfor?", kind=Question.Kind.TEXT)
    happy = Question(label="Fornøyd?", kind=Question.Kind.SCALE)
    results = [SurveyResult(why, "", 2, texts=["Fordi", "Derfor"]),
               SurveyResult(happy, "", 2, counts=[("1", 0), ("2", 2)])]  # fmt: skip
    lines = survey_csv(results).decode("utf-8-sig").splitlines()
    everybody = "alle som svarte"
    assert lines[1:] == [f"Hvorfor?;{everybody};Fordi;", f"Hvorfor?;{everybody};Derfor;",
                         f"Fornøyd?;{everybody};1;0", f"Fornøyd?;{everybody};2;2"]  # fmt: skip
