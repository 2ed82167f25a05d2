"""Pages of the articles API: the same exact count and ranking as the HTML pages."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from articles.results import Scope, results


class ArticlePagination(PageNumberPagination):
    """Page numbers over the exact count of matches.

    The reading room's own path (``articles.results``): one statement reads the newest
    matches' ids, which is the count when there are no more than ARCHIVE_FACET_SAMPLE;
    past that the count is the search page's exact one (the same statement over every
    match, cached until the archive changes). The page is sliced from the same rows the
    HTML list pages through, by a paginator that is told the count, so there is no COUNT(*)
    of DRF's own. Relevance ranks the newest ``RANK_CANDIDATES`` matches, and every page
    is reachable.

    The filters, the search and the order come from the view's bound ``filterset`` (see
    ``views.ArticleFilterBackend``).
    """

    def paginate_queryset(self, queryset, request, view=None):
        # The view's queryset is every public article (ArticleViewSet.get_queryset).
        found = results(view.filterset, facets=False, wait=True, scope=Scope())
        self.django_paginator_class = lambda _rows, per_page: found.paginator(per_page)
        return super().paginate_queryset(found.rows, request, view)

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
