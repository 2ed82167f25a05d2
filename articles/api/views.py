"""Read-only API: the same FilterSets and QuerySets as the HTML pages and exports."""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponsePermanentRedirect
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.reverse import reverse

from articles import exports
from articles.api import serializers
from articles.api.pagination import ArticlePagination
from articles.filters import ActorFilter, ArticleFilter, LocationFilter
from articles.models import Actor, ActorLink, Article, Location

# What the schema promises besides 200: a filter value that cannot be read is a 400 naming
# the parameter; an unknown id or slug, or a page past the last, is a 404.
BAD_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A filter value could not be read: {parameter: [why]}."
)
NOT_FOUND = OpenApiResponse(serializers.ProblemSerializer, description="No such item or page.")
LIST_ANSWERS = {400: BAD_FILTER, 404: NOT_FOUND}
DETAIL_ANSWERS = {404: NOT_FOUND}
# Addresses are slugs, as the HTML pages' <slug:...> converter reads them: anything else
# (a NUL byte, a dot) is not found before it reaches the database.
SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


def documented(serializer_for_list, serializer_for_detail, detail_extra=None):
    return extend_schema_view(
        list=extend_schema(responses={200: serializer_for_list(many=True), **LIST_ANSWERS}),
        retrieve=extend_schema(
            responses={200: serializer_for_detail, **DETAIL_ANSWERS, **(detail_extra or {})}
        ),
    )


class ArticleFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the bound filterset on the view: the pagination
    ranks by its search and orders by its ``sort``."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


@documented(serializers.ArticleSerializer, serializers.ArticleDetailSerializer)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Public articles. Filters are those of the search page (`q`, `actor`, `province`, …).

    The list counts every match exactly (the search page's counts, cached until the archive
    changes) and ranks a search by relevance among its newest matches, as the search page
    does.
    """

    filterset_class = ArticleFilter
    filter_backends = [ArticleFilterBackend]
    pagination_class = ArticlePagination

    def get_queryset(self):
        articles = Article.objects.public()
        if self.action == "list":
            # The pagination fetches one page of rows by id; mentions are added to those.
            return articles.for_listing()
        return exports.with_mentions(articles).with_related().defer("search_vector")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            prefetch_related_objects(page, *exports.mention_prefetches())
        return page

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleSerializer


@documented(
    serializers.ActorSerializer,
    serializers.ActorSerializer,
    {
        301: OpenApiResponse(
            description="The actor was merged into another: `Location` is the kept actor's URL."
        )
    },
)
class ActorViewSet(viewsets.ReadOnlyModelViewSet):
    """Confirmed actors, with their links to other actors in both directions."""

    serializer_class = serializers.ActorSerializer
    filterset_class = ActorFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def retrieve(self, request, *args, **kwargs):
        """A merged actor's address answers 301 with the kept actor's."""
        if merged := Actor.objects.merged().filter(slug=kwargs["slug"]).first():
            url = reverse("actor-detail", args=[merged.kept().slug], request=request)
            return HttpResponsePermanentRedirect(url)
        return super().retrieve(request, *args, **kwargs)

    def get_queryset(self):
        public_links = ActorLink.objects.public().select_related(
            "from_actor", "to_actor", "source_article"
        )
        return Actor.objects.public().prefetch_related(
            Prefetch("links_out", queryset=public_links),
            Prefetch("links_in", queryset=public_links),
        )


@documented(serializers.LocationSerializer, serializers.LocationSerializer)
class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    """The gazetteer's places (`inside=<slug>` for everything within one)."""

    serializer_class = serializers.LocationSerializer
    filterset_class = LocationFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    queryset = Location.objects.select_related("parent", "province", "country").order_by("path")
