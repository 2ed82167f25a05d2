"""Pages of the articles API: the same exact count and ranking as the HTML pages."""

from functools import partial

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from articles import search
from articles.filters import SortOrder


class ArticlePagination(PageNumberPagination):
    """Page numbers over the exact count of matches.

    The reading room's path through ``articles.search``: one statement reads the newest
    matches' ids (``count_only``), which is the count when there are no more than
    ARCHIVE_FACET_SAMPLE; past that the count is the search page's exact one
    (``exact_summary``, the same statement over every match, cached until the archive
    changes). Relevance ranks the newest ``RANK_CANDIDATES`` matches (``ResultList``), and
    every page is reachable.

    The search and the order come from the view's bound ``filterset`` (see
    ``views.ArticleFilterBackend``).
    """

    def paginate_queryset(self, queryset, request, view=None):
        filterset = getattr(view, "filterset", None)
        counted = search.count_only(queryset)
        total = counted.total if counted.complete else search.exact_summary(queryset).total
        rows = search.ResultList(
            queryset,
            counted.newest_ids,
            order=filterset.sort_order if filterset else SortOrder.NEWEST,
            rank_text=filterset.search_text if filterset else "",
        )
        self.django_paginator_class = partial(search.CappedPaginator, count=total)
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
        properties["count"]["description"] = "Matching articles, every one counted."
        response["properties"] = {
            "count": properties.pop("count"),
            "count_is_capped": {
                "type": "boolean",
                "description": "Always false: `count` is exact. Kept for clients written "
                "when the count stopped at a cap.",
                "example": False,
            },
            **properties,
        }
        response["required"] = ["count", "count_is_capped", "results"]
        return response
