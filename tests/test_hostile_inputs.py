"""Hostile files get a clear refusal, before any work where the sender may not send them:
YAML of nested aliases or nested thousands deep, a round file too large, attribute names that
would reach the database as lookups, and texts that a spreadsheet would run as formulas."""

import pytest
import yaml
from django.contrib.auth.models import User

from maalbilde.lib.spreadsheets import csv_for_excel
from maalbilde.networks.models import Round
from maalbilde.networks.rounds import RoundRefused, read_round_file
from maalbilde.organisations.models import Membership, Organisation, Role
from maalbilde.plans.files import PlanFileInvalid, parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump
from tests.test_networks import network_plan, round_file

pytestmark = pytest.mark.django_db

# Seven levels of anchors, each a list of ten of the one before: 10⁷ items once expanded,
# in about 500 bytes.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(7)
)
DEEP = "a: " + "[" * 50_000 + "]" * 50_000 + "\n"


def someone(client, organisation: str | None, role: Role = Role.ADMINISTRATOR) -> User:
    user = User.objects.create_user(f"u-{organisation}-{role}")
    if organisation:
        at = Organisation.objects.get(slug=organisation)
        Membership.objects.create(user=user, role=role, organisation=at)
    client.force_login(user)
    return user


@pytest.fixture
def network():
    plan_import(document=parse_plan_file(dump(network_plan()).encode()))


def test_a_round_file_from_someone_who_may_not_start_rounds_is_not_read(
    client, network, monkeypatch
):
    def never(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr("maalbilde.web.rounds.read_round_file", never)
    monkeypatch.setattr("maalbilde.web.rounds.round_import", never)
    for organisation, role in ((None, Role.VIEWER), ("hus-a", Role.ADMINISTRATOR),
                               ("nettverket", Role.EDITOR)):  # fmt: skip
        someone(client, organisation, role)
        assert client.post("/rounds/new/", {"text": ALIAS_BOMB}).status_code == 403
        assert client.get("/rounds/new/").status_code == 403


def test_an_alias_bomb_or_deep_nesting_is_refused_with_a_message(client, network):
    someone(client, "nettverket")
    for text, said in ((ALIAS_BOMB, "Ankere og alias (&amp;navn, *navn) er ikke tillatt."),
                       (DEEP, "Filen er nøstet dypere enn 40 nivåer.")):  # fmt: skip
        page = client.post("/rounds/new/", {"text": text})
        assert page.status_code == 200 and said in page.content.decode()
    assert not Round.objects.exists()


def test_a_round_file_too_large_is_refused_before_it_is_parsed(settings):
    settings.ROUND_FILE_MAX_BYTES = 1000
    text = yaml.safe_dump(round_file()) + "#" * 1000
    with pytest.raises(RoundRefused, match="større enn 1000 byte"):
        read_round_file(text)


def test_attribute_names_are_plain_names_not_lookups(network):
    for key in ("region__startswith", "size_group__in", "1st", "a" * 61):
        data = round_file(members={"kind": "member", "attributes": {key: "x"}})
        with pytest.raises(RoundRefused):
            read_round_file(yaml.safe_dump(data))
    read_round_file(yaml.safe_dump(round_file(members={
        "kind": "member", "attributes": {"size_group": "large"}})))  # fmt: skip


def test_a_plan_file_nested_deep_or_with_aliases_is_refused_with_its_line():
    for text, said in ((DEEP, "nøstet dypere enn 40"), (ALIAS_BOMB, "Ankere og alias")):
        with pytest.raises(PlanFileInvalid) as refused:
            parse_plan_file(text.encode())
        assert said in str(refused.value)


def test_no_column_name_or_cell_runs_as_a_formula():
    import polars as pl

    table = pl.DataFrame({'=HYPERLINK("x")': ["+SUM(A1)", "-1 200,50", "@cmd", "vanlig"]})
    lines = csv_for_excel(table).decode("utf-8-sig").splitlines()
    assert lines == ['"\'=HYPERLINK(""x"")"', "'+SUM(A1)", "-1 200,50", "'@cmd", "vanlig"]
