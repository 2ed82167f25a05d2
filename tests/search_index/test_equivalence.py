"""The search index answers every list exactly as PostgreSQL does, figure for figure."""

import pytest
from django.http import QueryDict

from articles import search, search_index
from articles.filters import ArticleFilter
from articles.results import Scope, results
from tests.factories import ArticleFactory

QUERIES = [
    "",
    "q=shelling",
    "q=%22humanitarian+corridor%22",
    "q=%22city+of+Aleppo%22",
    "q=ceasefire+or+truce",
    "q=shelling+-truce",
    "q=-shelling",
    "q=the",
    "q=al-Ghab",
    "q=Jund+al-Aqsa",
    "q=Nusra+Front+or+Russia",
    "q=shelling+-Russia",
    "q=Khan+Shaykhun",
    "q=ادلب",
    "q=حماه",
    "q=هدنة+or+قصف",
    "q=Idlib+ادلب",
    "q=caves+-%22fragile+truce%22",
    "actor=jund-al-aqsa",
    "actor=russia&actor=syrian-arab-army",
    "actor=nusra-front&lineage=1",
    "actor_kind=state",
    "actor_kind=armed_group&q=shelling",
    "province=hama",
    "province=hama&province=idlib",
    "primary_province=hama&primary_province=aleppo",
    "location=khirbat-al-naqous",
    "location=maarrat-al-numan-district",
    "location=idlib",
    "location=syria",
    "location=maarrat-al-numan-district&published_after=2010-01-01",
    "source=levant-wire&source=euphrates-post",
    "published_after=2015-01-01&published_before=2017-12-31",
    "published_before=2014-06-30&q=ceasefire",
    "q=shelling&actor=russia&province=idlib",
    "q=cholera&sort=oldest",
]


EVERY_PUBLIC_ARTICLE = Scope()
# Every article, or one actor, province, place or source and nothing else: the figures
# PostgreSQL keeps answer before the index (tests/aggregates); the index's own figures for
# these filters are checked in test_consistency.py and, combined, by the other queries here.
ONE_ENTITY = {
    "",
    "actor=jund-al-aqsa",
    "province=hama",
    "location=khirbat-al-naqous",
    "location=maarrat-al-numan-district",
    "location=idlib",
    "location=syria",
}


def answered_by(query: str) -> str:
    return "aggregates" if query in ONE_ENTITY else "index"


def filterset(query: str, scope: Scope = EVERY_PUBLIC_ARTICLE) -> ArticleFilter:
    return ArticleFilter(QueryDict(query), queryset=scope.articles().for_listing())


def assert_same(
    query: str, scope: Scope = EVERY_PUBLIC_ARTICLE, exclude_actor_pk=None, *, by="index"
) -> search.Summary:
    """The figures of ``query`` over ``scope`` are PostgreSQL's, answered ``by`` the search
    index or (an entity's unfiltered list) the maintained ``aggregates``."""
    found = results(filterset(query, scope), scope=scope, exclude_actor_pk=exclude_actor_pk)
    summary = found.summary
    assert found.from_index if by == "index" else found.from_aggregates, query
    postgres = filterset(query, scope)
    postgres.is_valid()
    exact = search.exact_summary(postgres.qs, exclude_actor_pk=exclude_actor_pk)
    assert summary.total == exact.total, query
    assert summary.facets.actors == exact.facets.actors, query
    assert summary.facets.provinces == exact.facets.provinces, query
    assert summary.facets.sources == exact.facets.sources, query
    assert summary.facets.years == exact.facets.years, query
    assert summary.months == exact.months, query
    assert not summary.capped
    assert summary.complete
    newest = list(postgres.qs.newest_first().values_list("pk", flat=True))
    if by == "index":
        assert summary.newest_ids == newest, query
    else:  # the page reads its rows itself
        assert [article.pk for article in found.rows[:20]] == newest[:20], query
    return summary


@pytest.mark.parametrize("query", QUERIES)
def test_every_figure_is_postgresqls(indexed, query):
    assert_same(query, by=answered_by(query))


def test_the_queries_find_something_and_not_everything(indexed):
    totals = [assert_same(query, by=answered_by(query)).total for query in QUERIES]
    everything = totals[0]
    assert sum(0 < total < everything for total in totals) >= len(QUERIES) - 6


def test_an_actor_page_leaves_its_own_actor_out_of_its_facet(indexed):
    jund = indexed.actors[0]
    summary = assert_same("q=shelling", Scope(actors=(jund,)), exclude_actor_pk=jund.pk)
    listed = [value.value for group in summary.facets.actors for value in group.actors]
    assert listed
    assert jund.slug not in listed


def test_an_actor_page_with_its_lineage(indexed):
    nusra, hts = indexed.actors[1], indexed.actors[2]
    assert_same("lineage=1", Scope(actors=(nusra, hts)), exclude_actor_pk=nusra.pk)


def test_a_place_page(indexed):
    assert_same("", Scope(place=indexed.district), by="aggregates")
    assert_same("q=shelling", Scope(place=indexed.provinces[1]))


def test_the_api_count_and_the_counts_page_come_from_the_index(indexed):
    found = results(filterset("q=shelling"), facets=False, wait=True, scope=Scope())
    count = found.paginator(20).count
    assert found.from_index
    exact = found.exact()
    assert count == exact.total
    assert exact.total == found.summary.total
    assert exact.facets.sources


def test_invalid_filters_are_left_to_postgresql(indexed):
    found = results(filterset("actor=no-such-actor"), scope=Scope())
    assert not found.from_index
    assert found.filterset.error_messages()


def test_a_very_long_article_matches_as_postgresql_matches_it(varied, search_index_dir):
    # Past 16,383 words PostgreSQL puts every word at its last position: the index is given
    # those positions as they are, so a phrase there matches (or not) as in PostgreSQL.
    filler = " ".join(f"paragraph{i % 97} continues" for i in range(9000))
    ArticleFactory(
        title="Diary of a long siege",
        body=f"A relief convoy left at dawn. {filler} The final convoy reached the bakery.",
    )
    search_index.rebuild()
    for query in ["q=bakery", "q=%22final+convoy%22", "q=%22relief+convoy%22", "q=convoy"]:
        assert_same(query)
