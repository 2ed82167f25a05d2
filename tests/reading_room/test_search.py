"""Full-text search as a reader uses it: words, phrases, exclusions, snippets, bad input."""

import datetime

import pytest

from articles import search
from articles.models import Article
from tests.factories import ArticleFactory
from tests.reading_room.conftest import titles

pytestmark = pytest.mark.django_db


def test_searching_chlorine_finds_only_the_khan_shaykhun_article(client, archive):
    response = client.get("/articles/", {"q": "chlorine"})

    assert response.status_code == 200
    assert titles(response) == ["Chlorine attack reported in Khan Shaykhun"]
    assert response.context["results"].page.paginator.count == 1


def test_a_title_match_ranks_above_a_newer_body_match(client, archive):
    ArticleFactory(
        title="Aid convoy waits",
        body="Trucks queued outside Saraqib.",
        published_on=datetime.date(2020, 1, 2),
    )
    ArticleFactory(
        title="Saraqib under fire",
        body="Shells fell overnight.",
        published_on=datetime.date(2019, 1, 2),
    )

    response = client.get("/articles/", {"q": "saraqib"})

    assert titles(response) == ["Saraqib under fire", "Aid convoy waits"]


def test_exact_phrase_with_an_exclusion(client, archive):
    response = client.get("/articles/", {"q": '"Syrian Arab Army" -chlorine'})

    assert titles(response) == ["Jund al-Aqsa storms Khirbat al-Naqous"]


def test_or_finds_either_word(client, archive):
    response = client.get("/articles/", {"q": "chlorine or coast", "sort": "oldest"})

    assert titles(response) == [
        "Russian jets strike the coast",
        "Chlorine attack reported in Khan Shaykhun",
    ]


def test_search_highlights_latakia_in_the_snippet(client, archive):
    response = client.get("/articles/", {"q": "latakia"})

    assert titles(response) == ["Russian jets strike the coast"]
    assert b"north of <mark>Latakia</mark> city" in response.content


def test_hidden_articles_are_never_found(client, archive):
    response = client.get("/articles/", {"q": "draft"})

    assert titles(response) == []
    assert b"No articles match" in response.content


def test_markup_in_a_body_is_escaped_in_the_snippet_and_only_marks_get_through(client, archive):
    ArticleFactory(
        title="Shelling in Saraqib",
        body='Saraqib <script>alert(1)</script> <img src=x onerror="alert(2)"> was shelled by '
        "M&M \ue000brigade\ue001 guns, 3 < 4 > 2.",
    )

    response = client.get("/articles/", {"q": "Saraqib"})

    html = response.content.decode()
    snippet = html.split('class="result__snippet">')[1].split("</p>")[0]
    assert "<mark>Saraqib</mark>" in snippet
    assert "M&amp;M brigade guns" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "<script>alert" not in html
    assert "\ue000" not in html


@pytest.mark.parametrize(
    "query",
    [
        "&",
        "|",
        "!",
        "(",
        ")",
        ":*",
        "<->",
        "'",
        '"',
        "\\",
        "a & b | !c",
        "((((",
        "'''",
        '"unclosed phrase',
        "-",
        "or",
        "-or -and",
        "foo:*A",
        "\u200b",
        "جيش",
    ],
)
def test_tsquery_punctuation_in_a_search_never_breaks_the_page(client, archive, query):
    response = client.get("/articles/", {"q": query})

    assert response.status_code == 200
    assert b"Search the archive" in response.content


def test_a_null_byte_in_the_search_is_refused_with_a_friendly_message(client, archive):
    response = client.get("/articles/", {"q": "hama\x00"})

    assert response.status_code == 400
    assert b"The search contains a character that is not allowed." in response.content


def test_a_ten_thousand_character_search_is_refused_with_a_friendly_message(client, archive):
    response = client.get("/articles/", {"q": "hama " * 2000})

    assert response.status_code == 400
    assert b"Searches are limited to 500 characters." in response.content


def test_newest_and_oldest_sort_by_date(client, archive):
    newest = client.get("/articles/", {"q": "Jund al-Aqsa", "sort": "newest"})
    oldest = client.get("/articles/", {"q": "Jund al-Aqsa", "sort": "oldest"})

    assert titles(newest) == ["Market reopens in Hama", "Jund al-Aqsa storms Khirbat al-Naqous"]
    assert titles(oldest) == ["Jund al-Aqsa storms Khirbat al-Naqous", "Market reopens in Hama"]


def test_without_a_search_the_newest_articles_come_first(client, archive):
    response = client.get("/articles/")

    assert titles(response) == [
        "Chlorine attack reported in Khan Shaykhun",
        "Market reopens in Hama",
        "Russian jets strike the coast",
        "Jund al-Aqsa storms Khirbat al-Naqous",
    ]


def test_search_queryset_uses_the_stored_vector(archive):
    sql = str(Article.objects.search("hama").query)

    assert '"articles_article"."search_vector" @@ (websearch_to_tsquery' in sql
    assert "to_tsvector" not in sql


def test_relevance_ranks_only_the_newest_candidates_and_says_so(client, archive, monkeypatch):
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    ArticleFactory(
        title="Saraqib under fire", body="Shells fell.", published_on=datetime.date(2019, 1, 2)
    )
    ArticleFactory(
        title="Aid convoy waits",
        body="Trucks outside Saraqib.",
        published_on=datetime.date(2020, 1, 2),
    )
    ArticleFactory(
        title="Saraqib market reopens",
        body="Saraqib traders returned.",
        published_on=datetime.date(2020, 2, 2),
    )

    response = client.get("/articles/", {"q": "saraqib"})

    # The two newest are ranked (the title match first); the older title match follows.
    assert titles(response) == [
        "Saraqib market reopens",
        "Aid convoy waits",
        "Saraqib under fire",
    ]
    assert (
        "Ordered by relevance among the newest 2 matching articles, older ones after them by "
        "date." in response.content.decode()
    )


def test_relevance_over_every_match_says_nothing_about_candidates(client, archive):
    response = client.get("/articles/", {"q": "chlorine"})

    assert "Ordered by relevance." in response.content.decode()
