"""People and roles: an organisation's administrators invite by e-mail, change and remove
roles there and below, on the web and the command line; each change is in the trail of
changes, which the organisation's editors and administrators read."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def museum():
    """Testmuseet with its sites Nord and Sør; Anne administers the museum."""
    plan_import(document=parse_plan_file(dump(minimal_plan()).encode()))
    anne = User.objects.create_user("anne", "anne@museet.no", password="anne-passord-1")
    Membership.objects.create(user=anne, role=Role.ADMINISTRATOR,
                              organisation=Organisation.objects.get(slug="testmuseet"))  # fmt: skip
    return anne


def role(email: str, organisation: str) -> str | None:
    found = Membership.objects.filter(user__email__iexact=email, organisation__slug=organisation)
    return found.values_list("role", flat=True).first()


def test_an_administrator_invites_a_new_person_who_chooses_a_password(client, museum):
    client.force_login(museum)
    response = client.post("/organisations/testmuseet/people/", {
        "action": "invite", "email": "Kari@Nord.no", "role": "reporter", "organisation": "nord",
    }, follow=True)  # fmt: skip
    assert "Kari@Nord.no er invitert som rapportør i Avdeling Nord" in response.content.decode()
    kari = User.objects.get(email="Kari@Nord.no")
    assert kari.username == "kari@nord.no" and not kari.has_usable_password()
    assert role("kari@nord.no", "nord") == Role.REPORTER
    entry = AuditEntry.objects.get(action="membership-granted")
    assert (entry.user, entry.organisation.slug, entry.before) == (museum, "nord", None)
    assert entry.after == {"role": "reporter", "email": "Kari@Nord.no", "new_account": True}
    # The invitation's link lets her choose a password, and she logs in with her address.
    [letter] = mail.outbox
    assert letter.to == ["Kari@Nord.no"] and "anne har gjort deg til rapportør" in letter.body
    link = re.search(r"http://testserver(/password/reset/\S+/)", letter.body).group(1)
    client.logout()
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "kari-sitt-passord-9",
                                             "new_password2": "kari-sitt-passord-9"})  # fmt: skip
    logged_in = client.post("/login/", {"username": "kari@nord.no",
                                        "password": "kari-sitt-passord-9"})  # fmt: skip
    assert logged_in.status_code == 302 and client.session["_auth_user_id"] == str(kari.pk)


def test_a_person_with_an_account_gets_the_role_without_a_new_one(client, museum):
    ola = User.objects.create_user("ola", "ola@sor.no", password="x")
    client.force_login(museum)
    client.post("/organisations/testmuseet/people/", {
        "action": "invite", "email": "OLA@sor.no", "role": "editor", "organisation": "sor",
    })  # fmt: skip
    assert role("ola@sor.no", "sor") == Role.EDITOR
    assert User.objects.count() == 2 and mail.outbox == [] and ola.has_usable_password()


def test_roles_are_changed_and_removed_after_a_confirmation(client, museum):
    ola = User.objects.create_user("ola", "ola@sor.no")
    sor = Organisation.objects.get(slug="sor")
    membership = Membership.objects.create(user=ola, role=Role.VIEWER, organisation=sor)
    client.force_login(museum)
    client.post("/organisations/testmuseet/people/",
                {"action": "change", "membership": membership.pk, "role": "editor"})  # fmt: skip
    assert role("ola@sor.no", "sor") == Role.EDITOR
    changed = AuditEntry.objects.get(action="membership-changed")
    assert (changed.before, changed.after) == ({"role": "viewer"}, {"role": "editor"})
    address = f"/organisations/testmuseet/people/{membership.pk}/remove/"
    asked = client.get(address).content.decode()
    assert "ola vil ikke lenger være redaktør i Avdeling Sør" in asked
    assert role("ola@sor.no", "sor") == Role.EDITOR  # asking removes nothing
    client.post(address)
    assert role("ola@sor.no", "sor") is None and User.objects.filter(username="ola").exists()
    removed = AuditEntry.objects.get(action="membership-removed")
    assert (removed.before, removed.after, removed.organisation.slug) == (
        {"role": "editor"}, None, "sor")  # fmt: skip


def test_only_administrators_of_the_place_change_roles(client, museum):
    nord, sor = Organisation.objects.get(slug="nord"), Organisation.objects.get(slug="sor")
    kari = User.objects.create_user("kari", "kari@nord.no")
    kept = Membership.objects.create(user=kari, role=Role.VIEWER, organisation=nord)
    editor = User.objects.create_user("erik")
    Membership.objects.create(user=editor, role=Role.EDITOR, organisation=nord.parent)
    sor_admin = User.objects.create_user("siri")
    Membership.objects.create(user=sor_admin, role=Role.ADMINISTRATOR, organisation=sor)
    before = list(Membership.objects.order_by("pk").values())
    client.force_login(editor)  # an editor is not an administrator
    assert client.get("/organisations/testmuseet/people/").status_code == 403
    assert client.post("/organisations/testmuseet/people/", {
        "action": "invite", "email": "x@y.no", "role": "administrator", "organisation": "nord",
    }).status_code == 403  # fmt: skip
    client.force_login(sor_admin)  # administers Sør, not the museum or Nord
    assert client.get("/organisations/testmuseet/people/").status_code == 403
    changed = client.post("/organisations/sor/people/", {
        "action": "change", "membership": kept.pk, "role": "administrator"})  # fmt: skip
    assert changed.status_code == 404
    assert client.post(f"/organisations/sor/people/{kept.pk}/remove/").status_code == 404
    invited = client.post("/organisations/sor/people/", {
        "action": "invite", "email": "x@y.no", "role": "viewer", "organisation": "nord",
    })  # fmt: skip
    assert "nord" not in invited.context["invite"].fields["organisation"].choices[0]
    assert invited.context["invite"].errors["organisation"]
    client.logout()
    assert client.get("/organisations/testmuseet/people/").status_code == 302
    assert list(Membership.objects.order_by("pk").values()) == before
    assert not AuditEntry.objects.filter(action__startswith="membership").exists()


def test_an_administrator_cannot_lower_or_remove_their_own_role(client, museum):
    own = Membership.objects.get(user=museum)
    client.force_login(museum)
    said = client.post("/organisations/testmuseet/people/", {
        "action": "change", "membership": own.pk, "role": "viewer"}, follow=True)  # fmt: skip
    assert "Du kan ikke senke eller fjerne din egen administratorrolle" in said.content.decode()
    client.post(f"/organisations/testmuseet/people/{own.pk}/remove/")
    assert role("anne@museet.no", "testmuseet") == Role.ADMINISTRATOR
    wrong = client.post("/organisations/testmuseet/people/", {
        "action": "invite", "email": "ikke-en-adresse", "role": "viewer", "organisation": "nord",
    })  # fmt: skip
    assert wrong.context["invite"].errors["email"]
    assert Membership.objects.count() == 1 and User.objects.count() == 1


def test_the_organisations_changes_are_read_by_its_editors(client, museum):
    client.force_login(museum)
    client.post("/organisations/testmuseet/people/", {
        "action": "invite", "email": "kari@nord.no", "role": "reporter", "organisation": "nord",
    })  # fmt: skip
    page = client.get("/organisations/testmuseet/changes/").content.decode()
    assert "rolle gitt: nord/kari@nord.no" in page and "rolle: rapportør" in page
    listed = client.get("/organisations/").content.decode()
    # The museum's pages cover its sites: the sites are not listed again.
    assert "/organisations/testmuseet/people/" in listed
    assert "/organisations/testmuseet/changes/" in listed and "/organisations/nord/" not in listed
    kari = User.objects.get(username="kari@nord.no")
    client.force_login(kari)  # a reporter
    assert client.get("/organisations/nord/changes/").status_code == 403
    # She sees her site's page, but not its changes or people.
    listed = client.get("/organisations/").content.decode()
    assert 'href="/organisations/nord/"' in listed and "/organisations/nord/changes/" not in listed
    assert "/organisations/nord/people/" not in listed


def test_the_command_line_grants_lists_and_removes(museum, capsys):
    with translation.override("en"):
        call_command("people", "grant", "nord", "per@nord.no", "viewer", "--user", "anne")
        call_command("people", "list", "testmuseet")
        call_command("people", "remove", "nord", "per@nord.no")
        with pytest.raises(CommandError, match="There is no organisation “ingen”"):
            call_command("people", "list", "ingen")
        with pytest.raises(CommandError, match=r"“per@nord\.no” has no role in Avdeling Nord"):
            call_command("people", "remove", "nord", "per@nord.no")
    out = capsys.readouterr().out
    assert "New account “per@nord.no”, viewer in Avdeling Nord" in out
    assert '{"user": "per@nord.no", "email": "per@nord.no", "organisation": "nord", ' \
           '"role": "viewer"}' in out  # fmt: skip
    entries = AuditEntry.objects.filter(action__startswith="membership").order_by("pk")
    actions = list(entries.values_list("action", "user__username"))
    assert actions == [("membership-granted", "anne"), ("membership-removed", None)]


def test_an_invitation_not_followed_is_sent_again_and_long_addresses_are_refused(client, museum):
    client.force_login(museum)
    invite = {"action": "invite", "email": "kari@nord.no", "role": "reporter",
              "organisation": "nord"}  # fmt: skip
    client.post("/organisations/testmuseet/people/", invite)
    again = client.post("/organisations/testmuseet/people/", invite, follow=True)
    assert "får en lenke for å velge passord" in again.content.decode()
    assert [m.to for m in mail.outbox] == [["kari@nord.no"], ["kari@nord.no"]]
    # A user name holds 150 characters: a longer address is refused on the page and on the
    # command line, with nothing stored (PostgreSQL refused it with a server error before).
    long_address = "b" * 140 + "@example.org"
    refused = client.post("/organisations/testmuseet/people/", {**invite, "email": long_address})
    assert refused.context["invite"].errors["email"]
    with pytest.raises(CommandError, match="150"):
        call_command("people", "grant", "nord", long_address, "viewer")
    assert not User.objects.filter(email=long_address).exists()


def test_a_role_that_does_not_exist_is_refused_with_a_message(client, museum):
    ola = User.objects.create_user("ola", "ola@sor.no")
    sor = Organisation.objects.get(slug="sor")
    membership = Membership.objects.create(user=ola, role=Role.VIEWER, organisation=sor)
    client.force_login(museum)
    said = client.post("/organisations/testmuseet/people/", {
        "action": "change", "membership": membership.pk, "role": "owner"}, follow=True)  # fmt: skip
    assert "Velg en av rollene." in said.content.decode()
    assert role("ola@sor.no", "sor") == Role.VIEWER
    # One's own administrator role has no button to lower or remove it.
    page = said.content.decode()
    own = Membership.objects.get(user=museum)
    assert f"/people/{own.pk}/remove/" not in page and f"/people/{membership.pk}/remove/" in page


def test_an_invited_person_logs_in_with_the_address_however_it_is_capitalised(client, museum):
    client.force_login(museum)
    client.post("/organisations/testmuseet/people/", {"action": "invite", "role": "viewer",
                "email": "kari@nord.no", "organisation": "nord"})  # fmt: skip
    kari = User.objects.get(username="kari@nord.no")
    kari.set_password("kari-sitt-passord-9")
    kari.save()
    client.logout()
    logged_in = client.post("/login/", {"username": "Kari@Nord.no",
                                        "password": "kari-sitt-passord-9"})  # fmt: skip
    assert logged_in.status_code == 302 and client.session["_auth_user_id"] == str(kari.pk)


def test_a_person_with_no_role_is_told_who_gives_one(client):
    client.force_login(User.objects.create_user("ny"))
    page = client.get("/").content.decode()
    assert "En administrator i organisasjonen din gir deg en." in page
    assert "maalbilde plan import" not in page


def test_a_form_sent_after_a_new_login_gets_a_page_that_says_so():
    from django.test import Client

    careful = Client(enforce_csrf_checks=True)
    careful.force_login(User.objects.create_user("ny"))
    refused = careful.post("/organisations/", {"x": "1"})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Skjemaet var for gammelt" in page and "DEBUG" not in page
