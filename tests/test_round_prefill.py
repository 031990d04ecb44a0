"""A culture house that imports its ticket exports into Målbilde finds its answer to the
network's statistics filled in from them — events and tickets without cinema, each marked with
where it comes from — confirms it, and the secretariat approves the same figures."""

import csv
import datetime
import io
import re
import shutil

import pytest
from django.contrib.auth.models import User

from maalbilde.networks.models import Answer, Round, Value
from maalbilde.organisations.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db
ROUND = "nk-medlemsstatistikk-2025"


@pytest.fixture
def demo(demo_data, settings, tmp_path):
    shutil.copytree(demo_data, tmp_path, dirs_exist_ok=True)
    settings.DATA_DIR = tmp_path
    return tmp_path / "demo"


def by_hand(demo, house: str) -> tuple[int, int, int]:
    """Events, seats and tickets sold of the house in 2025, cinema left out, from the demo's
    own export."""
    text = (demo / "demo-nk-arrangementer-2025.csv").read_bytes().decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text), delimiter=";")
            if r["Hus"] == house and r["Sjanger"] != "kino"]  # fmt: skip

    def number(cell: str) -> int:
        return int(cell.replace("\xa0", "").replace(" ", ""))

    return (len(rows), sum(number(r["Kapasitet"]) for r in rows),
            sum(number(r["Solgte billetter"]) for r in rows))  # fmt: skip


def shown(page: str, slug: str) -> str:
    field = re.search(rf'<input[^>]*name="q_{slug}"[^>]*>', page)
    assert field, slug
    found = re.search(r'value="([^"]*)"', field.group(0))
    return found.group(1).replace("\xa0", "").replace(" ", "") if found else ""


def test_a_members_answer_is_filled_in_from_its_own_ticket_exports(demo, client):
    house = Organisation.objects.get(slug="nk-fjordvik")
    round_ = Round.objects.get(slug=ROUND)
    Answer.objects.filter(round=round_, organisation=house).delete()  # not answered yet
    Round.objects.filter(pk=round_.pk).update(
        deadline=datetime.date.today() + datetime.timedelta(days=30)
    )
    events, seats, sold = by_hand(demo, house.name)
    assert events > 20
    user = User.objects.create_user("fjordvik", password="x")
    Membership.objects.create(user=user, organisation=house, role=Role.REPORTER)
    client.force_login(user)
    url = f"/rounds/{ROUND}/answers/{house.slug}/"
    page = client.get(url).content.decode()
    assert shown(page, "arrangementer") == str(events)
    assert shown(page, "kapasitet") == str(seats)
    assert shown(page, "solgte-billetter") == str(sold)
    assert page.count("Fylt inn fra deres egne data i Målbilde") == 3
    assert "demo-nk-arrangementer-2025.csv" in page
    assert shown(page, "besokende") == ""  # not in the data: the member types it
    # The member confirms the filled-in figures, adds the rest and submits.
    form = {"action": "submit", "q_arrangementer": shown(page, "arrangementer"),
            "q_kapasitet": shown(page, "kapasitet"),
            "q_solgte-billetter": shown(page, "solgte-billetter"), "q_besokende": "30000",
            "q_egeninntekter": "5000000", "q_kommunalt-driftstilskudd": "3000000",
            "q_arsverk": "12"}  # fmt: skip
    # Figures far from last year's ask for a word of why
    form |= {f"c_{slug[2:]}": "Tall fra billettsystemet." for slug in list(form)
             if slug.startswith("q_")}  # fmt: skip
    sent = client.post(url, form)
    assert sent.status_code == 302
    answer = Answer.objects.get(round=round_, organisation=house)
    assert answer.state == Answer.State.SUBMITTED
    # The secretariat approves: the same figures as the member's own exports.
    secretariat = User.objects.create_user("sekretariat", password="x")
    network = Organisation.objects.get(slug="norske-kulturhus")
    Membership.objects.create(user=secretariat, role=Role.EDITOR, organisation=network)
    client.force_login(secretariat)
    client.post(url, {**form, "action": "approve"})
    answer.refresh_from_db()
    assert answer.state == Answer.State.APPROVED
    numbers = dict(Value.objects.filter(answer=answer).values_list("question__slug", "number"))
    assert (numbers["arrangementer"], numbers["kapasitet"], numbers["solgte-billetter"]) == (
        events,
        seats,
        sold,
    )
    # Once submitted, the answer is what the member gave: no longer filled in anew.
    client.force_login(user)
    assert "Fylt inn fra deres egne data" not in client.get(url).content.decode()
