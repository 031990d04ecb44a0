"""The demo data: every verdict shows, a second run changes nothing, a later day replaces
only what changed."""

import datetime

import pytest
from django.core.management import call_command

from maalbilde.data.demo import demo_load
from maalbilde.data.models import Batch, Fact
from maalbilde.data.status import plan_status
from maalbilde.plans.models import Plan
from tests.conftest import SHIPPED_PLANS

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def plans(capsys):
    call_command("plan", "import", *map(str, SHIPPED_PLANS))
    capsys.readouterr()


def test_every_verdict_shows_in_ringve_rockheim(plans, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    demo_load(today=TODAY)
    version = Plan.objects.get(slug="ringve-rockheim").current_version
    verdicts = {s.verdict for s in plan_status(version, year=2026, today=TODAY)}
    assert verdicts == {"met", "on_track", "at_risk", "behind", "no_data"}
    # Last year is published, so the public page has something to show.
    assert Plan.objects.get(slug="ringve-rockheim").publications.get().year == 2025
    # The files are kept for people to open, and are labelled demo.
    assert (tmp_path / "demo" / "demo-rr-billettsalg-2026.csv").exists()
    files = Batch.objects.filter(dataset__register=False)
    assert set(files.values_list("file_name", flat=True)) == {
        path.name for path in (tmp_path / "demo").iterdir()
    }


def test_a_second_run_changes_nothing(plans, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = demo_load(today=TODAY)
    facts = Fact.objects.count()
    second = demo_load(today=TODAY)
    assert (first.imported, second.imported, second.unchanged) == (40, 0, 40)
    assert Fact.objects.count() == facts


def test_a_later_day_replaces_only_this_years_files(plans, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    demo_load(today=TODAY)
    later = demo_load(today=TODAY + datetime.timedelta(days=7))
    # Seven datasets have a 2026 file whose rows grew in those days; own revenue is booked
    # per month and November is not closed yet, so that file and all earlier years stay.
    assert (later.replaced, later.unchanged) == (7, 33)
    assert Batch.objects.active().filter(dataset__register=False).count() == 40
    withdrawn = Batch.objects.filter(withdrawn_at__isnull=False)
    assert withdrawn.count() == 7
    assert all("-2026." in name for name in withdrawn.values_list("file_name", flat=True))
    assert not withdrawn.filter(file_name="demo-rr-inntekter-2026.xlsx").exists()
