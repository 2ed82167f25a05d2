"""One path for the numbers: the list, the API and the exports show the same articles, in
the same order, with the same exact count; index pages read their counts from the cache,
counted once per change of the archive."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services
from tests.factories import ArticleFactory, mention_article
from tests.reading_room.conftest import EVERY_ARTICLE_DATED, titles

pytestmark = pytest.mark.django_db

# What Django's Paginator (and so DRF's) runs to count a list itself.
PAGINATOR_COUNT = re.compile(r'COUNT\(\*\) AS "__count"')


@pytest.fixture
def small_pages(settings):
    """A page counts at most three matches at once; the archive's four public articles are
    more than that."""
    settings.ARCHIVE_FACET_SAMPLE = 3
    settings.ARCHIVE_COUNT_CAP = 3


def exported_titles(client, query: dict) -> list[str]:
    response = client.get("/articles/export.csv", query)
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    return [row["title"] for row in rows]


@pytest.mark.parametrize(
    "query",
    [{}, {"sort": "oldest"}, {"q": "Syrian Arab Army"}, {"province": "hama"}],
    ids=["newest", "oldest", "search", "province"],
)
def test_the_list_the_api_and_the_export_give_the_same_articles_in_the_same_order(
    client, archive, query
):
    listed = client.get("/articles/", query)
    api = client.get("/api/articles/", query).json()

    assert titles(listed)
    assert [row["title"] for row in api["results"]] == titles(listed)
    assert exported_titles(client, query) == titles(listed)
    assert api["count"] == listed.context["results"].summary.total


def test_the_api_counts_every_match_exactly_without_a_count_of_its_own(
    client, archive, small_pages
):
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/articles/").json()
    with CaptureQueriesContext(connection) as again:
        second = client.get("/api/articles/", {"sort": "oldest"}).json()

    assert first["count"] == 4
    assert first["count_is_capped"] is False
    assert second["count"] == 4
    counted = [q["sql"] for q in [*queries, *again] if PAGINATOR_COUNT.search(q["sql"])]
    assert counted == []


def test_the_api_and_the_list_share_one_exact_count(client, archive, small_pages):
    client.get("/api/articles/", EVERY_ARTICLE_DATED)  # counts every match, keeps the figures

    listed = client.get("/articles/", EVERY_ARTICLE_DATED)

    assert listed.context["results"].counting_url == ""
    assert listed.context["results"].summary.total == 4


def test_the_timeline_download_has_the_pages_exact_months(client, archive, small_pages):
    response = client.get("/articles/timeline.csv")

    assert response.content.decode().splitlines() == [
        "month,articles",
        "2016-09,2",
        "2016-10,1",
        "2016-11,0",
        "2016-12,0",
        "2017-01,0",
        "2017-02,0",
        "2017-03,0",
        "2017-04,1",
    ]


def counted_actors(response) -> dict[str, int]:
    return {a.name: a.n_articles for _, actors in response.context["groups"] for a in actors}


def test_the_actor_index_lists_every_group_with_its_exact_article_count_and_after_an_article_is_hidden_the_count_drops_on_the_next_request(  # noqa: E501
    client, archive, django_capture_on_commit_callbacks
):
    before = counted_actors(client.get("/actors/"))
    with django_capture_on_commit_callbacks(execute=True):
        services.set_hidden([archive.latakia], True, reason="duplicate")
    after = counted_actors(client.get("/actors/"))

    assert before == {
        "Hayat Tahrir al-Sham": 0,
        "Jabhat Fateh al-Sham": 0,
        "Jund al-Aqsa": 1,  # the hidden article and the rejected tag are not counted
        "Syrian Arab Army": 2,
        "Russia": 2,
        "Syrian Observatory for Human Rights": 1,
    }
    assert after["Russia"] == 1


def test_the_place_index_counts_drop_on_the_next_request_after_an_article_is_hidden(
    client, archive, django_capture_on_commit_callbacks
):
    def provinces():
        ((_, listed),) = client.get("/places/").context["countries"]
        return {p.name: p.n_articles for p in listed}

    before = provinces()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_hidden([archive.market], True, reason="duplicate")

    assert before == {"Hama": 2, "Idlib": 1, "Latakia": 1}
    assert provinces() == {"Hama": 1, "Idlib": 1, "Latakia": 1}


def test_a_new_article_shows_in_the_source_index_and_the_home_totals_on_the_next_request(
    client, archive, django_capture_on_commit_callbacks
):
    def sources():
        return {s.name: s.n_articles for s in client.get("/sources/").context["sources"]}

    before, totals_before = sources(), client.get("/").context["totals"]["articles"]
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(source=archive.wire, title="Ceasefire holds in Latakia")

    assert before == {"Levant Wire": 2, "Orient Monitor": 2}
    assert sources() == {"Levant Wire": 3, "Orient Monitor": 2}
    assert (totals_before, client.get("/").context["totals"]["articles"]) == (4, 5)


@pytest.mark.parametrize("url", ["/actors/", "/places/", "/sources/", "/"])
def test_index_pages_read_their_counts_from_the_cache_after_the_first_visit(client, archive, url):
    for n in range(5):
        article = ArticleFactory(title=f"Idlib report {n}")
        mention_article(article, archive.actors.russia)
        mention_article(article, archive.places.khan_shaykhun)
    client.get(url)  # counts, once for this generation of the archive

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    counting = [
        q["sql"]
        for q in queries
        if "COUNT(" in q["sql"].upper() and "newsarchive_cache" not in q["sql"]
    ]
    if url == "/":
        # The home page's "last 30 days" lists are counted over recent articles only.
        counting = [sql for sql in counting if "published_on" not in sql]
    assert counting == []
