"""One story across outlets: are two reports about the same events? Plain Python, no Django.

A report's ``Fingerprint`` holds a MinHash (datasketch 2.0's, computed with numpy) of its
content words and word pairs, the actors and places it names, the figures it gives (death
tolls, counts) and its date.
``band_keys()`` cuts the MinHashes into LSH bands: reports sharing any band key are
candidates, looked up in PostgreSQL (``articles.stories``) within the date window, so a new
report is compared with a few dozen others, never with the archive.

``decide()`` settles a candidate pair:

- the same text (wire copies, light rewrites): estimated Jaccard of the shingles
  >= ``NEAR_DUPLICATE``;
- a paraphrase: some shared wording (>= ``SHARED_WORDING``), mostly the same actors and
  places, and the same figures where both give any;
- a translation (different languages, where words cannot be compared): mostly the same
  actors and places and the same figures;

and always within ``WINDOW_DAYS`` of each other. Two strikes on one town in one week name
the same places and groups; what tells them apart is their wording and their figures.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

NUM_PERM = 64  # text MinHash size: 32 bands of 2 rows (candidates from Jaccard ~0.15 up)
TEXT_BANDS = 32
ENTITY_PERM = 16  # entity MinHash: 8 bands of 2 rows (translations share no words)
ENTITY_BANDS = 8
# One more band: a place with one of the report's largest figures ("Khan Shaykhun, 8"), which
# finds a translation naming the groups differently.
PLACE_FIGURE_BAND = TEXT_BANDS + ENTITY_BANDS
PLACE_FIGURE_PLACES = 6
PLACE_FIGURE_FIGURES = 2
SEED = 14

WINDOW_DAYS = 3
NEAR_DUPLICATE = 0.5
# Without a figure both give, a rewrite must share this much wording.
SHARED_WORDING = 0.25
SAME_ENTITIES = 0.5
# A translation: most of the figures of the one giving fewer are in the other.
SAME_FIGURES = 0.5
MIN_SHARED_ENTITIES = 2
# An undated report is grouped only with a copy of its text.
UNDATED_NEAR_DUPLICATE = 0.7

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Figures: "42", "1,200", "3.5", "nine"; not part of a name ("M5", "Su-24"), and years are
# background, not the event's figures.
# Written digit first (the look-behinds then look past it) so that the scan skips every
# position that is not a digit at once: the same matches as
# r"(?<![^\W\d_])(?<![^\W\d_]-)\d+(?:[.,]\d+)*(?![^\W\d_])", in a quarter of the time.
FIGURE = re.compile(r"\d(?<![^\W\d_]\d)(?<![^\W\d_]-\d)\d*(?:[.,]\d+)*(?![^\W\d_])")
NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
    if n >= 2  # "one" is mostly not a figure ("one of the")
}
NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b")
YEAR = re.compile(r"(?:19|20)\d\d")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "during",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "killed",
        "more",
        "most",
        "near",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "other",
        "our",
        "over",
        "said",
        "says",
        "she",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "three",
        "through",
        "to",
        "two",
        "under",
        "until",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "would",
        "you",
        "yesterday",
        "today",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "according",
        "told",
        "reported",
        "report",
        "reports",
        "people",
        "local",
        "sources",
        "source",
    ]
)
ARABIC_STOPWORDS = frozenset(
    [
        "في",
        "من",
        "على",
        "إلى",
        "عن",
        "أن",
        "إن",
        "مع",
        "هذا",
        "هذه",
        "التي",
        "الذي",
        "كان",
        "قال",
        "وقال",
        "ذلك",
        "بعد",
        "قبل",
        "حيث",
        "أو",
        "ثم",
    ]
)


@dataclass(frozen=True)
class Fingerprint:
    """What the comparison needs of one report; stored per article by ``articles.stories``."""

    minhash: tuple[int, ...]
    entities: frozenset[str]
    figures: frozenset[str]
    day: datetime.date | None
    language: str = "en"


@dataclass(frozen=True)
class Comparison:
    text: float  # estimated Jaccard of the shingles
    entities: float  # overlap of the actors and places named: shared / the smaller set
    shared_entities: int
    figures_shared: int
    figures: float  # overlap of the figures: shared / the smaller set
    figures_conflict: bool  # both give figures and none of them agree
    days_apart: int | None
    same_language: bool


@dataclass(frozen=True)
class Decision:
    same: bool
    score: float
    reason: str


class _CombiningMarks(dict):
    """A ``str.translate`` table deleting combining marks, filled in as characters are met:
    one C-level lookup per character instead of a Python call."""

    def __missing__(self, codepoint: int) -> int | None:
        kept = None if unicodedata.combining(chr(codepoint)) else codepoint
        self[codepoint] = kept
        return kept


_WITHOUT_COMBINING_MARKS = _CombiningMarks()


_ANY_ARABIC_DIGIT = re.compile(f"[{''.join(map(chr, ARABIC_DIGITS))}]")


def normalise(text: str) -> str:
    """Case, diacritics and Arabic-Indic digits folded; Arabic letters kept."""
    # Each step only where it can change something: translating costs a dict lookup per
    # character, and most English text is ASCII (no digits or marks to fold).
    if text.isascii():
        return text.casefold()
    if _ANY_ARABIC_DIGIT.search(text):
        text = text.translate(ARABIC_DIGITS)
    text = unicodedata.normalize("NFKD", text.casefold())
    return text if text.isascii() else text.translate(_WITHOUT_COMBINING_MARKS)


def _stem(word: str) -> str:
    # Crude, but enough that "strikes" and "strike", "killed" and "kill" share a shingle.
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _content_word(word: str) -> str | None:
    """The shingle a word gives (stemmed), or None for a short word or a stopword."""
    if len(word) < 3 or word in STOPWORDS or word in ARABIC_STOPWORDS:
        return None
    # The Arabic article and conjunction glued to a word ("والمدينة") carry no meaning.
    if "\u0600" <= word[0] <= "\u06ff":
        word = re.sub(r"^(?:وال|بال|لل|ال|و)", "", word) or word
    return _stem(word)


class _ContentWords(dict):
    """``_content_word`` of every word met, filled in as words are met: a news vocabulary
    repeats, so most of an article's ~250 words are one dict lookup instead of a Python call
    (grouping's largest Python part). Emptied when it grows past ``MAX_CACHED_WORDS`` so a
    long-running worker's memory stays bounded."""

    def __missing__(self, word: str) -> str | None:
        if len(self) >= MAX_CACHED_WORDS:
            self.clear()
        found = self[word] = _content_word(word)
        return found


MAX_CACHED_WORDS = 200_000  # ~25 MB at the most
_CONTENT_WORDS = _ContentWords()


def content_words(text: str) -> list[str]:
    return _content_words(normalise(text))


def _content_words(normalised: str) -> list[str]:
    return [
        word
        for word in map(_CONTENT_WORDS.__getitem__, WORD.findall(normalised))
        if word is not None
    ]


def shingles(text: str) -> set[str]:
    """Content words and pairs of neighbouring content words: the pairs catch shared
    phrasing, the single words a paraphrase that keeps the vocabulary."""
    return _shingles(normalise(text))


def _shingles(normalised: str) -> set[str]:
    words = _content_words(normalised)
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


def figures(text: str) -> frozenset[str]:
    """The numbers a report gives (not years), digits only: "1,200" and "1200" agree."""
    return _figures(normalise(text))


def _figures(normalised: str) -> frozenset[str]:
    found = {NUMBER_WORDS[word] for word in NUMBER_WORD.findall(normalised)}
    for match in FIGURE.findall(normalised):
        digits = match.replace(".", "").replace(",", "")
        if YEAR.fullmatch(digits) or digits == "0":
            continue
        found.add(digits.lstrip("0") or "0")
    return frozenset(found)


# The MinHash is datasketch 2.0's (``MinHash(num_perm, seed=SEED)``, its default "affine32"
# scheme), computed here so that grouping does not import datasketch, which imports scipy
# (0.35 CPU-seconds and 57 MB more per process). Stored fingerprints hold these values, so they
# must never change: tests/stories/test_minhash.py checks them against datasketch itself.
_MAX_HASH = (1 << 32) - 1


@functools.cache
def _permutations(num_perm: int):
    import numpy as np  # imported on use, like datasketch was: only grouping needs it

    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(values):
    # MurmurHash3's finalizer: datasketch mixes every token hash with it first.
    import numpy as np

    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def _minhash(tokens: Iterable[str], num_perm: int) -> tuple[int, ...]:
    import numpy as np

    # Each token's hash: the first 4 bytes of its SHA-1, little-endian.
    digests = b"".join(
        [hashlib.sha1(token.encode(), usedforsecurity=False).digest()[:4] for token in tokens]
    )
    if not digests:
        return (_MAX_HASH,) * num_perm
    a, b = _permutations(num_perm)
    hashes = _fmix32(np.frombuffer(digests, dtype="<u4").astype(np.uint32).reshape(-1, 1))
    # One row per token, one column per permutation (uint32 arithmetic wraps, as intended).
    return tuple((hashes * a + b).min(axis=0).tolist())  # Python ints, as int() gives


def fingerprint(
    title: str,
    body: str,
    *,
    entities: Iterable[str],
    day: datetime.date | None,
    language: str = "en",
) -> Fingerprint:
    """``entities``: the actors and places the report names, as stable keys
    ("actor:nusra-front", "place:maarat-al-numan"); not countries, which most reports share."""
    text = normalise(f"{title}\n{body}")  # once for the shingles and the figures
    return Fingerprint(
        minhash=_minhash(sorted(_shingles(text)), NUM_PERM),
        entities=frozenset(entities),
        figures=_figures(text),
        day=day,
        language=(language or "en")[:2],
    )


def _bucket(kind: int, band: int, values: Iterable[int]) -> int:
    digest = hashlib.blake2b(
        b"".join(value.to_bytes(8, "big") for value in values), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True) ^ (kind << 8 | band)


def band_keys(fp: Fingerprint) -> list[tuple[int, int]]:
    """``[(band, bucket), ...]``: text bands 0..TEXT_BANDS-1, then entity bands, then
    place-and-figure keys.

    A report without shingles or without entities has no bands of that kind: an empty set
    would put every such report in one bucket.
    """
    keys = []
    if any(value != (1 << 32) - 1 for value in fp.minhash):
        rows = len(fp.minhash) // TEXT_BANDS
        for band in range(TEXT_BANDS):
            keys.append((band, _bucket(1, band, fp.minhash[band * rows : (band + 1) * rows])))
    if fp.entities:
        entity_hash = _minhash(sorted(fp.entities), ENTITY_PERM)
        rows = ENTITY_PERM // ENTITY_BANDS
        for band in range(ENTITY_BANDS):
            values = entity_hash[band * rows : (band + 1) * rows]
            keys.append((TEXT_BANDS + band, _bucket(2, band, values)))
    places = sorted(key for key in fp.entities if key.startswith("place:"))
    largest = sorted(fp.figures, key=lambda figure: (-len(figure), figure))
    for place in places[:PLACE_FIGURE_PLACES]:
        for figure in largest[:PLACE_FIGURE_FIGURES]:
            digest = hashlib.blake2b(f"{place}|{figure}".encode(), digest_size=8).digest()
            keys.append((PLACE_FIGURE_BAND, int.from_bytes(digest, "big", signed=True)))
    return keys


def compare(a: Fingerprint, b: Fingerprint) -> Comparison:
    if len(a.minhash) != len(b.minhash):
        raise ValueError("MinHashes of different sizes cannot be compared")
    # map(operator.eq) counts equal values in C: ~25 candidates an article, 64 values each.
    text = sum(map(operator.eq, a.minhash, b.minhash)) / len(a.minhash)
    # Overlap, not Jaccard: a short rewrite names fewer things than the long original.
    shared = len(a.entities & b.entities)
    smaller = min(len(a.entities), len(b.entities))
    figures_shared = len(a.figures & b.figures)
    fewer_figures = min(len(a.figures), len(b.figures))
    return Comparison(
        text=text,
        entities=shared / smaller if smaller else 0.0,
        shared_entities=shared,
        figures_shared=figures_shared,
        figures=figures_shared / fewer_figures if fewer_figures else 0.0,
        figures_conflict=bool(a.figures and b.figures and not figures_shared),
        days_apart=abs((a.day - b.day).days) if a.day and b.day else None,
        same_language=a.language == b.language,
    )


def decide(a: Fingerprint, b: Fingerprint) -> Decision:
    """Same story or not, with a score to pick the best of several candidates and the
    reason in words (shown to editors)."""
    c = compare(a, b)
    if c.days_apart is None:
        if c.same_language and c.text >= UNDATED_NEAR_DUPLICATE:
            return Decision(True, c.text, "the same text (one report is undated)")
        return Decision(False, c.text, "undated, and not a copy")
    if c.days_apart > WINDOW_DAYS:
        return Decision(False, 0.0, f"{c.days_apart} days apart")
    if c.same_language and c.text >= NEAR_DUPLICATE:
        return Decision(True, 1 + c.text, f"the same text ({c.text:.0%} of the wording)")
    if not c.same_language:
        # Words cannot be compared across languages; places, groups and figures can.
        if c.shared_entities and c.figures_shared and c.figures >= SAME_FIGURES:
            return Decision(
                True, c.entities + c.figures, "a translation: the same places and figures"
            )
        return Decision(False, c.figures, "another language, other places or figures")
    agree = (
        c.entities >= SAME_ENTITIES
        and c.shared_entities >= MIN_SHARED_ENTITIES
        and not c.figures_conflict
    )
    if not agree:
        return Decision(False, c.text, "different actors, places or figures")
    if c.figures_shared:
        return Decision(
            True, c.text + c.entities, "the same actors, places and figures, other wording"
        )
    if c.text >= SHARED_WORDING:
        return Decision(True, c.text + c.entities, "the same actors and places, shared wording")
    return Decision(False, c.text, "the same actors and places, but no figure or wording shared")


def entity_keys(actor_slugs: Iterable[str], place_slugs: Iterable[str]) -> frozenset[str]:
    """The keys ``fingerprint`` compares: the same whichever language named the thing."""
    return frozenset(
        [f"actor:{slug}" for slug in actor_slugs] + [f"place:{slug}" for slug in place_slugs]
    )
