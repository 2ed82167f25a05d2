"""Browsing with filters, facets, chips and pages, as the reader sees the list."""

import datetime
import re

import pytest

from articles import search_query
from tests.factories import ArticleFactory, PlaceFactory, ProvinceFactory, mention_article
from tests.reading_room.conftest import EVERY_ARTICLE_DATED, titles

pytestmark = pytest.mark.django_db


def test_filtering_by_hama_province_lists_the_khirbat_al_naqous_article(client, archive):
    response = client.get("/articles/", {"province": "hama"})

    assert titles(response) == [
        "Market reopens in Hama",
        "Jund al-Aqsa storms Khirbat al-Naqous",
    ]


def test_filtering_by_jund_al_aqsa_skips_hidden_articles_and_rejected_tags(client, archive):
    response = client.get("/articles/", {"actor": "jund-al-aqsa"})

    assert titles(response) == ["Jund al-Aqsa storms Khirbat al-Naqous"]


def test_two_actors_both_have_to_be_mentioned(client, archive):
    response = client.get("/articles/", {"actor": ["syrian-arab-army", "russia"]})

    assert titles(response) == ["Chlorine attack reported in Khan Shaykhun"]


def test_filtering_by_actor_kind_state_lists_articles_naming_a_state(client, archive):
    response = client.get("/articles/", {"actor_kind": "state", "sort": "oldest"})

    assert titles(response) == [
        "Russian jets strike the coast",
        "Chlorine attack reported in Khan Shaykhun",
    ]


def test_where_it_happened_filter_accepts_several_provinces(client, archive):
    response = client.get("/articles/", {"primary_province": ["idlib", "latakia"]})

    assert titles(response) == [
        "Chlorine attack reported in Khan Shaykhun",
        "Russian jets strike the coast",
    ]


def test_location_filter_includes_places_inside_but_not_lookalike_slugs(client, archive):
    plain = ProvinceFactory(name="Hama plain", parent=archive.places.syria)  # slug hama-plain
    village = PlaceFactory(name="Tell Hama", parent=plain)
    ArticleFactory(title="Floods on the plain", body="Tell Hama flooded.", mentions=[village])

    in_hama = client.get("/articles/", {"location": "hama"})
    in_syria = client.get("/articles/", {"location": "syria"})

    assert titles(in_hama) == ["Market reopens in Hama", "Jund al-Aqsa storms Khirbat al-Naqous"]
    assert "Floods on the plain" in titles(in_syria)
    assert len(titles(in_syria)) == 5


def test_source_and_date_filters_combine(client, archive):
    response = client.get(
        "/articles/",
        {
            "source": "levant-wire",
            "published_after": "2016-09-10",
            "published_before": "2016-12-31",
        },
    )

    assert titles(response) == ["Russian jets strike the coast"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"actor": "no-such-group"}, "There is no actor “no-such-group” in the archive."),
        ({"actor": "free-ghab-brigade"}, "There is no actor “free-ghab-brigade” in the archive."),
        ({"province": "khirbat-al-naqous"}, "There is no province “khirbat-al-naqous”"),
        ({"location": "<script>"}, "There is no place “&lt;script&gt;” in the archive."),
        ({"source": "x\x00y"}, "There is no source"),
        ({"published_after": "yesterday"}, "Enter a date as YYYY-MM-DD"),
        ({"published_before": "2016-02-30"}, "Enter a date as YYYY-MM-DD"),
        ({"sort": "sideways"}, "Select a valid choice."),
        ({"actor_kind": "wizard"}, "Select a valid choice."),
        ({"actor": [f"a{i}" for i in range(11)]}, "Choose at most 10 of each filter at a time."),
    ],
)
def test_an_invalid_filter_gives_a_friendly_message_not_an_error(client, archive, params, message):
    response = client.get("/articles/", params)

    assert response.status_code == 400
    assert "Some of the filters could not be used" in response.content.decode()
    assert message in response.content.decode()


def test_a_page_beyond_the_end_shows_the_last_page_with_a_notice(client, archive):
    response = client.get("/articles/", {"page": "9999"})

    assert response.status_code == 200
    assert response.context["results"].page.number == 1
    assert "There is no page “9999”; showing page 1." in response.content.decode()


def test_pagination_links_keep_the_filters(client, archive):
    for n in range(25):
        ArticleFactory(
            title=f"Shelling report {n}", body="Shelling near Hama.", mentions=[archive.places.hama]
        )

    response = client.get("/articles/", {"province": "hama", "q": "shelling"})

    assert response.context["results"].page.paginator.num_pages == 2
    assert 'href="?province=hama&amp;q=shelling&amp;page=2"' in response.content.decode()


def test_facets_count_actors_by_kind_provinces_sources_and_years(client, archive):
    response = client.get("/articles/", {"province": "hama"})

    facets = response.context["results"].facets
    assert [(g.label, [(f.label, f.count) for f in g.actors]) for g in facets.actors] == [
        ("Armed group", [("Jund al-Aqsa", 1)]),
        ("State force", [("Syrian Arab Army", 1)]),
    ]
    assert [(f.label, f.count) for f in facets.provinces] == [("Hama", 2)]
    assert [(f.label, f.count) for f in facets.sources] == [
        ("Levant Wire", 1),
        ("Orient Monitor", 1),
    ]
    assert [(f.label, f.count) for f in facets.years] == [("2016", 2)]


def test_a_facet_link_adds_its_filter_and_a_chip_removes_it(client, archive):
    response = client.get("/articles/", {"province": "hama", "page": "1"})
    html = response.content.decode()

    assert 'href="?province=hama&amp;actor=jund-al-aqsa">Jund al-Aqsa</a>' in html
    assert (
        'href="?province=hama&amp;published_after=2016-01-01&amp;published_before=2016-12-31"'
        in html
    )
    assert 'href="?" aria-label="Remove filter Mentions Hama"' in html


def test_active_filters_are_shown_as_chips(client, archive):
    response = client.get(
        "/articles/",
        {"q": "army", "actor": "russia", "province": "idlib", "source": "orient-monitor"},
    )

    labels = [chip.label for chip in response.context["results"].filterset.chips()]
    assert labels == ["“army”", "Actor: Russia", "Mentions Idlib", "Source: Orient Monitor"]
    assert 'aria-label="Remove filter Actor: Russia"' in response.content.decode()


def test_the_chart_shows_articles_per_month_with_a_table_of_the_numbers(client, archive):
    response = client.get("/articles/", {"province": "hama"})
    html = response.content.decode()

    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in html
    assert "2 articles from September 2016 to October 2016" in html
    assert '<th scope="row">September 2016</th><td>1</td>' in html
    assert '<th scope="row">October 2016</th><td>1</td>' in html


def test_undated_articles_are_listed_last_when_newest_first(client, archive):
    ArticleFactory(title="An undated dispatch", published_on=None)

    response = client.get("/articles/")

    assert titles(response)[-1] == "An undated dispatch"


@pytest.mark.parametrize("extra_articles", [0, 4])
def test_the_search_page_runs_the_same_number_of_queries_for_1_or_5_articles(
    client, archive, extra_articles, django_assert_num_queries
):
    for n in range(extra_articles):
        article = ArticleFactory(
            title=f"Hama report {n}", published_on=datetime.date(2018, 1, n + 1)
        )
        mention_article(article, archive.actors.jund)
        mention_article(article, archive.places.khirbat)

    search_query.name_index()  # the gazetteer's names: read once per process, then cached
    # 2 slug lookups; count, facets and timeline in one; the page; its snippets.
    with django_assert_num_queries(5):
        response = client.get(
            "/articles/", {"q": "fighters", "actor": "jund-al-aqsa", "province": "hama"}
        )

    assert len(titles(response)) == 1 + extra_articles


def test_a_small_set_shows_its_exact_counts_at_once(client, archive):
    response = client.get("/articles/")
    html = response.content.decode()

    results = response.context["results"]
    assert (results.summary.total, results.summary.capped, results.summary.complete) == (
        4,
        False,
        True,
    )
    assert '<h2 id="results-heading">4 articles</h2>' in html
    assert "Counting all" not in html
    assert "from the newest" not in html
    assert '<figcaption id="chart-caption">Articles per month</figcaption>' in html
    assert [(f.label, f.count) for f in results.facets.sources] == [
        ("Levant Wire", 2),
        ("Orient Monitor", 2),
    ]


def test_past_what_a_page_counts_at_once_the_reader_sees_counting_and_no_sampled_figure(
    client, archive, settings
):
    settings.ARCHIVE_COUNT_CAP = 2
    settings.ARCHIVE_FACET_SAMPLE = 2

    response = client.get("/articles/", EVERY_ARTICLE_DATED)
    html = response.content.decode()

    assert (
        '<h2 id="results-heading" data-counts-from="/articles/counts/?published_after=2000-01-01"'
        ' aria-busy="true"><a href="/articles/counts/?published_after=2000-01-01"'
        ' rel="nofollow">Counting all 2+ matches…</a></h2>'
    ) in html
    assert "Articles per month follow." in html
    assert "Actors, provinces, sources and years follow." in html
    # No figure counted from part of the matches is shown anywhere.
    assert response.context["results"].facets.sources == []
    assert 'class="facet-list"' not in html
    assert "chart-caption" not in html
    assert titles(response) == [
        "Chlorine attack reported in Khan Shaykhun",
        "Market reopens in Hama",
    ]


def test_a_count_within_the_cap_is_shown_exactly_while_the_facets_are_counted(
    client, archive, settings
):
    settings.ARCHIVE_FACET_SAMPLE = 2

    html = client.get("/articles/", EVERY_ARTICLE_DATED).content.decode()

    assert '<h2 id="results-heading">4 articles</h2>' in html
    assert (
        '<a href="/articles/counts/?published_after=2000-01-01" rel="nofollow">'
        "Counting all 4 matches…</a>"
    ) in html


def test_pages_past_the_cap_wait_for_the_exact_count_then_all_are_offered(
    client, archive, settings
):
    settings.ARCHIVE_COUNT_CAP = 21
    settings.ARCHIVE_FACET_SAMPLE = 21
    for n in range(25):
        ArticleFactory(title=f"Shelling report {n}", published_on=datetime.date(2019, 1, n + 1))

    first = client.get("/articles/", {"q": "shelling"})
    second = client.get("/articles/", {"q": "shelling", "page": "2"})

    assert "Counting all 21+ matches…" in first.content.decode()
    assert "Page 1 of more than 2" in first.content.decode()
    assert ">Last</a>" not in first.content.decode()
    assert len(titles(first)) == 20
    assert len(titles(second)) == 1
    assert "Only the first 2 pages are listed" in second.content.decode()

    client.get("/articles/counts/", {"q": "shelling"})  # what the page's link or script asks
    counted = client.get("/articles/", {"q": "shelling", "page": "2"})

    # The 25 reports and the Khirbat al-Naqous article, whose army "shelled" the village.
    assert "26 articles matching “shelling”" in counted.content.decode()
    assert "Page 2 of 2" in counted.content.decode()
    assert len(titles(counted)) == 6


def test_the_month_table_lists_only_months_with_articles(client, archive):
    html = client.get("/articles/").content.decode()

    table = html.split('<details class="chart__data">')[1].split("</tbody>")[0]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', table)
    # September 2016 to April 2017: eight bars in the chart, three months with articles.
    assert html.count('<rect class="chart__bar"') == 8
    assert rows == [("September 2016", "2"), ("October 2016", "1"), ("April 2017", "1")]
