"""A pg_dump of the archive restored into an empty database gives back the same articles,
tags and editor decisions (docs/operations.md, "Backup and restore")."""

import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from articles.models import ActorStatus, ReviewStatus
from tests.factories import (
    ActorFactory,
    ActorLinkFactory,
    ArticleFactory,
    PlaceFactory,
    ProvinceFactory,
    mention_article,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PGSERVER_BIN = Path(__import__("pgserver").__file__).parent / "pginstall" / "bin"
SNAPSHOT = {
    "articles": "SELECT id, title, body, url, content_hash, is_hidden, published_on, "
    "primary_location_id FROM articles_article ORDER BY id",
    "actor tags": "SELECT article_id, actor_id, count, spans::text, review_status "
    "FROM articles_actormention ORDER BY article_id, actor_id",
    "place tags": "SELECT article_id, location_id, province_id, review_status "
    "FROM articles_locationmention ORDER BY article_id, location_id",
    "actors": "SELECT id, slug, name, status, aliases FROM articles_actor ORDER BY id",
    "links": "SELECT from_actor_id, to_actor_id, relation FROM articles_actorlink ORDER BY 1, 2",
    "places": "SELECT id, slug, path, province_id FROM articles_location ORDER BY id",
    "search": "SELECT id FROM articles_article "
    "WHERE search_vector @@ websearch_to_tsquery('english', 'naqous') ORDER BY id",
    "users": "SELECT username, is_staff FROM auth_user ORDER BY username",
}


def client_binaries() -> Path:
    """pg_dump/pg_restore of the server's major version: Debian's, else pgserver's."""
    major = connection.pg_version // 10000
    for candidate in (Path(f"/usr/lib/postgresql/{major}/bin"), PGSERVER_BIN):
        if not (candidate / "pg_dump").exists():
            continue
        version = subprocess.run(
            [candidate / "pg_dump", "--version"], capture_output=True, text=True, check=False
        )
        if version.returncode == 0 and f" {major}." in version.stdout:
            return candidate
    pytest.fail(f"no pg_dump for PostgreSQL {major}")


def connection_args(name: str) -> list[str]:
    s = connection.settings_dict
    args = ["-h", s["HOST"] or "localhost", "-U", s["USER"] or "postgres", "-d", name]
    return [*args, "-p", str(s["PORT"])] if s["PORT"] else args


def snapshot(name: str) -> dict[str, list[tuple]]:
    s = connection.settings_dict
    with (
        psycopg2.connect(dbname=name, host=s["HOST"], port=s["PORT"] or None, user=s["USER"]) as db,
        db.cursor() as cursor,
    ):
        result = {}
        for key, sql in SNAPSHOT.items():
            cursor.execute(sql)
            result[key] = cursor.fetchall()
    db.close()
    return result


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restored_into_an_empty_database_is_the_same_archive(tmp_path, empty_database):
    from django.contrib.auth.models import User

    User.objects.create_user("rania", password="x-long-password-1", is_staff=True)
    hama = ProvinceFactory(name="Hama")
    village = PlaceFactory(name="Khirbat al-Naqous", parent=hama)
    jund = ActorFactory(name="Jund al-Aqsa", aliases=["Jund al-Aqsa Organisation"])
    candidate = ActorFactory(name="Free Ghab Brigade", status=ActorStatus.CANDIDATE)
    ActorLinkFactory()
    public = ArticleFactory(
        title="Jund al-Aqsa storms Khirbat al-Naqous",
        body="Jund al-Aqsa entered Khirbat al-Naqous. Free Ghab Brigade withdrew.",
        primary_location=village,
        primary_province=hama,
    )
    hidden = ArticleFactory(title="Hidden report on Naqous", is_hidden=True)
    mention_article(public, jund, review_status=ReviewStatus.CONFIRMED)
    mention_article(public, candidate, review_status=ReviewStatus.REJECTED)
    mention_article(public, village)
    mention_article(hidden, jund)
    dump = tmp_path / "archive.dump"
    binaries = client_binaries()
    source = connection.settings_dict["NAME"]
    original = snapshot(source)

    subprocess.run(
        [binaries / "pg_dump", "--format=custom", "--file", dump, *connection_args(source)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            binaries / "pg_restore",
            "--no-owner",
            "--exit-on-error",
            *connection_args(empty_database),
            dump,
        ],
        check=True,
        capture_output=True,
    )

    restored = snapshot(empty_database)
    assert restored == original
    assert len(restored["articles"]) == 2
    assert {row[4] for row in restored["actor tags"]} == {"confirmed", "rejected", "auto"}
    assert restored["search"] != []
