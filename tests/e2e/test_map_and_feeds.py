"""Following a story on the map, and subscribing to a list as a feed, in a real browser.

The archive is the real gazetteer plus the demo articles (see conftest.py); screenshots
land in tests/e2e/artifacts/.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or fails them under REQUIRE_BROWSER_TESTS)
    expect = None

pytestmark = pytest.mark.e2e

ATOM = "{http://www.w3.org/2005/Atom}"
PHRASE = '"Hayat Tahrir al-Sham"'


@pytest.fixture(autouse=True)
def _empty_cache():
    # Feeds are cached by URL, and every test loads the archive afresh.
    cache.clear()


def counted(title: str) -> int:
    """The number in a shape's or dot's title: "Idlib: 12 articles" → 12."""
    match = re.search(r": ([\d,]+) articles?$", title.strip())
    assert match, f"no count in {title!r}"
    return int(match.group(1).replace(",", ""))


def result_count(page) -> int:
    page.wait_for_load_state()
    heading = page.locator("#results-heading").inner_text()
    match = re.match(r"(\d[\d,]*) articles?", heading)
    assert match, f"no count in the results heading {heading!r}"
    return int(match.group(1).replace(",", ""))


def test_following_a_story_from_the_map_to_a_province_to_an_article(new_page, screenshot):
    page = new_page()
    page.goto("/articles/?" + f"q={PHRASE}")
    page.get_by_role("link", name="See on the map").click()

    expect(page).to_have_url(re.compile(r"/map/\?q="))
    expect(page.get_by_role("img", name=re.compile("^Map of Syria's governorates"))).to_be_visible()
    idlib = page.locator("svg a.map-area[href*='province=idlib']")
    on_the_map = counted(idlib.locator("title").text_content())
    assert on_the_map >= 1
    table_row = page.get_by_role("row", name=re.compile(r"^Idlib "))
    expect(table_row.get_by_role("cell").first).to_have_text(str(on_the_map))
    screenshot(page, "desktop-map")

    idlib.click()
    expect(page).to_have_url(re.compile(r"/articles/\?q=.*province=idlib"))
    expect(page.get_by_role("link", name="Remove filter Mentions Idlib")).to_be_visible()
    assert result_count(page) == on_the_map

    # The province: its districts, and the places the articles name as dots.
    page.goto(page.url.replace("/articles/", "/map/"))
    expect(page.get_by_role("heading", name="Idlib: districts and places")).to_be_visible()
    dot = page.locator("svg a.map-dot").first
    place = dot.locator("title").text_content()
    name, in_place = place.rsplit(":", 1)[0], counted(place)
    screenshot(page, "desktop-map-idlib")
    dot.click()
    expect(page).to_have_url(re.compile(r"/articles/\?.*location="))
    assert result_count(page) == in_place

    page.locator(".result-list .result__title a").first.click()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main a", has_text=name).first).to_be_visible()
    assert page.console.problems == []

    # The map is drawn by the server: without JavaScript it is the same picture.
    plain = new_page(java_script_enabled=False)
    plain.goto("/map/?province=idlib")
    expect(plain.locator("svg a.map-dot").first).to_be_visible()


def test_subscribing_to_a_feed(new_page):
    page = new_page()
    page.goto("/actors/hayat-tahrir-al-sham/")
    listed = page.locator(".result-list .result__title a").all_inner_texts()
    advertised = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    expect(advertised).to_have_count(1)
    href = advertised.get_attribute("href")
    assert href == "/articles/feed/?actor=hayat-tahrir-al-sham"

    visible = page.get_by_role("link", name="Atom feed")
    assert visible.get_attribute("href") == href
    response = page.request.get(href)

    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())  # noqa: S314 -- our own server's answer in a test
    assert feed.findtext(f"{ATOM}title") == "Syria news archive: Actor: Hayat Tahrir al-Sham"
    entries = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert entries[: len(listed)] == listed  # the list's order is newest first too
    for entry in feed.iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
