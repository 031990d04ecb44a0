"""A metric split into quarters or months."""

import pytest

from maalbilde.data.imports import batch_import
from maalbilde.data.models import Dataset
from maalbilde.organisations.models import Organisation
from maalbilde.plans.engine import Engine
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db


def test_quarters_and_months(tmp_path):
    version = plan_import(document=parse_plan_file(dump(plan_with_data()).encode())).version
    museum = Organisation.objects.get(slug="testmuseet")
    rows = [
        "15.01.2026;nord;10;;x",  # Q1, January
        "20.03.2026;sor;5;;x",  # Q1, March
        "01.04.2026;nord;7;;x",  # Q2, April
        "31.12.2026;nord;1;;x",  # Q4, December
    ]
    text = "Dato;Avdeling;Antall;Kapasitet;Billettype\n" + "\n".join(rows) + "\n"
    batch_import(dataset=Dataset.objects.get(slug="besok"), raw=text.encode(),
                 file_name="f.csv", organisation=museum)  # fmt: skip
    engine = Engine.for_version(version)
    root = museum.pk
    # Q1: 10 + 5 = 15; Q2: 7; Q4: 1 (no Q3 at all)
    assert engine.series("besokstall", [museum], 2026, 2026, "quarter") == {
        (root, 2026, 1): 15.0,
        (root, 2026, 2): 7.0,
        (root, 2026, 4): 1.0,
    }
    assert engine.series("besokstall", [museum], 2026, 2026, "month") == {
        (root, 2026, 1): 10.0,
        (root, 2026, 3): 5.0,
        (root, 2026, 4): 7.0,
        (root, 2026, 12): 1.0,
    }
    assert engine.values("besokstall", [museum], 2026, 2026) == {(root, 2026): 23.0}
