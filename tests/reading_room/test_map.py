"""The map at /map/: what a reader sees for the list's filters, country and province views."""

import datetime
import html as html_lib
import re

import pytest

from articles.models import LocationKind
from tests.factories import ArticleFactory, PlaceFactory, ProvinceFactory, mention_article
from tests.reading_room.conftest import EVERY_ARTICLE_DATED

pytestmark = pytest.mark.django_db


def counts(response) -> dict[str, int]:
    """What each shape says, from its <title>: {"Hama": 2, ...} (zeros left out)."""
    page = html_lib.unescape(response.content.decode())
    found = re.findall(
        r"<a href=\"[^\"]*\" class=\"map-area\"[^>]*><title>([^<]+): ([\d,]+) article", page
    )
    return {name: int(n.replace(",", "")) for name, n in found if n != "0"}


def shape_link(response, name: str) -> str:
    page = response.content.decode()
    match = re.search(rf'<a href="([^"]*)" class="map-area" tabindex="-1"><title>{name}:', page)
    return html_lib.unescape(match.group(1))


@pytest.fixture
def idlib_places(archive):
    """Idlib with two of its districts and places with coordinates (real ones, facts)."""
    idlib = archive.places.idlib
    harim = PlaceFactory(
        name="Harim", slug="harim-district", kind=LocationKind.DISTRICT, parent=idlib
    )
    khan = archive.places.khan_shaykhun
    khan.latitude, khan.longitude = 35.4417, 36.6458
    khan.save()
    return {
        "harim": harim,
        "khan": khan,
        "sarmada": PlaceFactory(
            name="Sarmada",
            kind=LocationKind.TOWN,
            parent=harim,
            latitude=36.1797,
            longitude=36.7233,
        ),
        "hidden_only": PlaceFactory(
            name="Kafr Takharim",
            kind=LocationKind.TOWN,
            parent=harim,
            latitude=36.1167,
            longitude=36.5167,
        ),
    }


@pytest.fixture
def idlib_archive(archive, idlib_places):
    """Two more fictional reports from Idlib, a hidden one and a rejected tag."""
    sarmada, khan = idlib_places["sarmada"], idlib_places["khan"]
    ArticleFactory(
        title="Aid convoy reaches Sarmada",
        body="Trucks crossed into Sarmada and went on to Khan Shaykhun.",
        published_on=datetime.date(2017, 5, 2),
        mentions=[sarmada, khan],
    )
    ArticleFactory(
        title="Camps near Sarmada fill up",
        body="Families from Khan Shaykhun arrived in Sarmada overnight.",
        published_on=datetime.date(2017, 5, 9),
        mentions=[sarmada],
    )
    hidden = ArticleFactory(
        title="Draft: shelling in Kafr Takharim",
        body="Kafr Takharim draft.",
        published_on=datetime.date(2017, 5, 10),
        is_hidden=True,
    )
    mention_article(hidden, idlib_places["hidden_only"])
    rejected = ArticleFactory(
        title="A Sarmada wedding",
        body="Kafr Takharim was named here by mistake.",
        published_on=datetime.date(2017, 5, 11),
    )
    mention_article(rejected, idlib_places["hidden_only"], review_status="rejected")
    return archive


def test_the_map_shades_each_governorate_by_its_number_of_matching_articles(client, archive):
    response = client.get("/map/")
    page = response.content.decode()

    assert response.status_code == 200
    assert counts(response) == {"Hama": 2, "Idlib": 1, "Latakia": 1}
    assert "<title>Aleppo: 0 articles</title>" in page
    hama = re.search(r"<title>Hama: 2 articles</title><path class=\"(map-shade-\d)\"", page)
    idlib = re.search(r"<title>Idlib: 1 article</title><path class=\"(map-shade-\d)\"", page)
    assert (hama.group(1), idlib.group(1)) == ("map-shade-5", "map-shade-3")
    assert "2 articles</li>" in page
    assert "No articles</li>" in page


def test_the_table_gives_the_same_numbers_with_links(client, archive):
    response = client.get("/map/")
    rows = re.findall(
        r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>\s*<td>(\d+)</td>',
        response.content.decode(),
    )

    assert [(name, int(n)) for _, name, n in rows[:3]] == [
        ("Hama", 2),
        ("Idlib", 1),
        ("Latakia", 1),
    ]
    assert len(rows) == 14
    assert html_lib.unescape(rows[0][0]) == "/articles/?province=hama"
    assert 'href="/map/?province=hama" aria-label="Hama: districts and places on the map"' in (
        response.content.decode()
    )


def test_the_map_is_one_accessible_image_naming_its_numbers(client, archive):
    page = client.get("/map/").content.decode()

    label = re.search(r'<svg role="img" aria-label="([^"]+)"', page).group(1)
    assert html_lib.unescape(label) == (
        "Map of Syria's governorates shaded by matching articles: "
        "Hama: 2 articles; Idlib: 1 article; Latakia: 1 article"
    )


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "chlorine"},
        {"actor": "russia"},
        {"source": "levant-wire"},
        {"location": "khirbat-al-naqous"},
        {"published_before": "2016-12-31"},
    ],
)
def test_the_map_reads_the_same_counts_as_the_lists_province_facet(client, archive, query):
    facets = client.get("/articles/", query).context["results"].facets.provinces

    assert counts(client.get("/map/", query)) == {f.label: f.count for f in facets}


def test_the_map_takes_the_lists_filters_and_shapes_link_to_the_list_keeping_them(client, archive):
    response = client.get("/map/", {"q": "chlorine", "published_after": "2017-01-01"})

    assert counts(response) == {"Idlib": 1}
    assert shape_link(response, "Idlib") == (
        "/articles/?q=chlorine&published_after=2017-01-01&province=idlib"
    )
    assert "1 article matching “chlorine”." in response.content.decode()
    assert 'aria-label="Remove filter “chlorine”"' in response.content.decode()


def test_hidden_articles_and_rejected_tags_are_not_counted(client, archive):
    # The hidden draft names Khirbat al-Naqous (Hama); so does the market report, whose
    # Jund al-Aqsa tag an editor rejected.
    response = client.get("/map/", {"actor": "jund-al-aqsa"})

    assert counts(response) == {"Hama": 1}


def test_with_more_matches_than_a_page_counts_at_once_the_map_waits_for_the_exact_counts(
    client, archive, settings
):
    settings.ARCHIVE_FACET_SAMPLE = 2
    settings.ARCHIVE_COUNT_CAP = 2

    listed = client.get("/articles/", EVERY_ARTICLE_DATED).content.decode()
    mapped = client.get("/map/", EVERY_ARTICLE_DATED)
    exact = client.get("/map/counts/", EVERY_ARTICLE_DATED)

    assert "Counting all 2+ matches…" in listed
    page = mapped.content.decode()
    assert (
        '<a href="/map/counts/?published_after=2000-01-01" rel="nofollow">'
        "Counting all 2+ matches…</a>"
    ) in page
    assert "The map is shaded once every one is counted." in page
    assert "<svg" not in page  # no shading from part of the matches
    assert "from the newest" not in page
    assert counts(exact) == {"Hama": 2, "Idlib": 1, "Latakia": 1}
    assert "4 articles." in exact.content.decode()
    # Counted once, the map itself shows them.
    counted_once = client.get("/map/", EVERY_ARTICLE_DATED)
    assert counts(counted_once) == {"Hama": 2, "Idlib": 1, "Latakia": 1}


def test_the_map_of_every_article_is_shaded_at_once_from_the_maintained_figures(
    client, archive, settings
):
    settings.ARCHIVE_FACET_SAMPLE = 1
    settings.ARCHIVE_COUNT_CAP = 1

    mapped = client.get("/map/")

    assert "Counting all" not in mapped.content.decode()
    assert counts(mapped) == {"Hama": 2, "Idlib": 1, "Latakia": 1}


def test_a_province_view_of_a_large_set_counts_its_districts_over_every_match(
    client, idlib_archive, settings
):
    settings.ARCHIVE_FACET_SAMPLE = 1
    settings.ARCHIVE_COUNT_CAP = 1

    waiting = client.get("/map/", {"province": "idlib"})
    exact = client.get("/map/counts/", {"province": "idlib"})

    # The province's own total is maintained (exact); its districts and dots are counted.
    assert '<a href="/map/counts/?province=idlib" rel="nofollow">Counting all 3 matches…</a>' in (
        waiting.content.decode()
    )
    assert counts(exact) == {"Harim": 2, "Maarrat al-Nu'man": 2}
    assert [(dot.name, dot.count) for dot in exact.context["results"].drawn.dots] == [
        ("Khan Shaykhun", 2),
        ("Sarmada", 2),
    ]


def test_a_province_view_draws_its_districts_and_places_as_dots_sized_by_count(
    client, idlib_archive
):
    response = client.get("/map/", {"province": "idlib"})
    page = html_lib.unescape(response.content.decode())

    assert response.status_code == 200
    assert "<h1>Idlib: districts and places</h1>" in page
    # Khan Shaykhun is filed under the governorate: it counts to the district drawn around it.
    assert counts(response) == {"Harim": 2, "Maarrat al-Nu'man": 2}
    dots = response.context["results"].drawn.dots
    assert [(dot.name, dot.count) for dot in dots] == [("Khan Shaykhun", 2), ("Sarmada", 2)]
    assert '<title>Sarmada: 2 articles</title><circle cx="' in page
    assert 'href="/articles/?province=idlib&location=sarmada" class="map-dot"' in page
    assert "Kafr Takharim" not in page  # only named by a hidden article and a rejected tag
    assert '<a href="/map/?">Map of Syria</a>' in page


def test_a_province_views_dots_keep_the_other_filters(client, idlib_archive):
    response = client.get("/map/", {"location": "idlib", "published_after": "2017-05-05"})

    dots = response.context["results"].drawn.dots
    assert [(dot.name, dot.count) for dot in dots] == [("Sarmada", 1)]
    assert 'href="/articles/?location=sarmada&published_after=2017-05-05"' in (
        html_lib.unescape(response.content.decode())
    )


def test_a_filter_the_map_cannot_use_is_named_with_a_400(client, archive):
    response = client.get("/map/", {"actor": "no-such-group", "published_after": "last week"})
    page = html_lib.unescape(response.content.decode())

    assert response.status_code == 400
    assert "Actor: There is no actor “no-such-group” in the archive." in page
    assert "Published on or after: Enter a date as YYYY-MM-DD" in page


@pytest.mark.parametrize(
    ("url", "map_href"),
    [
        ("/", "/map/"),
        ("/articles/?q=chlorine", "/map/?q=chlorine"),
        ("/actors/russia/", "/map/?actor=russia"),
        ("/places/idlib/", "/map/?location=idlib"),
    ],
)
def test_the_map_is_linked_from_home_list_actor_and_place_pages(client, archive, url, map_href):
    page = html_lib.unescape(client.get(url).content.decode())

    assert f'<a href="{map_href}">See on the map</a>' in page


def test_a_place_in_a_district_without_a_shape_counts_to_the_one_drawn_around_it(client, archive):
    # The map has no shape for Qadmous: its area lies inside Baniyas (see SOURCES.md).
    tartus = ProvinceFactory(name="Tartus", parent=archive.places.syria)
    qadmous = PlaceFactory(
        name="Qadmous", slug="qadmous-district", kind=LocationKind.DISTRICT, parent=tartus
    )
    town = PlaceFactory(
        name="Al-Qadmus",
        kind=LocationKind.TOWN,
        parent=qadmous,
        latitude=35.1017,
        longitude=36.1606,
    )
    ArticleFactory(title="Water cut in Al-Qadmus", body="Al-Qadmus had no water.", mentions=[town])

    response = client.get("/map/", {"province": "tartus"})

    assert counts(response) == {"Baniyas": 1}
    assert [dot.name for dot in response.context["results"].drawn.dots] == ["Al-Qadmus"]


def test_a_hostile_place_name_is_shown_as_text_on_the_map(client, archive):
    hostile = PlaceFactory(
        name="<svg onload=alert('dot')>",
        slug="hostile-dot",
        kind=LocationKind.VILLAGE,
        parent=archive.places.idlib,
        latitude=35.93,
        longitude=36.63,
    )
    ArticleFactory(title="A village report", body="A village report.", mentions=[hostile])

    page = client.get("/map/", {"province": "idlib"}).content.decode()

    assert "<svg onload" not in page
    assert "<title>&lt;svg onload=alert(&#x27;dot&#x27;)&gt;: 1 article</title>" in page
