"""What comes into the funding from files people already have: accounting exports of invoices,
payments and spending (CSV or XLSX as Norwegian offices save them), and the populations of
Statistics Norway's table 07459. Sums worked out by hand; nothing stored twice, and nothing
at all from a file with a fault."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from maalbilde.funding.models import FundingFile, LedgerImport, Payment
from maalbilde.funding.populations import PopulationsRefused
from maalbilde.funding.rules import expected_amounts
from maalbilde.funding.services import populations_import
from maalbilde.organisations.models import AuditEntry, Organisation
from tests.test_funding import funding_file, imported

pytestmark = pytest.mark.django_db

# As Excel in Norway saves "CSV": Windows-1252, semicolons, amounts with a decimal comma and
# spaces between thousands, a closing total row.
RECEIVED_CSV = (
    "Bilagsdato;Bilagsnr;Kunde;Beløp (kr)\r\n"
    "15.02.2020;1001;Liten;60 000,00\r\n"
    "03.03.2020;1002;Grense;40 000,00\r\n"
    "28.09.2020;1017;Grense;40 000,00\r\n"
    "14.01.2021;1031;Stor;100 000\r\n"
    "Sum;;;240 000,00\r\n"
).encode("cp1252")


def ledger(tmp_path, content: bytes, *args: str, name: str = "innbetalinger.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    call_command("funding", "ledger", str(path), "--network", "nettverk", *args)
    return str(path)


def balance(capsys) -> dict[str, tuple[str, str, str]]:
    capsys.readouterr()
    call_command("funding", "balance", "--network", "nettverk", "--year", "2020",
                 "--format", "json")  # fmt: skip
    return {row["party"]: (row["expected"], row["received"], row["outstanding"])
            for row in json.loads(capsys.readouterr().out)}  # fmt: skip


def test_an_accounting_export_of_payments_received(tmp_path, capsys):
    imported(tmp_path, funding_file())
    ledger(tmp_path, RECEIVED_CSV, "--kind", "received", "--year", "2020")
    assert "innbetalinger.csv: 4 rader lagret (innbetalt)" in capsys.readouterr().out
    rows = balance(capsys)
    # The year given counts for every row, also Stor's paid in January 2021.
    assert rows["liten"] == ("60000.00", "60000.00", "-60000.00")
    assert rows["grense"][1] == "80000.00"  # 40 000 + 40 000, in two payments
    assert rows["stor"][1] == "100000.00"
    assert rows["mellom"][1] == "0.00"
    stored = list(Payment.objects.order_by("date").values_list("reference", "amount_ore"))
    assert stored[0] == ("1001", 6_000_000)  # øre, exact
    assert LedgerImport.objects.get().rows == 4
    assert AuditEntry.objects.filter(action="funding-ledger-received").count() == 1


def test_without_a_year_each_row_counts_for_the_year_of_its_date(tmp_path, capsys):
    imported(tmp_path, funding_file())
    ledger(tmp_path, RECEIVED_CSV, "--kind", "received")
    assert balance(capsys)["stor"][1] == "0.00"  # paid in 2021: counts for 2021
    assert Payment.objects.get(party="stor").year == 2021


def test_the_same_export_twice_counts_once_and_overlapping_rows_are_left_out(tmp_path, capsys):
    imported(tmp_path, funding_file())
    path = ledger(tmp_path, RECEIVED_CSV, "--kind", "received", "--year", "2020")
    with pytest.raises(CommandError, match="importert"):
        call_command("funding", "ledger", path, "--network", "nettverk", "--kind", "received",
                     "--year", "2020")  # fmt: skip
    assert Payment.objects.count() == 4
    # The next month's export repeats one row (row 2) and adds one.
    later = ("Bilagsdato;Bilagsnr;Kunde;Beløp (kr)\n"
             "28.09.2020;1017;Grense;40 000,00\n"
             "02.11.2020;1040;Mellom;80 000,00\n").encode()  # fmt: skip
    capsys.readouterr()
    ledger(tmp_path, later, "--kind", "received", "--year", "2020", name="november.csv")
    # Row 2 of the file was recorded from the first export: left out, and said so.
    assert capsys.readouterr().out.splitlines()[-1] == "Allerede registrert, utelatt: rad 2"
    assert Payment.objects.count() == 5
    rows = balance(capsys)
    assert rows["grense"][1] == "80000.00" and rows["mellom"][1] == "80000.00"


def test_an_export_with_faults_stores_nothing_and_names_every_row(tmp_path, capsys):
    imported(tmp_path, funding_file())
    bad = ("Dato;Kunde;Beløp\n"
           "15.02.2020;Liten;60 000\n"
           "16.02.2020;Ukjent kommune;10 000\n"
           "31.02.2020;Stor;100 000\n"
           "17.02.2020;Mellom;80 000,555\n").encode()  # fmt: skip
    with pytest.raises(CommandError, match="3"):
        ledger(tmp_path, bad, "--kind", "received")
    err = capsys.readouterr().err
    assert "3" in err and "Ukjent kommune" in err  # row 3: no such party
    assert "4" in err and "31.02.2020" in err  # row 4: no such day
    assert "5" in err and "80 000,555" in err  # row 5: more than two decimals
    assert Payment.objects.count() == 0 and LedgerImport.objects.count() == 0


def test_an_xlsx_export_with_a_year_column_and_names_from_the_accounts(tmp_path, capsys):
    data = funding_file()
    data["parties"][1]["ledger_names"] = ["10023"]  # Liten's customer number
    imported(tmp_path, data)
    book = Workbook()
    sheet = book.active
    sheet.append(["Fakturadato", "Fakturanr", "Kundenavn", "Gjelder år", "Fakturert"])
    sheet.append(["2019-12-10", "F-88", "10023", "2020", 60000])
    sheet.append(["2020-01-10", "F-89", "mellom", "2020", 80000.5])
    buffer = io.BytesIO()
    book.save(buffer)
    ledger(tmp_path, buffer.getvalue(), "--kind", "invoiced", name="faktura.xlsx")
    invoiced = dict(Payment.objects.values_list("party", "amount_ore"))
    assert invoiced == {"liten": 6_000_000, "mellom": 8_000_050}
    assert set(Payment.objects.values_list("year", flat=True)) == {2020}  # the column's year


def test_spending_per_recipient_beside_the_allocation(tmp_path, capsys):
    from maalbilde.plans.files import parse_plan_file
    from maalbilde.plans.services import plan_import
    from tests.conftest import dump
    from tests.test_networks import network_plan

    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    data = funding_file(owner="nettverket", allocations=[{
        "year": 2020, "budget": 1000000, "central": 200000,
        "members": {"base": 50000, "per_unit": 100, "fact": "pupils"},
        "facts": {"hus-a": {"pupils": 1000}},
    }])  # fmt: skip
    path = tmp_path / "finansiering.yaml"
    path.write_text(json.dumps(data))
    call_command("funding", "import", str(path))
    spent = ("Dato;Mottaker;Beløp\n"
             "01.03.2020;Nettverket;120 000\n"  # the owner itself: central management
             "01.03.2020;hus-a;75 000\n"
             "01.09.2020;Hus A;75 000\n").encode()  # fmt: skip
    (tmp_path / "utbetalt.csv").write_bytes(spent)
    call_command("funding", "ledger", str(tmp_path / "utbetalt.csv"), "--network", "nettverket",
                 "--kind", "spent")  # fmt: skip
    call_command("funding", "pay", "--network", "nettverket", "--party", "central", "--year",
                 "2020", "--spent", "5 000", "--date", "02.03.2020")  # fmt: skip
    with pytest.raises(CommandError, match="fylket"):  # a party, not a recipient
        call_command("funding", "pay", "--network", "nettverket", "--party", "fylket",
                     "--year", "2020", "--spent", "1", "--date", "02.03.2020")  # fmt: skip
    capsys.readouterr()
    call_command("funding", "allocation", "--network", "nettverket", "--year", "2020",
                 "--format", "json")  # fmt: skip
    rows = {r["recipient"]: (r["amount"], r["spent"])
            for r in json.loads(capsys.readouterr().out)["recipients"]}  # fmt: skip
    assert rows["central"] == ("200000.00", "125000.00")  # 120 000 + 5 000
    assert rows["hus-a"] == ("150000.00", "150000.00")  # 50 000 + 100 × 1 000; 75 000 × 2
    assert rows["hus-b"][1] == "0.00"
    # Spending is no party's payment: the parties' balances are as before.
    assert not Payment.objects.filter(kind=Payment.Kind.RECEIVED).exists()
    out = tmp_path / "f.xlsx"
    call_command("funding", "export", "--network", "nettverket", "--year", "2020",
                 "--format", "xlsx", "-o", str(out))  # fmt: skip
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    by_name = {row[1]: dict(zip(header, row, strict=True))
               for row in sheet.iter_rows(min_row=2, values_only=True)}  # fmt: skip
    assert by_name["Hus A"]["Brukt"] == 150000
    assert by_name["Hus A"]["Fordelt"] == 150000


# --- populations from Statistics Norway's table 07459 -----------------------------------------

# Saved from the statbank as "CSV (semikolonseparert) med overskrift", one row per region and
# year; the region as the statbank writes it in the years of the 2020 reform.
SSB_LONG = (
    '"07459: Befolkning, etter region, statistikkvariabel og år"\n'
    "\n"
    '"region";"statistikkvariabel";"år";"07459: Befolkning, etter region, statistikkvariabel '
    'og år"\n'
    '"K-3001 Liten";"Personer";"2019";14900\n'
    '"K-3001 Liten";"Personer";"2020";15012\n'
    '"K-3002 Grense";"Personer";"2020";15000\n'
    '"K-3003 Mellom";"Personer";"2020";50010\n'
    '"K-3004 Stor";"Personer";"2020";".."\n'
    '"K-3005 Fjern (2020-2023)";"Personer";"2020";30000\n'
).encode()


def populations(tmp_path, content: bytes, *args: str) -> None:
    path = tmp_path / "07459.csv"
    path.write_bytes(content)
    call_command("funding", "population", str(path), "--network", "nettverk", *args)


def test_populations_from_table_07459_set_the_tiers(tmp_path, capsys):
    data = funding_file()
    data["parties"][1]["facts"]["population"]["checked"] = False
    imported(tmp_path, data)
    before = FundingFile.objects.get()
    capsys.readouterr()
    populations(tmp_path, SSB_LONG)
    out = capsys.readouterr().out
    assert "Liten: 14999 → 15012" in out and "Mellom: 49999 → 50010" in out
    # Stor's figure is hidden (".."); Ny is not in the table.
    assert "Stor" in out.splitlines()[-1] and "Ny" in out.splitlines()[-1]
    after = FundingFile.objects.first()
    assert after.pk != before.pk  # a new version, the old one kept
    liten = after.data["parties"][1]
    assert liten["facts"]["population"] == {
        "value": 15012, "source": "SSB, tabell 07459, folkemengde 1. januar 2020",
        "date": "2020-01-01", "checked": True,
    }  # fmt: skip
    assert liten["code"] == "3001"
    amounts = {row.party: row.amount for row in expected_amounts(after.data, 2020)}
    assert amounts["liten"] == Decimal("80000.00")  # 15 012: the second tier now
    assert amounts["mellom"] == Decimal("100000.00")  # 50 010: the third
    assert amounts["grense"] == Decimal("80000.00")  # 15 000, as before
    # Imported again: nothing changes, no new version.
    capsys.readouterr()
    populations(tmp_path, SSB_LONG)
    assert FundingFile.objects.count() == 2


def test_an_earlier_year_and_a_table_by_sex_with_a_column_per_year(tmp_path, capsys):
    imported(tmp_path, funding_file())
    # "Matrix" layout, Windows-1252, one column per year; men and women added up.
    wide = ("region;kjønn;Personer 2019;Personer 2020\n"
            "3001 Liten;Menn;7 400;7 500\n"
            "3001 Liten;Kvinner;7 500;7 512\n").encode("cp1252")  # fmt: skip
    populations(tmp_path, wide, "--year", "2019")
    liten = FundingFile.objects.first().data["parties"][1]["facts"]["population"]
    # 7 400 + 7 500 per 1 January 2019, before the 14 999 per 1 January 2020 it had
    assert [(f["date"], f["value"]) for f in liten] == [("2019-01-01", 14900),
                                                        ("2020-01-01", 14999)]  # fmt: skip


def test_a_file_that_is_not_the_table_is_refused_and_nothing_changes(tmp_path):
    imported(tmp_path, funding_file())
    owner = Organisation.objects.get(slug="nettverk")
    for content, year, message in (
        (b"Dato;Kunde;Bel\xf8p\n15.02.2020;Liten;60 000\n", None, "region"),
        (b"region;statistikkvariabel\n3001 Liten;Personer\n", None, "år"),
        (b'region;\xe5r;Personer\n"9999 Et annet sted";2020;100\n', None, "kommune"),
        (b"region;\xe5r;Personer\n3001 Liten;2020;15 000\n", 1990, "1990"),
        (b"region;\xe5r;Personer\n" + b"3001 Liten;2020;1\n" * 1_200_000, None, "byte"),
    ):
        with pytest.raises(PopulationsRefused, match=message):
            populations_import(owner=owner, raw=content, year=year)
    assert FundingFile.objects.count() == 1


def test_two_regions_of_one_name_need_the_municipality_number(tmp_path):
    data = funding_file()
    data["parties"][5]["name"] = "Våler kommune"
    imported(tmp_path, data)
    owner = Organisation.objects.get(slug="nettverk")
    both = (
        "region;år;Personer\n3018 Våler (Østfold);2020;5 000\n3419 Våler (Innlandet);2020;3 700\n"
    )
    both = both.replace(" (Østfold)", "").replace(" (Innlandet)", "")
    with pytest.raises(PopulationsRefused, match="Våler"):
        populations_import(owner=owner, raw=both.encode())
    assert FundingFile.objects.count() == 1


def test_a_later_years_population_leaves_the_years_before_as_they_were(tmp_path, capsys):
    imported(tmp_path, funding_file())  # Mellom: 49 999 per 1 January 2020
    table = "region;år;Personer\n3003 Mellom;2021;50 120\n3003 Mellom;2020;49 999\n".encode()
    populations(tmp_path, table, "--year", "2021")
    data = FundingFile.objects.first().data
    mellom = data["parties"][3]["facts"]["population"]
    assert [(f["date"], f["value"]) for f in mellom] == [("2020-01-01", 49999),
                                                         ("2021-01-01", 50120)]  # fmt: skip
    by_year = {year: {r.party: r.amount for r in expected_amounts(data, year)}
               for year in (2020, 2021)}  # fmt: skip
    assert by_year[2020]["mellom"] == Decimal("80000.00")  # 49 999: 2020 stays as it was
    assert by_year[2021]["mellom"] == Decimal("100000.00")  # 50 120 from 2021 on
    # 2020 from the table: the same figure, now with the table as its checked source; and
    # the same again changes nothing.
    populations(tmp_path, table, "--year", "2020")
    assert FundingFile.objects.count() == 3
    capsys.readouterr()
    populations(tmp_path, table, "--year", "2020")
    assert FundingFile.objects.count() == 3
    assert "0 folketall per 1. januar 2020 satt, 1 var det allerede." in capsys.readouterr().out


def test_an_export_imported_as_the_wrong_kind_is_withdrawn_and_imported_again(tmp_path, capsys):
    imported(tmp_path, funding_file())
    path = ledger(tmp_path, RECEIVED_CSV, "--kind", "invoiced", "--year", "2020")  # wrong kind
    with pytest.raises(CommandError, match="fakturert"):  # not again as another kind
        call_command("funding", "ledger", path, "--network", "nettverk", "--kind", "received")
    capsys.readouterr()
    call_command("funding", "ledgers", "--network", "nettverk")
    listed = capsys.readouterr().out
    ledger_id = LedgerImport.objects.get().pk
    assert "innbetalinger.csv" in listed and str(ledger_id) in listed
    call_command("funding", "withdraw", str(ledger_id), "--network", "nettverk")
    assert "innbetalinger.csv trukket tilbake: 4 betalinger slettet." in capsys.readouterr().out
    assert Payment.objects.count() == 0 and LedgerImport.objects.count() == 0
    withdrawn = AuditEntry.objects.get(action="funding-ledger-withdraw")
    assert withdrawn.before["rows"] == 4 and withdrawn.before["amount"] == "240000"
    call_command("funding", "ledger", path, "--network", "nettverk", "--kind", "received",
                 "--year", "2020")  # fmt: skip
    assert set(Payment.objects.values_list("kind", flat=True)) == {"received"}
    with pytest.raises(CommandError, match="99"):
        call_command("funding", "withdraw", "99", "--network", "nettverk")


def test_a_municipality_with_a_new_number_is_pointed_out(tmp_path, capsys):
    data = funding_file()
    data["parties"][3]["code"] = "3002"  # Mellom, numbered as before 2024
    imported(tmp_path, data)
    table = ("region;år;Personer\n3002 Mellom (2020-2023);2023;49 500\n"
             "3103 Mellom;2024;50 200\n").encode()  # fmt: skip
    capsys.readouterr()
    populations(tmp_path, table)
    out = capsys.readouterr().out
    # One municipality over time: 2024 (the latest) under 3103, the new number kept.
    assert "Mellom: 49999 → 50200" in out
    assert ("Mellom har nummeret 3103 i tabellen fra 2024 (3002 før); finansieringsfilen "
            "oppgir nå det nye nummeret.") in out  # fmt: skip
    mellom = FundingFile.objects.first().data["parties"][3]
    assert mellom["code"] == "3103"
    assert [f["value"] for f in mellom["facts"]["population"]] == [49999, 50200]


def test_a_municipality_renumbered_is_found_by_its_name_in_any_year(tmp_path, capsys):
    imported(tmp_path, funding_file())  # Mellom has no code
    table = ("region;år;Personer\n3002 Mellom (2020-2023);2022;49 400\n"
             "3002 Mellom (2020-2023);2023;49 500\n3103 Mellom;2024;50 200\n"
             "3018 Våler;2024;5 000\n3419 Våler;2024;3 700\n").encode()  # fmt: skip
    populations(tmp_path, table, "--year", "2022")
    mellom = FundingFile.objects.first().data["parties"][3]
    assert mellom["code"] == "3103"  # its number now
    assert [(f["date"], f["value"]) for f in mellom["facts"]["population"]] == [
        ("2020-01-01", 49999), ("2022-01-01", 49400)]  # fmt: skip
