"""Read-only API: the same FilterSets and QuerySets as the HTML pages and exports."""

from django.db.models import Prefetch
from rest_framework import viewsets

from articles import exports
from articles.api import serializers
from articles.filters import ActorFilter, ArticleFilter, LocationFilter
from articles.models import Actor, ActorLink, ActorStatus, Article, Location


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """Public articles. Filters are those of the search page (`q`, `actor`, `province`, …)."""

    filterset_class = ArticleFilter

    def get_queryset(self):
        articles = exports.with_mentions(Article.objects.public()).select_related(
            "primary_province"
        )
        if self.action == "list":
            articles = articles.defer("body", "caption", "search_vector")
        else:
            articles = articles.defer("search_vector")
        return articles

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
        ).select_related("from_actor", "to_actor")
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
