"""The fast forms of the story text functions give what their plain forms gave: stored
fingerprints and story decisions depend on every shingle and figure."""

import random
import re
import unicodedata

from articles.ingest import story_match

# The plain forms, as they were before the fast paths.
PLAIN_FIGURE = re.compile(r"(?<![^\W\d_])(?<![^\W\d_]-)\d+(?:[.,]\d+)*(?![^\W\d_])")


def plain_normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(story_match.ARABIC_DIGITS).casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


PIECES = [
    *"aZéE\u0301ñ19-.,_ 0٣۵x—’",
    *["M5", "Su-24", "two", "Twelve", "1,200", "2019", "killed", "strikes", "والمدينة"],
    *["ال", "Ⅻ", "ﬁ", "²", "१२", "3.5", "T-72", "-4"],
]


def fuzzed(count: int = 3000) -> list[str]:
    rng = random.Random(5)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_the_figure_pattern_finds_what_the_plain_one_finds():
    for text in fuzzed():
        assert story_match.FIGURE.findall(text) == PLAIN_FIGURE.findall(text), text


def test_normalising_skips_only_steps_that_change_nothing():
    for text in [*fuzzed(), "Plain ASCII, 42 dead.", "Café ÉTÉ", "قتل ٤٢ شخصاً"]:
        assert story_match.normalise(text) == plain_normalise(text), text


def test_content_words_are_the_same_from_the_cache():
    text = "Strikes killed civilians; the strikes resumed, والمدينة قصفت"
    first = story_match.content_words(text)
    assert (
        story_match.content_words(text)
        == first
        == ["strik", "civilian", "strik", "resum", "مدينة", "قصفت"]
    )
