"""Atom feeds of every list: a search, an actor, a place, a source."""

import datetime
import html as html_lib
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Feeds are cached by URL; every test starts from an archive the cache has not seen.
    cache.clear()
    yield
    cache.clear()


def read_feed(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 -- our own server's answer in a test


def entry_titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_the_feed_is_valid_atom_with_every_required_element(client, archive):
    feed = read_feed(client.get("/articles/feed/", {"q": "chlorine"}))

    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://testserver/articles/?q=chlorine"
    assert feed.findtext(f"{ATOM}title") == "Syria news archive: “chlorine”"
    assert datetime.datetime.fromisoformat(feed.findtext(f"{ATOM}updated"))
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Syria news archive"
    links = {link.get("rel"): link.get("href") for link in feed.iter(f"{ATOM}link")}
    assert links["self"] == "http://testserver/articles/feed/?q=chlorine"
    (entry,) = feed.iter(f"{ATOM}entry")
    article = archive.khan
    assert entry.findtext(f"{ATOM}id") == f"http://testserver{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}title") == "Chlorine attack reported in Khan Shaykhun"
    assert entry.find(f"{ATOM}link").get("href") == (
        f"http://testserver{article.get_absolute_url()}"
    )
    assert entry.findtext(f"{ATOM}published") == "2017-04-04T00:00:00+00:00"
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert entry.findtext(f"{ATOM}summary") == "Doctors describe dozens of casualties."


def test_a_search_typed_with_a_control_character_still_gets_its_feed(client, archive):
    feed = read_feed(client.get("/articles/feed/", {"q": "chlor\x0bine"}))

    assert feed.findtext(f"{ATOM}title") == "Syria news archive: “chlorine”"


def test_the_feed_lists_public_articles_newest_first(client, archive):
    feed = read_feed(client.get("/articles/feed/"))

    assert entry_titles(feed) == [
        "Chlorine attack reported in Khan Shaykhun",
        "Market reopens in Hama",
        "Russian jets strike the coast",
        "Jund al-Aqsa storms Khirbat al-Naqous",
    ]
    assert feed.findtext(f"{ATOM}title") == "Syria news archive: newest articles"


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"actor": "jund-al-aqsa"}, ["Jund al-Aqsa storms Khirbat al-Naqous"]),
        (
            {"location": "hama"},
            ["Market reopens in Hama", "Jund al-Aqsa storms Khirbat al-Naqous"],
        ),
        (
            {"source": "orient-monitor"},
            ["Chlorine attack reported in Khan Shaykhun", "Market reopens in Hama"],
        ),
        (
            # A feed is always newest first, whatever order the list was read in.
            {"actor": "russia", "sort": "oldest"},
            ["Chlorine attack reported in Khan Shaykhun", "Russian jets strike the coast"],
        ),
    ],
)
def test_a_feed_follows_a_group_a_place_or_a_source(client, archive, query, titles):
    assert entry_titles(read_feed(client.get("/articles/feed/", query))) == titles


def test_a_feed_holds_at_most_the_newest_fifty(client, archive):
    ArticleFactory.create_batch(55, published_on=datetime.date(2020, 1, 1))

    feed = read_feed(client.get("/articles/feed/"))

    assert len(entry_titles(feed)) == 50
    assert "Chlorine attack reported in Khan Shaykhun" not in entry_titles(feed)


def test_a_feed_is_cached_per_query(client, archive):
    first = client.get("/articles/feed/", {"source": "levant-wire"}).content
    ArticleFactory(title="Late news from the coast", published_on=datetime.date(2018, 1, 1))

    assert client.get("/articles/feed/", {"source": "levant-wire"}).content == first
    fresh = read_feed(client.get("/articles/feed/", {"source": "levant-wire", "q": "coast"}))
    assert entry_titles(fresh) == ["Late news from the coast", "Russian jets strike the coast"]


def test_a_feed_with_a_filter_it_cannot_use_says_which(client, archive):
    response = client.get("/articles/feed/", {"source": "no-such-outlet"})

    assert response.status_code == 400
    assert "Source: There is no source “no-such-outlet” in the archive." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/", "/articles/feed/"),
        ("/articles/?q=chlorine&actor=russia", "/articles/feed/?q=chlorine&actor=russia"),
        ("/articles/?source=levant-wire", "/articles/feed/?source=levant-wire"),
        ("/actors/russia/", "/articles/feed/?actor=russia"),
        ("/actors/russia/?q=coast", "/articles/feed/?q=coast&actor=russia"),
        ("/places/idlib/", "/articles/feed/?location=idlib"),
        ("/map/?province=hama", "/articles/feed/?province=hama"),
    ],
)
def test_every_list_advertises_its_feed_with_its_filters(client, archive, url, feed):
    page = client.get(url).content.decode()

    link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', page).group(0)
    assert f'href="{feed}"' in html_lib.unescape(link)


def test_the_source_index_offers_each_sources_feed(client, archive):
    page = client.get("/sources/").content.decode()

    assert 'href="/articles/feed/?source=orient-monitor" type="application/atom+xml">feed' in page
