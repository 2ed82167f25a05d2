"""Readers' pages read from a replica; editors and every write use the primary.

The replica is a second real database (``replica_database``), not a test mirror: an article
stored only there reaches a page only when the router sends the read there, and an article
stored only on the primary plays a write the lagging replica has not received yet.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client

from articles.models import Article, Source
from tests.scaling.conftest import REPLICA

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(databases=["default", REPLICA])

PASTED = """Government forces shell Daraa al-Balad

Residents of Daraa al-Balad said government forces shelled the district on Friday, while the
Syrian Observatory for Human Rights reported clashes with the Free Syrian Army near Nawa.
"""


@pytest.fixture
def replicas_configured(settings, replica_database):
    """DATABASE_REPLICA_URLS naming the replica database, whose entity figures follow each
    statement like the primary's in a test (tests/conftest.py)."""
    settings.DATABASE_REPLICAS = [replica_database]
    with connections[replica_database].cursor() as cursor:
        cursor.execute("SET CONSTRAINTS aggregates_apply IMMEDIATE")
    return replica_database


def article_only_in(database: str, title: str) -> Article:
    source = Source(name="Levant Wire", slug="levant-wire", domain="levantwire.example")
    source.save(using=database)
    article = Article(
        source_id=source.pk,
        title=title,
        slug="clashes-near-nawa",
        body="Clashes with the Free Syrian Army were reported near Nawa on Friday.",
        content_hash=hashlib.sha256(title.encode()).hexdigest(),
    )
    article.save(using=database)
    return article


def test_a_readers_article_page_and_the_api_are_read_from_the_replica(replicas_configured):
    article = article_only_in(replicas_configured, "Clashes near Nawa, seen on the replica")

    page = Client().get(f"/articles/{article.pk}/{article.slug}/")
    api = Client().get("/api/articles/")

    assert page.status_code == 200
    assert "Clashes near Nawa, seen on the replica" in page.content.decode()
    assert [item["title"] for item in api.json()["results"]] == [
        "Clashes near Nawa, seen on the replica"
    ]
    assert not Article.objects.using("default").filter(title__contains="replica").exists()


def test_without_replicas_every_read_goes_to_the_primary(replica_database):
    article = article_only_in(replica_database, "Clashes near Nawa, seen on the replica")

    page = Client().get(f"/articles/{article.pk}/{article.slug}/")
    api = Client().get("/api/articles/")

    assert page.status_code == 404
    assert api.json()["results"] == []


def test_an_editors_import_lands_on_the_primary_and_the_editor_sees_it_at_once(
    replicas_configured, editor_client
):
    preview = editor_client.post("/admin/articles/article/import/", {"text": PASTED})
    saved = editor_client.post(
        "/admin/articles/article/import/", {**preview.context["carried"], "save": "1"}
    )
    article = Article.objects.using("default").get()
    public_url = f"/articles/{article.pk}/{article.slug}/"

    in_admin = editor_client.get(saved["Location"])
    editor_on_public_page = editor_client.get(public_url)
    reader_on_public_page = Client().get(public_url)

    assert saved.status_code == 302
    assert not Article.objects.using(replicas_configured).exists()
    assert in_admin.status_code == 200
    assert "Government forces shell Daraa al-Balad" in in_admin.content.decode()
    assert editor_on_public_page.status_code == 200
    assert "Government forces shell Daraa al-Balad" in editor_on_public_page.content.decode()
    # The reader's replica has not caught up yet: replication lag, the operator's concern.
    assert reader_on_public_page.status_code == 404


def test_replicas_come_from_database_replica_urls_and_are_never_migrated():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://archive@db-primary.internal:5432/newsarchive",
        "DATABASE_REPLICA_URLS": (
            "postgres://archive@db-replica-1.internal:5432/newsarchive, "
            "postgres://archive@db-replica-2.internal:5432/newsarchive"
        ),
    }
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from newsarchive.db_router import PrimaryReplicaRouter as R; "
        "print(json.dumps({'replicas': settings.DATABASE_REPLICAS, "
        "'hosts': {a: d['HOST'] for a, d in settings.DATABASES.items()}, "
        "'migrate': {a: R().allow_migrate(a, 'articles') for a in settings.DATABASES}}))"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsarchive.settings"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert json.loads(result.stdout) == {
        "replicas": ["replica1", "replica2"],
        "hosts": {
            "default": "db-primary.internal",
            "replica1": "db-replica-1.internal",
            "replica2": "db-replica-2.internal",
        },
        "migrate": {"default": None, "replica1": False, "replica2": False},
    }


def test_a_readers_search_page_counts_facets_and_lists_from_the_same_replica(
    replicas_configured,
):
    article_only_in(replicas_configured, "Clashes near Nawa, seen on the replica")
    article_only_in("default", "Clashes near Nawa, only on the primary so far")

    page = Client().get("/articles/", {"q": "Nawa"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Clashes near Nawa, seen on the replica" in html
    assert "only on the primary so far" not in html
    results = page.context["results"]
    assert results.summary.total == 1
    assert [(source.label, source.count) for source in results.facets.sources] == [
        ("Levant Wire", 1)
    ]


def test_related_articles_come_from_the_replica_that_shows_the_article(replicas_configured):
    article = article_only_in(replicas_configured, "Clashes near Nawa, seen on the replica")

    related = Article.objects.using(replicas_configured).public().related_to(article)

    assert related == []
