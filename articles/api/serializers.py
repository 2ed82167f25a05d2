"""Read-only representations for analysts: slugs as identifiers, mentions already filtered."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.ingest.provenance import PROVENANCE_FIELDS, spans_json
from articles.models import Actor, ActorMention, Article, Location, LocationMention


def optional_slug() -> serializers.SlugRelatedField:
    """The slug of a related row that may be absent (``null`` in the answer and the schema)."""
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)


class ProblemSerializer(serializers.Serializer):
    """A 404 (or any refusal without field errors): what went wrong, in words."""

    detail = serializers.CharField()


class LocationSummarySerializer(serializers.ModelSerializer):
    province = optional_slug()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Location
        fields = ["slug", "name", "kind", "province", "web_url"]

    def get_web_url(self, location) -> str:
        return self.context["request"].build_absolute_uri(location.get_absolute_url())


class LocationSerializer(LocationSummarySerializer):
    parent = optional_slug()
    country = optional_slug()

    class Meta:
        model = Location
        fields = [
            "slug",
            "name",
            "name_ar",
            "kind",
            "parent",
            "province",
            "country",
            "path",
            "aliases",
            "latitude",
            "longitude",
            "pcode",
            "geonames_id",
            "web_url",
        ]


class ActorSummarySerializer(serializers.ModelSerializer):
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "web_url"]

    def get_web_url(self, actor) -> str:
        return self.context["request"].build_absolute_uri(actor.get_absolute_url())


class ActorLinkSerializer(serializers.Serializer):
    relation = serializers.CharField()
    direction = serializers.ChoiceField(choices=["outgoing", "incoming"])
    actor = serializers.SlugField()
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    source = serializers.URLField(
        allow_blank=True, help_text="The archived article or the page that documents the link."
    )


class ActorSerializer(ActorSummarySerializer):
    links = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "aliases", "description", "source", "links", "web_url"]

    @extend_schema_field(ActorLinkSerializer(many=True))
    def get_links(self, actor) -> list[dict]:
        """Both directions: ``outgoing`` reads "this actor <relation> actor", with the dates
        the link holds and its source."""
        return [self._link(link, "outgoing", link.to_actor) for link in actor.links_out.all()] + [
            self._link(link, "incoming", link.from_actor) for link in actor.links_in.all()
        ]

    def _link(self, link, direction: str, other) -> dict:
        source = link.source_url
        if link.source_article_id:
            source = self.context["request"].build_absolute_uri(
                link.source_article.get_absolute_url()
            )
        return {
            "relation": link.relation,
            "direction": direction,
            "actor": other.slug,
            "valid_from": link.valid_from,
            "valid_until": link.valid_until,
            "source": source,
        }


class ArticleSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True)
    primary_location = optional_slug()
    primary_province = optional_slug()
    story = serializers.IntegerField(
        source="story_id",
        read_only=True,
        allow_null=True,
        help_text="The story: reports of the same events share it (null until grouped).",
    )
    actors = serializers.SerializerMethodField()
    places = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "web_url",
            "source",
            "source_name",
            "published_on",
            "title",
            "standfirst",
            "authors",
            "primary_location",
            "primary_province",
            "story",
            "actors",
            "places",
        ]

    def get_web_url(self, article) -> str:
        return self.context["request"].build_absolute_uri(article.get_absolute_url())

    def get_actors(self, article) -> list[str]:
        """Slugs of the confirmed actors the article visibly mentions."""
        return [mention.actor.slug for mention in article.public_actor_mentions]

    def get_places(self, article) -> list[str]:
        """Slugs of the places the article visibly mentions."""
        return [mention.location.slug for mention in article.public_location_mentions]


class SpanSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["title", "standfirst", "caption", "body"])
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=0)


class _MentionProvenanceSerializer(serializers.ModelSerializer):
    """Where a tag came from: the same keys as ``ingest --dry-run --json``."""

    spans = serializers.SerializerMethodField()

    @extend_schema_field(SpanSerializer(many=True))
    def get_spans(self, mention) -> list[dict]:
        return spans_json(mention.spans)


class ActorMentionSerializer(_MentionProvenanceSerializer):
    slug = serializers.CharField(source="actor.slug")
    name = serializers.CharField(source="actor.name")
    kind = serializers.CharField(source="actor.kind")
    aliases = serializers.ListField(source="actor.aliases", child=serializers.CharField())
    role = serializers.CharField(allow_blank=True)

    class Meta:
        model = ActorMention
        fields = ["slug", "name", "kind", "count", "role", "confidence", *PROVENANCE_FIELDS]


class PlaceMentionSerializer(_MentionProvenanceSerializer):
    slug = serializers.CharField(source="location.slug")
    name = serializers.CharField(source="location.name")
    kind = serializers.CharField(source="location.kind")
    province = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    aliases = serializers.ListField(source="location.aliases", child=serializers.CharField())

    class Meta:
        model = LocationMention
        fields = ["slug", "name", "kind", "province", "count", *PROVENANCE_FIELDS]


class ArticleDetailSerializer(ArticleSerializer):
    actor_mentions = ActorMentionSerializer(
        source="public_actor_mentions", many=True, read_only=True
    )
    place_mentions = PlaceMentionSerializer(
        source="public_location_mentions", many=True, read_only=True
    )

    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "caption",
            "body",
            "language",
            "actor_mentions",
            "place_mentions",
        ]
