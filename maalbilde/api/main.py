"""The HTTP API, version 1, at /api/v1/: its OpenAPI document at /api/v1/openapi.json and
interactive docs at /api/docs. Systems call it with a token of their organisation; the
app's own pages with the person's session. Every write goes through the services the web
pages and the command line use."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import conditional_page
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from maalbilde.api import data, figures, funding, plans, reports, rounds
from maalbilde.api.auth import SessionAuth, TokenAuth
from maalbilde.api.problems import Problem, invalid_request, problem_response

api = NinjaAPI(
    title="Målbilde API", version="1", urls_namespace="api",
    description="Plans, indicators and status; pushing rows from ticket and booking systems. "
    "Authenticate with `Authorization: Bearer <token>`; a token is made by an administrator "
    "of its organisation (the organisation's page → API tokens).",
    auth=[TokenAuth(), SessionAuth()], docs_url="/docs",
)  # fmt: skip
api.add_router("/", plans.router)
api.add_router("/", data.router)
api.add_router("/", figures.router)
api.add_router("/", rounds.router)
api.add_router("/", funding.router)
api.add_router("/", reports.router)


@api.exception_handler(Problem)
def _problem(request: HttpRequest, error: Problem) -> HttpResponse:
    return problem_response(request, error)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem_response(request, Problem(401, _("Not authenticated"), _(
        "Send a valid API token: Authorization: Bearer <token>. A revoked or expired token is "
        "refused.")))  # fmt: skip


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return problem_response(request, invalid_request(error.errors))


@api.exception_handler(HttpError)
def _http(request: HttpRequest, error: HttpError) -> HttpResponse:
    if error.status_code == 400:  # the only one the framework raises: a body it cannot parse
        return problem_response(request, Problem(400, _("The body cannot be read"), _(
            "Send the body as JSON in UTF-8, as the operation describes.")))  # fmt: skip
    return problem_response(request, Problem(error.status_code, str(error)))


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return problem_response(request, Problem(403, _("Not allowed"), str(error) or _(
        "The token or person may not do this here.")))  # fmt: skip


@api.exception_handler(Http404)
def _missing(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem_response(request, Problem(404, _("Not found")))


def _in_callers_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answers in the language the caller asks for (Accept-Language): the site's pages take
    theirs from the address, which the API's does not carry."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(translation.get_language_from_request(request)):
            return view(request, *args, **kwargs)

    return answer


def _method_as_problem(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A method the address does not take (405) answered as a problem too."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "problem" not in response.get("Content-Type", ""):
            refused = problem_response(request, Problem(405, _("Method not allowed")))
            refused["Allow"] = response.get("Allow", "")
            return refused
        return response

    return answer


@login_not_required
def unknown_address(request: HttpRequest, rest: str = "") -> HttpResponse:
    """An address under /api/ that is none of the API's: a problem, not the site's page."""
    with translation.override(translation.get_language_from_request(request)):
        return problem_response(request, Problem(404, _("Not found")))


def urls() -> list[URLPattern]:
    """The API's addresses, open to requests without a session (the API authenticates)."""
    patterns, _app, _namespace = api.urls
    for pattern in patterns:
        # Reads carry an ETag and answer If-None-Match with 304 Not Modified.
        view = conditional_page(_method_as_problem(_in_callers_language(pattern.callback)))
        pattern.callback = login_not_required(view)
    return [path("api/v1/", (patterns, "api", "api")),
            path("api/<path:rest>", unknown_address)]  # fmt: skip
