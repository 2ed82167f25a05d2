"""Everyday Arabic spellings of one name fold to the same key, for the tagger and search."""

import pytest

from articles.ingest import arabic


@pytest.mark.parametrize(
    ("everyday", "formal"),
    [
        ("ادلب", "إدلب"),
        ("حماه", "حماة"),
        ("الحسكه", "الحسكة"),
        ("القامشلى", "القامشلي"),
        ("بصري الشام", "بُصرى الشّام"),
        ("اللاذقيه", "اللاذقـــية"),
    ],
)
def test_everyday_spellings_fold_to_the_formal_spelling(everyday, formal):
    assert arabic.fold(everyday) == arabic.fold(formal)


def test_folding_keeps_one_character_for_each_letter_so_offsets_survive():
    text = "قصف على إدلب"
    assert len(arabic.fold(text)) == len(text)
    assert [arabic.fold_char(c) for c in "إدلب"] == ["ا", "د", "ل", "ب"]
    assert arabic.fold_char("\u064e") == ""  # a fatha is dropped


@pytest.mark.parametrize("written", ["الرقة", "والرقة", "بالرقة", "للرقة", "وللرقة", "فالرقة"])
def test_the_article_and_what_is_attached_before_it_are_stripped(written):
    assert arabic.strip_article(written) == "رقه"


def test_short_words_and_other_scripts_are_left_alone():
    assert arabic.strip_article("الى") == "الي"
    assert arabic.fold("Idlib") == "Idlib"
    assert not arabic.is_arabic("Idlib")
