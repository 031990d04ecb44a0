"""The four source plans validate, import, and export back to the same plan."""

import pytest
import yaml
from django.core.management import call_command

from maalbilde.organisations.models import Organisation
from maalbilde.plans.export import plan_export_yaml
from maalbilde.plans.files import parse_plan_file, read_plan_file
from maalbilde.plans.models import Plan, PlanVersion, Target
from maalbilde.plans.services import plan_import
from tests.conftest import SHIPPED_PLANS

pytestmark = pytest.mark.django_db


def shipped(stem: str):
    return next(p for p in SHIPPED_PLANS if p.stem == stem)


def count_items(node, key: str) -> int:
    """List items under `key` anywhere in the document."""
    if isinstance(node, dict):
        return sum(
            (len(value) if name == key and isinstance(value, list) else 0) + count_items(value, key)
            for name, value in node.items()
        )
    if isinstance(node, list):
        return sum(count_items(item, key) for item in node)
    return 0


def test_four_plans_are_shipped():
    assert [p.name for p in SHIPPED_PLANS] == [
        "norsk-teknisk-museum.yaml",
        "norske-kulturhus.yaml",
        "ringve-rockheim.yaml",
        "ungmusikk.yaml",
    ]


@pytest.mark.parametrize("path", SHIPPED_PLANS, ids=lambda p: p.stem)
def test_shipped_plan_round_trips(path):
    document = read_plan_file(path)
    result = plan_import(document=document)
    exported = plan_export_yaml(result.version)
    again = parse_plan_file(exported.encode("utf-8"))
    assert again.data == document.data
    assert plan_import(document=again).outcome == "unchanged"
    assert PlanVersion.objects.filter(plan__slug=document.slug).count() == 1


def test_ringve_rockheim_export_has_every_goal_and_indicator(tmp_path, capsys):
    for path in SHIPPED_PLANS:
        call_command("plan", "import", str(path))
    out = tmp_path / "rr.yaml"
    call_command("plan", "export", "ringve-rockheim", "-o", str(out))
    exported = yaml.safe_load(out.read_text(encoding="utf-8"))
    # 8 focus areas (5+4+4+4+5+5+5+5 goals) and the diversity perspective (4 goals, 5 indicators)
    assert count_items(exported, "goals") == 41
    # and since issue 12 waste and reuse stand beside energy: 37 + 2.
    assert count_items(exported, "indicators") == 39
    assert count_items(exported, "focus_areas") == 9


def test_ringve_rockheim_targets_per_site():
    plan_import(
        document=read_plan_file(next(p for p in SHIPPED_PLANS if p.stem == "ringve-rockheim"))
    )
    version = Plan.objects.get(slug="ringve-rockheim").current_version
    targets = {
        (t.organisation.slug, t.comparator, int(t.value), t.period, t.last_year)
        for t in Target.objects.filter(indicator__version=version).select_related("organisation")
    }
    end = version.end_year
    assert {
        ("rockheim", "at_least", 300, "each_year", end),
        ("ringve", "at_least", 275, "each_year", end),
        ("ringve", "at_least", 65000, "each_year", end),
        ("rockheim", "at_least", 80000, "each_year", end),
        ("nmm", "at_least", 80, "each_year", end),
        ("nmm", "at_least", 1500000, "deadline", 2030),
        ("nmm", "growth_at_least", 5, "each_year", end),
    } <= targets
    milestone = version.initiatives.get(kind="milestone")
    assert milestone.due.year == 2028


def test_ungmusikk_has_all_23_member_schools():
    plan_import(document=read_plan_file(shipped("ungmusikk")))
    version = Plan.objects.get(slug="ungmusikk").current_version
    slugs = [o["slug"] for o in version.organisations]
    schools = Organisation.objects.filter(slug__in=slugs, kind="member")
    assert schools.count() == 23
    assert version.focus_areas.count() >= 10
