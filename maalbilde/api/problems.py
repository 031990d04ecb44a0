"""Errors as RFC 9457 problem details (`application/problem+json`), in the caller's language
(Accept-Language): a type, a title, the status and what went wrong."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse


class Problem(Exception):
    """An error to answer with: its status, a short title and what went wrong."""

    def __init__(self, status: int, title: str, detail: str = "", **more: Any) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.more = status, title, detail, more


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    body = {"type": "about:blank", "title": problem.title, "status": problem.status,
            **({"detail": problem.detail} if problem.detail else {}),
            "instance": request.path, **problem.more}  # fmt: skip
    response = HttpResponse(json.dumps(body, ensure_ascii=False, default=str),
                            status=problem.status,
                            content_type="application/problem+json")  # fmt: skip
    if problem.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="maalbilde"'
    return response
