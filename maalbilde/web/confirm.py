"""The question before an action that removes, publishes or sends: what will happen, in
words, and a button that does it. Without JavaScript: the action's form posts to a page
that asks, and that page posts the same fields again, confirmed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "yes"


def ask_first(
    request: HttpRequest,
    *,
    title: str,
    consequences: list[str],
    button: str,
    back: str,
    preview: str = "",
    preview_context: dict | None = None,
) -> HttpResponse:
    """The page that asks: `consequences` say what will happen, `back` is where Cancel
    leads (nothing done); `preview`, a template shown with `preview_context`, what will be
    sent."""
    kept = [name for name in request.POST if name not in ("csrfmiddlewaretoken", CONFIRMED)]
    fields = [(name, value) for name in kept for value in request.POST.getlist(name)]
    return render(request, "web/confirm.html", {
        "title": title, "consequences": consequences, "button": button, "back": back,
        "fields": fields, "action": request.path, "preview": preview,
        **(preview_context or {}),
    })  # fmt: skip
