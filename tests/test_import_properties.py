"""Properties of imports: parts add up to the whole, and a withdrawal undoes its import."""

import datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from maalbilde.data.imports import ImportRejected, batch_import, batch_withdraw
from maalbilde.data.models import Batch, Dataset
from maalbilde.organisations.models import Organisation
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.models import Plan
from maalbilde.plans.services import plan_import
from maalbilde.plans.status import plan_status
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 30)

rows = st.lists(
    st.tuples(
        st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)),
        st.sampled_from(["nord", "sor", "Avdeling Nord"]),
        st.integers(0, 5000),
        st.integers(1, 9000),
        st.sampled_from(["Voksen", "Barn", "Skole"]),
    ),
    min_size=1,
    max_size=40,
)
HYPOTHESIS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def setup():
    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    return Dataset.objects.get(slug="besok"), Organisation.objects.get(slug="testmuseet")


def csv(part, delimiter=";") -> bytes:
    lines = [delimiter.join(["Dato", "Avdeling", "Antall", "Kapasitet", "Billettype"])]
    lines += [
        delimiter.join([f"{d:%d.%m.%Y}", org, f"{n:_}".replace("_", "\u00a0"), str(cap), kind])
        for d, org, n, cap, kind in part
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def status() -> list:
    version = Plan.objects.get(slug="testplan").current_version
    return [s.as_dict() for y in (2025, 2026) for s in plan_status(version, year=y, today=TODAY)]


def withdraw_all() -> None:
    for batch in Batch.objects.active():
        batch_withdraw(batch=batch)


@HYPOTHESIS
@given(data=rows, cut=st.integers(0, 40))
def test_importing_in_two_parts_gives_the_same_status_as_whole(setup, data, cut):
    dataset, museum = setup
    cut = min(cut, len(data))
    batch_import(dataset=dataset, raw=csv(data), file_name="hel.csv", organisation=museum)
    whole = status()
    withdraw_all()
    for part, delimiter in ((data[:cut], ";"), (data[cut:], "\t")):
        if part:
            try:
                batch_import(dataset=dataset, raw=csv(part, delimiter), file_name="del.csv",
                             organisation=museum)  # fmt: skip
            except ImportRejected:
                # Two parts with exactly the same figures look like one file twice, and the
                # second is refused; such a split says nothing about adding up.
                withdraw_all()
                assume(False)
    assert status() == whole
    withdraw_all()


@HYPOTHESIS
@given(base=rows, extra=rows)
def test_withdrawing_a_batch_restores_the_status(setup, base, extra):
    dataset, museum = setup
    batch_import(dataset=dataset, raw=csv(base), file_name="a.csv", organisation=museum)
    before = status()
    try:
        added = batch_import(dataset=dataset, raw=csv(extra, "\t"), file_name="b.csv",
                             organisation=museum)  # fmt: skip
    except ImportRejected:
        withdraw_all()
        assume(False)  # the same figures as the base: refused, nothing to withdraw
    batch_withdraw(batch=added.batch)
    assert status() == before
    withdraw_all()
