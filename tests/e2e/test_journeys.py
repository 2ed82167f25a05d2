"""What readers, analysts and editors do on the site, in a real browser.

The archive is the real gazetteer plus the demo articles (articles/data/demo/), so the
journeys use names the demo reporting contains: Hayat Tahrir al-Sham, Russia, Idlib,
Maarat al-Numan. Screenshots land in tests/e2e/artifacts/.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User

from articles.editors import ensure_editors_group
from articles.models import Article

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips every test here (or fails them under REQUIRE_BROWSER_TESTS)
    expect = None

pytestmark = pytest.mark.e2e

PHRASE = '"Hayat Tahrir al-Sham"'
ACTOR_HIGHLIGHT = "rgb(253, 233, 217)"  # --actor-bg in static/css/site.css
PHONE = {"width": 375, "height": 740}


def result_count(page) -> int:
    """The number in the results heading ("12 articles matching …")."""
    page.wait_for_load_state()
    heading = page.locator("#results-heading").inner_text()
    match = re.match(r"(\d[\d,]*) articles?", heading)
    assert match, f"no count in the results heading {heading!r}"
    return int(match.group(1).replace(",", ""))


def facet(page, heading: str, name: str):
    """A facet link in the "Narrow down" column, under the section headed ``heading``."""
    section = page.locator(".facets section").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    return section.get_by_role("link", name=name, exact=True)


def shown_titles(page) -> list[str]:
    page.wait_for_load_state()
    return page.locator(".result-list .result__title a").all_inner_texts()


def test_journalist_searches_narrows_and_follows_an_actor(page, screenshot):
    page.goto("/")
    page.get_by_role("searchbox", name="Search the archive").fill(PHRASE)
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/articles/\?q="))
    expect(page.locator("#results-heading")).to_contain_text("matching")
    found = result_count(page)
    assert found >= 2
    marks = page.locator(".result__snippet mark")
    expect(marks.first).to_be_visible()
    marked = {text.strip() for text in marks.all_inner_texts()}
    assert {"Hayat", "Tahrir", "Sham"} <= marked
    assert "al" not in marked  # the "al" of al-Sham (or al-Assad) is a fragment, not a word
    screenshot(page, "desktop-search-results")

    facet(page, "Actors", "Russia").click()
    expect(page.get_by_role("link", name="Remove filter Actor: Russia")).to_be_visible()
    with_russia = result_count(page)
    assert 1 <= with_russia <= found

    facet(page, "Provinces mentioned", "Idlib").click()
    expect(page.get_by_role("link", name="Remove filter Mentions Idlib")).to_be_visible()
    narrowed = result_count(page)
    assert 1 <= narrowed <= with_russia
    expect(page).to_have_url(re.compile(r"actor=russia.*province=idlib"))
    expect(page.locator(".result__snippet mark").first).to_be_visible()

    page.get_by_role("link", name="Remove filter Actor: Russia").click()
    expect(page.get_by_role("link", name="Remove filter Actor: Russia")).to_have_count(0)
    expect(page.get_by_role("link", name="Remove filter Mentions Idlib")).to_be_visible()
    assert "actor=" not in page.url
    assert result_count(page) >= narrowed

    title = shown_titles(page)[0]
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    # However the article spells the group (an Arabic report names it هيئة تحرير الشام).
    tagged = page.locator('.article__body a.actor[href="/actors/hayat-tahrir-al-sham/"]').first
    expect(tagged).to_be_visible()
    expect(tagged).to_have_css("background-color", ACTOR_HIGHLIGHT)
    expect(page.locator(".article__body a.place").first).to_be_visible()
    screenshot(page, "desktop-article")

    tagged.click()
    expect(page).to_have_url(re.compile(r"/actors/hayat-tahrir-al-sham/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hayat Tahrir al-Sham")
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumb.locator("[aria-current=page]")).to_have_text("Hayat Tahrir al-Sham")
    expect(breadcrumb.get_by_role("link", name="Hayat Tahrir al-Sham")).to_have_count(0)
    expect(page.locator(".result-list").get_by_role("link", name=title, exact=True)).to_be_visible()
    screenshot(page, "desktop-actor")
    assert page.console.problems == []


def test_the_home_pages_example_search_finds_articles(page):
    page.goto("/")
    search = page.get_by_role("searchbox", name="Search the archive")
    example = search.get_attribute("placeholder").removeprefix("e.g. ")

    search.fill(example)
    page.get_by_role("button", name="Search").click()

    expect(page.locator("#results-heading")).to_contain_text(f"matching {example}")
    assert result_count(page) >= 1
    assert page.console.problems == []


def test_analyst_downloads_the_filtered_articles_as_csv(page):
    page.goto("/articles/")
    facet(page, "Provinces mentioned", "Idlib").click()
    expect(page.get_by_role("link", name="Remove filter Mentions Idlib")).to_be_visible()
    in_idlib = result_count(page)

    page.get_by_text("Dates and order").click()
    page.get_by_label("Published on or after").fill("2018-01-01")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"published_after=2018-01-01"))
    expect(page).to_have_url(re.compile(r"province=idlib"))
    # A story's other reports are folded under its row; the export lists every article.
    shown = shown_titles(page) + page.locator(".result__story li > a").all_text_contents()
    assert 1 <= result_count(page) == len(shown) < in_idlib, "expected one page of results"

    with page.expect_download() as info:
        page.locator(".results__exports").get_by_role("link", name="CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))

    header, records = rows[0], rows[1:]
    assert header[:5] == ["id", "url", "source", "published", "title"]
    assert len(records) == len(shown)
    assert sorted(record[header.index("title")] for record in records) == sorted(shown)
    assert all(record[header.index("published")] >= "2018-01-01" for record in records)
    assert all("Idlib" in record[header.index("provinces")] for record in records)
    assert page.console.problems == []


def test_place_page_shows_its_breadcrumb_and_chart(page, screenshot):
    page.goto("/places/maarat-al-numan/")

    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumb.get_by_role("listitem")).to_have_text(
        ["Places", "Syria", "Idlib", "Maarat al-Numan"]
    )
    expect(breadcrumb.locator("[aria-current=page]")).to_have_text("Maarat al-Numan")
    chart = page.get_by_role("img", name=re.compile("Articles per month"))
    expect(chart).to_be_visible()
    assert chart.locator("rect.chart__bar").count() >= 1
    box = chart.bounding_box()
    assert box["width"] > 300
    assert box["height"] > 50

    page.get_by_text("Show the numbers").click()
    expect(page.locator(".chart__data table")).to_be_visible()
    screenshot(page, "desktop-place")

    breadcrumb.get_by_role("link", name="Idlib").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Idlib")
    assert page.console.problems == []


def test_the_main_pages_fit_a_phone_screen(new_page, screenshot):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    article = Article.objects.filter(title__icontains="Idlib").order_by("pk").first()
    pages = {
        "home": "/",
        "search-results": "/articles/?" + urlencode({"q": PHRASE}),
        "article": article.get_absolute_url(),
        "actor": "/actors/hayat-tahrir-al-sham/",
        "place": "/places/maarat-al-numan/",
    }
    too_wide = {}
    for name, url in pages.items():
        page.goto(url)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if widths[0] > widths[1]:
            too_wide[name] = widths
        screenshot(page, f"phone-{name}")
    assert too_wide == {}, "pages scroll sideways at 375 px: {name: [scrollWidth, clientWidth]}"

    page.goto("/articles/")
    search = page.get_by_role("searchbox", name="Search the archive")
    expect(search).to_be_visible()
    search.fill("Idlib")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".result-list .result").first).to_be_visible()
    assert page.console.problems == []


def test_search_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/articles/")
    page.get_by_role("searchbox", name="Search the archive").fill("Idlib")
    page.get_by_text("Dates and order").click()  # <details> needs no script
    page.get_by_label("Order").select_option("oldest")  # no autosubmit without script
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"q=Idlib.*sort=oldest"))
    expect(page.locator(".results__order")).to_have_text("Ordered by date, oldest first.")
    page.wait_for_load_state()
    dates = page.locator(".result-list .result__meta time").evaluate_all(
        "times => times.map(time => time.getAttribute('datetime'))"
    )
    assert len(dates) >= 2
    assert dates == sorted(dates)
    expect(page.locator(".result__snippet mark").first).to_be_visible()

    facet(page, "Provinces mentioned", "Idlib").click()
    page.get_by_role("link", name="Remove filter Mentions Idlib").click()
    expect(page.get_by_role("link", name="Remove filter Mentions Idlib")).to_have_count(0)
    expect(page.locator("#q")).to_have_value("Idlib")


def test_main_pages_have_no_console_errors_or_csp_violations(page, screenshot):
    article = Article.objects.order_by("pk").first()
    pages = [
        ("home", "/"),
        (None, "/articles/?" + urlencode({"q": PHRASE, "sort": "relevance"})),
        (None, "/articles/?province=idlib&published_after=2019-01-01"),
        (None, article.get_absolute_url()),
        (None, "/actors/"),
        (None, "/actors/syrian-observatory-for-human-rights/"),
        (None, "/places/"),
        (None, "/places/idlib/"),
        (None, "/sources/"),
    ]
    statuses = {}
    for name, url in pages:
        response = page.goto(url)
        statuses[url] = response.status
        expect(page.locator("main h1").first).to_be_visible()
        if name:
            screenshot(page, f"desktop-{name}")
    # The stylesheet and script were served (a failed load would be a console error too).
    assert page.evaluate("() => getComputedStyle(document.body).fontFamily") != "Times New Roman"
    assert set(statuses.values()) == {200}, statuses
    assert page.console.problems == []

    # The one script works: choosing an order submits the form on its own.
    page.goto("/articles/?q=Idlib")
    page.get_by_text("Dates and order").click()
    page.get_by_label("Order").select_option("oldest")
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    assert page.console.problems == []


PASTED_ARTICLE = """Rebels repel night raid on the edge of Nawa

NAWA, Syria - Fighters of the Free Syrian Army said on Tuesday they had pushed back an
overnight advance by Syrian government forces on the western edge of Nawa, in Daraa
province, after four hours of fighting.

The Syrian Observatory for Human Rights said six fighters were killed on each side and that
government forces shelled farmland south of the town at dawn.
"""


def test_editor_imports_pasted_text_and_lands_on_the_article(page, screenshot):
    editor = User.objects.create_user("rania", password="a-long-editor-password", is_staff=True)
    editor.groups.add(ensure_editors_group())

    page.goto("/admin/")
    page.get_by_label("Username").fill("rania")
    page.get_by_label("Password").fill("a-long-editor-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Import article").click()
    expect(page.get_by_role("heading", name="Import an article")).to_be_visible()
    page.get_by_label("Pasted text").fill(PASTED_ARTICLE)
    page.locator("#id_source").fill("Levant Wire")
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_role("heading", name="Review what was extracted")).to_be_visible()
    title_cell = page.get_by_role("row", name=re.compile("^Title")).get_by_role("cell")
    expect(title_cell).to_have_text("Rebels repel night raid on the edge of Nawa")
    actors = page.locator("#content-main h3:has-text('Actors') + ul")
    expect(actors).to_contain_text("Free Syrian Army")
    expect(actors).to_contain_text("Syrian government forces")
    expect(actors).to_contain_text("Syrian Observatory for Human Rights")
    assert not Article.objects.filter(title__contains="night raid").exists()
    screenshot(page, "desktop-admin-import-preview")

    page.get_by_role("button", name="Save article").click()

    article = Article.objects.get(title="Rebels repel night raid on the edge of Nawa")
    expect(page).to_have_url(re.compile(rf"/admin/articles/article/{article.pk}/change/$"))
    expect(page.locator(".messagelist")).to_contain_text("Rebels repel night raid")
    expect(page.locator("#id_title")).to_have_value(article.title)
    assert article.actors.filter(slug="free-syrian-army").exists()
