"""Known names under spellings the gazetteer does not list. Plain Python, no Django.

The exact matcher in ``tag.py`` already folds the common transliteration noise (case,
diacritics, doubled letters, ou/u, ay/ai, Jebel/Jabal). What it cannot fold are vowel
choices and dropped words: "Jaish al-Ezzah" (Jaish al-Izza), "Jaish al-Naser" (Jaish
al-Nasr), "Nour Addien al-Zinki" (Nour al-Din al-Zenki), "the Turkistan Party" (the
Turkistan Islamic Party). Here every gazetteer name is reduced further to a *fuzzy key*
(the tagger's key without articles, e/i and o/u merged, vowel runs and a final -h
dropped) and a name found in an article is scored against the keys that share a word
with it, with rapidfuzz's normalised Indel similarity. Cost: one dictionary lookup per
word of the name and a few string comparisons, whatever the size of the gazetteer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from articles.ingest.gazetteer import Gazetteer

# At or above this score a name is taken as the known actor; below it, down to
# GUESS_AT, a candidate is stored with the actor as its best guess for an editor.
# Measured on the labelled sets (docs/ingestion.md): one-letter vowel changes of a
# two-word name score 0.90-0.96, different groups sharing a head word 0.55-0.80.
TAG_AT = 0.90
GUESS_AT = 0.75
# People's names are shorter and differ by a letter between two people (Hassan /
# Hussein): they need more.
PERSON_TAG_AT = 0.92

# Words whose absence does not change which actor is meant: "the Turkistan Party" is the
# Turkistan Islamic Party, but "the Syrian Army" is not the Free Syrian Army.
_FILLER_WORDS = (
    "islamic islamiya islamia syrian arab party movement front army forces force "
    "brigade brigades battalion battalions group of the in and for"
)
_VOWEL_RUN = re.compile(r"[aeiou]{2,}")
_SKIP_WORDS = frozenset({"al", "."})


@dataclass(frozen=True, slots=True)
class Guess:
    slug: str
    score: float  # 0..1


def fuzzy_key(normalised: str) -> str:
    """The tagger's key (``tag.normalise``) reduced to what spellings of one name share."""
    words = []
    for word in normalised.split():
        if word in _SKIP_WORDS:
            continue
        word = word.replace("e", "i").replace("o", "u")
        word = _VOWEL_RUN.sub(lambda m: m.group()[0], word)
        if len(word) > 3 and word.endswith("h") and word[-2] in "aiu":
            word = word[:-1]
        # "Abdel", "Abdul", "Abd al-": one name element.
        if word in ("abdil", "abdul", "abdal"):
            word = "abd"
        words.append(word)
    return " ".join(words)


# Through the same folding as the keys they are compared with.
_FILLER = frozenset(fuzzy_key(word) for word in _FILLER_WORDS.split())


class FuzzyIndex:
    """Fuzzy keys of every actor name, looked up through the words they contain."""

    def __init__(self, gazetteer: Gazetteer, normalise) -> None:
        self.gazetteer = gazetteer
        self._normalise = normalise
        self.keys: dict[str, set[str]] = {}  # fuzzy key -> actor slugs
        self.by_word: dict[str, set[str]] = {}  # word -> fuzzy keys containing it
        for actor in gazetteer.actors.values():
            for name in actor.names:
                key = fuzzy_key(normalise(name))
                if not key:
                    continue
                self.keys.setdefault(key, set()).add(actor.slug)
                for word in key.split():
                    if word not in _FILLER:
                        self.by_word.setdefault(word, set()).add(key)

    def best(self, name: str, *, person: bool | None = None) -> Guess | None:
        """The known actor ``name`` most probably means, with its score, or None.

        ``person`` True looks only at people, False only at everything else, None at all.
        """
        key = fuzzy_key(self._normalise(name))
        words = key.split()
        if len(words) < 2:
            return None  # one word is too little to guess from
        pool: set[str] = set()
        for word in words:
            pool |= self.by_word.get(word, set())
        best: Guess | None = None
        # In sorted order: of equally close names the first wins, the same in every process
        # (a set's order changes with the hash seed).
        for other in sorted(pool):
            score = _score(words, key, other)
            if best is not None and score <= best.score:
                continue
            slugs = [
                s
                for s in sorted(self.keys[other])
                if person is None or (self.gazetteer.actors[s].kind == "person") == person
            ]
            if len(slugs) == 1:
                best = Guess(slugs[0], round(score, 3))
        return best if best is not None and best.score >= GUESS_AT else None

    def tag_threshold(self, slug: str) -> float:
        return PERSON_TAG_AT if self.gazetteer.actors[slug].kind == "person" else TAG_AT


# Two spellings with the same fuzzy key (Ezzah / Izza) are as close as fuzzy matching
# gets, but still not the spelling the gazetteer lists: confidence 1 means exactly that.
SAME_KEY = 0.98


_DIGITS = re.compile(r"\d+")


def _score(words: list[str], key: str, other: str) -> float:
    if _DIGITS.findall(key) != _DIGITS.findall(other):
        return 0.0  # the 17th Division is not the 13th, however alike the letters
    similarity = min(fuzz.ratio(key, other) / 100, SAME_KEY)
    other_words = other.split()
    if len(words) < len(other_words) and set(words) < set(other_words):
        missing = set(other_words) - set(words)
        if missing <= _FILLER:
            # A name with only filler words left out: nearly certain, more so the more of
            # the name is there.
            similarity = max(similarity, 0.9 + 0.08 * len(words) / len(other_words))
    return similarity


_INDEXES: dict[int, FuzzyIndex] = {}


def fuzzy_index_for(gazetteer: Gazetteer, normalise) -> FuzzyIndex:
    """One index per gazetteer version, like the tagger's compiled matcher."""
    index = _INDEXES.get(gazetteer.fingerprint)
    if index is None:
        if len(_INDEXES) >= 8:
            _INDEXES.pop(next(iter(_INDEXES)))
        index = _INDEXES[gazetteer.fingerprint] = FuzzyIndex(gazetteer, normalise)
    return index
