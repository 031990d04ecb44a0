"""Changing the interface's language on the page one is on.

Django's `set_language` translates the page's address only when it can resolve it in the
request's language; the default language's addresses carry no prefix, so from "/en/…" back
to bokmål it cannot, and the page stayed English. Here the prefix is put right by hand.
"""

import re

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language

_PREFIX = re.compile(
    rf"^/(?:{'|'.join(re.escape(code) for code, _name in settings.LANGUAGES)})(?=/)"
)


@login_not_required
def change_language(request: HttpRequest) -> HttpResponse:
    response = set_language(request)
    language = request.POST.get("language", "")
    target = response.get("Location", "")
    if (
        language in dict(settings.LANGUAGES)
        and target.startswith("/")
        and not target.startswith("//")
    ):
        path = _PREFIX.sub("", target)
        response["Location"] = path if language == settings.LANGUAGE_CODE else f"/{language}{path}"
    return response
