"""The read-only API analysts use: same filters as the search page, public data only."""

import datetime

import pytest

from articles import search, search_query
from articles.api.pagination import ArticlePagination
from tests.factories import ArticleFactory, mention_article

pytestmark = pytest.mark.django_db


def test_the_articles_api_lists_public_articles_newest_first(client, archive):
    data = client.get("/api/articles/").json()

    assert (data["count"], data["count_is_capped"]) == (4, False)
    assert [a["title"] for a in data["results"]] == [
        "Chlorine attack reported in Khan Shaykhun",
        "Market reopens in Hama",
        "Russian jets strike the coast",
        "Jund al-Aqsa storms Khirbat al-Naqous",
    ]


def test_the_articles_api_takes_the_search_page_filters(client, archive):
    data = client.get("/api/articles/", {"province": "hama", "actor": "jund-al-aqsa"}).json()

    (article,) = data["results"]
    assert article["title"] == "Jund al-Aqsa storms Khirbat al-Naqous"
    assert article["actors"] == ["jund-al-aqsa", "syrian-arab-army"]
    assert article["places"] == ["khirbat-al-naqous"]
    assert article["primary_province"] == "hama"
    assert article["source"] == "levant-wire"


def test_a_bad_filter_in_the_api_is_a_400_naming_the_problem(client, archive):
    response = client.get("/api/articles/", {"actor": "nobody"})

    assert response.status_code == 400
    assert response.json() == {"actor": ["There is no actor “nobody” in the archive."]}


def test_the_article_detail_api_has_the_body_and_hides_hidden_articles(client, archive):
    detail = client.get(f"/api/articles/{archive.naqous.pk}/").json()
    hidden = client.get(f"/api/articles/{archive.hidden.pk}/")

    assert detail["body"].startswith("Jund al-Aqsa fighters entered")
    assert detail["web_url"] == f"http://testserver{archive.naqous.get_absolute_url()}"
    assert hidden.status_code == 404


def test_the_actors_api_lists_confirmed_actors_with_links_both_ways(client, archive):
    listing = client.get("/api/actors/", {"kind": "armed_group"}).json()
    jund = client.get("/api/actors/jund-al-aqsa/").json()

    assert [a["slug"] for a in listing["results"]] == [
        "hayat-tahrir-al-sham",
        "jabhat-fateh-al-sham",
        "jund-al-aqsa",
    ]
    undated = {"valid_from": None, "valid_until": None, "source": ""}
    assert jund["links"] == [
        {
            "relation": "part_of",
            "direction": "outgoing",
            "actor": "hayat-tahrir-al-sham",
            **undated,
        },
        {
            "relation": "allied_with",
            "direction": "incoming",
            "actor": "jabhat-fateh-al-sham",
            **undated,
        },
    ]
    assert client.get("/api/actors/free-ghab-brigade/").status_code == 404


def test_the_places_api_finds_everything_inside_a_province(client, archive):
    data = client.get("/api/places/", {"inside": "hama"}).json()
    detail = client.get("/api/places/khan-shaykhun/").json()

    assert [p["slug"] for p in data["results"]] == ["hama", "khirbat-al-naqous"]
    assert detail["province"] == "idlib"
    assert detail["path"] == "syria/idlib/khan-shaykhun"


def test_the_api_is_read_only(client, archive):
    response = client.post("/api/articles/", {"title": "x"})

    assert response.status_code in (401, 403, 405)


def test_the_openapi_schema_describes_the_article_filters(client, archive):
    response = client.get("/api/schema/", {"format": "json"})

    schema = response.json()
    parameters = {p["name"] for p in schema["paths"]["/api/articles/"]["get"]["parameters"]}
    assert {
        "q",
        "actor",
        "province",
        "primary_province",
        "location",
        "source",
        "published_after",
        "published_before",
        "sort",
        "page",
    } <= parameters


@pytest.mark.parametrize("extra_articles", [0, 4])
def test_the_articles_api_runs_a_bounded_number_of_queries(
    client, archive, extra_articles, django_assert_num_queries
):
    for n in range(extra_articles):
        article = ArticleFactory(title=f"Api {n}")
        mention_article(article, archive.actors.russia)
        mention_article(article, archive.places.hama)

    search_query.name_index()  # the gazetteer's names: read once per process, then cached
    # The newest matches' ids (and so the count); the ranked page; its actors; its places.
    with django_assert_num_queries(4):
        response = client.get("/api/articles/", {"q": "api or chlorine"})

    assert response.json()["count"] == 1 + extra_articles


def test_past_what_a_page_counts_at_once_the_api_count_is_exact_and_every_page_is_there(
    client, archive, settings, monkeypatch
):
    settings.ARCHIVE_COUNT_CAP = 3
    settings.ARCHIVE_FACET_SAMPLE = 3
    monkeypatch.setattr(ArticlePagination, "page_size", 3)

    first = client.get("/api/articles/", {"source": "levant-wire"}).json()
    first_page = client.get("/api/articles/").json()
    last_page = client.get(first_page["next"]).json()

    assert (first["count"], first["count_is_capped"], first["next"]) == (2, False, None)
    assert (first_page["count"], first_page["count_is_capped"]) == (4, False)
    assert first_page["previous"] is None
    assert first_page["next"] == "http://testserver/api/articles/?page=2"
    assert [a["title"] for a in first_page["results"]] == [
        "Chlorine attack reported in Khan Shaykhun",
        "Market reopens in Hama",
        "Russian jets strike the coast",
    ]
    assert (last_page["count"], last_page["count_is_capped"]) == (4, False)
    assert [a["title"] for a in last_page["results"]] == ["Jund al-Aqsa storms Khirbat al-Naqous"]
    assert last_page["next"] is None
    assert client.get("/api/articles/", {"page": 3}).status_code == 404


def test_the_api_ranks_a_search_among_its_newest_matches_like_the_search_page(
    client, archive, monkeypatch
):
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    for title, body, published_on in [
        ("Saraqib under fire", "Shells fell.", datetime.date(2019, 1, 2)),
        ("Aid convoy waits", "Trucks outside Saraqib.", datetime.date(2020, 1, 2)),
        ("Saraqib market reopens", "Saraqib traders returned.", datetime.date(2020, 2, 2)),
    ]:
        ArticleFactory(title=title, body=body, published_on=published_on)

    data = client.get("/api/articles/", {"q": "saraqib"}).json()

    # The two newest are ranked (the title match first); the older title match follows.
    assert [a["title"] for a in data["results"]] == [
        "Saraqib market reopens",
        "Aid convoy waits",
        "Saraqib under fire",
    ]


def test_the_openapi_schema_describes_the_capped_count(client, archive):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    page = schema["components"]["schemas"]["PaginatedArticleList"]
    assert page["required"] == ["count", "count_is_capped", "results"]
    assert page["properties"]["count_is_capped"]["type"] == "boolean"
