"""Ingestion speed: articles per second through ``fetch -> parse -> tag (-> save)``, peak
memory, and what the tagger's cost grows with.

    python -m bench.ingest --count 300       # one JSON line: HTML, saved (bench/run.py)
    python -m bench.ingest --full            # make bench-ingest: the whole report

``--full`` writes ``--files`` HTML pages and as many plain-text files into a temporary
directory (never the repository): copies of the project's own fictional demo articles
(``articles/data/demo/``), each with its own URL and a dispatch number in every paragraph,
so every copy is a different article and every save creates a row. Then, each in its own
process so that its peak memory is its own:

- HTML and text, without saving: read the file, parse, tag (one core);
- HTML and text, saved: the same, then ``save_article`` in one transaction per article,
  into a fresh scratch database ``newsarchive_bench_ingest`` on the server of
  ``BENCH_DATABASE_URL``/``DATABASE_URL`` (or the embedded one), migrated and with the
  gazetteer loaded: never the archive itself.

Last, the tagger alone on the demo texts at 1x, 2x and 4x their length, with the shipped
gazetteer and with one padded to ten times as many entries (synthetic names that never
occur in the texts): CPU microseconds per article and per KB, best of ``--repeat`` passes.
It prints one JSON object, and a Markdown summary on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from bench.memory import PeakMemory

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "articles" / "data" / "demo"
KINDS = {"html": "*.html", "text": "*.txt"}


# --- the input files ---------------------------------------------------------------------


def variant(html: bytes, number: int, salt: int) -> bytes:
    """Bytes in, bytes out: some demo pages are not UTF-8 and declare their charset."""
    html = re.sub(rb'(https://[^"\s]+?)(")', rb"\1-bench-%d-%d\2" % (salt, number), html)
    return re.sub(rb"(<p(?:\s[^>]*)?>)", rb"\1Dispatch %d-%d. " % (salt, number), html)


def text_variant(text: bytes, number: int, salt: int) -> bytes:
    """A dispatch number at the start of every body paragraph (lines of 120+ bytes)."""
    return re.sub(rb"(?m)^(?=[^\n]{120})", rb"Dispatch %d-%d. " % (salt, number), text)


def write_inputs(directory: Path, kind: str, count: int, salt: int) -> list[Path]:
    pages = sorted(DEMO.glob(KINDS[kind]))
    make = variant if kind == "html" else text_variant
    folder = directory / kind
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        page = pages[number % len(pages)]
        path = folder / f"{number:06d}-{page.name}"
        path.write_bytes(make(page.read_bytes(), number, salt))
        paths.append(path)
    return paths


# --- one batch, in its own process --------------------------------------------------------


def ingest_batch(paths: list[Path], *, save: bool, url_prefix: str) -> dict:
    """Read, parse, tag (and save) every file in turn; figures for the whole batch."""
    from articles.ingest.gazetteer import Gazetteer
    from articles.ingest.pipeline import IngestOptions, prepare_input

    if save:
        from articles.ingest.save import save_article
    from articles.ingest.tag import tag_article

    gazetteer = Gazetteer.from_data_files()
    # Compile the matcher before the clock starts (a worker does it once, 4-5 s with the
    # villages): the figures are per article in a running process.
    compile_started = time.process_time()
    tag_article(SimpleNamespace(title="", standfirst="", caption="", body=""), gazetteer)
    compile_cpu_seconds = time.process_time() - compile_started
    statuses: dict[str, int] = {}
    input_bytes = sum(path.stat().st_size for path in paths)
    server = _server_process() if save else None
    server_cpu_started = _cpu_seconds(server)
    with PeakMemory() as memory:
        started = time.perf_counter()
        cpu_started = time.process_time()
        for number, path in enumerate(paths):
            options = IngestOptions(url=f"{url_prefix}/{number}")
            try:
                tagged = prepare_input(str(path), gazetteer, options)
            except Exception as error:  # counted by type; the batch goes on
                statuses[type(error).__name__] = statuses.get(type(error).__name__, 0) + 1
                continue
            status = save_article(tagged).status if save else "tagged"
            statuses[status] = statuses.get(status, 0) + 1
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    server_cpu = _cpu_seconds(server)
    server_cpu_seconds = (
        server_cpu - server_cpu_started if None not in (server_cpu, server_cpu_started) else None
    )
    with_server = {}
    if server_cpu_seconds is not None:
        with_server = {
            "server_cpu_seconds": round(server_cpu_seconds, 1),
            "articles_per_cpu_s_with_server": round(
                len(paths) / (cpu_seconds + server_cpu_seconds), 1
            ),
        }
    return {
        "articles": len(paths),
        "input_mb": round(input_bytes / 2**20, 1),
        "statuses": statuses,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds, 1),
        "articles_per_s": round(len(paths) / seconds, 1),
        "articles_per_cpu_s": round(len(paths) / cpu_seconds, 1),
        "peak_rss_mb": memory.mb,
        "processes": 1,
        "matcher_compile_cpu_s": round(compile_cpu_seconds, 1),
        **with_server,
    }


def _server_process():
    """The PostgreSQL backend serving this process's saves, when it runs on this machine
    and may be read (the embedded server, a local one as the same user); else None."""
    import psutil
    from django.db import connection

    # A pid from another machine would name some unrelated local process. A host that is a
    # directory is a Unix socket (the embedded server's), so local.
    host = connection.settings_dict.get("HOST") or ""
    if not (host.startswith("/") or host in ("", "localhost", "127.0.0.1", "::1")):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        backend = psutil.Process(pid)
        backend.cpu_times()
    except psutil.Error:
        return None
    return backend


def _cpu_seconds(process) -> float | None:
    """User + system CPU seconds of ``process`` so far (None if it cannot be read)."""
    if process is None:
        return None
    import psutil

    try:
        times = process.cpu_times()
    except psutil.Error:  # the backend went away
        return None
    return times.user + times.system


def ingest(count: int) -> dict:
    """``count`` HTML pages, saved (what bench/run.py reports as ``ingest_html``)."""
    salt = time.time_ns()  # a re-run on the same database still creates new articles
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_inputs(Path(tmp), "html", count, salt)
        result = ingest_batch(paths, save=True, url_prefix=f"https://bench-ingest.example/{salt}")
    result["created"] = result["statuses"].get("created", 0)
    return result


def _subprocess(*args: str) -> dict:
    # As deployed: DEBUG off, so Django keeps no query log across thousands of saves.
    env = {"DEBUG": "0", "HTTPS": "0", **os.environ}
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    output = subprocess.run(
        [sys.executable, "-m", "bench.ingest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(count: int = 300) -> dict:
    """bench/run.py's entry point: HTML through the whole pipeline, saved, in a subprocess."""
    return _subprocess("--count", str(count))


# --- the tagger alone ---------------------------------------------------------------------

_SYLLABLES = (  # noqa: SIM905 -- a syllable list reads better as text
    "ba bu da di fa ha hu ja ka ki ku la lu ma mi na nu qa qi ra ri ru sa si su "
    "ta ti tu wa ya za zu sha shi kha zai rai"
).split()
_HEADS = ("", "", "", "Tal ", "Kafr ", "Ain ", "Deir ", "Jabal ", "Khirbat ")


def _made_up_name(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4)))
    return f"{rng.choice(_HEADS)}{word.capitalize()}"


def padded(gazetteer, factor: int = 10, seed: int = 1):
    """The same gazetteer plus made-up villages: ``factor`` times as many entries, each
    with as many aliases as the real ones have on average."""
    from articles.ingest.gazetteer import Gazetteer, GazetteerLocation

    rng = random.Random(seed)
    entries = len(gazetteer.actors) + len(gazetteer.locations)
    names = sum(len(a.names) for a in gazetteer.actors.values()) + sum(
        len(loc.names) for loc in gazetteer.locations.values()
    )
    aliases_each = max(0, round(names / entries) - 1)
    extra = [
        GazetteerLocation(
            f"bench-place-{number}",
            _made_up_name(rng),
            "village",
            "syria",
            tuple(_made_up_name(rng) for _ in range(aliases_each)),
        )
        for number in range(entries * (factor - 1))
    ]
    return Gazetteer.build(list(gazetteer.actors.values()), [*gazetteer.locations.values(), *extra])


def tagger_scaling(repeat: int = 5) -> dict:
    from articles.ingest.fetch import read_path
    from articles.ingest.gazetteer import Gazetteer
    from articles.ingest.parse import parse_document
    from articles.ingest.tag import FIELDS, _matcher_for, tag_article

    articles = [
        parse_document(read_path(path))
        for path in sorted(DEMO.iterdir())
        if path.suffix in (".html", ".txt")
    ]
    real = Gazetteer.from_data_files()
    gazetteers = {"shipped": real, "padded_10x": padded(real)}
    results: dict = {"articles": len(articles), "repeat": repeat, "gazetteers": {}}
    for label, gazetteer in gazetteers.items():
        started = time.perf_counter()
        matcher = _matcher_for(gazetteer)
        compile_s = time.perf_counter() - started
        rows = {}
        for factor in (1, 2, 4):
            texts = [
                SimpleNamespace(
                    **{name: "\n\n".join([getattr(a, name)] * factor) for name in FIELDS}
                )
                for a in articles
            ]
            kb = sum(len(getattr(t, name).encode()) for t in texts for name in FIELDS) / 1024
            for text in texts:
                tag_article(text, gazetteer)  # warm the per-word caches first
            passes = []
            for _ in range(repeat):
                # CPU time, best pass: the machine is shared, wall time measures the others.
                started = time.process_time()
                for text in texts:
                    tag_article(text, gazetteer)
                passes.append(time.process_time() - started)
            seconds = min(passes)
            rows[f"{factor}x"] = {
                "kb_per_article": round(kb / len(texts), 1),
                "us_per_article": round(seconds / len(texts) * 1e6),
                "us_per_kb": round(seconds / kb * 1e6),
            }
        results["gazetteers"][label] = {
            "entries": len(gazetteer.actors) + len(gazetteer.locations),
            "automaton_keys": len(matcher.keys),
            "compile_s": round(compile_s, 2),
            "lengths": rows,
        }
    return results


# --- the whole report ----------------------------------------------------------------------


INGEST_DATABASE = "newsarchive_bench_ingest"


def use_scratch_database() -> None:
    """Point this process and its children at a freshly made ``INGEST_DATABASE``."""
    from bench.run import bench_database_url, manage, reset_database

    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    url = bench_database_url(base, name=INGEST_DATABASE)
    reset_database(url, name=INGEST_DATABASE)
    os.environ["DATABASE_URL"] = url
    manage("migrate", "--noinput", "-v", "0")
    manage("load_gazetteer")


RUNS = ("html_not_saved", "html_saved", "text_not_saved", "text_saved", "tagger")


def full(files: int, save_files: int, repeat: int, runs: tuple[str, ...] = RUNS) -> dict:
    salt = time.time_ns()
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cores": os.cpu_count(),
        "files_per_kind": files,
        "saved_files_per_kind": save_files,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "runs": {},
    }
    if save_files and any(run_.endswith("_saved") and "not" not in run_ for run_ in runs):
        use_scratch_database()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        for kind in KINDS:
            if any(run_.startswith(kind) for run_ in runs):
                write_inputs(Path(tmp), kind, max(files, save_files), salt)
        for kind in KINDS:
            for saving in (False, True) if save_files else (False,):
                label = f"{kind}_{'saved' if saving else 'not_saved'}"
                if label not in runs:
                    continue
                count = save_files if saving else files
                print(f"{label}: {count:,} files", file=sys.stderr)
                args = ["--batch", str(Path(tmp) / kind), "--salt", str(salt)]
                args += ["--limit", str(count), *(["--save"] if saving else [])]
                results["runs"][label] = _subprocess(*args)
    if "tagger" in runs:
        results["tagger"] = tagger_scaling(repeat)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def markdown(results: dict) -> str:
    lines = [
        "| run | articles | seconds | articles/s | articles per CPU-second | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for label, run_ in results["runs"].items():
        lines.append(
            f"| {label.replace('_', ', ', 1).replace('_', ' ')} | {run_['articles']:,} "
            f"| {run_['seconds']} | {run_['articles_per_s']} | {run_['articles_per_cpu_s']} "
            f"| {run_['peak_rss_mb']} MB |"
        )
    if "tagger" not in results:
        return "\n".join(lines)
    lines += [
        "",
        "| gazetteer | entries | automaton keys | compile | 1x: µs/article (µs/KB) | 2x | 4x |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, row in results["tagger"]["gazetteers"].items():
        cells = [
            f"{v['us_per_article']:,} ({v['us_per_kb']:,}; {v['kb_per_article']} KB)"
            for v in row["lengths"].values()
        ]
        lines.append(
            f"| {label} | {row['entries']:,} | {row['automaton_keys']:,} "
            f"| {row['compile_s']} s | {' | '.join(cells)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, help="HTML pages, saved; one JSON line")
    parser.add_argument("--full", action="store_true", help="the whole report")
    parser.add_argument("--files", type=int, default=10_000, help="files per kind (--full)")
    parser.add_argument(
        "--save-files",
        type=int,
        help="files per kind for the saved runs (--full; default --files, 0 skips them)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="tagger timing passes (best)")
    parser.add_argument(
        "--runs", default=",".join(RUNS), help=f"which parts (--full; default {','.join(RUNS)})"
    )
    parser.add_argument("--batch", type=Path, help=argparse.SUPPRESS)  # a folder, internal
    parser.add_argument("--save", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--salt", default="0", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.batch or args.count:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
        if args.save or args.count:
            import django

            django.setup()
    if args.batch:
        paths = sorted(args.batch.iterdir())[: args.limit]
        prefix = f"https://bench-ingest.example/{args.salt}/{args.batch.name}"
        print(json.dumps(ingest_batch(paths, save=args.save, url_prefix=prefix)))
    elif args.count:
        print(json.dumps(ingest(args.count)))
    elif args.full:
        save_files = args.files if args.save_files is None else args.save_files
        runs = tuple(args.runs.split(","))
        if unknown := set(runs) - set(RUNS):
            parser.error(f"unknown --runs {sorted(unknown)}")
        results = full(args.files, save_files, repeat=args.repeat, runs=runs)
        print(markdown(results), file=sys.stderr)
        print(json.dumps(results))
    else:
        parser.error("give --count N or --full")


if __name__ == "__main__":
    main()
