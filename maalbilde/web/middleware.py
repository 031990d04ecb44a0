"""What every request passes: bodies refused by their declared length before anything reads
them, and pages for a logged-in person kept private."""

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


def body_too_large(request: HttpRequest, limit: int) -> bool:
    """Whether a request declares a body longer than `limit` bytes (or a length that is no
    number): refused from its declared length, before any of it is read."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    return not (declared.isascii() and declared.isdigit()) or int(declared) > limit


def pasted_text_too_large(request: HttpRequest, text_limit: int) -> bool:
    """Whether a form posted with a text field (a plan or round file pasted in) is longer
    than such a text of `text_limit` bytes can be: URL-encoded, a text takes up to three
    times its size (æ is %C3%A6), and the form's other fields a little more."""
    return request.method == "POST" and body_too_large(request, 3 * text_limit + 16 * 1024)


def body_limits(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """A body longer than any page takes is refused (413) from its declared length, before
    the CSRF check or a view reads it, which would write a file upload to disk: for a
    person logged in, longer than an upload may be; for anybody else, longer than a form
    without a file. Bodies without a declared length (chunked) are refused too."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            limit = (
                settings.WEB_UPLOAD_MAX_BYTES
                if request.user.is_authenticated
                else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            )
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            if chunked or body_too_large(request, limit):
                if request.path.startswith("/api/"):  # systems read problem details
                    with translation.override(translation.get_language_from_request(request)):
                        problem = {"type": "about:blank", "title": _("Too large"), "status": 413,
                                   "detail": _("A body may be at most %(limit)s bytes.")
                                   % {"limit": limit}, "instance": request.path}  # fmt: skip
                    return HttpResponse(json.dumps(problem, ensure_ascii=False), status=413,
                                        content_type="application/problem+json")  # fmt: skip
                page = loader.render_to_string("413.html", {"limit": limit}, request)
                return HttpResponse(page, status=413)
        return get_response(request)

    return middleware


def private_pages(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
