"""The API's other parts, each beside the page that does the same: register rows corrected
and removed, funding as its public page and its editors' page show it, reports as files,
and what a request's schema refuses, in the caller's language."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from maalbilde.data.models import RegisterRow
from maalbilde.data.registers import register_row_save
from maalbilde.funding.services import funding_publication_set, payment_record
from maalbilde.organisations.models import AuditEntry, Organisation, Role
from tests.test_api import YEAR, bearer, person, plan, token  # noqa: F401 (plan is a fixture)
from tests.test_backup import REPO

pytestmark = pytest.mark.django_db
ROWS = "/api/v1/datasets/omtaler/rows"


def mention(day: str, coverage: str = "nasjonal", reach: str = "12 000") -> dict:
    return {"organisation": "nord",
            "cells": {"dato": day, "dekning": coverage, "tittel": "Adresseavisen",
                      "rekkevidde": reach}}  # fmt: skip


def series(client, secret: str) -> list[dict]:
    return client.get("/api/v1/plans/testplan/indicators/nasjonale-oppslag/series",
                      **bearer(secret)).json()  # fmt: skip


@pytest.mark.usefixtures("plan")
def test_a_register_row_corrected_and_removed_through_the_api(client):
    """Two national mentions in February: the indicator counts 2; one corrected to a local
    mention counts 1; the other removed counts 0. Each change audited with the token."""
    made, secret = token()
    first = client.post(ROWS, data=mention(f"01.02.{YEAR}"), content_type="application/json",
                        **bearer(secret)).json()  # fmt: skip
    second = client.post(ROWS, data=mention(f"02.02.{YEAR}"), content_type="application/json",
                         **bearer(secret)).json()  # fmt: skip
    assert {"organisation": "nord", "year": YEAR, "value": 2.0} in series(client, secret)
    url = f"{ROWS}/{first['id']}"
    corrected = client.put(url, data=mention(f"01.02.{YEAR}", "lokal", "3 500"),
                           content_type="application/json", **bearer(secret))  # fmt: skip
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["values"] == {"dekning": "lokal", "tittel": "Adresseavisen",
                                          "rekkevidde": 3500}  # fmt: skip
    assert {"organisation": "nord", "year": YEAR, "value": 1.0} in series(client, secret)
    # A correction the register refuses changes nothing.
    refused = client.put(url, data=mention(f"01.02.{YEAR}", "global"),
                         content_type="application/json", **bearer(secret))  # fmt: skip
    assert refused.status_code == 422
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "cells", "dekning"]]
    assert refused.json()["detail"].startswith("cells.dekning: ")
    assert RegisterRow.objects.get(pk=first["id"]).values["dekning"] == "lokal"
    removed = client.delete(f"{ROWS}/{second['id']}", **bearer(secret))
    assert removed.status_code == 204
    assert not any(p["year"] == YEAR and p["value"] for p in series(client, secret))
    assert client.delete(f"{ROWS}/{second['id']}", **bearer(secret)).status_code == 404
    actions = list(AuditEntry.objects.filter(token=made).values_list("action", flat=True))
    assert actions.count("register") == 3 and actions.count("register-remove") == 1
    # A reader cannot change rows; another organisation's token does not find them.
    _reader, reads = token(scopes=["read"])
    assert client.delete(url, **bearer(reads)).status_code == 403
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    _theirs, stranger = token("naboen", scopes=["read", "import"])
    assert client.delete(url, **bearer(stranger)).status_code == 404
    assert RegisterRow.objects.filter(pk=first["id"]).exists()


@pytest.mark.usefixtures("plan")
def test_a_register_row_corrected_in_the_browser_and_through_the_api_is_the_same(client):
    """One write path: the same correction from the row's page and through the API stores the
    same row and records the same change."""
    reporter = person("rita", "nord", Role.REPORTER)
    dataset = RegisterRow._meta.get_field("dataset").related_model.objects.get(slug="omtaler")
    nord = Organisation.objects.get(slug="nord")
    cells = mention(f"01.02.{YEAR}")["cells"]
    by_page = register_row_save(dataset=dataset, organisation=nord, cells=cells, user=reporter)
    by_api = register_row_save(dataset=dataset, organisation=nord, cells=cells, user=reporter)
    correction = mention(f"03.02.{YEAR}", "lokal", "3 500")
    client.force_login(reporter)
    page = client.post(
        f"/plans/testplan/registers/omtaler/{by_page.pk}/",
        {"organisation": "nord", **{f"column_{k}": v for k, v in correction["cells"].items()}},
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    client.logout()
    _made, secret = token()
    assert client.put(f"{ROWS}/{by_api.pk}", data=correction, content_type="application/json",
                      **bearer(secret)).status_code == 200  # fmt: skip
    stored = {r.pk: (r.organisation_id, r.date, r.values) for r in RegisterRow.objects.all()}
    assert stored[by_page.pk] == stored[by_api.pk] == (
        nord.pk, datetime.date(YEAR, 2, 3),
        {"dekning": "lokal", "tittel": "Adresseavisen", "rekkevidde": 3500})  # fmt: skip
    changes = [(e.before, e.after) for e in AuditEntry.objects.filter(
        action="register", before__isnull=False).order_by("pk")]  # fmt: skip
    assert len(changes) == 2
    assert changes[0][1] | {"organisation": "nord"} == changes[1][1] | {"organisation": "nord"}
    # Removed, one from the page and one through the API: both gone, each audited with what
    # it held.
    client.force_login(reporter)
    client.post(f"/plans/testplan/registers/omtaler/{by_page.pk}/remove/", {"confirmed": "yes"})
    client.logout()
    assert client.delete(f"{ROWS}/{by_api.pk}", **bearer(secret)).status_code == 204
    assert not RegisterRow.objects.exists()
    removed = AuditEntry.objects.filter(action="register-remove").order_by("pk")
    assert [e.before for e in removed] == [e.after for e in AuditEntry.objects.filter(
        action="register", before__isnull=False).order_by("pk")]  # fmt: skip


@pytest.fixture
def ungmusikk():
    call_command("plan", "import", str(REPO / "plans" / "ungmusikk.yaml"), verbosity=0)
    call_command("funding", "import", str(REPO / "funding" / "ungmusikk.yaml"), verbosity=0)
    return Organisation.objects.get(slug="ungmusikk")


def test_funding_published_for_every_token_and_every_year_for_the_owners_editors(client, ungmusikk):
    """UngMusikk publishes 2020: any token that reads sees what the public page shows —
    Moss kommune expected 80 000 and paid 80 000, Moss kulturskole allocated
    40 000 + 120 × 180 pupils = 61 600 — and not what was invoiced, nor 2021. Its editors
    see every year, with what was invoiced."""
    editor = person("kasserer", "ungmusikk", Role.EDITOR)
    payment_record(owner=ungmusikk, party="moss", year=2020, kind="received", amount="80 000",
                   date=datetime.date(2020, 3, 15), user=editor)  # fmt: skip
    payment_record(owner=ungmusikk, party="moss", year=2020, kind="invoiced", amount="80 000",
                   date=datetime.date(2020, 2, 1), user=editor)  # fmt: skip
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    _theirs, reads = token("naboen", scopes=["read"])
    url = "/api/v1/organisations/ungmusikk/funding"
    assert client.get(url, **bearer(reads)).status_code == 404  # nothing published yet
    funding_publication_set(owner=ungmusikk, year=2020, published=True, user=editor)
    assert client.get(url, **bearer(reads)).json() == {
        "owner": "ungmusikk", "years": [2020], "published": [2020]}  # fmt: skip
    year = client.get(f"{url}/2020", **bearer(reads)).json()
    moss = next(p for p in year["parties"] if p["party"] == "moss")
    assert moss == {"party": "moss", "name": "Moss kommune", "kind": "municipality",
                    "expected": 80000.0, "received": 80000.0, "invoiced": None}  # fmt: skip
    school = next(r for r in year["allocation"] if r["recipient"] == "um-moss-kulturskole")
    assert (school["amount"], school["pupils"], school["spent"]) == (61600.0, 180.0, None)
    assert client.get(f"{url}/2021", **bearer(reads)).status_code == 404
    # The same figures as the public page.
    page = client.get("/p/funding/ungmusikk/2020/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "61\xa0600\xa0kr" in page and "80\xa0000\xa0kr" in page
    client.force_login(editor)
    mine = client.get(url).json()
    assert mine["years"] == [2018, 2019, 2020, 2021, 2022] and mine["published"] == [2020]
    moss = next(p for p in client.get(f"{url}/2020").json()["parties"] if p["party"] == "moss")
    assert moss["invoiced"] == 80000.0
    assert client.get(f"{url}/2021").status_code == 200
    _wrong, imports = token("ungmusikk", scopes=["import"])
    assert client.get(url, **bearer(imports)).status_code == 403


@pytest.mark.usefixtures("plan")
def test_a_report_as_a_file_with_only_the_figures_the_caller_sees(client):
    _made, secret = token()
    reports = client.get("/api/v1/plans/testplan/reports", **bearer(secret)).json()
    assert {r["slug"] for r in reports} == {"annual", "board"}
    assert all(r["formats"] == ["pdf", "docx", "xlsx", "html"] for r in reports)
    url = "/api/v1/plans/testplan/reports/board"
    sheet = client.get(url, {"year": YEAR, "format": "xlsx"}, **bearer(secret))
    assert sheet.status_code == 200
    assert sheet["Content-Type"].endswith("spreadsheetml.sheet")
    assert sheet["Content-Disposition"] == f'attachment; filename="testplan-board-{YEAR}.xlsx"'
    book = load_workbook(io.BytesIO(sheet.content))
    assert book.sheetnames  # a sheet per section
    pdf = client.get(url, {"year": YEAR}, **bearer(secret))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(url, {"year": YEAR + 50}, **bearer(secret)).status_code == 422
    odt = client.get(url, {"format": "odt"}, HTTP_ACCEPT_LANGUAGE="nb", **bearer(secret))
    assert odt.json()["detail"] == "format: må være en av 'pdf', 'docx', 'xlsx' eller 'html'."
    assert client.get(url, {"organisation": "naboen"}, **bearer(secret)).status_code == 404
    assert client.get("/api/v1/plans/testplan/reports/nope", **bearer(secret)).status_code == 404
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    _theirs, stranger = token("naboen", scopes=["read"])
    assert client.get(url, **bearer(stranger)).status_code == 404


@pytest.mark.usefixtures("plan")
def test_what_a_schema_refuses_is_said_in_the_callers_language(client):
    _made, secret = token()
    url = "/api/v1/plans/testplan/indicators/frivillige/figures"
    figure = {"organisation": "nord", "year": "i fjor", "value": "1" * 60}
    answer = client.post(url, data=figure, content_type="application/json",
                         HTTP_ACCEPT_LANGUAGE="nb", **bearer(secret))  # fmt: skip
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["title"] == "Forespørselen er ikke gyldig"
    assert "figure.year: må være et heltall." in problem["detail"]
    assert "figure.value: kan være høyst 50 tegn." in problem["detail"]
    english = client.post(url, data=figure, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="en", **bearer(secret)).json()  # fmt: skip
    assert "figure.year: must be a whole number." in english["detail"]
    assert [e["loc"] for e in english["errors"]] == [["body", "figure", "year"],
                                                      ["body", "figure", "value"]]  # fmt: skip


@pytest.mark.usefixtures("plan")
def test_a_number_no_figure_reaches_is_refused_as_the_document_says(client):
    """The document allows a JSON number up to 10^15; written out, a larger one would be
    refused as a text too long, which the document does not say of numbers."""
    _made, secret = token()
    url = "/api/v1/plans/testplan/indicators/frivillige/figures"
    figure = {"organisation": "nord", "year": 2025, "value": -2.7e63}
    answer = client.post(url, data=figure, content_type="application/json",
                         HTTP_ACCEPT_LANGUAGE="nb", **bearer(secret))  # fmt: skip
    assert answer.status_code == 422
    assert "figure.value: må være minst -1000000000000000." in answer.json()["detail"]


@pytest.mark.usefixtures("plan")
def test_a_batch_withdrawn_in_the_browser_and_through_the_api_is_the_same(client):
    """Two days pushed; one withdrawn from the batch's page, the other through the API: both
    withdrawn, their figures gone, each withdrawal audited alike."""
    from maalbilde.data.models import Batch, Fact
    from tests.test_api import PUSH, day_of_sales

    _made, secret = token()
    for day in (5, 6):
        client.post(PUSH, data=day_of_sales(datetime.date(YEAR, 1, day), 10),
                    content_type="text/csv", **bearer(secret))  # fmt: skip
    by_page, by_api = Batch.objects.order_by("pk")
    client.force_login(person("rita", "nord", Role.REPORTER))
    client.post(f"/plans/testplan/batches/{by_page.pk}/withdraw/", {"confirmed": "yes"})
    client.logout()
    answer = client.delete(f"/api/v1/batches/{by_api.pk}", **bearer(secret))
    assert answer.json() == {"batch": by_api.pk, "restored": []}
    assert all(b.withdrawn_at is not None for b in Batch.objects.all())
    assert not Fact.objects.filter(batch__withdrawn_at__isnull=True).exists()
    entries = AuditEntry.objects.filter(action="withdraw").order_by("pk")
    assert [(e.subject.split("#")[0], e.user is not None, e.token is not None)
            for e in entries] == [(entries[0].subject.split("#")[0], True, False),
                                  (entries[0].subject.split("#")[0], False, True)]  # fmt: skip


@pytest.mark.usefixtures("plan")
def test_a_figure_typed_in_on_the_indicator_page_and_through_the_api_is_the_same(client):
    """1 200 volunteer hours at Nord for last year from the page, and for this year through
    the API: the same value and comment stored, each with where it came from."""
    from maalbilde.plans.models import Observation

    client.force_login(person("rita", "nord", Role.REPORTER))
    page = client.post("/plans/testplan/indicators/frivillige/", {
        "organisation": "nord", "year": YEAR - 1, "month": 0, "value": "1 200",
        "comment": "Fra timelistene"}, HTTP_ACCEPT_LANGUAGE="nb")  # fmt: skip
    assert page.status_code == 302
    client.logout()
    _made, secret = token()
    answer = client.post("/api/v1/plans/testplan/indicators/frivillige/figures", data={
        "organisation": "nord", "year": YEAR, "value": "1 200", "comment": "Fra timelistene"},
        content_type="application/json", **bearer(secret))  # fmt: skip
    assert answer.status_code == 201
    stored = {o.year: (o.organisation.slug, o.month, o.value, o.comment)
              for o in Observation.objects.select_related("organisation")}  # fmt: skip
    assert stored == {YEAR - 1: ("nord", 0, 1200.0, "Fra timelistene"),
                      YEAR: ("nord", 0, 1200.0, "Fra timelistene")}  # fmt: skip
    series = client.get("/api/v1/plans/testplan/indicators/frivillige/series",
                        **bearer(secret)).json()  # fmt: skip
    assert [p["value"] for p in series if p["organisation"] == "nord"] == [1200.0, 1200.0]


def test_a_round_answered_on_the_page_and_through_the_api_is_the_same(client):
    """Two houses answer the same figures, one on the answer page, one through the API, and
    hand them in: the same values, the same state."""
    import yaml

    from maalbilde.networks.models import Answer
    from maalbilde.networks.rounds import round_import
    from maalbilde.plans.files import parse_plan_file
    from maalbilde.plans.services import plan_import
    from tests.conftest import dump
    from tests.test_networks import network_plan, round_file

    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    client.force_login(person("anne", "hus-a", Role.REPORTER))
    page = client.post(
        "/rounds/statistikk/answers/hus-a/",
        {"q_kapasitet": "1 000", "q_solgt": "900", "action": "submit"},
    )
    assert page.status_code == 302
    client.logout()
    _made, secret = token("hus-b", scopes=["answer"])
    url = "/api/v1/rounds/statistikk/answers/hus-b"
    # A question the round does not ask is refused, not dropped.
    unknown = client.put(url, data={"values": {"kapasitet": "1 000", "fornoyd": "4"}},
                         content_type="application/json", **bearer(secret))  # fmt: skip
    assert unknown.status_code == 422
    assert [e["loc"] for e in unknown.json()["errors"]] == [["body", "values", "fornoyd"]]
    assert not Answer.objects.filter(organisation__slug="hus-b").exists()
    client.put(url, data={"values": {"kapasitet": "1 000", "solgt": "900"}},
               content_type="application/json", **bearer(secret))  # fmt: skip
    assert client.post(f"{url}/submit", **bearer(secret)).json()["state"] == "submitted"

    def stored(member: str) -> tuple:
        answer = Answer.objects.get(organisation__slug=member)
        # A question left empty on the page is stored empty; through the API, not sent.
        return answer.state, sorted(
            answer.values.exclude(number=None, choices=[], text="").values_list(
                "question__slug", "number", "choices", "text"
            )
        )

    assert stored("hus-a") == stored("hus-b")
    assert stored("hus-a")[0] == Answer.State.SUBMITTED


@pytest.mark.usefixtures("plan")
def test_numbers_sent_as_json_numbers_are_the_same_numbers(client):
    """A system sends 1.234 as a JSON number: it is one and a quarter-ish, never 1 234 — in a
    register row, a typed-in figure and pushed rows alike; a cell the register does not
    have is refused, not dropped."""
    from maalbilde.data.models import Fact
    from tests.test_api import PUSH

    _made, secret = token()
    row = client.post(ROWS, data={"organisation": "nord", "cells": {
        "dato": f"01.02.{YEAR}", "dekning": "lokal", "tittel": "Avisa", "rekkevidde": 1.234}},
        content_type="application/json", **bearer(secret))  # fmt: skip
    assert row.status_code == 201 and row.json()["values"]["rekkevidde"] == 1.234
    extra = client.post(ROWS, data={"organisation": "nord", "cells": {
        "dato": f"02.02.{YEAR}", "dekning": "lokal", "tittel": "Avisa", "ukjent": "x"}},
        content_type="application/json", **bearer(secret))  # fmt: skip
    assert extra.status_code == 422
    assert [e["loc"] for e in extra.json()["errors"]] == [["body", "cells", "ukjent"]]
    assert RegisterRow.objects.count() == 1
    figure = client.post("/api/v1/plans/testplan/indicators/frivillige/figures", data={
        "organisation": "nord", "year": YEAR, "value": 1200.5},
        content_type="application/json", **bearer(secret))  # fmt: skip
    assert figure.status_code == 201 and figure.json()["value"] == 1200.5
    rows = [{"dato": f"03.02.{YEAR}", "billettype": "Skole", "antall": 1.5},
            {"dato": f"03.02.{YEAR}", "billettype": "Skole", "antall": 1000}]  # fmt: skip
    pushed = client.post(PUSH, data={"rows": rows}, content_type="application/json",
                         **bearer(secret))  # fmt: skip
    assert pushed.status_code == 201, pushed.content
    batch = pushed.json()["batch"]
    assert sum(Fact.objects.filter(batch_id=batch).values_list("m1", flat=True)) == 1001.5


def test_a_round_answer_takes_numbers_as_numbers_and_refuses_what_it_cannot_store(client):
    """150 sent as a number is 150; a list for a number, true for a number, and a text
    answer beyond its limit are refused with nothing changed."""
    import yaml

    from maalbilde.networks.models import Answer
    from maalbilde.networks.rounds import round_import
    from maalbilde.networks.workflow import TEXT_AT_MOST
    from maalbilde.plans.files import parse_plan_file
    from maalbilde.plans.services import plan_import
    from tests.conftest import dump
    from tests.test_networks import network_plan, round_file

    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    _made, secret = token("hus-a", scopes=["answer"])
    url = "/api/v1/rounds/statistikk/answers/hus-a"
    saved = client.put(url, data={"values": {"kapasitet": 1500, "solgt": 1200.0}},
                       content_type="application/json", **bearer(secret))  # fmt: skip
    assert saved.status_code == 200 and saved.json()["values"] == {"kapasitet": 1500,
                                                                     "solgt": 1200}  # fmt: skip
    wrong = [
        {"kapasitet": ["1600"]},
        {"kapasitet": True},
        {"hvorfor": 12},
        {"hvorfor": "x" * (TEXT_AT_MOST + 1)},
    ]  # "hvorfor" is a text question
    for values in wrong:
        refused = client.put(url, data={"values": values}, content_type="application/json",
                             **bearer(secret))  # fmt: skip
        assert refused.status_code == 422, values
    too_long = client.put(url, data={"values": {}, "comments": {"kapasitet": "x" * 1001}},
                          content_type="application/json", **bearer(secret))  # fmt: skip
    assert too_long.status_code == 422
    commented = client.put(url, data={"values": {}, "comments": {"kapasitet": "Ny sal"}},
                           content_type="application/json", **bearer(secret))  # fmt: skip
    assert commented.json()["comments"] == {"kapasitet": "Ny sal"}
    # Handed in and returned by the secretariat: the member's system reads why.
    from maalbilde.networks.workflow import answer_return

    client.post(f"{url}/submit", **bearer(secret))
    answer_return(answer=Answer.objects.get(), user=None, comment="Sjekk kapasiteten.")
    read = client.get(url, **bearer(secret)).json()
    assert (read["state"], read["returned_with"]) == ("returned", "Sjekk kapasiteten.")
    stored = Answer.objects.get().values.exclude(number=None)
    assert sorted(stored.values_list("question__slug", "number", "comment")) == [
        ("kapasitet", 1500.0, "Ny sal"), ("solgt", 1200.0, "")]  # fmt: skip


@pytest.mark.usefixtures("plan")
def test_a_body_too_large_or_unreadable_is_said_in_the_callers_language(client, settings):
    from tests.test_api import PUSH, day_of_sales

    _made, secret = token()
    unreadable = client.post(ROWS, data=b"\xff\xfe ikke json", content_type="application/json",
                             HTTP_ACCEPT_LANGUAGE="nb", **bearer(secret))  # fmt: skip
    assert unreadable.status_code == 400
    assert unreadable["Content-Type"] == "application/problem+json"
    assert unreadable.json()["title"] == "Innholdet kan ikke leses"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = day_of_sales(datetime.date(YEAR, 1, 5), 100)
    assert len(body) > 1000
    too_large = client.post(PUSH, data=body, content_type="text/csv", HTTP_ACCEPT_LANGUAGE="nb",
                            **bearer(secret))  # fmt: skip
    assert too_large.status_code == 413
    assert too_large.json()["title"] == "For stort"
    assert too_large.json()["detail"] == "Innholdet kan være på høyst 1000 byte."


@pytest.mark.usefixtures("plan")
def test_a_push_over_stored_days_says_how_to_replace_them(client):
    from maalbilde.data.models import Batch
    from tests.test_api import PUSH, day_of_sales

    _made, secret = token()
    body = day_of_sales(datetime.date(YEAR, 1, 5), 10)
    client.post(PUSH, data=body, content_type="text/csv", **bearer(secret))
    first = Batch.objects.get()
    again = client.post(PUSH, data=day_of_sales(datetime.date(YEAR, 1, 5), 12),
                        content_type="text/csv", HTTP_ACCEPT_LANGUAGE="nb",
                        **bearer(secret))  # fmt: skip
    assert again.status_code == 409
    assert again.json()["batches"] == [first.pk]
    assert "1 dag for Avdeling Nord i parti" in again.json()["detail"]
    assert again.json()["detail"].endswith("?replace=true for å la dem erstatte de dagene.")
    replaced = client.post(f"{PUSH}?replace=true", data=day_of_sales(datetime.date(YEAR, 1, 5), 12),
                           content_type="text/csv", **bearer(secret))  # fmt: skip
    assert replaced.status_code == 201
    undone = client.delete(f"/api/v1/batches/{replaced.json()['batch']}", **bearer(secret))
    assert undone.json()["restored"] == [first.pk]
