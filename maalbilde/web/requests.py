"""Every request gets an id: in each log line written while it is handled, in the response's
X-Request-ID header, and on the error page, so that a person who meets an error can quote
it and the log shows what happened. The response also says how long the app took
(Server-Timing, shown by browsers' developer tools and read by bench/load_bench.py)."""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.template import loader

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# An id from a proxy in front is kept if it is a plain token; anything else is replaced.
_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_ids(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _TOKEN.fullmatch(given) else uuid.uuid4().hex[:16]
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = get_response(request)
        finally:
            REQUEST_ID.reset(token)
        response["X-Request-ID"] = request_id
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response

    return middleware


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being handled on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def error_reporting_start(dsn: str, environment: str) -> None:
    """Send unhandled errors to Sentry (or a service that speaks its protocol): without
    cookies, form data, local variables (they hold figures and session keys) or who was
    logged in, each tagged with its request id so that the
    report and the log lines can be read together."""
    import sentry_sdk

    def tagged(event: dict, hint: dict) -> dict:
        event.setdefault("tags", {})["request_id"] = REQUEST_ID.get()
        return event

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=0,
        before_send=tagged,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The error page in the person's language, with the id to quote."""
    page = loader.get_template("500.html").render({"request_id": REQUEST_ID.get()}, request)
    return HttpResponseServerError(page)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form that is too old to be sent (opened before a new login, or in another tab): a
    page in the person's language that says what to do, not Django's technical one."""
    page = loader.get_template("403_csrf.html").render({}, request)
    return HttpResponseForbidden(page)
