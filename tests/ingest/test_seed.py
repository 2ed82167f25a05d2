"""The seed report (../shared/seed) through parse and tag: what its reference labels expect.

Reads ../shared only through the ``shared_dir`` fixture, so a plain clone skips these.
"""

import json

import pytest

from articles.ingest.gazetteer import DATA_DIR, Gazetteer
from articles.ingest.tag import normalise, tag_article

SEED = "seed/mee-syria-rebels-2016"


@pytest.fixture(scope="module")
def gazetteer():
    if not (DATA_DIR / "actors.json").exists() or not (DATA_DIR / "locations.csv").exists():
        pytest.skip("the gazetteer data files (actors.json, locations.csv) are not there yet")
    return Gazetteer.from_data_files()


@pytest.fixture(scope="module")
def gold(shared_dir):
    return json.loads((shared_dir / f"{SEED}.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_article(shared_dir, gold):
    try:
        from articles.ingest.fetch import read_path
        from articles.ingest.parse import parse_document
    except ImportError:
        return _article_from_gold(shared_dir, gold)
    return parse_document(read_path(shared_dir / f"{SEED}.txt"))


def _article_from_gold(shared_dir, gold):
    from tests.ingest.parsed import make_article

    text = (shared_dir / f"{SEED}.txt").read_text(encoding="utf-8")
    start = text.index(gold["body_first_words"])
    end = text.index(gold["body_last_words"]) + len(gold["body_last_words"])
    return make_article(
        title=gold["title"],
        standfirst=gold["standfirst"],
        caption=gold["image_caption"],
        body=text[start:end],
    )


@pytest.fixture(scope="module")
def tagged(seed_article, gazetteer):
    return tag_article(seed_article, gazetteer)


def _spellings(label):
    names = [label["name"], *label.get("also_written", ()), *label.get("written_here", ())]
    return {normalise(name) for name in names}


def _actor_slugs(gazetteer, label):
    spellings = _spellings(label)
    return {
        actor.slug
        for actor in gazetteer.actors.values()
        if spellings & {normalise(name) for name in actor.names}
    }


def _location_slugs(gazetteer, label):
    spellings = _spellings(label)
    return {
        place.slug
        for place in gazetteer.locations.values()
        if spellings & {normalise(name) for name in place.names}
    }


def test_seed_gold_actors_are_in_the_gazetteer(gazetteer, gold):
    missing = [label["name"] for label in gold["actors"] if not _actor_slugs(gazetteer, label)]

    assert missing == []


def test_seed_every_gold_actor_is_found_with_its_kind(tagged, gazetteer, gold):
    found = {m.slug for m in tagged.actors}
    problems = []
    for label in gold["actors"]:
        slugs = _actor_slugs(gazetteer, label) & found
        kinds = {gazetteer.actors[slug].kind for slug in slugs}
        if label["type"] not in kinds:
            problems.append((label["name"], label["type"], sorted(kinds)))

    assert problems == []


def test_seed_every_gold_person_is_found_as_a_person(tagged, gazetteer, gold):
    found = {m.slug for m in tagged.actors}
    candidates = {normalise(c.name) for c in tagged.candidates if c.kind == "person"}
    missing = []
    for label in gold["people"]:
        known = {
            slug
            for slug in _actor_slugs(gazetteer, label) & found
            if gazetteer.actors[slug].kind == "person"
        }
        if not known and not (_spellings(label) & candidates):
            missing.append(label["name"])

    assert missing == []


def test_seed_every_gold_place_is_found_in_the_right_province(tagged, gazetteer, gold):
    found = {m.slug for m in tagged.locations}
    problems = []
    for label in gold["locations"]:
        rolled_up = set()
        for slug in _location_slugs(gazetteer, label) & found:
            province = gazetteer.province_of(slug)
            country = gazetteer.country_of(slug)
            rolled_up.add((province.name if province else None, country.name if country else None))
        expected_province = label["province"]
        if not any(
            normalise(province or "") == normalise(expected_province or "")
            and ("country" not in label or normalise(country or "") == normalise(label["country"]))
            for province, country in rolled_up
        ):
            problems.append((label["name"], expected_province, sorted(rolled_up, key=str)))

    assert problems == []


def test_seed_turkey_from_the_newsletter_line_is_not_tagged(tagged, gazetteer):
    turkey = normalise("Turkey")
    actors = [m.slug for m in tagged.actors if normalise(gazetteer.actors[m.slug].name) == turkey]
    places = [
        m.slug for m in tagged.locations if normalise(gazetteer.locations[m.slug].name) == turkey
    ]

    assert (actors, places) == ([], [])


def test_seed_primary_location_is_in_a_province_the_standfirst_names(tagged, gazetteer, gold):
    province = gazetteer.province_of(tagged.primary_location)

    assert province is not None
    assert province.name in gold["provinces"]
