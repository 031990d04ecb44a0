"""The demo data: every verdict shows, a second run changes nothing, a later day replaces
only what changed."""

import csv
import datetime
import html
import io
import json
import re
import shutil
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.utils import timezone, translation

from maalbilde.data.models import Batch, Fact
from maalbilde.demo.load import demo_load
from maalbilde.networks.models import Round, Value
from maalbilde.networks.workflow import answer_approve
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.models import Plan
from maalbilde.plans.status import VERDICT_WORDS, format_value, plan_status
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
    statuses = plan_status(version, year=2026, today=TODAY)
    verdicts = {s.verdict for s in statuses if s.target_id}
    assert verdicts == {"met", "on_track", "at_risk", "behind", "no_data"}
    # Indicators without a target show their figure, with no verdict: media mentions from
    # the register among them.
    mentions, reach = [s for s in statuses if s.indicator == "nasjonale-medieoppslag"]
    assert (mentions.target, mentions.verdict, mentions.organisation) == (None, None, "nmm")
    assert mentions.actual and mentions.actual > 0
    # ... and their digital reach, the indicator's other measure, from the same register.
    assert (reach.measure, reach.unit, reach.verdict) == ("rekkevidde", "count", None)
    assert reach.actual and reach.actual > mentions.actual
    # Last year is published, so the public page has something to show.
    assert Plan.objects.get(slug="ringve-rockheim").publications.get().year == 2025
    # The files are kept for people to open, and are labelled demo.
    assert (demo_folder / "demo" / "demo-rr-billettsalg-2026.csv").exists()
    from maalbilde.funding.models import LedgerImport

    files = Batch.objects.filter(dataset__register=False)
    ledgers = LedgerImport.objects.values_list("file_name", flat=True)
    assert {*files.values_list("file_name", flat=True), *ledgers} == {
        path.name for path in (demo_folder / "demo").iterdir()
    }


def test_a_second_run_changes_nothing(demo_folder):
    facts = Fact.objects.count()
    second = demo_load(today=TODAY)
    assert (second.imported, second.unchanged) == (0, 40)
    assert second.ledger_rows == 0  # the accounting exports are not imported twice
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


def test_ringves_visitors_are_judged_against_the_path_to_65_000(demo_folder, capsys):
    rows = {}
    for year in (2024, 2025):
        call_command("status", "--plan", "ringve-rockheim", "--year", str(year),
                     "--organisation", "ringve", "--format", "json")  # fmt: skip
        (rows[year],) = [r for r in json.loads(capsys.readouterr().out)
                         if r["indicator"] == "besokstall"]  # fmt: skip
    # The demo's tickets for Ringve in 2023 add up to 51 668: the path climbs
    # (65 000 − 51 668) / 7 = 1 904.57 a year to 2030: 53 572.57 for 2024, 55 477.14 for 2025.
    assert {(r["baseline"], r["baseline_year"], r["target"], r["kind"]) for r in rows.values()} == {
        (51668, 2023, 65000, "level_by")
    }
    assert (rows[2024]["path_value"], rows[2024]["actual"]) == (53572.57, 52598)
    assert (rows[2025]["path_value"], rows[2025]["actual"]) == (55477.14, 51495)
    # Both years are over: judged, not projected.
    assert [(r["verdict"], r["final"]) for r in rows.values()] == [("not_met", True)] * 2


STATUS_ON_A_PAGE = re.compile(
    r'<span class="status"><span class="verdict verdict-(\w+)"><span class="sign"[^>]*>[^<]*'
    r"</span>[^<]*</span>\s*([^<]*)</span>"
)


FIGURE_ALONE = re.compile(r'<p class="figure-alone">([^<]*)</p>')


def statuses_on(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return [(v, html.unescape(r).strip()) for v, r in STATUS_ON_A_PAGE.findall(response.text)]


def test_every_page_gives_a_target_the_same_verdict_and_figure(demo_folder, client):
    """The plan page, the public page, the indicator page and the status command judge each
    target of a year alike: the same verdict and the same words with the same figures."""
    public = Client()
    client.force_login(User.objects.create_superuser("direktor", password="x"))
    version = Plan.objects.get(slug="ringve-rockheim").current_version
    this_year = timezone.localdate().year
    with translation.override("nb"):
        for year in (2025, this_year):
            statuses = plan_status(version, year=year)
            expected = [(s.verdict, s.reason) for s in statuses if s.target_id]
            alone = [s.reason for s in statuses if not s.target_id and s.level == "indicator"]
            pages = [client.get(f"/plans/ringve-rockheim/?year={year}")]
            if year == 2025:  # the published year
                pages.append(public.get(f"/p/ringve-rockheim/?year={year}"))
            for page in pages:
                assert statuses_on(page) == expected
                assert FIGURE_ALONE.findall(page.text) == [html.escape(r) for r in alone]
            # The status as a table to hand on: the same verdicts in the same words.
            exported = client.get(f"/plans/ringve-rockheim/status.csv?year={year}").content
            table = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig")), delimiter=";"))
            # (The table orders its rows by goal; compare them as a whole.)
            assert sorted((r["Vurdering"], r["Begrunnelse"]) for r in table if r["Målverdi"]) == (
                sorted((str(VERDICT_WORDS[verdict]), reason) for verdict, reason in expected)
            )
        visitors = [(s.verdict, s.reason) for s in plan_status(version, year=this_year)
                    if s.indicator == "besokstall"]  # fmt: skip
        page = client.get("/plans/ringve-rockheim/indicators/besokstall/")
        assert statuses_on(page) == visitors
    assert len(visitors) == 2 and len(expected) == 8


def sold_tickets_on(client) -> str:
    page = client.get("/plans/norske-kulturhus/?year=2025").content.decode()
    found = re.search(r"Antall solgte billetter til konserter og scenekunstforestillinger</a>"
                      r'.*?<p class="figure-alone">([^<]*)</p>', page, re.S)  # fmt: skip
    assert found, "no figure for the tickets sold"
    return html.unescape(found.group(1))


def test_the_networks_plan_gives_the_secretariat_the_live_total_and_members_the_release(
    demo_folder,
):
    network = Organisation.objects.get(slug="norske-kulturhus")
    round_ = Round.objects.get(slug="nk-medlemsstatistikk-2025")
    approved = Value.objects.filter(answer__round=round_, answer__state="approved",
                                    question__slug="solgte-billetter")  # fmt: skip
    before = approved.aggregate(total=Sum("number"))["total"]
    rows = round_.releases.get().statistics
    (released,) = [r["sum"] for r in rows
                   if (r["question"], r["grouping"]) == ("solgte-billetter", "all")]  # fmt: skip
    assert released == before  # the demo releases after its last approval
    secretary = User.objects.create_user("sekretariatet")
    Membership.objects.create(user=secretary, organisation=network, role=Role.EDITOR)
    late = round_.answers.filter(state="submitted").first()
    added = late.values.get(question__slug="solgte-billetter").number
    answer_approve(answer=late, user=secretary)
    member = User.objects.create_user("fjordvik")
    Membership.objects.create(user=member, organisation=Organisation.objects.get(
        slug="nk-fjordvik"), role=Role.REPORTER)  # fmt: skip
    secretariat, member_client = Client(), Client()
    secretariat.force_login(secretary)
    member_client.force_login(member)
    with translation.override("nb"):
        live, as_released = format_value(before + added, "count"), format_value(released, "count")
    # The secretariat: every approved answer, the one approved now too.
    assert sold_tickets_on(secretariat) == f"Ingen målverdi; {live} i 2025."
    # A member: the release, which the new approval does not move.
    assert sold_tickets_on(member_client).startswith(f"{as_released} i 2025, slik runden")
    assert "(frigivelse 1)" in sold_tickets_on(member_client)


def test_norsk_teknisk_museum_counts_free_entry_as_a_share_of_all_pupils(demo_folder):
    version = Plan.objects.get(slug="norsk-teknisk-museum").current_version
    rows = {s.indicator: s for s in plan_status(version, year=2025, today=TODAY)}
    free, pupils, share = (rows[slug] for slug in ("skoleelever-gratis-adgang",
                                                   "skoleelever-besok",
                                                   "andel-skoleelever-gratis"))  # fmt: skip
    # The share is the free pupils over all pupils, and is judged on its path to 100 % by 2030.
    assert share.actual == round(free.actual / pupils.actual * 100, 2)
    assert (share.kind, share.target, share.baseline_year, share.final) == (
        "level_by", 100, 2024, True)  # fmt: skip
    assert share.verdict in ("met", "not_met")


def test_ungmusikks_money_in_2020_through_the_accounting_exports(demo_folder, capsys):
    from maalbilde.funding.models import LedgerImport, Payment
    from maalbilde.funding.selectors import allocation_for, balances, spent_by_recipient

    owner = Organisation.objects.get(slug="ungmusikk")
    files = sorted(LedgerImport.objects.values_list("file_name", flat=True))
    assert files == ["demo-ungmusikk-fakturaer-2020.csv", "demo-ungmusikk-innbetalinger-2020.xlsx",
                     "demo-ungmusikk-utbetalinger-2020.csv"]  # fmt: skip
    assert (demo_folder / "demo" / files[0]).exists()  # the files are there to open
    rows = {b.party: b for b in balances(owner, 2020)}
    # Everyone invoiced what the rules expect; Kongsberg has paid half of its 80 000.
    assert sum(b.invoiced for b in rows.values()) == sum(b.expected for b in rows.values())
    assert rows["kongsberg"].outstanding == 40_000
    assert sum(b.outstanding for b in rows.values()) == 40_000
    # Sarpsborg paid in January 2021, for 2020.
    late = Payment.objects.get(party="sarpsborg", kind="received")
    assert (late.year, late.date) == (2020, datetime.date(2021, 1, 14))
    allocation, _unknown = allocation_for(owner, 2020)
    # Central 900 000; 5 regions × 150 000 = 750 000; 22 schools × 40 000 = 880 000 and
    # 120 × (12 000 − Indre Østfold's 90) pupils = 1 429 200; Indre Østfold from August,
    # (40 000 + 120 × 90) × 5/12 = 21 166.67. The budget is what the rules expect.
    assert allocation.allocated == Decimal("3980366.67")
    assert allocation.budget - allocation.allocated == Decimal("160466.66")
    assert allocation.units == 12_000
    spent = spent_by_recipient(owner, 2020)
    # All paid out but the second half of Kongsberg's 40 000 + 120 × 140 = 56 800.
    assert sum(spent.values()) == Decimal("3980366.67") - Decimal("28400.00")
    assert spent["central"] == 900_000
    # The received money is the plan's figure for the county's node, in whole kroner, and
    # 2020 is published.
    call_command("status", "--plan", "ungmusikk", "--year", "2020", "--format", "json")
    received = {r["organisation"]: r["actual"] for r in json.loads(capsys.readouterr().out)
                if r["indicator"] == "um-tilskudd-mottatt"}  # fmt: skip
    # 4 140 833.33 expected less Kongsberg's 40 000 not paid; each organisation's sum in
    # whole kroner on the way in (Indre Østfold's 33 333.33 → 33 333).
    assert received["ungmusikk"] == 4_100_833
    assert received["um-viken"] == 2_577_500
    assert Client().get("/p/funding/ungmusikk/2020/").status_code == 200
