"""Time story grouping on the loaded benchmark database: the cost of filing one report
under its story when the archive holds a million articles and their band keys.

    .venv/bin/python bench/run.py --articles 1000000 --load-only   # once: load a corpus
    .venv/bin/python -m bench.stories_scale                        # fill the keys, then time

or, on a small corpus, ``--fill-to 1000000`` first adds hidden one-line filler articles up
to that many (they hold fingerprints and band keys, as the million other reports would; the
timed reports are the corpus's own, with their real text and tags).

The bulk loader writes no story fingerprints (working out a million MinHashes would take
longer than the load itself), so this fills ``StoryFingerprint`` and ``StoryBucket`` for
every loaded article in SQL, once, with as many keys per article as real reports get (41
bands) and the crowding real reporting shows:

- the 32 text bands are shared by pairs of articles (wire copies);
- the 8 actors-and-places bands are shared by one article in 20 across the whole archive, so
  every lookup of those finds far more articles in its date window than the per-key cap: the
  worst case, as for the many reports that name only "Syrian army" and "Aleppo";
- the place-and-figure band is shared by one article in 2,000.

Then ``group_article`` runs for a sample of loaded articles, each inside a transaction that is
rolled back (the database stays as loaded), with its band keys drawn the same way, so that it
looks up crowded buckets, compares the capped number of candidates and writes its keys, as
an ingested report would. Writes ``bench/results-stories-N.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

from bench.run import ROOT, use_bench_database

SAMPLE = 200
TEXT_SHARED_BY = 2
ENTITY_SHARED_BY = 20  # articles in the archive per entity-band key: crowded
PLACE_FIGURE_SHARED_BY = 2_000
FILLER = "Filler %"  # the titles of the filler articles, as a LIKE pattern


class Rollback(Exception):
    """Raised to undo one timed grouping."""


def _key_sql(article: str, band: str) -> str:
    """SQL for the synthetic bucket of ``article``'s ``band``: the fill and the timed
    articles (``synthetic_keys``) share this one expression."""
    return f"""CASE WHEN {band} < 32
                    THEN hashint8(({article})::bigint / {TEXT_SHARED_BY} * 64 + {band})
                    WHEN {band} < 40 THEN hashint8(
                        1000000000 + mod({article}, {ENTITY_SHARED_BY}) * 64 + {band})
                    ELSE hashint8(2000000000 + mod({article}, {PLACE_FIGURE_SHARED_BY})) END"""


def add_fillers(cursor, total: int) -> int:
    """Hidden one-line articles, dated over the corpus's 15 years, up to ``total``."""
    cursor.execute("SELECT count(*) FROM articles_article")
    (present,) = cursor.fetchone()
    if present >= total:
        return 0
    # Like the bulk load: the search index records nothing for these (they are hidden).
    cursor.execute("SET search_index.paused = 'on'")
    cursor.execute(
        """
        INSERT INTO articles_article (title, slug, standfirst, caption, body, authors,
               published_on, language, ingested_at, updated_at, content_hash, is_hidden,
               story_pinned, source_id)
        SELECT 'Filler ' || n, 'filler-' || n, '', '', 'Filler.', '{}',
               date '2011-03-15' + (random() * 5475)::int, 'en', now(), now(),
               md5('filler' || n) || md5('filler-' || n), true, false,
               (SELECT min(id) FROM articles_source)
          FROM generate_series(%s, %s) AS n
        """,
        [present + 1, total],
    )
    cursor.execute("ANALYZE articles_article")
    return total - present


def fill(cursor) -> dict:
    """Fingerprints and band keys for every article that has none; returns the seconds."""
    cursor.execute("SELECT count(*) FROM articles_storybucket")
    (existing,) = cursor.fetchone()
    if existing:
        return {"filled": False, "bucket_rows": existing}
    started = time.perf_counter()
    print("  fingerprints for every article", file=sys.stderr)
    cursor.execute(
        """
        INSERT INTO articles_storyfingerprint
               (article_id, day, language, minhash, entities, figures)
        SELECT a.id, a.published_on, left(a.language, 2),
               ARRAY(SELECT (random() * 4294967295)::bigint + 0 * a.id
                       FROM generate_series(1, 64)),
               ARRAY['actor:synthetic-' || (a.id % 97), 'place:synthetic-' || (a.id % 89)],
               ARRAY[(a.id % 50)::text]
          FROM articles_article AS a
        ON CONFLICT (article_id) DO NOTHING
        """
    )
    # The indexes are built once after the rows, as the bulk loader does.
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_storybucket'"
        " AND indexname <> 'articles_storybucket_pkey'"
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    print("  band keys for every article (41 each)", file=sys.stderr)
    cursor.execute(
        f"""
        INSERT INTO articles_storybucket (article_id, band, bucket, day)
        SELECT a.id, b.band, {_key_sql("a.id", "b.band")},
               coalesce(a.published_on, a.ingested_at::date)
          FROM articles_article AS a CROSS JOIN generate_series(0, 40) AS b (band)
        """
    )
    for name, definition in indexes:
        print(f"  index {name}", file=sys.stderr)
        cursor.execute(definition)
    cursor.execute("ANALYZE articles_storybucket")
    cursor.execute("ANALYZE articles_storyfingerprint")
    cursor.execute("SELECT count(*) FROM articles_storybucket")
    (rows,) = cursor.fetchone()
    return {
        "filled": True,
        "fill_seconds": round(time.perf_counter() - started, 1),
        "bucket_rows": rows,
    }


def synthetic_keys(cursor, article_id: int) -> list[tuple[int, int]]:
    cursor.execute(
        f"SELECT b.band, {_key_sql('%s', 'b.band')} FROM generate_series(0, 40) AS b (band)",
        [article_id] * 3,
    )
    return [(band, bucket) for band, bucket in cursor.fetchall()]


def timings(ms: list[float]) -> dict:
    """The query mix's percentiles (``bench.queries.percentiles``, which takes seconds),
    and the slowest call: a bound is about the worst case too."""
    from bench.queries import percentiles

    return {**percentiles([m / 1000 for m in ms]), "max_ms": round(max(ms), 2)}


def main() -> None:
    use_bench_database(os.environ.get("BENCH_DATABASE_URL"))
    import django

    django.setup()
    from unittest import mock

    from django.db import connection, transaction

    from articles import stories
    from articles.ingest import story_match
    from articles.models import Article

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill-to", type=int, default=0, help="add filler articles up to N")
    args = parser.parse_args()
    results: dict = {"load_average_at_start": os.getloadavg()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM articles_article WHERE title NOT LIKE %s", [FILLER])
        (top,) = cursor.fetchone()
        started = time.perf_counter()
        if fillers := add_fillers(cursor, args.fill_to):
            results["fillers_added"] = fillers
            results["fillers_seconds"] = round(time.perf_counter() - started, 1)
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE title LIKE %s) FROM articles_article",
            [FILLER],
        )
        results["articles"], results["fillers"] = cursor.fetchone()
        articles = results["articles"]
        results.update(fill(cursor))
        cursor.execute("SELECT pg_total_relation_size('articles_storybucket')")
        results["bucket_table_mb"] = round(cursor.fetchone()[0] / 2**20)

    rng = random.Random(7)
    sample = sorted(rng.sample(range(1, top + 1), SAMPLE))
    whole, lookup, candidates, cpu = [], [], [], []
    for article in Article.objects.filter(pk__in=sample).select_related("story"):
        with connection.cursor() as cursor:
            keys = synthetic_keys(cursor, article.pk)
        day = article.published_on or article.ingested_at.date()
        started = time.perf_counter()
        found = stories._candidate_ids(article, keys, day)
        lookup.append((time.perf_counter() - started) * 1000)
        candidates.append(len(found))
        with mock.patch.object(story_match, "band_keys", return_value=keys):
            try:
                with transaction.atomic():
                    started, cpu_started = time.perf_counter(), time.process_time()
                    stories.group_article(article)
                    whole.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - cpu_started) * 1000)
                    raise Rollback
            except Rollback:
                pass
    results["candidate_lookup"] = timings(lookup)
    results["group_article"] = timings(whole)
    results["group_article_cpu"] = timings(cpu)
    results["candidates"] = {
        "min": min(candidates),
        "median": statistics.median(candidates),
        "max": max(candidates),
        "cap": stories.MAX_CANDIDATES,
    }
    results["sample"] = SAMPLE
    results["load_average_at_end"] = os.getloadavg()
    results["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    out = ROOT / "bench" / f"results-stories-{articles}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
