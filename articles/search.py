"""Search snippets, facet counts and the reading order over a filtered set of articles.

Every figure a reader sees is exact; none is counted from a sample. A page runs one
statement over the newest ``ARCHIVE_FACET_SAMPLE + 1`` matches (``summary``): for a set no
larger than that it gives the exact count, facets and timeline at once. For a larger set it
gives the newest ids and a count up to ``ARCHIVE_COUNT_CAP`` only, and the page waits for
``exact_summary``, the same statement over every match, which its counts page computes on
request and the cache keeps until the archive changes (``exact_figures``). Relevance ranks
the newest ``RANK_CANDIDATES`` matches only, and snippets are computed for one page of ids.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, Count, Func, Q, TextField, Value, When
from django.db.models.functions import NullIf, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import generation, maps, search_query
from articles.ingest.arabic import fold_char
from articles.models import (
    SEARCH_CONFIG,
    Actor,
    ActorKind,
    ActorMention,
    ActorStatus,
    ArabicFold,
    Article,
    ArticleQuerySet,
    Location,
    LocationKind,
    LocationMention,
    ReviewStatus,
    Source,
    web_search_query,
)
from articles.search_query import ARABIC_CONFIG, LANGUAGE_CONFIGS, text_query

# ts_rank runs over at most this many of the newest matches; a title match (weight A) among
# them comes first. Older matches follow them by date.
RANK_CANDIDATES = 1000
TOP_ACTORS = 20

# Private-use characters: PostgreSQL puts them around matched words, Python turns them into
# <mark> after escaping everything else. They are removed from the text first, so an
# article cannot smuggle in a marker of its own.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
# Between the standfirst and the body in a snippet, and between its fragments.
SNIPPET_SEPARATOR = " … "
# Between fragments as PostgreSQL returns them (private use, like the markers), so that
# they can be told from the standfirst/body separator.
FRAGMENT_BREAK = "\ue002"
# Languages indexed over folded text (see ArabicFold), highlighted the same way.
FOLDED_LANGUAGES = [
    language for language, config in LANGUAGE_CONFIGS.items() if config == ARABIC_CONFIG
]
# Matched words shorter than this are fragments of a longer name ("al" of "al-Sham", which
# PostgreSQL's parser makes a word of its own): not highlighted when the search has longer
# words, unless the reader typed them as words of their own.
MIN_HIGHLIGHT_LENGTH = 3
# Search syntax and punctuation around a typed word: quotes, the minus of an exclusion.
PUNCTUATION = "\"“”'\u2018\u2019-()"
MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")


class ConcatWS(Func):
    """``concat_ws(separator, ...)``: joins the non-NULL arguments."""

    function = "CONCAT_WS"
    output_field = TextField()


def snippets(article_ids: list[int], text: str) -> dict[int, str]:
    """``{article id: snippet}`` with matched words between MARK_START/MARK_STOP markers.

    A separate query over one page of ids, so ts_headline never runs over the whole set.
    Each article is highlighted in the configuration of its language. An Arabic article is
    highlighted over its folded text (so حماه marks حماة, which the stemmer alone does not
    make one word with it) and the marks are moved back onto the original letters.
    """
    if not article_ids or not (text or "").strip():
        return {}
    query = web_search_query(text)
    for form in written_forms(article_ids, text):
        query |= text_query(form, search_type="phrase")
    # NULLIF: an article without a standfirst starts with its body, not with a separator.
    document = ConcatWS(
        Value(SNIPPET_SEPARATOR), NullIf("standfirst", Value("")), NullIf("body", Value(""))
    )
    for marker in (MARK_START, MARK_STOP, FRAGMENT_BREAK):
        document = Replace(document, Value(marker), Value(""))
    folded = Q(language__in=FOLDED_LANGUAGES)
    rows = (
        Article.objects.filter(pk__in=article_ids)
        .order_by()
        .annotate(
            snippet=SearchHeadline(
                Case(
                    When(folded, then=ArabicFold(document)),
                    default=document,
                    output_field=TextField(),
                ),
                query,
                config=Case(
                    *(
                        When(language=language, then=Value(config))
                        for language, config in LANGUAGE_CONFIGS.items()
                    ),
                    default=Value(SEARCH_CONFIG),
                    output_field=TextField(),
                ),
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
                fragment_delimiter=FRAGMENT_BREAK,
            ),
            original=Case(When(folded, then=document), default=Value(""), output_field=TextField()),
        )
        .values_list("pk", "snippet", "original")
    )
    found = {}
    for pk, snippet, original in rows:
        fragments = (snippet or "").split(FRAGMENT_BREAK)
        if original:
            fragments = [unfold_fragment(fragment, original) for fragment in fragments]
        found[pk] = unmark_fragments(SNIPPET_SEPARATOR.join(fragments), text)
    return found


def written_forms(article_ids: list[int], text: str) -> set[str]:
    """How these articles spell the entities the search names, read off their tags'
    spans: an article found through its tag for "Nusra Front" highlights "Jabhat
    al-Nussra" although no name in the gazetteer is written that way."""
    reading = search_query.read(text)
    entities = [
        e for clause in reading.clauses for t in clause if not t.negated for e in t.entities
    ]
    if not entities:
        return set()
    tagged = [
        ActorMention.objects.visible().filter(
            actor__slug__in=[e.slug for e in entities if e.kind == "actor"]
        ),
        LocationMention.objects.visible().filter(
            location__slug__in=[e.slug for e in entities if e.kind == "location"]
        ),
    ]
    fields = ("article__title", "article__standfirst", "article__body", "spans")
    rows = (
        tagged[0]
        .filter(article_id__in=article_ids)
        .values_list(*fields)
        .union(tagged[1].filter(article_id__in=article_ids).values_list(*fields), all=True)
    )
    forms = set()
    for title, standfirst, body, spans in rows:
        texts = {"title": title, "standfirst": standfirst, "body": body}
        for field_name, start, end in spans or ():
            if field_name in texts:
                forms.add(texts[field_name][start:end])
    return {form for form in forms if form.strip()}


def unfold_fragment(fragment: str, original: str) -> str:
    """A headline fragment of the folded text, in the original letters with its marks.

    Folding maps each character to at most one (``fold_char``), so every folded character
    knows the original one it came from; marks go before the original of the first marked
    character and after the last one (with the diacritics it carries).
    """
    origin = [i for i, char in enumerate(original) if fold_char(char)]
    folded = "".join(fold_char(char) for char in original)
    plain = fragment.replace(MARK_START, "").replace(MARK_STOP, "")
    at = folded.find(plain)
    if not plain or at < 0:
        return fragment

    def original_offset(position: int) -> int:
        return origin[position] if position < len(origin) else len(original)

    pieces = []
    cursor = original_offset(at)
    position = at
    for char in fragment:
        if char in (MARK_START, MARK_STOP):
            offset = original_offset(position)
            pieces += [original[cursor:offset], char]
            cursor = offset
        else:
            position += 1
    pieces.append(original[cursor : original_offset(position)])
    return "".join(pieces)


def unmark_fragments(snippet: str, text: str) -> str:
    """Drop the markers around matched words shorter than MIN_HIGHLIGHT_LENGTH, when the
    search has a longer word: "Hayat Tahrir al-Sham" highlights neither the "al" of
    "al-Assad" nor its own. A short word the reader typed by itself ("UN aid") stays."""
    words = text.split()
    if all(len(word.strip(PUNCTUATION)) < MIN_HIGHLIGHT_LENGTH for word in words):
        return snippet
    typed = {word.strip(PUNCTUATION).casefold() for word in words}

    def keep(match: re.Match) -> str:
        word = match.group(1)
        if len(word) >= MIN_HIGHLIGHT_LENGTH or word.casefold() in typed:
            return match.group(0)
        return word

    return MARKED.sub(keep, snippet)


# A search holding any of these is shown as typed, without quotes of our own around it.
QUOTE_MARKS = '"“”„«»'


def quoted(search_text: str) -> str:
    """A search as the reader typed it, once: “chlorine”, but "Islamic State" as it is (never
    “"Islamic State"”)."""
    text = (search_text or "").strip()
    return text if any(mark in text for mark in QUOTE_MARKS) else f"“{text}”"


def highlight(snippet: str) -> SafeString:
    """Escape the snippet, then let through only our own markers, as <mark>."""
    escaped = escape(snippet or "")
    return mark_safe(  # noqa: S308 -- everything was escaped; only our markers become tags
        escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    )


@dataclass
class FacetValue:
    param: str
    value: str
    label: str
    count: int
    kind: str = ""


@dataclass
class ActorKindGroup:
    kind: str
    label: str
    actors: list[FacetValue] = field(default_factory=list)


@dataclass
class Facets:
    actors: list[ActorKindGroup]
    provinces: list[FacetValue]
    sources: list[FacetValue]
    years: list[FacetValue]


def top_actors(articles: ArticleQuerySet, limit: int = 20, exclude_pk=None) -> list[FacetValue]:
    """The actors named in the most of ``articles``, one GROUP BY query."""
    mentions = ActorMention.objects.in_articles(articles)
    if exclude_pk is not None:
        mentions = mentions.exclude(actor_id=exclude_pk)
    rows = (
        mentions.order_by()
        .values("actor__slug", "actor__name", "actor__kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "actor__name")[:limit]
    )
    return [
        FacetValue("actor", row["actor__slug"], row["actor__name"], row["n"], row["actor__kind"])
        for row in rows
    ]


def group_by_kind(values: list[FacetValue]) -> list[ActorKindGroup]:
    order = {kind: i for i, kind in enumerate(ActorKind.values)}
    ordered = sorted(values, key=lambda v: (order.get(v.kind, 99), -v.count, v.label))
    labels = dict(ActorKind.choices)
    return [
        ActorKindGroup(kind, labels.get(kind, kind), list(items))
        for kind, items in groupby(ordered, key=lambda v: v.kind)
    ]


def top_provinces(articles: ArticleQuerySet, limit: int | None = None) -> list[FacetValue]:
    """Provinces by number of ``articles`` mentioning a place in them, one GROUP BY query."""
    rows = (
        LocationMention.objects.in_articles(articles)
        .filter(province__isnull=False)
        .order_by()
        .values("province__slug", "province__name")
        .annotate(n=Count("article", distinct=True))
        .order_by("-n", "province__name")
    )
    if limit:
        rows = rows[:limit]
    return [
        FacetValue("province", row["province__slug"], row["province__name"], row["n"])
        for row in rows
    ]


@dataclass
class Summary:
    """How many articles match and the counts shown beside them, from one statement.

    ``complete`` when the facets and ``months`` count every match (then ``total`` is exact
    too); otherwise they are empty, never a sample: the page waits for ``exact_summary``.
    ``total`` is exact unless ``capped`` (then more than ``total`` match). ``newest_ids``
    are the newest matches in reading order (at most ARCHIVE_FACET_SAMPLE + 1; none from
    ``exact_summary``): the page takes its rows and its ranking candidates from them.
    """

    total: int = 0
    capped: bool = False
    complete: bool = True
    facets: Facets = field(default_factory=lambda: Facets([], [], [], []))
    months: list[tuple[datetime.date, int]] = field(default_factory=list)
    newest_ids: list[int] = field(default_factory=list)


def capped_count(articles: ArticleQuerySet) -> tuple[int, bool]:
    """``(n, False)`` for at most ARCHIVE_COUNT_CAP articles, else ``(cap, True)``: the
    count stops at the first row past the cap instead of visiting every match."""
    cap = settings.ARCHIVE_COUNT_CAP
    n = articles.order_by().values("pk")[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)


def _count(result: Summary, articles: ArticleQuerySet) -> Summary:
    """Total and cap from the newest ids read: all of them (an exact count), or the
    statement's limit and one more, then the count goes on up to ARCHIVE_COUNT_CAP (past
    it, or with the cap below the limit, ``capped``: more than ``total`` match)."""
    size, cap = settings.ARCHIVE_FACET_SAMPLE, settings.ARCHIVE_COUNT_CAP
    found = len(result.newest_ids)
    result.complete = found <= size
    if result.complete:
        result.total, result.capped = found, False
    elif cap > size:
        result.total, result.capped = capped_count(articles)
    else:
        result.total, result.capped = size, True
    return result


def count_only(articles: ArticleQuerySet, exclude_actor_pk=None) -> Summary:
    """The capped count and the newest ids without facets or timeline (what the
    benchmark's bare result list times)."""
    ids = articles.newest_first().values_list("pk", flat=True)
    return _count(Summary(newest_ids=list(ids[: settings.ARCHIVE_FACET_SAMPLE + 1])), articles)


def summary(articles: ArticleQuerySet, exclude_actor_pk=None) -> Summary:
    """Count, facets (actors, provinces, sources, years), articles per month and the ids of
    the newest matches in ONE statement over the newest ``ARCHIVE_FACET_SAMPLE + 1``
    matches, materialised once.

    The extra row tells a complete set from a larger one. The planner walks the published
    index and stops once it has them, so a term in most articles costs the same as one in
    ten thousand. For a complete set the facets and months are exact; for a larger one the
    statement skips them (they would describe a sample) and ``complete`` is false: the
    exact figures are ``exact_summary``'s. ``exclude_actor_pk`` leaves the page's own actor
    out of the actor facet.
    """
    size = settings.ARCHIVE_FACET_SAMPLE
    hits = articles.newest_first().values("pk", "source_id", "published_on")[: size + 1]
    result = _summarise(articles, hits, exclude_actor_pk, facets_up_to=size, with_ids=True)
    return _count(result, articles)


def exact_summary(articles: ArticleQuerySet, exclude_actor_pk=None, *, wait=True):
    """``summary``'s count, facets and months over EVERY match: the same statement without
    the limit (and without the ids, which the page has from ``summary``).

    Cached under the archive generation (``articles.generation``), so the figures are
    counted once per change of the archive, shared by every web process, and right on the
    next request after an article is saved, hidden or re-tagged. With ``wait=False`` only
    the cache is read: None when they have not been counted yet.
    """
    hits = articles.order_by().values("pk", "source_id", "published_on")

    def count() -> Summary:
        return _summarise(articles, hits, exclude_actor_pk, facets_up_to=None, with_ids=False)

    return exact_figures("summary", hits, count, key=(exclude_actor_pk,), wait=wait)


# Exact figures are keyed by their generation, so old ones are never read again: this only
# lets the cache forget them.
EXACT_CACHE_SECONDS = 24 * 3600


def exact_figures(name: str, articles, count: Callable, *, key: tuple = (), wait: bool = True):
    """``count()``, cached under the archive generation and the SQL of ``articles`` (the
    filters as the database sees them, whichever page or API asked), so every page with
    the same filters shares one count. ``wait=False`` reads the cache only (None if absent).
    """
    sql, params = articles.query.sql_with_params()
    return generation_cached(name, count, key=(sql, params, key), wait=wait)


def generation_cached(name: str, count: Callable, *, key: tuple = (), wait: bool = True):
    """``count()``, cached under the archive generation, ``name`` and ``key``: counted once
    per change of the archive and shared by every process (the database cache).
    ``wait=False`` reads the cache only (None if absent)."""
    digest = hashlib.sha256(repr((name, key)).encode()).hexdigest()
    cache_key = f"exact:{generation.current()}:{digest}"
    if not wait:
        return cache.get(cache_key)
    return cache.get_or_set(cache_key, count, timeout=EXACT_CACHE_SECONDS)


def _summarise(
    articles: ArticleQuerySet,
    hits: ArticleQuerySet,
    exclude_actor_pk,
    *,
    facets_up_to: int | None,
    with_ids: bool,
) -> Summary:
    """The one statement behind ``summary`` and ``exact_summary``: total, sources, months,
    actors and provinces over ``hits`` (rows of id, source_id, published_on).

    Facets are counted only when ``hits`` holds at most ``facets_up_to`` rows (None: always);
    past that the condition is a one-time filter and PostgreSQL skips them. Mentions are
    read per counted article off the (article, ...) unique indexes (``OFFSET 0`` keeps the
    planner from hashing the whole mention table instead).
    """
    hits_sql, hits_params = hits.query.sql_with_params()
    rejected = ReviewStatus.REJECTED.value
    exclude = "AND m.actor_id <> %s" if exclude_actor_pk is not None else ""
    ids = (
        "array_agg(id ORDER BY published_on DESC NULLS LAST, id DESC)"
        if with_ids
        else "NULL::bigint[]"
    )
    counted = "SELECT * FROM hits"
    counted_params = []
    if facets_up_to is not None:
        counted += " WHERE (SELECT count(*) FROM hits) <= %s"
        counted_params.append(facets_up_to)
    sql = f"""
        WITH hits (id, source_id, published_on) AS MATERIALIZED ({hits_sql}),
        counted AS MATERIALIZED ({counted})
        SELECT 'total', NULL::text, NULL::text, NULL::text, count(*), {ids}
          FROM hits
        UNION ALL
        SELECT 'source', s.slug, s.name, NULL, count(*), NULL
          FROM counted h JOIN {Source._meta.db_table} s ON s.id = h.source_id
         GROUP BY s.slug, s.name
        UNION ALL
        SELECT 'month', to_char(h.published_on, 'YYYY-MM'), NULL, NULL, count(*), NULL
          FROM counted h WHERE h.published_on IS NOT NULL GROUP BY 2
        UNION ALL
        SELECT CASE WHEN a.status = %s THEN 'actor' ELSE 'unlisted' END,
               a.slug, a.name, a.kind, c.n, NULL
          FROM (SELECT m.actor_id, count(*) AS n
                  FROM counted h CROSS JOIN LATERAL (
                       SELECT m.actor_id FROM {ActorMention._meta.db_table} m
                        WHERE m.article_id = h.id AND m.review_status <> %s {exclude}
                       OFFSET 0) m
                 GROUP BY m.actor_id) c
          JOIN {Actor._meta.db_table} a ON a.id = c.actor_id
        UNION ALL
        SELECT 'province', p.slug, p.name, NULL, c.n, NULL
          FROM (SELECT m.province_id, count(DISTINCT h.id) AS n
                  FROM counted h CROSS JOIN LATERAL (
                       SELECT m.province_id FROM {LocationMention._meta.db_table} m
                        WHERE m.article_id = h.id AND m.review_status <> %s
                          AND m.province_id IS NOT NULL
                       OFFSET 0) m
                 GROUP BY m.province_id) c
          JOIN {Location._meta.db_table} p ON p.id = c.province_id
    """  # noqa: S608 -- table names and the queryset's own SQL; values are parameters
    params = [*hits_params, *counted_params, ActorStatus.CONFIRMED.value, rejected]
    if exclude_actor_pk is not None:
        params.append(exclude_actor_pk)
    params.append(rejected)
    # The queryset's database (a replica for readers): the count and facets must describe
    # the same rows the page lists.
    with connections[articles.db].cursor() as cursor:
        cursor.execute(sql, params)
        return summary_from_rows(cursor.fetchall())


def summary_from_rows(rows: list[tuple]) -> Summary:
    """A Summary from rows of ``(facet, key, label, kind, n, ids)``: 'total' (with the
    newest ids), 'source', 'month' ('YYYY-MM'), 'actor' (confirmed), 'unlisted' (other
    actors, left out) and 'province'. ``_summarise``'s statement and the search index
    (``search_index.tally``) both give them, so both shape their figures alike."""
    found = {"source": [], "month": [], "actor": [], "province": [], "unlisted": []}
    newest_ids, total = [], 0
    # Every actor named in the counted articles comes back: the status is checked in the
    # select list, not as a filter, so that a stale row estimate for the small actor table
    # never makes it the outer side of the join; the top 20 are kept here.
    for facet, key, label, kind, n, ids in sorted(rows, key=lambda row: (-row[4], row[2] or "")):
        if facet == "total":
            newest_ids, total = ids or [], n
        else:
            found[facet].append((key, label, kind, n))
    months = sorted(
        (datetime.date(int(key[:4]), int(key[5:7]), 1), n) for key, _, _, n in found["month"]
    )
    years: dict[int, int] = {}
    for month, n in months:
        years[month.year] = years.get(month.year, 0) + n
    by_count = lambda row: (-row[3], row[1])  # noqa: E731
    facets = Facets(
        actors=group_by_kind(
            [
                FacetValue("actor", key, label, n, kind)
                for key, label, kind, n in found["actor"][:TOP_ACTORS]
            ]
        ),
        provinces=[
            FacetValue("province", key, label, n)
            for key, label, _, n in sorted(found["province"], key=by_count)
        ],
        sources=[
            FacetValue("source", key, label, n)
            for key, label, _, n in sorted(found["source"], key=by_count)
        ],
        years=[
            FacetValue("year", str(year), str(year), n) for year, n in sorted(years.items())[::-1]
        ],
    )
    return Summary(total=total, facets=facets, months=months, newest_ids=newest_ids)


class ResultList:
    """The filtered articles in reading order, sliced by the paginator.

    Newest first takes the rows' ids from ``newest_ids`` (read by ``summary`` anyway) and
    fetches them by primary key; oldest first is the queryset's own order. Relevance ranks
    the newest ``RANK_CANDIDATES`` matches by ts_rank (all of them when there are fewer;
    the newest ids ``summary`` read when it read fewer) and lists the older matches after
    them by date, so no page visits every match of a broad term. Without ``newest_ids``
    (the figures came from the maintained aggregates) each page is read by its own query.
    """

    def __init__(
        self,
        articles: ArticleQuerySet,
        newest_ids: list[int] | None,
        *,
        order: str,
        rank_text: str = "",
    ) -> None:
        self.articles = articles
        self.newest_ids = newest_ids
        self.order = order
        self.rank_text = rank_text if order == "relevance" else ""

    def __getitem__(self, index: slice) -> list[Article]:
        if not isinstance(index, slice):
            raise TypeError("ResultList takes slices only")
        start, stop = index.start or 0, index.stop
        if self.order == "oldest":
            return list(self.articles[start:stop])
        if not self.rank_text:
            return self._newest(start, stop)
        rows = []
        candidates = (self.newest_ids or [])[:RANK_CANDIDATES]
        if start < len(candidates):
            ranked = Article.objects.filter(pk__in=candidates).by_relevance(self.rank_text)
            rows += ranked.for_listing()[start : min(stop, len(candidates))]
        if stop > len(candidates):  # the older matches, by date
            rows += self._newest(max(start, len(candidates)), stop)
        return rows

    def _newest(self, start: int, stop: int) -> list[Article]:
        if self.newest_ids is None:  # figures read elsewhere: the page is one LIMIT query
            return list(self.articles.newest_first()[start:stop])
        complete = len(self.newest_ids) <= settings.ARCHIVE_FACET_SAMPLE
        if not complete and stop > len(self.newest_ids):  # past what summary read
            return list(self.articles.newest_first()[start:stop])
        return Article.objects.for_listing().in_order(self.newest_ids[start:stop])


class CappedPaginator(Paginator):
    """A paginator told its count (from ``summary``) instead of running COUNT(*) itself.

    pretalx's LargeResultSetPaginator idea: past the cap the pages stop at the cap, and the
    page says there are more ("page 3 of more than 500").
    """

    def __init__(self, object_list, per_page: int, *, count: int, capped: bool = False) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count
        self.capped = capped

    @cached_property
    def count(self) -> int:
        return self._known_count


# Places drawn as dots on a province map: settlements, which have coordinates; admin
# units are drawn as shapes, and regions and landforms have only a representative point.
DOT_KINDS = (LocationKind.CITY, LocationKind.TOWN, LocationKind.VILLAGE)


@dataclass
class ProvinceCounts:
    """Within one province: matching articles per district (naming any place in it) and
    per place with coordinates, counted over the same articles as ``summary``'s facets."""

    districts: dict[str, int] = field(default_factory=dict)
    places: list[maps.PlacePoint] = field(default_factory=list)


def province_counts(
    counted: list[int] | ArticleQuerySet,
    province: Location,
    districts: set[str],
    district_at: Callable[[float, float], str | None],
) -> ProvinceCounts:
    """Counts inside ``province`` over the articles ``counted`` (the ids of a complete
    ``summary``, or a queryset of every match), from their visible mentions, in one query.

    A place counts to the district among ``districts`` (the slugs the map draws) that its
    path goes through, or else to the one ``district_at(latitude, longitude)`` finds around
    it: towns filed directly under their governorate, and places in a district the map has
    no shape for.
    """
    if not isinstance(counted, list):
        counted = counted.order_by().values("pk")
    rows = (
        LocationMention.objects.visible()
        .filter(article_id__in=counted, province=province)
        .order_by()
        .values_list(
            "article_id",
            "location__path",
            "location__slug",
            "location__name",
            "location__kind",
            "location__latitude",
            "location__longitude",
        )
    )
    depth = province.path.count("/") + 1  # where a district's slug sits in a path below
    by_district: dict[str, set[int]] = {}
    by_place: dict[str, set[int]] = {}
    points: dict[str, tuple] = {}
    located: dict[str, str | None] = {}
    for article_id, path, slug, name, kind, latitude, longitude in rows:
        parts = path.split("/")
        district = parts[depth] if len(parts) > depth and parts[depth] in districts else None
        has_point = latitude is not None and longitude is not None
        if district is None and has_point:
            if slug not in located:
                located[slug] = district_at(latitude, longitude)
            district = located[slug]
        if district is not None:
            by_district.setdefault(district, set()).add(article_id)
        if kind in DOT_KINDS and has_point:
            by_place.setdefault(slug, set()).add(article_id)
            points[slug] = (name, kind, latitude, longitude)
    return ProvinceCounts(
        districts={slug: len(ids) for slug, ids in by_district.items()},
        places=[
            maps.PlacePoint(slug, *points[slug], count=len(ids)) for slug, ids in by_place.items()
        ],
    )


def exact_province_counts(
    articles: ArticleQuerySet,
    province: Location,
    districts: set[str],
    district_at: Callable[[float, float], str | None],
    *,
    wait: bool = True,
) -> ProvinceCounts | None:
    """``province_counts`` over every match, cached like ``exact_summary`` (None with
    ``wait=False`` when not counted yet)."""
    return exact_figures(
        "province",
        articles.order_by().values("pk"),
        lambda: province_counts(articles, province, districts, district_at),
        key=(province.pk, sorted(districts)),
        wait=wait,
    )
