"""Measure article-body extraction against the Scrapinghub/Zyte benchmark pages in ../shared.

    .venv/bin/python -m bench.eval_extraction [--benchmark DIR] [--show-worst N]

Each page's true body and extracted body become multisets of 4-gram shingles of lowercased
``\\w+`` tokens. Precision and recall are computed per page and averaged over pages; F1 is the
harmonic mean of the two averages (the benchmark's own definition). Our ``parse_html`` body
is scored beside plain ``trafilatura.extract()`` in the same run, on the same decoded text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from articles.ingest.errors import IngestError
from articles.ingest.parse import decode, parse_html

DEFAULT_BENCHMARK = Path(__file__).resolve().parents[2] / "shared" / "extraction-benchmark"
_TOKEN_RE = re.compile(r"\w+")

Extractor = Callable[[str, str], str]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text.lower())
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def precision_recall(true: str, predicted: str) -> tuple[float, float]:
    expected, got = shingles(true), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    # As in the benchmark: nothing expected and nothing extracted is a perfect page.
    if tp + fp + fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def ours(html: str, url: str) -> str:
    try:
        return parse_html(html, page_url=url).body
    except IngestError:
        return ""


def plain_trafilatura(html: str, url: str) -> str:
    return trafilatura.extract(html) or ""


def evaluate(
    pages: dict[str, tuple[str, str, str]], extractor: Extractor
) -> tuple[float, float, float, list[tuple[float, str]], float]:
    precisions, recalls, per_page = [], [], []
    started = time.perf_counter()
    for page_id, (html, url, truth) in pages.items():
        precision, recall = precision_recall(truth, extractor(html, url))
        precisions.append(precision)
        recalls.append(recall)
        page_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_page.append((page_f1, page_id))
    elapsed = time.perf_counter() - started
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, sorted(per_page), elapsed


def load_pages(benchmark: Path) -> dict[str, tuple[str, str, str]]:
    truth = json.loads((benchmark / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for page_id, item in sorted(truth.items()):
        raw = gzip.decompress((benchmark / "html" / f"{page_id}.html.gz").read_bytes())
        try:
            html = decode(raw)
        except IngestError:
            html = raw.decode("utf-8", errors="replace")
        pages[page_id] = (html, item.get("url", ""), item["articleBody"])
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    parser.add_argument("--show-worst", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    if not (args.benchmark / "ground-truth.json").is_file():
        print(
            f"{args.benchmark} is absent (it lives in ../shared beside a checkout); nothing to do"
        )
        return 0

    pages = load_pages(args.benchmark)
    print(f"{len(pages)} pages from {args.benchmark}")
    print(f"{'extractor':<24} {'precision':>9} {'recall':>7} {'F1':>6} {'seconds':>8}")
    for name, extractor in (
        ("trafilatura.extract()", plain_trafilatura),
        ("newsarchive parse_html", ours),
    ):
        p, r, f1, per_page, elapsed = evaluate(pages, extractor)
        print(f"{name:<24} {p:>9.4f} {r:>7.4f} {f1:>6.4f} {elapsed:>8.1f}")
        for page_f1, page_id in per_page[: args.show_worst]:
            print(f"    {page_f1:.3f} {page_id[:16]} {pages[page_id][1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
