"""Importing plan files: stored whole, once, with new versions for changed content."""

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import translation

from maalbilde.organisations.models import AuditEntry, Organisation
from maalbilde.plans import services
from maalbilde.plans.export import plan_document, plan_export_yaml
from maalbilde.plans.files import parse_plan_file, read_plan_file
from maalbilde.plans.models import Goal, Indicator, Initiative, Plan, PlanVersion, Target
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db


def test_import_stores_the_whole_plan(write_plan):
    result = plan_import(document=read_plan_file(write_plan(minimal_plan())))
    assert result.outcome == "created"
    version = result.version
    assert (version.number, version.title, version.start_year, version.end_year) == (
        1,
        "Strategiplan for Testmuseet",
        2025,
        2028,
    )
    assert result.plan.owner.slug == "testmuseet"
    indicator = Indicator.objects.get(version=version, slug="skolebesok")
    assert [g.slug for g in indicator.measures.all()] == ["flere-skolebesok"]
    every_year, one_year = Target.objects.filter(indicator=indicator).order_by("position")
    # each_year without from/to spans the plan's years; year: 2026 is that year alone.
    assert (
        every_year.organisation.slug,
        every_year.period,
        every_year.first_year,
        every_year.last_year,
        every_year.value,
    ) == ("nord", "each_year", 2025, 2028, 300)
    assert (
        one_year.organisation.slug,
        one_year.period,
        one_year.first_year,
        one_year.last_year,
        one_year.value,
    ) == ("sor", "year", 2026, 2026, 275)
    milestone = Initiative.objects.get(version=version)
    assert (milestone.kind, str(milestone.due), milestone.status) == (
        "milestone",
        "2027-06-30",
        "planned",
    )


def test_organisation_tree_paths(write_plan):
    plan_import(document=read_plan_file(write_plan(minimal_plan())))
    museum = Organisation.objects.get(slug="testmuseet")
    assert Organisation.objects.get(slug="nord").path == "/testmuseet/nord/"
    assert sorted(Organisation.objects.subtree(museum).values_list("slug", flat=True)) == [
        "nord",
        "sor",
        "testmuseet",
    ]


def test_same_file_twice_leaves_one_plan(write_plan):
    path = write_plan(minimal_plan())
    call_command("plan", "import", str(path))
    call_command("plan", "import", str(path))
    assert Plan.objects.count() == 1
    assert PlanVersion.objects.count() == 1
    assert Goal.objects.count() == 1
    assert Target.objects.count() == 2


def test_changed_file_makes_a_new_version_and_keeps_the_old(write_plan):
    first = plan_import(document=read_plan_file(write_plan(minimal_plan())))
    changed = minimal_plan(title="Strategiplan for Testmuseet, revidert")
    changed["focus_areas"][0]["indicators"][0]["targets"][0]["value"] = 320
    second = plan_import(document=read_plan_file(write_plan(changed, "revidert.yaml")))
    assert (second.outcome, second.version.number) == ("new_version", 2)
    assert Plan.objects.get().current_version == second.version
    old = PlanVersion.objects.get(pk=first.version.pk)
    assert old.title == "Strategiplan for Testmuseet"
    old_target = Target.objects.get(indicator__version=old, organisation__slug="nord")
    new_target = Target.objects.get(indicator__version=second.version, organisation__slug="nord")
    assert (old_target.value, new_target.value) == (300, 320)


def test_same_content_written_differently_is_unchanged(write_plan):
    """Defaults spelled out, or left out, are the same plan."""
    plan_import(document=read_plan_file(write_plan(minimal_plan())))
    explicit = minimal_plan()
    explicit["focus_areas"][0]["indicators"][0]["over_time"] = "sum"
    explicit["focus_areas"][0]["indicators"][0]["targets"][0].update({"from": 2025, "to": 2028})
    result = plan_import(document=read_plan_file(write_plan(explicit, "explicit.yaml")))
    assert result.outcome == "unchanged"


def test_import_is_atomic_when_storing_fails(write_plan, monkeypatch, capsys):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_version_create", fail)
    with pytest.raises(RuntimeError):
        plan_import(document=read_plan_file(write_plan(minimal_plan())))
    assert Organisation.objects.count() == 0
    assert Plan.objects.count() == 0


def test_one_bad_file_among_several_stores_none(write_plan, capsys):
    good = write_plan(minimal_plan(), "good.yaml")
    bad = write_plan("plan: [", "bad.yaml")
    with pytest.raises(CommandError):
        call_command("plan", "import", str(good), str(bad))
    assert Plan.objects.count() == 0


def test_moving_an_organisation_moves_its_path(write_plan):
    plan_import(document=read_plan_file(write_plan(minimal_plan())))
    moved = minimal_plan()
    moved["organisations"][1]["parent"] = "sor"
    moved["organisations"].append(
        {"slug": "nord-filial", "name": "Filial", "kind": "site", "parent": "nord"}
    )
    plan_import(document=read_plan_file(write_plan(moved, "moved.yaml")))
    assert Organisation.objects.get(slug="nord").path == "/testmuseet/sor/nord/"
    assert Organisation.objects.get(slug="nord-filial").path == "/testmuseet/sor/nord/nord-filial/"


def test_a_file_may_not_move_an_organisation_out_of_another_plans_reach(write_plan):
    plan_import(document=read_plan_file(write_plan(minimal_plan())))
    other = minimal_plan(slug="regionplan", owner="region")
    other["organisations"] = [
        {"slug": "region", "name": "Regionen"},
        {"slug": "nord", "name": "Avdeling Nord", "kind": "site", "parent": "region"},
    ]
    other["focus_areas"][0]["indicators"][0]["targets"] = [
        {"organisation": "nord", "value": 5, "year": 2026}
    ]
    with translation.override("en"), pytest.raises(services.PlanImportRefused) as refused:
        plan_import(document=read_plan_file(write_plan(other, "region.yaml")))
    assert str(refused.value) == (
        "Plan “testplan” sets “nord” targets or tasks, and after this change to the tree that "
        "organisation would no longer be below “testmuseet”."
    )
    assert Organisation.objects.get(slug="nord").path == "/testmuseet/nord/"
    assert not Organisation.objects.filter(slug="region").exists()


def test_a_file_may_move_an_organisation_no_other_plan_depends_on(write_plan):
    plan_import(document=read_plan_file(write_plan(minimal_plan())))
    other = minimal_plan(slug="regionplan", owner="region")
    other["organisations"] = [
        {"slug": "testmuseet", "name": "Testmuseet", "parent": "region"},
        {"slug": "region", "name": "Regionen"},
    ]
    other["focus_areas"][0]["indicators"][0]["targets"] = []
    result = plan_import(document=read_plan_file(write_plan(other, "region.yaml")))
    assert result.outcome == "created"
    assert Organisation.objects.get(slug="nord").path == "/region/testmuseet/nord/"


def test_old_versions_export_as_they_were_after_organisations_change(write_plan):
    first = plan_import(document=read_plan_file(write_plan(minimal_plan())))
    renamed = minimal_plan(title="Ny tittel")
    renamed["organisations"][1]["name"] = "Avdeling Nord (nytt navn)"
    plan_import(document=read_plan_file(write_plan(renamed, "v2.yaml")))
    old_export = plan_export_yaml(PlanVersion.objects.get(pk=first.version.pk))
    assert "name: Avdeling Nord\n" in old_export and "nytt navn" not in old_export
    assert parse_plan_file(old_export.encode()).checksum == first.version.checksum


def test_several_files_are_stored_together_or_not_at_all(write_plan, monkeypatch):
    first = write_plan(minimal_plan(), "first.yaml")
    second = write_plan(minimal_plan(slug="andre-plan"), "second.yaml")
    real_version_create = services._version_create

    def fail_on_second(plan, *args, **kwargs):
        if plan.slug == "andre-plan":
            raise RuntimeError("the database went away")
        return real_version_create(plan, *args, **kwargs)

    monkeypatch.setattr(services, "_version_create", fail_on_second)
    with pytest.raises(RuntimeError):
        call_command("plan", "import", str(first), str(second))
    assert Plan.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_unchanged_import_does_not_touch_organisations(write_plan):
    path = write_plan(minimal_plan())
    plan_import(document=read_plan_file(path))
    Organisation.objects.filter(slug="nord").update(name="Endret i admin")
    assert plan_import(document=read_plan_file(path)).outcome == "unchanged"
    assert Organisation.objects.get(slug="nord").name == "Endret i admin"


def test_target_changes_are_audited(write_plan):
    plan_import(document=read_plan_file(write_plan(minimal_plan())))
    changed = minimal_plan()
    changed["focus_areas"][0]["indicators"][0]["targets"][0]["value"] = 320
    plan_import(document=read_plan_file(write_plan(changed, "v2.yaml")))
    entry = AuditEntry.objects.filter(action="targets").latest("pk")
    assert entry.subject == "testplan v2"
    nord = {"indicator": "skolebesok", "organisation": "nord", "kind": "floor",
            "comparator": "at_least", "period": "each_year", "from": 2025, "to": 2028,
            "baseline_year": None, "baseline_value": None}  # fmt: skip
    assert entry.before == [{**nord, "value": 300.0}]
    assert entry.after == [{**nord, "value": 320.0}]


def test_a_versions_document_is_read_once_and_each_caller_changes_its_own_copy(
    django_assert_num_queries,
):
    version = plan_import(document=parse_plan_file(dump(minimal_plan()).encode())).version
    cache.clear()
    first = plan_document(version)
    first["plan"]["title"] = "Endret av en som redigerer"
    with django_assert_num_queries(0):
        again = plan_document(version)
    assert again["plan"]["title"] == "Strategiplan for Testmuseet"
    # An edit makes a new version, with a document of its own.
    changed = minimal_plan()
    changed["plan"]["title"] = "Ny tittel"
    newer = plan_import(document=parse_plan_file(dump(changed).encode())).version
    assert plan_document(newer)["plan"]["title"] == "Ny tittel"
    assert plan_document(version)["plan"]["title"] == "Strategiplan for Testmuseet"
