"""What every request passes: bodies refused by their declared length before anything reads
them, and pages for a logged-in person kept private."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control


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
            declared = request.META.get("CONTENT_LENGTH") or ""
            chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            if chunked or (declared and (not declared.isdigit() or int(declared) > limit)):
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
