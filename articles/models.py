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

import datetime

from anyascii import anyascii
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core.validators import URLValidator
from django.db import connections, models, transaction
from django.db.models import Case, Count, Exists, Func, OuterRef, Q, Value, When
from django.db.models.functions import Lower, Now, TruncMonth
from django.urls import reverse
from django.utils.text import slugify

from articles import generation, search_query, vocabulary
from articles.ingest.arabic import LETTER_FOLDS, MARKS_PATTERN

SEARCH_CONFIG = search_query.ENGLISH_CONFIG
RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "fa", "ur", "he"})


def latin_slug(text: str, fallback: str) -> str:
    """A URL slug in Latin letters: Arabic (and any script) transliterated, so an Arabic
    title gives "ghrt-rwsyh-la-ryf-dlb" rather than the fallback."""
    return slugify(anyascii(text))[:200].strip("-") or fallback


# Reading order of every list: newest first, undated last (the order of article_published_idx).
NEWEST_FIRST = [models.F("published_on").desc(nulls_last=True), "-id"]
# related_to(): the newest other articles read per actor or place, and the best kept.
RELATED_FANOUT = 200
RELATED_POOL = 50
# The article's own places its page links to (for_reading()).
PLACES_SHOWN = ("primary_location", "primary_province")
# What related_to() reads of each related article: a link with its language and date.
RELATED_FIELDS = frozenset({"id", "slug", "title", "language", "published_on", "source_id"})
# Generations of predecessors and successors followed from one actor.
MAX_LINEAGE = 30


def web_search_query(text: str) -> SearchQuery:
    """The reader's words in web-search syntax (quotes, ``or``, ``-``), with the other
    spellings of the names they hold, as PostgreSQL reads them for the stored vector
    (``articles.search_query``). websearch_to_tsquery never raises on punctuation."""
    return search_query.read(text).query


class ArabicFold(Func):
    """``articles.ingest.arabic.fold`` in SQL, character for character: the marks removed,
    the letter variants translated. Both functions are immutable, so the generated search
    column can use them."""

    function = "translate"
    output_field = models.TextField()

    def __init__(self, expression) -> None:
        without_marks = Func(
            expression,
            Value(MARKS_PATTERN),
            Value(""),
            Value("g"),
            function="regexp_replace",
            output_field=models.TextField(),
        )
        super().__init__(
            without_marks, Value("".join(LETTER_FOLDS)), Value("".join(LETTER_FOLDS.values()))
        )


def _searchable(config: str) -> SearchVector:
    """Title (A), standfirst (B) and body (C) in one configuration. Arabic text is indexed
    both as written and folded: the stemmer strips a clitic before a hamza alef (وإدلب ->
    ادلب) that it keeps once folded (وادلب), while folding makes حماة/حماه, الحسكة/الحسكه
    and بصرى/بصري the same word."""
    vector = None
    for column, weight in (("title", "A"), ("standfirst", "B"), ("body", "C")):
        sources = [models.F(column)]
        if config == search_query.ARABIC_CONFIG:
            sources.append(ArabicFold(column))
        for source in sources:
            part = SearchVector(source, weight=weight, config=config)
            vector = part if vector is None else vector + part
    return vector


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


# The vocabularies are owned by articles.vocabulary (Django-free); these are their
# TextChoices, under the names the rest of the project imports.
ReviewStatus = models.TextChoices(
    "ReviewStatus", vocabulary.choices(vocabulary.ReviewStatus, vocabulary.REVIEW_STATUSES)
)
ActorKind = models.TextChoices(
    "ActorKind", vocabulary.choices(vocabulary.ActorKind, vocabulary.ACTOR_KINDS)
)
ActorStatus = models.TextChoices(
    "ActorStatus", vocabulary.choices(vocabulary.ActorStatus, vocabulary.ACTOR_STATUSES)
)
ActorRelation = models.TextChoices(
    "ActorRelation", vocabulary.choices(vocabulary.ActorRelation, vocabulary.ACTOR_RELATIONS)
)
LocationKind = models.TextChoices(
    "LocationKind", vocabulary.choices(vocabulary.LocationKind, vocabulary.LOCATION_KINDS)
)
TextField = models.TextChoices(
    "TextField", vocabulary.choices(vocabulary.TextField, vocabulary.TEXT_FIELDS)
)
EditorialAction = models.TextChoices(
    "EditorialAction",
    vocabulary.choices(vocabulary.EditorialAction, vocabulary.EDITORIAL_ACTIONS),
)
PersonRole = models.TextChoices(
    "PersonRole", vocabulary.choices(vocabulary.PersonRole, vocabulary.PERSON_ROLES)
)


# The reader-visibility rules, each stated once. ``prefix`` reaches the same rule through
# a relation ("article__", "mentions__article__"); the querysets below are named uses.


def actor_is_public(prefix: str = "") -> Q:
    """Readers see confirmed actors only: never candidates, rejected or merged ones."""
    return Q(**{f"{prefix}status": ActorStatus.CONFIRMED})


def article_is_public(prefix: str = "") -> Q:
    """Readers never see an article an editor has hidden."""
    return Q(**{f"{prefix}is_hidden": False})


def mention_is_visible(prefix: str = "") -> Q:
    """Readers see every tag an editor has not rejected."""
    return ~Q(**{f"{prefix}review_status": ReviewStatus.REJECTED})


class ActorQuerySet(models.QuerySet):
    def public(self) -> ActorQuerySet:
        return self.filter(actor_is_public())

    def candidates(self) -> ActorQuerySet:
        return self.filter(status=ActorStatus.CANDIDATE)

    def merged(self) -> ActorQuerySet:
        """Actors folded into another by an editor: their URLs redirect to the kept one."""
        return self.filter(status=ActorStatus.MERGED)


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
    source = models.CharField(
        max_length=300, blank=True, help_text='Where the entry comes from, e.g. "Wikipedia: …".'
    )
    status = models.CharField(
        max_length=12, choices=ActorStatus.choices, default=ActorStatus.CONFIRMED
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        editable=False,
        help_text="The actor an editor merged this one into; its URL redirects there.",
    )
    probable_actor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For a candidate: the known actor its name most resembles (fuzzy match).",
    )
    probable_score = models.FloatField(
        null=True, blank=True, help_text="How close the name is to the probable actor's (0-1)."
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
            # A merged actor always says where it went, and only a merged one does.
            models.CheckConstraint(
                condition=(Q(status=ActorStatus.MERGED) & Q(merged_into__isnull=False))
                | (~Q(status=ActorStatus.MERGED) & Q(merged_into__isnull=True)),
                name="actor_merged_into_iff_merged",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="actor_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(probable_score__isnull=True)
                | Q(probable_score__gte=0, probable_score__lte=1),
                name="actor_probable_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:actor", args=[self.slug])

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def kept(self) -> Actor:
        """This actor, or the one it was (perhaps in turn) merged into."""
        actor, seen = self, set()
        while actor.merged_into_id is not None and actor.pk not in seen:
            seen.add(actor.pk)
            actor = actor.merged_into
        return actor

    def lineage(self) -> list[Actor]:
        """The actor, its predecessors and its successors (``successor_of`` links followed
        both ways), public ones only, oldest first. One query per generation."""
        found, frontier = {self.pk}, {self.pk}
        while frontier and len(found) < MAX_LINEAGE:
            pairs = ActorLink.objects.filter(relation=ActorLink.Relation.SUCCESSOR_OF).filter(
                Q(from_actor__in=frontier) | Q(to_actor__in=frontier)
            )
            frontier = {pk for pair in pairs.values_list("from_actor", "to_actor") for pk in pair}
            frontier -= found
            found |= frontier
        links = ActorLink.objects.filter(
            relation=ActorLink.Relation.SUCCESSOR_OF, from_actor__in=found, to_actor__in=found
        )
        began = dict(links.exclude(valid_from=None).values_list("from_actor", "valid_from"))
        actors = Actor.objects.public().filter(pk__in=found)
        return sorted(
            actors, key=lambda actor: (began.get(actor.pk) or datetime.date.min, actor.name)
        )

    def dated_links(self, lineage: list[Actor]):
        """Links of ``lineage``'s actors with a date or a source, oldest first: the
        successions, and memberships such as "Nusra Front part of the Islamic State of Iraq,
        2012-2013" (the other actor need not be in the lineage)."""
        ids = [actor.pk for actor in lineage] or [self.pk]
        return (
            ActorLink.objects.public()
            .filter(Q(from_actor__in=ids) | Q(to_actor__in=ids))
            .filter(Q(valid_from__isnull=False) | Q(valid_until__isnull=False))
            .select_related("from_actor", "to_actor", "source_article")
            .order_by(models.F("valid_from").asc(nulls_last=True), "id")
        )


class ActorLinkQuerySet(models.QuerySet):
    def public(self) -> ActorLinkQuerySet:
        """Links readers see: between two public actors."""
        return self.filter(actor_is_public("from_actor__") & actor_is_public("to_actor__"))


class ActorLink(models.Model):
    """A directed relation: ``from_actor`` is ``relation`` ``to_actor``.

    "Jabhat Fateh al-Sham successor_of Nusra Front".
    """

    Relation = ActorRelation

    from_actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links_out")
    to_actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    valid_from = models.DateField(
        "from", null=True, blank=True, help_text="The day the link began, when known."
    )
    valid_until = models.DateField(
        "until", null=True, blank=True, help_text="The day it ended; empty while it holds."
    )
    source_article = models.ForeignKey(
        "Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An archived article that reports the link.",
    )
    source_url = models.URLField(
        "source URL", max_length=2000, blank=True, help_text="Or a page that documents it."
    )

    objects = ActorLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="actor_link_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["from_actor", "to_actor", "relation"], name="actor_link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_actor=models.F("to_actor")), name="actor_link_not_self"
            ),
            models.CheckConstraint(
                condition=Q(relation__in=ActorRelation.values),
                name="actor_link_relation_valid",
            ),
        ]

    def __str__(self) -> str:
        dates = ""
        if self.valid_from:
            dates = f", from {self.valid_from:%Y-%m-%d}"
        if self.valid_until:
            dates += f" until {self.valid_until:%Y-%m-%d}"
        return f"{self.from_actor} {self.get_relation_display()} {self.to_actor}{dates}"


class LocationQuerySet(models.QuerySet):
    def provinces(self) -> LocationQuerySet:
        return self.filter(kind=LocationKind.GOVERNORATE)

    def inside(self, location: Location) -> LocationQuerySet:
        """The location and every place below it in the tree (one indexed prefix match).

        The prefix ends with "/" so that "syria/hama" does not take in "syria/hama-plain".
        """
        return self.filter(Q(path=location.path) | Q(path__startswith=f"{location.path}/"))


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
    needs_context = models.BooleanField(
        "tagged only with support",
        default=False,
        help_text=(
            "Tagged only when the article supports it (a locative cue, its district or "
            "province, or a neighbour named): set on villages whose names are also words."
        ),
    )

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

    def move_to(self, parent: Location | None) -> None:
        """Put the place under ``parent`` (or at the top), and bring everything copied from
        the tree up to date: the path, province and country of the place and of every place
        inside it, the province on their mentions and the primary province of articles
        happening there. One transaction; also right after a slug change."""
        if parent is not None and (parent.pk == self.pk or parent.path.startswith(f"{self.path}/")):
            raise ValueError(f"{self.name} cannot be moved inside itself (under {parent.name})")
        with transaction.atomic():
            # Mentions' provinces change by bulk update, which no signal sees.
            generation.bump_on_commit()
            old_path = (
                Location.objects.filter(pk=self.pk).values_list("path", flat=True).first()
                if self.pk
                else None
            )
            self.parent = parent
            self.save()
            subtree = Location.objects.filter(pk=self.pk)
            if old_path is not None:
                below = Location.objects.filter(path__startswith=f"{old_path}/")
                placed = {self.pk: self}
                changed = []
                # Parents before children: a shorter path is nearer the top.
                for place in sorted(below, key=lambda place: place.path.count("/")):
                    place.parent = placed.get(place.parent_id, place.parent)
                    place.place_in_tree()
                    if place.kind == LocationKind.GOVERNORATE:
                        place.province_id = place.pk
                    placed[place.pk] = place
                    changed.append(place)
                Location.objects.bulk_update(changed, ["path", "province", "country"], 1000)
                subtree = Location.objects.inside(self)
            province_of = Location.objects.filter(pk=OuterRef("location_id")).values("province")
            LocationMention.objects.filter(location__in=subtree.values("pk")).update(
                province=models.Subquery(province_of[:1])
            )
            # Their articles are now inside other places: recounted at commit.
            from articles import aggregates

            aggregates.recount(
                LocationMention.objects.filter(location__in=subtree.values("pk")).values(
                    "article_id"
                )
            )
            Article.objects.filter(primary_location__in=subtree.values("pk")).update(
                primary_province=models.Subquery(
                    Location.objects.filter(pk=OuterRef("primary_location_id")).values("province")[
                        :1
                    ]
                )
            )

    move_to.alters_data = True

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


class StoryQuerySet(models.QuerySet):
    def with_report_counts(self) -> StoryQuerySet:
        """Annotate ``n_reports``: the story's public articles."""
        return self.annotate(
            n_reports=Count("articles", filter=Q(articles__is_hidden=False), distinct=True)
        )


class Story(models.Model):
    """Reports of the same events from different outlets (grouped by ``articles.stories``).

    ``title`` is its first report's; ``first_published`` and ``last_published`` span its
    reports' dates.
    """

    title = models.CharField(max_length=500)
    first_published = models.DateField(null=True, blank=True)
    last_published = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = [models.F("first_published").desc(nulls_last=True), "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_published__isnull=True)
                | Q(last_published__gte=models.F("first_published")),
                name="story_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleQuerySet(models.QuerySet):
    """Every reader-facing selection of articles; views, exports and the API share these."""

    def public(self) -> ArticleQuerySet:
        return self.filter(article_is_public())

    def with_related(self) -> ArticleQuerySet:
        return self.select_related("source", "primary_location", "primary_province")

    def for_listing(self) -> ArticleQuerySet:
        """What a result list shows: no body, no search vector (the snippet is fetched apart)."""
        return self.with_related().defer("body", "caption", "search_vector")

    def for_reading(self) -> ArticleQuerySet:
        """What an article's own page shows: its text, its source and where it happened by
        name (other columns, such as the search vector or a place's aliases, load on access)."""
        return self.with_related().only(
            *("source", "url", "title", "slug", "standfirst", "caption", "body", "authors"),
            *("published_on", "language", "story", "primary_location", "primary_province"),
            *(f"{place}__{name}" for place in PLACES_SHOWN for name in ("name", "slug")),
            "source__name",
        )

    def search(self, text: str) -> ArticleQuerySet:
        """Match web-search syntax against the stored vector; ``rank`` is aliased for ordering.

        websearch_to_tsquery never raises on punctuation, so any input is safe here (NUL
        bytes are refused earlier, by the form field). Blank text means no search.
        """
        text = (text or "").strip()
        if not text:
            return self
        reading = search_query.read(text)
        query = reading.query
        if not reading.expanded:
            return self.filter(search_vector=query).alias(
                rank=SearchRank(models.F("search_vector"), query)
            )
        condition = Q()
        for clause in reading.clauses:
            either = Q()
            for term in clause:
                found = Q(pk__in=self._matching(term))
                either |= ~found if term.negated else found
            condition &= either
        return self.filter(condition).alias(rank=SearchRank(models.F("search_vector"), query))

    @staticmethod
    def _matching(term) -> models.QuerySet:
        """Ids of the articles a term finds: its words, UNION each of its names, UNION the
        articles visibly tagged with the entities it names. One SELECT per name, not one
        OR: the planner then looks each up in the GIN index, where the OR of a dozen names
        was estimated common enough to test every row's vector (30x slower at 10,000)."""
        ids, *names = [
            Article.objects.filter(search_vector=alternative).order_by().values("pk")
            for alternative in term.alternatives
        ]
        actors = [e.slug for e in term.entities if e.kind == "actor"]
        places = [e.slug for e in term.entities if e.kind == "location"]
        tagged = names
        if actors:
            tagged.append(
                ActorMention.objects.visible().filter(actor__slug__in=actors).values("article_id")
            )
        if places:
            tagged.append(
                LocationMention.objects.visible()
                .filter(location__slug__in=places)
                .values("article_id")
            )
        return ids.union(*tagged) if tagged else ids

    def mentioning_actors(self, actors) -> ArticleQuerySet:
        """Articles visibly mentioning every one of ``actors`` (each one narrows)."""
        qs = self
        for actor in actors:
            qs = qs.filter(
                pk__in=ActorMention.objects.visible().filter(actor=actor).values("article_id")
            )
        return qs

    def mentioning_any_actor(self, actors) -> ArticleQuerySet:
        """Articles visibly mentioning at least one of ``actors`` (an actor's lineage)."""
        return self.filter(
            pk__in=ActorMention.objects.visible().filter(actor__in=actors).values("article_id")
        )

    def mentioning_actor_kind(self, kind: str) -> ArticleQuerySet:
        """Articles visibly mentioning at least one public actor of this kind."""
        return self.filter(
            Exists(ActorMention.objects.shown().filter(article=OuterRef("pk"), actor__kind=kind))
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
        """Articles of this queryset sharing the most actors and places with ``article``.

        One statement: for each of the article's actors and places (not countries, which
        nearly every article shares) the newest ``RELATED_FANOUT`` other visible mentions,
        read backwards off the (actor, article) / (location, article) indexes alone (they
        carry review_status); grouped, the best ``RELATED_POOL`` are joined to the article
        and source tables and kept when in this queryset (its own SQL, so public() stays
        the rule). Bounded work whatever the corpus size; the ORM cannot express LATERAL,
        hence the SQL. Each article comes with what a list of links shows (``RELATED_FIELDS``
        and its source's name and slug); other fields load on access.
        """
        members, member_params = self.order_by().values("pk").query.sql_with_params()
        # from_db() takes the values in the model's field order.
        fields = [f for f in Article._meta.concrete_fields if f.attname in RELATED_FIELDS]
        columns = ", ".join(f"a.{field.column}" for field in fields)
        sql = f"""
            WITH shared AS (
                SELECT other.article_id
                FROM {ActorMention._meta.db_table} AS mine
                CROSS JOIN LATERAL (
                    SELECT o.article_id FROM {ActorMention._meta.db_table} AS o
                    WHERE o.actor_id = mine.actor_id AND o.review_status <> %s
                      AND o.article_id <> mine.article_id
                    ORDER BY o.article_id DESC LIMIT %s
                ) AS other
                WHERE mine.article_id = %s AND mine.review_status <> %s
                UNION ALL
                SELECT other.article_id
                FROM {LocationMention._meta.db_table} AS mine
                JOIN {Location._meta.db_table} AS place
                  ON place.id = mine.location_id AND place.kind <> %s
                CROSS JOIN LATERAL (
                    SELECT o.article_id FROM {LocationMention._meta.db_table} AS o
                    WHERE o.location_id = mine.location_id AND o.review_status <> %s
                      AND o.article_id <> mine.article_id
                    ORDER BY o.article_id DESC LIMIT %s
                ) AS other
                WHERE mine.article_id = %s AND mine.review_status <> %s
            ),
            best AS (
                SELECT article_id, count(*) AS n FROM shared
                GROUP BY article_id ORDER BY n DESC, article_id DESC LIMIT %s
            )
            SELECT {columns}, s.name, s.slug
            FROM best
            JOIN {Article._meta.db_table} AS a ON a.id = best.article_id
            JOIN {Source._meta.db_table} AS s ON s.id = a.source_id
            WHERE a.id IN ({members})
            ORDER BY best.n DESC, a.published_on DESC NULLS LAST, best.article_id DESC
            LIMIT %s
        """  # noqa: S608 -- table names and the queryset's own compiled SQL; values are parameters
        rejected, fanout = ReviewStatus.REJECTED.value, RELATED_FANOUT
        params = [
            *(rejected, fanout, article.pk, rejected),
            *(LocationKind.COUNTRY.value, rejected, fanout, article.pk, rejected),
            RELATED_POOL,
            *member_params,
            limit,
        ]
        # On this queryset's database: a replica's page must not take its ids from the primary.
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        related = []
        for *values, source_name, source_slug in rows:
            other = Article.from_db(self.db, [field.attname for field in fields], values)
            other.source = Source.from_db(
                self.db, ("id", "name", "slug"), (other.source_id, source_name, source_slug)
            )
            related.append(other)
        return related

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
    story = models.ForeignKey(
        Story,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        db_index=False,
        help_text="The reports of the same events from other outlets.",
    )
    story_pinned = models.BooleanField(
        "story set by an editor",
        default=False,
        help_text="An editor split or merged this article's story: grouping never moves it.",
    )
    actors = models.ManyToManyField(Actor, through="ActorMention", related_name="articles")
    locations = models.ManyToManyField(
        Location,
        through="LocationMention",
        through_fields=("article", "location"),
        related_name="articles",
    )
    # Each row in the configuration of its language (search_query.LANGUAGE_CONFIGS).
    search_vector = models.GeneratedField(
        expression=Case(
            *(
                When(language=language, then=_searchable(config))
                for language, config in search_query.LANGUAGE_CONFIGS.items()
            ),
            default=_searchable(SEARCH_CONFIG),
            output_field=SearchVectorField(),
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
            models.Index(fields=["story"], name="article_story_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(
                condition=Q(content_hash__regex=r"^[0-9a-f]{64}$"), name="article_hash_sha256"
            ),
            # The search column picks its configuration by this code, compared as is.
            models.CheckConstraint(
                condition=Q(language__regex=r"^[a-z]{2,3}$"), name="article_language_iso639"
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
            self.slug = latin_slug(self.title, "article")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk, self.slug])

    @property
    def direction(self) -> str:
        """The writing direction of the article's own text, for ``dir=`` in templates."""
        return "rtl" if self.language in RIGHT_TO_LEFT_LANGUAGES else "ltr"


class MentionQuerySet(models.QuerySet):
    def visible(self) -> MentionQuerySet:
        """Tags not rejected by an editor (whatever they point at)."""
        return self.filter(mention_is_visible())

    def shown(self) -> MentionQuerySet:
        """Visible tags of things readers may see (actor tags: public actors only): what a
        public article's page shows."""
        qs = self.visible()
        if self.model is ActorMention:
            qs = qs.filter(actor_is_public("actor__"))
        return qs

    def for_readers(self) -> MentionQuerySet:
        """Shown tags in public articles: what every reader-facing page, export and API
        response may show, whichever article it starts from."""
        return self.shown().filter(article_is_public("article__"))

    # The name the reading room used first.
    public = for_readers

    def on_page_of(self, article: Article) -> MentionQuerySet:
        """The article's tags as its page lists and highlights them: most often named first,
        then by name, each with its spans and what it links to (name, slug; an actor's kind,
        a place's province name). The sentence and the rest load on access."""
        if self.model is ActorMention:
            return (
                self.filter(article=article)
                .select_related("actor")
                .only("spans", "actor__name", "actor__slug", "actor__kind")
                .order_by("-count", "actor__name")
            )
        return (
            self.filter(article=article)
            .select_related("location", "province")
            .only("spans", "location__name", "location__slug", "province__name")
            .order_by("-count", "location__name")
        )

    def in_articles(self, articles) -> MentionQuerySet:
        """Shown tags within an already-public set of articles, which becomes a subquery:
        facets are then one GROUP BY over the filtered ids."""
        return self.shown().filter(article__in=articles.order_by().values("pk"))


class Mention(models.Model):
    """How an article names an actor or a place: how often, where first, in which sentence.

    ``spans`` holds every occurrence as ``[field, start, end]`` for highlighting,
    ``written`` the distinct forms the article uses, and ``extractor`` the tagger version
    that wrote the row (``articles.ingest.tag.EXTRACTOR``), so a re-tag shows.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    count = models.PositiveIntegerField(default=1)
    first_field = models.CharField(max_length=12, choices=TextField.choices, default="body")
    first_offset = models.PositiveIntegerField(default=0)
    sentence = models.TextField(blank=True)
    spans = models.JSONField(default=list, blank=True)
    written = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    extractor = models.CharField(max_length=40, blank=True)
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
    role = models.CharField(
        max_length=12,
        choices=PersonRole.choices,
        blank=True,
        help_text="For a person: the role the article gives them.",
    )
    confidence = models.FloatField(
        default=1.0, help_text="1 for an exact spelling; lower when matched fuzzily."
    )

    class Meta:
        # review_status rides in the index (as in LocationMention's): "visible mentions of
        # this actor" (mention_is_visible) is then read off the index alone, never the table.
        indexes = [
            models.Index(
                fields=["actor", "article"],
                include=["review_status"],
                name="actormention_actor_idx",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=PersonRole.values),
                name="actormention_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1),
                name="actormention_confidence_range",
            ),
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
            # With review_status, as ActorMention's: visible mentions read off the index alone.
            models.Index(
                fields=["location", "article"],
                include=["review_status"],
                name="locmention_location_idx",
            ),
            models.Index(
                fields=["province", "article"],
                include=["review_status"],
                name="locmention_province_idx",
            ),
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


class EditorialChangeQuerySet(models.QuerySet):
    def concerning(self, obj: Article | Actor | Location) -> EditorialChangeQuerySet:
        """Entries about this article, actor or place (one GIN-indexed containment test)."""
        field = {Article: "article_ids", Actor: "actor_ids", Location: "place_ids"}[type(obj)]
        return self.filter(**{f"{field}__contains": [obj.pk]})

    def for_readers(self) -> EditorialChangeQuerySet:
        """The public corrections log: what changed and when. Readers are shown the summary
        and the date; who made the change and the reason they gave stay on the editors'
        record."""
        return self.select_related("revision", "undone_by__revision").order_by(
            "-revision__date_created", "-pk"
        )


class EditorialChange(models.Model):
    """One editorial action on the record, attached to its django-reversion ``Revision``.

    The revision holds who (``user``), when (``date_created``), the reason the editor gave
    (``comment``) and, as versions, each touched row as it was *before* the action, which
    is what an undo puts back. ``created`` lists the rows the action added, which an undo
    removes. ``undoes`` makes "undone twice" impossible in the database.
    """

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="change"
    )
    action = models.CharField(max_length=20, choices=EditorialAction.choices)
    summary = models.CharField(
        max_length=500, help_text="What changed, in words readers see on corrections logs."
    )
    article_ids = ArrayField(models.IntegerField(), default=list, blank=True)
    actor_ids = ArrayField(models.IntegerField(), default=list, blank=True)
    place_ids = ArrayField(models.IntegerField(), default=list, blank=True)
    created = models.JSONField(
        default=list, blank=True, help_text='Rows the action added: [["app.model", pk], ...].'
    )
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )

    objects = EditorialChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "change on the record"
        verbose_name_plural = "editorial record"
        indexes = [
            GinIndex(fields=["article_ids"], name="change_article_ids_idx"),
            GinIndex(fields=["actor_ids"], name="change_actor_ids_idx"),
            GinIndex(fields=["place_ids"], name="change_place_ids_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=EditorialAction.values), name="change_action_valid"
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="change_summary_not_empty"),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def when(self):
        return self.revision.date_created

    @property
    def can_be_undone(self) -> bool:
        return self.action not in vocabulary.NOT_UNDOABLE and not hasattr(self, "undone_by")


class StoryFingerprint(models.Model):
    """What story grouping compares of one article (``articles.ingest.story_match``)."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="story_fingerprint"
    )
    day = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    minhash = ArrayField(models.BigIntegerField())
    entities = ArrayField(models.CharField(max_length=210), default=list, blank=True)
    figures = ArrayField(models.CharField(max_length=40), default=list, blank=True)

    def __str__(self) -> str:
        return f"fingerprint of article {self.article_id}"


class StoryBucket(models.Model):
    """One LSH band key of an article: articles sharing a (band, bucket) within the date
    window are its candidates. Looked up by the index, newest first, a capped number per key."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    band = models.SmallIntegerField()
    bucket = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["band", "bucket", "day"], name="storybucket_lookup_idx"),
            models.Index(fields=["article"], name="storybucket_article_idx"),
        ]

    def __str__(self) -> str:
        return f"band {self.band} bucket {self.bucket}: article {self.article_id}"


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


class SearchIndexState(models.Model):
    """The one row naming the current build of the search index (``articles.search_index``).

    ``token`` is written into the build's directory too: an index whose token is not this
    one (built for another database, or an older build) is never read. It is empty while
    the first build runs: the row exists from the start of that build so that the change
    triggers record what happens during it. ``version`` grows with every build and every
    applied batch of changes, so each process knows when to reload its reader.
    """

    token = models.CharField(max_length=32, blank=True)
    version = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"search index {self.token or '(building)'} v{self.version}"


class SearchIndexChange(models.Model):
    """An article whose indexed form may have changed since the index last saw it: filled by
    statement-level triggers on articles and their mentions (migration 0012), emptied by
    ``search_index.sync()``. Not a foreign key: a deleted article's change is recorded too."""

    article_id = models.BigIntegerField()
    recorded_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"article {self.article_id} changed at {self.recorded_at}"


class EntityKind(models.TextChoices):
    ACTOR = "actor"
    PLACE = "place"
    SOURCE = "source"


class EntityFacet(models.TextChoices):
    TOTAL = "total"
    MONTH = "month"
    ACTOR = "actor"
    PROVINCE = "province"
    SOURCE = "source"


class EntityFigure(models.Model):
    """A figure an entity page reads instead of counting: how many public articles visibly
    naming the entity fall under one facet value. ``kind`` and ``entity_id`` name the actor,
    place (anything inside it counts) or source; ``facet`` and ``key`` say what is counted:
    ``total`` (key 0), ``month`` (key YYYYMM), ``actor`` (co-mentioned actor id),
    ``province`` (province id) or ``source`` (source id).

    Kept right by PostgreSQL itself (migration 0013: statement-level triggers on articles
    and mentions apply each article's change as a delta, in the writer's transaction);
    ``manage.py rebuild_aggregates`` recounts them from scratch (``articles.aggregates``).
    A row whose count fell to 0 stays until the next rebuild: readers skip it.
    """

    kind = models.CharField(max_length=8, choices=EntityKind.choices)
    entity_id = models.BigIntegerField()
    facet = models.CharField(max_length=8, choices=EntityFacet.choices)
    key = models.BigIntegerField()
    n = models.BigIntegerField()

    class Meta:
        constraints = [
            # Also the index every read walks: one entity's facets, or one facet of a kind
            # (the index pages' totals).
            models.UniqueConstraint(
                fields=["kind", "facet", "entity_id", "key"], name="entityfigure_unique"
            ),
            models.CheckConstraint(condition=Q(n__gte=0), name="entityfigure_n_not_negative"),
            models.CheckConstraint(
                condition=Q(kind__in=EntityKind.values), name="entityfigure_kind"
            ),
            models.CheckConstraint(
                condition=Q(facet__in=EntityFacet.values), name="entityfigure_facet"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.entity_id} {self.facet} {self.key}: {self.n}"


class CountedArticle(models.Model):
    """What one article adds to the entity figures as they stand: its month (YYYYMM, 0 when
    undated), its source and the actors, places and provinces it visibly names (sorted ids).
    ``counted`` is false for a hidden article (it adds nothing). The triggers subtract this
    row's contribution and add the article's new one, so any change of an article or its
    tags, in any order or number of statements, moves the figures exactly; locking this row
    serialises two writers of one article. Not a foreign key: a deleted article's row is
    read (to subtract it) and then removed by the triggers."""

    article_id = models.BigIntegerField(primary_key=True)
    counted = models.BooleanField(default=False)
    month = models.IntegerField(default=0)
    source_id = models.BigIntegerField(null=True, blank=True)
    actors = ArrayField(models.BigIntegerField(), default=list, blank=True)
    places = ArrayField(models.BigIntegerField(), default=list, blank=True)
    provinces = ArrayField(models.BigIntegerField(), default=list, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=0),
                name="countedarticle_month_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} ({'counted' if self.counted else 'not counted'})"


class AggregateState(models.Model):
    """One row once the entity figures are complete (built on an empty archive by migration
    0013, or by ``rebuild_aggregates``): until then pages count as before."""

    built_at = models.DateTimeField(db_default=Now())

    def __str__(self) -> str:
        return f"entity figures built at {self.built_at}"


class AggregatePending(models.Model):
    """An article whose entity figures must be recounted when its transaction commits:
    queued by the triggers of migration 0013 and taken off by the deferred trigger that
    applies them, so a committed transaction leaves no row behind."""

    xid = models.BigIntegerField()
    article_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["xid", "article_id"], name="aggregatepending_unique")
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} in transaction {self.xid}"
