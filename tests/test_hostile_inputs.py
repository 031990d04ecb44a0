"""Hostile files get a clear refusal, before any work where the sender may not send them:
YAML of nested aliases or nested thousands deep, a round file too large, attribute names that
would reach the database as lookups, and texts that a spreadsheet would run as formulas."""

import pytest
import yaml
from django.contrib.auth.models import User
from openpyxl.utils import get_column_letter

from maalbilde.lib.spreadsheets import csv_for_excel
from maalbilde.networks.models import Round
from maalbilde.networks.rounds import RoundRefused, read_round_file
from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.files import PlanFileInvalid, parse_plan_file
from maalbilde.plans.models import Plan
from maalbilde.plans.services import plan_import
from tests.conftest import dump
from tests.test_networks import network_plan, round_file

pytestmark = pytest.mark.django_db

# Seven levels of anchors, each a list of ten of the one before: 10⁷ items once expanded,
# in about 500 bytes.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(7)
)
DEEP = "a: " + "[" * 50_000 + "]" * 50_000 + "\n"


def someone(client, organisation: str | None, role: Role = Role.ADMINISTRATOR) -> User:
    user = User.objects.create_user(f"u-{organisation}-{role}")
    if organisation:
        at = Organisation.objects.get(slug=organisation)
        Membership.objects.create(user=user, role=role, organisation=at)
    client.force_login(user)
    return user


@pytest.fixture
def network():
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))


def test_a_round_file_from_someone_who_may_not_start_rounds_is_not_read(
    client, network, monkeypatch
):
    def never(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr("maalbilde.web.rounds.read_round_file", never)
    monkeypatch.setattr("maalbilde.web.rounds.round_import", never)
    for organisation, role in ((None, Role.VIEWER), ("hus-a", Role.ADMINISTRATOR),
                               ("nettverket", Role.EDITOR)):  # fmt: skip
        someone(client, organisation, role)
        assert client.post("/rounds/new/", {"text": ALIAS_BOMB}).status_code == 403
        assert client.get("/rounds/new/").status_code == 403


def test_an_alias_bomb_or_deep_nesting_is_refused_with_a_message(client, network):
    someone(client, "nettverket")
    for text, said in ((ALIAS_BOMB, "Ankere og alias (&amp;navn, *navn) er ikke tillatt."),
                       (DEEP, "Filen er nøstet dypere enn 40 nivåer.")):  # fmt: skip
        page = client.post("/rounds/new/", {"text": text})
        assert page.status_code == 200 and said in page.content.decode()
    assert not Round.objects.exists()


def test_a_round_file_too_large_is_refused_before_it_is_parsed(settings):
    settings.ROUND_FILE_MAX_BYTES = 1000
    text = yaml.safe_dump(round_file()) + "#" * 1000
    with pytest.raises(RoundRefused, match="større enn 1000 byte"):
        read_round_file(text)


def test_a_pasted_file_too_large_is_refused_before_the_form_is_read(client, network, settings):
    """The declared length is enough: neither the round nor the plan file is parsed, and the
    page says what the limit is. A body past every form's limit gets the 400 page."""
    settings.ROUND_FILE_MAX_BYTES = settings.PLAN_FILE_MAX_BYTES = 1000
    someone(client, "nettverket")
    # pasted_text_too_large: more than 3 × 1000 + 16 384 bytes of form for a 1000-byte file.
    text = "#" * (3 * 1000 + 16 * 1024)
    page = client.post("/rounds/new/", {"text": text})
    assert page.status_code == 413
    assert "Rundefilen er større enn 1000 byte." in page.content.decode()
    assert not Round.objects.exists()
    # The network's administrator edits its plan too.
    page = client.post("/plans/nettverksplan/edit/file/", {"text": text}, follow=True)
    assert "En planfil kan være på høyst 1000 byte." in page.content.decode()
    assert Plan.objects.get().versions.count() == 1
    # Nesting too deep, pasted in the plan editor: the line, and no column it cannot tell.
    settings.PLAN_FILE_MAX_BYTES = 1 << 20
    form = {"text": DEEP, "based_on": "1"}
    page = client.post("/plans/nettverksplan/edit/file/", form).content.decode()
    assert "Linje 1: Filen er nøstet dypere enn 40 nivåer." in page and "None" not in page
    # 4 MB of form fields without a file: refused as a whole, with a page that says so.
    page = client.post("/plans/nettverksplan/edit/", {"x": "y" * (4 << 20)})
    assert page.status_code == 400
    assert "Det som ble sendt, kunne ikke tas imot" in page.content.decode()


def test_attribute_names_are_plain_names_not_lookups(network):
    for key in ("region__startswith", "size_group__in", "1st", "a" * 61):
        data = round_file(members={"kind": "member", "attributes": {key: "x"}})
        with pytest.raises(RoundRefused):
            read_round_file(yaml.safe_dump(data))
    read_round_file(yaml.safe_dump(round_file(members={
        "kind": "member", "attributes": {"size_group": "large"}})))  # fmt: skip


def test_a_plan_file_nested_deep_or_with_aliases_is_refused_with_its_line():
    for text, said in ((DEEP, "nøstet dypere enn 40"), (ALIAS_BOMB, "Ankere og alias")):
        with pytest.raises(PlanFileInvalid) as refused:
            parse_plan_file(text.encode())
        assert said in str(refused.value)


def test_no_column_name_or_cell_runs_as_a_formula():
    import polars as pl

    table = pl.DataFrame({'=HYPERLINK("x")': ["+SUM(A1)", "-1 200,50", "@cmd", "vanlig"]})
    lines = csv_for_excel(table).decode("utf-8-sig").splitlines()
    assert lines == ['"\'=HYPERLINK(""x"")"', "'+SUM(A1)", "-1 200,50", "'@cmd", "vanlig"]


# Data files, through the upload and preview pages.


def workbook(sheet_xml: str, strings: list[str] | None = None, long_string: int = 0) -> bytes:
    """A minimal XLSX: one sheet with the XML given, and shared strings; with `long_string`,
    one more string of that many characters, written in pieces (never whole in memory)."""
    import io
    import zipfile

    shared = "".join(f"<si><t>{s}</t></si>" for s in strings or [])
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType="applicati'
            'on/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/work'
            'sheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.sprea'
            'dsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="a'
            'pplication/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/packag'
            'e/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.o'
            'rg/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheet'
            'ml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relati'
            'onships"><sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/packag'
            'e/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.o'
            'rg/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006'
            '/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            f'2006/main">{shared}</sst>'
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadshe'
            f'etml/2006/main"><sheetData>{sheet_xml}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            if name == "xl/sharedStrings.xml" and long_string:
                with archive.open(name, "w", force_zip64=True) as strings_file:
                    head = text.removesuffix("</sst>")
                    strings_file.write(head.encode() + b"<si><t>")
                    for _piece in range(long_string // (1 << 20)):
                        strings_file.write(b"x" * (1 << 20))
                    strings_file.write(b"</t></si></sst>")
            else:
                archive.writestr(name, text)
    return out.getvalue()


HEADER_ROW = (
    '<row r="1">'
    + "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABC", ["Dato", "Avdeling", "Antall"], strict=True)
    )
    + "</row>"
)


@pytest.fixture
def museum(client):
    from tests.conftest import plan_with_data

    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    someone(client, "testmuseet", Role.REPORTER)


def upload_and_preview(client, raw: bytes, name: str) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {"dataset": "besok", "organisation": "testmuseet",
            "file": SimpleUploadedFile(name, raw)}  # fmt: skip
    response = client.post("/plans/testplan/import/", form)
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize(
    ("raw", "name", "said"),
    [
        # Shared strings that unpack to far more than the limit set below (a zip bomb).
        (workbook(HEADER_ROW, ["x" * 3_000_000]), "bombe.xlsx", "pakkes ut til"),
        # One cell longer than Excel's longest.
        (workbook(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', ["y" * 40_000]),
         "lang.xlsx", "en celle lengre enn 32767 tegn"),
        # XML that breaks off in the middle of a row.
        (workbook(HEADER_ROW + '<row r="2"><c r="A2"><v>1'), "brutt.xlsx", "kan ikke leses"),
        # UTF-16 with an odd number of bytes.
        ("Dato;Avdeling;Antall\n01.03.2026;nord;5\n".encode("utf-16") + b"\x00", "utf16.csv",
         "sier at den er UTF-16"),
        # Ten thousand columns.
        (workbook('<row r="1">' + "".join(
            f'<c r="{get_column_letter(i + 1)}1" t="inlineStr"><is><t>k{i}</t></is></c>'
            for i in range(10_000)
        ) + "</row>"), "bred.xlsx", "mer enn 1000 kolonner"),
        # More shared texts than the limit set below (openpyxl reads them all first).
        (workbook(HEADER_ROW, [f"t{i}" for i in range(2_001)]), "tekster.xlsx",
         "Arbeidsboken har 2001 ulike tekster, mer enn 2000"),
        # A file that quotes its cells, with one quote never closed.
        (b'Dato;Avdeling;Antall;Kapasitet;Billettype\n01.03.2026;nord;1;10;"Voksen"\n'
         b'02.03.2026;nord;1;10;"12 vinyl\n' + b'03.03.2026;sor;5;10;"Barn"\n' * 300_000,
         "sitat.csv", "Rad 3 har et anførselstegn (&quot;) som åpner en celle, men aldri lukker"),
        # And as CSV: ten thousand columns, the first three the declared ones.
        (("Dato;Avdeling;Antall;" + ";".join(f"k{i}" for i in range(9_997)) + "\n"
          + "01.03.2026;nord;5" + ";" * 9_997 + "\n").encode(), "bred.csv",
         "Rad 1 har mer enn 1000 kolonner"),
    ],
)  # fmt: skip
def test_a_hostile_data_file_gets_a_clear_refusal_and_stores_nothing(
    client, museum, settings, raw, name, said
):
    from maalbilde.data.models import Batch, Fact

    settings.XLSX_MAX_UNPACKED_BYTES = 2_000_000
    settings.XLSX_MAX_SHARED_STRINGS = 2_000
    page = upload_and_preview(client, raw, name)
    assert said in page, page[page.find("<main") :][:1500]
    assert not Batch.objects.exists() and not Fact.objects.exists()


def test_a_workbook_with_a_300_mb_cell_is_refused_before_it_is_unpacked(client, museum):
    """The probe's zip bomb, at the default limits: 300 MB of text packed into a few hundred
    kB. It is refused from the sizes in the zip's directory, so the import page never holds
    more than the packed file (traced allocations stay far below the cell's size)."""
    import tracemalloc

    from maalbilde.data.models import Batch, Upload

    raw = workbook(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
                   long_string=300 << 20)  # fmt: skip
    assert len(raw) < 1 << 20
    tracemalloc.start()
    try:
        page = upload_and_preview(client, raw, "bombe.xlsx")
        upload = Upload.objects.get()
        client.post(f"/plans/testplan/import/{upload.pk}/", {"action": "import"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Arbeidsboken pakkes ut til" in page and peak < 50 << 20
    upload.refresh_from_db()
    assert upload.state == "failed" and "pakkes ut til" in upload.message
    assert not Batch.objects.exists() and len(str(upload.problems)) < 1000


def test_a_sheet_is_read_row_by_row_without_first_looking_for_its_size(client, museum, monkeypatch):
    """A sheet that states no size made openpyxl parse all of it before the first row (54 s
    for 300 kB of empty cells); the preview and the import now read rows as they come."""
    from maalbilde.data.models import Batch

    def never(*args, **kwargs):
        raise AssertionError("the whole sheet was parsed for its size")

    monkeypatch.setattr("openpyxl.worksheet._reader.WorkSheetParser.parse_dimensions", never)
    names = ["Dato", "Avdeling", "Antall", "Kapasitet", "Billettype"]
    header = "".join(f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
                     for col, name in zip("ABCDE", names, strict=True))  # fmt: skip
    row = ('<row r="{n}"><c r="A{n}"><v>46082</v></c><c r="B{n}" t="inlineStr"><is><t>nord</t>'
           '</is></c><c r="C{n}"><v>5</v></c><c r="D{n}"><v>10</v></c><c r="E{n}" '
           't="inlineStr"><is><t>Voksen</t></is></c></row>')  # fmt: skip
    sheet = f'<row r="1">{header}</row>' + "".join(row.format(n=n) for n in range(2, 12))
    page = upload_and_preview(client, workbook(sheet), "uten-storrelse.xlsx")
    assert "46082" in page  # 01.03.2026 as Excel counts days
    upload = page.split("/import/")[1].split("/")[0]
    client.post(f"/plans/testplan/import/{upload}/", {"action": "import"})
    assert Batch.objects.get().rows_stored == 10


def test_a_stray_quote_is_read_in_one_pass():
    """12" vinyl leaves every later line break inside quotes; the pieces are still found by
    counting each quote once (bench/RESULTS.md has the time for 10 MB)."""
    from maalbilde.data.imports import _line_ranges

    line = b"01.03.2026;nord;5\n"
    raw = b'Dato;Avdeling;Antall\n01.03.2026;12" vinyl;1\n' + line * 20_000
    ranges = list(_line_ranges(raw, 21, 4096))
    # One piece from the stray quote to the end: no line break after it is outside quotes.
    assert ranges == [(21, len(raw))]


def test_a_ten_megabyte_export_with_an_inch_mark_imports_as_excel_reads_it(client, museum):
    """An export that quotes no cell holds 12" vinyl near the start: the mark is part of the
    text, as in Excel, and every row is stored."""
    from django.db.models import Sum

    from maalbilde.data.models import Batch, Fact

    line = b"01.03.2026;nord;5;10;Voksen\r\n"
    lines = 10_000_000 // len(line)  # 357 142 lines of 28 bytes: 10 MB
    raw = b'Dato;Avdeling;Antall;Kapasitet;Billettype\r\n02.03.2026;sor;1;10;12" vinyl\r\n'
    page = upload_and_preview(client, raw + line * lines, "billetter.csv")
    assert "12&quot; vinyl" in page
    upload = page.split("/import/")[1].split("/")[0]
    client.post(f"/plans/testplan/import/{upload}/", {"action": "import"})
    batch = Batch.objects.get()
    assert (batch.rows_read, batch.rows_stored) == (lines + 1, lines + 1)
    vinyl = Fact.objects.filter(c1='12" vinyl').aggregate(rows=Sum("rows"))
    assert vinyl == {"rows": 1}


def test_a_year_of_five_thousand_digits_is_no_error(client, museum):
    assert client.get("/plans/testplan/?year=" + "9" * 5000).status_code == 200


def test_pages_say_what_may_run_and_keep_logged_in_pages_private(client, museum):
    page = client.get("/plans/testplan/")
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    client.logout()
    public = client.get("/p/testplan/")  # nothing published: a page for anybody
    assert "no-store" not in public.get("Cache-Control", "")
    assert "default-src 'self'" in public["Content-Security-Policy"]


def test_a_problem_keeps_only_the_start_of_a_long_cell(client, museum):
    from maalbilde.data.models import Upload

    raw = ("Dato;Avdeling;Antall;Kapasitet;Billettype\n01.03.2026;nord;" + "9" * 100_000
           + ";1;Voksen\n").encode()  # fmt: skip
    upload_and_preview(client, raw, "lang.csv")
    upload = Upload.objects.get()
    client.post(f"/plans/testplan/import/{upload.pk}/", {"action": "import"})
    upload.refresh_from_db()
    assert upload.state == "failed", (upload.state, upload.message)
    assert len(str(upload.problems)) < 1_000


def test_password_reset_links_are_not_sent_without_end(client, museum):
    from django.core import mail

    User.objects.create_user("ola", email="ola@example.org", password="gammelt-passord-1")
    client.logout()
    for _ask in range(5):
        page = client.post("/password/reset/", {"email": "ola@example.org"})
        assert page["Location"] == "/password/reset/sent/"  # the same answer every time
    assert len(mail.outbox) == 3  # three an hour for one address
    for number in range(12):  # other addresses from the same client: ten asks an hour
        client.post("/password/reset/", {"email": f"x{number}@example.org"})
    assert AuditEntry.objects.filter(action="password-reset-asked").count() == 17
    # 3 for ola; then the client has asked 5 times, so 5 more of the others go out.
    sent = AuditEntry.objects.filter(action="password-reset-asked", after__sent=True).count()
    assert sent == 3 + 5


def test_a_person_changes_their_password(client, museum):
    user = User.objects.create_user("kari", password="gammelt-passord-1")
    client.force_login(user)
    form = {"old_password": "gammelt-passord-1", "new_password1": "nytt-langt-passord-9",
            "new_password2": "nytt-langt-passord-9"}  # fmt: skip
    assert client.post("/password/change/", form)["Location"] == "/password/change/done/"
    user.refresh_from_db()
    assert user.check_password("nytt-langt-passord-9")
    assert AuditEntry.objects.filter(action="password-changed", user=user).exists()


def test_the_current_password_cannot_be_guessed_on_the_change_page(client, museum):
    """Five wrong current passwords, and the sixth try is not looked at, even when right;
    after 15 minutes the page takes tries again."""
    import datetime

    from django.utils import timezone

    user = User.objects.create_user("kari", password="gammelt-passord-1")
    client.force_login(user)
    new = {"new_password1": "nytt-langt-passord-9", "new_password2": "nytt-langt-passord-9"}
    for guess in range(5):
        page = client.post("/password/change/", {"old_password": f"gjett-{guess}", **new})
        assert page.status_code == 200
    refused = client.post("/password/change/", {"old_password": "gammelt-passord-1", **new},
                          follow=True).content.decode()  # fmt: skip
    assert "For mange feil passord. Prøv igjen om 15 minutter." in refused
    user.refresh_from_db()
    assert user.check_password("gammelt-passord-1")
    AuditEntry.objects.filter(action="password-change-refused").update(
        at=timezone.now() - datetime.timedelta(minutes=16)
    )
    right = client.post("/password/change/", {"old_password": "gammelt-passord-1", **new})
    assert right["Location"] == "/password/change/done/"


def test_an_error_is_a_page_in_the_persons_language_and_a_log_line_with_its_id(
    client, museum, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("noe brast")

    monkeypatch.setattr("maalbilde.web.views.plan_body", broken)
    client.raise_request_exception = False
    page = client.get("/plans/testplan/", HTTP_X_REQUEST_ID="probe-42")
    assert page.status_code == 500 and page["X-Request-ID"] == "probe-42"
    body = page.content.decode()
    assert "Noe gikk galt" in body and "probe-42" in body
    english = client.get("/en/plans/testplan/", HTTP_X_REQUEST_ID="x<y>")
    assert "Something went wrong" in english.content.decode()
    assert english["X-Request-ID"] != "x<y>"  # not a plain token: a new id
    logged = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert logged and logged[0].request_id == "probe-42"


def test_an_import_whose_process_stopped_is_failed_within_a_minute(client, museum):
    """kill -9 of the process importing: nothing is stored (one transaction), and the upload,
    silent since, reads as failed a minute later."""
    import datetime

    from django.utils import timezone

    from maalbilde.data.models import Upload

    upload_and_preview(client, b"Dato;Avdeling;Antall\n01.03.2026;nord;5\n", "a.csv")
    upload = Upload.objects.get()
    started = timezone.now() - datetime.timedelta(seconds=90)
    Upload.objects.filter(pk=upload.pk).update(state="running", started_at=started,
                                               heartbeat_at=started)  # fmt: skip
    page = client.get(f"/plans/testplan/import/{upload.pk}/progress/?format=json")
    upload.refresh_from_db()
    assert upload.state == "failed" and "ingenting ble lagret" in upload.message
    assert page.status_code == 200
    # Beating 30 seconds ago: still running.
    alive = timezone.now() - datetime.timedelta(seconds=30)
    Upload.objects.filter(pk=upload.pk).update(state="running", heartbeat_at=alive)
    client.get(f"/plans/testplan/import/{upload.pk}/progress/?format=json")
    upload.refresh_from_db()
    assert upload.state == "running"


def test_two_files_uploaded_in_two_tabs_both_wait_and_only_a_few_are_kept(client, museum):
    """The first tab's file is still there when the second is uploaded; of six, the five
    latest are kept (the oldest raw file is deleted)."""
    from maalbilde.data.models import Upload

    for number in range(6):
        upload_and_preview(client, f"Dato;Avdeling;Antall\n0{number + 1}.03.2026;nord;5\n"
                           .encode(), f"fil-{number}.csv")  # fmt: skip
        if number == 1:
            first = Upload.objects.order_by("pk").first()
            page = client.get(f"/plans/testplan/import/{first.pk}/")
            assert page.status_code == 200 and "fil-0.csv" in page.content.decode()
    kept = list(Upload.objects.order_by("pk").values_list("file_name", flat=True))
    assert kept == ["fil-1.csv", "fil-2.csv", "fil-3.csv", "fil-4.csv", "fil-5.csv"]


def test_the_preview_reads_only_the_first_rows_of_a_workbook(client, museum, settings):
    """A sheet past the row limit: the preview stops after its first rows and shows them; the
    import, which reads them all, says the sheet is too long."""
    from maalbilde.data.models import Upload

    settings.XLSX_MAX_ROWS = 50
    names = ["Dato", "Avdeling", "Antall", "Kapasitet", "Billettype"]
    header = '<row r="1">' + "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in zip("ABCDE", names, strict=True)
    ) + "</row>"  # fmt: skip
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>01.03.2026</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>nord</t></is></c><c r="C{n}"><v>{n}</v></c>'
        f'<c r="D{n}"><v>500</v></c><c r="E{n}" t="inlineStr"><is><t>Voksen</t></is></c></row>'
        for n in range(2, 102)
    )
    page = upload_and_preview(client, workbook(header + body), "lang.xlsx")
    assert "mer enn 50 rader" not in page and "<td>11</td>" in page  # row 11 holds 11
    upload = Upload.objects.get()
    client.post(f"/plans/testplan/import/{upload.pk}/", {"action": "import"})
    upload.refresh_from_db()
    assert upload.state == "failed" and "mer enn 50 rader" in upload.message
