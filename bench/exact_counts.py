"""The exact path's cost against the page's bounded statement, uncached and cached.

Run (about a minute; its own scratch test database, left for the next run)::

    TEST_DATABASE_NAME=test_exact_counts .venv/bin/python -m pytest -q -s -p no:cacheprovider \\
        bench/exact_counts.py

It builds N synthetic articles (3 actor and 2 place mentions each, 8 sources, 14 provinces,
dates over 12 years) inside the test's transaction, ANALYZEs, and prints for three filters
the median and maximum of 5 runs of ``search.summary`` (what a page runs at once) and of
``search.exact_summary`` uncached (a new archive generation before each run: the statement
over every match, and storing it), then read from the cache.
"""

import datetime
import hashlib
import random
import statistics
import time

import pytest
from django.db import connection

from articles import generation, search
from articles.models import ActorMention, Article, LocationMention
from tests.factories import (
    ActorFactory,
    CountryFactory,
    PlaceFactory,
    ProvinceFactory,
    SourceFactory,
)

N = 20_000
WORDS = ["airstrike", "ceasefire", "convoy", "checkpoint", "market", "hospital", "rebels"]


def timed(fn, reps=5) -> str:
    runs = []
    for _ in range(reps):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return f"p50 {statistics.median(runs):.1f} ms, max {max(runs):.1f} ms"


def build_corpus(n_articles: int = N) -> list:
    """``n_articles`` synthetic articles with their mentions, ANALYZEd; returns the actors."""
    rng = random.Random(1)
    sources = [SourceFactory(name=f"Outlet {i}") for i in range(8)]
    actors = [ActorFactory(name=f"Brigade {i}") for i in range(60)]
    syria = CountryFactory(name="Syria")
    provinces = [ProvinceFactory(name=f"Province {i}", parent=syria) for i in range(14)]
    places = [PlaceFactory(name=f"Village {i}", parent=provinces[i % 14]) for i in range(200)]
    rows = []
    for n in range(n_articles):
        # "shelling" in 65% of the articles, as in the benchmark's corpus.
        body = ("shelling " if rng.random() < 0.65 else "") + " ".join(
            rng.choice(WORDS) for _ in range(60)
        )
        rows.append(
            Article(
                source=sources[n % 8],
                title=f"Report {n}",
                slug=f"report-{n}",
                body=body,
                url=f"https://outlet.example/{n}",
                published_on=datetime.date(2012, 1, 1) + datetime.timedelta(rng.randrange(4500)),
                content_hash=hashlib.sha256(f"{n}{body}".encode()).hexdigest(),
            )
        )
    Article.objects.bulk_create(rows, batch_size=2000)
    actor_mentions, place_mentions = [], []
    for pk in Article.objects.values_list("pk", flat=True):
        mention = {"article_id": pk, "count": 1, "first_offset": 0, "sentence": "", "spans": []}
        actor_mentions += [ActorMention(actor=a, **mention) for a in rng.sample(actors, 3)]
        place_mentions += [
            LocationMention(location=p, province_id=p.province_id, **mention)
            for p in rng.sample(places, 2)
        ]
    ActorMention.objects.bulk_create(actor_mentions, batch_size=5000)
    LocationMention.objects.bulk_create(place_mentions, batch_size=5000)
    with connection.cursor() as cursor:
        for table in ("articles_article", "articles_actormention", "articles_locationmention"):
            cursor.execute(f"ANALYZE {table}")
    return actors


@pytest.mark.django_db
def test_exact_counts_cost():
    actors = build_corpus()
    public = Article.objects.public()
    report("every article", public)
    report("common term (shelling)", public.search("shelling"))
    report("one actor", public.mentioning_actors([actors[0]]))


def report(name: str, articles) -> None:
    def uncached():
        generation.bump()
        search.exact_summary(articles)

    print(f"\n{name}: {articles.count():,} matches")
    print(f"  page's statement (summary): {timed(lambda: search.summary(articles))}")
    print(f"  exact_summary, uncached:    {timed(uncached)}")
    print(f"  exact_summary, cached:      {timed(lambda: search.exact_summary(articles))}")
