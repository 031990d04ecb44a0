"""Every page reachable from the home page, with the four plans and the demo data, answers
without an error, in bokmål and in English: each link followed once, as an administrator."""

import re
from collections import deque

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="(/[^"#]*)"')
# Links that change state or leave the app's own pages.
SKIP = re.compile(r"^/(en/)?(admin/|logout/|i18n/|static/)")
MOST_PAGES = 600


@pytest.mark.parametrize("home", ["/", "/en/"])
def test_every_page_answers(client, demo_data, settings, home):
    settings.DATA_DIR = demo_data
    client.force_login(User.objects.create_superuser("demo", password="x"))
    seen, queue, failed = {home}, deque([home]), []
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
            if link not in seen and not SKIP.match(link):
                seen.add(link)
                queue.append(link)
    assert failed == []
    # The crawl reached the parts of the app: plans, indicators, registers, rounds, answers.
    for part in ("/indicators/", "/registers/", "/rounds/", "/answers/", "/batches/"):
        assert any(part in url for url in seen), part
    assert len(seen) > 150
