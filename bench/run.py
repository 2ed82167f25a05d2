"""Benchmark the archive at N articles: ``python bench/run.py --articles 100000``.

1. (Re)create the benchmark database ``newsarchive_bench`` next to the dev database (never
   the dev database itself), migrate it and load the gazetteer with ``load_gazetteer``.
2. Generate and bulk-load N synthetic articles (bench/corpus.py, bench/load.py).
3. Time the query mix through the views and as bare SQL, and the tantivy reference
   (bench/queries.py); EXPLAIN ANALYZE every statement.
4. Time HTTP under gunicorn with wrk (bench/http.py) and real HTML ingestion.
5. Write bench/results-N.json, docs/benchmarks-explain-N.md and a row in docs/benchmarks.md.

The benchmark runs with DEBUG off (Django keeps no query log) against the server's
default settings, which the report records.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path, where http.py would shadow the
# standard library's http package; the project root goes there instead.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
# BENCH_DATABASE_NAME lets several benchmarks share one server, each on its own database
# (the name must still start with newsarchive_bench: only those are ever reset).
BENCH_DATABASE = os.environ.get("BENCH_DATABASE_NAME", "newsarchive_bench")


def bench_database_url(base_url: str | None, name: str = BENCH_DATABASE) -> str:
    """The URL of the benchmark database ``name`` on the same server as ``base_url`` (or the
    embedded server when none is given)."""
    if not base_url:
        from newsarchive.embedded_db import embedded_database_url

        base_url = embedded_database_url(ROOT / ".data" / "pgdata")
    parts = urlsplit(base_url)
    if parts.path.strip("/") == name:
        return base_url
    return urlunsplit(parts._replace(path=f"/{quote(name)}"))


def use_bench_database(base_url: str | None) -> str:
    """Point this process (and the ``manage.py`` it runs) at the benchmark database, with
    DEBUG off as deployed; returns its URL. Call before ``django.setup()``."""
    url = bench_database_url(base_url)
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
        DJANGO_SETTINGS_MODULE="newsarchive.settings",
    )
    return url


def reset_database(url: str, name: str = BENCH_DATABASE) -> None:
    import dj_database_url
    import psycopg2

    db = dj_database_url.parse(url)
    if db["NAME"] != name or not name.startswith("newsarchive_bench"):
        raise SystemExit(f"refusing to reset {db['NAME']!r}: not a benchmark database")
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="loader processes")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded database")
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="reset and load, record the load figures for a later --reuse run, and stop",
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--rebuild-index", action="store_true", help="with --reuse: rebuild the search index"
    )
    parser.add_argument(
        "--rebuild-aggregates",
        action="store_true",
        help="with --reuse: migrate and recount the entity figures (rebuild_aggregates)",
    )
    parser.add_argument("--note", default="", help="what changed since the last row")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="any database on the server to use (default: the embedded server)",
    )
    args = parser.parse_args()

    url = use_bench_database(args.database_url)
    if not args.reuse:
        print(f"benchmark database: {BENCH_DATABASE} (reset)", file=sys.stderr)
        reset_database(url)
        manage("migrate", "--noinput", "-v", "0")
        manage("load_gazetteer")
    # DEBUG is off, as deployed: static files come from the hashed manifest.
    manage("collectstatic", "--noinput", "-v", "0")

    import django

    django.setup()
    from bench import http, ingest, queries, report
    from bench.load import load

    # Other work on the machine skews timings; the report records the load average.
    results: dict = {"articles": args.articles, "load_average_at_start": os.getloadavg()}
    # A 1M load takes half an hour: --load-only keeps its figures for the --reuse run.
    load_record = ROOT / ".data" / f"bench-load-{args.articles}.json"
    if not args.reuse:
        print(f"loading {args.articles:,} articles", file=sys.stderr)
        results["load"] = load(args.articles, seed=args.seed, workers=args.workers).__dict__
        results["load"]["load_average_at_start"] = results["load_average_at_start"]
        load_record.parent.mkdir(exist_ok=True)
        load_record.write_text(json.dumps(results["load"]))
        if args.load_only:
            print(json.dumps(results["load"]), file=sys.stderr)
            return
    elif load_record.exists():
        results["load"] = json.loads(load_record.read_text())
    if args.reuse and args.rebuild_aggregates:
        from articles import aggregates

        manage("migrate", "--noinput", "-v", "0")
        counted = aggregates.rebuild(progress=True)
        results.setdefault("load", {}).update(
            aggregates_seconds=counted.seconds, aggregates_mb=counted.size_mb
        )
    if args.reuse and args.rebuild_index:
        from articles import search_index

        built = search_index.rebuild(progress=True)
        results.setdefault("load", {}).update(
            search_index_seconds=built.seconds, search_index_mb=built.size_mb
        )
    results.update(report.database_facts())
    mix = queries.run(args.articles)
    results["queries"] = mix.results
    results["tantivy"] = mix.tantivy
    if not args.skip_http:
        results["http"] = http.run(queries.context())
        results["http_setup"] = http.SETUP
    results["ingest_html"] = ingest.run()
    results["machine"] = {
        "cores": os.cpu_count(),
        "memory_gb": report.memory_gb(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": [results.pop("load_average_at_start"), os.getloadavg()],
    }
    results["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    report.write(results, mix.explain, note=args.note)


if __name__ == "__main__":
    main()
