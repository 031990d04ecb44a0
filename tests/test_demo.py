"""The demo data: every verdict shows, a second run changes nothing, a later day replaces
only what changed."""

import datetime
import shutil

import pytest

from maalbilde.data.models import Batch, Fact
from maalbilde.demo.load import demo_load
from maalbilde.plans.models import Plan
from maalbilde.plans.status import plan_status
from tests.conftest import DEMO_DAY

pytestmark = pytest.mark.django_db
TODAY = DEMO_DAY


@pytest.fixture
def demo_folder(demo_data, settings, tmp_path):
    """The demo built once for this module, with a copy of its files for this test."""
    shutil.copytree(demo_data, tmp_path, dirs_exist_ok=True)
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_every_verdict_shows_in_ringve_rockheim(demo_folder):
    version = Plan.objects.get(slug="ringve-rockheim").current_version
    verdicts = {s.verdict for s in plan_status(version, year=2026, today=TODAY)}
    assert verdicts == {"met", "on_track", "at_risk", "behind", "no_data"}
    # Last year is published, so the public page has something to show.
    assert Plan.objects.get(slug="ringve-rockheim").publications.get().year == 2025
    # The files are kept for people to open, and are labelled demo.
    assert (demo_folder / "demo" / "demo-rr-billettsalg-2026.csv").exists()
    files = Batch.objects.filter(dataset__register=False)
    assert set(files.values_list("file_name", flat=True)) == {
        path.name for path in (demo_folder / "demo").iterdir()
    }


def test_a_second_run_changes_nothing(demo_folder):
    facts = Fact.objects.count()
    second = demo_load(today=TODAY)
    assert (second.imported, second.unchanged) == (0, 40)
    assert Fact.objects.count() == facts
    assert Batch.objects.active().filter(dataset__register=False).count() == 40


def test_a_later_day_replaces_only_this_years_files(demo_folder):
    later = demo_load(today=TODAY + datetime.timedelta(days=7))
    # Seven datasets have a 2026 file whose rows grew in those days; own revenue is booked
    # per month and November is not closed yet, so that file and all earlier years stay.
    assert (later.replaced, later.unchanged) == (7, 33)
    assert Batch.objects.active().filter(dataset__register=False).count() == 40
    withdrawn = Batch.objects.filter(withdrawn_at__isnull=False)
    assert withdrawn.count() == 7
    assert all("-2026." in name for name in withdrawn.values_list("file_name", flat=True))
    assert not withdrawn.filter(file_name="demo-rr-inntekter-2026.xlsx").exists()
