"""Errors as RFC 9457 problem details (`application/problem+json`), in the caller's language
(Accept-Language): a type, a title, the status and what went wrong."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse


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
