"""Actor, place and source pages, the home page and the unfiltered list read figures
PostgreSQL keeps: they are the exact figures over every article, and right on the next
request after any change."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from articles import aggregates, entity_counts, generation, search
from articles.filters import ArticleFilter
from articles.models import (
    Actor,
    ActorMention,
    Article,
    CountedArticle,
    EntityFigure,
    LocationMention,
)
from articles.results import Scope, results
from articles.services import merge_actors
from tests.factories import ActorFactory, ArticleFactory, SourceFactory, mention_article
from tests.search_index.conftest import build_varied_archive

pytestmark = pytest.mark.django_db


def page(scope: Scope, query: str = "", exclude_actor_pk=None):
    filterset = ArticleFilter(QueryDict(query), queryset=scope.articles().for_listing())
    return results(filterset, scope=scope, exclude_actor_pk=exclude_actor_pk)


def assert_exact(scope: Scope, query: str = "", exclude_actor_pk=None) -> search.Summary:
    """The page's figures come from the maintained aggregates and equal what PostgreSQL
    counts over every matching article, field by field."""
    found = page(scope, query, exclude_actor_pk)
    summary = found.summary
    assert found.from_aggregates, (scope, query)
    counted = ArticleFilter(QueryDict(query), queryset=scope.articles())
    counted.is_valid()
    generation.bump()  # counted now: the test's transaction never commits, which bumps it
    exact = search.exact_summary(counted.qs, exclude_actor_pk=exclude_actor_pk)
    assert summary.total == exact.total
    assert summary.facets.actors == exact.facets.actors
    assert summary.facets.provinces == exact.facets.provinces
    assert summary.facets.sources == exact.facets.sources
    assert summary.facets.years == exact.facets.years
    assert summary.months == exact.months
    assert summary.complete
    assert not summary.capped
    newest = list(counted.qs.newest_first().values_list("pk", flat=True)[:20])
    assert [article.pk for article in found.rows[:20]] == newest
    return summary


def assert_every_entity_exact(archive) -> None:
    assert_exact(Scope())  # every article: the home page's, the unfiltered list's and map's
    for actor in archive.actors:
        assert_exact(Scope(actors=(actor,)), exclude_actor_pk=actor.pk)
    for place in {*archive.places, *archive.provinces, archive.district, archive.syria}:
        assert_exact(Scope(place=place))
    for source in archive.sources:
        assert_exact(Scope(), f"source={source.slug}")


def figures() -> set[tuple]:
    rows = EntityFigure.objects.filter(n__gt=0).values_list(
        "kind", "entity_id", "facet", "key", "n"
    )
    return set(rows)


def counted_rows() -> set[tuple]:
    fields = ("article_id", "counted", "month", "source_id", "actors", "places", "provinces")
    return {
        tuple(tuple(v) if isinstance(v, list) else v for v in row)
        for row in CountedArticle.objects.values_list(*fields)
    }


@pytest.fixture
def archive(db):
    return build_varied_archive()


@pytest.mark.parametrize("seed", [13, 5, 71])
def test_every_entity_page_shows_the_figures_postgresql_counts(seed):
    # Built article by article through the triggers, on an archive of random tags.
    assert_every_entity_exact(build_varied_archive(n=70, seed=seed))


def test_an_actor_page_leaves_its_own_actor_out_of_named_alongside(archive):
    jund = archive.actors[0]
    summary = assert_exact(Scope(actors=(jund,)), exclude_actor_pk=jund.pk)
    listed = [value.value for group in summary.facets.actors for value in group.actors]
    assert listed
    assert jund.slug not in listed
    with_itself = assert_exact(Scope(actors=(jund,)))
    assert jund.slug in [v.value for group in with_itself.facets.actors for v in group.actors]


def test_hiding_an_article_drops_it_from_nusra_fronts_page_count_and_chart(client, archive):
    nusra = archive.actors[1]
    url = nusra.get_absolute_url()
    before = client.get(url).context["results"].summary
    article = Article.objects.public().mentioning_actors([nusra]).exclude(published_on=None)[0]

    article.is_hidden = True
    article.save()

    after = client.get(url).context["results"].summary
    assert after.total == before.total - 1
    month = article.published_on.replace(day=1)
    assert dict(after.months).get(month, 0) == dict(before.months)[month] - 1
    assert_every_entity_exact(archive)

    article.is_hidden = False
    article.save()
    assert client.get(url).context["results"].summary.total == before.total


def test_re_tagging_moves_the_count_from_one_actor_to_the_other(archive):
    russia, turkey = archive.actors[4], archive.actors[5]
    mention = (
        ActorMention.objects.filter(actor=russia)
        .exclude(article__actor_mentions__actor=turkey)
        .exclude(article__is_hidden=True)
        .exclude(review_status="rejected")[0]
    )
    russia_before = page(Scope(actors=(russia,))).summary.total
    turkey_before = page(Scope(actors=(turkey,))).summary.total

    mention.actor = turkey
    mention.save()

    assert page(Scope(actors=(russia,))).summary.total == russia_before - 1
    assert page(Scope(actors=(turkey,))).summary.total == turkey_before + 1
    assert_every_entity_exact(archive)


def test_a_rejected_tag_leaves_the_actor_and_place_figures(archive):
    hama = archive.provinces[0]
    mention = LocationMention.objects.filter(province=hama, review_status="auto").exclude(
        article__is_hidden=True
    )[0]
    before = page(Scope(place=hama)).summary.total

    mention.review_status = "rejected"
    mention.save()

    still_there = (
        LocationMention.objects.visible().filter(article=mention.article, province=hama).exists()
    )
    assert page(Scope(place=hama)).summary.total == before - (0 if still_there else 1)
    assert_every_entity_exact(archive)


def test_merging_two_actors_merges_their_figures(archive):
    nusra, hts = archive.actors[1], archive.actors[2]
    both = (
        Article.objects.public().mentioning_any_actor([nusra, hts]).order_by().values("pk")
    ).count()

    merge_actors(nusra, [hts])

    assert page(Scope(actors=(nusra,)), exclude_actor_pk=nusra.pk).summary.total == both
    assert page(Scope(actors=(hts,))).summary.total == 0
    assert_every_entity_exact(archive)


def test_new_and_deleted_articles_count_at_once_and_the_index_pages_agree(client, archive):
    jund = archive.actors[0]
    new = ArticleFactory(source=SourceFactory(name="Qalamoun Daily"), mentions=[jund])
    mention_article(new, archive.places[1])
    archive.sources.append(new.source)
    assert_every_entity_exact(archive)
    assert client.get(reverse("articles:source_index")).status_code == 200

    archive.articles[0].delete()
    Article.objects.filter(pk__in=[a.pk for a in archive.articles[1:4]]).delete()
    assert_every_entity_exact(archive)

    generation.bump()
    assert entity_counts.per_actor() == entity_counts._count_per_actor()
    assert entity_counts.per_province() == entity_counts._count_per_province()
    assert entity_counts.per_source() == entity_counts._count_per_source()
    assert entity_counts.archive_totals() == entity_counts._count_totals()


def test_rebuild_aggregates_gives_the_same_rows_as_the_triggers(archive):
    for article in archive.articles[:10]:
        article.is_hidden = not article.is_hidden
        article.save()
    ActorMention.objects.filter(actor=archive.actors[3]).update(review_status="confirmed")
    merge_actors(archive.actors[0], [archive.actors[6]])
    kept, rows = figures(), counted_rows()

    built = aggregates.rebuild(batch=7)  # several batches

    assert built.articles == Article.objects.count()
    assert figures() == kept
    assert counted_rows() == rows


def test_a_filtered_entity_page_is_counted_by_postgresql(archive):
    jund = archive.actors[0]
    for query in ["q=shelling", "published_after=2015-01-01", f"source={archive.sources[0].slug}"]:
        found = page(Scope(actors=(jund,)), query, exclude_actor_pk=jund.pk)
        assert not found.from_aggregates, query
        assert found.summary.total == found.articles.count()
    lineage = page(Scope(actors=(archive.actors[1], archive.actors[2])))
    assert not lineage.from_aggregates


def test_the_list_filtered_on_one_actor_province_place_or_source_shows_its_figures(archive):
    # /articles/?actor=… and the map of it: the same articles as the actor's page (a
    # candidate is no filter: readers do not see it).
    for actor in Actor.objects.public().filter(pk__in=[actor.pk for actor in archive.actors]):
        assert_exact(Scope(), f"actor={actor.slug}")
    for province in archive.provinces:
        assert_exact(Scope(), f"province={province.slug}")
    for place in {*archive.places, archive.district}:
        assert_exact(Scope(), f"location={place.slug}")
    for source in archive.sources:
        assert_exact(Scope(), f"source={source.slug}")


def test_a_list_on_more_than_one_entity_is_counted_by_postgresql(archive):
    nusra, successor = archive.actors[1], archive.actors[2]
    hama, idlib = archive.provinces[0], archive.provinces[1]
    for query in [
        f"actor={nusra.slug}&lineage=on",
        f"actor={nusra.slug}&actor={successor.slug}",
        f"province={hama.slug}&province={idlib.slug}",
        f"actor={nusra.slug}&province={hama.slug}",
    ]:
        found = page(Scope(), query)
        assert not found.from_aggregates, query
        assert found.summary.total == found.articles.count(), query


def test_a_paused_bulk_load_changes_nothing_until_the_rebuild(archive):
    kept = figures()
    with connection.cursor() as cursor:
        cursor.execute("SET aggregates.paused = 'on'")
        ArticleFactory(mentions=[ActorFactory(name="Ahrar al-Sham")])
        cursor.execute("SET aggregates.paused = 'off'")
    assert figures() == kept

    aggregates.rebuild()

    assert_every_entity_exact(archive)


def test_a_village_moved_to_another_province_takes_its_articles_along(archive):
    village, district = archive.places[0], archive.district  # Hama's, and one in Idlib
    hama, idlib = archive.provinces[0], archive.provinces[1]
    named = Article.objects.public().mentioning_place(village).count()
    assert named
    before = page(Scope(place=district)).summary.total

    village.move_to(district)

    assert page(Scope(place=district)).summary.total > before
    assert_exact(Scope(place=hama))
    assert_exact(Scope(place=idlib))
    assert_every_entity_exact(archive)
