"""Files that overlap days already imported: never counted twice; refused, or replacing
exactly the overlapping days, which come back when the replacing file is withdrawn."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from maalbilde.data.facts import replacements
from maalbilde.data.imports import Overlapping, batch_import, batch_withdraw
from maalbilde.data.models import Batch, BatchDay, Dataset, Fact
from maalbilde.organisations.models import AuditEntry, Organisation
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Plan
from maalbilde.plans.services import plan_import
from maalbilde.plans.status import plan_status
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db

HEADER = "Dato;Avdeling;Antall;Kapasitet;Billettype"
TODAY = datetime.date(2026, 12, 15)

# October and November, as imported first: 100 + 200 + 300 (Nord) + 50 (Sør) = 650.
FIRST = f"""{HEADER}
10.10.2026;nord;100;;Voksen
05.11.2026;nord;200;;Voksen
20.11.2026;nord;300;;Barn
20.11.2026;sor;50;;Voksen
"""
# November for Nord again, corrected, and a day the first file did not have:
# 210 + 310 + 40 = 560, on two of the first file's days (5 and 20 November, Nord).
NOVEMBER_AGAIN = f"""{HEADER}
05.11.2026;nord;210;;Voksen
20.11.2026;nord;310;;Barn
25.11.2026;nord;40;;Voksen
"""


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def dataset():
    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    return Dataset.objects.get(slug="besok")


def load(dataset, text: str, name: str = "fil.csv", **options):
    return batch_import(dataset=dataset, raw=text.encode("utf-8"), file_name=name,
                        organisation=Organisation.objects.get(slug="testmuseet"),
                        **options)  # fmt: skip


def visits_2026() -> float:
    """What the plan's status says Testmuseet had in 2026 (its target is 1 000 a year)."""
    version = Plan.objects.get().current_version
    rows = [s for s in plan_status(version, year=2026, today=TODAY)
            if s.indicator == "besokstall" and s.organisation == "testmuseet"]  # fmt: skip
    return rows[0].actual


def stored_sum() -> float:
    return sum(f.m1 or 0 for f in Fact.objects.all())


def test_a_file_overlapping_days_already_imported_is_refused_and_nothing_changes(dataset):
    first = load(dataset, FIRST, "oktober-november.csv")
    before = (Batch.objects.count(), BatchDay.objects.count(), stored_sum(),
              AuditEntry.objects.count())  # fmt: skip
    with pytest.raises(Overlapping) as refused:
        load(dataset, NOVEMBER_AGAIN, "november.csv")
    assert refused.value.message == (
        "The file has figures for days already imported, which would count twice: 2 days for "
        f"Avdeling Nord in batch {first.batch.pk} (oktober-november.csv), 05/11/2026–20/11/2026. "
        "Let the file's figures replace those days, or leave the days out of the file."
    )
    after = (Batch.objects.count(), BatchDay.objects.count(), stored_sum(),
             AuditEntry.objects.count())  # fmt: skip
    assert after == before
    assert visits_2026() == 650


def test_the_month_s_second_export_and_another_site_s_file_are_no_overlap(dataset):
    load(dataset, f"{HEADER}\n01.11.2026;nord;10;;Voksen\n15.11.2026;nord;20;;Voksen\n")
    load(dataset, f"{HEADER}\n16.11.2026;nord;30;;Voksen\n30.11.2026;nord;40;;Voksen\n")
    load(dataset, f"{HEADER}\n01.11.2026;sor;5;;Voksen\n15.11.2026;sor;6;;Voksen\n")
    assert visits_2026() == 10 + 20 + 30 + 40 + 5 + 6


def test_replacing_counts_the_new_days_and_withdrawing_gives_the_old_ones_back(dataset):
    first = load(dataset, FIRST, "oktober-november.csv")
    assert visits_2026() == 650

    second = load(dataset, NOVEMBER_AGAIN, "november.csv", replace=True)
    # The first file keeps 10 October (100) and Sør's 20 November (50); the second counts
    # 560: 150 + 560 = 710, the status moved by exactly 560 − (200 + 300) = 60.
    assert visits_2026() == 710
    november = Fact.objects.filter(batch=first.batch, month=11)
    assert [(f.organisation.slug, f.m1) for f in november] == [("sor", 50)]
    took, lost = replacements(second.batch)
    assert [(o.batch, o.organisation, o.days, o.first, o.last) for o in took] == [
        (first.batch.pk, "Avdeling Nord", 2, datetime.date(2026, 11, 5),
         datetime.date(2026, 11, 20))
    ]  # fmt: skip
    assert lost == []
    assert [(o.batch, o.days) for o in replacements(first.batch)[1]] == [(second.batch.pk, 2)]
    entry = AuditEntry.objects.get(action="import", object_id=str(second.batch.pk))
    assert entry.after["replaced"] == [
        [first.batch.pk, "oktober-november.csv", "Avdeling Nord", 2, "2026-11-05", "2026-11-20"]
    ]

    assert batch_withdraw(batch=second.batch) == [first.batch.pk]
    assert visits_2026() == 650
    assert not BatchDay.objects.filter(replaced_by__isnull=False).exists()
    # And the first file counts its November days once again, and only once.
    assert sum(f.m1 for f in Fact.objects.filter(batch=first.batch, month=11)) == 550


def test_a_day_replaced_twice_comes_back_only_when_no_file_holds_it(dataset):
    first = load(dataset, f"{HEADER}\n05.11.2026;nord;200;;Voksen\n")
    second = load(dataset, f"{HEADER}\n05.11.2026;nord;210;;Voksen\n", replace=True)
    third = load(dataset, f"{HEADER}\n05.11.2026;nord;220;;Voksen\n", replace=True)
    assert visits_2026() == 220
    # Without the second file, 5 November is still the third file's: the first stays out.
    assert batch_withdraw(batch=second.batch) == []
    assert visits_2026() == 220
    assert BatchDay.objects.get(batch=first.batch).replaced_by_id == third.batch.pk
    assert batch_withdraw(batch=third.batch) == [first.batch.pk]
    assert visits_2026() == 200


def test_withdrawing_the_replaced_file_leaves_the_replacing_one(dataset):
    first = load(dataset, FIRST)
    load(dataset, NOVEMBER_AGAIN, "november.csv", replace=True)
    batch_withdraw(batch=first.batch)
    assert visits_2026() == 560


def test_replace_on_the_command_line(dataset, tmp_path, capsys):
    first = load(dataset, FIRST, "oktober-november.csv")
    # The ticket system names the count otherwise: --map says which column it is.
    again = tmp_path / "november.csv"
    again.write_text(NOVEMBER_AGAIN.replace(";Antall;", ";Besøkende (stk);"), encoding="utf-8")
    arguments = ["data", "import", str(again), "--dataset", "besok", "--organisation",
                 "testmuseet", "--map", "Besøkende (stk)=antall"]  # fmt: skip
    with pytest.raises(CommandError) as refused:
        call_command(*arguments)
    assert "2 days for Avdeling Nord in batch" in str(refused.value)
    assert "--replace" in capsys.readouterr().err
    assert visits_2026() == 650

    call_command(*arguments, "--replace")
    out = capsys.readouterr().out
    assert (f"Replaced 2 days of batch {first.batch.pk} (oktober-november.csv) for Avdeling "
            "Nord, 05/11/2026–20/11/2026: they count from this file now.") in out  # fmt: skip
    assert visits_2026() == 710
    second = Batch.objects.get(file_name="november.csv")
    call_command("data", "withdraw", str(second.pk))
    assert f"count again in batch {first.batch.pk}." in capsys.readouterr().out
    assert visits_2026() == 650
