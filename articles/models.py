"""The archive's data: sources, articles, the actors and places they name, and mentions.

Rules the database enforces (not only forms): one article per URL and per text
(``content_hash``), one mention row per (article, actor) and (article, location), every
location inside a country with provinces knows its province (``province`` is
denormalised so filtering by province is one indexed lookup), and the search vector is a
generated column, so it can never go stale.

All tagging goes through ``articles.ingest.save.save_article()`` and
``articles.services.retag_article()``; nothing else writes mentions.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.validators import URLValidator
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower, TruncMonth
from django.urls import reverse
from django.utils.text import slugify

from articles.ingest.gazetteer import ACTOR_KINDS, ACTOR_RELATIONS, LOCATION_KINDS

SEARCH_CONFIG = "english"
# Reading order of every list: newest first, undated last (the order of article_published_idx).
NEWEST_FIRST = [models.F("published_on").desc(nulls_last=True), "-id"]
# related_to(): the newest other articles read per actor or place, and the best kept.
RELATED_FANOUT = 200
RELATED_POOL = 50


def web_search_query(text: str) -> SearchQuery:
    """The reader's words in web-search syntax (quotes, ``or``, ``-``), as PostgreSQL reads
    them for the stored vector. websearch_to_tsquery never raises on punctuation."""
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


class Source(models.Model):
    """A news outlet. Articles from the same domain share one Source."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    domain = models.CharField(
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        help_text="Host name without www., e.g. middleeasteye.net. Empty for text-only sources.",
    )
    homepage = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            # One outlet, one row: "www.X" and "X" (or "x") would otherwise be two sources.
            models.CheckConstraint(
                condition=Q(domain__isnull=True)
                | (Q(domain=Lower("domain")) & ~Q(domain__startswith="www.") & ~Q(domain="")),
                name="source_domain_canonical",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('articles:list')}?source={self.slug}"


class ReviewStatus(models.TextChoices):
    AUTO = "auto", "Not reviewed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class ActorKind(models.TextChoices):
    ARMED_GROUP = "armed_group", ACTOR_KINDS["armed_group"]
    STATE_FORCE = "state_force", ACTOR_KINDS["state_force"]
    STATE = "state", ACTOR_KINDS["state"]
    POLITICAL_BODY = "political_body", ACTOR_KINDS["political_body"]
    INTERNATIONAL_ORG = "international_org", ACTOR_KINDS["international_org"]
    MONITOR_OR_MEDIA = "monitor_or_media", ACTOR_KINDS["monitor_or_media"]
    PERSON = "person", ACTOR_KINDS["person"]
    OTHER = "other", ACTOR_KINDS["other"]


class ActorStatus(models.TextChoices):
    CONFIRMED = "confirmed", "In the gazetteer"
    CANDIDATE = "candidate", "Candidate (found in an article, not yet reviewed)"
    REJECTED = "rejected", "Rejected candidate"


class ActorQuerySet(models.QuerySet):
    def public(self) -> ActorQuerySet:
        return self.filter(status=ActorStatus.CONFIRMED)

    def candidates(self) -> ActorQuerySet:
        return self.filter(status=ActorStatus.CANDIDATE)

    def with_article_counts(self) -> ActorQuerySet:
        """Annotate ``n_articles``: public articles visibly mentioning the actor (one GROUP BY)."""
        return self.annotate(
            n_articles=Count(
                "mentions",
                filter=~Q(mentions__review_status=ReviewStatus.REJECTED)
                & Q(mentions__article__is_hidden=False),
            )
        )


class Actor(models.Model):
    """An armed group, state, political body, organisation, monitor or person."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind.choices)
    aliases = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="Every other spelling the tagger should recognise, one per line. "
        "Short all-capital forms (UN, HTS) match only in capitals.",
    )
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=12, choices=ActorStatus.choices, default=ActorStatus.CONFIRMED
    )
    linked_actors = models.ManyToManyField(
        "self", through="ActorLink", symmetrical=False, related_name="linked_from", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "status"], name="actor_kind_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ActorStatus.values), name="actor_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:actor", args=[self.slug])

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class ActorLink(models.Model):
    """A directed relation: ``from_actor`` is ``relation`` ``to_actor``.

    "Jabhat Fateh al-Sham successor_of Nusra Front".
    """

    class Relation(models.TextChoices):
        AFFILIATED_WITH = "affiliated_with", ACTOR_RELATIONS["affiliated_with"]
        PART_OF = "part_of", ACTOR_RELATIONS["part_of"]
        SUCCESSOR_OF = "successor_of", ACTOR_RELATIONS["successor_of"]
        ALLIED_WITH = "allied_with", ACTOR_RELATIONS["allied_with"]
        LEADER_OF = "leader_of", ACTOR_RELATIONS["leader_of"]
        MEMBER_OF = "member_of", ACTOR_RELATIONS["member_of"]

    from_actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links_out")
    to_actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=20, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_actor", "to_actor", "relation"], name="actor_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_actor=models.F("to_actor")), name="actor_link_not_self"
            ),
            models.CheckConstraint(
                condition=Q(relation__in=list(ACTOR_RELATIONS)),
                name="actor_link_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_actor} {self.get_relation_display()} {self.to_actor}"


class LocationKind(models.TextChoices):
    COUNTRY = "country", LOCATION_KINDS["country"]
    GOVERNORATE = "governorate", LOCATION_KINDS["governorate"]
    DISTRICT = "district", LOCATION_KINDS["district"]
    SUBDISTRICT = "subdistrict", LOCATION_KINDS["subdistrict"]
    CITY = "city", LOCATION_KINDS["city"]
    TOWN = "town", LOCATION_KINDS["town"]
    VILLAGE = "village", LOCATION_KINDS["village"]
    REGION = "region", LOCATION_KINDS["region"]
    LANDFORM = "landform", LOCATION_KINDS["landform"]


class LocationQuerySet(models.QuerySet):
    def provinces(self) -> LocationQuerySet:
        return self.filter(kind=LocationKind.GOVERNORATE)

    def inside(self, location: Location) -> LocationQuerySet:
        """The location and every place below it in the tree (one indexed prefix match).

        The prefix ends with "/" so that "syria/hama" does not take in "syria/hama-plain".
        """
        return self.filter(Q(path=location.path) | Q(path__startswith=f"{location.path}/"))

    def with_article_counts(self) -> LocationQuerySet:
        """Annotate ``n_articles``: public articles visibly mentioning a place in this province.

        Only meaningful on provinces: it counts through ``LocationMention.province``.
        """
        mentions = (
            LocationMention.objects.visible()
            .filter(province=OuterRef("pk"), article__is_hidden=False)
            .order_by()
            .values("province")
            .annotate(n=Count("article", distinct=True))
            .values("n")
        )
        return self.annotate(n_articles=models.Subquery(mentions)).order_by("name")


class Location(models.Model):
    """A place in a tree: country > governorate > district > sub-district > town/village.

    ``province`` and ``country`` are stored on every row (the row itself for a
    governorate or country) so filtering by them never walks the tree; ``path`` is the
    chain of slugs from the country down, so "everything inside X" is a prefix match.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=LocationKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    province = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The governorate this place is in (set from the parent chain).",
    )
    country = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    path = models.CharField(max_length=1000, editable=False, db_index=False)
    name_ar = models.CharField("Arabic name", max_length=200, blank=True)
    aliases = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text="Transliterations and other names the tagger should recognise.",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    pcode = models.CharField("OCHA P-code / ISO code", max_length=20, blank=True)
    geonames_id = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind"], name="location_kind_idx"),
            models.Index(fields=["province"], name="location_province_idx"),
            models.Index(
                fields=["path"], name="location_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LocationKind.values), name="location_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="country") | Q(parent__isnull=True),
                name="location_country_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.place_in_tree()
        super().save(*args, **kwargs)
        # A governorate is its own province and a country its own country; that needs the pk.
        own = {}
        if self.kind == LocationKind.GOVERNORATE and self.province_id != self.pk:
            own["province"] = self
        if self.kind == LocationKind.COUNTRY and self.country_id != self.pk:
            own["country"] = self
        if own:
            Location.objects.filter(pk=self.pk).update(**own)
            for field, value in own.items():
                setattr(self, field, value)

    save.alters_data = True

    def get_absolute_url(self) -> str:
        return reverse("articles:place", args=[self.slug])

    def place_in_tree(self) -> None:
        """Derive path, province and country from the parent (which is already placed)."""
        parent = self.parent
        self.path = f"{parent.path}/{self.slug}" if parent else self.slug
        if parent is not None:
            if self.kind != LocationKind.GOVERNORATE:
                self.province_id = parent.province_id
            if self.kind != LocationKind.COUNTRY:
                self.country_id = parent.country_id

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases] + ([self.name_ar] if self.name_ar else [])

    def ancestors(self) -> list[Location]:
        """From the country down to the parent, in one query (the slugs are in ``path``)."""
        slugs = self.path.split("/")[:-1]
        by_slug = {loc.slug: loc for loc in Location.objects.filter(slug__in=slugs)}
        return [by_slug[slug] for slug in slugs if slug in by_slug]


class ArticleQuerySet(models.QuerySet):
    """Every reader-facing selection of articles; views, exports and the API share these."""

    def public(self) -> ArticleQuerySet:
        return self.filter(is_hidden=False)

    def with_related(self) -> ArticleQuerySet:
        return self.select_related("source", "primary_location", "primary_province")

    def for_listing(self) -> ArticleQuerySet:
        """What a result list shows: no body, no search vector (the snippet is fetched apart)."""
        return self.with_related().defer("body", "caption", "search_vector")

    def search(self, text: str) -> ArticleQuerySet:
        """Match web-search syntax against the stored vector; ``rank`` is aliased for ordering.

        websearch_to_tsquery never raises on punctuation, so any input is safe here (NUL
        bytes are refused earlier, by the form field). Blank text means no search.
        """
        text = (text or "").strip()
        if not text:
            return self
        query = web_search_query(text)
        return self.filter(search_vector=query).alias(
            rank=SearchRank(models.F("search_vector"), query)
        )

    def mentioning_actors(self, actors) -> ArticleQuerySet:
        """Articles visibly mentioning every one of ``actors`` (each one narrows)."""
        qs = self
        for actor in actors:
            qs = qs.filter(
                pk__in=ActorMention.objects.visible().filter(actor=actor).values("article_id")
            )
        return qs

    def mentioning_actor_kind(self, kind: str) -> ArticleQuerySet:
        """Articles visibly mentioning at least one public actor of this kind."""
        return self.filter(
            Exists(
                ActorMention.objects.visible().filter(
                    article=OuterRef("pk"), actor__kind=kind, actor__status=ActorStatus.CONFIRMED
                )
            )
        )

    def mentioning_provinces(self, provinces) -> ArticleQuerySet:
        """Articles visibly mentioning a place in every one of ``provinces``."""
        qs = self
        for province in provinces:
            qs = qs.filter(
                pk__in=LocationMention.objects.visible()
                .filter(province=province)
                .values("article_id")
            )
        return qs

    def mentioning_place(self, location: Location) -> ArticleQuerySet:
        """Articles visibly mentioning the place or anything inside it."""
        if location.kind == LocationKind.GOVERNORATE:
            return self.mentioning_provinces([location])  # the denormalised, indexed route
        inside = Location.objects.inside(location).values("pk")
        return self.filter(
            pk__in=LocationMention.objects.visible()
            .filter(location__in=inside)
            .values("article_id")
        )

    def ordered_by(self, sort: str, *, searching: bool) -> ArticleQuerySet:
        """``relevance`` (only with a search; else newest), ``newest`` or ``oldest``."""
        if sort == "oldest":
            return self.order_by(models.F("published_on").asc(nulls_last=True), "id")
        if searching and sort in ("", "relevance"):
            return self.order_by("-rank", *NEWEST_FIRST)
        return self.newest_first()

    def newest_first(self) -> ArticleQuerySet:
        """The order of ``article_published_idx``: the planner can walk it and stop early."""
        return self.order_by(*NEWEST_FIRST)

    def by_relevance(self, text: str) -> ArticleQuerySet:
        """Most relevant to ``text`` first (title words weigh most), then newest.

        ts_rank runs on every row of the set: narrow it first (search.ResultList ranks the
        newest matches of a page's search only).
        """
        query = web_search_query(text)
        return self.alias(rank=SearchRank(models.F("search_vector"), query)).order_by(
            "-rank", *NEWEST_FIRST
        )

    def per_month(self) -> list[tuple]:
        """``[(first day of month, n), ...]`` for dated articles, in one GROUP BY."""
        rows = (
            self.filter(published_on__isnull=False)
            .order_by()
            .annotate(month=TruncMonth("published_on"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .order_by("month")
        )
        return list(rows)

    def related_to(self, article: Article, limit: int = 5) -> list[Article]:
        """Public articles sharing the most actors and places with ``article``.

        One statement: for each of the article's actors and places (not countries, which
        nearly every article shares) the newest ``RELATED_FANOUT`` other mentions, read
        backwards off the (actor, article) / (location, article) indexes; grouped, the best
        ``RELATED_POOL`` are joined to the article table. Bounded work whatever the corpus
        size; the ORM cannot express LATERAL, hence the SQL. One more query fetches the
        winners.
        """
        sql = f"""
            WITH shared AS (
                SELECT other.article_id
                FROM {ActorMention._meta.db_table} AS mine
                CROSS JOIN LATERAL (
                    SELECT o.article_id FROM {ActorMention._meta.db_table} AS o
                    WHERE o.actor_id = mine.actor_id AND o.review_status <> %(rejected)s
                      AND o.article_id <> mine.article_id
                    ORDER BY o.article_id DESC LIMIT %(fanout)s
                ) AS other
                WHERE mine.article_id = %(article)s AND mine.review_status <> %(rejected)s
                UNION ALL
                SELECT other.article_id
                FROM {LocationMention._meta.db_table} AS mine
                JOIN {Location._meta.db_table} AS place
                  ON place.id = mine.location_id AND place.kind <> %(country)s
                CROSS JOIN LATERAL (
                    SELECT o.article_id FROM {LocationMention._meta.db_table} AS o
                    WHERE o.location_id = mine.location_id AND o.review_status <> %(rejected)s
                      AND o.article_id <> mine.article_id
                    ORDER BY o.article_id DESC LIMIT %(fanout)s
                ) AS other
                WHERE mine.article_id = %(article)s AND mine.review_status <> %(rejected)s
            ),
            best AS (
                SELECT article_id, count(*) AS n FROM shared
                GROUP BY article_id ORDER BY n DESC, article_id DESC LIMIT %(pool)s
            )
            SELECT best.article_id
            FROM best JOIN {Article._meta.db_table} AS a
              ON a.id = best.article_id AND NOT a.is_hidden
            ORDER BY best.n DESC, a.published_on DESC NULLS LAST, best.article_id DESC
            LIMIT %(limit)s
        """  # noqa: S608 -- only table names are interpolated; values are parameters
        params = {
            "article": article.pk,
            "rejected": ReviewStatus.REJECTED.value,
            "country": LocationKind.COUNTRY.value,
            "fanout": RELATED_FANOUT,
            "pool": RELATED_POOL,
            "limit": limit,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        return self.for_listing().in_order(ids)

    def in_order(self, ids: list[int]) -> list[Article]:
        """The articles with these ids, in the order of ``ids`` (one query by primary key;
        ids not in this queryset are left out)."""
        if not ids:
            return []
        by_id = self.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


class Article(models.Model):
    """One news report.

    ``content_hash`` (of the normalised title and body) keeps the same text from being
    stored twice even without a URL; ``search_vector`` is generated by PostgreSQL from
    title (A), standfirst (B) and body (C).
    """

    # db_index=False where a named composite index below starts with the column: Django's
    # automatic FK index would duplicate it, costing writes on every save and bulk load.
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="articles", db_index=False
    )
    url = models.URLField(
        max_length=2000,
        unique=True,
        null=True,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, allow_unicode=False)
    standfirst = models.TextField(blank=True)
    caption = models.TextField("image caption", blank=True)
    body = models.TextField()
    authors = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    ingested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    content_hash = models.CharField(max_length=64, unique=True)
    primary_location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        help_text="Where the reported events happen (from the dateline, headline and lead).",
    )
    primary_province = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    is_hidden = models.BooleanField(
        default=False, help_text="Hidden articles are kept for editors but never shown to readers."
    )
    actors = models.ManyToManyField(Actor, through="ActorMention", related_name="articles")
    locations = models.ManyToManyField(
        Location,
        through="LocationMention",
        through_fields=("article", "location"),
        related_name="articles",
    )
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
            + SearchVector("body", weight="C", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # The order of article_published_idx (NULLS LAST), so "newest N" walks the index
        # instead of sorting a million rows.
        ordering = NEWEST_FIRST
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_idx"),
            models.Index(
                models.F("published_on").desc(nulls_last=True),
                "id",
                name="article_published_idx",
            ),
            models.Index(fields=["source", "published_on"], name="article_source_date_idx"),
            models.Index(fields=["primary_province"], name="article_primary_province_idx"),
            models.Index(fields=["primary_location"], name="article_primary_location_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(
                condition=Q(content_hash__regex=r"^[0-9a-f]{64}$"), name="article_hash_sha256"
            ),
            # Exports and "Read the original" link to it: never javascript: or data:.
            models.CheckConstraint(
                condition=Q(url__isnull=True) | Q(url__regex=r"^https?://"),
                name="article_url_http",
            ),
            # Mention offsets count characters: one line-break convention (LF) for good.
            models.CheckConstraint(
                condition=~Q(title__contains="\r")
                & ~Q(standfirst__contains="\r")
                & ~Q(caption__contains="\r")
                & ~Q(body__contains="\r"),
                name="article_text_lf_only",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "article"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk, self.slug])


class MentionQuerySet(models.QuerySet):
    def visible(self) -> MentionQuerySet:
        """Mentions readers see: not rejected by an editor."""
        return self.exclude(review_status=ReviewStatus.REJECTED)

    def public(self) -> MentionQuerySet:
        """Visible mentions of public things in public articles (actor mentions: confirmed
        actors only). What every reader-facing page, export and API response shows."""
        qs = self.visible().filter(article__is_hidden=False)
        if self.model is ActorMention:
            qs = qs.filter(actor__status=ActorStatus.CONFIRMED)
        return qs

    def in_articles(self, articles) -> MentionQuerySet:
        """Visible mentions (of confirmed actors) within an already-public set of articles,
        which becomes a subquery: facets are then one GROUP BY over the filtered ids."""
        qs = self.visible().filter(article__in=articles.order_by().values("pk"))
        if self.model is ActorMention:
            qs = qs.filter(actor__status=ActorStatus.CONFIRMED)
        return qs


class TextField(models.TextChoices):
    TITLE = "title", "Title"
    STANDFIRST = "standfirst", "Standfirst"
    CAPTION = "caption", "Caption"
    BODY = "body", "Body"


class Mention(models.Model):
    """How an article names an actor or a place: how often, where first, in which sentence.

    ``spans`` holds every occurrence as ``[field, start, end]`` for highlighting.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    count = models.PositiveIntegerField(default=1)
    first_field = models.CharField(max_length=12, choices=TextField.choices, default="body")
    first_offset = models.PositiveIntegerField(default=0)
    sentence = models.TextField(blank=True)
    spans = models.JSONField(default=list, blank=True)
    review_status = models.CharField(
        max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.AUTO
    )

    objects = MentionQuerySet.as_manager()

    class Meta:
        abstract = True


class ActorMention(Mention):
    # Both foreign keys are leading columns of the named indexes in Meta.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="actor_mentions", db_index=False
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )

    class Meta:
        indexes = [models.Index(fields=["actor", "article"], name="actormention_actor_idx")]
        constraints = [
            models.UniqueConstraint(fields=["article", "actor"], name="actormention_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="actormention_count_positive"),
            models.CheckConstraint(
                condition=Q(review_status__in=ReviewStatus.values),
                name="actormention_review_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} in article {self.article_id}"


class LocationMention(Mention):
    # The foreign keys are leading columns of the named indexes in Meta.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="location_mentions", db_index=False
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    # Copied from location.province so "articles mentioning a place in Hama" is one index scan.
    province = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        indexes = [
            models.Index(fields=["location", "article"], name="locmention_location_idx"),
            models.Index(fields=["province", "article"], name="locmention_province_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "location"], name="locmention_unique"),
            models.CheckConstraint(condition=Q(count__gte=1), name="locmention_count_positive"),
            models.CheckConstraint(
                condition=Q(review_status__in=ReviewStatus.values),
                name="locmention_review_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} in article {self.article_id}"


class ArticleRevision(models.Model):
    """An article's text as it was before an ingest updated it (``record_revision``)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=500)
    standfirst = models.TextField(blank=True)
    caption = models.TextField(blank=True)
    body = models.TextField()
    saved_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["-saved_at", "-id"]
        indexes = [models.Index(fields=["article", "saved_at"], name="articlerevision_article_idx")]

    def __str__(self) -> str:
        return f"{self.title} (before {self.reason})"


class PendingImport(models.Model):
    """A document an editor previewed in the admin's import, kept until it is saved.

    The upload stays on the server (in the database, so any web process can finish the
    import) instead of travelling back in the form, where anything over Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) was refused and the import lost. The token is
    also kept in the editor's session: another editor's token opens nothing.
    """

    token = models.CharField(max_length=64, unique=True)
    editor = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    input_name = models.CharField(max_length=500)
    content = models.BinaryField()
    content_type = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="pendingimport_created_idx")]

    def __str__(self) -> str:
        return f"{self.input_name} ({len(self.content):,} bytes)"
