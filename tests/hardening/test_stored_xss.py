"""Hostile pages, ingested through the real pipeline, show as inert text everywhere."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from articles.models import Actor, ActorStatus, Article, Location
from tests.factories import ArticleFactory, SourceFactory, mention_article
from tests.hardening.inert import active_markup, marks, snippet_markup, visible_text

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "<img src=x onerror=alert('actor')> Brigade"


@pytest.fixture
def hostile_archive(gazetteer, hostile_dir):
    """Both hostile fixtures ingested by ``manage.py ingest``, plus an actor and a place
    whose names an editor confirmed from such a page."""
    call_command(
        "ingest",
        str(hostile_dir / "hostile-jsonld.html"),
        str(hostile_dir / "hostile-plain.txt"),
        stdout=io.StringIO(),
    )
    articles = list(Article.objects.order_by("pk"))
    assert len(articles) == 2
    actor = Actor.objects.create(
        name=HOSTILE_NAME,
        slug="hostile-brigade",
        kind="armed_group",
        aliases=["<script>alert('alias')</script>"],
        description='<a href="javascript:alert(1)">see</a> "onmouseover=alert(1)',
    )
    place = Location.objects.create(
        name="<svg onload=alert('place')>", slug="hostile-place", kind="village"
    )
    for article in articles:
        mention_article(article, actor)
        mention_article(article, place)
    return articles


def reader_pages(articles):
    first = articles[0]
    return [
        "/",
        "/articles/",
        "/articles/?q=Nusra",
        "/articles/?q=alert+script",
        "/articles/?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/articles/?actor=hostile-brigade",
        first.get_absolute_url(),
        articles[1].get_absolute_url(),
        "/actors/",
        "/actors/hostile-brigade/",
        "/actors/nusra-front/",
        "/places/hostile-place/",
        "/places/khirbat-al-naqous/",
        "/places/",
        "/sources/",
        "/map/",
        "/map/?actor=hostile-brigade",
        "/map/?location=hama",
    ]


def test_hostile_pages_are_stored_with_their_payloads_as_text(hostile_archive):
    # The fixtures must actually reach the database hostile, or the page tests prove nothing.
    stored = " ".join(
        f"{a.title} {a.standfirst} {a.caption} {a.body} {a.authors}" for a in hostile_archive
    )

    assert "<script>" in stored
    assert "onerror=" in stored
    assert "javascript:" in stored


def test_every_reader_page_shows_hostile_text_inert(client, hostile_archive):
    for url in reader_pages(hostile_archive):
        response = client.get(url)

        assert response.status_code == 200, url
        assert active_markup(response.content.decode()) == [], url


def test_article_page_shows_the_payload_as_readable_text(client, hostile_archive):
    article = hostile_archive[0]

    html = client.get(article.get_absolute_url()).content.decode()

    assert active_markup(html) == []
    assert "onerror=alert('og')" in visible_text(html)
    assert "alert('entity-body')" in visible_text(html)


def test_search_snippets_let_through_only_the_highlight_marks(client, hostile_archive):
    html = client.get("/articles/", {"q": "shelled alert"}).content.decode()

    assert snippet_markup(html) == []
    assert marks(html) != []
    assert active_markup(html) == []


def test_a_page_faking_the_highlight_markers_gets_no_extra_marks(client, gazetteer):
    ArticleFactory(
        title="Markers in the text",
        body="Shelling \ue000<script>alert(1)</script>\ue001 near the market shelled again.",
    )

    html = client.get("/articles/", {"q": "shelling"}).content.decode()

    assert snippet_markup(html) == []
    assert all(text.lower().startswith("shell") for text in marks(html))


def test_exports_carry_hostile_text_as_data_not_markup(client, hostile_archive):
    csv_response = client.get("/articles/export.csv")
    json_response = client.get("/articles/export.json")

    rows = list(csv.DictReader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
    records = json.loads(b"".join(json_response.streaming_content))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert json_response["Content-Type"] == "application/json"
    assert json_response["X-Content-Type-Options"] == "nosniff"
    assert len(rows) == len(records) == 2
    assert {r["title"] for r in records} == {a.title for a in hostile_archive}


def test_api_returns_hostile_text_as_json_only(client, hostile_archive):
    article = hostile_archive[0]

    listing = client.get("/api/articles/")
    detail = client.get(f"/api/articles/{article.pk}/")
    browsable = client.get("/api/articles/", {"format": "api"}, HTTP_ACCEPT="text/html")

    assert listing["Content-Type"] == "application/json"
    assert detail["Content-Type"] == "application/json"
    assert detail.json()["title"] == article.title
    assert not browsable["Content-Type"].startswith("text/html")


def test_admin_pages_show_hostile_text_inert(admin_client, hostile_archive):
    article = hostile_archive[0]
    actor = Actor.objects.get(slug="hostile-brigade")
    urls = [
        "/admin/articles/article/",
        "/admin/articles/article/?q=shelled",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/actor/",
        f"/admin/articles/actor/{actor.pk}/change/",
        "/admin/articles/actormention/",
        "/admin/articles/locationmention/",
        "/admin/articles/location/",
        "/admin/articles/source/",
    ]
    for url in urls:
        response = admin_client.get(url)

        assert response.status_code == 200, url
        assert active_markup(response.content.decode()) == [], url


def test_import_preview_of_a_hostile_page_is_inert(admin_client, gazetteer, hostile_dir):
    page = (hostile_dir / "hostile-jsonld.html").read_text()

    response = admin_client.post("/admin/articles/article/import/", {"text": page})

    assert response.status_code == 200
    assert active_markup(response.content.decode()) == []
    assert Article.objects.count() == 0


def test_candidate_actor_named_by_a_hostile_page_is_inert_once_confirmed(client, gazetteer):
    source = SourceFactory(name="<b onmouseover=alert(1)>Wire</b>")
    article = ArticleFactory(source=source, title="Clashes", body="Clashes near Hama.")
    actor = Actor.objects.create(
        name="\"><script>alert('candidate')</script>",
        slug="candidate-x",
        kind="armed_group",
        status=ActorStatus.CANDIDATE,
    )
    mention_article(article, actor, spans=[["body", 0, 7]])
    actor.status = ActorStatus.CONFIRMED
    actor.save()

    for url in [article.get_absolute_url(), "/actors/candidate-x/", "/articles/", "/"]:
        assert active_markup(client.get(url).content.decode()) == [], url
