"""Following one story across outlets, and a group across its names, in a real browser.

The demo archive holds the Maarat al-Numan market strike from three outlets (Meridian East,
Orient Monitor, and Orient Arabic in Arabic; articles/data/demo-stories/), grouped as they
were loaded.
"""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or fails them under REQUIRE_BROWSER_TESTS)
    expect = None

pytestmark = pytest.mark.e2e

ORIGINAL = "Air strikes on Idlib market town kill at least 20, monitor says"
SECOND = "Monitor: at least 20 killed as jets strike Maarat al-Numan vegetable market"


def test_journalist_goes_from_an_article_to_its_other_outlets_reports(page, screenshot):
    page.goto("/articles/?q=Maarat")

    result = page.locator(".result").filter(has=page.locator(".result__story"))
    expect(result).to_have_count(1)
    story = result.locator("details.result__story")
    expect(story.locator("summary")).to_have_text("3 reports of this story")
    expect(story.get_by_role("link").first).to_be_hidden()  # folded until opened
    story.locator("summary").click()
    expect(story.get_by_role("link")).to_have_count(2)
    screenshot(page, "desktop-story-in-results")

    # The first report is the row or one of the folded ones, now unfolded.
    page.locator(".result-list").get_by_role("link", name=ORIGINAL, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORIGINAL)
    others = page.get_by_role("region", name="Also reported by 2 outlets")
    expect(others).to_be_visible()
    expect(others.get_by_role("link")).to_have_count(2)
    screenshot(page, "desktop-article-other-outlets")

    others.get_by_role("link", name=SECOND).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SECOND)
    expect(page.locator(".article__source")).to_contain_text("Orient Monitor")
    back = page.get_by_role("region", name="Also reported by 2 outlets")
    expect(back.get_by_role("link", name=ORIGINAL)).to_be_visible()
    assert page.console.problems == []


def test_analyst_widens_an_actor_to_its_predecessors_and_successors(page, screenshot):
    page.goto("/actors/hayat-tahrir-al-sham/")
    lineage = page.get_by_role("region", name="Lineage")
    expect(lineage.get_by_role("link", name="Nusra Front, 2012 to 2016")).to_be_visible()
    only_hts = int(re.match(r"\d+", page.locator("#results-heading").inner_text()).group())

    lineage.get_by_role("link", name=re.compile("Include its predecessors and successors")).click()

    expect(page).to_have_url(re.compile(r"lineage=1"))
    expect(
        page.get_by_role("link", name="Only articles naming Hayat Tahrir al-Sham")
    ).to_be_visible()
    widened = int(re.match(r"\d+", page.locator("#results-heading").inner_text()).group())
    assert widened > only_hts
    screenshot(page, "desktop-actor-lineage")
    assert page.console.problems == []
