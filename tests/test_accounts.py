"""Logging in: throttled after repeated failures, and a password reset by e-mail."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari():
    return User.objects.create_user("kari", email="kari@example.org", password="riktig-passord-9")


def log_in(client, password):
    return client.post(
        "/login/", {"username": "kari", "password": password}, REMOTE_ADDR="10.0.0.1"
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
