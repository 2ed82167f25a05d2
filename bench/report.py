"""The results file, the EXPLAIN file and the row in docs/benchmarks.md."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import psutil
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SETTINGS = (
    "shared_buffers",
    "work_mem",
    "maintenance_work_mem",
    "effective_cache_size",
    "random_page_cost",
    "max_parallel_workers_per_gather",
    "jit",
    "synchronous_commit",
)
# Targets at 1,000,000 articles (p95, ms), from the benchmark issue.
TARGETS = {
    "text_actor_province_facets": 150,
    "common_term_facets": 150,
    "article_page": 15,
    "actor_page": 100,
    "province_page": 100,
}
SEARCH_WITHOUT_FACETS = 50


def memory_gb() -> float:
    return round(psutil.virtual_memory().total / 2**30, 1)


def database_facts() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        settings = {}
        for name in SETTINGS:
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_database_size(current_database()), count(*) FROM articles_article"
        )
        size, articles = cursor.fetchone()
        cursor.execute(
            "SELECT relname, pg_total_relation_size(oid), pg_indexes_size(oid) FROM pg_class "
            "WHERE relname IN ('articles_article', 'articles_actormention', "
            "'articles_locationmention')"
        )
        tables = {
            name: {"total_mb": round(total / 2**20, 1), "indexes_mb": round(indexes / 2**20, 1)}
            for name, total, indexes in cursor.fetchall()
        }
        cursor.execute("SELECT pg_relation_size('article_search_idx')")
        gin = cursor.fetchone()[0]
    host = connection.settings_dict.get("HOST") or ""
    return {
        "postgres": version,
        # pgserver listens on a Unix socket in .data/; any other host is a server of its own.
        "postgres_server": "embedded pgserver" if host.startswith("/") else f"server at {host}",
        "postgres_settings": settings,
        "database": {
            "size_mb": round(size / 2**20, 1),
            "bytes_per_article": round(size / max(articles, 1)),
            "search_index_mb": round(gin / 2**20, 1),
            "tables": tables,
        },
    }


def _git() -> str:
    def out(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    head = out("rev-parse", "--short", "HEAD").strip()
    dirty = len(out("status", "--porcelain").splitlines())
    return f"{head}" + (f" + {dirty} uncommitted files" if dirty else "")


def _mark(name: str, p95: float, n: int) -> str:
    """Against the 1,000,000-article targets; only a 1M row is judged."""
    if n != 1_000_000 or name in ("deep_page", "export_csv"):
        return ""
    target = TARGETS.get(name, SEARCH_WITHOUT_FACETS)
    return f"{'ok' if p95 < target else 'MISSED'} (<{target})"


def _load(machine: dict, i: int) -> str:
    values = machine.get("load_average") or [[], []]
    return "/".join(f"{v:.1f}" for v in values[i])


def markdown(results: dict, note: str) -> str:
    n = results["articles"]
    machine = results["machine"]
    settings = ", ".join(f"{k}={v}" for k, v in results["postgres_settings"].items())
    db = results["database"]
    lines = [
        f"\n## {results['finished_at']}: {n:,} articles\n",
        f"- Machine: {machine['cores']} cores, {machine['memory_gb']} GB, {machine['platform']}, "
        f"Python {machine['python']}; load average (1/5/15 min) at start "
        f"{_load(machine, 0)}, at end {_load(machine, 1)} (other jobs shared the machine "
        "when above ~2)",
        f"- PostgreSQL {results['postgres']} "
        f"({results.get('postgres_server', 'embedded pgserver')}): {settings}",
        f"- Code: {_git()}. Changed since the last row: {note or 'first run'}",
        f"- Database: {db['size_mb']:,} MB, {db['bytes_per_article']:,} bytes per article "
        f"(search GIN index {db['search_index_mb']} MB)",
    ]
    if load := results.get("load"):
        lines.append(
            f"- Bulk load: {load['articles_per_s']:,} articles/s, {load['seconds']} s "
            f"(COPY {load['copy_seconds']} s, indexes + VACUUM ANALYZE {load['index_seconds']} s), "
            f"peak RSS {load['peak_rss_mb']} MB (loader + 2 workers)"
        )
    ingest = results["ingest_html"]
    per_cpu = f", {ingest['articles_per_cpu_s']} per CPU-second of the ingesting process"
    if "articles_per_cpu_s_with_server" in ingest:
        per_cpu += f" ({ingest['articles_per_cpu_s_with_server']} counting PostgreSQL's backend)"
    lines.append(
        f"- HTML ingestion (parse + tag + save, 1 process): {ingest['articles_per_s']} "
        f"articles/s{per_cpu if 'articles_per_cpu_s' in ingest else ''}, peak RSS "
        f"{ingest['peak_rss_mb']} MB ({ingest['created']} created)"
    )
    lines.append(
        f"- tantivy 0.27.0 reference: index built in {results['tantivy']['index_seconds']} s, "
        f"{results['tantivy'].get('index_mb')} MB"
    )
    lines += [
        "",
        "exact: the page, first fetched after a change (nothing cached), showed every figure "
        "over every match (no \u201cCounting\u2026\u201d link). counts: the list's counts page "
        "(the exact count, facets and timeline of the same query), uncached every time, "
        "p50/p95/p99 ms.",
        "",
        "| query | view p50 | view p95 | view p99 | n | exact | SQL p95 | view/SQL | "
        "tantivy p95 | ours/tantivy | counts uncached | target (1M) |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, q in results["queries"].items():
        exact = {True: "yes", False: "no"}.get(q.get("exact"), "")
        counts = (
            f"{q['counts_p50_ms']} / {q['counts_p95_ms']} / {q['counts_p99_ms']}"
            if "counts_p50_ms" in q
            else ""
        )
        lines.append(
            f"| {name} | {q['p50_ms']} | {q['p95_ms']} | {q['p99_ms']} | {q['n']} | {exact} | "
            f"{q['sql_p95_ms']} | {q['overhead']}x | {q['tantivy_p95_ms']} | {q['vs_tantivy']}x | "
            f"{counts} | {_mark(name, q['p95_ms'], n)} |"
        )
    export = results["queries"].get("export_csv", {})
    if export:
        lines.append(
            f"\nCSV export: {export.get('rows'):,} rows, {export['bytes'] / 2**20:.1f} MB, "
            f"time to last byte p50 {export['p50_ms'] / 1000:.1f} s; server process peak RSS "
            f"{export['peak_rss_mb']} MB (+{export['rss_growth_mb']} MB during the export)."
        )
    if http := results.get("http"):
        setup = results.get("http_setup", {})
        lines += [
            "",
            f"HTTP ({setup.get('server')}; {setup.get('load')}, same machine):",
            "",
            "| page | req/s | p99 ms | errors |",
            "|---|---:|---:|---:|",
        ]
        for page, h in http.items():
            lines.append(f"| {page} | {h['rps']} | {h['p99_ms']} | {h['errors']} |")
    lines.append(
        f"\nEXPLAIN ANALYZE of every statement: [benchmarks-explain-{n}.md]"
        f"(benchmarks-explain-{n}.md)\n"
    )
    return "\n".join(lines)


def explain_markdown(n: int, explain: list) -> str:
    parts = [
        f"# EXPLAIN (ANALYZE, BUFFERS) at {n:,} articles\n",
        f"Generated by bench/run.py on {time.strftime('%Y-%m-%d %H:%M')}. Every SELECT each "
        "page runs, in order, after the timing runs (warm cache).\n",
    ]
    for query, plans in explain:
        parts.append(f"\n## {query.name}: `{query.url}`\n")
        for i, (sql, plan) in enumerate(plans, 1):
            shown = sql if len(sql) < 1500 else sql[:1500] + " …"
            parts.append(f"### {i}.\n\n```sql\n{shown}\n```\n\n```\n{plan}\n```\n")
    return "\n".join(parts)


def write(results: dict, explain: list, note: str = "") -> None:
    n = results["articles"]
    path = ROOT / "bench" / f"results-{n}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    DOCS.mkdir(exist_ok=True)
    (DOCS / f"benchmarks-explain-{n}.md").write_text(explain_markdown(n, explain))
    log = DOCS / "benchmarks.md"
    if not log.exists():
        log.write_text("# Benchmarks\n\nOne section per run of `bench/run.py`, newest last.\n")
    with log.open("a") as f:
        f.write(markdown(results, note))
    print(f"wrote {path.relative_to(ROOT)}, docs/benchmarks.md, docs/benchmarks-explain-{n}.md")
