"""The API fuzzed from its own OpenAPI document (schemathesis), with a token of each scope:
no server error and no answer that breaks the document, for any request the document allows
— and for many it does not. Bounded: 20 requests an operation and scope."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.test_api import plan, token  # noqa: F401 (plan is a fixture)

pytestmark = pytest.mark.django_db
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def one_connection():
    """The app is called in-process, inside the test's transaction: it must not close the
    database connection after each request, as it does when it serves (Django's test client
    does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["read", "import", "answer"])
def secret(request, plan):  # noqa: F811
    return token(scopes=[request.param])[1]


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_error_and_every_answer_as_documented(case, secret):
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"})
