"""Time the map and the feeds beside the list they draw, on the benchmark database.

    .venv/bin/python bench/run.py --articles 50000 --load-only    # once: load a corpus
    .venv/bin/python -m bench.map_feeds                            # then time the pages

Each page is timed through the Django test client (middleware, template and all) with
``bench.queries.time_query``, as the query mix is; the feed once uncached (a dummy cache,
what the first reader of a query waits for) and once as cached.
"""

from __future__ import annotations

import json
import os
import sys

from bench.run import ROOT, use_bench_database

# Repetitions per page (the query mix takes up to 100): the whole run stays a few minutes.
REPS = 20


def pages(ctx: dict):
    from bench.queries import Query

    province = ctx["top_province"]
    queries = [
        Query("list", "/articles/"),
        Query("map", "/map/"),
        Query("list_common_term", "/articles/", {"q": "shelling"}),
        Query("map_common_term", "/map/", {"q": "shelling"}),
        Query("list_actor", "/articles/", {"actor": ctx["top_actor"]}),
        Query("map_actor", "/map/", {"actor": ctx["top_actor"]}),
        Query("map_province", "/map/", {"province": province}),
        Query("map_province_term", "/map/", {"province": province, "q": "shelling"}),
        Query("feed_common_term", "/articles/feed/", {"q": "shelling"}),
        Query("feed_actor", "/articles/feed/", {"actor": ctx["top_actor"]}),
    ]
    return [Query(q.name, q.path, q.params, reps=REPS) for q in queries]


def main() -> None:
    use_bench_database(os.environ.get("BENCH_DATABASE_URL"))
    import django

    django.setup()
    import psycopg2
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings

    from bench.load import dsn
    from bench.queries import context, time_query

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_article")
        (articles,) = cursor.fetchone()
    raw = psycopg2.connect(**dsn())
    raw.autocommit = True
    client = Client()
    results = {"articles": articles, "load_average_at_start": os.getloadavg()}
    for query in pages(context()):
        runs = [("", None)]
        if query.path.endswith("/feed/"):
            dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
            runs = [("_uncached", override_settings(CACHES=dummy)), ("_cached", None)]
        for suffix, settings_override in runs:
            if settings_override:
                settings_override.enable()
            cache.clear()
            try:
                result, _ = time_query(client, raw, query)
            finally:
                if settings_override:
                    settings_override.disable()
            name = query.name + suffix
            results[name] = {
                key: result[key]
                for key in ("p50_ms", "p95_ms", "p99_ms", "statements", "bytes", "exact")
            }
            print(f"  {name}: {query.url} {results[name]}", file=sys.stderr)
    raw.close()
    results["load_average_at_end"] = os.getloadavg()
    out = ROOT / "bench" / f"results-map-feeds-{articles}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(out, file=sys.stderr)


if __name__ == "__main__":
    main()
