"""Actor and place pages and their indexes."""

import re

import pytest

from tests.factories import ActorFactory, ArticleFactory, PlaceFactory, mention_article
from tests.reading_room.conftest import titles

pytestmark = pytest.mark.django_db


def test_the_actor_page_shows_kind_aliases_description_and_links_both_ways(client, archive):
    response = client.get("/actors/jund-al-aqsa/")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<p class="kind">Armed group</p>' in html
    assert "Jund al-Aqsa Organisation" in html
    assert "A jihadist group active in Hama and Idlib." in html
    allied, part_of = archive.actors.jund.links_in.get(), archive.actors.jund.links_out.get()
    assert response.context["relations"] == [
        ("Allied with", [(allied.from_actor, allied)]),
        ("Part of", [(part_of.to_actor, part_of)]),
    ]
    assert '<a href="/actors/hayat-tahrir-al-sham/">Hayat Tahrir al-Sham</a>' in html


def test_the_actor_page_lists_its_articles_co_actors_and_provinces(client, archive):
    response = client.get("/actors/syrian-arab-army/")

    results = response.context["results"]
    assert titles(response) == [
        "Chlorine attack reported in Khan Shaykhun",
        "Jund al-Aqsa storms Khirbat al-Naqous",
    ]
    co_actors = [f.label for group in results.facets.actors for f in group.actors]
    assert co_actors == ["Jund al-Aqsa", "Russia", "Syrian Observatory for Human Rights"]
    assert [(f.label, f.count) for f in results.facets.provinces] == [("Hama", 1), ("Idlib", 1)]
    assert "Where it is mentioned" in response.content.decode()


def test_the_actor_page_takes_the_search_filters_too(client, archive):
    response = client.get("/actors/syrian-arab-army/", {"q": "chlorine"})

    assert titles(response) == ["Chlorine attack reported in Khan Shaykhun"]
    assert "actor=syrian-arab-army" in response.context["results"].export_query


def test_a_candidate_actor_has_no_page(client, archive):
    assert client.get("/actors/free-ghab-brigade/").status_code == 404


def test_the_actor_index_groups_actors_by_kind_with_article_counts(client, archive):
    response = client.get("/actors/")

    groups = [
        (label, [(a.name, a.n_articles) for a in actors])
        for label, actors in response.context["groups"]
    ]
    assert groups[0] == (
        "Armed group",
        [("Hayat Tahrir al-Sham", 0), ("Jabhat Fateh al-Sham", 0), ("Jund al-Aqsa", 1)],
    )
    assert ("State", [("Russia", 2)]) in groups
    assert "Free Ghab Brigade" not in response.content.decode()


def test_the_place_page_shows_the_breadcrumb_and_the_places_inside(client, archive):
    response = client.get("/places/hama/")
    html = response.content.decode()

    assert [a.name for a in response.context["ancestors"]] == ["Syria"]
    assert '<li><a href="/places/syria/">Syria</a></li>' in html
    assert [c.name for c in response.context["children"]] == ["Khirbat al-Naqous"]


def test_a_province_page_lists_everything_mentioning_a_place_inside_it(client, archive):
    response = client.get("/places/hama/")

    assert titles(response) == ["Market reopens in Hama", "Jund al-Aqsa storms Khirbat al-Naqous"]
    actors = [f.label for group in response.context["results"].facets.actors for f in group.actors]
    assert actors == ["Jund al-Aqsa", "Syrian Arab Army"]


def test_a_village_page_breadcrumb_runs_from_the_country_down(client, archive):
    hamlet = PlaceFactory(name="Tell Sukkar", parent=archive.places.khirbat)
    article = ArticleFactory(title="Hamlet shelled", body="Tell Sukkar was shelled.")
    mention_article(article, hamlet)

    village = client.get("/places/khirbat-al-naqous/")
    hamlet_page = client.get("/places/tell-sukkar/")

    assert [a.name for a in hamlet_page.context["ancestors"]] == [
        "Syria",
        "Hama",
        "Khirbat al-Naqous",
    ]
    assert "Hamlet shelled" in titles(village)


def test_the_places_index_lists_provinces_with_counts(client, archive):
    response = client.get("/places/")

    ((country, provinces),) = response.context["countries"]
    assert country.name == "Syria"
    assert [(p.name, p.n_articles) for p in provinces] == [
        ("Hama", 2),
        ("Idlib", 1),
        ("Latakia", 1),
    ]


@pytest.mark.parametrize("extra_articles", [0, 4])
@pytest.mark.parametrize("url", ["/actors/russia/", "/places/idlib/", "/", "/actors/", "/places/"])
def test_pages_run_a_bounded_number_of_queries(
    client, archive, url, extra_articles, django_assert_max_num_queries
):
    for n in range(extra_articles):
        article = ArticleFactory(title=f"Idlib report {n}")
        mention_article(article, archive.actors.russia)
        mention_article(article, archive.places.khan_shaykhun)

    # The home page's totals are counted once and kept in the shared cache, a table: the
    # first visit reads it, writes them (a cull check, a lookup, the row) and reads again.
    with django_assert_max_num_queries(16 if url == "/" else 10):
        response = client.get(url)

    assert response.status_code == 200


def test_the_actor_breadcrumb_ends_with_the_actor_itself_not_a_link(client, archive):
    html = client.get("/actors/jund-al-aqsa/").content.decode()

    breadcrumb = html.split('aria-label="Breadcrumb">')[1].split("</nav>")[0]
    assert re.findall(r"<li>(.*?)</li>", breadcrumb) == [
        '<a href="/actors/">Actors</a>',
        '<a href="/actors/#armed_group">Armed group</a>',
        '<span aria-current="page">Jund al-Aqsa</span>',
    ]


def test_a_long_list_of_aliases_shows_eight_and_folds_the_rest(client, archive):
    aliases = [f"Liwa {n}" for n in range(1, 13)]
    ActorFactory(name="Ahrar al-Sham", aliases=aliases)

    html = client.get("/actors/ahrar-al-sham/").content.decode()

    shown = "; ".join(aliases[:8])
    assert f'<p><span class="label">Also known as:</span> {shown}; …</p>' in html
    folded = html.split('<details class="aliases__more">')[1].split("</details>")[0]
    assert "<summary>4 more names</summary>" in folded
    assert "<p>Liwa 9; Liwa 10; Liwa 11; Liwa 12</p>" in folded


def test_a_short_list_of_aliases_is_shown_whole(client, archive):
    html = client.get("/actors/jund-al-aqsa/").content.decode()

    assert '<p><span class="label">Also known as:</span> Jund al-Aqsa Organisation</p>' in html
    assert "aliases__more" not in html


def test_the_chart_drawn_before_is_drawn_again_when_the_numbers_change(client, archive):
    def described():
        html = client.get("/actors/russia/").content.decode()
        return re.search(r'<desc id="chart-desc">(.*?)</desc>', html).group(1)

    before = described()
    article = ArticleFactory(title="Another Russia report", published_on="2016-09-03")
    mention_article(article, archive.actors.russia)

    after = described()
    assert after != before
    assert int(after.split(" article")[0]) == int(before.split(" article")[0]) + 1
