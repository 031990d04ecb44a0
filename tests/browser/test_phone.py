"""On a phone: no page is wider than a 360 px screen, in bokmål and in English (a crawl from
the start page with the four plans and the demo data, one page of each kind: each view with
each set of query parameters); and after a failed form the page opens on its error summary.

Wide tables and charts scroll sideways inside their own box (`.table-scroll`,
`.chart-canvas`): the page itself must not."""

import re
from collections import Counter, deque

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible, log_in
from tests.test_crawl import LINK, SKIP, page_kind

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 740}
# Two pages of each kind: one plan's or round's page may have what another's lacks.
PER_KIND = 2
# Links to files, not pages: exports and open data.
DOWNLOAD = re.compile(r"\.(csv|xlsx|json|pdf|docx)(\?|$)|[?&]format=csv")
# How far the page is wider than the screen, in CSS pixels (0 when it fits).
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# The widest element that sticks out of the screen, to name in a failure.
WIDEST = """() => {
  const scrolls = element => {
    for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) return true;
    }
    return false;
  };
  let worst = null;
  for (const element of document.querySelectorAll('body *')) {
    const right = element.getBoundingClientRect().right;
    if (right > window.innerWidth + 1 && !scrolls(element) && (!worst || right > worst.right)) {
      worst = {right, tag: element.tagName, cls: String(element.className), text:
               (element.textContent || '').trim().slice(0, 60)};
    }
  }
  return worst;
}"""


def kind(url: str) -> tuple[str, frozenset[str]] | str:
    """A page's kind whatever its language: the same view in English is the same kind."""
    return page_kind(url.removeprefix("/en"))


def crawl(page: Page, homes: list[str]) -> tuple[set[str], list[tuple[str, int, dict]]]:
    """Every kind of page reachable from `homes`, PER_KIND of each: the pages seen, and those
    wider than the screen with their overflow and the widest element."""
    seen, queue, wide = set(homes), deque(homes), []
    kinds = Counter(kind(home) for home in homes)
    while queue:
        url = queue.popleft()
        if DOWNLOAD.search(url):
            continue
        page.goto(url)
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            wide.append((url, overflow, page.evaluate(WIDEST)))
        for link in LINK.findall(page.content()):
            link = link.replace("&amp;", "&")
            if link not in seen and not SKIP.match(link) and kinds[kind(link)] < PER_KIND:
                seen.add(link)
                kinds[kind(link)] += 1
                queue.append(link)
    return seen, wide


@pytest.mark.parametrize("language", ["", "/en"], ids=["nb", "en"])
def test_no_page_is_wider_than_a_phone(page: Page, tmp_path, settings, demo_snapshot, language):
    settings.DATA_DIR = tmp_path
    demo_snapshot(tmp_path)
    User.objects.create_superuser("demo", password="hemmelig-passord-1")
    page.set_viewport_size(PHONE)
    log_in(page, "demo", "hemmelig-passord-1")
    seen, wide = crawl(page, [f"{language}/", f"{language}/p/"])
    assert wide == [], "\n".join(f"{url}: {px} px, {widest}" for url, px, widest in wide)
    # The crawl reached every part of the app, not just the start.
    for part in (
        "/indicators/",
        "/registers/",
        "/rounds/",
        "/answers/",
        "/batches/",
        "/edit/",
        "/organisations/",
        "/p/",
        "/import/",
        "/survey/",
        "/changes/",
    ):
        assert any(part in url for url in seen), part


def test_a_failed_form_opens_on_its_error_summary(page: Page, tmp_path, settings):
    User.objects.create_user("siv", password="hemmelig-passord-1")
    page.set_viewport_size(PHONE)
    page.goto("/login/")
    page.get_by_label("Brukernavn").fill("siv")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    summary = page.locator(".error-summary")
    assert summary.evaluate("element => element === document.activeElement")
    assert "Noe må rettes" in summary.inner_text()
    assert_accessible(page)
    # A problem with a field links to it: following the link puts the field in view.
    page.goto("/password/change/")
    log_in(page, "siv", "hemmelig-passord-1")
    page.goto("/password/change/")
    page.get_by_label("Gammelt passord").fill("feil")
    page.get_by_role("button").last.click()
    summary = page.locator(".error-summary")
    assert summary.evaluate("element => element === document.activeElement")
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#id_old_password"
    assert_accessible(page)
