"""The reading pages at the loaded corpus, statement by statement: an article (alone and in a
story), an actor, a province, a town and a source's list.

    .venv/bin/python -m bench.pages --label after [--reps 200] [--profile article]

It runs against the benchmark database bench/run.py loaded (``newsarchive_bench`` on the
embedded server, or ``--database-url``), with DEBUG off as deployed, and fetches each page
through the Django test client (the whole middleware stack and template) ``--reps``
times. Every statement is timed where Django runs it (``execute_wrapper``), so each page
reports its view p50/p95/p99, the median time of each of its statements, and what is left
for Python (templates, markup, the ORM building rows). The figures statement of a list
(``search.summary`` and the exact figures from the cache) is timed apart as ``figures``:
another part of the issue owns it.

The article page cycles over ``ARTICLE_SAMPLE`` articles spread over the id range, so no
single row stays hot; after the first round each is rendered already (the ``pages``
cache, per archive generation). "article_uncached" is the same articles without that
cache, as the first reader after a change sees them. "article_in_story" is the same
articles, each put in a story with ``STORY_REPORTS - 1`` reports from other sources, inside
a transaction rolled back at the end (the synthetic corpus has no stories). ``--label``
names the run in ``bench/pages-N.json`` (kept beside the earlier labels), for before/after
comparisons.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

ARTICLE_SAMPLE = 50
STORY_REPORTS = 5
FIGURES = ("summary", "count_only", "exact_summary")


def setup(database_url: str | None) -> None:
    from bench.run import use_bench_database

    use_bench_database(database_url)
    import django

    django.setup()


def targets() -> dict[str, list[str]]:
    """Each page's URLs (the article pages cycle over several)."""
    from django.db import connection

    from bench.queries import context

    ctx = context()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, slug FROM articles_article WHERE NOT is_hidden AND id IN ("
            " SELECT percentile_disc(q) WITHIN GROUP (ORDER BY id) FROM articles_article,"
            " generate_series(0.01, 0.99, %s) AS q GROUP BY q) ORDER BY id",
            [0.98 / (ARTICLE_SAMPLE - 1)],
        )
        articles = [f"/articles/{pk}/{slug}/" for pk, slug in cursor.fetchall()]
        # The place inside a province named most often: the non-governorate route.
        cursor.execute(
            "SELECT l.slug FROM articles_locationmention m JOIN articles_location l "
            "ON l.id = m.location_id WHERE l.kind NOT IN ('governorate', 'country') "
            "GROUP BY l.slug ORDER BY count(*) DESC LIMIT 1"
        )
        town = cursor.fetchone()[0]
        cursor.execute(
            "SELECT s.slug FROM articles_article a JOIN articles_source s ON s.id = a.source_id "
            "GROUP BY s.slug ORDER BY count(*) DESC LIMIT 1"
        )
        source = cursor.fetchone()[0]
    return {
        "article": articles,
        "article_uncached": articles,
        "article_in_story": articles,
        "actor_page": [f"/actors/{ctx['top_actor']}/"],
        "province_page": [f"/places/{ctx['top_province']}/"],
        "town_page": [f"/places/{town}/"],
        "source_list": [f"/articles/?source={source}"],
    }


@contextmanager
def stories_for(urls: list[str]):
    """Each article in a story of STORY_REPORTS public reports, rolled back afterwards."""
    from django.core.cache import caches
    from django.db import connection, transaction

    from articles.models import Article, Story

    ids = [int(url.split("/")[2]) for url in urls]
    with transaction.atomic():
        for pk in ids:
            article = Article.objects.only("source_id", "published_on", "title").get(pk=pk)
            others = list(
                Article.objects.public()
                .exclude(source_id=article.source_id)
                .filter(pk__lt=pk, story__isnull=True)
                .order_by("-pk")
                .values_list("pk", flat=True)[: STORY_REPORTS - 1]
            )
            story = Story.objects.create(
                title=article.title,
                first_published=article.published_on,
                last_published=article.published_on,
            )
            # update(): no signals, so the archive generation (and its cache keys) stays.
            Article.objects.filter(pk__in=[pk, *others]).update(story=story)
        # ... so the article pages rendered before their stories are dropped by hand.
        caches["pages"].clear()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
        try:
            yield
        finally:
            transaction.set_rollback(True)


class Timings:
    """Statement durations of one request, recorded where Django executes them."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, float]] = []
        self.figures = 0.0
        self.cpu = 0.0  # this process's CPU time: Python's share, whatever else runs

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, time.perf_counter() - started))


@contextmanager
def timed_figures(timings_of):
    """``search.summary`` and friends timed apart: the figures are not this part's work."""
    from articles import search

    def wrap(name):
        real = getattr(search, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                timings_of().figures += time.perf_counter() - started

        return timed

    with mock.patch.multiple(search, **{name: wrap(name) for name in FIGURES}):
        yield


def percentiles(ms: list[float]) -> dict:
    ms = sorted(ms)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
    }


def measure(client, urls: list[str], reps: int) -> dict:
    from django.db import connection

    current = Timings()
    runs: list[tuple[float, Timings]] = []
    with timed_figures(lambda: current), connection.execute_wrapper(lambda *args: current(*args)):
        for warm in urls:  # each article once: the pages cache holds it from then on
            assert client.get(warm).status_code == 200, warm
        for rep in range(reps):
            current = Timings()
            url = urls[rep % len(urls)]
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            current.cpu = time.process_time() - cpu_started
            assert response.status_code == 200, (url, response.status_code)
            runs.append((elapsed, current))
    views = [elapsed * 1000 for elapsed, _ in runs]
    sql = [sum(d for _, d in t.statements) * 1000 for _, t in runs]
    figures = [t.figures * 1000 for _, t in runs]
    counts = [len(t.statements) for _, t in runs]
    per_statement: dict[int, list[float]] = {}
    first_sql: dict[int, str] = {}
    for _, t in runs:
        for i, (statement, duration) in enumerate(t.statements):
            per_statement.setdefault(i, []).append(duration * 1000)
            first_sql.setdefault(i, statement)
    return percentiles(views) | {
        "n": reps,
        "statements": max(counts),
        "sql_p50_ms": round(statistics.median(sql), 2),
        "figures_p50_ms": round(statistics.median(figures), 2),
        "python_p50_ms": round(
            statistics.median(v - s for v, s in zip(views, sql, strict=True)), 2
        ),
        "python_cpu_p50_ms": round(statistics.median(t.cpu * 1000 for _, t in runs), 2),
        "without_figures_p95_ms": percentiles([v - f for v, f in zip(views, figures, strict=True)])[
            "p95_ms"
        ],
        "each_statement_p50_ms": [
            [round(statistics.median(per_statement[i]), 3), " ".join(first_sql[i].split())[:160]]
            for i in sorted(per_statement)
        ],
    }


def profile(client, urls: list[str], reps: int) -> str:
    profiler = cProfile.Profile()
    for rep in range(reps):
        url = urls[rep % len(urls)]
        profiler.enable()
        client.get(url)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(
        os.environ.get("PROFILE_SORT", "cumulative")
    ).print_stats(40)
    return out.getvalue()


def table(rows: dict) -> str:
    lines = [
        "| page | p50 | p95 | p99 | statements | SQL p50 | figures p50 | Python p50 | "
        "Python CPU p50 | p95 without figures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page, r in rows.items():
        lines.append(
            f"| {page} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['statements']} | "
            f"{r['sql_p50_ms']} | {r['figures_p50_ms']} | {r['python_p50_ms']} | "
            f"{r['python_cpu_p50_ms']} | "
            f"{r['without_figures_p95_ms']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="run", help="the run's name in bench/pages-N.json")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--pages", default="", help="comma-separated subset of the pages")
    parser.add_argument("--profile", default="", help="print a cProfile of this page instead")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--verbose", action="store_true", help="print every statement's time")
    args = parser.parse_args()
    setup(args.database_url)

    from django.test import Client

    from articles.models import Article

    client = Client()
    pages = targets()
    wanted = [p for p in args.pages.split(",") if p] or list(pages)
    if args.profile:
        with _setting_for(args.profile, pages["article"]):
            print(profile(client, pages[args.profile], args.reps))
        return
    rows: dict = {}
    for page in wanted:
        with _setting_for(page, pages[page]):
            rows[page] = measure(client, pages[page], args.reps)
        print(
            f"{page}: p50 {rows[page]['p50_ms']} ms, p95 {rows[page]['p95_ms']} ms", file=sys.stderr
        )
        if args.verbose:
            for ms, sql in rows[page]["each_statement_p50_ms"]:
                print(f"    {ms:8.3f} ms  {sql}", file=sys.stderr)
    n = Article.objects.count()
    path = ROOT / "bench" / f"pages-{round(n, -3)}.json"
    record = json.loads(path.read_text()) if path.exists() else {}
    record[args.label] = {
        "articles": n,
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "finished_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "pages": rows,
    }
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(table(rows))


@contextmanager
def _nothing():
    yield


@contextmanager
def _uncached():
    """No ``pages`` cache: every article page is rendered, as for the first reader after a
    change (a new archive generation)."""
    from django.conf import settings
    from django.test import override_settings

    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with override_settings(CACHES={**settings.CACHES, "pages": dummy}):
        yield


def _setting_for(page: str, urls: list[str]):
    if page == "article_in_story":
        return stories_for(urls)
    if page == "article_uncached":
        return _uncached()
    return _nothing()


if __name__ == "__main__":
    main()
