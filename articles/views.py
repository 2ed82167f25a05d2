"""The reading room: thin views over ArticleFilter, the QuerySets and the facet helpers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.core.cache import cache, caches
from django.core.paginator import Page
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatewords
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.cache import cache_page

from articles import charts, entity_counts, exports, feeds, generation, maps, search, stories
from articles.filters import ArticleFilter, SortOrder, lineage_requested
from articles.models import (
    Actor,
    ActorKind,
    ActorLink,
    ActorMention,
    Article,
    EditorialChange,
    Location,
    LocationMention,
    Source,
)
from articles.results import Scope, results
from articles.text import FIELDS, paragraphs, tags_by_field
from articles.text import render as render_text
from articles.vocabulary import ACTOR_RELATIONS, INVERSE_RELATIONS

PER_PAGE = 20
# Parameters the search form shows as inputs; the other filters ride along as hidden fields.
FORM_PARAMS = {"q", "sort", "page", "published_after", "published_before"}


@dataclass
class FilteredPage:
    """What every page of a filtered list's figures has: its filters, its summary and the
    filters' errors (which make the answer a 400)."""

    filterset: ArticleFilter
    summary: search.Summary
    errors: list[str]

    @property
    def facets(self) -> search.Facets:
        return self.summary.facets

    @property
    def status(self) -> int:
        return 400 if self.errors else 200


@dataclass
class Browse(FilteredPage):
    """A filtered, paginated list of articles with everything shown beside it.

    ``summary`` holds the page's figures, all exact: its count, facets and timeline when
    the set is small enough to count at once or its exact figures are cached. Otherwise
    ``counting_url`` is the counts page that counts every match, and the page shows a
    marked "Counting…" state linking to it where the figures go.
    """

    page: Page
    chart: charts.Timeline
    notices: list[str] = field(default_factory=list)
    hidden_params: list[tuple[str, str]] = field(default_factory=list)
    export_query: str = ""
    ranked_among: int | None = None  # relevance ranks only the newest this-many matches
    rows: list[Article] = field(default_factory=list)  # the page, one row per story
    counting_url: str = ""


def browse(
    request: HttpRequest,
    scope: Scope,
    *,
    counts_path: str,
    scope_params: dict | None = None,
    exclude_actor_pk=None,
) -> Browse:
    """Filter ``scope``'s articles by the query string. ``scope_params`` is the filter the
    scope stands for (an actor page's ``{"actor": slug}``), added to the export and
    timeline links;
    ``counts_path`` is the page's counts page (``counts``), which takes the same query.

    Queries: one for the count, facets, timeline and the newest matches' ids together
    (``search.summary``), one for the page (by primary key, or ranking the newest matches),
    one for its snippets, whatever the number of matches; past ARCHIVE_FACET_SAMPLE
    matches, one or two more reading the exact figures from the cache.
    """
    found = results(
        ArticleFilter(request.GET, queryset=scope.articles().for_listing()),
        exclude_actor_pk=exclude_actor_pk,
        scope=scope,
    )
    filterset, summary = found.filterset, found.summary
    counting_url = f"{counts_path}?{_counts_query(request)}" if found.counting else ""
    order = filterset.sort_order
    paginator = found.paginator(PER_PAGE)
    ranked = found.ranked_among
    notices = []
    requested = request.GET.get("page", "1")
    page = paginator.get_page(requested)
    if str(page.number) != requested.strip() and "page" in request.GET:
        notices.append(f"There is no page “{requested[:20]}”; showing page {page.number}.")
    found = search.snippets([article.pk for article in page], filterset.search_text)
    for article in page:
        article.snippet = found.get(article.pk, "")
    return Browse(
        rows=stories.collapse(page),
        filterset=filterset,
        page=page,
        summary=summary,
        chart=charts.timeline(summary.months),
        errors=filterset.error_messages(),
        notices=notices,
        export_query=_export_query(request, scope_params or {}),
        hidden_params=[
            (name, value)
            for name, values in request.GET.lists()
            if name not in FORM_PARAMS
            for value in values
            if value
        ],
        ranked_among=(
            ranked
            if order == SortOrder.RELEVANCE and (ranked < summary.total or summary.capped)
            else None
        ),
        counting_url=counting_url,
    )


@dataclass
class Counts(FilteredPage):
    """A counts page: the exact figures of a list (every match), with its filters."""

    chart: charts.Timeline
    export_query: str
    list_url: str


def counts(
    request: HttpRequest,
    scope: Scope,
    *,
    list_path: str,
    scope_params: dict | None = None,
    exclude_actor_pk=None,
) -> Counts:
    """The exact count, facets and timeline of the list at ``list_path`` with the same
    query, over every match (``search.exact_summary``: counted now unless cached)."""
    found = results(
        ArticleFilter(request.GET, queryset=scope.articles().for_listing()),
        exclude_actor_pk=exclude_actor_pk,
        scope=scope,
    )
    filterset, exact = found.filterset, found.exact()
    query = _counts_query(request)
    return Counts(
        filterset=filterset,
        summary=exact,
        chart=charts.timeline(exact.months),
        errors=filterset.error_messages(),
        export_query=_export_query(request, scope_params or {}),
        list_url=f"{list_path}?{query}" if query else list_path,
    )


def _counts_query(request: HttpRequest) -> str:
    """The query string without the page number, which changes no figure."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _export_query(request: HttpRequest, scope: dict) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in scope.items():
        if value not in query.getlist(name):
            query.appendlist(name, value)
    return query.urlencode()


def home(request: HttpRequest) -> HttpResponse:
    public = Article.objects.public()
    latest = public.aggregate(latest=Max("published_on"))["latest"]
    recent = public.none()
    since = None
    if latest:
        since = latest - datetime.timedelta(days=30)
        recent = public.filter(published_on__gt=since)
    totals = entity_counts.archive_totals()
    return render(
        request,
        "articles/home.html",
        {
            "newest": public.for_listing().newest_first()[:8],
            "latest": latest,
            "since": since,
            "top_actors": search.top_actors(recent, 10) if latest else [],
            "top_provinces": search.top_provinces(recent, 10) if latest else [],
            "totals": totals,
        },
    )


def article_list(request: HttpRequest) -> HttpResponse:
    results = browse(request, Scope(), counts_path=reverse("articles:list_counts"))
    return render(
        request, "articles/article_list.html", {"results": results}, status=results.status
    )


def article_list_counts(request: HttpRequest) -> HttpResponse:
    results = counts(request, Scope(), list_path=reverse("articles:list"))
    return render(
        request,
        "articles/counts.html",
        {"results": results, "subject": "the archive"},
        status=results.status,
    )


@dataclass(frozen=True)
class ArticlePage:
    """An article's page as rendered for one archive generation."""

    title: str
    description: str
    content: SafeString  # everything below the site header


def article_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The article, its tagged text and what sits beside it (its story's other reports,
    where it happened, its actors and places, related articles, corrections).

    All of it is the same for every reader and changes only with the archive, so it is
    rendered once per article and archive generation and kept in this process's ``pages``
    cache: an edit anywhere makes a new generation, and the next request renders again.
    Whether the article is public, and its slug, are read on every request, so a hidden
    article or a changed slug answers at once. Queries: two when cached (the generation,
    the article's slug); otherwise the generation, the article, its actor and place
    mentions, the related articles, the corrections count and, in a story, its other
    reports.
    """
    key = f"article:{pk}:{generation.current()}"
    page = caches["pages"].get(key)
    if page is None:
        article = get_object_or_404(Article.objects.public().for_reading(), pk=pk)
        current = article.slug
    else:
        current = Article.objects.public().filter(pk=pk).values_list("slug", flat=True).first()
        if current is None:
            raise Http404("No article matches the given query.")
    if slug != current:
        return redirect("articles:detail", pk, current, permanent=True)
    if page is None:
        page = ArticlePage(
            title=article.title,
            description=truncatewords(article.standfirst or article.title, 40),
            content=render_to_string("articles/article_content.html", _article_content(article)),
        )
        caches["pages"].set(key, page)
    return render(request, "articles/article_detail.html", {"page": page})


def _article_content(article: Article) -> dict:
    actor_mentions = list(ActorMention.objects.shown().on_page_of(article))
    location_mentions = list(LocationMention.objects.shown().on_page_of(article))
    tags = tags_by_field(
        [("actor", m.actor.get_absolute_url(), m.actor.name, m.spans) for m in actor_mentions]
        + [
            ("place", m.location.get_absolute_url(), m.location.name, m.spans)
            for m in location_mentions
        ]
    )
    actors = sorted((m.actor for m in actor_mentions), key=_kind_order)
    reports = stories.other_reports(article)
    return {
        "article": article,
        "text": {name: render_text(getattr(article, name), tags[name]) for name in FIELDS},
        "body": paragraphs(article.body, tags["body"]),
        "actor_groups": [
            (ActorKind(kind).label, list(group))
            for kind, group in groupby(actors, key=lambda actor: actor.kind)
        ],
        "places": [m.location for m in location_mentions],
        "location_mentions": location_mentions,
        "related": Article.objects.public().related_to(article),
        "corrections": corrections_count(article),
        "story_reports": reports,
        "story_outlets": len({r.source_id for r in reports} - {article.source_id}),
    }


def _kind_order(actor: Actor):
    return (ActorKind.values.index(actor.kind), actor.name)


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if merged := Actor.objects.merged().filter(slug=slug).first():
        return redirect(merged.kept(), permanent=True)
    actor = get_object_or_404(Actor.objects.public(), slug=slug)
    links = (
        ActorLink.objects.public()
        .filter(Q(from_actor=actor) | Q(to_actor=actor))
        .select_related("from_actor", "to_actor")
        .order_by("relation", "to_actor__name", "from_actor__name")
    )
    relations: dict[str, list[tuple[Actor, ActorLink]]] = {}
    for link in links:
        relation = link.relation
        if link.from_actor_id == actor.pk:
            label = ACTOR_RELATIONS.get(relation, link.relation).capitalize()
            relations.setdefault(label, []).append((link.to_actor, link))
        else:
            label = INVERSE_RELATIONS.get(relation, f"{link.relation} (of this actor)").capitalize()
            relations.setdefault(label, []).append((link.from_actor, link))
    lineage = actor.lineage()
    with_lineage = len(lineage) > 1 and lineage_requested(request.GET)
    results = browse(
        request,
        Scope(actors=tuple(lineage if with_lineage else [actor])),
        counts_path=reverse("articles:actor_counts", args=[actor.slug]),
        scope_params={"actor": actor.slug},
        exclude_actor_pk=actor.pk,
    )
    return render(
        request,
        "articles/actor_detail.html",
        {
            "actor": actor,
            "relations": sorted(relations.items()),
            "results": results,
            "corrections": corrections_count(actor),
            "lineage": lineage,
            "with_lineage": with_lineage,
            "lineage_others": [other.name for other in lineage if other.pk != actor.pk],
            "timeline": _lineage_timeline(actor, lineage),
        },
        status=results.status,
    )


def actor_counts(request: HttpRequest, slug: str) -> HttpResponse:
    if merged := Actor.objects.merged().filter(slug=slug).first():
        return redirect("articles:actor_counts", merged.kept().slug, permanent=True)
    actor = get_object_or_404(Actor.objects.public(), slug=slug)
    lineage = actor.lineage()
    with_lineage = len(lineage) > 1 and lineage_requested(request.GET)
    results = counts(
        request,
        Scope(actors=tuple(lineage if with_lineage else [actor])),
        list_path=actor.get_absolute_url(),
        scope_params={"actor": actor.slug},
        exclude_actor_pk=actor.pk,
    )
    return render(
        request,
        "articles/counts.html",
        {
            "results": results,
            "subject": actor.name,
            "actors_heading": "Named alongside",
            "provinces_heading": "Where it is mentioned",
        },
        status=results.status,
    )


def _lineage_timeline(actor: Actor, lineage: list[Actor]) -> dict | None:
    """The actor's names over time as bars under a chart of articles per month naming any of
    them, and every dated link of the lineage in date order. None for an actor with neither
    predecessors, successors nor dated links."""
    dated = list(actor.dated_links(lineage))
    if len(lineage) < 2 and not dated:
        return None
    successions = [link for link in dated if link.relation == ActorLink.Relation.SUCCESSOR_OF]
    began = {link.from_actor_id: link.valid_from for link in successions if link.valid_from}
    ended = {link.to_actor_id: link.valid_from for link in successions if link.valid_from}
    first = lineage[0].pk
    for link in dated:  # the first name of a succession began with its earliest dated link
        if len(lineage) > 1 and link.from_actor_id == first and link.valid_from:
            began.setdefault(first, link.valid_from)
    eras = [
        charts.Era(
            other.name,
            other.get_absolute_url(),
            began.get(other.pk),
            ended.get(other.pk),
            current=other.pk == actor.pk,
        )
        for other in lineage
    ]
    newest = Article.objects.aggregate(newest=Max("pk"))["newest"]
    months = cache.get_or_set(
        f"lineage-months:{actor.pk}:{newest}",
        lambda: Article.objects.public().mentioning_any_actor(lineage).per_month(),
        timeout=600,
    )
    return {"drawing": charts.lineage(eras, months), "links": dated}


def actor_index(request: HttpRequest) -> HttpResponse:
    counted = entity_counts.per_actor()
    actors = sorted(Actor.objects.public(), key=_kind_order)
    for actor in actors:
        actor.n_articles = counted.get(actor.pk, 0)
    groups = [
        (ActorKind(kind).label, list(group))
        for kind, group in groupby(actors, key=lambda actor: actor.kind)
    ]
    return render(request, "articles/actor_index.html", {"groups": groups, "total": len(actors)})


def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Location.objects.select_related("province", "parent"), slug=slug)
    results = browse(
        request,
        Scope(place=place),
        counts_path=reverse("articles:place_counts", args=[place.slug]),
        scope_params={"location": place.slug},
    )
    return render(
        request,
        "articles/place_detail.html",
        {
            "place": place,
            "ancestors": place.ancestors(),
            "children": place.children.order_by("kind", "name")[:300],
            "results": results,
            "corrections": corrections_count(place),
        },
        status=results.status,
    )


def place_counts(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Location, slug=slug)
    results = counts(
        request,
        Scope(place=place),
        list_path=place.get_absolute_url(),
        scope_params={"location": place.slug},
    )
    return render(
        request,
        "articles/counts.html",
        {
            "results": results,
            "subject": place.name,
            "actors_heading": "Actors most mentioned here",
        },
        status=results.status,
    )


def place_index(request: HttpRequest) -> HttpResponse:
    counted = entity_counts.per_province()
    provinces = list(Location.objects.provinces().select_related("country"))
    for province in provinces:
        province.n_articles = counted.get(province.pk, 0)
    countries = [
        (country, list(group))
        for country, group in groupby(
            sorted(provinces, key=lambda p: (p.country.name if p.country else "", p.name)),
            key=lambda p: p.country,
        )
    ]
    return render(request, "articles/place_index.html", {"countries": countries})


def source_index(request: HttpRequest) -> HttpResponse:
    counted = entity_counts.per_source()
    sources = list(Source.objects.order_by("name"))
    for source in sources:
        source.n_articles = counted.get(source.pk, 0)
    return render(request, "articles/source_index.html", {"sources": sources})


def _filtered_or_400(request: HttpRequest) -> tuple[ArticleFilter, HttpResponse | None]:
    filterset = ArticleFilter(request.GET, queryset=Scope().articles())
    if not filterset.is_valid():
        message = "The filters could not be used:\n" + "\n".join(filterset.error_messages())
        return filterset, HttpResponse(
            message, status=400, content_type="text/plain; charset=utf-8"
        )
    return filterset, None


def _download(stream, content_type: str, extension: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="articles-{stamp}.{extension}"'
    return response


def export_csv(request: HttpRequest) -> HttpResponse:
    filterset, problem = _filtered_or_400(request)
    if problem:
        return problem
    rows = exports.records(
        results(filterset).articles, base_url=request.build_absolute_uri("/")[:-1]
    )
    return _download(exports.csv_lines(rows), "text/csv; charset=utf-8", "csv")


def export_json(request: HttpRequest) -> HttpResponse:
    filterset, problem = _filtered_or_400(request)
    if problem:
        return problem
    rows = exports.records(
        results(filterset).articles, base_url=request.build_absolute_uri("/")[:-1]
    )
    return _download(exports.json_chunks(rows), "application/json", "json")


def timeline_csv(request: HttpRequest) -> HttpResponse:
    filterset, problem = _filtered_or_400(request)
    if problem:
        return problem
    # The page's own timeline: exact, and shared through the cache with the page.
    months = charts.fill_months(results(filterset, wait=True, scope=Scope()).summary.months)
    response = HttpResponse(exports.timeline_lines(months), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="articles-per-month.csv"'
    return response


def corrections_count(subject: Article | Actor | Location) -> int:
    return EditorialChange.objects.for_readers().concerning(subject).count()


def _corrections(request: HttpRequest, subject, title: str) -> HttpResponse:
    entries = EditorialChange.objects.for_readers().concerning(subject)[:500]
    return render(
        request,
        "articles/corrections.html",
        {"subject": subject, "subject_title": title, "entries": entries},
    )


def article_corrections(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.public().only("pk", "slug", "title"), pk=pk)
    return _corrections(request, article, article.title)


def actor_corrections(request: HttpRequest, slug: str) -> HttpResponse:
    if merged := Actor.objects.merged().filter(slug=slug).first():
        return redirect("articles:actor_corrections", merged.kept().slug, permanent=True)
    actor = get_object_or_404(Actor.objects.public(), slug=slug)
    return _corrections(request, actor, actor.name)


def place_corrections(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Location, slug=slug)
    return _corrections(request, place, place.name)


@dataclass
class MapPage(FilteredPage):
    """The map of a filtered list: the same filters and the same counts as its facets.

    ``drawn`` is None while the exact counts are being counted: the page then links to
    ``counting_url``, the same map with every match counted.
    """

    drawn: maps.Map | None
    query: str
    focus: Location | None = None
    focus_param: str = ""
    counting_url: str = ""
    exact_page: bool = False


def article_map(request: HttpRequest, *, exact_page: bool = False) -> HttpResponse:
    """The map; with ``exact_page`` (``/map/counts/``) its counts over every match, counted
    now unless cached, which the map links to (or fetches) while it counts."""
    found = results(
        ArticleFilter(request.GET, queryset=Scope().articles().for_listing()),
        wait=exact_page,
        scope=Scope(),
    )
    filterset, articles, summary = found.filterset, found.articles, found.first
    figures = None if found.counting else found.summary
    focus_param, focus = filterset.focus_province() or ("", None)
    drawn = None
    if focus is not None and focus.slug in maps.boundaries().governorates:
        shapes = maps.boundaries()
        shape_of = (
            {district.slug for district in shapes.districts_of(focus.slug)},
            lambda lat, lon: shapes.district_at(lat, lon, focus.slug),
        )
        if summary.complete and len(summary.newest_ids) == summary.total:  # every match
            places = search.province_counts(summary.newest_ids, focus, *shape_of)
        elif found.from_aggregates and summary.total <= settings.ARCHIVE_FACET_SAMPLE:
            # The maintained figures carry no ids; so few matches are counted at once.
            places = search.province_counts(articles, focus, *shape_of)
        else:
            places = search.exact_province_counts(articles, focus, *shape_of, wait=exact_page)
        if figures is not None and places is not None:
            drawn = maps.province_map(focus.slug, places.districts, places.places)
    else:
        focus_param, focus = "", None
        if figures is not None:
            drawn = maps.country_map(
                {facet.value: facet.count for facet in figures.facets.provinces}
            )
    if drawn is not None:
        summary = figures
    page = MapPage(
        filterset=filterset,
        summary=summary,
        drawn=drawn,
        errors=filterset.error_messages(),
        query=_export_query(request, {}),
        focus=focus,
        focus_param=focus_param,
        counting_url="" if drawn else f"{reverse('articles:map_counts')}?{_counts_query(request)}",
        exact_page=exact_page,
    )
    return render(request, "articles/map.html", {"results": page}, status=page.status)


def map_counts(request: HttpRequest) -> HttpResponse:
    return article_map(request, exact_page=True)


# A new article reaches a feed's readers within this many seconds.
FEED_CACHE_SECONDS = 300


@cache_page(FEED_CACHE_SECONDS)
def article_feed(request: HttpRequest) -> HttpResponse:
    filterset, problem = _filtered_or_400(request)
    if problem:
        return problem
    return feeds.ArticleFeed(filterset)(request)
