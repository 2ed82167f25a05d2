"""The filtered set of articles as streamed CSV and JSON, and the timeline as CSV.

One statement for the rows: the columns a row needs, with each article's actor and place
ids and mention counts aggregated in SQL (one correlated ARRAY subquery each, over the
(article, ...) unique indexes), streamed as plain tuples through a server-side cursor
``CHUNK_SIZE`` rows at a time; two small queries before it map ids to names. No model
instance per row, so an export of 100,000 articles runs in constant memory at the speed of
the database.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import BigIntegerField, F, Func, OuterRef, Prefetch, Subquery
from django.urls import reverse

from articles.models import (
    Actor,
    ActorMention,
    ArticleQuerySet,
    Location,
    LocationMention,
)

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
    "story",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Defuse CSV injection: a leading apostrophe makes spreadsheets show the cell as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def mention_prefetches() -> list[Prefetch]:
    """The visible mentions the API's serialisers read, as ``public_actor_mentions`` and
    ``public_location_mentions``: for ``prefetch_related`` or ``prefetch_related_objects``."""
    actor_mentions = (
        ActorMention.objects.shown().select_related("actor").order_by("-count", "actor__name")
    )
    location_mentions = (
        LocationMention.objects.shown()
        .select_related("location", "province")
        .order_by("-count", "location__name")
    )
    return [
        Prefetch("actor_mentions", queryset=actor_mentions, to_attr="public_actor_mentions"),
        Prefetch(
            "location_mentions", queryset=location_mentions, to_attr="public_location_mentions"
        ),
    ]


def with_mentions(articles: ArticleQuerySet) -> ArticleQuerySet:
    """Mentions prefetched once per page of articles: for the API's serialisers."""
    return articles.select_related("source", "primary_location").prefetch_related(
        *mention_prefetches()
    )


def _mentions(mentions, target: str) -> Subquery:
    """One article's visible mentions as ``[[target id, count], ...]``: no join, only the
    (article, ...) unique index; names come from a dict built once per export."""
    return Subquery(
        mentions.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(
            pairs=ArrayAgg(
                Func(
                    F(target),
                    F("count"),
                    function="ARRAY",
                    template="%(function)s[%(expressions)s]",
                    output_field=ArrayField(BigIntegerField()),
                )
            )
        )
        .values("pairs"),
        output_field=ArrayField(ArrayField(BigIntegerField())),
    )


def _most_mentioned(pairs, names: dict) -> list[tuple]:
    """``names[id]`` for each known id in ``pairs``, most mentioned first, then by name."""
    found = [(names[pk], n) for pk, n in pairs or [] if pk in names]
    return [name for name, _ in sorted(found, key=lambda item: (-item[1], item[0][0]))]


def records(articles: ArticleQuerySet, base_url: str = "") -> Iterator[dict]:
    """One dict per article, multi-valued columns as lists.

    ``url`` is the original report's address, or the archive's page for text-only
    sources; ``actor_kinds`` lists each kind among the actors once; ``story`` is the story
    id shared by reports of the same events. Actors are the
    confirmed ones, places and actors most mentioned first.
    """
    actor_names = {
        pk: (name, kind)
        for pk, name, kind in Actor.objects.public().values_list("pk", "name", "kind")
    }
    place_names = {
        pk: (name, province)
        for pk, name, province in Location.objects.values_list("pk", "name", "province__name")
    }
    rows = articles.annotate(
        actor_pairs=_mentions(ActorMention.objects.visible(), "actor_id"),
        place_pairs=_mentions(LocationMention.objects.visible(), "location_id"),
    ).values_list(
        "pk",
        "url",
        "slug",
        "source__name",
        "published_on",
        "title",
        "primary_location__name",
        "actor_pairs",
        "place_pairs",
        "story_id",
    )
    for (
        pk,
        url,
        slug,
        source,
        published,
        title,
        primary,
        actor_pairs,
        place_pairs,
        story,
    ) in rows.iterator(chunk_size=CHUNK_SIZE):
        actors = _most_mentioned(actor_pairs, actor_names)
        places = _most_mentioned(place_pairs, place_names)
        yield {
            "id": pk,
            "url": url or f"{base_url}{reverse('articles:detail', args=[pk, slug])}",
            "source": source,
            "published": published.isoformat() if published else None,
            "title": title,
            "actors": [name for name, _ in actors],
            "actor_kinds": list(dict.fromkeys(kind for _, kind in actors)),
            "places": [name for name, _ in places],
            "provinces": list(dict.fromkeys(province for _, province in places if province)),
            "primary_place": primary,
            "story": story,
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
