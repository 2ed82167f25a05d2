"""What the index pages, the home page's totals and the admin's article list cost in counts.

Run (about a minute; its own scratch test database, left for the next run)::

    TEST_DATABASE_NAME=test_exact_counts .venv/bin/python -m pytest -q -s -p no:cacheprovider \\
        bench/index_counts.py

It builds the synthetic articles of ``bench/exact_counts.py`` and prints, 5 runs each, the
median and maximum of: the statements the pages ran per request before they read the
generation-keyed cache (an annotated COUNT per actor, a correlated COUNT per province, a
COUNT per source, Django's paginator COUNT(*) in the admin), the same counts now on the
first request of a generation (``entity_counts``, uncached: a new generation before each
run), and the whole page now through the test client once counted (cached).
"""

import time

import pytest
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from articles import entity_counts, generation
from articles.admin import CappedPaginator
from articles.models import (
    Actor,
    Article,
    Location,
    LocationMention,
    Source,
    article_is_public,
    mention_is_visible,
)
from bench.exact_counts import build_corpus, timed

PAGES = {
    "/actors/": (
        lambda: list(
            Actor.objects.public().annotate(
                n_articles=Count(
                    "mentions",
                    filter=mention_is_visible("mentions__")
                    & article_is_public("mentions__article__"),
                )
            )
        ),
        entity_counts._count_per_actor,
    ),
    "/places/": (
        lambda: list(
            Location.objects.provinces().annotate(
                n_articles=Subquery(
                    LocationMention.objects.for_readers()
                    .filter(province=OuterRef("pk"))
                    .order_by()
                    .values("province")
                    .annotate(n=Count("article", distinct=True))
                    .values("n")
                )
            )
        ),
        entity_counts._count_per_province,
    ),
    "/sources/": (
        lambda: list(
            Source.objects.annotate(
                n_articles=Count("articles", filter=article_is_public("articles__"))
            )
        ),
        entity_counts._count_per_source,
    ),
    "/": (entity_counts._count_totals, entity_counts._count_totals),
}


def uncached(count):
    """``count`` as the first request of a new generation runs it."""

    def run():
        generation.bump()
        count()

    return run


@pytest.mark.django_db
def test_index_counts_cost(client):
    build_corpus()
    print(f"\n{Article.objects.count():,} articles")
    for url, (before, now) in PAGES.items():
        client.get(url)  # counted once for this generation
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        cached_ms = (time.perf_counter() - started) * 1000
        print(f"\n{url}")
        print(f"  before, counted per request: {timed(before)}")
        print(f"  now, first request of a generation: {timed(uncached(now))}")
        print(f"  now, the whole page, cached: {cached_ms:.1f} ms, {len(queries)} queries")

    client.force_login(User.objects.create_superuser("bench"))
    articles = Article.objects.all()
    print("\n/admin/articles/article/")
    print(f"  before, Paginator.count: {timed(lambda: Paginator(articles, 100).count)}")
    print(f"  now, CappedPaginator.count: {timed(lambda: CappedPaginator(articles, 100).count)}")
    print(f"  now, the whole page: {timed(lambda: client.get('/admin/articles/article/'))}")
