"""An article saved, hidden or re-tagged shows correctly on the next request, and an index
that is not this database's current build is never read."""

import datetime

from django.http import QueryDict

from articles import search_index, services
from articles.filters import ArticleFilter
from articles.models import (
    ActorMention,
    ActorStatus,
    Article,
    SearchIndexChange,
    SearchIndexState,
)
from articles.results import Scope, results
from tests.factories import ArticleFactory, mention_article


def figures(query: str = ""):
    found = results(
        ArticleFilter(QueryDict(query), queryset=Scope().articles().for_listing()),
        scope=Scope(),
    )
    return found.summary, found.from_index


def index_figures(query: str):
    """What the search index itself counts for ``query``, where the page would read other
    figures first (one actor's list: the maintained figures, which must agree)."""
    found = results(
        ArticleFilter(QueryDict(query), queryset=Scope().articles().for_listing()),
        scope=Scope(),
    )
    indexed = found.indexed(facets=True)
    assert indexed is not None, query
    assert indexed.total == found.summary.total, query
    return indexed


def actor_counts(summary) -> dict[str, int]:
    return {value.value: value.count for group in summary.facets.actors for value in group.actors}


def test_a_new_article_is_counted_on_the_next_request(indexed):
    before, _ = figures("q=sandstorm")
    assert before.total == 0
    article = ArticleFactory(
        title="A sandstorm grounds flights over Hama",
        body="The sandstorm closed the roads for two days.",
        published_on=datetime.date(2020, 5, 1),
    )
    after, from_index = figures("q=sandstorm")
    assert from_index
    assert after.total == 1
    assert after.newest_ids == [article.pk]
    assert after.months == [(datetime.date(2020, 5, 1), 1)]


def test_a_hidden_article_leaves_the_counts_and_comes_back(indexed):
    article = Article.objects.public().filter(body__contains="shelling").first()
    total = figures("q=shelling")[0].total
    Article.objects.filter(pk=article.pk).update(is_hidden=True)
    hidden, from_index = figures("q=shelling")
    assert from_index
    assert hidden.total == total - 1
    assert article.pk not in hidden.newest_ids
    Article.objects.filter(pk=article.pk).update(is_hidden=False)
    assert figures("q=shelling")[0].total == total


def test_a_rejected_tag_no_longer_counts_for_its_actor(indexed):
    russia = indexed.actors[4]
    before = index_figures(f"actor={russia.slug}")
    mention = ActorMention.objects.filter(actor=russia, article__is_hidden=False).first()
    ActorMention.objects.filter(pk=mention.pk).update(review_status="rejected")
    after = index_figures(f"actor={russia.slug}")
    assert after.total == before.total - 1
    assert actor_counts(after)[russia.slug] == actor_counts(before)[russia.slug] - 1


def test_a_re_tagged_article_counts_for_its_new_actor(indexed):
    turkey = indexed.actors[5]
    article = Article.objects.public().exclude(actor_mentions__actor=turkey).first()
    before = index_figures(f"actor={turkey.slug}").total
    mention_article(article, turkey)
    assert index_figures(f"actor={turkey.slug}").total == before + 1


def test_merged_actors_count_as_the_one_kept(indexed):
    nusra, hts = indexed.actors[1], indexed.actors[2]
    either = index_figures(f"actor={nusra.slug}").total, index_figures(f"actor={hts.slug}").total
    services.merge_actors(hts, [nusra])
    assert index_figures(f"actor={hts.slug}").total >= max(either)
    assert nusra.slug not in actor_counts(figures()[0])


def test_an_actor_no_longer_confirmed_leaves_the_facet_at_once(indexed):
    russia = indexed.actors[4]
    every_dated = "published_after=1990-01-01"  # every article, answered by the index
    assert russia.slug in actor_counts(figures()[0])
    assert russia.slug in actor_counts(index_figures(every_dated))
    type(russia).objects.filter(pk=russia.pk).update(status=ActorStatus.REJECTED)
    assert russia.slug not in actor_counts(figures()[0])
    assert russia.slug not in actor_counts(index_figures(every_dated))


def test_many_pending_changes_are_answered_by_postgresql(indexed):
    total = figures("q=shelling")[0].total
    public = Article.objects.public().filter(body__contains="shelling")
    hidden = list(public.values_list("pk", flat=True)[:3])
    SearchIndexChange.objects.bulk_create(
        SearchIndexChange(article_id=hidden[0]) for _ in range(search_index.SYNC_ON_REQUEST + 1)
    )
    Article.objects.filter(pk__in=hidden).update(is_hidden=True)
    summary, from_index = figures("q=shelling")
    assert not from_index
    assert summary.total == total - len(hidden)
    assert search_index.sync() > search_index.SYNC_ON_REQUEST
    summary, from_index = figures("q=shelling")
    assert from_index
    assert summary.total == total - len(hidden)


def test_an_index_built_for_another_database_is_ignored(indexed, search_index_dir):
    assert figures("q=shelling")[1]
    SearchIndexState.objects.update(token="0" * 32)  # this database names another build
    search_index._open = None
    summary, from_index = figures("q=shelling")
    assert not from_index
    assert summary.total == Article.objects.public().search("shelling").count()


def test_a_rebuild_swaps_in_a_new_build(indexed, search_index_dir):
    first = SearchIndexState.objects.get().token
    ArticleFactory(title="Snow closes the mountain road", body="Snow fell on the road.")
    built = search_index.rebuild()
    assert built.token != first
    assert (search_index_dir / "current").resolve().name == built.token
    summary, from_index = figures("q=snow")
    assert from_index
    assert summary.total == 1


def test_nothing_is_recorded_before_the_index_is_first_built(varied):
    ArticleFactory(title="Quiet day in Hama", body="Nothing happened in Hama today.")
    assert not SearchIndexChange.objects.exists()
