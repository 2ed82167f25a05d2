"""The filtered set of articles as streamed CSV and JSON, and the timeline as CSV.

Rows come from ``.iterator(chunk_size=...)`` with the mentions prefetched once per chunk,
so an export of 100,000 articles runs in constant memory and a few hundred queries.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch

from articles.models import ActorMention, ActorStatus, ArticleQuerySet, LocationMention

CHUNK_SIZE = 2000
COLUMNS = [
    "id",
    "url",
    "source",
    "published",
    "title",
    "actors",
    "actor_kinds",
    "places",
    "provinces",
    "primary_place",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Defuse CSV injection: a leading apostrophe makes spreadsheets show the cell as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def with_mentions(articles: ArticleQuerySet) -> ArticleQuerySet:
    actor_mentions = (
        ActorMention.objects.visible()
        .filter(actor__status=ActorStatus.CONFIRMED)
        .select_related("actor")
        .order_by("-count", "actor__name")
    )
    location_mentions = (
        LocationMention.objects.visible()
        .select_related("location", "province")
        .order_by("-count", "location__name")
    )
    return articles.select_related("source", "primary_location").prefetch_related(
        Prefetch("actor_mentions", queryset=actor_mentions, to_attr="public_actor_mentions"),
        Prefetch(
            "location_mentions", queryset=location_mentions, to_attr="public_location_mentions"
        ),
    )


def records(articles: ArticleQuerySet, base_url: str = "") -> Iterator[dict]:
    """One dict per article, multi-valued columns as lists.

    ``url`` is the original report's address, or the archive's page for text-only
    sources; ``actor_kinds`` lists each kind among the actors once.
    """
    rows = with_mentions(articles).defer("body", "caption", "standfirst", "search_vector")
    for article in rows.iterator(chunk_size=CHUNK_SIZE):
        actors = [m.actor for m in article.public_actor_mentions]
        places = [m.location for m in article.public_location_mentions]
        provinces = list(
            dict.fromkeys(m.province.name for m in article.public_location_mentions if m.province)
        )
        yield {
            "id": article.pk,
            "url": article.url or f"{base_url}{article.get_absolute_url()}",
            "source": article.source.name,
            "published": article.published_on.isoformat() if article.published_on else None,
            "title": article.title,
            "actors": [actor.name for actor in actors],
            "actor_kinds": list(dict.fromkeys(actor.kind for actor in actors)),
            "places": [place.name for place in places],
            "provinces": provinces,
            "primary_place": article.primary_location.name if article.primary_location else None,
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row[column]
            if isinstance(value, list):
                value = "; ".join(value)
            cells.append(neutralise("" if value is None else value))
        yield writer.writerow(cells)


def json_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array, written one record at a time."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def timeline_lines(months: list[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["month", "articles"])
    for month, count in months:
        yield writer.writerow([f"{month:%Y-%m}", count])
