"""Errors as RFC 9457 problem details (`application/problem+json`), in the caller's language
(Accept-Language): a type, a title, the status and what went wrong."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class Problem(Exception):
    """An error to answer with: its status, a short title and what went wrong."""

    def __init__(self, status: int, title: str, detail: str = "",
                 headers: dict[str, str] | None = None, **more: Any) -> None:  # fmt: skip
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.more = status, title, detail, more
        self.headers = headers or {}


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    body = {"type": "about:blank", "title": problem.title, "status": problem.status,
            **({"detail": problem.detail} if problem.detail else {}),
            "instance": request.path, **problem.more}  # fmt: skip
    response = HttpResponse(json.dumps(body, ensure_ascii=False, default=str),
                            status=problem.status,
                            content_type="application/problem+json")  # fmt: skip
    if problem.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="maalbilde"'
    for name, value in problem.headers.items():
        response[name] = value
    return response


PROBLEM_SCHEMA = {
    "type": "object", "required": ["type", "title", "status"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                   "status": {"type": "integer"}, "detail": {"type": "string"},
                   "instance": {"type": "string"}},
}  # fmt: skip
WORDS = {"400": "Bad request", "401": "No valid token or session", "403": "Not allowed here",
         "404": "Not found, or not the caller's", "409": "Conflicts with stored data",
         "413": "Too large", "415": "Unsupported body", "422": "Not valid",
         "429": "Too many requests"}  # fmt: skip


def problems(*codes: int) -> dict[str, Any]:
    """The error answers of an operation, for its OpenAPI description: those given, and those
    of every operation (a body that cannot be read, no valid token, a request not valid, too
    many requests)."""
    return {"responses": {str(code): {
        "description": WORDS[str(code)],
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    } for code in sorted({*codes, 400, 401, 422, 429})}}  # fmt: skip


def invalid_words(error: dict[str, Any]) -> str:
    """What is wrong with one part of a request, in the caller's language: the words of the
    validation's common errors, its own (English) words for the rarer ones."""
    context = {key: value if isinstance(value, int | float) else str(value)
               for key, value in (error.get("ctx") or {}).items()}  # fmt: skip
    if "expected" in context:  # the choices, listed by the validation in English
        either = _("or")
        context["expected"] = str(context["expected"]).replace(" or ", f" {either} ")
    words = {
        "missing": _("is required"),
        "int_parsing": _("must be a whole number"), "int_type": _("must be a whole number"),
        "int_from_float": _("must be a whole number"),
        "float_parsing": _("must be a number"), "float_type": _("must be a number"),
        "bool_parsing": _("must be true or false"), "bool_type": _("must be true or false"),
        "string_type": _("must be a text"), "list_type": _("must be a list"),
        "dict_type": _("must be an object"), "model_type": _("must be an object"),
        "model_attributes_type": _("must be an object"), "json_invalid": _("is not valid JSON"),
        "string_too_long": _("may be at most %(max_length)s characters"),
        "string_too_short": _("must be at least %(min_length)s characters"),
        "greater_than_equal": _("must be at least %(ge)s"),
        "greater_than": _("must be more than %(gt)s"),
        "less_than_equal": _("may be at most %(le)s"), "less_than": _("must be less than %(lt)s"),
        "literal_error": _("must be one of %(expected)s"), "enum": _("must be one of %(expected)s"),
        "int_parsing_size": _("is too large a number"),
    }  # fmt: skip
    text = words.get(str(error.get("type", "")))
    try:
        return text % context if text else str(error.get("msg", ""))
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def invalid_request(errors: list[Any]) -> Problem:
    """A request its schema refuses (422): each error with its words in the caller's
    language, and all of them in the detail ("year: must be a whole number")."""
    errors = [{**e, "msg": invalid_words(e)} for e in errors if isinstance(e, dict)]
    return Problem(422, _("The request is not valid"), _detail(errors), errors=errors)


def refusal(title: str, errors: dict[str, str], *place: str) -> Problem:
    """What a service refused (422), in the same shape as what a schema refuses: each
    part's error where it is in the body (`place`, then the part's name; the whole without
    one) and all of them in the detail."""
    listed = [{"loc": ["body", *place, *([name] if name else [])], "msg": text,
               "type": "refused"} for name, text in errors.items()]  # fmt: skip
    return Problem(422, title, _detail(listed), errors=listed)


def _detail(errors: list[dict[str, Any]]) -> str:
    """The errors in one text: "figure.year: must be a whole number." for each part (the
    place after the body, query or path it is in), the message alone for the whole."""
    texts = []
    for error in errors:
        where = ".".join(str(part) for part in tuple(error.get("loc") or ())[1:])
        message = str(error.get("msg", "")).rstrip(".")
        texts.append(f"{where}: {message}." if where else f"{message}.")
    return " ".join(texts)
