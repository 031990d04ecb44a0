"""Malformed files never crash the reader: each ends in a located, plain-language problem."""

import pytest
from django.utils import translation

from maalbilde.plans.files import PlanFileInvalid, parse_plan_file
from tests.conftest import dump, minimal_plan


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def problems(text: str) -> dict[str, str]:
    with pytest.raises(PlanFileInvalid) as raised:
        parse_plan_file(text.encode("utf-8"))
    return {p.path: p.message for p in raised.value.problems}


def with_change(change) -> str:
    data = minimal_plan()
    change(data)
    return dump(data)


def test_list_where_a_slug_belongs():
    found = problems(with_change(lambda d: d["plan"].update(owner=["testmuseet"])))
    assert found == {"plan.owner": "Expected text here, found a list."}


def test_impossible_date_is_a_problem_not_a_crash():
    text = dump(minimal_plan()).replace("'2027-06-30'", "2027-02-30")
    assert "due: 2027-02-30" in text
    found = problems(text)
    assert found == {
        "focus_areas[0].goals[0].initiatives[0].due": (
            "“2027-02-30” is not a date; write it as YYYY-MM-DD."
        )
    }


def test_aliases_are_refused():
    text = dump(minimal_plan()) + "extra: &x [*x]\n"
    assert problems(text) == {"extra[0]": "Anchors and aliases (&name, *name) are not allowed."}


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for index in range(1, 9):
        previous, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 10) + "]")
    found = problems("\n".join(lines) + "\n")
    assert set(found.values()) == {"Anchors and aliases (&name, *name) are not allowed."}


def test_deep_nesting():
    assert problems("a: " + "[" * 5000 + "]" * 5000 + "\n") == {
        "": "The file is nested deeper than 40 levels."
    }


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_numbers_that_cannot_be_stored(value):
    text = dump(minimal_plan()).replace("value: 300", f"value: {value}")
    found = problems(text)
    assert "focus_areas[0].indicators[0].targets[0].value" in found


def test_huge_target_value():
    found = problems(
        with_change(lambda d: d["focus_areas"][0]["indicators"][0]["targets"][0].update(value=1e17))
    )
    assert found == {
        "focus_areas[0].indicators[0].targets[0].value": (
            "100000000000000000 is too large; the most allowed is 1000000000000000.0."
        )
    }


def test_infinite_attribute():
    text = dump(minimal_plan()).replace(
        "  kind: site\n  parent: testmuseet\n- slug: sor",
        "  kind: site\n  parent: testmuseet\n  attributes: {population: .inf}\n- slug: sor",
    )
    assert problems(text) == {
        "organisations[1].attributes.population": "“inf” is not a number that can be stored."
    }


def test_same_goal_measured_twice():
    found = problems(
        with_change(
            lambda d: d["focus_areas"][0]["indicators"][0].update(
                measures=["flere-skolebesok", "flere-skolebesok"]
            )
        )
    )
    assert found == {
        "focus_areas[0].indicators[0].measures": "The list names the same item more than once."
    }


def test_title_longer_than_can_be_stored():
    found = problems(with_change(lambda d: d["plan"].update(title="x" * 301)))
    assert found == {"plan.title": "This is longer than 300 characters."}


def test_year_written_as_decimal_is_still_checked():
    found = problems(
        with_change(
            lambda d: d["focus_areas"][0]["indicators"][0]["targets"][1].update(year=2031.0)
        )
    )
    assert found == {
        "focus_areas[0].indicators[0].targets[1].year": (
            "The year 2031 is outside the plan's years 2025–2028."
        )
    }


def test_each_year_false_names_the_yaml_spelling():
    found = problems(
        with_change(
            lambda d: d["focus_areas"][0]["indicators"][0]["targets"][0].update(each_year=False)
        )
    )
    assert found["focus_areas[0].indicators[0].targets[0].each_year"] == "This must be “true”."


@pytest.mark.parametrize(
    "text",
    ["- a\n- b\n", "bare tekst\n", "42\n", "\x00\x01\x02binary\n", "---\na: 1\n---\nb: 2\n"],
    ids=["list", "text", "number", "binary", "two-documents"],
)
def test_files_that_are_not_plans(text):
    assert problems(text)


def test_duplicate_slugs_of_every_kind():
    def change(data):
        data["organisations"].append({"slug": "nord", "name": "Nord igjen"})
        area = data["focus_areas"][0]
        area["indicators"].append({"slug": "skolebesok", "name": "Igjen"})
        data["datasets"] = [
            {
                "slug": "d",
                "name": "D",
                "organisation": "nord",
                "date_column": "dato",
                "columns": [{"name": "dato", "role": "date"}],
            },
            {
                "slug": "d",
                "name": "D2",
                "organisation": "nord",
                "date_column": "dato",
                "columns": [{"name": "dato", "role": "date"}, {"name": "dato", "role": "date"}],
            },
        ]

    found = problems(with_change(change))
    assert "used by more than one organisation" in found["organisations[3].slug"]
    assert "used by more than one indicator" in found["focus_areas[0].indicators[1].slug"]
    assert "used by more than one dataset" in found["datasets[1].slug"]
    assert "used by more than one column" in found["datasets[1].columns[1].name"]


def test_bom_and_crlf_are_fine():
    text = dump(minimal_plan()).replace("\n", "\r\n")
    document = parse_plan_file(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert document.slug == "testplan"
