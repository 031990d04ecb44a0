"""The plan page is computed once and kept until figures change: an import, a withdrawal, a
typed-in figure or a register row shows on the next request."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maalbilde.data.imports import batch_import, batch_withdraw
from maalbilde.data.models import Dataset
from maalbilde.organisations.models import Organisation
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.observations import observation_save
from maalbilde.plans.services import plan_import
from tests.conftest import dump, plan_with_data

pytestmark = pytest.mark.django_db
URL = "/plans/testplan/"


def verdicts(client) -> list[str]:
    """The verdict of every target on the page, in order."""
    page = client.get(URL).content.decode()
    return re.findall(r'class="status"><span class="verdict verdict-(\w+)"', page)


def test_the_plan_page_is_kept_until_figures_change(client):
    plan = plan_import(document=parse_plan_file(dump(plan_with_data()).encode())).plan
    client.force_login(User.objects.create_superuser("admin", password="x"))
    # Nord 300 a year, Sør 275 in 2026 (typed in), the museum 1 000 visits a year (imported).
    before = verdicts(client)
    with CaptureQueriesContext(connection) as queries:
        assert verdicts(client) == before
    assert not [q for q in queries if "plans_target" in q["sql"]], "served from the cache"

    year = datetime.date.today().year
    batch = batch_import(
        dataset=Dataset.objects.get(slug="besok"),
        raw=f"Dato;Avdeling;Antall;Kapasitet;Billettype\n02.01.{year};nord;1 200;;\n".encode(),
        file_name="besok.csv",
        organisation=Organisation.objects.get(slug="testmuseet"),
    ).batch
    after_import = verdicts(client)
    assert after_import != before and "met" in after_import
    batch_withdraw(batch=batch)
    assert verdicts(client) == before
    nord = Organisation.objects.get(slug="nord")
    observation_save(plan=plan, indicator_slug="skolebesok", organisation=nord, year=year,
                     text="300")  # fmt: skip
    assert verdicts(client).count("met") == before.count("met") + 1


def test_a_target_changed_elsewhere_shows_at_once(client):
    """The admin and other writers change targets and organisations by saving them: the
    cached page follows."""
    from maalbilde.plans.models import Target

    plan_import(document=parse_plan_file(dump(plan_with_data()).encode()))
    client.force_login(User.objects.create_superuser("admin", password="x"))
    assert "minst 300" in client.get(URL).content.decode()
    target = Target.objects.get(organisation__slug="nord", indicator__slug="skolebesok")
    target.value = 350
    target.save()
    assert "minst 350" in client.get(URL).content.decode()


def test_the_indicator_page_is_kept_until_figures_change_and_per_reach(client):
    """The indicator page's figures (targets, charts, typed-in figures, files, history) are
    kept like the plan page's: a new figure shows at once, and a person who sees one site
    gets that site's figures, not those kept for someone who sees both."""
    from maalbilde.organisations.models import Membership, Role

    plan = plan_import(document=parse_plan_file(dump(plan_with_data()).encode())).plan
    client.force_login(User.objects.create_superuser("admin", password="x"))
    url = "/plans/testplan/indicators/skolebesok/"

    def without_token(page: bytes) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page.decode())

    first = without_token(client.get(url).content)
    with CaptureQueriesContext(connection) as queries:
        assert without_token(client.get(url).content) == first
    assert not [q for q in queries if "plans_target" in q["sql"]], "served from the cache"
    nord = Organisation.objects.get(slug="nord")
    observation_save(plan=plan, indicator_slug="skolebesok", organisation=nord, year=2026,
                     text="123", comment="Telt i desember")  # fmt: skip
    page = client.get(url).content.decode()
    assert "Telt i desember" in page and "Avdeling Nord" in page and "Avdeling Sør" in page
    sor_only = User.objects.create_user("siri")
    Membership.objects.create(user=sor_only, role=Role.VIEWER,
                              organisation=Organisation.objects.get(slug="sor"))  # fmt: skip
    client.force_login(sor_only)
    page = client.get(url).content.decode()
    assert "Telt i desember" not in page and "Avdeling Nord" not in page
