"""Soak test: 60 s of wrk at 50 connections over search, article and actor pages.

    python bench/soak.py                      # against newsarchive_bench, as bench/run.py left it
    python bench/soak.py --duration 60s --connections 50 --min-articles 100000

It never loads or resets anything: it reuses the benchmark database that ``bench/run.py``
(bench/load.py) built, and refuses to run on a smaller archive than ``--min-articles``.
gunicorn serves with DEBUG off, as deployed; wrk rotates through a URL list (many search
queries, a sample of article pages, the busiest actors' pages) with a Lua script that
counts 5xx answers itself. The run passes when there is no 5xx and no socket error; the
numbers go to stdout as JSON and, with ``--report``, as a row in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ comes first on the path, where bench/http.py would shadow the
# standard library's http package; the project root goes there instead.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

SEARCHES = [
    "shelling",
    "air strike",
    '"Islamic State"',
    "Idlib -Turkey",
    "ceasefire or truce",
    "Aleppo siege",
    "chlorine",
    "refugees Lebanon",
    "Hama countryside",
    "Kurdish forces",
]
LUA = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local counter = 0
server_errors = 0  -- a global, so done() can read each thread's count with thread:get()
local thread_list = {}

function setup(thread)
  thread:set("id", #thread_list)
  table.insert(thread_list, thread)
end

function init(args)
  server_errors = 0
  counter = tonumber(id) * 7919
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(thread_list) do total = total + (thread:get("server_errors") or 0) end
  io.write(string.format("5xx responses: %%d\n", total))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency p%%g: %%.1f ms\n", p, latency:percentile(p) / 1000))
  end
end
"""


def url_list(seed: int = 1) -> list[str]:
    from django.db.models import Count

    from articles.models import Actor, Article

    rng = random.Random(seed)
    public = Article.objects.public()
    top = public.order_by("-id").values_list("id", flat=True)[:20_000]
    ids = rng.sample(list(top), min(200, len(top)))
    articles = [
        a.get_absolute_url() for a in public.filter(id__in=ids).only("id", "slug").order_by()
    ]
    actors = [
        f"/actors/{slug}/"
        for slug in Actor.objects.public()
        .annotate(n=Count("mentions"))
        .order_by("-n")
        .values_list("slug", flat=True)[:30]
    ]
    searches = [f"/articles/?q={query}" for query in SEARCHES]
    searches += [f"/articles/?q={query}&page=2" for query in SEARCHES[:3]]
    paths = searches * 6 + articles + actors * 2
    rng.shuffle(paths)
    return [path.replace(" ", "+").replace('"', "%22") for path in paths]


def report_section(result: dict) -> str:
    """The soak run as a section of docs/benchmarks.md (which is newest-last)."""
    verdict = "pass" if result["server_errors"] == result["errors"] == 0 else "FAIL"
    return (
        f"\n## Soak: {result['articles']:,} articles, 60 s at 50 connections ({verdict})\n\n"
        "`python bench/soak.py` (gunicorn, DEBUG off; wrk rotating over search pages, a "
        "sample of article pages and the busiest actors' pages).\n\n"
        "| requests | req/s | p99 | 5xx | socket errors/timeouts | setup |\n"
        "|---|---|---|---|---|---|\n"
        f"| {result['requests']:,} | {result['rps']} | {result['p99_ms']:,.0f} ms | "
        f"{result['server_errors']} | {result['errors']} | {result['setup']} |\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="60s")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--min-articles", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--report", action="store_true", help="add a row to docs/benchmarks.md")
    args = parser.parse_args()

    from bench.run import bench_database_url

    os.environ.update(
        DATABASE_URL=bench_database_url(args.database_url),
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY=os.environ.get("SECRET_KEY", "soak-only-" + "x" * 50),
        DJANGO_SETTINGS_MODULE="newsarchive.settings",
        LOG_LEVEL="WARNING",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        check=True,
    )
    import django

    django.setup()
    from articles.models import Article
    from bench.http import _free_port, _wait_until_up, parse_wrk

    n_articles = Article.objects.count()
    if n_articles < args.min_articles:
        print(
            f"soak: the benchmark database has {n_articles:,} articles, fewer than "
            f"{args.min_articles:,}; build it first: python bench/run.py --articles "
            f"{args.min_articles}",
            file=sys.stderr,
        )
        return 2
    paths = url_list()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        paths_file = Path(tmp) / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "soak.lua"
        script.write_text(LUA % {"paths": paths_file})
        log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115 -- closed below
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "newsarchive.wsgi:application",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--backlog",
                "512",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(base, server)
            for path in dict.fromkeys(paths):  # every URL answers before the clock starts
                subprocess.run(["curl", "-sf", "-o", "/dev/null", base + path], check=True)
            output = subprocess.run(
                [
                    "wrk",
                    "-t",
                    str(args.threads),
                    "-c",
                    str(args.connections),
                    "-d",
                    args.duration,
                    "--timeout",
                    "30s",
                    "--latency",
                    "-s",
                    str(script),
                    base,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    import re

    result = parse_wrk(output) | {
        "articles": n_articles,
        "server_errors": int(re.search(r"5xx responses: (\d+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "urls": len(paths),
        "setup": f"gunicorn {args.workers} sync workers; wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}; {os.cpu_count()} cores shared",
    }
    print(output, file=sys.stderr)
    print(json.dumps(result, indent=2))
    if args.report:
        with open(ROOT / "docs" / "benchmarks.md", "a") as report:
            report.write(report_section(result))
    return 0 if result["server_errors"] == 0 and result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
