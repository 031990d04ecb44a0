"""Reports by e-mail: an administrator subscribes a board member; the report goes once a
period with the PDF and an unsubscribe link; the copy kept is exactly what was sent; a
recipient no longer allowed gets nothing; the link stops it, from a mail program too."""

import datetime
import email
import hashlib
import io

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from maalbilde.organisations.models import AuditEntry, Membership, Organisation, Role
from maalbilde.plans.files import parse_plan_file
from maalbilde.plans.services import plan_import
from maalbilde.reports.delivery import deliveries_send
from maalbilde.reports.models import Delivery, Subscription
from tests.conftest import dump, minimal_plan

pytestmark = pytest.mark.django_db
DECEMBER = datetime.date(2026, 12, 2)


@pytest.fixture
def plan():
    return plan_import(document=parse_plan_file(dump(minimal_plan()).encode())).plan


def person(name: str, organisation: str, role: str, mail_address: str = "") -> User:
    user = User.objects.create_user(name, email=mail_address, password="x")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug=organisation),
                              role=role)  # fmt: skip
    return user


@pytest.fixture
def subscribed(plan, client):
    """The museum's administrator sends the board's chair the board report monthly."""
    director = person("direktør", "testmuseet", Role.ADMINISTRATOR, "dir@museet.no")
    chair = person("styreleder", "testmuseet", Role.VIEWER, "leder@styret.no")
    client.force_login(director)
    form = {"recipient": chair.pk, "report": "board", "frequency": "monthly", "organisation": ""}
    response = client.post("/plans/testplan/reports/subscriptions/", form)
    assert response.status_code == 302
    return Subscription.objects.get(), chair


def test_the_report_goes_once_a_month_and_the_copy_kept_is_what_was_sent(subscribed):
    subscription, _chair = subscribed
    assert AuditEntry.objects.filter(action="report-subscribe").count() == 1
    assert deliveries_send(today=DECEMBER) == {"sent": 1}
    [message] = mail.outbox
    assert message.to == ["leder@styret.no"]
    assert message.subject == "Styrerapport 2026: Strategiplan for Testmuseet"
    link = f"http://127.0.0.1:8000/reports/unsubscribe/{subscription.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert link in message.body and "/plans/testplan/reports/board/?year=2026" in message.body
    [(name, pdf, kind)] = message.attachments
    assert kind == "application/pdf" and name == "testplan-board-2026-12-02.pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Styrerapport 2026" in text
    # The copy kept: the very message handed to the mail server, and its hash.
    delivery = Delivery.objects.get()
    kept = bytes(delivery.message)
    assert kept == message.message().as_bytes(linesep="\r\n")
    assert delivery.sha256 == hashlib.sha256(kept).hexdigest()
    parsed = email.message_from_bytes(kept)
    [attached] = [p for p in parsed.walk() if p.get_content_type() == "application/pdf"]
    assert attached.get_payload(decode=True) == pdf
    # Once a month: the rest of December sends nothing, January sends again.
    assert deliveries_send(today=DECEMBER + datetime.timedelta(days=20)) == {}
    assert deliveries_send(today=datetime.date(2027, 1, 1)) == {"sent": 1}
    assert len(mail.outbox) == 2
    # January's report is of the year just ended; and a month gone by is not sent again.
    assert mail.outbox[1].subject == "Styrerapport 2026: Strategiplan for Testmuseet"
    assert deliveries_send(today=DECEMBER) == {}


def test_a_recipient_no_longer_allowed_gets_nothing(subscribed):
    _subscription, chair = subscribed
    chair.memberships.all().delete()
    assert deliveries_send(today=DECEMBER) == {"refused": 1}
    assert not mail.outbox
    delivery = Delivery.objects.get()
    # Said in the site's language, as the messages are.
    assert delivery.state == "refused"
    assert delivery.note == "Mottakeren har ikke lenger tilgang til planen."


def test_a_mail_server_that_fails_leaves_the_month_to_try_again(subscribed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    assert deliveries_send(today=DECEMBER) == {"failed": 1}
    assert Subscription.objects.get().last_period == ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliveries_send(today=DECEMBER) == {"sent": 1}


def test_the_unsubscribe_link_stops_it_and_so_does_a_mail_programs_one_click(subscribed):
    subscription, _chair = subscribed
    browser = Client()
    page = browser.get(f"/reports/unsubscribe/{subscription.token}/")
    assert page.status_code == 200 and "leder@styret.no" in page.content.decode()
    assert Subscription.objects.get().ended_at is None  # looking is not stopping
    # A mail program posts without a cookie or a form's token (RFC 8058).
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(f"/reports/unsubscribe/{subscription.token}/",
                              {"List-Unsubscribe": "One-Click"})  # fmt: skip
    assert response.status_code == 200
    assert Subscription.objects.get().ended_at is not None
    assert AuditEntry.objects.filter(action="report-unsubscribe").count() == 1
    assert deliveries_send(today=DECEMBER) == {}
    assert Client().get("/reports/unsubscribe/not-a-token/").status_code == 404


def test_only_administrators_send_reports_and_only_to_people_who_see_the_plan(plan, client):
    viewer = person("vera", "testmuseet", Role.VIEWER, "vera@museet.no")
    outsider = User.objects.create_user("ola", email="ola@naboen.no")
    client.force_login(viewer)
    form = {"recipient": viewer.pk, "report": "board", "frequency": "monthly"}
    assert client.post("/plans/testplan/reports/subscriptions/", form).status_code == 403
    director = person("direktør", "testmuseet", Role.ADMINISTRATOR, "dir@museet.no")
    client.force_login(director)
    # Only people with a role that reaches the plan are offered; one posted anyway is refused.
    page = client.get("/plans/testplan/reports/").content.decode()
    assert "vera@museet.no" in page and "ola@naboen.no" not in page
    response = client.post("/plans/testplan/reports/subscriptions/",
                           {**form, "recipient": outsider.pk})  # fmt: skip
    assert response.status_code == 400 and not Subscription.objects.exists()
    # The copy of a message is for the administrators.
    client.post("/plans/testplan/reports/subscriptions/", form)
    deliveries_send(today=DECEMBER)
    delivery = Delivery.objects.get()
    copy = client.get(f"/plans/testplan/reports/deliveries/{delivery.pk}.eml")
    assert copy.status_code == 200 and copy.content == bytes(delivery.message)
    client.force_login(viewer)
    assert client.get(f"/plans/testplan/reports/deliveries/{delivery.pk}.eml").status_code == 403
    # An administrator stops it.
    client.force_login(director)
    client.post("/plans/testplan/reports/subscriptions/", {"end": Subscription.objects.get().pk})
    assert Subscription.objects.get().ended_at is not None
