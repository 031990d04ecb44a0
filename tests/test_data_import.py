"""Importing activity data as Norwegian offices export it, and refusing what is wrong."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from maalbilde.data.imports import (
    ImportRejected,
    batch_import,
    batch_withdraw,
    header_name,
    sample_csv,
)
from maalbilde.data.models import Batch, BatchDay, Dataset, DayFigures, Fact
from maalbilde.organisations.models import AuditEntry, Organisation
from maalbilde.plans.files import PlanFileInvalid, parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db

HEADER = "Dato;Avdeling;Antall;Kapasitet;Billettype"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def dataset():
    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    return Dataset.objects.get(slug="besok")


@pytest.fixture
def museum():
    return Organisation.objects.get(slug="testmuseet")


def load(dataset, museum, text: str | bytes, **options):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return batch_import(
        dataset=dataset, raw=raw, file_name="fil.csv", organisation=museum, **options
    )


def totals(dataset) -> dict:
    """Stored sums per organisation slug: (rows, antall, kapasitet)."""
    result: dict = {}
    for fact in Fact.objects.filter(dataset=dataset).select_related("organisation"):
        rows, antall, kapasitet = result.get(fact.organisation.slug, (0, 0.0, 0.0))
        result[fact.organisation.slug] = (
            rows + fact.rows,
            antall + (fact.m1 or 0),
            kapasitet + (fact.m2 or 0),
        )
    return result


def test_norwegian_excel_csv(dataset, museum):
    text = (
        f"{HEADER}\n"
        "02.01.2026;Avdeling Nord;1\u00a0200;2 000;Voksen\n"
        "15.03.26;sor;300,5;400;Barn\n"
        "2026-04-01;nord;kr 1 000;;Voksen\n"
        "46113;Avdeling Sør;–50;;Refusjon\n"
        ";;;;\n"
        "Sum;;2450,5;;\n"
    )
    result = load(dataset, museum, text.encode("cp1252", errors="strict"))
    assert result.batch.report["encoding"] == "Windows-1252"
    assert result.batch.report["delimiter"] == ";"
    assert result.skipped == [(6, "blank row"), (7, "total row")]
    assert (result.rows_read, result.rows_stored) == (6, 4)
    # Nord: 1 200 + 1 000 = 2 200 visits; Sør: 300.5 − 50 = 250.5 (46113 is 1 April 2026)
    assert totals(dataset) == {"nord": (2, 2200.0, 2000.0), "sor": (2, 250.5, 400.0)}
    april = Fact.objects.get(dataset=dataset, organisation__slug="sor", c1="Refusjon")
    assert (april.year, april.month) == (2026, 4)


@pytest.mark.parametrize(
    ("prefix", "delimiter", "encoding"),
    [(b"\xef\xbb\xbf", ",", "UTF-8 (BOM)"), (b"", "\t", "UTF-8"), (b"sep=;\n", ";", "UTF-8")],
)
def test_encodings_and_delimiters_are_found(dataset, museum, prefix, delimiter, encoding):
    rows = [["Dato", "Avdeling", "Antall", "Kapasitet", "Billettype"],
            ["23.11.2026", "nord", "12", "20", "Skole"]]  # fmt: skip
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"
    result = load(dataset, museum, prefix + text.encode("utf-8"))
    assert result.batch.report["encoding"] == encoding
    assert result.batch.report["delimiter"] == {"\t": "tab"}.get(delimiter, delimiter)
    assert totals(dataset) == {"nord": (1, 12.0, 20.0)}


def test_xlsx(dataset, museum):
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Dato", "Avdeling", "Antall", "Kapasitet", "Billettype"])
    sheet.append([datetime.date(2026, 5, 17), "Avdeling Nord", 250, 300.0, "Voksen"])
    sheet.append([datetime.datetime(2026, 5, 18, 12, 0), "sor", 12.5, None, "Barn"])
    sheet.append([None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = load(dataset, museum, buffer.getvalue())
    assert result.batch.report["file_kind"] == "XLSX"
    assert result.skipped == [(4, "blank row")]
    assert totals(dataset) == {"nord": (1, 250.0, 300.0), "sor": (1, 12.5, 0.0)}


def test_bad_rows_are_listed_and_nothing_is_stored(dataset, museum):
    text = (
        f"{HEADER}\n"
        "31.02.2026;nord;10;;Voksen\n"
        "01.03.2026;Avdeling Vest;10;;Voksen\n"
        "02.03.2026;nord;ti;;Voksen\n"
        "03.03.2026;nord;10;;Voksen\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, text)
    assert rejected.value.message == "3 rows have problems; nothing was stored."
    assert [(p.row, p.column, p.value, p.reason) for p in rejected.value.problems] == [
        (2, "Dato", "31.02.2026", "not a date (write 23.11.2026)"),
        (3, "Avdeling", "Avdeling Vest", "not one of the organisations in “Testmuseet”"),
        (4, "Antall", "ti", "not a number"),
    ]
    assert Batch.objects.count() == 0 and Fact.objects.count() == 0


def test_skip_bad_stores_the_good_rows_and_returns_the_rejects(dataset, museum):
    text = f"{HEADER}\n01.03.2026;nord;10;;Voksen\n02.03.2026;nord;=1+1;;Voksen\n"
    result = load(dataset, museum, text, skip_bad=True)
    assert (result.rows_stored, result.batch.rows_rejected) == (1, 1)
    assert result.rejected.rows() == [(3, "02.03.2026", "nord", "=1+1", "", "Voksen",
                                       "Antall: not a number")]  # fmt: skip
    assert totals(dataset) == {"nord": (1, 10.0, 0.0)}


def test_the_same_file_twice_is_refused(dataset, museum):
    text = f"{HEADER}\n01.03.2026;nord;10;;Voksen\n"
    first = load(dataset, museum, text)
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, text)
    assert f"already imported as batch {first.batch.pk}" in rejected.value.message
    assert totals(dataset) == {"nord": (1, 10.0, 0.0)}


def test_withdraw_removes_the_figures_and_allows_a_new_import(dataset, museum):
    text = f"{HEADER}\n01.03.2026;nord;10;;Voksen\n"
    first = load(dataset, museum, text)
    batch_withdraw(batch=first.batch)
    assert totals(dataset) == {}
    assert Batch.objects.get(pk=first.batch.pk).withdrawn_at is not None
    load(dataset, museum, text)
    assert totals(dataset) == {"nord": (1, 10.0, 0.0)}
    actions = AuditEntry.objects.filter(action__in=["import", "withdraw"]).order_by("pk")
    assert list(actions.values_list("action", flat=True)) == ["import", "withdraw", "import"]


def test_missing_column_names_what_the_file_has(dataset, museum):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, "Dato;Avdeling;Antal;Kapasitet;Billettype\n01.03.2026;nord;1;;x\n")
    assert rejected.value.message == (
        "The file has no column for “antall”. Its columns are: “Dato”, “Avdeling”, “Antal”, "
        "“Kapasitet”, “Billettype”."
    )


def test_a_file_without_the_organisation_column_is_the_chosen_organisations(dataset):
    """Most ticket systems export one venue at a time: the file is Nord's, chosen for it."""
    nord = Organisation.objects.get(slug="nord")
    load(dataset, nord, "Dato;Antall (stk);Kapasitet;Billettype\n01.03.2026;10;20;Voksen\n")
    assert totals(dataset) == {"nord": (1, 10.0, 20.0)}


def test_a_file_without_the_organisation_column_chosen_above_others_is_refused(dataset, museum):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, "Dato;Museum;Antall;Kapasitet;Billettype\n01.03.2026;nord;1;;x\n")
    assert rejected.value.message == (
        "The file has no column for “sted”, so it must be one organisation's: choose that one "
        "rather than “Testmuseet”, which has organisations below it. Or say which of the "
        "file's columns names the organisation. Its columns are: “Dato”, “Museum”, “Antall”, "
        "“Kapasitet”, “Billettype”."
    )
    assert not Batch.objects.exists()


# How Norwegian exports write the columns of this dataset (antall, kapasitet): each spelling
# is read as the column it names. Problems name a column as the file does.
@pytest.mark.parametrize(
    ("antall", "kapasitet"),
    [
        ("Antall", "Kapasitet"),
        ("ANTALL", "kapasitet"),
        ("Antall (stk)", "Kapasitet (plasser)"),
        ("Antall [stk.]", "Kapasitet:"),
        ("Antall, stk", "Kapasitet inkl. mva"),
        ("  Antall\u00a0", "KAPASITET (PLASSER)"),
    ],
)
def test_headers_as_exports_write_them(dataset, museum, antall, kapasitet):
    load(dataset, museum, f"Dato;Avdeling;{antall};{kapasitet};Billettype\n"
                          "01.03.2026;nord;4;9;Voksen\n")  # fmt: skip
    assert totals(dataset) == {"nord": (1, 4.0, 9.0)}


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Beløp (kr)", "beløp"),
        ("Sum inkl. mva", "sum"),
        ("Beløp ekskl. MVA (NOK)", "beløp"),
        ("Beløp i NOK", "beløp"),
        ("Antall [stk.]", "antall"),
        ("Dato:", "dato"),
        ("Solgte billetter", "solgte billetter"),
        ("Kapasitet i alt", "kapasitet i alt"),  # a word more is another column
    ],
)
def test_a_header_is_read_without_its_unit_note_or_vat_mark(written, read):
    assert header_name(written) == read


def test_row_with_too_many_cells(dataset, museum):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, f"{HEADER}\n01.03.2026;nord;1;2;x\n02.03.2026;nord;1;2;x;y\n")
    assert rejected.value.message == "Row 3 has 6 cells, but the header has 5."
    assert Batch.objects.count() == 0


def test_empty_file(dataset, museum):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, "")
    assert rejected.value.message == "The file is empty."


def test_command_import_and_withdraw(dataset, tmp_path, capsys):
    path = tmp_path / "besok.csv"
    path.write_text(f"{HEADER}\n01.03.2026;nord;10;;Voksen\n02.03.2026;nord;x;;Voksen\n")
    with pytest.raises(CommandError) as refused:
        call_command("data", "import", str(path), "--dataset", "besok", "--organisation",
                     "testmuseet")  # fmt: skip
    assert refused.value.returncode == 1
    assert "row 3, Antall “x”: not a number" in capsys.readouterr().err
    assert Batch.objects.count() == 0
    call_command("data", "import", str(path), "--dataset", "besok", "--organisation",
                 "testmuseet", "--skip-bad")  # fmt: skip
    out = capsys.readouterr().out
    rejects = tmp_path / "besok.csv.rejects.csv"
    assert f"1 rows rejected, written to {rejects}" in out
    assert rejects.read_bytes().startswith(b"\xef\xbb\xbf")
    batch = Batch.objects.get()
    call_command("data", "withdraw", str(batch.pk))
    assert Fact.objects.count() == 0


def test_command_maps_a_column_and_the_next_file_reads_the_same_way(dataset, tmp_path):
    first, second = tmp_path / "mars.csv", tmp_path / "april.csv"
    first.write_text("Dato;Avdeling;Solgt;Plasser;Billettype\n01.03.2026;nord;10;20;Voksen\n")
    second.write_text("Dato;Avdeling;Solgt;Plasser;Billettype\n01.04.2026;nord;5;20;Voksen\n")
    with pytest.raises(CommandError) as wrong:
        call_command("data", "import", str(first), "--dataset", "besok", "--organisation",
                     "testmuseet", "--map", "Solgt=solgt")  # fmt: skip
    assert "--map “Solgt=solgt”: write HEADER=COLUMN, where COLUMN is one of dato, sted," in (
        str(wrong.value))  # fmt: skip
    call_command("data", "import", str(first), "--dataset", "besok", "--organisation",
                 "testmuseet", "--map", "Solgt=antall", "--map", "Plasser=kapasitet")  # fmt: skip
    # April's file from the same system needs no --map: the museum's choices are kept.
    call_command("data", "import", str(second), "--dataset", "besok", "--organisation",
                 "testmuseet")  # fmt: skip
    assert totals(dataset) == {"nord": (2, 15.0, 40.0)}


def test_a_sample_file_has_the_columns_and_rows_written_the_norwegian_way(dataset, museum):
    text = sample_csv(dataset, museum).decode("utf-8-sig").splitlines()
    assert text == [
        "dato;sted;antall;kapasitet;billettype",
        "15.01.2026;Avdeling Nord;10;10;Example",
        "16.01.2026;Avdeling Sør;12,5;12,5;Example",
    ]
    # ... and it imports as it is.
    load(dataset, museum, "\n".join(text))
    assert totals(dataset) == {"nord": (1, 10.0, 10.0), "sor": (1, 12.5, 12.5)}


def test_date_out_of_range(dataset, museum):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, f"{HEADER}\n01.03.1850;nord;1;;x\n")
    [problem] = rejected.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "Dato", "01.03.1850")
    assert problem.reason.startswith("the date is outside the years 1900–")


def test_file_over_the_size_limit(dataset, museum, settings):
    settings.DATA_FILE_MAX_BYTES = 100
    with pytest.raises(ImportRejected) as rejected:
        # 42 bytes of header and 10 rows of 21: 252 bytes
        load(dataset, museum, f"{HEADER}\n" + "01.03.2026;nord;1;;x\n" * 10)
    assert rejected.value.message == "The file is 252 bytes; an import may be at most 100 bytes."
    assert Batch.objects.count() == 0


def test_broken_xlsx(dataset, museum):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, b"PK\x03\x04 not really a workbook")
    assert rejected.value.message == "The file looks like XLSX but cannot be opened."


def test_rows_must_belong_below_the_importing_organisation(dataset, museum):
    nord = Organisation.objects.get(slug="nord")
    with pytest.raises(ImportRejected) as rejected:
        batch_import(dataset=dataset, raw=f"{HEADER}\n01.03.2026;sor;1;;x\n".encode(),
                     file_name="f.csv", organisation=nord)  # fmt: skip
    [problem] = rejected.value.problems
    assert problem.reason == "not one of the organisations in “Avdeling Nord”"


def test_an_organisation_is_needed_when_rows_name_them(dataset):
    with pytest.raises(ImportRejected) as rejected:
        batch_import(dataset=dataset, raw=f"{HEADER}\n".encode(), file_name="f.csv")
    assert rejected.value.message.startswith("Say which organisation the file belongs to")


def test_a_file_read_in_small_pieces_gives_the_same_result(dataset, museum, monkeypatch):
    from maalbilde.data import imports

    lines = [HEADER] + [
        f"{day:02d}.03.2026;{'nord' if day % 2 else 'sor'};{day};{day * 2};"
        + ('"Voksen; med\nrabatt"' if day == 7 else "Barn")
        for day in range(1, 29)
    ]
    text = "\n".join(lines) + "\n;;;;\n\nSum;;406;;\n"
    whole = load(dataset, museum, text)
    expected = (totals(dataset), whole.skipped, whole.rows_stored)
    batch_withdraw(batch=whole.batch)
    monkeypatch.setattr(imports, "CHUNK_BYTES", 40)
    pieces = load(dataset, museum, text)
    # Nord has the odd days 1 + 3 + … + 27 = 196, Sør the even ones 2 + … + 28 = 210.
    assert totals(dataset) == {"nord": (14, 196.0, 392.0), "sor": (14, 210.0, 420.0)}
    assert (totals(dataset), pieces.skipped, pieces.rows_stored) == expected
    assert Fact.objects.filter(c1="Voksen; med\nrabatt").count() == 1


def test_a_file_with_only_a_header(dataset, museum):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, f"{HEADER}\n")
    assert rejected.value.message == "The file has a header but no rows."


def test_the_same_figures_written_differently_are_refused(dataset, museum):
    first = load(dataset, museum, f"{HEADER}\n01.03.2026;nord;10;;Voksen\n")
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, f"{HEADER}\r\n01.03.2026;Avdeling Nord;10,0;;Voksen\r\n")
    assert rejected.value.message == (
        f"This file holds exactly the figures of batch {first.batch.pk} (fil.csv), only written "
        "differently; the same figures are not counted twice."
    )
    assert totals(dataset) == {"nord": (1, 10.0, 0.0)}


def test_skip_bad_with_no_good_row_stores_nothing(dataset, museum):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, f"{HEADER}\nikke dato;nord;10;;x\n", skip_bad=True)
    assert rejected.value.message == "No row of the file could be stored; nothing was stored."
    assert Batch.objects.count() == 0


def test_a_last_row_whose_category_reads_total_is_kept(dataset, museum):
    result = load(
        dataset, museum, f"{HEADER}\n01.03.2026;nord;10;;Voksen\n02.03.2026;nord;5;;Total\n"
    )
    assert (result.rows_stored, result.skipped) == (2, [])


def test_a_total_label_in_an_undeclared_first_column(dataset, museum):
    text = (
        "Arrangement;Dato;Avdeling;Antall;Kapasitet;Billettype\n"
        "Konsert;01.03.2026;nord;10;;Voksen\n"
        "Totalt;;;10;;\n"
    )
    result = load(dataset, museum, text)
    assert (result.rows_stored, result.skipped) == (1, [(3, "total row")])


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (";nord;1;;x", "Dato", "the date is missing"),
        ("01.03.2026;;1;;x", "Avdeling", "the organisation is missing"),
        ("01.03.2026;nord;1;;" + "x" * 201, "Billettype", "longer than 200 characters"),
        ("01.03.2026;;5", "Avdeling", "the organisation is missing"),
    ],
    ids=["no-date", "no-organisation", "long-category", "short-row"],
)
def test_more_bad_rows(dataset, museum, row, column, reason):
    with pytest.raises(ImportRejected) as rejected:
        load(dataset, museum, f"{HEADER}\n{row}\n")
    [problem] = rejected.value.problems
    assert (problem.row, problem.column, problem.reason) == (2, column, reason)
    assert Batch.objects.count() == 0 and Fact.objects.count() == 0


@pytest.mark.parametrize(
    "text",
    [b"", b"Dato;Museum\n01.03.2026;x\n", b"PK\x03\x04 broken", HEADER.encode() + b"\n"],
    ids=["empty", "missing-column", "broken-xlsx", "header-only"],
)
def test_refused_files_store_nothing(dataset, museum, text):
    with pytest.raises(ImportRejected):
        load(dataset, museum, text)
    assert Batch.objects.count() == 0 and Fact.objects.count() == 0
    assert not AuditEntry.objects.filter(action="import").exists()


def test_a_failure_while_storing_leaves_nothing(dataset, museum, monkeypatch):
    from maalbilde.data import facts

    def fail(batch, monthly):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(facts, "_store_facts", fail)
    with pytest.raises(RuntimeError):
        load(dataset, museum, f"{HEADER}\n01.03.2026;nord;10;;Voksen\n")
    assert Batch.objects.count() == 0 and Fact.objects.count() == 0
    assert not BatchDay.objects.exists() and not DayFigures.objects.exists()
    assert not AuditEntry.objects.filter(action="import").exists()


def test_a_batch_is_withdrawn_once(dataset, museum):
    result = load(dataset, museum, f"{HEADER}\n01.03.2026;nord;10;;Voksen\n")
    batch_withdraw(batch=result.batch)
    with pytest.raises(ImportRejected) as rejected:
        batch_withdraw(batch=result.batch)
    assert rejected.value.message == f"Batch {result.batch.pk} is already withdrawn."


def test_rejects_file_guards_formulas_but_keeps_numbers():
    import polars as pl

    from maalbilde.data.imports import rejects_csv

    frame = pl.DataFrame({"a": ["=1+1", "-1 200,50", "\t=cmd", "@sum", "vanlig"]})
    text = rejects_csv(frame).decode("utf-8-sig")
    assert text.splitlines() == ["a", "'=1+1", "-1 200,50", "'\t=cmd", "'@sum", "vanlig"]


def test_xlsx_percent_cells_read_as_people_see_them(dataset, museum):
    book = Workbook()
    sheet = book.active
    sheet.append(["Dato", "Avdeling", "Antall", "Kapasitet", "Billettype"])
    sheet.append(["01.03.2026", "nord", 0.8, 1, "Voksen"])
    sheet["C2"].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    load(dataset, museum, buffer.getvalue())
    # 0.8 shown as 80 % is 80, as "80 %" in a CSV file is.
    assert totals(dataset) == {"nord": (1, 80.0, 1.0)}


def test_organisation_names_with_odd_spaces(dataset, museum):
    load(dataset, museum, f"{HEADER}\n01.03.2026;Avdeling\u00a0 Nord;1;;x\n")
    assert totals(dataset) == {"nord": (1, 1.0, 0.0)}


def test_an_empty_figure_is_missing_unless_the_plan_file_says_otherwise():
    data = plan_with_data()
    columns = data["datasets"][0]["columns"]
    plan_import(document=parse_plan_file(dump(data).encode()))
    dataset = Dataset.objects.get(slug="besok")
    museum = Organisation.objects.get(slug="testmuseet")
    # Antall has no rule: an empty cell is a missing figure, refused with its row.
    with pytest.raises(ImportRejected) as refused:
        load(dataset, museum, f"{HEADER}\n01.03.2026;nord;4;9;Voksen\n02.03.2026;nord;;9;Barn\n")
    assert [(p.row, p.column, p.reason) for p in refused.value.problems] == [
        (3, "Antall", "the figure is missing")
    ]
    assert not Batch.objects.exists()
    # Where the plan file says an empty Antall is zero, the row counts with 0.
    next(c for c in columns if c["name"] == "antall")["empty"] = "zero"
    plan_import(document=parse_plan_file(dump(data).encode()))
    dataset.refresh_from_db()
    load(dataset, museum, f"{HEADER}\n01.03.2026;nord;4;9;Voksen\n02.03.2026;nord;;9;Barn\n")
    assert totals(dataset) == {"nord": (2, 4.0, 18.0)}


def test_only_a_measure_has_a_rule_for_empty_cells():
    data = plan_with_data()
    next(c for c in data["datasets"][0]["columns"] if c["name"] == "billettype")["empty"] = "zero"
    with pytest.raises(PlanFileInvalid) as refused:
        parse_plan_file(dump(data).encode())
    assert "Only a measure read from the file has a rule for empty cells." in str(refused.value)


def test_the_stored_totals_stand_beside_the_files_total_row(dataset, museum, tmp_path, capsys):
    text = (f"{HEADER}\n01.03.2026;nord;10;20;Voksen\n02.03.2026;sor;4;;Barn\n"
            "Sum;;14;25;\n")  # fmt: skip
    batch = load(dataset, museum, text).batch
    # Antall: 10 + 4 = 14, as the file's Sum row says; Kapasitet: 20 stored against 25.
    assert batch.report["totals"] == [["Antall", 14.0, 14.0], ["Kapasitet", 20.0, 25.0]]
    path = tmp_path / "april.csv"
    path.write_text(text.replace("03.2026", "04.2026"))
    call_command("data", "import", str(path), "--dataset", "besok", "--organisation",
                 "testmuseet")  # fmt: skip
    out, err = capsys.readouterr()
    assert "  Kapasitet: 20 stored; the file's total row: 25" in out
    assert "Warning: the stored total of “Kapasitet” differs from the file's total row." in err
    assert "“Antall” differs" not in err


def test_command_refuses_an_organisation_outside_the_datasets_plans(dataset, tmp_path):
    Organisation.objects.create(slug="naboen", name="Naboen", path="/naboen/")
    path = tmp_path / "besok.csv"
    path.write_text(f"{HEADER}\n01.03.2026;nord;10;;Voksen\n")
    with pytest.raises(CommandError) as refused:
        call_command("data", "import", str(path), "--dataset", "besok", "--organisation",
                     "naboen")  # fmt: skip
    assert "“naboen” is not one of the organisations of the plans that keep the dataset " \
           "“besok”: " in str(refused.value)  # fmt: skip
    assert "testmuseet" in str(refused.value) and Batch.objects.count() == 0
