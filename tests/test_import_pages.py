"""Importing in the browser: upload, preview with changeable columns, import, the batch and
its rejected rows, withdrawal; and who may do which."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maalbilde.data.models import Batch, Fact, Upload
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db
CSV = (
    "Dato;Avdeling;Antall;Kapasitet;Billettype\n"
    "01.03.2026;nord;1\u00a0200;;Voksen\n"
    "02.03.2026;sor;ti;;Barn\n"
)


@pytest.fixture(autouse=True)
def plan():
    return plan_import(document=parse_plan_file(dump(plan_with_data()).encode())).plan


def member(client, role: Role, organisation: str = "testmuseet", name: str = "") -> User:
    user = User.objects.create_user(name or f"{role}-{organisation}", password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip
    client.force_login(user)
    return user


def upload(client, text: str = CSV) -> str:
    file = SimpleUploadedFile("besok.csv", text.encode("cp1252"), content_type="text/csv")
    form = {"dataset": "besok", "organisation": "testmuseet", "file": file}
    response = client.post("/plans/testplan/import/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_upload_preview_import_and_withdraw(client):
    member(client, Role.REPORTER)
    preview_url = upload(client)
    page = client.get(preview_url).content.decode()
    assert "Windows-1252" in page and "“;”" in page
    assert "<td>1\u00a0200</td>" in page  # the first rows as read
    # Importing refuses the file: row 3 has "ti" for a number; nothing is stored.
    columns = {"column-dato": "Dato", "column-sted": "Avdeling", "column-antall": "Antall",
               "column-kapasitet": "Kapasitet", "column-billettype": "Billettype"}  # fmt: skip
    refused = client.post(preview_url, {**columns, "action": "import"}, follow=True)
    # The import runs as a task: its progress page leads back to the check of the file.
    progress_url = preview_url + "progress/"
    assert [url for url, _status in refused.redirect_chain] == [progress_url, preview_url]
    page = refused.content.decode()
    assert "1 rad har feil; ingenting ble lagret." in page and "ikke et tall" in page
    assert Batch.objects.count() == 0
    # With the good rows only: stored, and the rejected row can be downloaded.
    done = client.post(preview_url, {**columns, "action": "import", "skip_bad": "on"})
    assert done["Location"] == progress_url
    batch = Batch.objects.get()
    assert client.get(progress_url)["Location"] == f"/plans/testplan/batches/{batch.pk}/"
    assert not Upload.objects.exists()
    assert (batch.rows_stored, batch.rows_rejected) == (1, 1)
    rejects = client.get(f"/plans/testplan/batches/{batch.pk}/rejects.csv")
    assert rejects.content.decode("utf-8-sig").splitlines()[1].startswith("3;02.03.2026;sor;ti")
    withdrawn = client.post(f"/plans/testplan/batches/{batch.pk}/withdraw/", {"confirmed": "yes"})
    assert withdrawn.status_code == 302
    assert Fact.objects.count() == 0 and Batch.objects.get().withdrawn_at is not None


def test_columns_can_be_chosen_by_hand(client):
    member(client, Role.REPORTER)
    preview_url = upload(client, "Dag;Sted;Antall besøk;Kap;Type\n01.03.2026;nord;5;;x\n")
    page = client.get(preview_url).content.decode()
    assert "Filen har ingen kolonne for" in page
    columns = {"column-dato": "Dag", "column-sted": "Sted", "column-antall": "Antall besøk",
               "column-kapasitet": "Kap", "column-billettype": "Type"}  # fmt: skip
    again = client.post(preview_url, {**columns, "action": "preview"}).content.decode()
    assert re.search(r'<option value="Antall besøk" selected>', again)
    client.post(preview_url, {**columns, "action": "import"})
    assert Batch.objects.get().report["columns"]["antall"] == "Antall besøk"


def test_the_progress_page_shows_a_running_import_and_answers_scripts(client):
    member(client, Role.REPORTER)
    preview_url = upload(client)
    Upload.objects.update(state=Upload.State.RUNNING, stage="Kontrollerer rader 2–3",
                          started_at=timezone.now())  # fmt: skip
    page = client.get(preview_url + "progress/").content.decode()
    assert 'role="status"' in page and "Kontrollerer rader 2–3" in page
    # The preview of a running import leads to its progress, not to a second import.
    assert client.get(preview_url)["Location"] == preview_url + "progress/"
    state = client.get(preview_url + "progress/?format=json").json()
    assert state == {"state": "running", "stage": "Kontrollerer rader 2–3"}
    # Queued 20 minutes ago and not yet taken by the worker (no heartbeat): still waiting.
    Upload.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=20))
    assert client.get(preview_url + "progress/?format=json").json()["state"] == "running"
    # Queued 31 minutes ago: no worker took it (down, or died as it took it); given up.
    Upload.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=31))
    assert client.get(preview_url + "progress/?format=json").json()["state"] == "failed"
    assert "Ingen arbeider tok importen" in Upload.objects.get().message
    Upload.objects.update(state=Upload.State.RUNNING, started_at=timezone.now())
    # An import whose heartbeat stopped long ago (its worker stopped) can be tried again.
    Upload.objects.update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    again = client.get(preview_url + "progress/", follow=True).content.decode()
    assert "ble avbrutt før den var ferdig" in again
    assert Upload.objects.get().state == Upload.State.FAILED


def test_a_viewer_cannot_import(client):
    member(client, Role.VIEWER)
    page = client.get("/plans/testplan/import/").content.decode()
    assert 'enctype="multipart/form-data"' not in page
    file = SimpleUploadedFile("besok.csv", CSV.encode(), content_type="text/csv")
    form = {"dataset": "besok", "organisation": "testmuseet", "file": file}
    response = client.post("/plans/testplan/import/", form)
    assert response.status_code == 403 and not Upload.objects.exists()


def test_someone_elses_upload_and_batch_are_out_of_reach(client):
    member(client, Role.REPORTER, name="kari")
    preview_url = upload(client)
    client.post(preview_url, {"action": "import", "skip_bad": "on"})
    batch = Batch.objects.get()
    client.logout()
    member(client, Role.REPORTER, name="ola")
    other = Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    stranger = User.objects.create_user("per", password="x")
    Membership.objects.create(user=stranger, organisation=other, role=Role.ADMINISTRATOR)
    client.force_login(stranger)
    for url in (
        f"/plans/testplan/batches/{batch.pk}/",
        f"/plans/testplan/batches/{batch.pk}/rejects.csv",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/plans/testplan/batches/{batch.pk}/withdraw/").status_code == 403
    assert Batch.objects.get().withdrawn_at is None


def test_a_reporter_of_one_site_cannot_withdraw_the_museums_batch(client):
    member(client, Role.REPORTER, name="kari")
    client.post(upload(client), {"action": "import", "skip_bad": "on"})
    batch = Batch.objects.get()
    member(client, Role.REPORTER, "nord", name="siri")
    assert client.post(f"/plans/testplan/batches/{batch.pk}/withdraw/").status_code == 403


def test_a_dataset_kept_for_another_organisation_is_not_offered(client):
    data = plan_with_data()
    data["datasets"].append({"slug": "sor-avspillinger", "name": "Avspillinger Sør",
                             "organisation": "sor", "date_column": "dato",
                             "columns": [{"name": "dato", "role": "date"},
                                         {"name": "antall", "role": "measure"}]})  # fmt: skip
    plan_import(document=parse_plan_file(dump(data).encode()))
    member(client, Role.REPORTER, "nord")
    page = client.get("/plans/testplan/import/").content.decode()
    assert "Avspillinger Sør" not in page
    file = SimpleUploadedFile("a.csv", b"Dato;Antall\n01.03.2026;5\n", content_type="text/csv")
    form = {"dataset": "sor-avspillinger", "organisation": "nord", "file": file}
    assert client.post("/plans/testplan/import/", form).status_code == 200
    assert not Upload.objects.exists() and not Batch.objects.exists()


def test_a_too_large_upload_is_refused_before_it_is_read(client, settings, monkeypatch):
    """Refused from the declared length before the CSRF check or the view would read (and
    write to disk) the file; a visitor not logged in may not send more than a form."""

    def never(*args, **kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr("django.http.multipartparser.MultiPartParser.parse", never)
    settings.WEB_UPLOAD_MAX_BYTES = 100
    file = SimpleUploadedFile("besok.csv", CSV.encode() * 10, content_type="text/csv")
    form = {"dataset": "besok", "organisation": "testmuseet", "file": file}
    member(client, Role.REPORTER)
    response = client.post("/plans/testplan/import/", form)
    assert response.status_code == 413
    assert "større enn dette nettstedet tar imot" in response.content.decode()
    assert "(100 byte)" in response.content.decode()
    assert not Upload.objects.exists()
    client.logout()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50
    assert client.post("/plans/testplan/import/", form).status_code == 413


def test_an_import_that_is_done_is_not_started_again(client):
    """Two "import" clicks racing: the second finds the import done and changes nothing."""
    from maalbilde.data.uploads import upload_import_start

    member(client, Role.REPORTER)
    preview_url = upload(client)
    client.post(preview_url, {"action": "import", "skip_bad": "on"})
    stored = Upload.objects.get()
    assert stored.state == Upload.State.DONE and stored.batch is not None
    again = upload_import_start(upload=stored, skip_bad=True, columns={})
    assert (again.state, again.batch_id, again.message) == ("done", stored.batch_id, "")
    assert Batch.objects.count() == 1


def test_the_column_step_keeps_what_matched_and_what_was_chosen(client):
    member(client, Role.REPORTER)
    preview_url = upload(client, "Dato;Avdeling;Solgt;Kapasitet (plasser);Billettype\n"
                                 "01.03.2026;nord;5;9;Voksen\n")  # fmt: skip
    page = client.get(preview_url).content.decode()
    # "Solgt" is no name of a column: said, and every column that matched stays chosen.
    assert "Filen har ingen kolonne for “antall”" in page
    assert '<option value="Kapasitet (plasser)" selected>' in page
    assert '<option value="Avdeling" selected>' in page
    # Read again with Solgt chosen: the choice stays, and the file reads.
    columns = {"column-dato": "Dato", "column-sted": "Avdeling", "column-antall": "Solgt",
               "column-kapasitet": "Kapasitet (plasser)",
               "column-billettype": "Billettype"}  # fmt: skip
    again = client.post(preview_url, {**columns, "action": "preview"}).content.decode()
    assert '<option value="Solgt" selected>' in again
    assert "Filen har ingen kolonne" not in again


def test_a_single_sites_file_is_said_to_be_that_sites(client):
    member(client, Role.REPORTER, organisation="nord")
    file = SimpleUploadedFile(
        "nord.csv", b"Dato;Antall;Kapasitet;Billettype\n01.03.2026;4;9;Voksen\n"
    )
    response = client.post("/plans/testplan/import/",
                           {"dataset": "besok", "organisation": "nord", "file": file})  # fmt: skip
    page = client.get(response["Location"]).content.decode()
    assert ("Filen har ingen kolonne som navngir organisasjonen: hver rad telles for "
            "Avdeling Nord.") in page  # fmt: skip


def test_the_batch_page_sets_the_stored_totals_beside_the_files_total_row(client):
    from maalbilde.data.imports import batch_import
    from maalbilde.data.models import Dataset

    member(client, Role.REPORTER)
    text = ("Dato;Avdeling;Antall;Kapasitet;Billettype\n01.03.2026;nord;10;20;Voksen\n"
            "Sum;;10;25;\n")  # fmt: skip
    museum = Organisation.objects.get(slug="testmuseet")
    batch = batch_import(dataset=Dataset.objects.get(slug="besok"), raw=text.encode(),
                         file_name="mars.csv", organisation=museum).batch  # fmt: skip
    page = client.get(f"/plans/testplan/batches/{batch.pk}/").content.decode()
    assert '<th scope="row">Kapasitet</th><td>20</td><td>25</td>' in page
    assert "Lagret sum for «Kapasitet» er ikke lik summeraden i filen." in page
    assert "Lagret sum for «Antall»" not in page


def test_an_overlapping_file_is_stopped_with_a_choice_to_replace_or_cancel(client):
    """In Norwegian: the first file has 1 and 2 March for Nord; the second has 2 and 3 March."""
    member(client, Role.REPORTER)
    header = "Dato;Avdeling;Antall;Kapasitet;Billettype\n"
    client.post(upload(client, header + "01.03.2026;nord;100;;Voksen\n02.03.2026;nord;200;;Barn\n"),
                {"action": "import"})  # fmt: skip
    first = Batch.objects.get()
    preview_url = upload(client, header + "02.03.2026;nord;250;;Barn\n03.03.2026;nord;30;;Barn\n")
    stopped = client.post(preview_url, {"action": "import"}, follow=True).content.decode()
    assert (f"1 dag for Avdeling Nord i parti {first.pk} (besok.csv), 02.03.2026–02.03.2026"
            in stopped)  # fmt: skip
    assert 'value="replace"' in stopped and 'value="cancel"' in stopped
    assert Batch.objects.count() == 1

    # Cancel: the upload goes, nothing stored.
    cancelled = client.post(preview_url, {"action": "cancel"}, follow=True).content.decode()
    assert "ingenting ble lagret" in cancelled
    assert not Upload.objects.exclude(state=Upload.State.DONE).exists()

    # Again, and replace: 2 March counts 250, not 200; 1 March (100) and 3 March (30) stand.
    preview_url = upload(client, header + "02.03.2026;nord;250;;Barn\n03.03.2026;nord;30;;Barn\n")
    client.post(preview_url, {"action": "import"})
    client.post(preview_url, {"action": "replace"})
    second = Batch.objects.exclude(pk=first.pk).get()
    assert sum(f.m1 for f in Fact.objects.all()) == 100 + 250 + 30
    page = client.get(f"/plans/testplan/batches/{second.pk}/").content.decode()
    assert "Dager denne filen erstattet" in page and f"/batches/{first.pk}/" in page
    withdrawn = client.post(f"/plans/testplan/batches/{second.pk}/withdraw/",
                            {"confirmed": "yes"}, follow=True)  # fmt: skip
    assert f"teller igjen i parti {first.pk}" in withdrawn.content.decode()
    assert sum(f.m1 for f in Fact.objects.all()) == 100 + 200
