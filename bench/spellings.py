"""The search page with and without query expansion by the gazetteer's names, over the
loaded benchmark database: ``python bench/spellings.py`` after ``bench/run.py --load-only``.

"Without" gives the name index no names, which leaves exactly the reader's web-search
query (what the archive searched before names were expanded). Prints median ms per page.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ would come first on the path and bench/http.py shadow the stdlib.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from bench.run import use_bench_database  # noqa: E402

SEARCHES = ["shelling", "cholera", "Hama", "Hamah", "Aleppo", "Nusra Front", "ادلب", "Syria"]
REPS = 15


def main() -> None:
    use_bench_database(None)
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the response's context gives the count shown

    from articles import search_query

    client = Client()

    without_names = search_query.NameIndex([])

    def timed(text: str, *, expanded: bool) -> tuple[float, int]:
        names = search_query.name_index if expanded else (lambda: without_names)
        with mock.patch.object(search_query, "name_index", names):
            start = time.perf_counter()
            response = client.get("/articles/", {"q": text})
            elapsed = (time.perf_counter() - start) * 1000
        return elapsed, response.context["results"].page.paginator.count

    print(f"{'search':<14} {'without ms':>10} {'n':>6} {'with ms':>9} {'n':>6}")
    for text in SEARCHES:
        timed(text, expanded=False), timed(text, expanded=True)  # warm plans and caches
        # Alternated, so that other work on the machine weighs on both alike.
        runs = [(timed(text, expanded=False), timed(text, expanded=True)) for _ in range(REPS)]
        before = statistics.median(ms for (ms, _), _ in runs)
        after = statistics.median(ms for _, (ms, _) in runs)
        found_before, found_after = runs[0][0][1], runs[0][1][1]
        print(f"{text:<14} {before:>10.1f} {found_before:>6} {after:>9.1f} {found_after:>6}")


if __name__ == "__main__":
    main()
