"""Every kind of broken plan file gets a clear message, and nothing is stored."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from maalbilde.data.models import Dataset
from maalbilde.organisations.models import Organisation
from maalbilde.plans.export import plan_export_yaml
from maalbilde.plans.files import PlanFileInvalid, read_plan_file
from maalbilde.plans.models import Plan, PlanVersion, Target
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def problems_of(path) -> list:
    with pytest.raises(PlanFileInvalid) as raised:
        read_plan_file(path)
    return raised.value.problems


@pytest.fixture(autouse=True)
def stored_before(write_plan):
    """Another plan is already stored; a refused file must leave it exactly as it was."""
    other = minimal_plan(slug="annen-plan", owner="annet-museum")
    other["organisations"] = [{"slug": "annet-museum", "name": "Annet museum"}]
    other["focus_areas"][0]["indicators"][0]["targets"] = [
        {"organisation": "annet-museum", "value": 10, "year": 2026}
    ]
    plan_import(document=read_plan_file(write_plan(other, "other.yaml")))
    return database_snapshot()


def database_snapshot() -> dict:
    return {
        "plans": list(Plan.objects.values_list("slug", "current_version__number")),
        "versions": PlanVersion.objects.count(),
        "organisations": list(Organisation.objects.values_list("slug", "name", "path")),
        "datasets": list(Dataset.objects.values_list("slug", "name")),
        "targets": list(Target.objects.values_list("organisation__slug", "value")),
        "export": plan_export_yaml(Plan.objects.get(slug="annen-plan").current_version),
    }


def assert_import_refused(path, capsys) -> str:
    """Import through the command; it must fail and leave the database as it was."""
    before = database_snapshot()
    with pytest.raises(CommandError) as raised:
        call_command("plan", "import", str(path))
    assert raised.value.returncode == 1
    assert "Nothing was stored" in str(raised.value)
    assert database_snapshot() == before
    return capsys.readouterr().err


def test_yaml_syntax_error_names_line_and_column(write_plan, capsys):
    text = dump(minimal_plan()).replace("  state: adopted\n", "  state: adopted\n\tvision: x\n")
    path = write_plan(text)
    [problem] = problems_of(path)
    assert problem.message.startswith("The file is not valid YAML: found character '\\t'")
    assert (problem.line, problem.column) == (text.splitlines().index("\tvision: x") + 1, 1)
    assert_import_refused(path, capsys)


def test_empty_file(write_plan, capsys):
    path = write_plan("  \n\n")
    [problem] = problems_of(path)
    assert problem.message == "The file is empty."
    assert "The file is empty." in assert_import_refused(path, capsys)


def test_file_of_only_comments_is_empty(write_plan):
    [problem] = problems_of(write_plan("# bare en kommentar\n"))
    assert problem.message == "The file is empty."


def test_wrong_encoding_points_at_the_byte(write_plan, capsys):
    text = dump(minimal_plan())
    # "Sør" written as UTF-8 "Sø" followed by a Windows-1252 "ø" (0xF8): the column counts
    # characters, so the bad byte stands right after "Avdeling Sø".
    raw = text.encode("utf-8").replace("Avdeling Sør".encode(), "Avdeling Sø".encode() + b"\xf8r")
    path = write_plan(raw)
    [problem] = problems_of(path)
    assert "not UTF-8" in problem.message and "0xF8" in problem.message
    expected_line = text.splitlines().index("  name: Avdeling Sør") + 1
    assert (problem.line, problem.column) == (expected_line, len("  name: Avdeling Sø") + 1)
    assert_import_refused(path, capsys)


def test_unknown_key_suggests_the_close_one(write_plan, capsys):
    data = minimal_plan()
    data["focus_areas"][0]["goals"][0]["titel"] = data["focus_areas"][0]["goals"][0].pop("title")
    path = write_plan(data)
    found = {p.path: p.message for p in problems_of(path)}
    assert found["focus_areas[0].goals[0].titel"] == ("Unknown key “titel”. Did you mean “title”?")
    assert found["focus_areas[0].goals[0].title"] == "The required key “title” is missing."
    err = assert_import_refused(path, capsys)
    assert "focus_areas[0].goals[0].titel: Unknown key" in err


def test_unknown_key_position_is_the_key_itself(write_plan):
    text = dump(minimal_plan()).replace("  state: adopted\n", "  state: adopted\n  visjon: x\n")
    [problem] = problems_of(write_plan(text))
    assert problem.path == "plan.visjon"
    assert problem.line == text.splitlines().index("  visjon: x") + 1
    assert problem.column == 3


def test_wrong_type(write_plan, capsys):
    data = minimal_plan()
    data["focus_areas"][0]["indicators"][0]["targets"][0]["value"] = "tre hundre"
    path = write_plan(data)
    [problem] = problems_of(path)
    assert problem.path == "focus_areas[0].indicators[0].targets[0].value"
    assert problem.message == "Expected a number here, found text."
    assert_import_refused(path, capsys)


def test_missing_required_field(write_plan, capsys):
    data = minimal_plan()
    del data["plan"]["owner"]
    path = write_plan(data)
    [problem] = problems_of(path)
    assert (problem.path, problem.message) == ("plan.owner", "The required key “owner” is missing.")
    assert_import_refused(path, capsys)


def test_duplicate_slug(write_plan, capsys):
    data = minimal_plan()
    area = data["focus_areas"][0]
    area["goals"].append({"slug": "flere-skolebesok", "title": "Et annet mål"})
    path = write_plan(data)
    problems = problems_of(path)
    assert {p.path for p in problems} == {
        "focus_areas[0].goals[0].slug",
        "focus_areas[0].goals[1].slug",
    }
    assert all("“flere-skolebesok” is used by more than one goal" in p.message for p in problems)
    assert_import_refused(path, capsys)


def test_target_for_organisation_outside_the_plans_tree(write_plan, capsys):
    data = minimal_plan()
    data["organisations"].append({"slug": "naboen", "name": "Nabomuseet"})
    data["focus_areas"][0]["indicators"][0]["targets"][0]["organisation"] = "naboen"
    path = write_plan(data)
    [problem] = problems_of(path)
    assert problem.path == "focus_areas[0].indicators[0].targets[0].organisation"
    assert "“naboen” is not the plan's owner “testmuseet” or an organisation below it" in (
        problem.message
    )
    assert_import_refused(path, capsys)


def test_target_year_outside_the_plans_years(write_plan, capsys):
    data = minimal_plan()
    data["focus_areas"][0]["indicators"][0]["targets"][1]["year"] = 2031
    path = write_plan(data)
    [problem] = problems_of(path)
    assert problem.path == "focus_areas[0].indicators[0].targets[1].year"
    assert problem.message == "The year 2031 is outside the plan's years 2025–2028."
    assert_import_refused(path, capsys)


def test_cycle_in_the_organisation_tree(write_plan, capsys):
    data = minimal_plan()
    data["organisations"][0]["parent"] = "nord"
    path = write_plan(data)
    problems = problems_of(path)
    assert {p.path for p in problems} == {"organisations[0].parent", "organisations[1].parent"}
    assert all("the parents form a cycle" in p.message for p in problems)
    assert_import_refused(path, capsys)


def test_file_over_the_size_limit(write_plan, settings, capsys):
    settings.PLAN_FILE_MAX_BYTES = 2000
    path = write_plan(dump(minimal_plan()) + "#" * 2000 + "\n")
    [problem] = problems_of(path)
    assert problem.message.startswith("The file is ") and "at most 2000 bytes" in problem.message
    assert_import_refused(path, capsys)


def test_every_problem_is_reported_at_once(write_plan):
    data = minimal_plan()
    data["plan"]["state"] = "vedtatt"
    data["organisations"][1]["slug"] = "Avdeling Nord"
    data["focus_areas"][0]["indicators"][0]["unit"] = "antall"
    problems = problems_of(write_plan(data))
    # In the order they stand in the file, the schema's problems and the references' alike.
    assert [p.path for p in problems] == [
        "organisations[1].slug",
        "plan.state",
        "focus_areas[0].indicators[0].unit",
        "focus_areas[0].indicators[0].targets[0].organisation",
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert "not a valid slug" in problems[0].message
    assert problems[1].message == "“vedtatt” is not allowed here; choose one of “draft”, “adopted”."
    assert problems[2].message.startswith("“antall” is not allowed here")
    assert "“nord” is not the plan's owner" in problems[3].message


def test_duplicate_key_in_a_mapping(write_plan):
    text = dump(minimal_plan()).replace("  state: adopted\n", "  state: adopted\n  state: draft\n")
    [problem] = problems_of(write_plan(text))
    assert problem.path == "plan.state"
    assert problem.message == "The key “state” appears twice here; keep one."


def test_a_target_needs_exactly_one_period(write_plan):
    data = minimal_plan()
    data["focus_areas"][0]["indicators"][0]["targets"][0]["year"] = 2026
    [problem] = problems_of(write_plan(data))
    assert problem.path == "focus_areas[0].indicators[0].targets[0]"
    assert "exactly one of “year”, “each_year”, “deadline” or “by”" in problem.message


def test_validate_command_prints_file_line_and_path(write_plan, capsys):
    data = minimal_plan()
    data["plan"]["start_year"] = "2025"
    path = write_plan(data)
    with pytest.raises(CommandError):
        call_command("plan", "validate", str(path))
    err = capsys.readouterr().err
    line = dump(data).splitlines().index("  start_year: '2025'") + 1
    assert f"{path}:{line}:15: plan.start_year: Expected a whole number here, found text." in err


@pytest.mark.parametrize(
    ("target", "path", "message"),
    [
        ({"kind": "level_by", "each_year": True}, "targets[0].kind",
         "A target of the kind “level_by” is set with “by”, not “each_year”."),
        ({"kind": "total", "by": 2028}, "targets[0].kind",
         "A target of the kind “total” is set with “deadline”, not “by”."),
        ({"kind": "floor", "comparator": "at_most", "each_year": True}, "targets[0].comparator",
         "A target of the kind “floor” compares “at_least”, not “at_most”."),
        ({"kind": "change_by", "by": 2028}, "targets[0]",
         "A change by a deadline needs a “baseline”: the year the change is measured from."),
        ({"each_year": True, "baseline": {"year": 2024}}, "targets[0].baseline",
         "The baseline needs a “value” here; only a level or a change by a deadline can take "
         "it from the figures."),
        ({"by": 2026, "baseline": {"year": 2026}}, "targets[0].baseline.year",
         "The baseline year must come before the deadline 2026."),
        ({"by": 2030}, "targets[0].by", "The year 2030 is outside the plan's years 2025–2028."),
        ({"by": 2027, "to": 2027}, "targets[0].to",
         "“to” is only used together with “each_year”."),
    ],
)  # fmt: skip
def test_a_targets_kind_and_keys_must_agree(write_plan, target, path, message):
    data = minimal_plan()
    data["focus_areas"][0]["indicators"][0]["targets"] = [
        {"organisation": "testmuseet", "value": 300, **target}
    ]
    [problem] = problems_of(write_plan(data))
    assert problem.path == f"focus_areas[0].indicators[0].{path}"
    assert problem.message == message
    assert problem.line > 0


def test_targets_on_a_path_export_as_they_were_written(write_plan):
    data = minimal_plan()
    data["focus_areas"][0]["indicators"][0]["targets"] = [
        {"organisation": "testmuseet", "value": 400, "by": 2028,
         "baseline": {"year": 2024, "value": 250}},
        {"organisation": "testmuseet", "kind": "change_by", "value": -10, "by": 2028,
         "baseline": {"year": 2025}},
    ]  # fmt: skip
    version = plan_import(document=read_plan_file(write_plan(data))).version
    stored = list(Target.objects.filter(indicator__version=version).order_by("position"))
    assert [(t.kind, t.comparator, t.first_year, t.last_year) for t in stored] == [
        ("level_by", "at_least", 2025, 2028),
        ("change_by", "at_most", 2025, 2028),
    ]
    again = plan_import(document=read_plan_file(write_plan(plan_export_yaml(version), "ut.yaml")))
    assert again.outcome == "unchanged"
