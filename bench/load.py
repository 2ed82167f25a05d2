"""Bulk-load a synthetic corpus into the benchmark database with COPY.

The rows are what ``articles.ingest.save.save_article()`` would write for the same text
and mentions: the project's own ``content_hash`` and slug, one mention row per (article,
actor) and (article, place) with count, first field and offset, sentence and spans, and
``LocationMention.province`` copied from the place. Only the transport differs: COPY in
chunks from worker processes instead of one transaction per article.

For the load, secondary indexes are dropped and rebuilt afterwards (primary keys and
unique constraints stay, so a duplicate still fails), and foreign-key triggers are
skipped in the loading sessions (``session_replication_role = replica``, as pg_restore
effectively does); ``check()`` then verifies that every mention points at a real row.
The search index's and the entity figures' change triggers are paused likewise (they do
not fire in replica mode either), and both are rebuilt once after the load
(``search_index_seconds``, ``search_index_mb``; ``aggregates_seconds``, ``aggregates_mb``).
"""

from __future__ import annotations

import datetime
import io
import json
import multiprocessing
import sys
import time
from dataclasses import dataclass

import psycopg2
from django.conf import settings
from django.db import connection, connections
from django.utils.text import slugify

from articles import aggregates, search_index
from articles.ingest.gazetteer import Gazetteer
from articles.ingest.save import content_hash
from articles.ingest.tag import EXTRACTOR
from articles.models import Actor, Location, Source
from bench.corpus import SOURCES, Corpus, SyntheticArticle
from bench.memory import PeakMemory

TABLES = ("articles_article", "articles_actormention", "articles_locationmention")
ARTICLE_COLUMNS = (
    "id, source_id, url, title, slug, standfirst, caption, body, authors, published_on, "
    "language, ingested_at, updated_at, content_hash, is_hidden, story_pinned, "
    "primary_location_id, primary_province_id"
)
MENTION_COLUMNS = (
    "article_id, {target}, count, first_field, first_offset, sentence, spans, written, "
    "extractor, review_status"
)


@dataclass(frozen=True)
class LoadReport:
    articles: int
    seconds: float
    copy_seconds: float
    index_seconds: float
    articles_per_s: float
    peak_rss_mb: float
    actor_mentions: int
    location_mentions: int
    search_index_seconds: float
    search_index_mb: float
    aggregates_seconds: float = 0.0
    aggregates_mb: float = 0.0


def dsn() -> dict:
    db = settings.DATABASES["default"]
    return {
        "dbname": db["NAME"],
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
    }


def source_domain(name: str) -> str:
    return slugify(name).replace("-", "") + ".example"


def ensure_sources() -> dict[str, int]:
    for name in SOURCES:
        domain = source_domain(name)
        Source.objects.get_or_create(
            domain=domain,
            defaults={"name": name, "slug": slugify(name), "homepage": f"https://{domain}/"},
        )
    return dict(Source.objects.filter(name__in=SOURCES).values_list("name", "id"))


# --- COPY text format --------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _array(values: list[str]) -> str:
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def _row(*values) -> str:
    return "\t".join(_cell(v) for v in values) + "\n"


# --- workers ---------------------------------------------------------------------------

_state: dict = {}


def _init_worker(connect: dict, seed: int, lookups: dict) -> None:
    _state["connection"] = psycopg2.connect(**connect)
    _state["corpus"] = Corpus(Gazetteer.from_data_files(), seed)
    _state.update(lookups)
    with _state["connection"].cursor() as cursor:
        # No FK triggers, nor the search index's change triggers (which record nothing
        # while paused either): the index is rebuilt once the load is done.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET search_index.paused = 'on'")
        cursor.execute("SET aggregates.paused = 'on'")
        cursor.execute("SET synchronous_commit = off")
    _state["now"] = datetime.datetime.now(datetime.UTC).isoformat()


def _article_rows(article: SyntheticArticle, out: dict[str, io.StringIO]) -> None:
    actors, locations, provinces = _state["actors"], _state["locations"], _state["provinces"]
    slug = slugify(article.title)[:200] or "article"
    domain = source_domain(article.source)
    primary = locations.get(article.primary_location)
    out["articles_article"].write(
        _row(
            article.number,
            _state["sources"][article.source],
            f"https://{domain}/{article.published_on:%Y/%m}/{slug[:80]}-{article.number}",
            article.title,
            slug,
            article.standfirst,
            article.caption,
            article.body,
            _array(article.authors),
            article.published_on.isoformat(),
            "en",
            _state["now"],
            _state["now"],
            content_hash(article.title, article.body),
            article.is_hidden,
            False,
            primary,
            provinces.get(article.primary_location),
        )
    )
    for table, mentions, ids in (
        ("articles_actormention", article.actors, actors),
        ("articles_locationmention", article.locations, locations),
    ):
        for mention in mentions:
            row = [
                article.number,
                ids[mention.slug],
                mention.count,
                mention.first_field,
                mention.first_offset,
                mention.sentence,
                json.dumps(mention.spans),
                _array(_written(article, mention)),
                EXTRACTOR,
                article.review_status,
            ]
            if table == "articles_actormention":
                row += ["", 1.0]  # no role; an exact spelling
            if table == "articles_locationmention":
                row.append(provinces.get(mention.slug))
            out[table].write(_row(*row))


def _written(article: SyntheticArticle, mention) -> list[str]:
    """The forms the mention's spans cover, as ingestion stores them."""
    return sorted({getattr(article, name)[start:end] for name, start, end in mention.spans})


def _load_chunk(bounds: tuple[int, int]) -> int:
    start, stop = bounds
    out = {table: io.StringIO() for table in TABLES}
    for number in range(start, stop):
        _article_rows(_state["corpus"].article(number), out)
    conn = _state["connection"]
    with conn.cursor() as cursor:
        cursor.copy_expert(f"COPY articles_article ({ARTICLE_COLUMNS}) FROM STDIN", _rewind(out, 0))
        actor_columns = MENTION_COLUMNS.format(target="actor_id") + ", role, confidence"
        cursor.copy_expert(
            f"COPY articles_actormention ({actor_columns}) FROM STDIN", _rewind(out, 1)
        )
        location_columns = MENTION_COLUMNS.format(target="location_id") + ", province_id"
        cursor.copy_expert(
            f"COPY articles_locationmention ({location_columns}) FROM STDIN", _rewind(out, 2)
        )
    conn.commit()
    return stop - start


def _rewind(out: dict[str, io.StringIO], index: int) -> io.StringIO:
    buffer = out[TABLES[index]]
    buffer.seek(0)
    return buffer


# --- orchestration ---------------------------------------------------------------------


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of every index on the loaded tables that no constraint owns."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        ORDER BY i.indexname
        """,
        [list(TABLES)],
    )
    return cursor.fetchall()


def load(n: int, *, seed: int = 1, workers: int = 2, chunk: int = 1000) -> LoadReport:
    started = time.perf_counter()
    lookups = {
        "sources": ensure_sources(),
        "actors": dict(Actor.objects.values_list("slug", "id")),
        "locations": dict(Location.objects.values_list("slug", "id")),
        "provinces": {
            slug: province
            for slug, province in Location.objects.values_list("slug", "province_id")
            if province
        },
    }
    with connection.cursor() as cursor:
        indexes = _secondary_indexes(cursor)
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    connections.close_all()  # the workers are forked; they must not share this socket

    bounds = [(start, min(start + chunk, n + 1)) for start in range(1, n + 1, chunk)]
    done, last_report = 0, 0.0
    with PeakMemory() as memory:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, _init_worker, (dsn(), seed, lookups)) as pool:
            for count in pool.imap_unordered(_load_chunk, bounds):
                done += count
                if time.perf_counter() - last_report > 10 or done == n:
                    last_report = time.perf_counter()
                    rate = done / (last_report - started)
                    print(f"  loaded {done:,}/{n:,} ({rate:,.0f}/s)", file=sys.stderr)
        copy_seconds = time.perf_counter() - started

        index_started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("SET max_parallel_maintenance_workers = 2")
            for name, definition in indexes:
                print(f"  index {name}", file=sys.stderr)
                cursor.execute(definition)
            for table in TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
        connection.close()
        with connection.cursor() as cursor:  # VACUUM cannot run inside a transaction block
            for table in TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        index_seconds = time.perf_counter() - index_started
    counts = check()
    seconds = time.perf_counter() - started
    print("  search index", file=sys.stderr)
    built = search_index.rebuild(progress=True)
    print("  entity figures", file=sys.stderr)
    counted = aggregates.rebuild(progress=True)
    return LoadReport(
        articles=n,
        seconds=round(seconds, 1),
        copy_seconds=round(copy_seconds, 1),
        index_seconds=round(index_seconds, 1),
        articles_per_s=round(n / seconds, 1),
        peak_rss_mb=memory.mb,
        actor_mentions=counts["articles_actormention"],
        location_mentions=counts["articles_locationmention"],
        search_index_seconds=built.seconds,
        search_index_mb=built.size_mb,
        aggregates_seconds=counted.seconds,
        aggregates_mb=counted.size_mb,
    )


def check() -> dict[str, int]:
    """Row counts, after making sure no mention points at a missing row."""
    orphans = {
        "articles_actormention": [
            ("article_id", "articles_article"),
            ("actor_id", "articles_actor"),
        ],
        "articles_locationmention": [
            ("article_id", "articles_article"),
            ("location_id", "articles_location"),
            ("province_id", "articles_location"),
        ],
    }
    counts = {}
    with connection.cursor() as cursor:
        for table, references in orphans.items():
            for column, target in references:
                cursor.execute(
                    f"SELECT count(*) FROM {table} m WHERE m.{column} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {target} t WHERE t.id = m.{column})"
                )
                if missing := cursor.fetchone()[0]:
                    raise RuntimeError(f"{missing} rows of {table}.{column} point nowhere")
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts
