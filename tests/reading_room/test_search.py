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
    sql = str(Article.objects.search("chlorine").query)

    assert '"articles_article"."search_vector" @@ (websearch_to_tsquery' in sql
    assert "to_tsvector" not in sql
    # A name ("Hama" is a province here) searches its other spellings in the same index.
    assert "to_tsvector" not in str(Article.objects.search("hama").query)


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


def test_a_quoted_search_is_shown_once_as_typed(client, archive):
    response = client.get("/articles/", {"q": '"Syrian Arab Army"'})
    html = response.content.decode()

    assert "<title>&quot;Syrian Arab Army&quot; · Search the archive · Reading room</title>" in html
    assert "2 articles matching &quot;Syrian Arab Army&quot;</h2>" in html
    chip = html.split('<a class="chip"')[1].split("<span")[0]
    assert chip == (
        ' href="?" aria-label="Remove filter &quot;Syrian Arab Army&quot;">'
        "&quot;Syrian Arab Army&quot; "
    )
    assert "“&quot;" not in html


def test_a_search_without_quotes_is_shown_in_quotes(client, archive):
    html = client.get("/articles/", {"q": "chlorine"}).content.decode()

    assert "<title>“chlorine” · Search the archive · Reading room</title>" in html
    assert "1 article matching “chlorine”</h2>" in html
    assert 'aria-label="Remove filter “chlorine”">“chlorine” ' in html


def snippet_of(response) -> str:
    """The first result's snippet as HTML."""
    return response.content.decode().split('class="result__snippet">')[1].split("</p>")[0]


def test_a_search_highlights_its_words_but_not_two_letter_fragments(client, archive):
    ArticleFactory(
        title="Idlib under new rule",
        standfirst="Hayat Tahrir al-Sham holds the city",
        body="Bashar al-Assad's forces withdrew as Hayat Tahrir al-Sham moved in.",
    )

    response = client.get("/articles/", {"q": "Hayat Tahrir al-Sham"})

    assert snippet_of(response) == (
        "<mark>Hayat</mark> <mark>Tahrir</mark> al-<mark>Sham</mark> holds the city … "
        "Bashar al-Assad&#x27;s forces withdrew as <mark>Hayat</mark> <mark>Tahrir</mark> "
        "al-<mark>Sham</mark> moved"
    )


def test_a_short_word_typed_on_its_own_is_still_highlighted(client, archive):
    ArticleFactory(title="Aid", standfirst="", body="A UN convoy reached al-Rastan.")

    response = client.get("/articles/", {"q": "UN convoy"})

    assert snippet_of(response) == "<mark>UN</mark> <mark>convoy</mark> reached al-Rastan"


def test_a_search_of_short_words_only_highlights_them(client, archive):
    ArticleFactory(title="Aid", standfirst="", body="A UN convoy reached al-Rastan.")

    response = client.get("/articles/", {"q": "UN al"})

    assert snippet_of(response) == "<mark>UN</mark> convoy reached <mark>al</mark>-Rastan"


def test_the_snippet_separates_the_standfirst_from_the_body(client, archive):
    response = client.get("/articles/", {"q": "fighters"})

    # Standfirst "Fighting spreads across the al-Ghab plain.", body "Jund al-Aqsa fighters …"
    assert snippet_of(response).startswith(
        "Fighting spreads across the al-Ghab plain. … Jund al-Aqsa <mark>fighters</mark>"
    )
