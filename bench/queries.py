"""The query mix: each page timed through the Django view, as the bare SQL it runs, and on
the tantivy reference index, over the same corpus.

Each named query is a page and its query string. It is fetched once with the statements
captured (``CaptureQueriesContext``); then the view is timed through the test client (the
full middleware stack, template rendering and all), the captured statements are replayed
on a plain psycopg2 connection (the database's share), and tantivy answers the same
question (count, one page of hits, and facets where the page shows them).

The search pages always compute facets and the per-month timeline; the entries marked
``facets=False`` time the page with ``search.summary`` replaced by ``search.count_only`` (the
capped count alone), which is the cost of the result list alone. Both are reported.

Each query also records whether its page is ``exact``: fetched first in a new archive
generation (nothing cached), it rendered every figure it shows over every match (the view's
``counting_url`` is empty: no "Counting…" marker linking to the counts page). Pages without
counted figures (an article, the export, which streams every match) are exact. A list's
counts page (``/articles/counts/``, ``/actors/<slug>/counts/``, ``/places/<slug>/counts/``
with the same query) is then timed uncached, the generation bumped before every
repetition: the cost of the exact count, facets and timeline of any query, as ``counts_*``.
"""

from __future__ import annotations

import contextlib
import datetime
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import psutil
import psycopg2
import tantivy
from django.db import connection
from django.template import Template
from django.test import Client
from django.test.utils import CaptureQueriesContext, instrumented_test_render

from articles import generation, search, search_index
from bench.load import dsn
from bench.memory import PeakMemory

INDEX_ROOT = Path(__file__).resolve().parent / "corpus"
EXPORT_ROWS = 100_000
MAX_REPS = 100
MIN_REPS = 5
BUDGET_SECONDS = 15.0  # per measurement; fewer than 100 repetitions when a query is slow


@dataclass(frozen=True)
class Query:
    name: str
    path: str
    params: dict = field(default_factory=dict)
    facets: bool = True  # False: facet counts and the timeline stubbed out
    reps: int = MAX_REPS

    @property
    def url(self) -> str:
        return f"{self.path}?{urlencode(self.params)}" if self.params else self.path

    @property
    def counts_url(self) -> str | None:
        """The list's counts page with the same query (no page number), if it is a list."""
        if self.name == "export_csv" or not (
            self.path == "/articles/" or self.path.startswith(("/actors/", "/places/"))
        ):
            return None
        params = {k: v for k, v in self.params.items() if k != "page"}
        path = f"{self.path}counts/"
        return f"{path}?{urlencode(params)}" if params else path


@dataclass
class MixResult:
    results: dict = field(default_factory=dict)
    tantivy: dict = field(default_factory=dict)
    explain: list[tuple[Query, list[tuple[str, str]]]] = field(default_factory=list)


def context() -> dict:
    """What the mix needs from the loaded data: the most mentioned actor and province, an
    article, and the date above which ``EXPORT_ROWS`` articles lie."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.slug FROM articles_actormention m JOIN articles_actor a "
            "ON a.id = m.actor_id GROUP BY a.slug ORDER BY count(*) DESC LIMIT 3"
        )
        actors = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT l.slug FROM articles_locationmention m JOIN articles_location l "
            "ON l.id = m.province_id GROUP BY l.slug ORDER BY count(*) DESC LIMIT 1"
        )
        province = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id, slug FROM articles_article WHERE NOT is_hidden ORDER BY id "
            "OFFSET (SELECT count(*) / 2 FROM articles_article) LIMIT 1"
        )
        article = cursor.fetchone()
        cursor.execute(
            "SELECT published_on FROM articles_article WHERE NOT is_hidden "
            "ORDER BY published_on DESC OFFSET %s LIMIT 1",
            [EXPORT_ROWS - 1],
        )
        row = cursor.fetchone()
    return {
        "top_actor": actors[0],
        "filter_actor": actors[-1],
        "top_province": province,
        "article": f"/articles/{article[0]}/{article[1]}/",
        "export_after": row[0].isoformat() if row else None,
    }


def mix(ctx: dict) -> list[Query]:
    export = {"published_after": ctx["export_after"]} if ctx["export_after"] else {}
    two_years = {"published_after": "2015-01-01", "published_before": "2016-12-31"}
    return [
        Query("rare_term", "/articles/", {"q": "cholera"}, facets=False),
        Query("common_term", "/articles/", {"q": "shelling"}, facets=False),
        Query("phrase", "/articles/", {"q": '"humanitarian corridor"'}, facets=False),
        Query("or_query", "/articles/", {"q": "ceasefire or truce"}, facets=False),
        Query("actor_filter", "/articles/", {"actor": ctx["filter_actor"]}, facets=False),
        Query(
            "province_date",
            "/articles/",
            {"province": ctx["top_province"], **two_years},
            facets=False,
        ),
        Query(
            "text_actor_province",
            "/articles/",
            {"q": "shelling", "actor": ctx["top_actor"], "province": ctx["top_province"]},
            facets=False,
        ),
        Query(
            "text_actor_province_facets",
            "/articles/",
            {"q": "shelling", "actor": ctx["top_actor"], "province": ctx["top_province"]},
        ),
        Query("common_term_facets", "/articles/", {"q": "shelling"}),
        Query("deep_page", "/articles/", {"page": "500"}, facets=False),
        Query("article_page", ctx["article"]),
        Query("actor_page", f"/actors/{ctx['top_actor']}/"),
        Query("province_page", f"/places/{ctx['top_province']}/"),
        Query("export_csv", "/articles/export.csv", export, reps=2),
    ]


def percentiles(samples: list[float]) -> dict:
    ms = sorted(s * 1000 for s in samples)
    if len(ms) < 2:
        ms = ms * 2
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "n": len(samples),
    }


def repeat(action, reps: int, budget: float = BUDGET_SECONDS) -> list[float]:
    if reps > 2:
        action()  # warm-up; the export (2 repetitions) is too slow for one
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < reps:
        t0 = time.perf_counter()
        action()
        samples.append(time.perf_counter() - t0)
        if len(samples) >= min(MIN_REPS, reps) and time.perf_counter() - started > budget:
            break
    return samples


def _stubs(query: Query) -> contextlib.ExitStack:
    stack = contextlib.ExitStack()
    if not query.facets:
        # The page still needs its count; facets and the timeline are left out (from
        # PostgreSQL: the capped count; from the search index: the exact count alone).
        stack.enter_context(mock.patch.object(search, "summary", search.count_only))
        tally = search_index.tally

        def without_facets(found, question, **options):
            return tally(found, question, **{**options, "facets": False})

        stack.enter_context(mock.patch.object(search_index, "tally", without_facets))
    return stack


def _fetch(client: Client, url: str) -> tuple[int, int]:
    """Fetch to the last byte: (bytes, lines)."""
    size, lines, _ = _fetch_response(client, url)
    return size, lines


def _fetch_response(client: Client, url: str, *, with_context: bool = False):
    if with_context:
        # The test client reads templates' contexts from the instrumented renderer the test
        # runner installs; only this fetch pays for it, not the timed ones.
        with mock.patch.object(Template, "_render", instrumented_test_render):
            return _fetch_response(client, url)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    chunks = response.streaming_content if response.streaming else [response.content]
    size = lines = 0
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines, response


def _exact(response) -> bool:
    """Every figure the page shows is over every match: no "Counting…" link to its counts
    page (a page without counted figures, such as an article's, is exact)."""
    if response.streaming or response.context is None:  # an export or a feed: no figures
        return True
    try:
        page = response.context["results"]
    except KeyError:  # no list on the page
        return True
    return not page.counting_url


def time_counts(client: Client, url: str, reps: int) -> dict:
    """The counts page uncached: a new archive generation before each repetition, so each
    one counts every match (and stores the figures) as the first reader after a change."""
    samples = []
    started = time.perf_counter()
    while len(samples) < reps:
        generation.bump()  # not timed
        t0 = time.perf_counter()
        _fetch(client, url)
        samples.append(time.perf_counter() - t0)
        if len(samples) >= MIN_REPS and time.perf_counter() - started > BUDGET_SECONDS:
            break
    cut = percentiles(samples)
    return {
        "counts_url": url,
        "counts_p50_ms": cut["p50_ms"],
        "counts_p95_ms": cut["p95_ms"],
        "counts_p99_ms": cut["p99_ms"],
        "counts_n": cut["n"],
    }


def _replayable(sql: str) -> str:
    # A server-side cursor (QuerySet.iterator) is captured as its DECLARE; replay the SELECT.
    if sql.startswith("DECLARE "):
        return sql[sql.index(" FOR ") + 5 :]
    return sql


def time_query(client: Client, raw, query: Query) -> tuple[dict, list[str]]:
    with _stubs(query):
        generation.bump()  # as the first reader after a change sees it: nothing cached
        with (
            CaptureQueriesContext(connection) as captured,
            mock.patch.object(search_index, "tally", wraps=search_index.tally) as asked,
        ):
            size, lines, response = _fetch_response(client, query.url, with_context=True)
        exact = _exact(response)
        statements = [_replayable(q["sql"]) for q in captured.captured_queries]
        baseline = psutil.Process().memory_info().rss / 2**20
        with PeakMemory() as memory:
            view = repeat(lambda: _fetch(client, query.url), query.reps)

    # Only what the page reads: a write (the feed storing itself in the database cache)
    # would fail on its second run, the key being taken.
    reads = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]

    def replay() -> None:
        with raw.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    sql = percentiles(repeat(replay, query.reps))
    result = percentiles(view) | {
        "sql_p50_ms": sql["p50_ms"],
        "sql_p95_ms": sql["p95_ms"],
        "statements": len(statements),
        "bytes": size,
        "exact": exact,
        # The figures came from the search index (articles/search_index.py), not PostgreSQL.
        "indexed": asked.called,
    }
    result["overhead"] = round(result["p95_ms"] / max(sql["p95_ms"], 0.001), 2)
    if query.name == "export_csv":
        result["rows"] = lines - 1
        result["peak_rss_mb"] = memory.mb
        result["rss_growth_mb"] = round(memory.mb - baseline, 1)
    return result, statements


def explain(raw, statements: list[str]) -> list[tuple[str, str]]:
    plans = []
    with raw.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def run(n: int) -> MixResult:
    ctx = context()
    client = Client()
    raw = psycopg2.connect(**dsn())
    raw.autocommit = True
    reference = Reference.build(n, raw)
    out = MixResult(tantivy={"index_seconds": reference.build_seconds})
    counted: dict[str, dict] = {}  # a counts page shared by two entries is timed once
    for query in mix(ctx):
        print(f"  {query.name}: {query.url}", file=sys.stderr)
        result, statements = time_query(client, raw, query)
        tantivy_ms = percentiles(repeat(lambda q=query: reference.answer(q, ctx), query.reps))
        result["tantivy_p95_ms"] = tantivy_ms["p95_ms"]
        result["vs_tantivy"] = round(result["p95_ms"] / max(tantivy_ms["p95_ms"], 0.001), 1)
        if url := query.counts_url:
            if url not in counted:
                counted[url] = time_counts(client, url, query.reps)
            result.update(counted[url])
        out.results[query.name] = result
        out.explain.append((query, explain(raw, statements)))
        print(
            f"    view p95 {result['p95_ms']} ms, sql p95 {result['sql_p95_ms']} ms, "
            f"tantivy p95 {tantivy_ms['p95_ms']} ms, exact {result['exact']}, "
            f"counts uncached p95 {result.get('counts_p95_ms', '-')} ms",
            file=sys.stderr,
        )
    out.tantivy["index_mb"] = reference.size_mb
    raw.close()
    return out


# --- the reference engine ------------------------------------------------------------------


class Reference:
    """The same public articles in a tantivy index: text fields stemmed like PostgreSQL's
    ``english`` configuration, actors, provinces, source and date as fast fields."""

    def __init__(self, index: tantivy.Index, build_seconds: float, path: Path) -> None:
        self.index = index
        self.searcher = index.searcher()
        self.schema = index.schema
        self.build_seconds = build_seconds
        self.size_mb = round(sum(f.stat().st_size for f in path.iterdir()) / 2**20, 1)
        self.ids: dict[str, dict[str, int]] = {}

    @classmethod
    def build(cls, n: int, raw) -> Reference:
        started = time.perf_counter()
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
        builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
        builder.add_text_field("standfirst", tokenizer_name="en_stem")
        builder.add_text_field("body", tokenizer_name="en_stem")
        for name in ("actor", "province", "source"):
            builder.add_unsigned_field(name, indexed=True, fast=True)
        builder.add_integer_field("published", stored=True, indexed=True, fast=True)
        path = INDEX_ROOT / f"tantivy-{n}"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        index = tantivy.Index(builder.build(), path=str(path))
        writer = index.writer(heap_size=256 * 2**20, num_threads=2)
        raw.autocommit = False  # a server-side cursor lives in a transaction
        with raw.cursor(name="tantivy_corpus") as cursor:
            cursor.itersize = 2000
            cursor.execute(
                """
                SELECT a.id, a.title, a.standfirst, a.body, a.source_id, a.published_on,
                  ARRAY(SELECT actor_id FROM articles_actormention m
                        WHERE m.article_id = a.id AND m.review_status <> 'rejected'),
                  ARRAY(SELECT DISTINCT province_id FROM articles_locationmention m
                        WHERE m.article_id = a.id AND m.review_status <> 'rejected'
                          AND province_id IS NOT NULL)
                FROM articles_article a WHERE NOT a.is_hidden
                """
            )
            for pk, title, standfirst, body, source, day, actors, provinces in cursor:
                doc = tantivy.Document()
                doc.add_unsigned("id", pk)
                doc.add_unsigned("source", source)
                for name, text in (("title", title), ("standfirst", standfirst), ("body", body)):
                    doc.add_text(name, text)
                doc.add_integer("published", day.toordinal() if day else 0)
                for actor in actors:
                    doc.add_unsigned("actor", actor)
                for province in provinces:
                    doc.add_unsigned("province", province)
                writer.add_document(doc)
        raw.rollback()
        raw.autocommit = True
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        reference = cls(index, round(time.perf_counter() - started, 1), path)
        with raw.cursor() as cursor:
            cursor.execute("SELECT slug, id FROM articles_actor")
            reference.ids["actor"] = dict(cursor.fetchall())
            cursor.execute("SELECT slug, id FROM articles_location")
            reference.ids["province"] = dict(cursor.fetchall())
        return reference

    def answer(self, query: Query, ctx: dict) -> None:
        """What the page needs, from tantivy: the count, one page of stored hits, facets."""
        params = query.params
        if query.name == "article_page":
            pk = int(query.path.split("/")[2])
            hits = self.searcher.search(tantivy.Query.term_query(self.schema, "id", pk), 1).hits
            [self.searcher.doc(address) for _, address in hits]
            return
        clauses = []
        if text := params.get("q"):
            text = text.replace(" or ", " OR ")
            clauses.append(
                self.index.parse_query(
                    text,
                    ["title", "standfirst", "body"],
                    field_boosts={"title": 4.0, "standfirst": 2.0},
                    conjunction_by_default=True,
                )
            )
        actor = params.get("actor") or (
            query.path.split("/")[2] if query.path.startswith("/actors/") else None
        )
        province = params.get("province") or (
            query.path.split("/")[2] if query.path.startswith("/places/") else None
        )
        for name, slug in (("actor", actor), ("province", province)):
            if slug:
                term = tantivy.Query.term_query(self.schema, name, self.ids[name][slug])
                clauses.append(term)
        after, before = params.get("published_after"), params.get("published_before")
        if after or before:
            clauses.append(
                tantivy.Query.range_query(
                    self.schema,
                    "published",
                    tantivy.FieldType.Integer,
                    datetime.date.fromisoformat(after).toordinal() if after else None,
                    datetime.date.fromisoformat(before).toordinal() if before else None,
                )
            )
        if not clauses:
            combined = tantivy.Query.all_query()
        elif len(clauses) == 1:
            combined = clauses[0]
        else:
            combined = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, clause) for clause in clauses]
            )
        limit = EXPORT_ROWS if query.name == "export_csv" else 20
        offset = (int(params.get("page", 1)) - 1) * 20
        by_date = not params.get("q") or query.name == "export_csv"
        found = self.searcher.search(
            combined,
            limit,
            count=True,
            offset=offset,
            **({"order_by_field": "published"} if by_date else {}),
        )
        [self.searcher.doc(address) for _, address in found.hits]
        if query.facets and query.name != "export_csv":
            self.searcher.aggregate(
                combined,
                {
                    "actors": {"terms": {"field": "actor", "size": 20}},
                    "provinces": {"terms": {"field": "province", "size": 100}},
                    "sources": {"terms": {"field": "source", "size": 100}},
                    "years": {"histogram": {"field": "published", "interval": 365.25}},
                    "months": {"histogram": {"field": "published", "interval": 30.44}},
                },
            )
