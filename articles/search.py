"""Search snippets and facet counts over a filtered set of articles.

Everything here takes the FilterSet's queryset and runs a bounded number of queries,
whatever the size of the set: facets are single GROUP BY queries over the filtered ids,
snippets are computed for the rows of one page only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import Count, TextField, Value
from django.db.models.functions import Concat, ExtractYear, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import (
    SEARCH_CONFIG,
    ActorKind,
    ActorMention,
    Article,
    ArticleQuerySet,
    LocationMention,
)

# Private-use characters: PostgreSQL puts them around matched words, Python turns them into
# <mark> after escaping everything else. They are removed from the text first, so an
# article cannot smuggle in a marker of its own.
MARK_START = "\ue000"
MARK_STOP = "\ue001"


def snippets(article_ids: list[int], text: str) -> dict[int, str]:
    """``{article id: snippet}`` with matched words between MARK_START/MARK_STOP markers.

    A separate query over one page of ids, so ts_headline never runs over the whole set.
    """
    if not article_ids or not (text or "").strip():
        return {}
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    document = Concat("standfirst", Value("\n"), "body", output_field=TextField())
    for marker in (MARK_START, MARK_STOP):
        document = Replace(document, Value(marker), Value(""))
    rows = (
        Article.objects.filter(pk__in=article_ids)
        .order_by()
        .annotate(
            snippet=SearchHeadline(
                document,
                query,
                config=SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
        .values_list("pk", "snippet")
    )
    return dict(rows)


def highlight(snippet: str) -> SafeString:
    """Escape the snippet, then let through only our own markers, as <mark>."""
    escaped = escape(snippet or "")
    return mark_safe(  # noqa: S308 -- everything was escaped; only our markers become tags
        escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    )


@dataclass
class FacetValue:
    param: str
    value: str
    label: str
    count: int
    kind: str = ""


@dataclass
class ActorKindGroup:
    kind: str
    label: str
    actors: list[FacetValue] = field(default_factory=list)


@dataclass
class Facets:
    actors: list[ActorKindGroup]
    provinces: list[FacetValue]
    sources: list[FacetValue]
    years: list[FacetValue]


def top_actors(articles: ArticleQuerySet, limit: int = 20, exclude_pk=None) -> list[FacetValue]:
    """The actors named in the most of ``articles``, one GROUP BY query."""
    mentions = ActorMention.objects.in_articles(articles)
    if exclude_pk is not None:
        mentions = mentions.exclude(actor_id=exclude_pk)
    rows = (
        mentions.order_by()
        .values("actor__slug", "actor__name", "actor__kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "actor__name")[:limit]
    )
    return [
        FacetValue("actor", row["actor__slug"], row["actor__name"], row["n"], row["actor__kind"])
        for row in rows
    ]


def group_by_kind(values: list[FacetValue]) -> list[ActorKindGroup]:
    order = {kind: i for i, kind in enumerate(ActorKind.values)}
    ordered = sorted(values, key=lambda v: (order.get(v.kind, 99), -v.count, v.label))
    labels = dict(ActorKind.choices)
    return [
        ActorKindGroup(kind, labels.get(kind, kind), list(items))
        for kind, items in groupby(ordered, key=lambda v: v.kind)
    ]


def top_provinces(articles: ArticleQuerySet, limit: int | None = None) -> list[FacetValue]:
    """Provinces by number of ``articles`` mentioning a place in them, one GROUP BY query."""
    rows = (
        LocationMention.objects.in_articles(articles)
        .filter(province__isnull=False)
        .order_by()
        .values("province__slug", "province__name")
        .annotate(n=Count("article", distinct=True))
        .order_by("-n", "province__name")
    )
    if limit:
        rows = rows[:limit]
    return [
        FacetValue("province", row["province__slug"], row["province__name"], row["n"])
        for row in rows
    ]


def facets(articles: ArticleQuerySet, exclude_actor_pk=None) -> Facets:
    """Counts beside the results: actors (top 20 by kind), provinces, sources, years."""
    plain = articles.order_by()
    sources = (
        plain.values("source__slug", "source__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "source__name")
    )
    years = (
        plain.filter(published_on__isnull=False)
        .annotate(year=ExtractYear("published_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    return Facets(
        actors=group_by_kind(top_actors(articles, 20, exclude_pk=exclude_actor_pk)),
        provinces=top_provinces(articles),
        sources=[
            FacetValue("source", row["source__slug"], row["source__name"], row["n"])
            for row in sources
        ],
        years=[FacetValue("year", str(row["year"]), str(row["year"]), row["n"]) for row in years],
    )
