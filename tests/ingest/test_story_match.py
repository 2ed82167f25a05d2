"""Story grouping's decision, without a database: the labelled fixture pairs and the parts."""

import datetime

import pytest

from articles.ingest import story_match
from articles.ingest.gazetteer import Gazetteer
from bench.eval_stories import evaluate

DAY = datetime.date(2019, 7, 22)


@pytest.fixture(scope="module")
def score():
    return evaluate(Gazetteer.from_data_files())


def test_grouping_finds_every_labelled_pair_and_no_hard_negative(score):
    # Measured on the project's own fictional pairs (articles/data/stories/pairs.json), the
    # set the thresholds were tuned on; bench/eval_stories.py prints the same figures.
    assert [r.pair_id for r in score.wrong] == []
    assert score.precision == 1.0
    assert score.recall == 1.0


def test_the_pairs_cover_copies_rewrites_paraphrases_translations_and_hard_negatives(score):
    kinds = {r.kind for r in score.results}

    assert {"wire copy", "rewrite", "paraphrase", "translation"} <= kinds
    assert "two strikes on one town in one week" in kinds
    assert sum(not r.expected for r in score.results) >= 8


def report(text: str, entities=("place:maarat-al-numan", "actor:russia"), day=DAY, lang="en"):
    return story_match.fingerprint(
        text.split("\n")[0], text, entities=entities, day=day, language=lang
    )


def test_figures_are_the_events_numbers_not_years_or_road_names():
    found = story_match.figures("In 2019, 1,200 fled along the M5; nine died and 31 were hurt.")

    assert found == {"1200", "9", "31"}


def test_arabic_indic_digits_are_the_same_figures():
    assert story_match.figures("قتل ٣١ مدنياً") == {"31"}


def test_a_copy_shares_most_band_keys_and_an_unrelated_report_none():
    text = "Air strikes hit the vegetable market of Maarat al-Numan, killing 31 civilians."
    copy = report(text + " The monitor said so.")
    other = report("Talks resumed in Geneva between the delegations.", entities=("place:geneva",))

    keys = set(story_match.band_keys(report(text)))
    assert len(keys & set(story_match.band_keys(copy))) > 20
    assert keys.isdisjoint(story_match.band_keys(other))


def test_reports_more_than_three_days_apart_are_never_one_story():
    text = "Air strikes hit the vegetable market of Maarat al-Numan, killing 31 civilians."
    later = report(text, day=DAY + datetime.timedelta(days=4))

    decision = story_match.decide(report(text), later)

    assert not decision.same
    assert decision.reason == "4 days apart"


def test_an_undated_report_joins_only_a_copy_of_its_text():
    text = "Air strikes hit the vegetable market of Maarat al-Numan, killing 31 civilians."
    undated_copy = report(text, day=None)
    undated_other = report("Russia's jets struck Maarat al-Numan; 31 died.", day=None)

    assert story_match.decide(report(text), undated_copy).same
    assert not story_match.decide(report(text), undated_other).same


def test_a_report_with_no_places_or_groups_has_no_entity_keys():
    fp = report("A statement.", entities=())

    assert all(band < story_match.TEXT_BANDS for band, _ in story_match.band_keys(fp))
