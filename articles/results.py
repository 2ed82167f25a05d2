"""The one path from a bound ArticleFilter to what a reader gets: the filtered articles in
reading order and their figures. The HTML lists, the counts pages, the exports, the
timeline download and the API all start from ``results(filterset)``, so they list the same
rows in the same order and show the same exact count.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Model

from articles import aggregates, search, search_index
from articles.models import Actor, Article, ArticleQuerySet, Location

if TYPE_CHECKING:
    from articles.filters import ArticleFilter


@dataclasses.dataclass(frozen=True)
class Scope:
    """The articles a list starts from, before its filters: every public article, or those
    naming an actor (any of several: an actor with its lineage) or a place. A page's base
    queryset is ``articles()``; the search index answers for the same articles."""

    actors: tuple[Actor, ...] = ()
    place: Location | None = None

    def articles(self) -> ArticleQuerySet:
        articles = Article.objects.public()
        if len(self.actors) > 1:
            articles = articles.mentioning_any_actor(self.actors)
        elif self.actors:
            articles = articles.mentioning_actors(self.actors)
        if self.place is not None:
            articles = articles.mentioning_place(self.place)
        return articles

    def counted_entity(self) -> aggregates.Entity | None:
        """The one entity whose maintained figures are this scope's (``aggregates``):
        exactly one actor, one place, or every article (``aggregates.EVERY_ARTICLE``). An
        actor's lineage (several actors) or an actor in a place are not counted: None."""
        if not self.actors and self.place is None:
            return aggregates.EVERY_ARTICLE
        if len(self.actors) == 1 and self.place is None:
            return aggregates.Entity.of(self.actors[0])
        if self.place is not None and not self.actors:
            return aggregates.Entity.of(self.place)
        return None


# Filters that change no figure: the order, and ``lineage`` without an ``actor`` filter (the
# scope already says whether a page takes an actor's lineage).
FIGURE_NEUTRAL = {"sort", "lineage"}
# Filters that, with one value and nothing else, list what one entity's page lists: an actor
# (without its lineage), a province or place (and what is inside it), a source.
ONE_ENTITY_FILTERS = {"actor", "province", "location", "source"}


class Results:
    """A filtered list: its rows, its figures and their state. Nothing runs until asked.

    ``maintained`` answers first: the figures PostgreSQL keeps per entity (``aggregates``),
    when the scope is every article, one actor or one place and no filter is active, or
    the scope is every article and the only filter is one actor, province, place or source. Then
    ``indexed``: the search index's exact figures over every match (``search_index``), when
    the list has a ``scope`` and the index is built, fresh and can express every filter.
    Otherwise PostgreSQL answers, and ``summary`` is exact too: the page's one statement
    (``search.summary``, or only the count and the newest ids without ``facets``) when it
    covers every match, else the exact figures from the cache, else (``wait``) counted
    now. When they are neither cached nor waited for, ``counting`` is true and ``summary``
    holds the capped count and no facets: the page shows "Counting…" and its counts page
    counts them.
    """

    def __init__(
        self,
        filterset: ArticleFilter,
        *,
        facets: bool,
        wait: bool,
        exclude_actor_pk=None,
        scope: Scope | None = None,
    ) -> None:
        self.filterset = filterset
        self.facets = facets
        self.wait = wait
        self.exclude_actor_pk = exclude_actor_pk
        self.scope = scope
        self.from_index = False  # ``first`` came from the search index

    def counted_entity(self) -> aggregates.Entity | None:
        """The entity whose maintained figures are exactly this list's, if any."""
        if self.scope is None or not self.filterset.is_valid():
            return None
        data = self.filterset.form.cleaned_data
        active = {name for name, value in data.items() if value and name not in FIGURE_NEUTRAL}
        if not active:
            return self.scope.counted_entity()
        if self.scope != Scope() or len(active) != 1:
            return None
        # Every article filtered on one entity is that entity's list: its page's figures.
        (name,) = active
        if name not in ONE_ENTITY_FILTERS or (name == "actor" and data.get("lineage")):
            return None
        chosen = data[name]  # a place; or the actors, provinces or sources (a queryset)
        chosen = [chosen] if isinstance(chosen, Model) else list(chosen)
        return aggregates.Entity.of(chosen[0]) if len(chosen) == 1 else None

    @property
    def from_aggregates(self) -> bool:
        """``first`` (and every figure) comes from the maintained figures."""
        return self.maintained is not None

    @cached_property
    def maintained(self) -> search.Summary | None:
        """The exact total, facets and months of an entity's list from the maintained
        figures (no newest ids: ``rows`` reads its page itself); None when the list is not
        one entity's unfiltered articles or the figures are not built."""
        if (entity := self.counted_entity()) is None:
            return None
        return aggregates.summary_for(entity, exclude_actor_pk=self.exclude_actor_pk)

    def indexed(self, *, facets: bool) -> search.Summary | None:
        """The exact total, newest ids and (with ``facets``) facets and months from the
        search index; None when PostgreSQL must answer (no scope, the index absent or
        behind, or a filter it cannot express)."""
        if self.scope is None:
            return None
        found = search_index.searcher()
        if found is None:
            return None
        try:
            query = search_index.translate(self.filterset, self.scope)
            return search_index.tally(
                found, query, facets=facets, exclude_actor_pk=self.exclude_actor_pk
            )
        except search_index.Untranslatable:
            return None

    @cached_property
    def articles(self) -> ArticleQuerySet:
        """Every match, in the order the reader asked for: what the exports stream."""
        return self.filterset.qs

    @cached_property
    def first(self) -> search.Summary:
        """The index's exact figures, or the page's one statement over the newest matches
        (complete or not)."""
        if (maintained := self.maintained) is not None:
            return maintained
        if (indexed := self.indexed(facets=self.facets)) is not None:
            self.from_index = True
            return indexed
        if self.facets:
            return search.summary(self.articles, exclude_actor_pk=self.exclude_actor_pk)
        return search.count_only(self.articles)

    @cached_property
    def summary(self) -> search.Summary:
        first = self.first
        if first.complete:
            return first
        exact = self.exact(wait=self.wait)
        if exact is None:
            return first
        return dataclasses.replace(exact, newest_ids=first.newest_ids)

    @property
    def counting(self) -> bool:
        """The exact figures are still to be counted (by the counts page)."""
        return not self.summary.complete

    def exact(self, *, wait: bool = True) -> search.Summary | None:
        """The exact count, facets and timeline over every match, cached under the archive
        generation (None with ``wait=False`` when not counted yet); from the index when it
        answers."""
        if (maintained := self.maintained) is not None:
            return maintained
        if self.facets and "first" in self.__dict__:  # the page asked the index already
            if self.from_index:
                return self.first
        elif (indexed := self.indexed(facets=True)) is not None:
            return indexed
        return search.exact_summary(
            self.articles, exclude_actor_pk=self.exclude_actor_pk, wait=wait
        )

    @cached_property
    def rows(self) -> search.ResultList:
        """The matches in reading order, sliced by a page (by id from the newest ids read)."""
        return search.ResultList(
            self.articles,
            None if self.from_aggregates else self.first.newest_ids,
            order=self.filterset.sort_order,
            rank_text=self.filterset.search_text,
        )

    def paginator(self, per_page: int) -> search.CappedPaginator:
        """Pages of ``rows`` over ``summary``'s count: no COUNT(*) of its own."""
        return search.CappedPaginator(
            self.rows, per_page, count=self.summary.total, capped=self.summary.capped
        )

    @property
    def ranked_among(self) -> int:
        """How many of the newest matches relevance ranks (``ResultList``'s candidates)."""
        if self.from_aggregates:  # an unfiltered entity list: no search, nothing is ranked
            return 0
        return min(search.RANK_CANDIDATES, len(self.first.newest_ids))


def results(
    filterset: ArticleFilter,
    *,
    facets: bool = True,
    wait: bool = False,
    exclude_actor_pk=None,
    scope: Scope | None = None,
) -> Results:
    """The articles ``filterset`` matches, in its order, with their exact figures.

    ``facets``: the page shows facets and a timeline (else only the count is read first).
    ``wait``: count the exact figures now when they are not cached (the API, the counts
    pages); else ``counting`` says they are still to come. ``exclude_actor_pk`` leaves an
    actor page's own actor out of its actor facet. ``scope``: the articles the filterset's
    queryset stands for (``Scope.articles()``), so that the search index can answer; without
    it PostgreSQL does.
    """
    filterset.is_valid()
    return Results(
        filterset, facets=facets, wait=wait, exclude_actor_pk=exclude_actor_pk, scope=scope
    )
