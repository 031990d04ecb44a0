"""Funding files and the rules' expected amounts, worked out by hand: tier boundaries,
index regulation, part-year participation, an amount per unit; and every problem of a file
with its line and column."""

import json
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from maalbilde.funding.files import parse_funding_file
from maalbilde.funding.models import FundingFile, Payment
from maalbilde.funding.rules import expected_amounts
from maalbilde.lib.documents import DocumentInvalid
from maalbilde.organisations.models import AuditEntry, Organisation
from tests.test_backup import REPO

TIERS = [{"to": 14999, "amount": 60000}, {"from": 15000, "to": 49999, "amount": 80000},
         {"from": 50000, "amount": 100000}]  # fmt: skip


def municipality(slug: str, population: int, **more) -> dict:
    return {"slug": slug, "name": slug.title(), "kind": "municipality",
            "facts": {"population": {"value": population, "source": "SSB 07459",
                                     "date": "2020-01-01", "checked": True}}, **more}  # fmt: skip


def funding_file(**changes) -> dict:
    data = {
        "format": "maalbilde-funding/1",
        "owner": "nettverk",
        "index": {"2020": 2.0, "2021": 3.0},
        "parties": [
            {"slug": "fylket", "name": "Fylket", "kind": "county"},
            municipality("liten", 14999), municipality("grense", 15000),
            municipality("mellom", 49999), municipality("stor", 50000),
            municipality("fjern", 30000),
            # Joins in August 2020: five months that year.
            municipality("ny", 20000, joins={"year": 2020, "month": 8}),
            {"slug": "akademiet", "name": "Akademiet", "kind": "academy",
             "facts": {"pupils": {"value": 321, "checked": True}}},
        ],
        "agreements": [{
            "slug": "avtale", "title": "Avtalen 2018–2022", "first_year": 2018,
            "last_year": 2022, "part_year": True,
            "rules": [
                {"slug": "fylkestilskudd", "kind": "fixed", "amount": 2500000, "indexed": True,
                 "base_year": 2019, "parties": ["fylket"]},
                {"slug": "kommunene", "kind": "tiers", "fact": "population", "tiers": TIERS,
                 "parties": ["liten", "grense", "mellom", "stor", "fjern", "ny"]},
                {"slug": "per-elev", "kind": "per_unit", "amount": "12.50", "fact": "pupils",
                 "parties": ["akademiet"]},
            ],
        }],
    }  # fmt: skip
    data.update(changes)
    return data


def raw(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


def imported(tmp_path, data: dict) -> None:
    """The network "nettverk" with the funding file `data`, imported on the command line."""
    Organisation.objects.create(slug="nettverk", name="Nettverk", path="/nettverk/")
    path = tmp_path / "finansiering.yaml"
    path.write_bytes(raw(data))
    call_command("funding", "import", str(path))


def amounts(data: dict, year: int) -> dict[str, Decimal]:
    return {row.party: row.amount for row in expected_amounts(data, year)}


def test_tier_boundaries_index_part_year_and_per_unit_by_hand():
    data = parse_funding_file(raw(funding_file()))
    assert amounts(data, 2020) == {
        "fylket": Decimal("2550000.00"),  # 2 500 000 × 1.02 (2019 is the base year)
        "liten": Decimal("60000.00"),  # 14 999: the first tier, up to 14 999
        "grense": Decimal("80000.00"),  # 15 000: the second tier begins
        "mellom": Decimal("80000.00"),  # 49 999: still the second
        "stor": Decimal("100000.00"),  # 50 000: the third
        "fjern": Decimal("80000.00"),
        "ny": Decimal("33333.33"),  # 80 000 × 5/12 = 33 333.333… → 33 333.33
        "akademiet": Decimal("4012.50"),  # 12.50 × 321
    }
    in_2021 = amounts(data, 2021)
    assert in_2021["fylket"] == Decimal("2626500.00")  # 2 500 000 × 1.02 × 1.03
    assert in_2021["ny"] == Decimal("80000.00")  # a whole year after it joined
    assert "ny" not in amounts(data, 2019)  # before it joined
    assert amounts(data, 2023) == {}  # the agreement has ended


def test_a_fact_near_a_boundary_or_unchecked_is_flagged():
    data = funding_file()
    data["parties"][5]["facts"]["population"] = {"value": 49100, "source": "typed in"}
    rows = {row.party: row for row in expected_amounts(parse_funding_file(raw(data)), 2020)}
    # 49 100 is 1.8 % below 50 000; 30 000 of Fjern would not be.
    assert rows["fjern"].notes == [
        "population 49\xa0100 er ikke kontrollert (typed in).",
        "population 49\xa0100 er innenfor 2 % av grensen 50\xa0000: kontroller det.",
    ]
    assert rows["grense"].notes == [  # 15 000 is the boundary itself
        "population 15\xa0000 er innenfor 2 % av grensen 15\xa0000: kontroller det."
    ]
    assert rows["fylket"].notes == [] and not rows["fylket"].to_check


def test_a_missing_index_rate_counts_as_nothing_and_says_so():
    data = parse_funding_file(raw(funding_file(index={"2021": 3.0})))
    [county] = [row for row in expected_amounts(data, 2021) if row.party == "fylket"]
    assert county.amount == Decimal("2575000.00")  # 2 500 000 × 1.00 × 1.03
    assert county.notes == ["Ingen indeks for 2020: regnet som 0 %."]


def test_every_problem_of_a_funding_file_with_its_line_and_column():
    data = funding_file()
    rules = data["agreements"][0]["rules"]
    rules[1]["tiers"] = [{"to": 14999, "amount": 60000}, {"from": 15001, "amount": 80000}]
    rules[1]["parties"].append("oslo")
    rules[2].pop("fact")
    with pytest.raises(DocumentInvalid) as refused:
        parse_funding_file(raw(data))
    problems = {(p.path, p.message) for p in refused.value.problems}
    assert problems == {
        ("agreements[0].rules[1].tiers[1]", "Dette trinnet skal begynne på 15000, der trinnet "
                                            "før slutter; det begynner på 15001."),
        ("agreements[0].rules[1].parties[6]", "Filen har ingen part “oslo”."),
        ("agreements[0].rules[2]", "En regel av typen “per_unit” trenger “fact”."),
    }  # fmt: skip
    assert all(p.line and p.column for p in refused.value.problems)
    text = raw(data).decode()
    oslo = next(p for p in refused.value.problems if "oslo" in p.message)
    assert text.splitlines()[oslo.line - 1].strip() == "- oslo"


@pytest.mark.django_db
def test_import_and_expected_on_the_command_line(tmp_path, capsys):
    Organisation.objects.create(slug="nettverk", name="Nettverk", path="/nettverk/")
    path = tmp_path / "finansiering.yaml"
    path.write_bytes(raw(funding_file()))
    call_command("funding", "import", str(path))
    call_command("funding", "import", str(path))  # the same file again: nothing new
    assert FundingFile.objects.count() == 1 and AuditEntry.objects.filter(
        action="funding-import").count() == 1  # fmt: skip
    capsys.readouterr()
    call_command("funding", "expected", "--network", "nettverk", "--year", "2020",
                 "--format", "json")  # fmt: skip
    listed = json.loads(capsys.readouterr().out)
    # 2 550 000 + 60 000 + 80 000 + 80 000 + 100 000 + 80 000 + 33 333.33 + 4 012.50
    assert listed["total"] == "2987345.83"
    assert listed["by_kind"] == {"county": "2550000.00", "municipality": "433333.33",
                                 "academy": "4012.50"}  # fmt: skip
    ny = next(p for p in listed["parties"] if p["party"] == "ny")
    assert ny["rule"] == "kommunene" and ny["amount"] == "33333.33"
    assert ny["basis"] == "trinn 15\xa0000–49\xa0999 etter population 20\xa0000 × 5/12 måneder med"


@pytest.mark.django_db
def test_a_bad_file_stores_nothing(tmp_path, capsys):
    Organisation.objects.create(slug="nettverk", name="Nettverk", path="/nettverk/")
    path = tmp_path / "finansiering.yaml"
    path.write_bytes(raw(funding_file(owner="ukjent")))
    with pytest.raises(CommandError) as refused:
        call_command("funding", "import", str(path))
    assert str(refused.value) == "Ingenting ble lagret."
    assert "owner: Det finnes ingen organisasjon «ukjent»." in capsys.readouterr().err
    assert FundingFile.objects.count() == 0


@pytest.mark.django_db
def test_ungmusikks_funding_in_2020(capsys):
    """The shipped funding file: the county's 2.5 million for 2019 regulated by 3.1 %, the
    12 member municipalities and 5 pilots by their tiers (Indre Østfold from August), NMH's
    150 000; and the notes that say how this differs from the report's "ca. 1,3 millioner"."""
    call_command("plan", "import", str(REPO / "plans" / "ungmusikk.yaml"))
    call_command("funding", "import", str(REPO / "funding" / "ungmusikk.yaml"))
    capsys.readouterr()
    call_command("funding", "expected", "--network", "ungmusikk", "--year", "2020",
                 "--format", "json")  # fmt: skip
    listed = json.loads(capsys.readouterr().out)
    assert listed["by_rule"] == {
        "samarbeidsavtale-2018-2022/fylkestilskudd": "2577500.00",  # 2 500 000 × 1.031
        # 60 000 (Enebakk) + 80 000 × 7 + 100 000 × 4 (Nordre Follo, Lillestrøm, Asker, Bærum)
        "samarbeidsavtale-2018-2022/kommunene": "1020000.00",
        # 100 000 × 2 (Fredrikstad, Sarpsborg) + 80 000 × 2 (Moss, Kongsberg) + 80 000 × 5/12
        "samarbeidsavtale-2018-2022/pilotkommunene": "393333.33",
        "samarbeidsavtale-2018-2022/nmh": "150000.00",
    }
    assert listed["by_kind"]["municipality"] == "1413333.33"
    assert listed["total"] == "4140833.33"  # the report: "ca. 4 millioner pr. år"
    assert any("ca. 1,3 millioner" in note for note in listed["notes"])
    moss = next(p for p in listed["parties"] if p["party"] == "moss")
    assert any("innenfor 2 % av grensen 50\xa0000" in note for note in moss["notes"])


@pytest.mark.django_db
def test_invoiced_and_received_beside_what_the_rules_expect(tmp_path, capsys):
    imported(tmp_path, funding_file())
    pay = ["funding", "pay", "--network", "nettverk", "--year", "2020"]
    # Stor (50 000 inhabitants) is expected to pay 100 000; invoiced 100 000, paid in two parts.
    call_command(*pay, "--party", "stor", "--invoiced", "100 000", "--date", "15.01.2020")
    call_command(*pay, "--party", "stor", "--received", "60 000,50", "--date", "15.03.2020")
    call_command(*pay, "--party", "stor", "--received", "kr 39.999,50", "--date", "1.6.2020")
    # Ny joined in August: 33 333.33 expected, 80 000 invoiced by mistake, nothing paid yet.
    call_command(*pay, "--party", "ny", "--invoiced", "80000", "--date", "1.9.2020")
    capsys.readouterr()
    call_command("funding", "balance", "--network", "nettverk", "--year", "2020",
                 "--format", "json")  # fmt: skip
    rows = {row["party"]: row for row in json.loads(capsys.readouterr().out)}
    assert (
        rows["stor"]["expected"],
        rows["stor"]["invoiced"],
        rows["stor"]["received"],
        rows["stor"]["outstanding"],
    ) == ("100000.00", "100000.00", "100000.00", "0.00")
    assert rows["ny"]["not_invoiced"] == "-46666.67"  # 33 333.33 − 80 000: invoiced too much
    assert rows["ny"]["outstanding"] == "80000.00"
    assert rows["liten"]["invoiced"] == "0.00"  # nothing recorded: shown as nothing
    assert Payment.objects.filter(party="stor").values_list("amount_ore", flat=True).count() == 3
    assert (
        sum(
            Payment.objects.filter(party="stor", kind="received").values_list(
                "amount_ore", flat=True
            )
        )
        == 10_000_000
    )  # exact, in øre


@pytest.mark.django_db
def test_a_payment_that_cannot_be_recorded_says_why_and_stores_nothing(tmp_path):
    imported(tmp_path, funding_file())
    pay = ["funding", "pay", "--network", "nettverk", "--year", "2020", "--date", "1.1.2020"]
    for args, message in [
        (["--party", "oslo", "--received", "100"],
         "«oslo» er ikke en part i finansieringsfilen til Nettverk."),
        (["--party", "stor", "--received", "mange penger"],
         "«mange penger» er ikke et beløp i kroner; skriv det som 80 000 eller 1 234,50."),
        (["--party", "stor", "--received", "10,555"],
         "«10,555» er ikke et beløp i kroner; skriv det som 80 000 eller 1 234,50."),
    ]:  # fmt: skip
        with pytest.raises(CommandError) as refused:
            call_command(*pay, *args)
        assert str(refused.value) == message
    assert Payment.objects.count() == 0


@pytest.mark.django_db
def test_a_scenario_by_hand_and_the_real_figures_unchanged(tmp_path, capsys):
    imported(tmp_path, funding_file())
    scenario = tmp_path / "scenario.yaml"
    scenario.write_bytes(raw({
        "format": "maalbilde-funding-scenario/1", "title": "To kommuner til", "owner": "nettverk",
        "year": 2020, "pupils": {"before": 1000, "after": 1500},
        "add_parties": [municipality("a", 10000), municipality("b", 60000)],
        "add_to_rules": {"kommunene": ["a", "b"]},
    }))  # fmt: skip
    stored = FundingFile.objects.get().data
    capsys.readouterr()
    call_command("funding", "scenario", str(scenario), "--format", "json")
    result = json.loads(capsys.readouterr().out)
    assert result == {
        "title": "To kommuner til", "year": 2020, "grant_from": "fylket",
        "pupils_before": "1000", "pupils_after": "1500",
        "total_before": "2987345.83",  # as `funding expected` for 2020
        "total_after": "3147345.83",  # + 60 000 (a, 10 000) + 100 000 (b, 60 000)
        "per_pupil_before": "2987.35",  # 2 987 345.83 / 1 000 = 2 987.34583
        "per_pupil_after": "2098.23",  # 3 147 345.83 / 1 500 = 2 098.23055…
        "needed": "4481018.75",  # 2 987 345.83 × 1 500 / 1 000 = 4 481 018.745 → half up
        "gap": "1333672.92",  # 4 481 018.75 − 3 147 345.83
        "grant_after": "3883672.92",  # the county's 2 550 000 + the gap
        "by_kind_before": {"county": "2550000.00", "municipality": "433333.33",
                           "academy": "4012.50"},
        "by_kind_after": {"county": "2550000.00", "municipality": "593333.33",
                          "academy": "4012.50"},
    }  # fmt: skip
    assert FundingFile.objects.get().data == stored  # the real figures are as they were


@pytest.mark.django_db
def test_a_scenario_that_names_what_is_not_there_is_refused(tmp_path, capsys):
    imported(tmp_path, funding_file())
    scenario = tmp_path / "scenario.yaml"
    scenario.write_bytes(raw({
        "format": "maalbilde-funding-scenario/1", "title": "Feil", "owner": "nettverk",
        "year": 2020, "pupils": {"before": 1000, "after": 1500},
        "remove_parties": ["oslo"], "add_to_rules": {"kommunene": ["c"], "ukjent": ["a"]},
    }))  # fmt: skip
    with pytest.raises(CommandError):
        call_command("funding", "scenario", str(scenario))
    err = capsys.readouterr().err
    assert "remove_parties: Filen har ingen part “oslo”." in err
    assert "add_to_rules: Filen har ingen regel “ukjent”." in err


@pytest.mark.django_db
def test_the_whole_viken_scenario_by_hand(capsys):
    call_command("plan", "import", str(REPO / "plans" / "ungmusikk.yaml"))
    call_command("funding", "import", str(REPO / "funding" / "ungmusikk.yaml"))
    capsys.readouterr()
    call_command("funding", "scenario", str(REPO / "funding" / "scenarios" / "hele-viken.yaml"),
                 "--format", "json")  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    # 32 more municipalities by the pilots' tiers: Drammen 100 000; Aurskog-Høland, Eidsvoll,
    # Nes, Rælingen, Lier, Øvre Eiker, Ringerike and Halden 8 × 80 000 = 640 000; the 23
    # others under 15 000 inhabitants 23 × 60 000 = 1 380 000: 2 120 000 in all.
    assert result["by_kind_after"]["municipality"] == "3533333.33"  # 1 413 333.33 + 2 120 000
    assert result["total_before"] == "4140833.33"
    assert result["total_after"] == "6260833.33"
    assert result["per_pupil_before"] == "345.07"  # 4 140 833.33 / 12 000 = 345.0694…
    assert result["per_pupil_after"] == "368.28"  # 6 260 833.33 / 17 000 = 368.2843…
    assert result["needed"] == "5866180.55"  # 4 140 833.33 × 17 000 / 12 000 = 5 866 180.5508…
    assert result["gap"] == "-394652.78"  # the rules bring more than today's kroner per pupil
    assert result["grant_from"] == "viken-fylkeskommune"
    assert result["grant_after"] == "2182847.22"  # 2 577 500 − 394 652.78
    assert result["by_kind_after"]["county"] == result["by_kind_before"]["county"] == "2577500.00"


@pytest.mark.django_db
def test_an_allocation_by_hand(tmp_path, capsys):
    from maalbilde.plans.files import parse_plan_file
    from maalbilde.plans.services import plan_import
    from tests.conftest import dump
    from tests.test_networks import network_plan

    plan_import(document=parse_plan_file(dump(network_plan()).encode()))
    data = funding_file(owner="nettverket", allocations=[{
        "year": 2020, "budget": 1000000, "central": 200000,
        "members": {"base": 50000, "per_unit": 100, "fact": "pupils"},
        "facts": {"hus-a": {"pupils": 1000}, "hus-b": {"pupils": 500},
                  "hus-c": {"pupils": 2000}, "hus-d": {"pupils": 1500},
                  "hus-e": {"pupils": 300}},
        "overrides": [{"recipient": "hus-e", "amount": 30000, "reason": "Ny i år: halvt år."}],
    }])  # fmt: skip
    path = tmp_path / "finansiering.yaml"
    path.write_bytes(raw(data))
    call_command("funding", "import", str(path))
    capsys.readouterr()
    call_command("funding", "allocation", "--network", "nettverket", "--year", "2020",
                 "--format", "json")  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    amounts = {r["recipient"] or "central": (r["amount"], r["per_unit"])
               for r in result["recipients"]}  # fmt: skip
    assert amounts == {
        "central": ("200000.00", None),
        "hus-a": ("150000.00", "150.00"),  # 50 000 + 100 × 1 000
        "hus-b": ("100000.00", "200.00"),  # 50 000 + 100 × 500
        "hus-c": ("250000.00", "125.00"),  # 50 000 + 100 × 2 000
        "hus-d": ("200000.00", "133.33"),  # 50 000 + 100 × 1 500; 200 000 / 1 500
        "hus-e": ("30000.00", "100.00"),  # set by hand, with its reason
    }
    assert (result["allocated"], result["unallocated"]) == ("930000.00", "70000.00")
    # Nord: (150 000 + 100 000 + 250 000) / 3 500 = 142.857…; Sør: 230 000 / 1 800 = 127.77…
    assert result["per_pupil_by_region"] == {"Nord": "142.86", "Sør": "127.78"}
    assert result["spread"] == ["100.00", "133.33", "200.00"]
    hus_e = next(r for r in result["recipients"] if r["recipient"] == "hus-e")
    assert hus_e["basis"] == "satt for hånd: Ny i år: halvt år."


@pytest.mark.django_db
def test_contributions_in_kind_are_listed_apart_from_the_money(tmp_path, capsys):
    data = funding_file()
    estimate = "To rom à 200 000 kr i markedsleie"
    data["parties"][7]["in_kind"] = [
        {"year": 2020, "what": "Lokaler", "value": "400000", "estimated": estimate}
    ]
    imported(tmp_path, data)
    capsys.readouterr()
    call_command("funding", "expected", "--network", "nettverk", "--year", "2020",
                 "--format", "json")  # fmt: skip
    listed = json.loads(capsys.readouterr().out)
    assert listed["in_kind"] == [{"party": "akademiet", "name": "Akademiet", "what": "Lokaler",
                                  "value": "400000.00",
                                  "estimated": estimate}]  # fmt: skip
    assert listed["total"] == "2987345.83"  # the money alone, as before
    call_command("funding", "expected", "--network", "nettverk", "--year", "2021",
                 "--format", "json")  # fmt: skip
    assert json.loads(capsys.readouterr().out)["in_kind"] == []  # given for 2020 only


@pytest.mark.django_db
def test_received_money_becomes_the_plans_figures_in_whole_kroner(capsys):
    from maalbilde.plans.models import Observation

    call_command("plan", "import", str(REPO / "plans" / "ungmusikk.yaml"))
    call_command("funding", "import", str(REPO / "funding" / "ungmusikk.yaml"))
    pay = ["funding", "pay", "--network", "ungmusikk", "--year", "2020", "--date", "1.3.2020"]
    call_command(*pay, "--party", "viken-fylkeskommune", "--received", "2 577 500")
    call_command(*pay, "--party", "moss", "--received", "80 000")
    call_command(*pay, "--party", "enebakk", "--received", "30 000,50")
    call_command("funding", "indicators", "--network", "ungmusikk", "--year", "2020")

    def figures() -> dict[str, float]:
        return dict(Observation.objects.filter(indicator_slug="um-tilskudd-mottatt", year=2020)
                    .values_list("organisation__slug", "value"))  # fmt: skip

    written = figures()
    assert written["um-viken"] == 2577500
    assert written["um-moss-kulturskole"] == 80000
    assert written["um-enebakk-kulturskole"] == 30001  # 30 000,50 → whole kroner, half up
    # Asker has paid nothing yet: no figure, rather than a nought that reads as "paid nothing"
    assert "um-asker-kulturskole" not in written and len(written) == 3
    assert set(Observation.objects.filter(indicator_slug="um-tilskudd-mottatt")
               .values_list("source", flat=True)) == {"funding/ungmusikk"}  # fmt: skip
    # A later payment: the figures follow at once, nothing is counted twice.
    call_command(*pay, "--party", "asker", "--received", "100 000")
    assert figures()["um-asker-kulturskole"] == 100000
    assert Observation.objects.filter(indicator_slug="um-tilskudd-mottatt").count() == 4
    # A figure typed in over the accounts' is refused (someone at Moss's school typing
    # 1 000 000), and the figure stays what was paid.
    from maalbilde.plans.models import Plan
    from maalbilde.plans.observations import ObservationRefused, observation_save

    moss = Organisation.objects.get(slug="um-moss-kulturskole")
    plan = Plan.objects.get(slug="ungmusikk")
    for month in (0, 3):  # the whole year, or a month of it beside the year's figure
        with pytest.raises(ObservationRefused, match="regnskapet"):
            observation_save(plan=plan, text="1 000 000", year=2020, month=month,
                             indicator_slug="um-tilskudd-mottatt", organisation=moss)  # fmt: skip
    assert figures()["um-moss-kulturskole"] == 80000
    # A figure typed in for a year the accounts have nothing of stays; a payment for another
    # party that year leaves it, and the first payment of its own party replaces it.
    viken = Organisation.objects.get(slug="um-viken")
    observation_save(plan=plan, text="2 500 000", year=2021, indicator_slug="um-tilskudd-mottatt",
                     organisation=viken, comment="Fylkestilskudd")  # fmt: skip
    call_command("funding", "pay", "--network", "ungmusikk", "--year", "2021", "--date",
                 "1.3.2021", "--party", "frogn", "--received", "80 000")  # fmt: skip

    def in_2021() -> dict[str, float]:
        return dict(Observation.objects.filter(indicator_slug="um-tilskudd-mottatt", year=2021)
                    .values_list("organisation__slug", "value"))  # fmt: skip

    assert in_2021() == {"um-viken": 2500000, "um-frogn-kulturskole": 80000}
    call_command(*pay[:5], "2021", "--date", "1.3.2021", "--party", "viken-fylkeskommune",
                 "--received", "1 300 000")  # fmt: skip
    assert in_2021()["um-viken"] == 1300000
    # An export imported and withdrawn: its figure comes and goes with it.
    from maalbilde.funding.models import LedgerImport
    from maalbilde.funding.services import ledger_import, ledger_withdraw

    ledger = ledger_import(owner=Organisation.objects.get(slug="ungmusikk"), kind="received",
                           raw="Dato;Kunde;Beløp\n01.06.2021;nmh;150 000\n".encode(),
                           file_name="nmh.csv").ledger  # fmt: skip
    assert in_2021()["um-nmh"] == 150000
    ledger_withdraw(ledger=LedgerImport.objects.get(pk=ledger.pk))
    assert "um-nmh" not in in_2021()


def test_a_scenario_changes_nothing_of_the_data_it_is_worked_out_from():
    import copy

    from maalbilde.funding.scenarios import scenario_run

    data = parse_funding_file(raw(funding_file()))
    before = copy.deepcopy(data)
    result = scenario_run(data, {
        "title": "x", "owner": "nettverk", "year": 2020, "pupils": {"before": 10, "after": 20},
        "add_parties": [municipality("a", 10000)], "remove_parties": ["stor"],
        "add_to_rules": {"kommunene": ["a"]},
    })  # fmt: skip
    assert {row.party for row in result.after} >= {"a"} and "stor" not in {
        row.party for row in result.after}  # fmt: skip
    assert data == before
