"""The HTTP API: tokens that belong to an organisation (shown once, kept as a digest, scoped,
revocable, expiring, outliving their maker), errors as problem details, reading a plan's
status as the caller sees it, and a ticket system's daily push: 5 000 rows as one batch, the
same push again answered once, the same key with another body refused, the new figure in the
status at once."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from maalbilde.data.models import Batch, Dataset, RegisterRow
from maalbilde.data.registers import register_row_save
from maalbilde.organisations.models import ApiToken, AuditEntry, Membership, Organisation, Role
from maalbilde.organisations.tokens import TokenRefused, token_create, token_revoke
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan, register_plan

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
PUSH = "/api/v1/datasets/billetter/batches"


def ticket_plan() -> dict:
    """The small museum's plan, its school visits counted from a ticket system's rows."""
    data = minimal_plan(start_year=YEAR - 1, end_year=YEAR + 2)
    data["datasets"] = [{
        "slug": "billetter", "name": "Billettsalg", "organisation": "nord",
        "date_column": "dato", "columns": [
            {"name": "dato", "role": "date"}, {"name": "billettype", "role": "category"},
            {"name": "antall", "role": "measure"}],
    }]  # fmt: skip
    indicator = data["focus_areas"][0]["indicators"][0]
    indicator["metric"] = {"dataset": "billetter", "aggregate": "sum", "column": "antall",
                           "filters": [{"column": "billettype", "equals": "Skole"}]}  # fmt: skip
    indicator["targets"] = [{"organisation": "nord", "value": 300, "each_year": True}]
    register = register_plan()
    data["datasets"] += register["datasets"]
    data["focus_areas"][0]["indicators"] += [
        register["focus_areas"][0]["indicators"][1],  # national media mentions, counted
        {"slug": "frivillige", "name": "Frivillige timer", "unit": "hours"},  # typed in
    ]
    return data


@pytest.fixture
def plan():
    return plan_import(document=parse_plan_file(dump(ticket_plan()).encode())).plan


def person(name: str, organisation: str, role: str) -> User:
    user = User.objects.create_user(name, password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip
    return user


def token(organisation: str = "testmuseet", scopes=("read", "import"), days: int = 30):
    admin = User.objects.filter(username=f"admin-{organisation}").first() or person(
        f"admin-{organisation}", organisation, Role.ADMINISTRATOR)  # fmt: skip
    return token_create(
        organisation=Organisation.objects.get(slug=organisation),
        name="Billettsystemet",
        scopes=list(scopes),
        days=days,
        by=admin,
    )


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def day_of_sales(day: datetime.date, rows: int) -> str:
    """A ticket system's export of a day: one row a sale, a tenth of them school tickets of
    two pupils each."""
    lines = ["Dato;Billettype;Antall"]
    lines += [f"{day:%d.%m.%Y};{'Skole' if i % 10 == 0 else 'Voksen'};{2 if i % 10 == 0 else 1}"
              for i in range(rows)]  # fmt: skip
    return "\n".join(lines) + "\n"


def test_a_token_is_shown_once_kept_as_a_digest_and_made_by_administrators_only(plan):
    _made, secret = token()
    assert secret.startswith("mb_") and len(secret) > 40
    stored = ApiToken.objects.get()
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))
    # The maker was an administrator; the token takes only what its scopes need.
    assert (stored.role, stored.scopes) == (Role.REPORTER, ["import", "read"])
    viewer = person("vera", "testmuseet", Role.VIEWER)
    with pytest.raises(TokenRefused):
        token_create(organisation=Organisation.objects.get(slug="testmuseet"), name="x",
                     scopes=["read"], days=30, by=viewer)  # fmt: skip
    assert AuditEntry.objects.filter(action="token-create").count() == 1


def test_revoked_and_expired_tokens_get_401_and_a_token_outlives_its_maker(plan, client):
    made, secret = token()
    old, old_secret = token()
    assert client.get("/api/v1/plans", **bearer(secret)).status_code == 200
    # The maker leaves the organisation: the integration goes on.
    made.created_by.memberships.all().delete()
    assert client.get("/api/v1/plans", **bearer(secret)).status_code == 200
    other_admin = person("anne", "testmuseet", Role.ADMINISTRATOR)
    token_revoke(token=made, by=other_admin)
    answer = client.get("/api/v1/plans", **bearer(secret))
    assert answer.status_code == 401 and answer["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == 401 and answer["WWW-Authenticate"].startswith("Bearer")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    assert client.get("/api/v1/plans", **bearer(old_secret)).status_code == 401
    assert client.get("/api/v1/plans", **bearer("mb_not-a-token")).status_code == 401
    assert client.get("/api/v1/plans").status_code == 401
    # Reads are counted on the token, not audited one by one.
    assert ApiToken.objects.get(pk=made.pk).reads == 2


def test_scopes_and_reach(plan, client):
    _read_only, reader = token(scopes=["read"])
    answer = client.post(PUSH, data=day_of_sales(datetime.date(YEAR, 1, 5), 3),
                         content_type="text/csv", **bearer(reader))  # fmt: skip
    assert answer.status_code == 403 and not Batch.objects.exists()
    _push_only, pusher = token(scopes=["import"])
    assert client.get("/api/v1/plans/testplan/status", **bearer(pusher)).status_code == 403
    # A token of another organisation sees no plan of this one and pushes nothing into it.
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    _theirs, stranger = token("naboen", scopes=["read", "import", "answer"])
    assert client.get("/api/v1/plans", **bearer(stranger)).json() == []
    assert client.get("/api/v1/plans/testplan", **bearer(stranger)).status_code == 404
    answer = client.post(PUSH, data=day_of_sales(datetime.date(YEAR, 1, 5), 3),
                         content_type="text/csv", **bearer(stranger))  # fmt: skip
    assert answer.status_code == 404 and not Batch.objects.exists()  # not its plans' dataset


def test_a_ticket_systems_daily_push_of_5000_rows(plan, client):
    _made, secret = token()
    day = datetime.date(YEAR, 1, 5)
    body = day_of_sales(day, 5000)
    key = {"HTTP_IDEMPOTENCY_KEY": f"salg-{day}"}
    first = client.post(PUSH, data=body, content_type="text/csv", **key, **bearer(secret))
    assert first.status_code == 201, first.content
    answer = first.json()
    assert (answer["rows_read"], answer["rows_stored"]) == (5000, 5000)
    assert answer["rows_skipped"] == []
    assert Batch.objects.count() == 1
    # The same push again (a retry): the first answer, no second batch.
    again = client.post(PUSH, data=body, content_type="text/csv", **key, **bearer(secret))
    assert again.status_code == 201 and again.json() == answer
    assert again["Idempotent-Replayed"] == "true" and Batch.objects.count() == 1
    # The same key with another body: refused.
    other = client.post(PUSH, data=day_of_sales(day, 10), content_type="text/csv", **key,
                        **bearer(secret))  # fmt: skip
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    assert Batch.objects.count() == 1
    # The status at once: 500 school tickets of two pupils = 1 000 school visits at Nord.
    rows = client.get(f"/api/v1/plans/testplan/status?year={YEAR}", **bearer(secret)).json()
    nord = next(r for r in rows if r["indicator"] == "skolebesok" and r["organisation"] == "nord")
    assert nord["actual"] == 1000
    # Every change made with the token is audited with it.
    assert AuditEntry.objects.filter(token=_made).exists()


def test_json_rows_go_through_the_same_importer_and_bad_rows_store_nothing(plan, client):
    _made, secret = token()
    rows = [{"dato": f"0{d}.02.{YEAR}", "billettype": "Skole", "antall": 3} for d in (1, 2)]
    answer = client.post(PUSH, data={"rows": rows}, content_type="application/json",
                         **bearer(secret))  # fmt: skip
    assert answer.status_code == 201 and answer.json()["rows_stored"] == 2
    # The third row is wrong twice (no such day, not a number); where it is in the body.
    bad = [*rows, {"dato": f"31.02.{YEAR}", "billettype": "Skole", "antall": "mange"}]
    answer = client.post(PUSH, data={"rows": bad}, content_type="application/json",
                         **bearer(secret))  # fmt: skip
    assert answer.status_code == 422
    assert {(p["pointer"], p["row"], p["column"]) for p in answer.json()["problems"]} == {
        ("/rows/2", 4, "dato"), ("/rows/2", 4, "antall")}  # fmt: skip
    assert Batch.objects.count() == 1
    # A batch withdrawn through the API no longer counts.
    batch = Batch.objects.get()
    withdrawn = client.delete(f"/api/v1/batches/{batch.pk}", **bearer(secret))
    assert withdrawn.json() == {"batch": batch.pk, "restored": []}
    assert Batch.objects.get().withdrawn_at is not None


def test_errors_are_problem_details_in_the_callers_language(plan, client):
    _made, secret = token()
    answer = client.get("/api/v1/plans/finnes-ikke", HTTP_ACCEPT_LANGUAGE="en", **bearer(secret))
    assert answer.status_code == 404 and answer.json()["title"] == "Not found"
    answer = client.get("/api/v1/plans/finnes-ikke", HTTP_ACCEPT_LANGUAGE="nb", **bearer(secret))
    assert answer.json()["title"] == "Fant ikke siden"
    answer = client.get("/api/v1/plans/testplan/status?year=abc", **bearer(secret))
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"


def test_a_person_logged_in_uses_the_api_with_the_session_and_csrf(plan):
    from django.test import Client

    viewer = person("vera", "testmuseet", Role.REPORTER)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(viewer)
    assert browser.get("/api/v1/plans").json()[0]["slug"] == "testplan"
    answer = browser.post(PUSH, data=day_of_sales(datetime.date(YEAR, 1, 5), 3),
                          content_type="text/csv")  # fmt: skip
    assert answer.status_code in (401, 403) and not Batch.objects.exists()


def test_an_administrator_makes_and_revokes_a_token_in_the_browser(plan, client):
    admin = person("anne", "testmuseet", Role.ADMINISTRATOR)
    client.force_login(admin)
    form = {"name": "Tixly, dagssalg", "scopes": ["read", "import"], "days": 90}
    page = client.post("/organisations/testmuseet/tokens/", form, follow=True)
    made = ApiToken.objects.get()
    text = page.content.decode()
    secret = text.split("<code>mb_", 1)[1].split("</code>", 1)[0]
    assert hashlib.sha256(f"mb_{secret}".encode()).hexdigest() == made.digest
    # Shown once: the page after it lists the token by the start of its key only.
    again = client.get("/organisations/testmuseet/tokens/").content.decode()
    assert made.prefix in again and secret not in again
    assert client.get("/api/v1/plans", **bearer(f"mb_{secret}")).status_code == 200
    client.post(f"/organisations/testmuseet/tokens/{made.pk}/revoke/")
    # A revoked token is refused, even beside a session.
    assert client.get("/api/v1/plans", **bearer(f"mb_{secret}")).status_code == 401
    # Viewers and other organisations' administrators reach neither.
    client.force_login(person("vera", "testmuseet", Role.VIEWER))
    assert client.get("/organisations/testmuseet/tokens/").status_code == 403
    assert client.post(f"/organisations/testmuseet/tokens/{made.pk}/revoke/").status_code == 403


def test_reads_carry_an_etag_and_a_token_has_a_rate_limit(plan, client, settings, monkeypatch):
    _made, secret = token()
    # All within one minute, whenever the test runs.
    moment = timezone.now().replace(second=10)
    monkeypatch.setattr("maalbilde.organisations.tokens.timezone.now", lambda: moment)
    monkeypatch.setattr("maalbilde.api.auth.timezone.now", lambda: moment)
    first = client.get("/api/v1/plans/testplan", **bearer(secret))
    etag = first["ETag"]
    again = client.get("/api/v1/plans/testplan", HTTP_IF_NONE_MATCH=etag, **bearer(secret))
    assert again.status_code == 304 and not again.content
    settings.API_CALLS_PER_MINUTE = 3
    answers = [client.get("/api/v1/plans", **bearer(secret)) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 429]  # the 4th call this minute
    assert answers[1]["Retry-After"] == "50"
    assert answers[1]["Content-Type"] == "application/problem+json"


def test_two_days_of_a_month_with_the_same_sales_are_two_batches(plan, client):
    """A quiet museum sells the same on two days: both days count, not one as a copy."""
    _made, secret = token()
    for day in (6, 7):
        answer = client.post(PUSH, data=day_of_sales(datetime.date(YEAR, 1, day), 20),
                             content_type="text/csv", **bearer(secret))  # fmt: skip
        assert answer.status_code == 201, answer.content
    assert Batch.objects.count() == 2
    rows = client.get(f"/api/v1/plans/testplan/status?year={YEAR}", **bearer(secret)).json()
    nord = next(r for r in rows if r["indicator"] == "skolebesok" and r["organisation"] == "nord")
    assert nord["actual"] == 2 * 2 * 2  # two school tickets of two pupils a day


def test_a_push_says_which_rows_of_the_export_it_left_out(plan, client):
    """An export that ends with its total and an empty line: 20 sales stored, the total row
    (line 22) and the blank one (line 23) left out and named."""
    _made, secret = token()
    body = day_of_sales(datetime.date(YEAR, 1, 8), 20) + "Sum;;22\n;;\n"
    answer = client.post(PUSH, data=body, content_type="text/csv", HTTP_ACCEPT_LANGUAGE="en",
                         **bearer(secret))  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert answer.json()["rows_stored"] == 20
    assert answer.json()["rows_skipped"] == [
        {"first_row": 22, "last_row": 22, "reason": "total row"},
        {"first_row": 23, "last_row": 23, "reason": "blank row"},
    ]


def test_a_push_the_browser_and_the_command_line_give_the_same_figures(plan, client, tmp_path):
    """One write path: the same day's sales through the API, an upload in the browser and
    `maalbilde data import` (each withdrawn before the next) store the same facts."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from maalbilde.data.models import Fact

    def facts() -> list[tuple]:
        return sorted(Fact.objects.filter(batch__withdrawn_at__isnull=True).values_list(
            "organisation__slug", "year", "month", "c1", "m1", "rows"))  # fmt: skip

    def withdraw_all() -> None:
        from maalbilde.data.imports import batch_withdraw

        for batch in Batch.objects.filter(withdrawn_at__isnull=True):
            batch_withdraw(batch=batch)

    body = day_of_sales(datetime.date(YEAR, 1, 5), 200)
    _made, secret = token()
    assert client.post(PUSH, data=body, content_type="text/csv",
                       **bearer(secret)).status_code == 201  # fmt: skip
    pushed = facts()
    assert pushed
    withdraw_all()
    client.force_login(person("rita", "nord", Role.REPORTER))
    file = SimpleUploadedFile("salg.csv", body.encode(), content_type="text/csv")
    form = {"dataset": "billetter", "organisation": "nord", "file": file}
    preview = client.post("/plans/testplan/import/", form)
    columns = {"column-dato": "Dato", "column-billettype": "Billettype", "column-antall": "Antall"}
    client.post(preview["Location"], {**columns, "action": "import"})
    assert facts() == pushed
    withdraw_all()
    path = tmp_path / "salg.csv"
    path.write_text(body, encoding="utf-8")
    call_command("data", "import", str(path), "--dataset", "billetter", verbosity=0)
    assert facts() == pushed


def test_register_rows_and_typed_in_figures_through_the_api(plan, client):
    _made, secret = token()
    row = {
        "organisation": "nord",
        "cells": {
            "dato": f"01.02.{YEAR}",
            "dekning": "nasjonal",
            "tittel": "Adresseavisen",
            "rekkevidde": "12 000",
        },
    }
    added = client.post("/api/v1/datasets/omtaler/rows", data=row,
                        content_type="application/json", **bearer(secret))  # fmt: skip
    assert added.status_code == 201, added.content
    assert added.json()["values"]["rekkevidde"] == 12000
    listed = client.get("/api/v1/datasets/omtaler/rows", **bearer(secret)).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == added.json()["id"]
    bad = {**row, "cells": {**row["cells"], "dekning": "global"}}
    refused = client.post("/api/v1/datasets/omtaler/rows", data=bad,
                          content_type="application/json", **bearer(secret))  # fmt: skip
    assert refused.status_code == 422 and listed["count"] == 1
    series = client.get("/api/v1/plans/testplan/indicators/nasjonale-oppslag/series",
                        **bearer(secret)).json()  # fmt: skip
    assert {"organisation": "nord", "year": YEAR, "value": 1.0} in series
    # A figure typed in: 1 200 volunteer hours at Nord; a counted indicator takes none.
    url = "/api/v1/plans/testplan/indicators/frivillige/figures"
    figure = {"organisation": "nord", "year": YEAR, "value": "1 200"}
    typed = client.post(url, data=figure, content_type="application/json", **bearer(secret))
    assert typed.status_code == 201 and typed.json()["value"] == 1200
    series = client.get("/api/v1/plans/testplan/indicators/frivillige/series",
                        **bearer(secret)).json()  # fmt: skip
    assert {"organisation": "nord", "year": YEAR, "value": 1200.0} in series
    counted = client.post("/api/v1/plans/testplan/indicators/skolebesok/figures", data=figure,
                          content_type="application/json", **bearer(secret))  # fmt: skip
    assert counted.status_code == 422
    unknown = client.post("/api/v1/plans/testplan/indicators/nope/figures", data=figure,
                          content_type="application/json", **bearer(secret))  # fmt: skip
    assert unknown.status_code == 404
    assert AuditEntry.objects.filter(token=_made, action__startswith="register").exists()
    indicators = client.get("/api/v1/plans/testplan/indicators", **bearer(secret)).json()
    assert {i["slug"]: i["counted"] for i in indicators} == {
        "skolebesok": True,
        "nasjonale-oppslag": True,
        "frivillige": False,
    }


# Every operation of the API, with an address whose parts exist in the test plan: the test
# below tries each without a token, with a revoked one, with one of another organisation and
# with one lacking the scope. A new operation must be added here, or the test fails.
OPERATIONS = {
    ("get", "/api/v1/plans"): ("/api/v1/plans", "read"),
    ("get", "/api/v1/plans/{slug}"): ("/api/v1/plans/testplan", "read"),
    ("get", "/api/v1/plans/{slug}/status"): ("/api/v1/plans/testplan/status", "read"),
    ("get", "/api/v1/plans/{slug}/indicators"): ("/api/v1/plans/testplan/indicators", "read"),
    ("get", "/api/v1/plans/{slug}/indicators/{indicator}/series"): (
        "/api/v1/plans/testplan/indicators/skolebesok/series", "read"),
    ("get", "/api/v1/batches"): ("/api/v1/batches", "read"),
    ("get", "/api/v1/datasets/{slug}/rows"): ("/api/v1/datasets/omtaler/rows", "read"),
    ("post", "/api/v1/datasets/{slug}/batches"): (PUSH, "import"),
    ("delete", "/api/v1/batches/{batch_id}"): ("/api/v1/batches/{batch}", "import"),
    ("post", "/api/v1/datasets/{slug}/rows"): ("/api/v1/datasets/omtaler/rows", "import"),
    ("post", "/api/v1/plans/{slug}/indicators/{indicator}/figures"): (
        "/api/v1/plans/testplan/indicators/frivillige/figures", "import"),
    ("get", "/api/v1/rounds"): ("/api/v1/rounds", "answer"),
    ("get", "/api/v1/rounds/{slug}/answers/{member}"): (
        "/api/v1/rounds/statistikk/answers/nord", "answer"),
    ("put", "/api/v1/rounds/{slug}/answers/{member}"): (
        "/api/v1/rounds/statistikk/answers/nord", "answer"),
    ("post", "/api/v1/rounds/{slug}/answers/{member}/submit"): (
        "/api/v1/rounds/statistikk/answers/nord/submit", "answer"),
    ("get", "/api/v1/rounds/{slug}/statistics"): ("/api/v1/rounds/statistikk/statistics", "read"),
    ("put", "/api/v1/datasets/{slug}/rows/{row_id}"): ("/api/v1/datasets/omtaler/rows/{row}",
                                                        "import"),
    ("delete", "/api/v1/datasets/{slug}/rows/{row_id}"): (
        "/api/v1/datasets/omtaler/rows/{row}", "import"),
    ("get", "/api/v1/organisations/{slug}/funding"): (
        "/api/v1/organisations/testmuseet/funding", "read"),
    ("get", "/api/v1/organisations/{slug}/funding/{year}"): (
        f"/api/v1/organisations/testmuseet/funding/{YEAR}", "read"),
    ("get", "/api/v1/plans/{slug}/reports"): ("/api/v1/plans/testplan/reports", "read"),
    ("get", "/api/v1/plans/{slug}/reports/{kind}"): (
        "/api/v1/plans/testplan/reports/board?format=xlsx", "read"),
}  # fmt: skip


def test_every_operation_refuses_who_it_must(plan, client):
    from maalbilde.api.main import api

    documented = {(method, path) for path, item in api.get_openapi_schema()["paths"].items()
                  for method in item}  # fmt: skip
    assert documented == set(OPERATIONS)
    _pusher, secret = token()
    client.post(PUSH, data=day_of_sales(datetime.date(YEAR, 1, 5), 3), content_type="text/csv",
                **bearer(secret))  # fmt: skip
    batch = Batch.objects.get()
    row = register_row_save(dataset=Dataset.objects.get(slug="omtaler"),
                            organisation=Organisation.objects.get(slug="nord"),
                            cells={"dato": f"01.02.{YEAR}", "dekning": "lokal",
                                   "tittel": "Avisa", "rekkevidde": "10"})  # fmt: skip
    revoked, revoked_secret = token()
    token_revoke(token=revoked, by=revoked.created_by)
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    _theirs, stranger = token("naboen", scopes=["read", "import", "answer"])
    wrong_scope = {
        "read": token(scopes=["import"])[1],
        "import": token(scopes=["read"])[1],
        "answer": token(scopes=["read"])[1],
    }
    for (method, _path), (url, scope) in OPERATIONS.items():
        url = url.format(batch=batch.pk, row=row.pk)
        call = getattr(client, method)
        writes = method in ("post", "put")
        body = {"data": {"organisation": "nord", "year": YEAR, "value": "1", "values": {},
                         "cells": {"dato": f"01.03.{YEAR}"}},
                "content_type": "application/json"} if writes else {}  # fmt: skip
        assert call(url, **body).status_code == 401, url
        assert call(url, **body, **bearer(revoked_secret)).status_code == 401, url
        assert call(url, **body, **bearer(wrong_scope[scope])).status_code == 403, url
        outsider = call(url, **body, **bearer(stranger))
        if method == "get" and url in ("/api/v1/plans", "/api/v1/batches", "/api/v1/rounds"):
            assert outsider.json() in ([], {"items": [], "count": 0}), url  # sees nothing
        else:
            assert outsider.status_code in (403, 404), url
    pushed = Batch.objects.filter(dataset__slug="billetter")
    assert pushed.count() == 1 and pushed.get().withdrawn_at is None
    assert RegisterRow.objects.get().values["tittel"] == "Avisa"


def test_a_member_answers_its_round_through_the_api(client):
    """A house's system saves its figures and hands the answer in; the answer is its own,
    and another house's is not there."""
    import yaml

    from maalbilde.networks.models import Answer
    from maalbilde.networks.rounds import round_import
    from tests.test_networks import network_plan, round_file

    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    round_import(text=yaml.safe_dump(round_file(), allow_unicode=True))
    _made, secret = token("hus-a", scopes=["answer"])
    rounds = client.get("/api/v1/rounds", **bearer(secret)).json()
    assert [(r["slug"], r["members"]) for r in rounds] == [("statistikk", ["hus-a"])]
    url = "/api/v1/rounds/statistikk/answers/hus-a"
    saved = client.put(url, data={"values": {"kapasitet": "1 200", "solgt": "900"}},
                       content_type="application/json", **bearer(secret))  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["values"] == {"kapasitet": 1200, "solgt": 900}
    # A figure that cannot be read: refused, nothing changed.
    refused = client.put(url, data={"values": {"solgt": "mange"}},
                         content_type="application/json", **bearer(secret))  # fmt: skip
    assert refused.status_code == 422
    assert client.get(url, **bearer(secret)).json()["values"]["solgt"] == 900
    # More sold than there were seats: a draft may hold it, but it is not handed in.
    client.put(url, data={"values": {"solgt": "5 000"}}, content_type="application/json",
               **bearer(secret))  # fmt: skip
    assert client.post(f"{url}/submit", **bearer(secret)).status_code == 422
    client.put(url, data={"values": {"solgt": "900"}}, content_type="application/json",
               **bearer(secret))  # fmt: skip
    handed_in = client.post(f"{url}/submit", **bearer(secret))
    assert handed_in.status_code == 200 and handed_in.json()["state"] == "submitted"
    assert Answer.objects.get().state == Answer.State.SUBMITTED
    other = client.get("/api/v1/rounds/statistikk/answers/hus-b", **bearer(secret))
    assert other.status_code == 404
    # The round's statistics: its latest release only — none yet, so no figures, though an
    # answer is in; a house of another network does not reach them.
    _reader, reads = token("hus-a", scopes=["read"])
    released = client.get("/api/v1/rounds/statistikk/statistics", **bearer(reads)).json()
    assert released["release"] is None and released["statistics"] == []
    # Approved and released: one answer is too few to show a sum (the small-number rule).
    from maalbilde.networks.releases import release_create
    from maalbilde.networks.workflow import answer_approve

    secretariat = person("sekretariat", "nettverket", Role.EDITOR)
    answer_approve(answer=Answer.objects.get(), user=secretariat)
    release_create(round_=Answer.objects.get().round, user=secretariat)
    released = client.get("/api/v1/rounds/statistikk/statistics", **bearer(reads)).json()
    everybody = next(r for r in released["statistics"]
                     if r["question"] == "kapasitet" and r["grouping"] == "all")  # fmt: skip
    assert released["release"] == 1 and (everybody["answered"], everybody["sum"]) == (1, None)
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    _theirs, stranger = token("naboen", scopes=["read"])
    assert client.get("/api/v1/rounds/statistikk/statistics",
                      **bearer(stranger)).status_code == 404  # fmt: skip


def test_rows_go_only_into_the_datasets_of_the_callers_plans(plan, client):
    """Another organisation's token may name itself as the organisation, but the dataset
    belongs to the museum's plan: not there. Writes with a bad token are 401, not a CSRF
    refusal; withdrawing twice is a conflict, and nested JSON a refusal, not an error."""
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    _theirs, stranger = token("naboen")
    answer = client.post(f"{PUSH}?organisation=naboen",
                         data=day_of_sales(datetime.date(YEAR, 1, 5), 3),
                         content_type="text/csv", **bearer(stranger))  # fmt: skip
    assert answer.status_code == 404 and not Batch.objects.exists()
    row = {"organisation": "naboen", "cells": {"dato": f"01.02.{YEAR}", "dekning": "lokal"}}
    answer = client.post("/api/v1/datasets/omtaler/rows", data=row,
                         content_type="application/json", **bearer(stranger))  # fmt: skip
    assert answer.status_code == 404
    for key in ("mb_nonsense", ""):
        answer = client.post(PUSH, data="x", content_type="text/csv", **bearer(key))
        assert answer.status_code == 401, answer.content
    _made, secret = token()
    client.post(PUSH, data=day_of_sales(datetime.date(YEAR, 1, 5), 3), content_type="text/csv",
                **bearer(secret))  # fmt: skip
    batch = Batch.objects.get()
    assert client.delete(f"/api/v1/batches/{batch.pk}", **bearer(secret)).status_code == 200
    assert client.delete(f"/api/v1/batches/{batch.pk}", **bearer(secret)).status_code == 409
    too_long = {"HTTP_IDEMPOTENCY_KEY": "k" * 201}
    answer = client.post(PUSH, data="x", content_type="text/csv", **too_long, **bearer(secret))
    assert answer.status_code == 422
    unknown = client.post("/api/v1/datasets/omtaler/rows?organisation=finnes-ikke", data={},
                          content_type="application/json", **bearer(secret))  # fmt: skip
    assert unknown.status_code in (404, 422)
    nested = '{"rows": ' + "[" * 5000 + "]" * 5000 + "}"
    answer = client.post(PUSH, data=nested, content_type="application/json", **bearer(secret))
    assert answer.status_code == 422


def test_unknown_addresses_and_methods_are_problems_too(plan, client):
    _made, secret = token()
    for url in ("/api/v1/finnes-ikke", "/api/v2/plans", "/api/v1/plans/testplan/x/y"):
        answer = client.get(url, **bearer(secret))
        assert (answer.status_code, answer["Content-Type"]) == (
            404, "application/problem+json"), url  # fmt: skip
    answer = client.patch("/api/v1/plans", **bearer(secret))
    assert (answer.status_code, answer["Content-Type"]) == (405, "application/problem+json")
    assert "GET" in answer["Allow"]
    assert client.get("/api/docs")["Location"] == "/api/v1/docs"


def test_the_interactive_docs_load_from_the_site_itself(client):
    page = client.get("/api/v1/docs")
    text = page.content.decode()
    assert page.status_code == 200 and "cdn.jsdelivr" not in text
    assert "/static/ninja/swagger-ui-bundle.js" in text
