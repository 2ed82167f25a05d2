"""Article counts per actor, province and source, and the archive's totals: the figures of
the index pages and the home page.

The readers' counts come from the figures PostgreSQL maintains per entity
(``articles.aggregates``): one indexed read, right on the next request after an article is
saved, hidden or re-tagged. Until those are built, and for the editors' counts (hidden
articles and rejected tags included), each is one GROUP BY over every article (a million
rows and their mentions take seconds), counted once per archive generation and kept in the
shared database cache, like the search pages' exact figures (``search.generation_cached``).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef

from articles import aggregates, search
from articles.models import (
    Actor,
    ActorMention,
    Article,
    EntityKind,
    Location,
    LocationMention,
    Source,
)


def per_actor() -> dict[int, int]:
    """``{actor id: public articles visibly naming it}`` for the actors readers see."""
    if (counted := aggregates.public_actor_totals()) is not None:
        return counted
    return search.generation_cached("articles-per-actor", _count_per_actor)


def per_province() -> dict[int, int]:
    """``{province id: public articles visibly naming a place in it}``."""
    if (counted := aggregates.province_totals()) is not None:
        return counted
    return search.generation_cached("articles-per-province", _count_per_province)


def per_source() -> dict[int, int]:
    """``{source id: public articles}``."""
    if (counted := aggregates.totals(EntityKind.SOURCE)) is not None:
        return counted
    return search.generation_cached("articles-per-source", _count_per_source)


def mentions_per_actor() -> dict[int, int]:
    """``{actor id: articles naming it}``, hidden articles and rejected tags included: the
    editors' count in the admin's actor list (candidates too)."""
    return search.generation_cached("mentions-per-actor", _count_mentions_per_actor)


def all_per_source() -> dict[int, int]:
    """``{source id: articles}``, hidden ones included: the admin's source list."""
    return search.generation_cached("all-articles-per-source", _count_all_per_source)


def archive_totals() -> dict[str, int]:
    """The home page's totals: public articles, the sources they come from, actors readers
    see and places in the gazetteer."""
    if (per_source := aggregates.totals(EntityKind.SOURCE)) is not None:
        return {
            "articles": sum(per_source.values()),  # every article has one source
            "sources": len(per_source),
            **search.generation_cached("gazetteer-totals", _count_gazetteer),
        }
    return search.generation_cached("archive-totals", _count_totals)


def _count_per_actor() -> dict[int, int]:
    # An article names an actor at most once (one mention row per pair), so mentions count
    # articles.
    rows = (
        ActorMention.objects.for_readers()
        .order_by()
        .values_list("actor_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def _count_mentions_per_actor() -> dict[int, int]:
    return dict(ActorMention.objects.order_by().values_list("actor_id").annotate(n=Count("pk")))


def _count_per_province() -> dict[int, int]:
    rows = (
        LocationMention.objects.for_readers()
        .filter(province__isnull=False)
        .order_by()
        .values_list("province_id")
        .annotate(n=Count("article_id", distinct=True))
    )
    return dict(rows)


def _count_per_source() -> dict[int, int]:
    rows = Article.objects.public().order_by().values_list("source_id").annotate(n=Count("pk"))
    return {source: n for source, n in rows if source is not None}


def _count_all_per_source() -> dict[int, int]:
    rows = Article.objects.order_by().values_list("source_id").annotate(n=Count("pk"))
    return {source: n for source, n in rows if source is not None}


def _count_totals() -> dict[str, int]:
    public = Article.objects.public()
    return {
        "articles": public.count(),
        "sources": Source.objects.filter(Exists(public.filter(source=OuterRef("pk")))).count(),
        **_count_gazetteer(),
    }


def _count_gazetteer() -> dict[str, int]:
    """Actors readers see and places in the gazetteer."""
    return {"actors": Actor.objects.public().count(), "places": Location.objects.count()}
