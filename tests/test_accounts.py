"""Logging in: throttled after repeated failures, and a password reset by e-mail."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari():
    return User.objects.create_user("kari", email="kari@example.org", password="riktig-passord-9")


def log_in(client, password, forwarded_for: str = ""):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(
        "/login/", {"username": "kari", "password": password}, REMOTE_ADDR="10.0.0.1", **headers
    )


def test_login_is_throttled_after_five_failures(client, kari, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _attempt in range(5):
        response = log_in(client, "feil")
        assert response.status_code in (200, 429)
    locked = log_in(client, "riktig-passord-9")
    assert locked.status_code == 429
    assert "For mange forsøk" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, kari, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for attempt in range(5):
        log_in(client, "feil", forwarded_for=f"198.51.100.{attempt}")
    assert log_in(client, "riktig-passord-9", forwarded_for="198.51.100.99").status_code == 429


def test_behind_a_proxy_each_person_is_counted_by_their_own_address(client, kari, settings):
    """With MAALBILDE_PROXY_COUNT=1 the address the proxy appends is the one counted: a
    person locked out does not lock out a colleague behind the same proxy, and an address
    the person writes in front of it changes nothing."""
    settings.AXES_FAILURE_LIMIT = 5
    settings.PROXY_COUNT = 1
    for attempt in range(5):
        log_in(client, "feil", forwarded_for=f"198.51.100.{attempt}, 203.0.113.5")
    assert log_in(client, "riktig-passord-9", forwarded_for="203.0.113.5").status_code == 429
    colleague = log_in(client, "riktig-passord-9", forwarded_for="203.0.113.9")
    assert colleague.status_code == 302


def test_a_good_login_before_the_limit(client, kari):
    log_in(client, "feil")
    response = log_in(client, "riktig-passord-9")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(kari.pk)


def test_password_reset_by_email(client, kari):
    page = client.get("/password/reset/")
    assert page.status_code == 200
    response = client.post("/password/reset/", {"email": "kari@example.org"})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == ["kari@example.org"]
    link = re.search(r"http://testserver(/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "et-nytt-passord-7", "new_password2": "et-nytt-passord-7"},
    )
    assert done.status_code == 302
    kari.refresh_from_db()
    assert kari.check_password("et-nytt-passord-7")


def test_reset_for_an_unknown_address_says_the_same(client):
    response = client.post("/password/reset/", {"email": "ingen@example.org"})
    assert response.status_code == 302 and not mail.outbox
