"""Indicators with several measures, and indicators counted in other calendars than the
calendar year. Every expected number is worked out by hand."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import formats, timezone, translation

from maalbilde.data.imports import batch_withdraw
from maalbilde.data.models import Batch, Dataset
from maalbilde.data.registers import register_row_remove, register_row_save
from maalbilde.lib.spreadsheets import rows_csv
from maalbilde.organisations.models import AuditEntry, Organisation
from maalbilde.plans.assessments import AssessmentRefused, assessment_write
from maalbilde.plans.editing import indicator_change, plan_edit
from maalbilde.plans.engine import Engine, figures_changed_at
from maalbilde.plans.export import plan_export_yaml
from maalbilde.plans.files import PlanFileInvalid, parse_plan_file
from maalbilde.plans.observations import ObservationRefused, observation_save
from maalbilde.plans.services import plan_import
from maalbilde.plans.status import plan_status
from tests.conftest import dump, minimal_plan, register_plan
from tests.test_status import indicator, load, make_plan

pytestmark = pytest.mark.django_db

MIDSUMMER = datetime.date(2025, 7, 1)


def events_with_sold_tickets() -> dict:
    """Events counted, and the tickets sold to them as another measure with its own target."""
    return {
        **indicator("arrangementer", [], dataset="arrangementer", aggregate="count"),
        "name": "Antall arrangementer og publikum.",
        "measures": ["flere-skolebesok"],
        "other_measures": [
            {
                "slug": "publikum",
                "name": "Solgte billetter til arrangementene.",
                "metric": {"dataset": "arrangementer", "aggregate": "sum", "column": "solgt"},
                "targets": [{"organisation": "nord", "value": 1000, "year": 2024}],
            }
        ],
    }


EVENTS = """\
Dato;Sted;Solgt;Kapasitet
10.02.2024;Avdeling Nord;300;400
11.05.2024;Avdeling Nord;400;400
12.09.2024;Avdeling Nord;200;300
13.10.2024;Avdeling Sør;50;100
"""


def test_another_measure_is_computed_and_judged_beside_its_indicator():
    version = make_plan(events_with_sold_tickets())
    load("arrangementer", EVENTS)
    rows = [s for s in plan_status(version, year=2024, today=MIDSUMMER) if s.level == "indicator"]
    by_measure = {(s.indicator, s.measure): s for s in rows}
    # The events: 3 at Nord and 1 at Sør, 4 for the museum; no target, so no verdict.
    events = by_measure[("arrangementer", None)]
    assert (events.organisation, events.actual, events.verdict) == ("testmuseet", 4, None)
    # The tickets sold at Nord: 300 + 400 + 200 = 900 against 1 000 in a closed year.
    sold = by_measure[("arrangementer", "publikum")]
    assert (sold.organisation, sold.actual, sold.target) == ("nord", 900, 1000)
    assert (sold.verdict, sold.final) == ("not_met", True)
    assert sold.name == "Solgte billetter til arrangementene."
    # The goal the indicator measures is judged by its measure's target too.
    (goal,) = [s for s in plan_status(version, year=2024, today=MIDSUMMER) if s.level == "goal"]
    assert goal.verdict == "not_met"


def test_the_status_json_names_the_measure(capsys):
    make_plan(events_with_sold_tickets())
    load("arrangementer", EVENTS)
    call_command("status", "--plan", "testplan", "--year", "2024", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    measures = {(r["indicator"], r["measure"]) for r in rows if r["level"] == "indicator"}
    assert measures == {("arrangementer", None), ("arrangementer", "publikum")}


def test_the_plan_page_shows_the_measure_under_its_indicator(client: Client, django_user_model):
    make_plan(events_with_sold_tickets())
    load("arrangementer", EVENTS)
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    with translation.override("nb"):
        page = client.get("/plans/testplan/?year=2024", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
        measure_page = client.get("/plans/testplan/indicators/arrangementer--publikum/?year=2024")
    indicator_at = page.index("Antall arrangementer og publikum.")
    measure_at = page.index('<span class="measure-name">Solgte billetter til arrangementene.')
    assert indicator_at < measure_at
    assert "Målverdien er ikke nådd: 900 mot 1 000 for 2024." in page.replace("\xa0", " ")
    # The measure has a page of its own, which names its indicator.
    assert measure_page.status_code == 200
    assert "Antall arrangementer og publikum." in measure_page.content.decode()


def test_a_plan_with_measures_and_calendars_exports_to_the_same_plan():
    version = make_plan(events_with_sold_tickets(), {
        **indicator("sesong", [], dataset="billettsalg", aggregate="sum", column="billetter"),
        "calendar": "season", "calendar_month": 9,
    })  # fmt: skip
    again = parse_plan_file(plan_export_yaml(version).encode())
    (events, season) = again.data["focus_areas"][0]["indicators"]
    assert [m["slug"] for m in events["other_measures"]] == ["publikum"]
    assert (season["calendar"], season["calendar_month"]) == ("season", 9)
    assert again.checksum == version.checksum


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"other_measures": [{"slug": "a", "name": "A"}, {"slug": "a", "name": "B"}]},
            "The slug “a” is used by more than one measure",
        ),
        ({"calendar_month": 9}, "“calendar_month” is only used together with"),
        (
            {
                "calendar": "season",
                "metric": {"dataset": "billettsalg", "aggregate": "count", "period": "school_year"},
            },
            "The metric counts by “school_year” but the indicator's calendar is “season”",
        ),
    ],
)
def test_measures_and_calendars_that_contradict_themselves_are_refused(change, message):
    data = minimal_plan(start_year=2024)
    data["datasets"] = [{"slug": "billettsalg", "name": "Billetter", "organisation": "nord",
                         "date_column": "dato",
                         "columns": [{"name": "dato", "role": "date"}]}]  # fmt: skip
    data["focus_areas"][0]["indicators"][0].update(change)
    with translation.override("en"), pytest.raises(PlanFileInvalid) as refused:
        parse_plan_file(dump(data).encode())
    assert message in str(refused.value)


# --- calendars ----------------------------------------------------------------------------


def test_a_season_from_september_counts_the_rows_from_september_to_august():
    version = make_plan({
        **indicator("sesongbilletter", [{"organisation": "nord", "value": 365, "each_year": True}],
                    dataset="billettsalg", aggregate="sum", column="billetter"),
        "calendar": "season", "calendar_month": 9,
    })  # fmt: skip
    load("billettsalg", "Dato;Sted;Billetter\n"
                        "15.08.2024;Avdeling Nord;50\n"   # the 2023/24 season
                        "10.09.2024;Avdeling Nord;100\n"  # 2024/25
                        "30.06.2025;Avdeling Nord;200\n")  # 2024/25  # fmt: skip
    (row,) = [s for s in plan_status(version, year=2024, today=MIDSUMMER) if s.target_id]
    # 1.9.2024–1.7.2025 is 30+31+30+31+31+28+31+30+31+30 = 303 of the season's 365 days:
    # 365 × 303/365 = 303 expected by now; 300 at this pace gives 300 × 365/303 = 361.39 at
    # its end, less than 365 by 1 %: at risk.
    assert (row.period, row.calendar, row.final) == ("2024/25", "season", False)
    assert (row.actual, row.expected, row.projected, row.verdict) == (300, 303, 361.39, "at_risk")


def test_a_snapshot_counts_its_month_alone():
    version = make_plan({
        **indicator("elever", [{"organisation": "nord", "value": 100, "each_year": True}],
                    dataset="billettsalg", aggregate="sum", column="billetter"),
        "calendar": "snapshot",
    })  # fmt: skip
    load("billettsalg", "Dato;Sted;Billetter\n"
                        "01.10.2024;Avdeling Nord;120\n"
                        "15.11.2024;Avdeling Nord;30\n"  # after the count: not in it
                        "01.10.2025;Avdeling Nord;130\n")  # fmt: skip
    with translation.override("nb"):
        (counted,) = [s for s in plan_status(version, year=2024, today=MIDSUMMER) if s.target_id]
        (coming,) = [s for s in plan_status(version, year=2025, today=MIDSUMMER) if s.target_id]
    assert (counted.period, counted.actual, counted.verdict, counted.final) == (
        "1. oktober 2024", 120, "met", True)  # fmt: skip
    # On 1 July 2025 the count of 1 October 2025 is still to come.
    assert (coming.period, coming.verdict, coming.final) == ("1. oktober 2025", "no_data", False)


def test_typed_in_figures_follow_the_school_year():
    version = make_plan({"slug": "elever", "name": "Elever", "unit": "count",
                         "calendar": "school_year"})  # fmt: skip
    nord = Organisation.objects.get(slug="nord")
    figures = [(2023, 0, "99"), (2024, 9, "10"), (2025, 3, "20"), (2025, 9, "40")]
    for year, month, text in figures:
        observation_save(plan=version.plan, indicator_slug="elever", organisation=nord,
                         year=year, month=month, text=text)  # fmt: skip
    values = Engine.for_version(version).values("elever", [nord], 2023, 2025)
    # 2023/24: the year's figure; 2024/25: September 2024 and March 2025; 2025/26: September.
    assert values == {(nord.pk, 2023): 99, (nord.pk, 2024): 30, (nord.pk, 2025): 40}


def test_a_goal_measured_by_school_years_is_not_over_when_the_calendar_year_is():
    version = make_plan({
        **indicator("skolebilletter", [{"organisation": "nord", "value": 10, "each_year": True}],
                    dataset="billettsalg", aggregate="sum", column="billetter"),
        "calendar": "school_year", "measures": ["flere-skolebesok"],
    })  # fmt: skip
    load("billettsalg", "Dato;Sted;Billetter\n20.09.2025;Avdeling Nord;50\n")
    rows = plan_status(version, year=2025, today=datetime.date(2026, 3, 1))
    (goal,) = [s for s in rows if s.level == "goal"]
    # 2025/26 runs until 31 July 2026: the goal's year is not over on 1 March 2026.
    assert (goal.period, goal.final, goal.verdict) == ("2025/26", False, "met")


def test_a_measure_is_edited_like_an_indicator():
    version = make_plan(events_with_sold_tickets())
    target = {"organisation": "nord", "value": 1200, "year": 2025}
    change = indicator_change("arrangementer--publikum", name="Publikum.", description="",
                              targets=[target])  # fmt: skip
    edited = plan_edit(plan=version.plan, based_on=version.number, change=change, user=None)
    measure = edited.version.indicators.get(slug="arrangementer--publikum")
    assert (measure.name, measure.measure_of.slug) == ("Publikum.", "arrangementer")
    assert [(t.organisation.slug, t.value, t.first_year) for t in measure.targets.all()] == [
        ("nord", 1200, 2025)
    ]


# --- when a closed year's figures last changed --------------------------------------------


def test_a_years_figures_last_changed_with_the_files_that_hold_them():
    version = make_plan(indicator("billetter", [], dataset="billettsalg", aggregate="sum",
                                  column="billetter"))  # fmt: skip
    item = version.indicators.get(slug="billetter")
    museum = Organisation.objects.get(slug="testmuseet")
    year_2024 = (datetime.date(2024, 1, 1), datetime.date(2025, 1, 1))
    year_2025 = (datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    load("billettsalg", "Dato;Sted;Billetter\n15.03.2024;Avdeling Nord;10\n")
    load("billettsalg", "Dato;Sted;Billetter\n15.03.2025;Avdeling Nord;20\n")
    first, second = Batch.objects.order_by("pk")
    assert figures_changed_at(item, [museum], *year_2024) == first.created_at
    assert figures_changed_at(item, [museum], *year_2025) == second.created_at
    # Taking the 2025 file back changes 2025, not 2024, though its facts are gone.
    batch_withdraw(batch=second)
    second.refresh_from_db()
    assert figures_changed_at(item, [museum], *year_2024) == first.created_at
    assert figures_changed_at(item, [museum], *year_2025) == second.withdrawn_at
    # Seen from a site the museum's file was imported for, the same.
    nord = Organisation.objects.get(slug="nord")
    assert figures_changed_at(item, [nord], *year_2025) == second.withdrawn_at


def test_the_indicator_page_says_when_a_closed_years_figures_last_changed(
    client: Client, django_user_model
):
    make_plan(indicator("billetter", [], dataset="billettsalg", aggregate="sum",
                        column="billetter"))  # fmt: skip
    load("billettsalg", "Dato;Sted;Billetter\n15.03.2024;Avdeling Nord;10\n")
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    with translation.override("nb"):
        page = client.get("/plans/testplan/indicators/billetter/?year=2024").content.decode()
        imported = formats.date_format(timezone.localtime(Batch.objects.get().created_at),
                                       "DATETIME_FORMAT")  # fmt: skip
    assert f"Tallene for 2024 ble sist endret {imported}." in page


def test_removing_a_register_row_changes_its_years_figures_then():
    version = plan_import(document=parse_plan_file(dump(register_plan()).encode())).version
    item = version.indicators.get(slug="nasjonale-oppslag")
    item.version = version
    nord = Organisation.objects.get(slug="nord")
    register = Dataset.objects.get(slug="omtaler")
    year_2025 = (datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    kept, removed = (
        register_row_save(dataset=register, organisation=nord,
                          cells={"dato": day, "dekning": "nasjonal", "tittel": "Oppslag"})
        for day in ("03.03.2025", "04.04.2025")
    )  # fmt: skip
    removed_at = register_row_remove_and_time(removed)
    # The removal is the latest change to 2025, later than either row's own time.
    assert figures_changed_at(item, [nord], *year_2025) == removed_at > kept.updated_at


def register_row_remove_and_time(row):
    register_row_remove(row=row)
    return AuditEntry.objects.filter(action="register-remove").latest("at").at


def test_a_formula_changed_when_its_inputs_did():
    version = make_plan(
        indicator("billetter", [], dataset="billettsalg", aggregate="sum", column="billetter"),
        {"slug": "vekst", "name": "Vekst", "unit": "percent", "formula": {"growth": "billetter"}},
    )
    item = version.indicators.get(slug="vekst")
    item.version = version
    museum = Organisation.objects.get(slug="testmuseet")
    load("billettsalg", "Dato;Sted;Billetter\n15.03.2024;Avdeling Nord;10\n")
    # 2025's growth compares with 2024: a file for 2024 changes it.
    changed = figures_changed_at(item, [museum], datetime.date(2025, 1, 1),
                                 datetime.date(2026, 1, 1))  # fmt: skip
    assert changed == Batch.objects.get().created_at


# --- what the review found ----------------------------------------------------------------


def test_a_csv_column_empty_in_its_first_hundred_rows_is_still_written():
    rows = [["a", None]] * 150 + [["b", "mål-1"]]
    text = rows_csv(["Nivå", "Mål"], rows).decode("utf-8-sig").splitlines()
    assert (len(text), text[-1]) == (152, "b;mål-1")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"slug": "s" * 70, "other_measures": [{"slug": "m" * 9, "name": "M"}]},
            "shorten this slug to 8 characters or fewer",
        ),
        (
            {"calendar": "school_year", "other_measures": [{"slug": "m", "name": "M", "metric": {
                "dataset": "billettsalg", "aggregate": "count", "period": "year"}}]},
            "The metric counts by “year” but the indicator's calendar is “school_year”",
        ),
    ],
)  # fmt: skip
def test_a_measure_fits_its_indicator(change, message):
    data = minimal_plan(start_year=2024)
    data["datasets"] = [{"slug": "billettsalg", "name": "Billetter", "organisation": "nord",
                         "date_column": "dato",
                         "columns": [{"name": "dato", "role": "date"}]}]  # fmt: skip
    data["focus_areas"][0]["indicators"][0].update(change)
    with translation.override("en"), pytest.raises(PlanFileInvalid) as refused:
        parse_plan_file(dump(data).encode())
    assert message in str(refused.value)


def test_a_formula_counts_in_its_inputs_calendar():
    data = minimal_plan(start_year=2024)
    data["focus_areas"][0]["indicators"] += [
        {"slug": "elever", "name": "Elever", "calendar": "school_year"},
        {"slug": "vekst", "name": "Vekst", "unit": "percent", "formula": {"growth": "elever"}},
    ]
    with translation.override("en"), pytest.raises(PlanFileInvalid) as refused:
        parse_plan_file(dump(data).encode())
    assert "“elever” counts by “school_year” and this indicator by “year”" in str(refused.value)
    data["focus_areas"][0]["indicators"][-1]["calendar"] = "school_year"
    assert parse_plan_file(dump(data).encode()).slug == "testplan"


def test_a_snapshot_takes_no_figure_for_another_month():
    version = make_plan({"slug": "elever", "name": "Elever", "calendar": "snapshot"})
    nord = Organisation.objects.get(slug="nord")
    with translation.override("en"), pytest.raises(ObservationRefused) as refused:
        observation_save(plan=version.plan, indicator_slug="elever", organisation=nord,
                         year=2025, month=3, text="120")  # fmt: skip
    assert "counted on one day a year (counted on 1 October)" in str(refused)
    observation_save(plan=version.plan, indicator_slug="elever", organisation=nord, year=2025,
                     month=10, text="120")  # fmt: skip


def test_targets_on_another_measure_give_the_indicator_its_verdict():
    version = make_plan(events_with_sold_tickets())
    with pytest.raises(AssessmentRefused):
        assessment_write(plan=version.plan, subject="indicator", slug="arrangementer",
                         year=2024, verdict="met", text="Godt år.", public=False)  # fmt: skip


def test_a_file_withdrawn_before_files_kept_their_months_counts_for_every_year():
    version = make_plan(indicator("billetter", [], dataset="billettsalg", aggregate="sum",
                                  column="billetter"))  # fmt: skip
    item = version.indicators.get(slug="billetter")
    museum = Organisation.objects.get(slug="testmuseet")
    load("billettsalg", "Dato;Sted;Billetter\n15.03.2025;Avdeling Nord;20\n")
    batch = Batch.objects.get()
    batch_withdraw(batch=batch)
    batch.refresh_from_db()
    Batch.objects.filter(pk=batch.pk).update(report={})  # as older files were recorded
    changed = figures_changed_at(item, [museum], datetime.date(2024, 1, 1),
                                 datetime.date(2025, 1, 1))  # fmt: skip
    assert changed == batch.withdrawn_at
