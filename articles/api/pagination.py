"""Bounded pages for the articles API: the same count cap and ranking as the HTML pages."""

from functools import partial

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from articles import search
from articles.filters import SortOrder


class CappedArticlePagination(PageNumberPagination):
    """Page numbers over a count that stops at ``ARCHIVE_COUNT_CAP``.

    The reading room's path through ``articles.search``: one statement reads the newest
    matches' ids (``count_only``), counting goes on only up to the cap, and relevance ranks
    the newest ``RANK_CANDIDATES`` matches (``ResultList``), so no page visits every match
    of a broad search. Past the cap, ``count`` is the cap, ``count_is_capped`` is true and
    ``next`` stops at the last page within the cap: narrow the filters to reach the rest.

    The search and the order come from the view's bound ``filterset`` (see
    ``views.ArticleFilterBackend``).
    """

    def paginate_queryset(self, queryset, request, view=None):
        filterset = getattr(view, "filterset", None)
        counted = search.count_only(queryset)
        rows = search.ResultList(
            queryset,
            counted.newest_ids,
            order=filterset.sort_order if filterset else SortOrder.NEWEST,
            rank_text=filterset.search_text if filterset else "",
        )
        self.django_paginator_class = partial(
            search.CappedPaginator, count=counted.total, capped=counted.capped
        )
        return super().paginate_queryset(rows, request, view)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_capped": self.page.paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"]["description"] = (
            "Matching articles, counted up to a cap: when `count_is_capped` is true, more "
            "than `count` match."
        )
        response["properties"] = {
            "count": properties.pop("count"),
            "count_is_capped": {
                "type": "boolean",
                "description": "True when more articles match than `count` (the cap); the "
                "pages stop at the cap.",
                "example": False,
            },
            **properties,
        }
        response["required"] = ["count", "count_is_capped", "results"]
        return response
