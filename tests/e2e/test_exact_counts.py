"""A list larger than a page counts at once, in a real browser: the exact figures replace
the "Counting…" state in place, and without JavaScript its link opens them."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from articles.models import Article

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or fails them under REQUIRE_BROWSER_TESTS)
    expect = None

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _small_pages(settings):
    # The demo archive has a few dozen articles; a page counts five at once.
    settings.ARCHIVE_FACET_SAMPLE = 5
    settings.ARCHIVE_COUNT_CAP = 5
    cache.clear()


# Every article alone reads its maintained figures, exact at once; dated, it is a query to
# count (the demo's undated articles aside).
DATED = "published_after=2000-01-01"


def test_the_exact_counts_replace_the_counting_state_in_place(page):
    total = Article.objects.public().filter(published_on__gte="2000-01-01").count()

    served = page.goto(f"/articles/?{DATED}")

    assert "Counting all 5+ matches…" in served.text()  # as served, before the script ran
    heading = page.locator("#results-heading")
    expect(heading).to_have_text(f"{total:,} articles")
    expect(page.locator("#facets .facet-list").first).to_be_visible()
    expect(page.locator("#results-timeline figure.chart")).to_be_visible()
    expect(page.get_by_text("Counting all")).to_have_count(0)
    assert page.url.endswith(f"/articles/?{DATED}")
    assert page.console.problems == []


def test_the_map_is_shaded_in_place_once_counted(page):
    served = page.goto(f"/map/?{DATED}")

    assert "Counting all 5+ matches…" in served.text()
    expect(page.get_by_role("img", name=re.compile("^Map of Syria's governorates"))).to_be_visible()
    expect(page.locator("#map-total")).to_have_text(re.compile(r"^\d[\d,]* articles\.$"))
    assert page.console.problems == []


def test_without_javascript_the_counting_link_opens_the_exact_counts(new_page):
    total = Article.objects.public().filter(published_on__gte="2000-01-01").count()
    page = new_page(java_script_enabled=False)

    page.goto(f"/articles/?{DATED}&sort=oldest")
    page.get_by_role("link", name="Counting all 5+ matches…").first.click()

    expect(page).to_have_url(re.compile(rf"/articles/counts/\?{DATED}&sort=oldest$"))
    expect(page.locator("h1")).to_have_text("Exact counts: the archive")
    expect(page.locator("#results-heading")).to_have_text(f"{total:,} articles")
    page.get_by_role("link", name="Read them as a list").click()
    expect(page).to_have_url(re.compile(rf"/articles/\?{DATED}&sort=oldest$"))
    # Counted once, the list shows the figures itself, script or not.
    expect(page.locator("#results-heading")).to_have_text(f"{total:,} articles")
