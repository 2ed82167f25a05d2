"""The map's shapes, projection and colour scale, without a database."""

import subprocess
import sys
from pathlib import Path

from articles import maps
from articles.ingest.gazetteer import read_locations_file

GAZETTEER = Path(maps.__file__).resolve().parent / "data" / "gazetteer"
BUILD = GAZETTEER / "build_boundaries.py"

# Real coordinates (facts): (latitude, longitude).
DAMASCUS_CITY = (33.5138, 36.2765)
ALEPPO_CITY = (36.2021, 37.1343)
KHAN_SHAYKHUN = (35.4417, 36.6458)
QAMISHLI = (37.0522, 41.2317)


def test_the_map_draws_the_fourteen_governorates_under_their_gazetteer_slugs():
    places = read_locations_file(GAZETTEER / "locations.csv")
    governorates = {p.slug for p in places if p.kind == "governorate"}
    districts = {p.slug: p.parent_slug for p in places if p.kind == "district"}
    shapes = maps.boundaries()

    assert set(shapes.governorates) == governorates
    assert len(shapes.districts) == 61  # Qadmous has no polygon of its own (inside Baniyas)
    for slug, district in shapes.districts.items():
        assert districts[slug] == district.province, slug


def test_cities_fall_inside_their_own_governorate_once_projected():
    shapes = maps.boundaries()

    for (lat, lon), slug in [(DAMASCUS_CITY, "damascus"), (ALEPPO_CITY, "aleppo")]:
        x, y = shapes.project(lat, lon)
        inside = [g.slug for g in shapes.governorates.values() if maps.contains(g, x, y)]
        assert inside == [slug]


def test_a_town_filed_under_its_governorate_is_placed_in_the_district_around_it():
    shapes = maps.boundaries()

    assert shapes.district_at(*KHAN_SHAYKHUN, "idlib") == "maarrat-al-nu-man-district"
    assert shapes.district_at(*QAMISHLI, "al-hasakah") == "al-qamishli-district"
    assert shapes.district_at(*QAMISHLI, "idlib") is None


def test_damascus_is_a_hole_in_rif_dimashq_not_painted_over():
    shapes = maps.boundaries()
    x, y = shapes.project(*DAMASCUS_CITY)

    assert not maps.contains(shapes.governorates["rif-dimashq"], x, y)


def test_the_colour_scale_has_a_class_for_none_and_ends_on_the_darkest_shade():
    assert [s.label for s in maps.colour_scale(0)] == ["No articles"]

    two = maps.colour_scale(2)
    assert [s.label for s in two] == ["No articles", "1 article", "2 articles"]
    assert two[-1].css_class == "map-shade-5"

    many = maps.colour_scale(23)
    assert [s.label.replace("\N{EN DASH}", " to ") for s in many][1:] == [
        "1 to 5 articles",
        "6 to 10 articles",
        "11 to 15 articles",
        "16 to 20 articles",
        "21 to 23 articles",
    ]
    assert maps.shade_of(16, many).css_class == "map-shade-4"
    assert maps.shade_of(0, many).css_class == "map-shade-0"


def test_a_province_view_frames_the_province_and_sizes_dots_by_area():
    places = [
        maps.PlacePoint("khan-shaykhun", "Khan Shaykhun", "town", *KHAN_SHAYKHUN, count=4),
        maps.PlacePoint("saraqib", "Saraqib", "town", 35.8647, 36.8006, count=1),
    ]
    drawn = maps.province_map("idlib", {"maarrat-al-nu-man-district": 4}, places)

    left, top, width, height = drawn.view_box
    idlib = maps.boundaries().governorates["idlib"]
    assert left < idlib.bbox[0]
    assert top < idlib.bbox[1]
    assert left + width > idlib.bbox[2]
    assert top + height > idlib.bbox[3]
    assert {a.outline.slug for a in drawn.areas} == {
        "idlib-district",
        "ariha-district",
        "harim-district",
        "jisr-al-shughur-district",
        "maarrat-al-nu-man-district",
    }
    big, small = drawn.dots
    assert (big.name, small.name) == ("Khan Shaykhun", "Saraqib")
    assert round((big.r / small.r) ** 2) == 4
    assert big.title == "Khan Shaykhun: 4 articles"
    assert "idlib" not in {outline.slug for outline in drawn.context}


def test_the_committed_boundaries_are_what_the_build_makes_from_shared(shared_dir, tmp_path):
    output = tmp_path / "syria.json"
    subprocess.run(
        [sys.executable, str(BUILD), str(shared_dir / "gazetteer" / "boundaries"), "-o", output],
        check=True,
        capture_output=True,
    )

    assert output.read_bytes() == maps.BOUNDARIES.read_bytes()
