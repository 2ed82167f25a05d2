"""What ingestion saved, as canonical JSON: proof that a speed-up changed no result.

    python -m bench.ingest_fingerprint > before.json
    ... change the code ...
    python -m bench.ingest_fingerprint > after.json && cmp before.json after.json

Ingests the project's own fictional demo articles (``articles/data/demo/`` and
``demo-stories/``, with their labels' outlets and dates, as ``load_demo`` does) into a scratch
database ``newsarchive_bench_fingerprint`` (made, migrated and loaded with the gazetteer the
first time, or with ``--reset``), in four rounds that cover every path through the save:

1. every demo file as it is (HTML pages claim their canonical URL; text has none);
2. a copy of each with a dispatch number in every paragraph, under an editor's URL (and
   the outlet of that URL's domain): new articles, near-duplicates of round 1, so stories
   group;
3. editors confirm the first actor and reject the first place of each round-2 copy, then
   a second copy comes in under the same URL: updates, each with its revision on the
   editorial record, keeping the decisions;
4. round 1 again: unchanged.

Everything runs in one transaction that is rolled back at the end, so the database is
the same for the next run. The JSON leaves out what differs between identical runs (row
ids, timestamps) and names rows by stable keys instead: articles by URL (or content hash),
actors and places by slug, stories by their articles.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from articles.ingest.pipeline import IngestOptions
from bench.ingest import DEMO, text_variant, variant

DATABASE = "newsarchive_bench_fingerprint"
SALT = 7


class _Rollback(Exception):
    pass


def _setup_database(reset: bool) -> None:
    import psycopg2

    from bench.run import ROOT, bench_database_url, reset_database

    def manage(*args: str) -> None:  # its messages on stderr: stdout is the JSON
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, stdout=2)

    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    url = bench_database_url(base, name=DATABASE)
    os.environ["DATABASE_URL"] = url
    if not reset:
        try:
            psycopg2.connect(url).close()
        except psycopg2.OperationalError:
            reset = True
    if reset:
        reset_database(url, name=DATABASE)
    manage("migrate", "--noinput", "-v", "0")
    if reset:
        manage("load_gazetteer")


def _inputs(tmp: Path) -> list[tuple[int, Path, IngestOptions]]:
    """(round, file, options) in ingestion order; the options as ``load_demo`` gives them."""
    pages = []
    for folder in (DEMO, DEMO.parent / "demo-stories"):
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        pages += [(folder / name, label) for name, label in sorted(labels.items())]

    def options(label: dict, url: str | None) -> IngestOptions:
        published = label.get("published")
        return IngestOptions(
            source_name=label.get("source"),
            url=url,
            published=datetime.date.fromisoformat(published) if published else None,
        )

    rounds = [(1, page, options(label, label.get("url"))) for page, label in pages]
    for round_, number in ((2, 1), (3, 2)):
        for page, label in pages:
            make = variant if page.suffix == ".html" else text_variant
            path = tmp / f"{round_}-{page.name}"
            path.write_bytes(make(page.read_bytes(), number, SALT))
            url = f"https://fingerprint.example/{page.stem}"
            rounds.append((round_, path, options({**label, "source": None}, url)))
    rounds += [(4, page, options(label, label.get("url"))) for page, label in pages]
    return rounds


def _ingest(tmp: Path) -> list[dict]:
    from articles.ingest.gazetteer import Gazetteer
    from articles.ingest.pipeline import prepare_input
    from articles.ingest.save import save_article

    gazetteer = Gazetteer.from_data_files()
    log = []
    for round_, path, options in _inputs(tmp):
        if round_ == 3 and log[-1]["round"] == 2:
            _review_round_two()
        try:
            tagged = prepare_input(str(path), gazetteer, options)
            result = save_article(tagged, source_name=options.source_name)
            outcome = {"status": result.status, "article": _article_key(result.article)}
        except Exception as error:  # an unreadable file is a result too
            outcome = {"error": f"{type(error).__name__}: {error}"}
        log.append({"round": round_, "input": path.name.split("-", 1)[-1], **outcome})
    return log


def _review_round_two() -> None:
    from articles.models import ActorMention, LocationMention, ReviewStatus

    copies = "https://fingerprint.example/"
    for model, status in (
        (ActorMention, ReviewStatus.CONFIRMED),
        (LocationMention, ReviewStatus.REJECTED),
    ):
        first = {}
        for mention in model.objects.filter(article__url__startswith=copies).order_by(
            "article_id", "first_field", "first_offset", "pk"
        ):
            first.setdefault(mention.article_id, mention.pk)
        model.objects.filter(pk__in=first.values()).update(review_status=status)


def _article_key(article) -> str:
    return article.url or f"hash:{article.content_hash}"


def _dump(log: list[dict]) -> dict:
    from django.db import connection
    from reversion.models import Version

    from articles.models import (
        Actor,
        ActorMention,
        Article,
        EditorialChange,
        Location,
        LocationMention,
        Source,
        Story,
        StoryBucket,
        StoryFingerprint,
    )

    articles = {a.pk: a for a in Article.objects.select_related("source")}
    keys = {pk: _article_key(a) for pk, a in articles.items()}
    actors = dict(Actor.objects.values_list("pk", "slug"))
    places = dict(Location.objects.values_list("pk", "slug"))
    sources = dict(Source.objects.values_list("pk", "slug"))
    members: dict[int, list[str]] = {}
    for article in articles.values():
        if article.story_id:
            members.setdefault(article.story_id, []).append(keys[article.pk])
    story_keys = {pk: " + ".join(sorted(urls)) for pk, urls in members.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, search_vector::text FROM articles_article")
        vectors = dict(cursor.fetchall())

    def mentions(model, target: str, names: dict[int, str]) -> dict[str, list]:
        found: dict[str, list] = {}
        for row in model.objects.values():
            row[target] = names[row.pop(f"{target}_id")]
            if "province_id" in row:
                row["province"] = places.get(row.pop("province_id"))
            row.pop("id")
            found.setdefault(keys[row.pop("article_id")], []).append(row)
        return {key: sorted(rows, key=lambda r: r[target]) for key, rows in sorted(found.items())}

    def fields_of(article) -> dict:
        return {
            "source": article.source.slug,
            "title": article.title,
            "slug": article.slug,
            "standfirst": article.standfirst,
            "caption": article.caption,
            "body": article.body,
            "authors": article.authors,
            "published_on": str(article.published_on),
            "language": article.language,
            "content_hash": article.content_hash,
            "primary_location": places.get(article.primary_location_id),
            "primary_province": places.get(article.primary_province_id),
            "is_hidden": article.is_hidden,
            "story": story_keys.get(article.story_id),
            "story_pinned": article.story_pinned,
            "search_vector": vectors[article.pk],
        }

    def without_ids(data: dict) -> dict:
        """A snapshot's fields with its row ids replaced by the keys above."""
        renames = {
            "article": keys,
            "actor": actors,
            "location": places,
            "province": places,
            "primary_location": places,
            "primary_province": places,
            "source": sources,
            "story": story_keys,
        }
        fields = {k: v for k, v in data["fields"].items() if k not in ("ingested_at", "updated_at")}
        for name, table in renames.items():
            if name in fields:
                fields[name] = table.get(fields[name], fields[name])
        return {"model": data["model"], "fields": fields}

    changes = []
    for change in EditorialChange.objects.select_related("revision").order_by("pk"):
        versions = Version.objects.filter(revision=change.revision).order_by("pk")
        changes.append(
            {
                "action": change.action,
                "summary": change.summary,
                "reason": change.revision.comment,
                "articles": sorted(keys[pk] for pk in change.article_ids),
                "actors": sorted(actors[pk] for pk in change.actor_ids),
                "places": sorted(places[pk] for pk in change.place_ids),
                "created": change.created,
                "versions": sorted(
                    (without_ids(json.loads(v.serialized_data)[0]) for v in versions),
                    key=lambda v: json.dumps(v, sort_keys=True),
                ),
            }
        )
    buckets: dict[str, list] = {}
    for article_id, band, bucket, day in StoryBucket.objects.values_list(
        "article_id", "band", "bucket", "day"
    ):
        buckets.setdefault(keys[article_id], []).append([band, bucket, str(day)])
    return {
        "log": log,
        "sources": sorted(
            Source.objects.values("name", "slug", "domain", "homepage"), key=lambda s: s["slug"]
        ),
        "actors": sorted(
            (
                {
                    "slug": a.slug,
                    "name": a.name,
                    "kind": a.kind,
                    "status": a.status,
                    "probable_actor": actors.get(a.probable_actor_id),
                    "probable_score": a.probable_score,
                }
                for a in Actor.objects.all()
            ),
            key=lambda a: a["slug"],
        ),
        "articles": {keys[pk]: fields_of(a) for pk, a in sorted(articles.items(), key=str)},
        "actor_mentions": mentions(ActorMention, "actor", actors),
        "location_mentions": mentions(LocationMention, "location", places),
        "stories": sorted(
            [story_keys[s.pk], s.title, str(s.first_published), str(s.last_published)]
            for s in Story.objects.filter(pk__in=story_keys)
        ),
        "story_fingerprints": {
            keys[fp.pop("article_id")]: {k: str(v) if k == "day" else v for k, v in fp.items()}
            for fp in StoryFingerprint.objects.values(
                "article_id", "day", "language", "minhash", "entities", "figures"
            )
        },
        "story_buckets": {key: sorted(rows) for key, rows in sorted(buckets.items())},
        "editorial_changes": changes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="make the scratch database anew")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    _setup_database(args.reset)

    import tempfile

    import django

    django.setup()
    from django.db import transaction

    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="ingest-fingerprint-") as tmp:
        try:
            with transaction.atomic():
                result = _dump(_ingest(Path(tmp)))
                raise _Rollback
        except _Rollback:
            pass
    # Sorted keys and a fixed layout: the same data is the same bytes.
    json.dump(result, sys.stdout, sort_keys=True, indent=1, ensure_ascii=False, default=str)
    print()


if __name__ == "__main__":
    main()
