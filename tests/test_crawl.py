"""Every page reachable from the home page, with the four plans and the demo data, answers
without an error, as an administrator: in bokmål each link followed once, in English each
kind of page (a few of each view and set of query parameters: the words differ, not the
figures)."""

import re
from collections import Counter, deque
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="(/[^"#]*)"')
# Links that change state or leave the app's own pages.
SKIP = re.compile(r"^/(en/)?(admin/|logout/|i18n/|static/)")
MOST_PAGES = 600


def page_kind(url: str) -> tuple[str, frozenset[str]] | str:
    """The view a link leads to and the query parameters it sets; the link itself where it
    leads to no view (it should then fail)."""
    parts = urlsplit(url)
    try:
        return resolve(parts.path).route, frozenset(parse_qs(parts.query))
    except Resolver404:
        return url


@pytest.mark.parametrize(
    "home, key, per_kind, at_least",
    # Three of each kind in English: one plan's page may lack a link another's has.
    [("/", str, 1, 150), ("/en/", page_kind, 3, 60)],
    ids=["nb", "en"],
)
def test_every_page_answers(client, demo_data, settings, home, key, per_kind, at_least):
    settings.DATA_DIR = demo_data
    client.force_login(User.objects.create_superuser("demo", password="x"))
    seen, queue, failed = {home}, deque([home]), []
    kinds = Counter({key(home): 1})
    while queue and len(seen) < MOST_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code not in (200, 302):
            failed.append((url, response.status_code))
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if link not in seen and not SKIP.match(link) and kinds[key(link)] < per_kind:
                seen.add(link)
                kinds[key(link)] += 1
                queue.append(link)
    assert failed == []
    # The crawl reached the parts of the app: plans, indicators, registers, rounds, answers.
    for part in ("/indicators/", "/registers/", "/rounds/", "/answers/", "/batches/"):
        assert any(part in url for url in seen), part
    assert len(seen) > at_least
