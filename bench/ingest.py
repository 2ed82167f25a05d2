"""Real HTML through the whole pipeline (fetch from disk, parse, tag, save), one process.

The demo pages are ingested again and again, each copy with its own URL and a varied
text (a dispatch number in every paragraph), so every save creates a new article.
Run as a subprocess by bench/run.py so its peak memory is its own:
``python -m bench.ingest --count 200`` prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "articles" / "data" / "demo"


def variant(html: bytes, number: int, salt: int) -> bytes:
    """Bytes in, bytes out: some demo pages are not UTF-8 and declare their charset."""
    html = re.sub(rb'(https://[^"\s]+?)(")', rb"\1-bench-%d-%d\2" % (salt, number), html)
    return re.sub(rb"(<p(?:\s[^>]*)?>)", rb"\1Dispatch %d-%d. " % (salt, number), html)


def ingest(count: int) -> dict:
    from articles.ingest.gazetteer import Gazetteer
    from articles.ingest.pipeline import IngestOptions, prepare_input
    from articles.ingest.save import CREATED, save_article
    from bench.load import PeakMemory

    gazetteer = Gazetteer.from_data_files()
    pages = sorted(DEMO.glob("*.html"))
    statuses: dict[str, int] = {}
    salt = time.time_ns()  # a re-run on the same database still creates new articles
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for number in range(count):
            page = pages[number % len(pages)]
            path = Path(tmp) / f"{number:06d}-{page.name}"
            path.write_bytes(variant(page.read_bytes(), number, salt))
            paths.append(path)
        started = time.perf_counter()
        # Sampled, not ru_maxrss: that counts the parent's memory at fork, before exec.
        with PeakMemory() as memory:
            for number, path in enumerate(paths):
                options = IngestOptions(url=f"https://bench-ingest.example/{salt}/{number}")
                result = save_article(prepare_input(str(path), gazetteer, options))
                statuses[result.status] = statuses.get(result.status, 0) + 1
        seconds = time.perf_counter() - started
    return {
        "articles": count,
        "created": statuses.get(CREATED, 0),
        "statuses": statuses,
        "seconds": round(seconds, 1),
        "articles_per_s": round(count / seconds, 1),
        "peak_rss_mb": memory.mb,
        "processes": 1,
    }


def run(count: int = 300) -> dict:
    import os
    import subprocess
    import sys

    output = subprocess.run(
        [sys.executable, "-m", "bench.ingest", "--count", str(count)],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    import django

    django.setup()
    print(json.dumps(ingest(args.count)))
