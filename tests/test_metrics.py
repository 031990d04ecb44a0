"""Indicator values: metrics over imported files, formulas over other indicators, and typed-in
figures, each rolled up the organisation tree. Every expected number is worked out by hand."""

import pytest

from maalbilde.data.imports import batch_import
from maalbilde.data.models import Dataset
from maalbilde.organisations.models import Organisation
from maalbilde.plans.engine import Engine
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Plan
from maalbilde.plans.observations import observation_save
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan, plan_with_data

pytestmark = pytest.mark.django_db

EVENTS = {
    "slug": "arrangementer",
    "name": "Arrangementer",
    "organisation_column": "sted",
    "date_column": "dato",
    "columns": [
        {"name": "dato", "role": "date", "aliases": ["Dato"]},
        {"name": "sted", "role": "organisation", "aliases": ["Sted"]},
        # Some events have no figure for one of them: the row counts for the other.
        {"name": "solgt", "role": "measure", "aliases": ["Solgte billetter"], "empty": "skip"},
        {"name": "kapasitet", "role": "measure", "aliases": ["Kapasitet"], "empty": "skip"},
        {"name": "belegg", "role": "measure", "ratio_of": ["solgt", "kapasitet"]},
        {"name": "type", "role": "category", "aliases": ["Type"]},
        {"name": "trinn", "role": "category", "aliases": ["Trinn"]},
        {"name": "skole", "role": "category", "aliases": ["Skole"]},
    ],
}

# Events at the museum (Testmuseet) and its two sites (Nord, Sør). Per-row occupancy in the
# last column of the comment; the museum's own row has no grade and no school.
EVENTS_CSV = """\
Dato;Sted;Solgte billetter;Kapasitet;Type;Trinn;Skole
15.05.2024;Avdeling Nord;50;100;konsert;3;Lade skole
20.11.2024;Avdeling Sør;150;200;omvisning;5;Ila skole
15.01.2025;Avdeling Nord;90;100;konsert;1;Byåsen skole
20.03.2025;Avdeling Nord;20;50;omvisning;4;Byåsen skole
10.09.2025;Avdeling Nord;40;50;verksted;7;Lade skole
05.02.2025;Avdeling Sør;120;200;konsert;10;Ila skole
12.10.2025;Avdeling Sør;90;100;omvisning;2;Byåsen skole
01.06.2025;Testmuseet;1 200;1 500;konsert;;
"""
# 2025 by hand:
#   nord: 90/100 = 0.9, 20/50 = 0.4, 40/50 = 0.8; sold 150, capacity 200, 3 rows
#   sør:  120/200 = 0.6, 90/100 = 0.9;             sold 210, capacity 300, 2 rows
#   museum's own: 1 200/1 500 = 0.8;               sold 1 200, capacity 1 500, 1 row
#   whole museum: sold 150 + 210 + 1 200 = 1 560, capacity 200 + 300 + 1 500 = 2 000, 6 rows
# 2024: nord sold 50 of 100; sør 150 of 200; museum 200 of 300.


def metric(slug: str, **spec) -> dict:
    over_tree = spec.pop("over_tree", "sum")
    unit = spec.pop("unit", "count")
    return {
        "slug": slug,
        "name": slug,
        "unit": unit,
        "over_tree": over_tree,
        "metric": {"dataset": "arrangementer", **spec},
    }


def make_plan(*indicators: dict):
    """The small plan with the events dataset and these indicators; returns its version."""
    data = minimal_plan()
    data["datasets"] = [EVENTS]
    data["focus_areas"][0]["indicators"] = list(indicators)
    return plan_import(document=parse_plan_file(dump(data).encode())).version


def load(text: str, file_name: str = "arrangementer.csv") -> None:
    batch_import(
        dataset=Dataset.objects.get(slug="arrangementer"),
        raw=text.encode("utf-8"),
        file_name=file_name,
        organisation=Organisation.objects.get(slug="testmuseet"),
    )


def values(version, slug: str, first: int, last: int, roots=("testmuseet", "nord", "sor")):
    """The engine's values, keyed by (organisation slug, year) to read easily."""
    organisations = [Organisation.objects.get(slug=s) for s in roots]
    found = Engine.for_version(version).values(slug, organisations, first, last)
    names = {o.pk: o.slug for o in organisations}
    return {(names[pk], year): value for (pk, year), value in found.items()}


# --- aggregates ---------------------------------------------------------------------------


def test_count_is_the_number_of_rows():
    version = make_plan(metric("arrangement", aggregate="count"))
    load(EVENTS_CSV)
    assert values(version, "arrangement", 2024, 2025) == {
        ("testmuseet", 2024): 2,  # 1 + 1
        ("testmuseet", 2025): 6,  # 3 + 2 + 1
        ("nord", 2024): 1,
        ("nord", 2025): 3,
        ("sor", 2024): 1,
        ("sor", 2025): 2,
    }


def test_sum_adds_a_measure():
    version = make_plan(metric("solgt", aggregate="sum", column="solgt"))
    load(EVENTS_CSV)
    assert values(version, "solgt", 2024, 2025) == {
        ("testmuseet", 2024): 200,  # 50 + 150
        ("testmuseet", 2025): 1560,  # 90 + 20 + 40 + 120 + 90 + 1 200
        ("nord", 2024): 50,
        ("nord", 2025): 150,  # 90 + 20 + 40
        ("sor", 2024): 150,
        ("sor", 2025): 210,  # 120 + 90
    }


def test_mean_averages_the_rows():
    version = make_plan(metric("snitt", aggregate="mean", column="solgt"))
    load(EVENTS_CSV)
    assert values(version, "snitt", 2025, 2025) == {
        ("testmuseet", 2025): 260,  # 1 560 / 6
        ("nord", 2025): 50,  # 150 / 3
        ("sor", 2025): 105,  # 210 / 2
    }


def test_mean_leaves_out_rows_without_a_value():
    version = make_plan(
        metric("arrangement", aggregate="count"), metric("snitt", aggregate="mean", column="solgt")
    )
    load("Dato;Sted;Solgte billetter;Kapasitet;Type;Trinn;Skole\n"
         "01.03.2025;nord;30;;;;\n"
         "02.03.2025;nord;;;;;\n"
         "03.03.2025;nord;60;;;;\n")  # fmt: skip
    # Three rows, two of them with a figure: (30 + 60) / 2 = 45, not 90 / 3 = 30.
    assert values(version, "arrangement", 2025, 2025, ["nord"]) == {("nord", 2025): 3}
    assert values(version, "snitt", 2025, 2025, ["nord"]) == {("nord", 2025): 45}


def test_ratio_divides_the_sums():
    version = make_plan(
        metric("belegg", aggregate="ratio", numerator="solgt", denominator="kapasitet", scale=100)
    )
    load(EVENTS_CSV)
    assert values(version, "belegg", 2024, 2025) == pytest.approx(
        {
            ("testmuseet", 2024): 200 / 300 * 100,  # (50 + 150) / (100 + 200) = 66.67 %
            ("testmuseet", 2025): 78,  # 1 560 / 2 000
            ("nord", 2024): 50,  # 50 / 100
            ("nord", 2025): 75,  # 150 / 200
            ("sor", 2024): 75,  # 150 / 200
            ("sor", 2025): 70,  # 210 / 300
        }
    )


def test_mean_of_ratios_averages_each_rows_ratio():
    version = make_plan(
        metric(
            "snittbelegg",
            aggregate="mean_of_ratios",
            numerator="solgt",
            denominator="kapasitet",
            scale=100,
        )
    )
    load(EVENTS_CSV)
    assert values(version, "snittbelegg", 2025, 2025) == pytest.approx(
        {
            # (0.9 + 0.4 + 0.8 + 0.6 + 0.9 + 0.8) / 6 = 4.4 / 6 = 73.33 % (the ratio is 78 %)
            ("testmuseet", 2025): 4.4 / 6 * 100,
            ("nord", 2025): 70,  # (0.9 + 0.4 + 0.8) / 3 = 2.1 / 3 (the ratio is 75 %)
            ("sor", 2025): 75,  # (0.6 + 0.9) / 2 = 1.5 / 2 (the ratio is 70 %)
        }
    )


def test_distinct_counts_different_values_once_across_the_tree():
    version = make_plan(metric("skoler", aggregate="distinct", column="skole"))
    load(EVENTS_CSV)
    assert values(version, "skoler", 2025, 2025) == {
        # Byåsen, Lade and Ila: Byåsen came to both sites but is one school (not 2 + 2 = 4);
        # the museum's own row names no school.
        ("testmuseet", 2025): 3,
        ("nord", 2025): 2,  # Byåsen, Lade
        ("sor", 2025): 2,  # Ila, Byåsen
    }


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # konsert: 90 (nord) + 120 (sør) + 1 200 (museum) = 1 410
        ([{"column": "type", "equals": "konsert"}], 1410),
        # omvisning or verksted: 20 + 40 (nord) + 90 (sør) = 150
        ([{"column": "type", "in": ["omvisning", "verksted"]}], 150),
        # all but omvisning: 1 560 − 20 − 90 = 1 450
        ([{"column": "type", "not": "omvisning"}], 1450),
        # neither konsert nor omvisning: verksted 40
        ([{"column": "type", "not_in": ["konsert", "omvisning"]}], 40),
        # grades 1 to 4 as numbers: 1 (90), 4 (20), 2 (90) = 200; grade 10 is not between
        # 1 and 4 even if "10" sorts between "1" and "4" as text; no grade is no match
        ([{"column": "trinn", "range": [1, 4]}], 200),
        # grade 5 and up: 7 (40) + 10 (120) = 160
        ([{"column": "trinn", "range": [5, None]}], 160),
        # up to grade 2: 1 (90) + 2 (90) = 180
        ([{"column": "trinn", "range": [None, 2]}], 180),
        # both at once: concerts for grades 1–7, only Nord's 90
        ([{"column": "type", "equals": "konsert"}, {"column": "trinn", "range": [1, 7]}], 90),
    ],
)
def test_filters(filters, expected):
    version = make_plan(metric("utvalg", aggregate="sum", column="solgt", filters=filters))
    load(EVENTS_CSV)
    assert values(version, "utvalg", 2025, 2025, ["testmuseet"]) == {("testmuseet", 2025): expected}


def test_filter_on_a_value_that_never_occurs_gives_nothing():
    version = make_plan(
        metric(
            "utvalg", aggregate="sum", column="solgt", filters=[{"column": "type", "equals": "x"}]
        )
    )
    load(EVENTS_CSV)
    assert values(version, "utvalg", 2025, 2025) == {}


# --- periods ------------------------------------------------------------------------------

TERMS_CSV = """\
Dato;Sted;Solgte billetter;Kapasitet;Type;Trinn;Skole
31.07.2024;Avdeling Nord;5;;;;
01.08.2024;Avdeling Nord;10;;;;
31.12.2024;Avdeling Nord;20;;;;
01.01.2025;Avdeling Nord;40;;;;
31.07.2025;Avdeling Nord;80;;;;
01.08.2025;Avdeling Nord;160;;;;
"""


def test_calendar_year_runs_january_to_december():
    version = make_plan(metric("solgt", aggregate="sum", column="solgt"))
    load(TERMS_CSV)
    assert values(version, "solgt", 2023, 2025, ["nord"]) == {
        ("nord", 2024): 35,  # 5 + 10 + 20
        ("nord", 2025): 280,  # 40 + 80 + 160
    }


def test_school_year_runs_august_to_july_named_by_its_first_year():
    version = make_plan(
        metric("solgt", aggregate="sum", column="solgt", period="school_year"),
        metric("arrangement", aggregate="count", period="school_year"),
    )
    load(TERMS_CSV)
    assert values(version, "solgt", 2023, 2025, ["nord"]) == {
        ("nord", 2023): 5,  # 31 July 2024 ends the school year 2023/24
        ("nord", 2024): 150,  # 1 Aug 2024 … 31 Jul 2025: 10 + 20 + 40 + 80
        ("nord", 2025): 160,  # 1 Aug 2025 begins 2025/26
    }
    assert values(version, "arrangement", 2024, 2024, ["nord"]) == {("nord", 2024): 4}


# --- roll-ups up the tree -----------------------------------------------------------------


def test_over_tree_sum_pools_the_rows_of_the_subtree():
    version = make_plan(
        metric("solgt", aggregate="sum", column="solgt", over_tree="sum"),
        metric(
            "belegg",
            aggregate="ratio",
            numerator="solgt",
            denominator="kapasitet",
            scale=100,
            over_tree="sum",
        ),
    )
    load(EVENTS_CSV)
    # 150 + 210 + 1 200 = 1 560; occupancy pooled 1 560 / 2 000 = 78 %
    assert values(version, "solgt", 2025, 2025, ["testmuseet"]) == {("testmuseet", 2025): 1560}
    assert values(version, "belegg", 2025, 2025, ["testmuseet"]) == pytest.approx(
        {("testmuseet", 2025): 78}
    )


def test_over_tree_mean_averages_each_organisations_value():
    version = make_plan(
        metric("solgt", aggregate="sum", column="solgt", over_tree="mean"),
        metric(
            "belegg",
            aggregate="ratio",
            numerator="solgt",
            denominator="kapasitet",
            scale=100,
            over_tree="mean",
        ),
    )
    load(EVENTS_CSV)
    assert values(version, "solgt", 2025, 2025) == pytest.approx(
        {
            ("testmuseet", 2025): 520,  # (150 + 210 + 1 200) / 3 organisations with data
            ("nord", 2025): 150,
            ("sor", 2025): 210,
        }
    )
    assert values(version, "belegg", 2025, 2025) == pytest.approx(
        {
            ("testmuseet", 2025): 75,  # (75 + 70 + 80) / 3, not the pooled 78
            ("nord", 2025): 75,
            ("sor", 2025): 70,
        }
    )


def test_over_tree_mean_leaves_out_organisations_without_data():
    version = make_plan(metric("solgt", aggregate="sum", column="solgt", over_tree="mean"))
    load(EVENTS_CSV)
    # 2024: only Nord (50) and Sør (150) have rows: (50 + 150) / 2 = 100, not 200 / 3
    assert values(version, "solgt", 2024, 2024, ["testmuseet"]) == {("testmuseet", 2024): 100}


def test_over_tree_none_counts_the_organisations_own_rows_only():
    version = make_plan(metric("solgt", aggregate="sum", column="solgt", over_tree="none"))
    load(EVENTS_CSV)
    assert values(version, "solgt", 2024, 2025) == {
        ("testmuseet", 2025): 1200,  # its own concert; the sites' rows are theirs
        ("nord", 2024): 50,
        ("nord", 2025): 150,
        ("sor", 2024): 150,
        ("sor", 2025): 210,
    }


def test_a_deeper_tree_rolls_up_through_every_level():
    data = minimal_plan()
    data["organisations"].append(
        {"slug": "nord-skolen", "name": "Skoletjenesten Nord", "kind": "department",
         "parent": "nord"}
    )  # fmt: skip
    data["datasets"] = [EVENTS]
    data["focus_areas"][0]["indicators"] = [metric("solgt", aggregate="sum", column="solgt")]
    version = plan_import(document=parse_plan_file(dump(data).encode())).version
    load("Dato;Sted;Solgte billetter;Kapasitet;Type;Trinn;Skole\n"
         "01.03.2025;nord-skolen;30;;;;\n"
         "02.03.2025;nord;12;;;;\n"
         "03.03.2025;sor;7;;;;\n")  # fmt: skip
    assert values(version, "solgt", 2025, 2025, ["testmuseet", "nord", "nord-skolen"]) == {
        ("testmuseet", 2025): 49,  # 30 + 12 + 7
        ("nord", 2025): 42,  # 30 + 12
        ("nord-skolen", 2025): 30,
    }


# --- formulas -----------------------------------------------------------------------------

SOLD = metric("solgt", aggregate="sum", column="solgt")
CAPACITY = metric("kapasitet", aggregate="sum", column="kapasitet")
CONCERTS = metric(
    "konsertbilletter",
    aggregate="sum",
    column="solgt",
    filters=[{"column": "type", "equals": "konsert"}],
)


def formula(slug: str, unit: str = "count", **spec) -> dict:
    return {"slug": slug, "name": slug, "unit": unit, "formula": spec}


def test_growth_from_the_year_before():
    version = make_plan(SOLD, formula("vekst", unit="percent", growth="solgt"))
    load(EVENTS_CSV)
    # No figures for 2023, so no growth for 2024.
    assert values(version, "vekst", 2024, 2025) == pytest.approx(
        {
            ("testmuseet", 2025): 680,  # (1 560 / 200 − 1) × 100
            ("nord", 2025): 200,  # (150 / 50 − 1) × 100
            ("sor", 2025): 40,  # (210 / 150 − 1) × 100
        }
    )


def test_share_of_one_indicator_in_another():
    version = make_plan(SOLD, CONCERTS, formula("konsertandel", "percent", share=[
        "konsertbilletter", "solgt"]))  # fmt: skip
    load(EVENTS_CSV)
    assert values(version, "konsertandel", 2024, 2025) == pytest.approx(
        {
            ("testmuseet", 2024): 25,  # 50 / 200 × 100
            ("testmuseet", 2025): 1410 / 1560 * 100,  # (90 + 120 + 1 200) / 1 560 = 90.38 %
            ("nord", 2024): 100,  # 50 / 50
            ("nord", 2025): 60,  # 90 / 150
            ("sor", 2025): 120 / 210 * 100,  # 57.14 %
            # Sør sold no concert tickets in 2024: the share is not a number at all
        }
    )


def test_difference_of_two_indicators():
    version = make_plan(SOLD, CAPACITY, formula("ledige", difference=["kapasitet", "solgt"]))
    load(EVENTS_CSV)
    assert values(version, "ledige", 2024, 2025) == {
        ("testmuseet", 2024): 100,  # 300 − 200
        ("testmuseet", 2025): 440,  # 2 000 − 1 560
        ("nord", 2024): 50,  # 100 − 50
        ("nord", 2025): 50,  # 200 − 150
        ("sor", 2024): 50,  # 200 − 150
        ("sor", 2025): 90,  # 300 − 210
    }


def test_cumulative_total_since_a_year():
    version = make_plan(
        SOLD,
        formula("totalt-2024", cumulative="solgt", since=2024),
        formula("totalt-2025", cumulative="solgt", since=2025),
    )
    load(EVENTS_CSV)
    assert values(version, "totalt-2024", 2024, 2026) == {
        ("testmuseet", 2024): 200,
        ("testmuseet", 2025): 1760,  # 200 + 1 560
        ("testmuseet", 2026): 1760,  # nothing added in 2026; the total stands
        ("nord", 2024): 50,
        ("nord", 2025): 200,  # 50 + 150
        ("nord", 2026): 200,
        ("sor", 2024): 150,
        ("sor", 2025): 360,  # 150 + 210
        ("sor", 2026): 360,
    }
    # Counted from 2025, 2024 is neither part of the total nor a year of it.
    assert values(version, "totalt-2025", 2024, 2025, ["testmuseet"]) == {
        ("testmuseet", 2025): 1560
    }


def test_cumulative_since_defaults_to_the_plans_first_year():
    version = make_plan(SOLD, formula("totalt", cumulative="solgt"))
    load(EVENTS_CSV)
    # The plan starts in 2025, so 2024's 200 is not counted.
    assert values(version, "totalt", 2025, 2025, ["testmuseet"]) == {("testmuseet", 2025): 1560}


def test_formula_over_a_formula():
    version = make_plan(
        SOLD, CAPACITY,
        formula("ledige", difference=["kapasitet", "solgt"]),
        formula("ledige-vekst", unit="percent", growth="ledige"),
    )  # fmt: skip
    load(EVENTS_CSV)
    # Unsold seats 100 → 440: (440 / 100 − 1) × 100 = 340; Nord 50 → 50: 0; Sør 50 → 90: 80
    assert values(version, "ledige-vekst", 2025, 2025) == pytest.approx(
        {("testmuseet", 2025): 340, ("nord", 2025): 0, ("sor", 2025): 80}
    )


# --- typed-in figures ---------------------------------------------------------------------


def typed(slug: str, organisation: str, year: int, text: str, month: int = 0) -> None:
    observation_save(
        plan=Plan.objects.get(slug="testplan"),
        indicator_slug=slug,
        organisation=Organisation.objects.get(slug=organisation),
        year=year,
        month=month,
        text=text,
    )


def test_typed_in_figures_roll_up_the_tree():
    version = make_plan(
        {"slug": "skolebesok", "name": "Skolebesøk", "unit": "count"},
        {"slug": "tilfredshet", "name": "Tilfredshet", "unit": "percent", "over_tree": "mean",
         "over_time": "mean"},
        {"slug": "ansatte", "name": "Ansatte", "unit": "fte", "over_tree": "none",
         "over_time": "last"},
    )  # fmt: skip
    typed("skolebesok", "nord", 2025, "120")
    typed("skolebesok", "sor", 2025, "1 095")
    typed("skolebesok", "nord", 2026, "30", month=1)
    typed("skolebesok", "nord", 2026, "45", month=2)
    assert values(version, "skolebesok", 2025, 2026) == {
        ("testmuseet", 2025): 1215,  # 120 + 1 095
        ("testmuseet", 2026): 75,  # Nord's January and February: 30 + 45
        ("nord", 2025): 120,
        ("nord", 2026): 75,
        ("sor", 2025): 1095,
    }

    typed("tilfredshet", "nord", 2025, "80,5")
    typed("tilfredshet", "sor", 2025, "70")
    assert values(version, "tilfredshet", 2025, 2025) == {
        ("testmuseet", 2025): 75.25,  # (80.5 + 70) / 2
        ("nord", 2025): 80.5,
        ("sor", 2025): 70,
    }

    typed("ansatte", "testmuseet", 2025, "12", month=3)
    typed("ansatte", "testmuseet", 2025, "14,5", month=9)
    typed("ansatte", "nord", 2025, "4")
    # The museum's own figure, the latest of the year (September's 14.5), not its sites'.
    assert values(version, "ansatte", 2025, 2025, ["testmuseet"]) == {("testmuseet", 2025): 14.5}


def test_a_corrected_figure_replaces_the_earlier_one():
    version = make_plan({"slug": "skolebesok", "name": "Skolebesøk", "unit": "count"})
    typed("skolebesok", "nord", 2025, "120")
    typed("skolebesok", "nord", 2025, "125")
    assert values(version, "skolebesok", 2025, 2025, ["testmuseet"]) == {("testmuseet", 2025): 125}


def test_filters_match_norwegian_letters_in_any_case():
    plan = plan_with_data()
    plan["focus_areas"][0]["indicators"].append(
        {"slug": "apne", "name": "Åpne", "metric": {"dataset": "besok", "aggregate": "sum",
         "column": "antall", "filters": [{"column": "billettype", "equals": "Åpen"}]}}
    )  # fmt: skip
    version = plan_import(document=parse_plan_file(dump(plan).encode())).version
    museum = Organisation.objects.get(slug="testmuseet")
    text = "Dato;Avdeling;Antall;Kapasitet;Billettype\n" + "".join(
        f"01.03.2026;nord;100;;{kind}\n" for kind in ("ÅPEN", "Åpen", "åpen", "Lukket")
    )
    batch_import(dataset=Dataset.objects.get(slug="besok"), raw=text.encode(), file_name="f.csv",
                 organisation=museum)  # fmt: skip
    # ÅPEN, Åpen and åpen are the same category: 3 × 100.
    assert Engine.for_version(version).values("apne", [museum], 2026, 2026) == {
        (museum.pk, 2026): 300.0
    }


def test_a_sum_of_a_measure_never_given_is_no_figure():
    data = plan_with_data()
    for column in data["datasets"][0]["columns"]:
        if column["name"] == "antall":
            column["empty"] = "skip"  # the row has no figure for it
    version = plan_import(document=parse_plan_file(dump(data).encode())).version
    museum = Organisation.objects.get(slug="testmuseet")
    text = "Dato;Avdeling;Antall;Kapasitet;Billettype\n01.03.2026;nord;;;Voksen\n"
    batch_import(dataset=Dataset.objects.get(slug="besok"), raw=text.encode(), file_name="f.csv",
                 organisation=museum)  # fmt: skip
    # The row is there, but "Antall" is empty: no figure rather than 0.
    assert Engine.for_version(version).values("besokstall", [museum], 2026, 2026) == {}
