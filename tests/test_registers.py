"""Registers: rows kept in Målbilde feed the same metrics as imported files; every change is
checked, atomic and audited."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from maalbilde.data.imports import ImportRejected, batch_import, batch_withdraw
from maalbilde.data.models import Batch, Dataset, Fact, RegisterRow
from maalbilde.data.registers import (
    RegisterRefused,
    register_row_remove,
    register_row_save,
    register_rows_add,
)
from maalbilde.organisations.models import AuditEntry, Organisation
from maalbilde.plans.engine import Engine
from maalbilde.plans.files import read_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import register_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(write_plan):
    return plan_import(document=read_plan_file(write_plan(register_plan()))).plan


@pytest.fixture
def register(plan):
    return Dataset.objects.get(slug="omtaler")


def figures(plan, indicator: str) -> dict[tuple[str, int], float]:
    sites = list(Organisation.objects.filter(slug__in=["nord", "sor"]))
    values = Engine.for_version(plan.current_version).values(indicator, sites, 2025, 2027)
    slugs = {o.pk: o.slug for o in sites}
    return {(slugs[org], year): value for (org, year), value in values.items()}


def site(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def add(register, organisation: str, date: str, coverage: str, reach: str = "", title: str = ""):
    return register_row_save(
        dataset=register,
        organisation=site(organisation),
        cells={"dato": date, "dekning": coverage, "rekkevidde": reach, "tittel": title},
    )


def test_rows_feed_the_metrics_like_imported_rows(plan, register):
    add(register, "nord", "03.02.2026", "nasjonal", "12 500", "NRK Kultur")
    add(register, "nord", "2026-11-23", "lokal", "1 000,5")
    add(register, "nord", "05.05.2025", "nasjonal")  # no reach given: counted, not summed
    add(register, "sor", "1.1.2026", "nasjonal", "300")
    # National mentions: Nord 1 in 2026 and 1 in 2025, Sør 1 in 2026.
    assert figures(plan, "nasjonale-oppslag") == {
        ("nord", 2025): 1,
        ("nord", 2026): 1,
        ("sor", 2026): 1,
    }
    # Reach: Nord 2026 is 12 500 + 1 000,5; Nord 2025 has no figure; Sør 2026 is 300.
    assert figures(plan, "rekkevidde") == {("nord", 2026): 13_500.5, ("sor", 2026): 300}
    row = RegisterRow.objects.get(date=datetime.date(2026, 2, 3))
    assert row.values == {"dekning": "nasjonal", "tittel": "NRK Kultur", "rekkevidde": 12_500}


def test_a_correction_moves_the_figure_and_a_removal_takes_it_away(plan, register):
    row = add(register, "nord", "03.02.2026", "nasjonal", "100")
    add(register, "nord", "04.02.2026", "nasjonal", "50")
    # Corrected to another year and another site: Nord keeps 50 in 2026, Sør gets 100 in 2025.
    register_row_save(
        dataset=register,
        organisation=site("sor"),
        cells={"dato": "03.02.2025", "dekning": "nasjonal", "rekkevidde": "100"},
        row=row,
    )
    assert figures(plan, "rekkevidde") == {("nord", 2026): 50, ("sor", 2025): 100}
    assert figures(plan, "nasjonale-oppslag") == {("nord", 2026): 1, ("sor", 2025): 1}
    register_row_remove(row=RegisterRow.objects.get(pk=row.pk))
    assert figures(plan, "rekkevidde") == {("nord", 2026): 50}
    assert not Fact.objects.filter(organisation=site("sor")).exists()
    entries = AuditEntry.objects.filter(action__startswith="register").order_by("pk")
    actions = list(entries.values_list("action", "before", "after"))
    assert [a[0] for a in actions] == ["register", "register", "register", "register-remove"]
    # The correction records the row as it was and as it became.
    assert actions[2][1]["organisation"] == "nord" and actions[2][2]["organisation"] == "sor"
    assert actions[3][1]["date"] == "2025-02-03"


def test_a_bad_row_is_refused_column_by_column_and_nothing_changes(plan, register):
    add(register, "nord", "03.02.2026", "nasjonal", "100")
    facts = list(Fact.objects.values_list("year", "m1", "rows"))
    with pytest.raises(RegisterRefused) as refused:
        register_row_save(
            dataset=register,
            organisation=site("nord"),
            cells={"dato": "31.02.2026", "dekning": "regional", "rekkevidde": "mange"},
        )
    assert set(refused.value.errors) == {"dato", "dekning", "rekkevidde"}
    assert refused.value.errors["rekkevidde"] == "ikke et tall"
    assert "“nasjonal”, “lokal”" in refused.value.errors["dekning"]
    with pytest.raises(RegisterRefused) as missing:
        register_row_save(dataset=register, organisation=site("nord"), cells={"dato": ""})
    assert missing.value.errors == {"dato": "datoen mangler", "dekning": "velg én"}
    assert RegisterRow.objects.count() == 1
    assert list(Fact.objects.values_list("year", "m1", "rows")) == facts


def test_many_rows_are_added_all_or_none(plan, register):
    rows = [
        {"dato": "01.03.2026", "dekning": "nasjonal", "rekkevidde": "10"},
        {"dato": "02.03.2026", "dekning": "lokal", "rekkevidde": "20"},
        {"dato": "i går", "dekning": "lokal"},
    ]
    with pytest.raises(RegisterRefused) as refused:
        register_rows_add(dataset=register, organisation=site("nord"), rows=rows)
    assert refused.value.errors[""].startswith("Rad 3: dato:")
    assert not RegisterRow.objects.exists() and not Fact.objects.exists()
    assert register_rows_add(dataset=register, organisation=site("nord"), rows=rows[:2]) == 2
    assert figures(plan, "rekkevidde") == {("nord", 2026): 30}


def test_a_register_takes_no_files_and_its_batch_is_not_withdrawn(plan, register):
    add(register, "nord", "03.02.2026", "nasjonal", "100")
    with pytest.raises(ImportRejected, match="register"):
        batch_import(
            dataset=register,
            raw=b"dato;sted;dekning;rekkevidde\n01.01.2026;nord;nasjonal;5\n",
            file_name="omtaler.csv",
            organisation=site("nord"),
        )
    batch = Batch.objects.get(dataset=register)
    with pytest.raises(ImportRejected, match="register"):
        batch_withdraw(batch=batch)
    assert figures(plan, "rekkevidde") == {("nord", 2026): 100}


def test_imports_refuse_a_category_outside_its_choices(write_plan):
    data = register_plan()
    data["datasets"][0]["register"] = False
    plan_import(document=read_plan_file(write_plan(data)))
    with pytest.raises(ImportRejected) as rejected:
        batch_import(
            dataset=Dataset.objects.get(slug="omtaler"),
            raw=b"dato;sted;dekning;rekkevidde\n01.01.2026;nord;nasjonal;5\n"
            b"02.01.2026;nord;regional;5\n",
            file_name="omtaler.csv",
            organisation=Organisation.objects.get(slug="testmuseet"),
        )
    assert [(p.row, p.column) for p in rejected.value.problems] == [(3, "dekning")]
    assert not Fact.objects.exists()


def test_a_dataset_that_is_not_a_register_takes_no_rows(write_plan):
    data = register_plan()
    data["datasets"][0]["register"] = False
    plan_import(document=read_plan_file(write_plan(data)))
    with pytest.raises(RegisterRefused, match="ikke et register"):
        add(Dataset.objects.get(slug="omtaler"), "nord", "03.02.2026", "nasjonal")
    assert not RegisterRow.objects.exists()


def test_the_command_line_keeps_a_register(plan, register, capsys):
    where = ["--dataset", "omtaler", "--organisation", "nord"]
    call_command("register", "add", *where, "dato=03.02.2026", "dekning=nasjonal",
                 "rekkevidde=1 500", "tittel=NRK")  # fmt: skip
    row = RegisterRow.objects.get()
    assert capsys.readouterr().out.strip() == f"Rad {row.pk} er lagret."
    with pytest.raises(CommandError, match="rekkevidde: ikke et tall"):
        call_command("register", "add", *where, "--row", str(row.pk), "dato=03.02.2026",
                     "dekning=nasjonal", "rekkevidde=mye")  # fmt: skip
    call_command("register", "list", "--dataset", "omtaler", "--year", "2026")
    listed = json.loads(capsys.readouterr().out)
    assert listed == {"id": row.pk, "organisation": "nord", "date": "2026-02-03",
                      "dekning": "nasjonal", "rekkevidde": 1500, "tittel": "NRK"}  # fmt: skip
    assert figures(plan, "rekkevidde") == {("nord", 2026): 1500}
    call_command("register", "remove", str(row.pk))
    assert figures(plan, "rekkevidde") == {}
    with pytest.raises(CommandError, match="omtaler"):
        call_command("register", "list", "--dataset", "besok")
