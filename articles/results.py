"""The one path from a bound ArticleFilter to what a reader gets: the filtered articles in
reading order and their figures. The HTML lists, the counts pages, the exports, the
timeline download and the API all start from ``results(filterset)``, so they list the same
rows in the same order and show the same exact count.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import TYPE_CHECKING

from articles import search, search_index
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


class Results:
    """A filtered list: its rows, its figures and their state. Nothing runs until asked.

    ``indexed`` answers first: the search index's exact figures over every match
    (``search_index``), when the list has a ``scope`` and the index is built, fresh and
    can express every filter. Otherwise PostgreSQL answers, and ``summary`` is exact too:
    the page's one statement (``search.summary``, or only the count and the newest ids
    without ``facets``) when it covers every match, else the exact figures from the cache,
    else (``wait``) counted now. When they are neither cached nor
    waited for, ``counting`` is true and ``summary`` holds the capped count and no facets:
    the page shows "Counting…" and its counts page counts them.
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
            self.first.newest_ids,
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
