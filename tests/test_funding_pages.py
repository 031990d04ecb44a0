"""The funding page: an owner's editors see each party's expected, invoiced and received
amounts and record payments; nobody else reads them."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from maalbilde.funding.models import Payment
from maalbilde.organisations.models import Membership, Organisation, Role
from tests.test_backup import REPO

pytestmark = pytest.mark.django_db
URL = "/organisations/ungmusikk/funding/"


@pytest.fixture
def ungmusikk():
    call_command("plan", "import", str(REPO / "plans" / "ungmusikk.yaml"), verbosity=0)
    call_command("funding", "import", str(REPO / "funding" / "ungmusikk.yaml"), verbosity=0)


def login(client, slug: str, role: Role) -> User:
    user = User.objects.create_user(f"{slug}-{role}")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=slug),
                              role=role)  # fmt: skip
    client.force_login(user)
    return user


def test_the_secretariat_records_a_payment_and_sees_the_balance(client, ungmusikk):
    login(client, "ungmusikk", Role.EDITOR)
    page = client.get(URL, {"year": 2020}).content.decode()
    assert "Finansieringen til UngMusikk, 2020" in page
    assert '<th scope="row">Indre Østfold kommune</th>' in page
    assert "33\xa0333,33\xa0kr" in page  # 80 000 × 5/12, to the øre
    assert "4\xa0140\xa0833,33\xa0kr" in page  # the total the rules expect
    done = client.post(URL, {"year": 2020, "party": "moss", "kind": "received",
                             "amount": "80 000", "date": "15.03.2020", "reference": "Bank 17"},
                       follow=True).content.decode()  # fmt: skip
    assert "Registrert: innbetalt for Moss kommune, 2020." in done
    payment = Payment.objects.get()
    assert (payment.party, payment.amount_ore, payment.date.isoformat()) == (
        "moss",
        8_000_000,
        "2020-03-15",
    )
    row = done[done.index('<th scope="row">Moss kommune</th>') :]
    row = row[: row.index("</tr>")]
    # Expected 80 000 and received 80 000, nothing invoiced: outstanding −80 000 (paid
    # without an invoice), and invoiced 80 000 less than the rules expect.
    assert row.count("<td>80\xa0000\xa0kr") == 2  # expected, received
    assert "<td>-80\xa0000\xa0kr</td>" in row  # outstanding
    assert "avviker fra reglene med 80\xa0000\xa0kr" in row


def test_a_payment_that_cannot_be_recorded_says_why(client, ungmusikk):
    login(client, "ungmusikk", Role.EDITOR)
    page = client.post(URL, {"year": 2020, "party": "moss", "kind": "received",
                             "amount": "mye", "date": "31.02.2020"}).content.decode()  # fmt: skip
    assert "Skriv datoen som 15.03.2020." in page
    assert "Noe må rettes" in page  # the error summary
    page = client.post(URL, {"year": 2020, "party": "moss", "kind": "received",
                             "amount": "10,555", "date": "1.3.2020"}).content.decode()  # fmt: skip
    assert "«10,555» er ikke et beløp i kroner" in page
    assert Payment.objects.count() == 0


def test_nobody_else_reads_or_records_the_funding(client, ungmusikk):
    for slug, role in (("ungmusikk", Role.VIEWER), ("ungmusikk", Role.REPORTER),
                       ("um-moss-kulturskole", Role.ADMINISTRATOR)):  # fmt: skip
        login(client, slug, role)
        assert client.get(URL).status_code == 403
        assert (
            client.post(
                URL,
                {
                    "year": 2020,
                    "party": "moss",
                    "kind": "received",
                    "amount": "1",
                    "date": "1.3.2020",
                },
            ).status_code
            == 403
        )
    assert Payment.objects.count() == 0


def test_the_allocation_and_the_export_by_hand(client, allocated):
    login(client, "ungmusikk", Role.EDITOR)
    page = client.get(URL, {"year": 2020}).content.decode()
    # 5 regions × 50 000 = 250 000; 23 members × 10 000 = 230 000, and Enebakk's 300 pupils
    # × 100 = 30 000 more; central 400 000: 910 000 of 1 000 000 allocated.
    assert (
        "Budsjett 1\xa0000\xa0000\xa0kr: 910\xa0000\xa0kr fordelt, 90\xa0000\xa0kr ikke fordelt."
        in page
    )
    enebakk = page[page.index(">Enebakk kommunale kulturskole</th>") :]
    enebakk = enebakk[: enebakk.index("</tr>")]
    # 40 000 / 300 pupils = 133.33 kr per pupil
    # nothing spent yet
    assert "<td>40\xa0000\xa0kr</td><td>–</td><td>300</td><td>133,33\xa0kr</td>" in enebakk
    csv_text = client.get("/organisations/ungmusikk/funding.csv", {"year": 2020}).content
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0] == ("Del;Navn;Type;Region;Forventet;Fakturert;Innbetalt;Gjenstår å motta;"
                        "Fordelt;Brukt;Elever;Kroner per elev")  # fmt: skip
    assert "Inn;Fylket;fylkeskommune;;2550000,00;0,00;0,00;2550000,00;;;;" in lines
    assert (
        "Fordeling;Enebakk kommunale kulturskole;medlem;Region Follo;;;;;40000,00;;300;133,33"
        in lines
    )
    assert client.get("/organisations/ungmusikk/funding.pdf", {"year": 2020}).status_code == 404
    client.logout()
    login(client, "um-enebakk-kulturskole", Role.ADMINISTRATOR)
    assert client.get("/organisations/ungmusikk/funding.csv", {"year": 2020}).status_code == 403


@pytest.fixture
def allocated(tmp_path):
    from tests.test_funding import funding_file, raw

    call_command("plan", "import", str(REPO / "plans" / "ungmusikk.yaml"), verbosity=0)
    data = funding_file(owner="ungmusikk", allocations=[{
        "year": 2020, "budget": 1000000, "central": 400000, "regions": 50000,
        "members": {"base": 10000, "per_unit": 100, "fact": "pupils"},
        "facts": {"um-enebakk-kulturskole": {"pupils": 300}},
    }])  # fmt: skip
    path = tmp_path / "finansiering.yaml"
    path.write_bytes(raw(data))
    call_command("funding", "import", str(path), verbosity=0)
    call_command("funding", "pay", "--network", "ungmusikk", "--year", "2020", "--party",
                 "grense", "--received", "80 000", "--date", "1.3.2020", verbosity=0)  # fmt: skip


def test_a_year_is_published_after_asking_and_anyone_reads_it_then(client, allocated):
    public = "/p/funding/ungmusikk/2020/"
    assert client.get(public).status_code == 404  # not published: nothing to see
    login(client, "ungmusikk", Role.EDITOR)
    assert client.post(f"{URL}publish/", {"year": 2020, "action": "publish",
                                          "confirmed": "yes"}).status_code == 403  # fmt: skip
    client.logout()
    login(client, "ungmusikk", Role.ADMINISTRATOR)
    question = client.post(f"{URL}publish/", {"year": 2020, "action": "publish"}).content.decode()
    assert "Publisere finansieringen for 2020?" in question and public in question
    client.post(f"{URL}publish/", {"year": 2020, "action": "publish", "confirmed": "yes"})
    # A year no agreement covers, with nothing paid, has nothing to publish.
    assert client.post(f"{URL}publish/", {"year": 2035, "action": "publish",
                                          "confirmed": "yes"}).status_code == 404  # fmt: skip
    client.logout()
    page = client.get(public).content.decode()
    assert "Finansieringen til UngMusikk, 2020" in page
    assert "<th scope=\"row\">Grense</th><td>kommuner</td><td>80\xa0000\xa0kr</td>" \
           "<td>80\xa0000\xa0kr</td>" in page  # fmt: skip
    assert "Enebakk kommunale kulturskole" in page  # where the money went, public by design
    assert client.get("/p/funding/ungmusikk/2021/").status_code == 404
    assert 'href="/p/funding/ungmusikk/2020/"' in client.get("/p/").content.decode()


def test_a_member_school_sees_its_own_allocation_and_nothing_of_the_others(client, allocated):
    login(client, "um-enebakk-kulturskole", Role.REPORTER)
    own = client.get("/organisations/um-enebakk-kulturskole/").content.decode()
    # 10 000 + 100 × 300 pupils
    assert "UngMusikk, 2020: 40\xa0000\xa0kr (10\xa0000 + 100 × 300 pupils)" in own
    # Nothing of the network's funding, another school or the unpublished year.
    for url in (URL, "/organisations/ungmusikk/funding.csv?year=2020",
                "/organisations/um-frogn-kulturskole/", "/organisations/ungmusikk/"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.get("/p/funding/ungmusikk/2020/").status_code == 404
    assert "Grense" not in own and "80\xa0000" not in own


def test_a_scenario_in_the_browser_leaves_the_real_figures_unchanged(client, allocated):
    from maalbilde.funding.models import FundingFile

    login(client, "ungmusikk", Role.EDITOR)
    before = (FundingFile.objects.get().data, list(Payment.objects.values()))
    scenario = """format: maalbilde-funding-scenario/1
title: To kommuner til
owner: ungmusikk
year: 2020
pupils: {before: 1000, after: 1500}
add_parties:
  - {slug: a, name: A kommune, kind: municipality, facts: {population: {value: 10000}}}
  - {slug: b, name: B kommune, kind: municipality, facts: {population: {value: 60000}}}
add_to_rules: {kommunene: [a, b]}
"""
    page = client.post(f"{URL}scenario/", {"text": scenario}).content.decode()
    # As in tests/test_funding.py: 2 987 345.83 → 3 147 345.83; 4 481 018.75 keeps 2 987.35
    # kr per pupil; the gap 1 333 672.92; the county's grant 2 550 000 + the gap.
    assert "<td>2\xa0987\xa0345,83\xa0kr</td><td>3\xa0147\xa0345,83\xa0kr</td>" in page
    assert (
        "For å holde kroner per elev: 4\xa0481\xa0018,75\xa0kr, et gap på "
        "1\xa0333\xa0672,92\xa0kr; tilskuddet som dekker det: 3\xa0883\xa0672,92\xa0kr."
    ) in page
    assert (FundingFile.objects.get().data, list(Payment.objects.values())) == before
    wrong = client.post(f"{URL}scenario/", {"text": scenario.replace("kommunene", "ukjent")})
    assert "Filen har ingen regel “ukjent”." in wrong.content.decode()
    client.logout()
    login(client, "um-enebakk-kulturskole", Role.ADMINISTRATOR)
    assert client.post(f"{URL}scenario/", {"text": scenario}).status_code == 403


def test_an_administrator_edits_the_funding_file_and_every_problem_is_shown(client, allocated):
    from maalbilde.funding.models import FundingFile

    url = "/organisations/ungmusikk/funding/file/"
    login(client, "ungmusikk", Role.EDITOR)
    assert client.get(url).status_code == 403  # editing the rules is for administrators
    client.logout()
    login(client, "ungmusikk", Role.ADMINISTRATOR)
    stored = FundingFile.objects.get()
    text = stored.source
    # Another rate for 2021, and a typo: nothing stored until the typo is gone.
    changed = text.replace("'2021': 3.0", "'2021': 4.0")
    assert changed != text
    broken = changed.replace("kind: tiers", "kind: trinn", 1)
    page = client.post(url, {"text": broken, "based_on": stored.pk}).content.decode()
    assert "“trinn” er ikke tillatt her; velg én av" in page
    assert FundingFile.objects.count() == 1
    client.post(url, {"text": changed, "based_on": stored.pk})
    assert FundingFile.objects.count() == 2
    assert FundingFile.objects.first().data["index"] == {"2020": 2.0, "2021": 4.0}
    # An edit made on the older file is refused rather than undo the newer one.
    stale = client.post(url, {"text": text, "based_on": stored.pk}).content.decode()
    assert "endret av noen andre i mellomtiden" in stale
    # Another owner's funding cannot be stored from here.
    other = client.post(
        url,
        {
            "text": changed.replace("owner: ungmusikk", "owner: nettverk"),
            "based_on": FundingFile.objects.first().pk,
        },
    ).content.decode()
    assert "Filen gjelder «nettverk»" in other
    assert FundingFile.objects.count() == 2


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def post_ledger(client, name: str, content: bytes, **more):
    return client.post(f"{URL}?year=2020&action=ledger", {
        "ledger-kind": "received", "ledger-file": upload(name, content)}, **more)  # fmt: skip


def test_an_accounting_export_is_uploaded_and_the_balance_changes(client, ungmusikk):
    login(client, "ungmusikk", Role.EDITOR)
    export = ("Bilagsdato;Bilagsnr;Kunde;Beløp\n"
              "15.03.2020;1001;Moss kommune;80 000,00\n"
              "02.10.2020;1002;Viken fylkeskommune;1 288 750,00\n"
              "Sum;;;1 368 750,00\n").encode("cp1252")  # fmt: skip
    done = post_ledger(client, "bank.csv", export, follow=True).content.decode()
    assert "bank.csv: 2 rader lagret som innbetalt." in done
    county = done[done.index('<th scope="row">Viken fylkeskommune</th>') :]
    county = county[: county.index("</tr>")]
    # 2 577 500 expected, half of it received: outstanding −1 288 750 (no invoice recorded)
    assert "<td>1\xa0288\xa0750\xa0kr</td>" in county
    again = post_ledger(client, "bank.csv", export).content.decode()
    assert "Denne filen ble importert" in again and "Noe må rettes" in again
    assert Payment.objects.count() == 2


def test_an_export_with_a_wrong_row_is_refused_on_the_page_with_every_row(client, ungmusikk):
    login(client, "ungmusikk", Role.EDITOR)
    export = b"Dato;Kunde;Bel\xf8p\n15.03.2020;Moss kommune;80 000\n15.03.2020;Oslo;1\n"
    page = post_ledger(client, "bank.csv", export).content.decode()
    assert "Ingenting ble lagret: 1 rad kan ikke leses." in page
    assert "rad 3, Kunde «Oslo»: ingen part i finansieringsfilen" in page.replace("“", "«").replace(
        "”", "»"
    )
    # A damaged workbook: a clear refusal, not an error page.
    broken = post_ledger(client, "x.xlsx", b"PK\x03\x04" + b"\0" * 100)
    assert broken.status_code == 200 and "XLSX" in broken.content.decode()
    assert Payment.objects.count() == 0


def test_populations_are_set_from_the_table_by_administrators_only(client, ungmusikk):
    from maalbilde.funding.models import FundingFile

    table = ('"07459: Befolkning, etter region, statistikkvariabel og år"\n\n'
             '"region";"statistikkvariabel";"år";"07459: Befolkning"\n'
             '"3002 Moss";"Personer";"2020";50100\n').encode()  # fmt: skip
    address = f"{URL}?year=2020&action=populations"
    post = {"population-file": upload("07459.csv", table)}
    login(client, "ungmusikk", Role.EDITOR)
    assert "Folketall fra SSB" not in client.get(URL).content.decode()
    assert client.post(address, post).status_code == 403
    assert FundingFile.objects.count() == 1
    client.logout()
    login(client, "ungmusikk", Role.ADMINISTRATOR)
    post["population-file"] = upload("07459.csv", table)
    done = client.post(address, post, follow=True).content.decode()
    assert "1 folketall per 1. januar 2020 satt fra tabellen." in done
    assert "Ikke i tabellen: Enebakk kommune" in done  # the other 16 are not in this table
    moss = done[done.index('<th scope="row">Moss kommune</th>') :]
    # 50 100 inhabitants: the top tier, 100 000 (49 273 gave 80 000)
    moss = moss[: moss.index("</tr>")]
    assert "<td>kommuner</td>\n    <td>100\xa0000\xa0kr <a" in moss
    # and a note to check it, listed under the table: 50 100 is within 2 % of the boundary
    assert '<a href="#check-moss" class="meta">⚠&nbsp;kontroller</a>' in moss
    assert ('<li id="check-moss">Moss kommune: population 50\xa0100 er innenfor 2 % av grensen '
            "50\xa0000: kontroller det.</li>") in done  # fmt: skip
    stored = FundingFile.objects.first()
    assert "moss" in stored.source and "# UngMusikk i Viken" in stored.source  # comments kept


def test_a_member_sees_what_was_paid_out_to_it_and_nothing_of_the_others(client, allocated):
    editor = User.objects.create_user("kasserer")
    import datetime

    from maalbilde.funding.services import payment_record

    owner = Organisation.objects.get(slug="ungmusikk")
    for school, amount in (("um-enebakk-kulturskole", "20 000"), ("um-frogn-kulturskole", "7 777")):
        payment_record(owner=owner, party=school, year=2020, kind="spent", amount=amount,
                       date=datetime.date(2020, 4, 1), user=editor)  # fmt: skip
    login(client, "um-enebakk-kulturskole", Role.REPORTER)
    own = client.get("/organisations/um-enebakk-kulturskole/").content.decode()
    assert "utbetalt til dere så langt: 20\xa0000\xa0kr" in own
    assert "7\xa0777" not in own


def test_a_paying_municipality_sees_its_own_payments_and_no_other_partys(client, ungmusikk):
    import datetime

    from maalbilde.funding.services import payment_record

    owner = Organisation.objects.get(slug="ungmusikk")
    for party, amount in (("moss", "80 000"), ("sarpsborg", "77 777")):
        payment_record(owner=owner, party=party, year=2020, kind="received", amount=amount,
                       date=datetime.date(2020, 3, 1))  # fmt: skip
    # Someone at Moss's culture school, which the funding file names for Moss kommune.
    login(client, "um-moss-kulturskole", Role.ADMINISTRATOR)
    own = client.get("/organisations/um-moss-kulturskole/").content.decode()
    row = own[own.index("<td>UngMusikk</td><td>2020</td>") :]
    row = row[: row.index("</tr>")]
    # Moss: 80 000 expected (49 273 inhabitants), nothing invoiced, 80 000 received: −80 000
    # outstanding (paid without an invoice)
    # and nothing still to receive
    assert row.endswith(
        '<th scope="row">Moss kommune</th><td>80\xa0000\xa0kr</td><td>0\xa0kr</td>'
        "<td>80\xa0000\xa0kr</td><td>-80\xa0000\xa0kr</td><td>0\xa0kr</td>"
    )
    # Moss joined in 2020: nothing was expected of it before
    assert "<td>UngMusikk</td><td>2019</td>" not in own
    assert "77\xa0777" not in own and "Sarpsborg kommune" not in own
    # Nothing of the other party's payment anywhere: pages, exports, the unpublished year.
    for url in (URL, f"{URL}?year=2020", "/organisations/ungmusikk/funding.csv?year=2020",
                "/organisations/ungmusikk/funding.xlsx?year=2020", f"{URL}scenario/",
                f"{URL}file/", "/organisations/um-sarpsborg-kulturskole/",
                "/organisations/ungmusikk/"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post(f"{URL}publish/", {"year": 2020, "action": "publish"}).status_code == 403
    assert client.get("/p/funding/ungmusikk/2020/").status_code == 404
    for url in ("/", "/p/", "/organisations/"):
        assert "77\xa0777" not in client.get(url).content.decode(), url


def test_an_imported_export_is_withdrawn_after_asking_by_editors_only(client, ungmusikk):
    from maalbilde.funding.models import LedgerImport

    editor = login(client, "ungmusikk", Role.EDITOR)
    post_ledger(client, "bank.csv", b"Dato;Kunde;Bel\xf8p\n15.03.2020;Moss kommune;80 000\n")
    ledger = LedgerImport.objects.get()
    page = client.get(URL, {"year": 2020}).content.decode()
    assert '<th scope="row">bank.csv</th><td>innbetalt</td><td>1</td>' in page
    withdraw = f"{URL}ledger/{ledger.pk}/withdraw/"
    client.logout()
    login(client, "um-moss-kulturskole", Role.ADMINISTRATOR)
    assert client.post(withdraw, {"confirmed": "yes"}).status_code == 403
    client.logout()
    client.force_login(editor)
    question = client.post(withdraw).content.decode()
    assert "Trekke tilbake bank.csv?" in question and Payment.objects.count() == 1
    done = client.post(withdraw, {"confirmed": "yes"}, follow=True).content.decode()
    assert "bank.csv trukket tilbake: 1 betaling slettet." in done
    assert Payment.objects.count() == 0 and LedgerImport.objects.count() == 0
    assert client.post(withdraw, {"confirmed": "yes"}).status_code == 404
