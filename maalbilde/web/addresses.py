"""The address a request comes from, for login throttling.

Each proxy appends the address it was reached from to X-Forwarded-For, so with N proxies of
our own the person's address is the N-th from the right; everything to the left of it was
written by the client and may be forged. (django-ipware's proxy count takes the leftmost
address, which a client can choose; hence these few lines.)
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    proxies = settings.PROXY_COUNT
    if not proxies:
        return request.META.get("REMOTE_ADDR")
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in chain if a]
    # Fewer addresses than proxies: the request did not come through them all.
    return chain[-proxies] if len(chain) >= proxies else request.META.get("REMOTE_ADDR")
