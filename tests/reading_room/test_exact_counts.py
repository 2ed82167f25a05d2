"""Every number a reader sees covers every matching article: past what a page counts at
once, it says it is counting and the counts page gives the exact figures."""

import datetime
import html as html_lib
import re

import pytest

from articles import services
from articles.gazetteer_db import gazetteer_from_database
from articles.models import ActorMention
from tests.factories import ArticleFactory
from tests.reading_room.conftest import EVERY_ARTICLE_DATED, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(settings):
    """A page counts at most three matches at once; the archive's four public articles are
    more than that."""
    settings.ARCHIVE_FACET_SAMPLE = 3
    settings.ARCHIVE_COUNT_CAP = 3


def facets(response) -> dict[str, list[tuple[str, int]]]:
    shown = response.context["results"].facets
    return {
        "actors": [(f.label, f.count) for group in shown.actors for f in group.actors],
        "provinces": [(f.label, f.count) for f in shown.provinces],
        "sources": [(f.label, f.count) for f in shown.sources],
        "years": [(f.label, f.count) for f in shown.years],
    }


def heading(response) -> str:
    page = response.content.decode()
    match = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', page, re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_a_search_with_more_matches_than_the_page_counts_at_once_shows_counting_and_the_counts_page_gives_every_facet_exactly(  # noqa: E501
    client, archive, small_pages
):
    listed = client.get("/articles/", EVERY_ARTICLE_DATED)
    counted = client.get("/articles/counts/", EVERY_ARTICLE_DATED)

    assert heading(listed) == "Counting all 3+ matches…"
    assert titles(listed) == [
        "Chlorine attack reported in Khan Shaykhun",
        "Market reopens in Hama",
        "Russian jets strike the coast",
    ]
    assert heading(counted) == "4 articles"
    assert facets(counted) == {
        # By kind (armed groups, state forces, states, monitors), then by count.
        "actors": [
            ("Jund al-Aqsa", 1),
            ("Syrian Arab Army", 2),
            ("Russia", 2),
            ("Syrian Observatory for Human Rights", 1),
        ],
        "provinces": [("Hama", 2), ("Idlib", 1), ("Latakia", 1)],
        "sources": [("Levant Wire", 2), ("Orient Monitor", 2)],
        "years": [("2017", 1), ("2016", 3)],
    }
    months = [(bar.month, bar.count) for bar in counted.context["results"].chart.rows]
    assert months == [
        (datetime.date(2016, 9, 1), 2),
        (datetime.date(2016, 10, 1), 1),
        (datetime.date(2017, 4, 1), 1),
    ]


def test_the_whole_archive_is_counted_exactly_at_once_from_its_maintained_figures(
    client, archive, small_pages
):
    listed = client.get("/articles/")

    assert heading(listed) == "4 articles"
    assert "Counting all" not in listed.content.decode()
    assert facets(listed) == facets(client.get("/articles/counts/", EVERY_ARTICLE_DATED))
    assert titles(listed)[:3] == [
        "Chlorine attack reported in Khan Shaykhun",
        "Market reopens in Hama",
        "Russian jets strike the coast",
    ]


def test_once_counted_the_list_itself_shows_the_exact_figures(client, archive, small_pages):
    client.get("/articles/counts/", EVERY_ARTICLE_DATED)  # what the counting link asks

    listed = client.get("/articles/", EVERY_ARTICLE_DATED)

    assert heading(listed) == "4 articles"
    assert "Counting all" not in listed.content.decode()
    assert facets(listed)["sources"] == [("Levant Wire", 2), ("Orient Monitor", 2)]
    assert "Page 1 of" not in listed.content.decode()  # all four on one page


def test_without_javascript_the_counting_link_opens_a_page_of_the_exact_counts_with_the_same_filters(  # noqa: E501
    client, archive, settings
):
    settings.ARCHIVE_FACET_SAMPLE = 1
    settings.ARCHIVE_COUNT_CAP = 1

    # A source alone is read from the maintained figures, exact at once: a date makes it a
    # query they do not hold.
    query = {"source": "levant-wire", "published_after": "2000-01-01", "sort": "oldest"}
    listed = client.get("/articles/", {**query, "page": "1"})
    link = re.search(
        r'<h2 id="results-heading"[^>]*><a href="([^"]+)"[^>]*>', listed.content.decode()
    ).group(1)
    counted = client.get(html_lib.unescape(link))
    page = counted.content.decode()

    assert html_lib.unescape(link) == (
        "/articles/counts/?source=levant-wire&published_after=2000-01-01&sort=oldest"
    )
    assert counted.status_code == 200
    assert "<h1>Exact counts: the archive</h1>" in page
    assert 'aria-label="Remove filter Source: Levant Wire"' in html_lib.unescape(page)
    assert heading(counted) == "2 articles"
    assert facets(counted)["provinces"] == [("Hama", 1), ("Latakia", 1)]
    assert (
        '<a href="/articles/?source=levant-wire&amp;published_after=2000-01-01&amp;sort=oldest">'
        "Read them as a list</a>"
    ) in page


def test_the_counts_change_on_the_next_request_after_an_article_is_hidden(
    client, archive, small_pages, django_capture_on_commit_callbacks
):
    before = client.get("/articles/counts/")

    with django_capture_on_commit_callbacks(execute=True):
        services.set_hidden([archive.naqous], True, reason="duplicate")
    after = client.get("/articles/counts/")
    api = client.get("/api/articles/").json()

    assert heading(before) == "4 articles"
    assert heading(after) == "3 articles"
    assert facets(after)["sources"] == [("Orient Monitor", 2), ("Levant Wire", 1)]
    assert facets(after)["provinces"] == [("Hama", 1), ("Idlib", 1), ("Latakia", 1)]
    assert api["count"] == 3


def test_the_counts_change_on_the_next_request_after_a_tag_is_rejected(
    client, archive, small_pages, django_capture_on_commit_callbacks
):
    client.get("/articles/counts/", EVERY_ARTICLE_DATED)
    mention = ActorMention.objects.get(article=archive.latakia, actor=archive.actors.russia)

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_tag(mention, "rejected", reason="the jets were not named")
    listed = client.get("/articles/", EVERY_ARTICLE_DATED)
    counted = client.get("/articles/counts/", EVERY_ARTICLE_DATED)

    assert heading(listed) == "Counting all 3+ matches…"  # the cached figures are gone
    assert ("Russia", 1) in facets(counted)["actors"]
    assert ("Russia", 1) in facets(client.get("/articles/"))["actors"]  # maintained


def test_the_counts_change_on_the_next_request_after_an_article_is_re_tagged(
    client, archive, small_pages, django_capture_on_commit_callbacks
):
    untagged = ArticleFactory(
        title="Fighting resumes near the plain",
        body="Jund al-Aqsa fighters returned to the edge of the plain on Monday.",
        published_on=datetime.date(2018, 3, 5),
    )
    before = client.get("/articles/counts/")

    with django_capture_on_commit_callbacks(execute=True):
        services.retag_article(untagged, gazetteer_from_database(), reason="new gazetteer")
    after = client.get("/articles/counts/")

    assert ("Jund al-Aqsa", 1) in facets(before)["actors"]
    assert ("Jund al-Aqsa", 2) in facets(after)["actors"]
    assert heading(after) == "5 articles"


def test_an_actor_page_counts_its_articles_exactly_without_naming_the_actor_alongside_itself(
    client, archive, settings
):
    settings.ARCHIVE_FACET_SAMPLE = 1
    settings.ARCHIVE_COUNT_CAP = 1

    page = client.get("/actors/russia/")
    counted = client.get("/actors/russia/counts/")

    # Its maintained figures are exact at once: nothing left to count, whatever the cap.
    assert "Counting all" not in page.content.decode()
    assert heading(page) == "2 articles"
    assert heading(counted) == "2 articles"
    assert facets(counted)["actors"] == [
        ("Syrian Arab Army", 1),
        ("Syrian Observatory for Human Rights", 1),
    ]
    assert "<h3>Named alongside</h3>" in counted.content.decode()


def test_a_place_page_counts_its_articles_exactly(client, archive, settings):
    settings.ARCHIVE_FACET_SAMPLE = 1
    settings.ARCHIVE_COUNT_CAP = 1

    page = client.get("/places/hama/")
    counted = client.get("/places/hama/counts/")

    # Its maintained figures are exact at once: nothing left to count, whatever the cap.
    assert "Counting all" not in page.content.decode()
    assert heading(page) == "2 articles"
    assert heading(counted) == "2 articles"
    assert facets(counted)["sources"] == [("Levant Wire", 1), ("Orient Monitor", 1)]


def test_counted_figures_are_read_from_the_cache_until_the_archive_changes(
    client, archive, small_pages, django_assert_max_num_queries
):
    client.get("/articles/counts/")

    # The filters' slugs, the page's statement, the generation and the cached figures,
    # the rows and their snippets: the statement over every match is not run again.
    with django_assert_max_num_queries(6):
        listed = client.get("/articles/")

    assert heading(listed) == "4 articles"
