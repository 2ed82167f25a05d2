"""Every filter and search parameter, however malformed, gives a friendly 200 or 400."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import ActorStatus
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    PlaceFactory,
    ProvinceFactory,
    mention_article,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/articles/",
    "/actors/jund-al-aqsa/",
    "/places/hama/",
    "/articles/export.csv",
    "/articles/export.json",
    "/articles/timeline.csv",
    "/articles/feed/",
    "/map/",
    "/api/articles/",
]
# Every page parsing the article filters: the HTML views share browse(), the downloads share
# _filtered_or_400(), the API its FilterSet backend.
FILTER_PAGES = [
    "/articles/",
    "/actors/jund-al-aqsa/",
    "/articles/export.csv",
    "/articles/feed/",
    "/map/",
    "/api/articles/",
]
PARAMS = [
    "q",
    "actor",
    "actor_kind",
    "province",
    "primary_province",
    "location",
    "source",
    "published_after",
    "published_before",
    "sort",
    "page",
    "format",
]
NASTY_VALUES = [
    "",
    " ",
    "no-such-slug",
    "Jund al-Aqsa",
    "../../etc/passwd",
    "jund-al-aqsa' OR 1=1 --",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999999999999",
    "1e309",
    "NaN",
    "1.5",
    "2016-02-30",
    "2016-13-01",
    "0000-00-00",
    "99999-01-01",
    "16/09/2016",
    "2016-09-01T00:00:00",
    "x" * 10_000,
    "a\x00b",
    "\x00",
    "%00",
    "\ud7ff\ue000\ue001",
    "<script>alert(1)</script>",
    "&",
    "☃" * 600,
]
TSQUERY_SYNTAX = [
    "'",
    '"',
    '"unbalanced',
    "''",
    "a & b",
    "a | b",
    "!a",
    "a <-> b",
    "a <2> b",
    "a:*",
    "a:A",
    "(a",
    "a)",
    "()",
    "&|!<->:*",
    "-",
    "--",
    "- -a",
    "or",
    "OR OR",
    "a or",
    '"a" -"b" or c',
    "\\",
    "a\\",
    "*",
    "'a' | 'b'",
    "!!!!",
    "a & !(b | c)",
    "x" * 10_000,
    "hama " * 2000,
]


@pytest.fixture
def archive():
    hama = ProvinceFactory(name="Hama")
    village = PlaceFactory(name="Khirbat al-Naqous", parent=hama)
    jund = ActorFactory(name="Jund al-Aqsa")
    ActorFactory(name="Free Ghab Brigade", status=ActorStatus.CANDIDATE)
    for day in range(1, 4):
        article = ArticleFactory(
            title=f"Jund al-Aqsa near Hama, day {day}",
            published_on=datetime.date(2016, 9, day),
            primary_location=village,
            primary_province=hama,
        )
        mention_article(article, jund)
        mention_article(article, village)


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_friendly(response, where, params=()):
    # DRF answers a page past the end, or an unknown ?format=, with a JSON 404 "detail".
    api_not_found = (
        response.status_code == 404
        and response["Content-Type"] == "application/json"
        and {"page", "format"} & set(params)
        and "detail" in response.json()
    )
    assert response.status_code in (200, 400) or api_not_found, (where, response.status_code)
    body = read(response)
    if response.status_code == 400 and response["Content-Type"].startswith("text/html"):
        assert b"could not be used" in body or b"Bad Request" in body, where


@pytest.mark.slow
@pytest.mark.parametrize("param", PARAMS)
def test_malformed_values_of_every_parameter_are_answered_kindly(client, archive, param):
    for page in FILTER_PAGES:
        for value in NASTY_VALUES:
            response = client.get(page, {param: value})

            assert_friendly(response, (page, param, value[:30]), [param])


@pytest.mark.parametrize("query", TSQUERY_SYNTAX)
def test_every_search_syntax_is_answered_kindly(client, archive, query):
    for page in ["/articles/", "/actors/jund-al-aqsa/", "/api/articles/", "/articles/export.csv"]:
        assert_friendly(client.get(page, {"q": query}), (page, query[:30]))


def test_a_ten_thousand_character_search_is_refused_with_a_reason(client, archive):
    response = client.get("/articles/", {"q": "hama " * 2000})

    assert response.status_code == 400
    assert "limited to 500 characters" in response.content.decode()


def test_a_null_byte_in_a_search_is_refused_with_a_reason(client, archive):
    response = client.get("/articles/", {"q": "ha\x00ma"})

    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


@pytest.mark.parametrize("page", ["-1", "0", "99999999999999999999", "abc", "1.5", ""])
def test_out_of_range_pages_show_a_page_and_say_so(client, archive, page):
    response = client.get("/articles/", {"page": page})

    assert response.status_code == 200


def test_many_values_for_one_filter_are_refused(client, archive):
    response = client.get("/articles/", {"actor": ["jund-al-aqsa"] * 50})

    assert response.status_code == 400


def test_unknown_detail_slugs_are_not_found(client, archive):
    for url in [
        "/actors/no-such-actor/",
        "/places/no-such-place/",
        "/articles/999999999/x/",
        "/api/articles/99999999999999999999/",
        "/api/actors/%00/",
        "/api/places/no-such/",
    ]:
        assert client.get(url).status_code == 404, url


QUERY_VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(TSQUERY_SYNTAX + NASTY_VALUES[:-3]),
    st.lists(st.sampled_from(["hama", '"', "-", "or", "&", "!", "(", ")", ":*", "<->"])).map(
        " ".join
    ),
)


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(st.sampled_from(PARAMS), QUERY_VALUES, max_size=4),
    page=st.sampled_from(PAGES),
)
def test_any_combination_of_parameters_is_answered_kindly(client, archive, params, page):
    assert_friendly(client.get(page, params), (page, params), params)
