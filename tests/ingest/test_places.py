"""Villages whose names are also words are tagged only when the article supports them.

Fictional sentences; the villages and their coordinates are real places (facts).
"""

import pytest

from articles.ingest.gazetteer import DATA_DIR, Gazetteer, GazetteerLocation, read_villages_file
from articles.ingest.tag import tag_article
from tests.ingest.fixtures_gazetteer import ACTORS, LOCATIONS
from tests.ingest.parsed import make_article


def village(slug, name, parent, lat, lon, *aliases, name_ar=""):
    return GazetteerLocation(
        slug,
        name,
        "village",
        parent,
        aliases,
        name_ar=name_ar,
        latitude=lat,
        longitude=lon,
        needs_context=True,
    )


GAZETTEER = Gazetteer.build(
    ACTORS,
    [
        *LOCATIONS,
        GazetteerLocation("idlib-district", "Idlib District", "district", "idlib-governorate"),
        GazetteerLocation(
            "jisr-al-shughur-district", "Jisr al-Shughur", "district", "idlib-governorate"
        ),
        village("sarmin", "Sarmin", "idlib-district", 35.9, 36.72, name_ar="سرمين"),
        village("qminas", "Qminas", "idlib-district", 35.88, 36.67),
        village("sidi-ali", "Sidi Ali", "jisr-al-shughur-district", 35.83, 36.35),
        village("abu-omar", "Abu Omar", "jisr-al-shughur-district", 35.8, 36.3),
        # Named like an actor of the fixture: the actor keeps its name.
        village("turkistan", "Turkistan Islamic Party", "idlib-district", 35.9, 36.6),
    ],
)


def places(body, title=""):
    tagged = tag_article(make_article(title=title, body=body), GAZETTEER)
    return sorted(m.slug for m in tagged.locations)


@pytest.mark.parametrize(
    "body",
    [
        "Shells fell on homes in Sidi Ali overnight, residents said.",
        "Fighters gathered near Sidi Ali before dawn.",
        "The village of Sidi Ali lost its bakery in the strike.",
        "The strike hit Sidi Ali village at noon.",
    ],
)
def test_a_village_after_a_locative_cue_is_tagged(body):
    assert "sidi-ali" in places(body)


def test_a_village_named_without_any_support_is_not_tagged():
    assert places("Sidi Ali was the name on every banner at the rally.") == []


def test_a_village_is_tagged_when_its_province_is_named():
    assert places("Sarmin was shelled again, activists in Idlib province said.") == [
        "idlib-governorate",
        "sarmin",
    ]


def test_a_village_is_tagged_when_a_neighbour_is_named_after_a_cue():
    # Qminas is 5 km from Sarmin: one supported village supports its neighbour.
    assert places("Families fled from Qminas after the shelling in Sarmin.") == [
        "qminas",
        "sarmin",
    ]


def test_a_village_written_as_a_persons_name_is_not_tagged():
    body = (
        'Idlib burns, said Abu Omar al-Halabi, a rebel spokesman. "We stay," Sidi Ali Hamdan said.'
    )
    assert places(body) == ["idlib"]


def test_a_locative_cue_does_not_place_a_village_in_a_province_the_article_leaves_out():
    assert places("Talks in Latakia stalled as shelling hit near Sidi Ali.") == ["latakia"]


def test_a_village_never_takes_an_actors_name():
    tagged = tag_article(
        make_article(body="The Turkistan Islamic Party fought in Sarmin."), GAZETTEER
    )

    assert [m.slug for m in tagged.actors] == ["turkistan-islamic-party"]
    assert [m.slug for m in tagged.locations] == ["sarmin"]


def test_the_shipped_villages_sit_under_their_districts_with_their_arabic_names():
    villages = {v.slug: v for v in read_villages_file(DATA_DIR / "villages.csv")}
    gazetteer = Gazetteer.from_data_files()

    assert len(villages) > 10_000
    urum = gazetteer.locations["urum-as-sughra"]
    assert urum.parent_slug == "mount-simeon-district"
    assert urum.province_slug == "aleppo"
    assert urum.name_ar == "أورم الصغرى"
    assert urum.needs_context
    # Towns already in locations.csv are not loaded twice.
    assert not any(v.name == "Afrin" for v in villages.values())


def test_a_report_naming_villages_of_the_shipped_list_finds_them():
    gazetteer = Gazetteer.from_data_files()
    tagged = tag_article(
        make_article(
            body=(
                "Rebels pushed into Urum al-Sughra and Kafr Naha, west of Aleppo, "
                "while government shells fell on Anjara."
            )
        ),
        gazetteer,
    )

    found = {m.slug: gazetteer.locations[m.slug] for m in tagged.locations}
    villages = {slug for slug, place in found.items() if place.kind == "village"}
    assert {"urum-as-sughra"} <= villages
    assert all(found[slug].province_slug == "aleppo" for slug in villages)


def primary(title, body):
    return tag_article(make_article(title=title, body=body), GAZETTEER).primary_location


def test_the_primary_place_is_where_the_events_are_not_the_background_paragraph():
    body = (
        "Air strikes killed 12 people in Idlib on Tuesday, rescuers said. "
        "Since 2012 the war has torn Aleppo apart. Aleppo was once the largest city. "
        "Rebels lost Aleppo in 2016, and Aleppo has been quiet since."
    )

    assert primary("Air strikes kill 12 in the rebel-held north", body) == "idlib"


def test_the_headline_and_lead_outweigh_a_province_listed_late_many_times():
    body = (
        "Shelling hit the village of Sarmin in Idlib on Monday, activists said. Families fled "
        "north. Elsewhere, Hama province saw protests. Hama province was calm by night. "
        "In Hama province shops reopened."
    )

    assert primary("Sarmin shelled again", body) == "sarmin"
