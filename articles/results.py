"""The one path from a bound ArticleFilter to what a reader gets: the filtered articles in
reading order and their figures. The HTML lists, the counts pages, the exports, the
timeline download and the API all start from ``results(filterset)``, so they list the same
rows in the same order and show the same exact count.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import TYPE_CHECKING

from articles import search
from articles.models import ArticleQuerySet

if TYPE_CHECKING:
    from articles.filters import ArticleFilter


class Results:
    """A filtered list: its rows, its figures and their state. Nothing runs until asked.

    ``summary`` is exact: the page's one statement (``search.summary``, or only the count
    and the newest ids without ``facets``) when it covers every match, else the exact
    figures from the cache, else (``wait``) counted now. When they are neither cached nor
    waited for, ``counting`` is true and ``summary`` holds the capped count and no facets:
    the page shows "Counting…" and its counts page counts them.
    """

    def __init__(
        self, filterset: ArticleFilter, *, facets: bool, wait: bool, exclude_actor_pk=None
    ) -> None:
        self.filterset = filterset
        self.facets = facets
        self.wait = wait
        self.exclude_actor_pk = exclude_actor_pk

    @cached_property
    def articles(self) -> ArticleQuerySet:
        """Every match, in the order the reader asked for: what the exports stream."""
        return self.filterset.qs

    @cached_property
    def first(self) -> search.Summary:
        """The page's one statement over the newest matches (complete or not)."""
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
        generation (None with ``wait=False`` when not counted yet)."""
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
    filterset: ArticleFilter, *, facets: bool = True, wait: bool = False, exclude_actor_pk=None
) -> Results:
    """The articles ``filterset`` matches, in its order, with their exact figures.

    ``facets``: the page shows facets and a timeline (else only the count is read first).
    ``wait``: count the exact figures now when they are not cached (the API, the counts
    pages); else ``counting`` says they are still to come. ``exclude_actor_pk`` leaves an
    actor page's own actor out of its actor facet.
    """
    filterset.is_valid()
    return Results(filterset, facets=facets, wait=wait, exclude_actor_pk=exclude_actor_pk)
