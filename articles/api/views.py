"""Read-only API: the same FilterSets and QuerySets as the HTML pages and exports."""

from django.db.models import Prefetch, prefetch_related_objects
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from articles import exports
from articles.api import serializers
from articles.api.pagination import CappedArticlePagination
from articles.filters import ActorFilter, ArticleFilter, LocationFilter
from articles.models import Actor, ActorLink, ActorStatus, Article, Location


class ArticleFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the bound filterset on the view: the pagination
    ranks by its search and orders by its ``sort``."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Public articles. Filters are those of the search page (`q`, `actor`, `province`, …).

    The list counts matches up to a cap (`count_is_capped` says when more match) and ranks a
    search by relevance among its newest matches, as the search page does.
    """

    filterset_class = ArticleFilter
    filter_backends = [ArticleFilterBackend]
    pagination_class = CappedArticlePagination

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


class ActorViewSet(viewsets.ReadOnlyModelViewSet):
    """Confirmed actors, with their links to other actors in both directions."""

    serializer_class = serializers.ActorSerializer
    filterset_class = ActorFilter
    lookup_field = "slug"

    def get_queryset(self):
        public_links = ActorLink.objects.filter(
            from_actor__status=ActorStatus.CONFIRMED, to_actor__status=ActorStatus.CONFIRMED
        ).select_related("from_actor", "to_actor", "source_article")
        return Actor.objects.public().prefetch_related(
            Prefetch("links_out", queryset=public_links),
            Prefetch("links_in", queryset=public_links),
        )


class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    """The gazetteer's places (`inside=<slug>` for everything within one)."""

    serializer_class = serializers.LocationSerializer
    filterset_class = LocationFilter
    lookup_field = "slug"
    queryset = Location.objects.select_related("parent", "province", "country").order_by("path")
