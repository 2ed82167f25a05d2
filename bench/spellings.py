"""The search page with and without query expansion by the gazetteer's names, over the
loaded benchmark database: ``python bench/spellings.py`` after ``bench/run.py --load-only``.

"Without" gives the name index no names, which leaves exactly the reader's web-search
query (what the archive searched before names were expanded). Prints median ms per page.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ would come first on the path and bench/http.py shadow the stdlib.
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from bench.run import bench_database_url  # noqa: E402

SEARCHES = ["shelling", "cholera", "Hama", "Hamah", "Aleppo", "Nusra Front", "ادلب", "Syria"]
REPS = 15


def main() -> None:
    os.environ.update(
        DATABASE_URL=bench_database_url(None),
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
        DJANGO_SETTINGS_MODULE="newsarchive.settings",
    )
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the response's context gives the count shown

    from articles import search_query

    client = Client()

    def page_ms(text: str) -> tuple[float, int]:
        client.get("/articles/", {"q": text})  # warm: plans, caches, the name index
        times = []
        for _ in range(REPS):
            start = time.perf_counter()
            response = client.get("/articles/", {"q": text})
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times), response.context["results"].page.paginator.count

    print(f"{'search':<14} {'without ms':>10} {'n':>6} {'with ms':>9} {'n':>6}")
    for text in SEARCHES:
        with mock.patch.object(search_query, "name_index", lambda: search_query.NameIndex([])):
            before, found_before = page_ms(text)
        after, found_after = page_ms(text)
        print(f"{text:<14} {before:>10.1f} {found_before:>6} {after:>9.1f} {found_after:>6}")


if __name__ == "__main__":
    main()
