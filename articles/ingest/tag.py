"""Tag a parsed article with the actors and places it names. Plain Python, no Django.

How it works, in the order ``tag_article`` runs:

1. Every gazetteer name is reduced to a *key* by ``_normalise`` (case, diacritics,
   apostrophes, hyphens, Arabic article and common transliteration variants folded away)
   and compiled into one Aho-Corasick automaton per gazetteer, cached by fingerprint.
2. Each field (title, standfirst, caption, body) is reduced the same way, keeping for
   every word its offsets in the original text, and scanned once. Matching cost grows
   with the text, not with the gazetteer.
3. Overlapping matches keep the longest, then leftmost. Names shared by several
   entries (Latakia the governorate, the city, the district) are settled from the
   words around them; a country that is also a state is the state, and the place too
   after "in", "to"...; after "from", "through", "the border with", "neighbouring" or a
   direction ("southern Lebanon") it is only the place.
4. Acronyms the article defines ("High Negotiations Committee (HNC)") become aliases for
   this article only, and names the gazetteer lacks that look like armed groups or people
   become ``CandidateActor`` rows for an editor to review.
5. The primary location is chosen by ``articles.ingest.places.primary_place``.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, product
from typing import TYPE_CHECKING, NamedTuple, Protocol

import ahocorasick

from articles.ingest import arabic
from articles.ingest import people as people_rules
from articles.ingest.fuzzy import FuzzyIndex, fuzzy_index_for
from articles.ingest.gazetteer import Gazetteer
from articles.ingest.places import primary_place, support_villages
from articles.ingest.states import name_states
from articles.vocabulary import TextField

if TYPE_CHECKING:
    from articles.ingest.parse import ParsedArticle

FIELDS = tuple(field.value for field in TextField)
SENTENCE_MAX = 400
# Stored with every mention: a re-tag by a newer tagger shows on the mentions it wrote.
# Change it with any change to what the tagger finds.
EXTRACTOR = "tagger-2026.12.7"


# --- contract dataclasses ------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    field: str  # "title" | "standfirst" | "caption" | "body"
    start: int
    end: int


@dataclass
class Mention:
    slug: str
    count: int
    first_field: str
    first_offset: int
    sentence: str
    spans: list[Span]
    written: list[str] = field(default_factory=list)  # distinct forms, in order of appearance
    role: str = ""  # people: a key of vocabulary.PERSON_ROLES the text gives
    confidence: float = 1.0  # below 1 when matched fuzzily (fuzzy.py)


@dataclass
class CandidateActor:
    name: str
    kind: str
    count: int
    first_field: str
    first_offset: int
    sentence: str
    role: str = ""
    probable: str | None = None  # slug of the known actor this most probably is
    probable_score: float | None = None


@dataclass
class TaggedArticle:
    article: ParsedArticle
    actors: list[Mention]
    locations: list[Mention]
    candidates: list[CandidateActor]
    primary_location: str | None  # slug
    extractor: str = EXTRACTOR


class _HasFields(Protocol):
    # All the tagger reads of a ParsedArticle; lets tests pass a stand-in.
    title: str
    standfirst: str
    caption: str
    body: str


# --- normalisation -------------------------------------------------------------------

# Apostrophes and the ayn/hamza marks transliterators write in their place are dropped,
# so Kata'ib, Kataib and Kata-with-a-hamza-mark-ib are one word.
_APOSTROPHES = frozenset("'\u2019\u2018\u02bf\u02be\u02bc`\u00b4\u2032")
# Hyphens and spaces are the same join ("al-Ghab" = "al Ghab"); en and em dashes are not,
# they separate clauses.
_HYPHENS = frozenset("-\u2010\u2011")
# A punctuation run becomes this token, so no name is matched across a comma or full stop.
_BARRIER = "."
# Sun-letter spellings of the article only count as articles when hyphenated: "as-Sham"
# is an article, "as Sham" is English.
_ARTICLES_HYPHENATED = frozenset({"al", "el", "ash", "as", "ad", "at", "ar", "az", "an", "ul"})
_ARTICLES_SPACED = frozenset({"al", "el"})
_ARTICLE = "al"
# Spelling variants of the common words place and group names are built from. Keys are
# already through _fold_word's letter rules (doubles collapsed, ou->u, ay->ai).
_WORD_VARIANTS = {
    "khirbet": "khirbat",
    "khirbeh": "khirbat",
    "jebel": "jabal",
    "jabel": "jabal",
    "jebal": "jabal",
    "jbel": "jabal",
    "deir": "dair",
    "der": "dair",
    "tel": "tal",
    "kfar": "kafr",
    "kafar": "kafr",
    "sheikh": "shaikh",
    "sheik": "shaikh",
    "shekh": "shaikh",
    "jeish": "jaish",
    "for": "of",
}


def _words(text: str) -> list[str]:
    return text.split()


_DOUBLED_LETTER = re.compile(r"([^\W\d_])\1+")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """Casefold and strip diacritics from one character (Genève -> geneve); Arabic letters
    fold through ``articles.ingest.arabic`` (إ -> ا, ة -> ه; marks and tatweel -> '')."""
    if "\u0600" <= char <= "\u06ff":
        return arabic.fold_char(char)
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    # Transliteration noise: Ghaab/Ghab, Lattakia/Latakia, Naqous/Naqus, Jaysh/Jaish.
    # Applied alike to names and text, so English words are distorted harmlessly.
    word = _DOUBLED_LETTER.sub(r"\1", word)
    word = word.replace("ou", "u").replace("ay", "ai")
    return _WORD_VARIANTS.get(word, word)


# Words that, first in a name, mark it as an Arabic name in which the article is often
# dropped or added ("Jabal Akrad" = "Jabal al-Akrad").
_ARABIC_HEADS = frozenset(
    _fold_word(w)
    for w in _words(
        "jabal ain bir tal dair kafr khirbat jisr ras sahl wadi marj qalat maarat tal "
        "jaish jabhat harakat ahrar liwa kataib katibat ansar jund saraya faylaq firqat "
        "tajamu haiat abu bab bani beit bait umm"
    )
)


class _Token(NamedTuple):
    # A tuple, not a dataclass: a long text makes tens of thousands of them.
    key: str  # normalised word, or _BARRIER
    start: int  # offsets of the original word
    end: int


# How ``_tokens`` reads each character, one letter per class, so a text is split into
# words by one regular expression over ``text.translate(_CLASSES)`` instead of a Python
# loop over its characters. Upper case marks the characters ``str.isalnum`` accepts: the
# possessive rule looks at the original character after "'s", not its fold.
_WORD, _WORD_ODD, _S_LETTER = "w", "W", "z"  # letters and digits; "W" not isalnum; s or S
_MARK, _MARK_ALNUM = "m", "M"  # folds to nothing (a diacritic, tatweel): part of a word
_APOSTROPHE = "a"
_HYPHEN = "h"
_SPACE, _SPACE_ALNUM = "s", "S"  # separates words
_PUNCT, _PUNCT_ALNUM = "p", "P"  # separates words and is a barrier


def _class_of(char: str) -> str:
    if char in _APOSTROPHES:
        return _APOSTROPHE
    folded = _fold_char(char)
    alnum = char.isalnum()
    if folded and folded.isalnum():
        if char in "sS":
            return _S_LETTER
        return _WORD if alnum else _WORD_ODD
    if not folded and not char.isspace():
        return _MARK_ALNUM if alnum else _MARK
    if char in _HYPHENS:
        return _HYPHEN
    if char.isspace() or not folded or folded.isspace():
        return _SPACE_ALNUM if alnum else _SPACE
    return _PUNCT_ALNUM if alnum else _PUNCT


class _CharTable(dict):
    """A ``str.translate`` table filled as characters are first seen: every code point
    cannot be tabulated up front, and a text uses a few hundred."""

    def __init__(self, of_char) -> None:
        super().__init__()
        self._of_char = of_char

    def __missing__(self, ordinal: int) -> str:
        value = self[ordinal] = self._of_char(chr(ordinal))
        return value


_CLASSES = _CharTable(_class_of)
# Marks fold to "" and apostrophes are dropped, so a run's letters translate to its word.
_FOLDS = _CharTable(lambda char: "" if char in _APOSTROPHES else _fold_char(char))
# What comes before a word (captured: a punctuation mark among it, the barrier), then the
# word: a letter, then letters, marks and apostrophes, where "'s" before a character that
# is not alphanumeric is a possessive ("Alloush's" is Alloush); then a hyphen right after
# it (captured). Alternatives are tried in order and the word's repetition is followed by
# nothing that can fail, so the first reading is the one taken, character by character.
_RUN = re.compile(r"[^wzWpP]*([pP])?[^wzW]*([wzW](?:[wzWmM]|az(?![wzMSP])|a)*)(h)?")
_LETTER_CLASSES = frozenset("wzW")
_POSSESSIVE = re.compile(r"az(?![wzMSP])")


def _letters_of(text: str, classes: str, start: int, run_end: int) -> tuple[int, str]:
    """(end, folded word) of a run with apostrophes: its letters, less a possessive "s";
    it ends on its last letter."""
    letters = [p for p in range(start, run_end) if classes[p] in _LETTER_CLASSES]
    # The lookahead must see the character after the run, as the run's did.
    for possessive in _POSSESSIVE.finditer(classes, start, run_end + 1):
        letters.remove(possessive.start() + 1)
    return letters[-1] + 1, "".join(text[p] for p in letters).translate(_FOLDS)


_ARABIC_INITIALS = frozenset(chr(c) for c in range(0x0620, 0x064B))


def _word_key(word: str, hyphen_after: bool) -> str:
    if word in _ARTICLES_SPACED or (hyphen_after and word in _ARTICLES_HYPHENATED):
        return _ARTICLE
    if word[0] in _ARABIC_INITIALS:
        # والرقة, بالرقة, للرقة and الرقة share one key; a bare proclitic (وإدلب) is
        # settled against the gazetteer's words in ``_Matcher.iter_matches``.
        return arabic.strip_article(word)
    return _fold_word(word)


@lru_cache(maxsize=65536)
def _surface_key(surface: str, hyphen_after: bool) -> str:
    # Reporting repeats its words: each spelling is folded once, not at every occurrence.
    return _word_key(surface.translate(_FOLDS), hyphen_after)


def _tokens(text: str) -> list[_Token]:
    """The words of ``text`` as keys with their offsets, a barrier token where
    punctuation separates two words."""
    tokens: list[_Token] = []
    append = tokens.append
    # tuple.__new__ directly: a NamedTuple's own constructor is a Python function call.
    token = tuple.__new__
    classes = text.translate(_CLASSES)
    for match in _RUN.finditer(classes):
        barrier, run, hyphen = match.groups()
        start, run_end = match.span(2)
        hyphen_after = hyphen is not None
        if _APOSTROPHE in run:
            end, word = _letters_of(text, classes, start, run_end)
            key = _word_key(word, hyphen_after)
        else:
            end = start + len(run.rstrip("mM"))
            key = _surface_key(text[start:end], hyphen_after)
        # Only words are appended between barriers, so the last token is never one.
        if barrier is not None and tokens:
            append(token(_Token, (_BARRIER, start, start)))
        append(token(_Token, (key, start, end)))
    return tokens


def normalise(text: str) -> str:
    """The comparable key of a name or text: what two spellings share when they match."""
    return " ".join(t.key for t in _tokens(text))


# The same names (people, candidate groups) come back in article after article and are
# normalised several times in each; whole texts go through ``normalise`` uncached.
_normalise_name = lru_cache(maxsize=8192)(normalise)


# --- the compiled gazetteer ----------------------------------------------------------

# Words after which a country named as a state is also the place ("fled to Turkey").
_LOCATIVE = frozenset({"in", "into", "to", "from", "across", "inside", "near", "at"})
_DIRECTIONS = frozenset(
    _words(
        "northern southern eastern western north south east west central northeastern "
        "northwestern southeastern southwestern rural"
    )
)


@dataclass(frozen=True, slots=True)
class _Entry:
    is_actor: bool
    slug: str
    exact: str | None  # letters the text must show in this case (short all-caps aliases)
    needs_capital: bool  # one-word proper name: "turkey" the bird is not Turkey
    multiword: bool
    everyday: bool = False  # an Arabic place name that is also a common word (جديدة)
    article: bool = False  # an Arabic place name with its article: text must write it too


def _case_sensitive_letters(alias: str) -> str | None:
    letters = "".join(c for c in alias if c.isalpha())
    if letters and len(alias) <= 5 and letters.isupper():
        return letters
    return None


def _alias_variants(tokens: list[str]) -> set[str]:
    """The keys one alias is matched under: optional inner articles and plural."""
    if len(tokens) < 2:
        return {" ".join(tokens)}
    # Inner "al" is optional both ways: every subset of the existing ones may be dropped,
    # and an Arabic name without one also matches with one before its last word.
    choices: list[tuple[str, ...]] = []
    for index, token in enumerate(tokens):
        if index > 0 and token == _ARTICLE and index < len(tokens) - 1:
            choices.append((token, ""))
        else:
            choices.append((token,))
    bases = {tuple(t for t in combo if t) for combo in product(*choices)}
    if _ARTICLE not in tokens[1:] and tokens[0] in _ARABIC_HEADS and len(tokens) <= 3:
        bases.add((*tokens[:-1], _ARTICLE, tokens[-1]))
    variants: set[str] = set()
    for base in bases:
        variants.add(" ".join(base))
        last = base[-1]
        # "al-Ghab Plains" is the al-Ghab Plain, and the other way round.
        if last.isalpha() and len(last) > 3:
            other = last[:-1] if last.endswith("s") else last + "s"
            variants.add(" ".join((*base[:-1], other)))
    return variants


class _Matcher:
    """The automaton over every alias key of one gazetteer, plus what tagging needs."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        table: dict[str, list[_Entry]] = {}
        for actor in gazetteer.actors.values():
            for alias in actor.names:
                self._add(table, alias, is_actor=True, slug=actor.slug)
        for location in gazetteer.locations.values():
            for alias in location.names:
                self._add(table, alias, is_actor=False, slug=location.slug, kind=location.kind)
        # A village (tagged only with support) never shares a name with an actor or another
        # place: what reporting means by that name is the entry curated for it.
        villages = {loc.slug for loc in gazetteer.locations.values() if loc.needs_context}
        for key, entries in table.items():
            if any(e.is_actor or e.slug not in villages for e in entries):
                table[key] = [e for e in entries if e.is_actor or e.slug not in villages]
        self.automaton = ahocorasick.Automaton()
        for key, entries in table.items():
            # Padded with spaces so every hit starts and ends on a word boundary.
            entries = tuple(dict.fromkeys(entries))
            # Most keys' entries fit any spelling of them: their hits need no checking.
            plain = not any(e.exact is not None or e.needs_capital or e.article for e in entries)
            self.automaton.add_word(f" {key} ", (len(key) + 2, entries, plain))
        if table:
            self.automaton.make_automaton()
        self.keys = frozenset(table)
        self.words = frozenset(word for key in table for word in key.split())
        countries = Counter(
            loc.country_slug for loc in gazetteer.locations.values() if loc.country_slug
        )
        # The archive's own country (the one most places sit in) is a place, never an actor.
        self.home_country = countries.most_common(1)[0][0] if countries else None

    @staticmethod
    def _add(
        table: dict[str, list[_Entry]], alias: str, *, is_actor: bool, slug: str, kind: str = ""
    ) -> None:
        tokens = [t.key for t in _tokens(alias)]
        while tokens and tokens[0] == _BARRIER:
            tokens.pop(0)
        while tokens and tokens[-1] == _BARRIER:
            tokens.pop()
        if not tokens:
            return
        words = [t for t in tokens if t not in (_ARTICLE, _BARRIER)]
        first_letter = next((c for c in alias if c.isalpha()), "")
        exact = _case_sensitive_letters(alias.strip())
        entry = _Entry(
            is_actor=is_actor,
            slug=slug,
            exact=exact,
            needs_capital=exact is None and len(words) <= 1 and first_letter.isupper(),
            multiword=len(words) > 1,
            everyday=not is_actor and len(tokens) == 1 and _is_everyday(tokens[0], kind),
            # الحول is al-Hawl, حول is "around": an Arabic name's article is part of it.
            article=not is_actor
            and arabic.is_arabic(alias)
            and arabic.has_article(alias.split()[0]),
        )
        for key in _alias_variants(tokens):
            table.setdefault(key, []).append(entry)
        if exact is not None and is_actor and len(tokens) == 1:
            # "the UNs envoy", "the PKKs affiliate": a possessive whose apostrophe a site
            # stripped. Only as written, capitals then "s": "UNs", never "uns".
            table.setdefault(tokens[0] + "s", []).append(
                dataclasses.replace(entry, exact=exact + "s")
            )

    def _without_proclitic(self, key: str) -> str:
        """وإدلب -> ادلب, بحلب -> حلب, وبحلب -> حلب: a bare و ف ب ل ك is dropped only when the
        word as written is no gazetteer word and what is left is one (لبنان stays Lebanon)."""
        if key in self.words or key in arabic.WHOLE_WORDS:
            return key  # لبنان is Lebanon and وزارة "ministry", not و + a village زارة
        rest = key[1:] if key[:1] in _CONJUNCTION_LETTERS else key
        for stem in (rest, rest[1:] if rest[:1] in _PREPOSITION_LETTERS else ""):
            if stem != key and len(stem) >= _MIN_PROCLITIC_STEM and stem in self.words:
                return stem
        return key

    def iter_matches(self, text: str) -> Iterator[_RawMatch]:
        tokens = _tokens(text)
        if not tokens or not self.keys:
            return
        tokens = [
            _Token(self._without_proclitic(t.key), t.start, t.end)
            if t.key[:1] in _PROCLITIC_LETTERS
            else t
            for t in tokens
        ]
        key_parts = [token.key for token in tokens]
        key = " " + " ".join(key_parts) + " "
        # Where each token's key starts in ``key``, and one past the last: hits are far
        # fewer than tokens, so each is placed by bisection rather than every token mapped.
        starts = list(accumulate((len(part) + 1 for part in key_parts), initial=1))
        for end_pos, (length, entries, plain) in self.automaton.iter(key):
            first_index = bisect.bisect_left(starts, end_pos - length + 2)
            # The hit's closing space is where the next token's key would start, less one.
            last_index = bisect.bisect_left(starts, end_pos + 1) - 1
            first, last = tokens[first_index], tokens[last_index]
            if plain:
                kept = entries
            else:
                surface = text[first.start : last.end]
                written = text[first.start : first.end]
                kept = tuple(
                    e
                    for e in entries
                    if _surface_fits(e, surface, text[last.start])
                    and (not e.article or arabic.has_article(written))
                )
            if kept:
                yield _RawMatch(first.start, last.end, kept, tokens, first_index)


_EVERYDAY_KEYS = frozenset(arabic.everyday_key(w) for w in arabic.EVERYDAY_WORDS)
# Cities and governorates are named bare every day, however common the word (حماة, الباب).
_FREQUENT_NAME_KINDS = frozenset(
    {"village", "town", "subdistrict", "district", "region", "landform"}
)


def _is_everyday(key: str, kind: str) -> bool:
    return key in _EVERYDAY_KEYS or (
        kind in _FREQUENT_NAME_KINDS and key in arabic.FREQUENT_NAME_KEYS
    )


_CONJUNCTION_LETTERS = frozenset("\u0648\u0641")  # و ف
_PREPOSITION_LETTERS = frozenset("\u0628\u0644\u0643")  # ب ل ك
_PROCLITIC_LETTERS = _CONJUNCTION_LETTERS | _PREPOSITION_LETTERS
# Shorter stems are too often another word with a letter dropped (بعد is not عد).
_MIN_PROCLITIC_STEM = 3


def _surface_fits(entry: _Entry, surface: str, head_initial: str) -> bool:
    if entry.exact is not None:
        # "US" is the United States, "us" is not; "UN-mediated" still names the UN.
        return "".join(c for c in surface if c.isalpha()) == entry.exact
    if entry.needs_capital:
        return not head_initial.islower()
    return True


@dataclass(frozen=True, slots=True)
class _RawMatch:
    start: int
    end: int
    entries: tuple[_Entry, ...]
    tokens: list[_Token]
    first_token: int

    def previous_words(self, text: str, count: int) -> list[str]:
        words: list[str] = []
        index = self.first_token - 1
        while index >= 0 and len(words) < count:
            token = self.tokens[index]
            if token.key == _BARRIER:
                break
            words.append(text[token.start : token.end].lower())
            index -= 1
        return words


_MATCHERS: dict[int, _Matcher] = {}


def _matcher_for(gazetteer: Gazetteer) -> _Matcher:
    fingerprint = gazetteer.fingerprint
    matcher = _MATCHERS.get(fingerprint)
    if matcher is None:
        # A handful of gazetteers at most (the live one, a test fixture); never unbounded.
        if len(_MATCHERS) >= 8:
            _MATCHERS.pop(next(iter(_MATCHERS)))
        matcher = _MATCHERS[fingerprint] = _Matcher(gazetteer)
    return matcher


# --- choosing among entries ----------------------------------------------------------

_KIND_PREFERENCE = ("city", "town", "governorate", "district", "subdistrict", "village")
_GOVERNORATE_BEFORE = re.compile(
    r"(?:\b(?:province|governorate|countryside)\s+of\s+(?:the\s+)?|\brural\s+)$", re.I
)
_GOVERNORATE_AFTER = re.compile(
    r"^(?:\s*(?:,|and|&)\s+(?:(?:al|el)[- ])?[A-Z][\w'\u2019-]*)*"
    r"\s+(?i:province|provinces|governorate|governorates|countryside)\b"
)
_CITY_BEFORE = re.compile(
    r"(?:\b(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?\s+of"
    r"|\b(?:city|town|outskirts|centre|center|streets|heart)\s+of"
    r"|\bnear|\boutside)\s+(?:the\s+)?$",
    re.I,
)
_CITY_AFTER = re.compile(r"^\s+(?:city|town)\b", re.I)
_PROVINCE_NEARBY = re.compile(r"\b(?:province|governorate)s?\b", re.I)


def _location_cue(text: str, start: int, end: int) -> str | None:
    """'governorate' or 'city' when the words around the name say so, else None."""
    before, after = text[max(0, start - 40) : start], text[end : end + 80]
    if _GOVERNORATE_BEFORE.search(before) or _GOVERNORATE_AFTER.match(after):
        return "governorate"
    if _CITY_BEFORE.search(before) or _CITY_AFTER.match(after):
        return "city"
    return None


def _pick_location(
    slugs: list[str], gazetteer: Gazetteer, cue: str | None, text: str, start: int, end: int
) -> str:
    by_kind: dict[str, str] = {}
    for slug in slugs:
        by_kind.setdefault(gazetteer.locations[slug].kind, slug)
    if cue == "governorate" and "governorate" in by_kind:
        return by_kind["governorate"]
    if cue == "city":
        for kind in ("city", "town"):
            if kind in by_kind:
                return by_kind[kind]
    window = text[max(0, start - 80) : end + 80]
    if "governorate" in by_kind and _PROVINCE_NEARBY.search(window):
        return by_kind["governorate"]
    for kind in _KIND_PREFERENCE:
        if kind in by_kind:
            return by_kind[kind]
    return slugs[0]


@dataclass
class _Hit:
    field: str
    start: int
    end: int
    actor: str | None = None
    locations: list[str] = field(default_factory=list)  # ambiguous until resolved
    cue: str | None = None
    country_too: str | None = None  # a state actor's country, after a locative word


class _HitsByPosition:
    """The hits of each field ordered by start, so the hits under a span are found by
    bisection: a long document names thousands of people and has tens of thousands of
    hits, and scanning every hit for every person made tagging it quadratic."""

    def __init__(self, hits: list[_Hit]) -> None:
        self._order = {id(hit): n for n, hit in enumerate(hits)}
        self._by_field: dict[str, list[_Hit]] = {}
        for hit in sorted(hits, key=lambda h: h.start):
            self._by_field.setdefault(hit.field, []).append(hit)
        self._starts = {name: [h.start for h in group] for name, group in self._by_field.items()}
        self._longest = max((h.end - h.start for h in hits), default=0)
        self._dropped: set[int] = set()

    def drop(self, hit: _Hit) -> None:
        self._dropped.add(id(hit))

    def overlapping(self, span: Span) -> list[_Hit]:
        """The hits not dropped that overlap ``span``, in the order they were found."""
        group = self._by_field.get(span.field, [])
        starts = self._starts.get(span.field, [])
        first = bisect.bisect_left(starts, span.start - self._longest)
        last = bisect.bisect_left(starts, span.end)
        near = [h for h in group[first:last] if span.start < h.end and id(h) not in self._dropped]
        return sorted(near, key=lambda h: self._order[id(h)])


_BASED_IN = re.compile(r"\.?[-\u2010\u2011 ]based\b", re.IGNORECASE)


def _hits_in_field(name: str, text: str, matcher: _Matcher, gazetteer: Gazetteer) -> list[_Hit]:
    raw = sorted(matcher.iter_matches(text), key=lambda m: (m.start - m.end, m.start))
    starts = {match.start for match in raw}
    title_case: bool | None = None
    taken: list[tuple[int, int]] = []
    hits: list[_Hit] = []
    for match in raw:
        index = bisect.bisect_left(taken, (match.start, match.end))
        # Longest wins, then leftmost: drop anything overlapping an accepted match.
        if index > 0 and taken[index - 1][1] > match.start:
            continue
        if index < len(taken) and taken[index][0] < match.end:
            continue
        taken.insert(index, (match.start, match.end))
        if _BASED_IN.match(text, match.end):
            # "the Britain-based monitor": where an outlet sits, not who acts or where.
            continue
        if _PLACE_AFTER.match(text, match.end) and all(
            entry.is_actor and gazetteer.actors[entry.slug].kind == "person"
            for entry in match.entries
        ):
            continue  # "al-Assad suburb", "Basel al-Assad Stadium": a place named after them
        if _head_of_longer_name(text, match, starts):
            # "Orontes Daily", "Rami Salloum": a one-word place name followed by another
            # capitalised word begins some longer name (a paper, a person), except in a
            # headline written in title case, where every word is capitalised: the title,
            # or a headline repeated or a subhead set inside the body.
            if title_case is None:
                title_case = _is_title_case(text)
            if not title_case and not _is_title_case(_sentence_around(text, match.start)):
                continue
        hits.append(_resolve_entries(name, text, match, matcher, gazetteer))
    hits.sort(key=lambda h: h.start)
    return hits


# Capitalised words that may follow a place name without making it part of a longer name:
# what the place is ("Lake", "Airport", "Square"), where in it, and words that start a
# clause or name a day or month (``_NOT_NAME_WORDS``).
_PLACE_NOUNS = frozenset(
    _words(
        "city town village villages province provinces governorate countryside district "
        "districts region area camp camps river valley plain plains mountain mountains mount "
        "hill hills desert lake dam airport airbase air base military crossing border gate "
        "square prison hospital road highway street bridge citadel castle mosque church "
        "market souq station oil gas field fields port harbour harbor coast old new east "
        "west north south eastern western northern southern central suburbs industrial "
        "international governor basin plateau sea"
    )
)
_NEXT_CAPITALISED = re.compile(r" ([A-Z][a-z][\w'\u2019-]*)")
_PLACE_AFTER = re.compile(
    r"\s+(?:suburb|street|square|roundabout|hospital|airport|stadium|school|university|mosque"
    r"|neighbourhood|neighborhood|quarter|district|lake|dam|bridge|highway|road)s?\b",
    re.IGNORECASE,
)


def _head_of_longer_name(text: str, match: _RawMatch, starts: set[int]) -> bool:
    """A one-word place name directly followed by an unknown capitalised word."""
    if any(entry.is_actor or entry.multiword for entry in match.entries):
        return False
    following = _NEXT_CAPITALISED.match(text, match.end)
    if following is None or following.start(1) in starts:
        return False  # nothing follows, or another known name does ("Idlib Turkey")
    word = following.group(1).lower()
    return word not in _PLACE_NOUNS and word not in _NOT_NAME_WORDS


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


_CLAUSE_END = re.compile(r"[.!?\n]")


def _sentence_around(text: str, offset: int) -> str:
    start = max(text.rfind(c, 0, offset) for c in ".!?\n") + 1
    end = _CLAUSE_END.search(text, offset)
    return text[start : end.start() if end else len(text)]


# Words before a country that make it only the ground the sentence crosses or a thing is
# in, not the state acting: "came through Turkey", "crossed from Turkey", "the border with
# Turkey", "neighbouring Iraq", "southern Lebanon", "which borders Iraq", "fighters in Iraq",
# "outlawed in Russia", "based in the UK", "across Syria and Iraq". After "to" it is both
# ("sent envoys to Turkey").
_GROUND_BEFORE = frozenset(
    _words("through via from neighbouring neighboring bordering borders inside across in into")
)
_BORDER_WORDS = frozenset(_words("border borders frontier"))
_THE = frozenset(_words("the"))


def _names_the_ground(words: list[str], previous_is_place: bool) -> bool:
    """``words``: the (up to four) words before a country's name, nearest first;
    ``previous_is_place``: whether the word before "and" is a place ("Syria and Iraq")."""
    if words and words[0] in _THE:
        words = words[1:]  # "in the UK"
    if not words:
        return False
    first, second = words[0], words[1] if len(words) > 1 else ""
    if first == "and" and previous_is_place:
        # "in Syria and Iraq", "from Chechnya, Tunisia and Egypt": the last of a short
        # list of places after one preposition
        return any(word in _GROUND_BEFORE for word in words[2:4])
    return (
        first in _GROUND_BEFORE
        or (first == "with" and second in _BORDER_WORDS)
        or (first in _DIRECTIONS and first != "rural")
    )


def _capitalised_before_and(text: str, match: _RawMatch) -> bool:
    """Whether "X and <match>" has a capitalised X (a name, "Syria and Iraq")."""
    index = match.first_token - 2
    if index < 0:
        return False
    token = match.tokens[index]
    return token.key != _BARRIER and text[token.start : token.start + 1].isupper()


def _is_title_case(text: str) -> bool:
    words = _LONG_WORD.findall(text)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) > 0.6 * len(words)


# Words before an outlet's name that make it the outlet where a place has the same name.
_MEDIA_NOUNS = frozenset(_words("station channel broadcaster television tv newspaper daily"))
_ADDRESSED = frozenset(_words("told telling interview comments speaking talking"))


def _addressed_as_media(words: list[str]) -> bool:
    """``words``: the two words before the name, nearest first."""
    if not words:
        return False
    if words[0] in _MEDIA_NOUNS or words[0] == "told":
        return True
    return len(words) == 2 and words[0] in ("to", "with") and words[1] in _ADDRESSED


_ACCORDING_TO = re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+)?$")  # a town reports nothing
_REPORTS = re.compile(
    r"\s+(?:reported|reports|said|says|aired|broadcast|quoted|cited|published|showed"
    # what the outlet is, after its name: "the Al Mayadeen broadcaster", "Orient channel"
    r"|broadcaster|channel|station|television|TV|newspaper|daily|website)\b"
)


def _resolve_entries(
    name: str, text: str, match: _RawMatch, matcher: _Matcher, gazetteer: Gazetteer
) -> _Hit:
    actors = list(dict.fromkeys(e.slug for e in match.entries if e.is_actor))
    places = list(dict.fromkeys(e.slug for e in match.entries if not e.is_actor))
    hit = _Hit(name, match.start, match.end)
    if actors and places:
        countries = [s for s in places if gazetteer.locations[s].kind == "country"]
        if matcher.home_country in places:
            actors = []
        elif countries and gazetteer.actors[actors[0]].kind in ("state", "state_force"):
            # Russia the state acts; after "in", "to", "border with", "neighbouring"... the
            # country is only where something is: "crossed from Turkey" is not Turkey acting.
            words = match.previous_words(text, 4)
            if _names_the_ground(words, _capitalised_before_and(text, match)):
                return _Hit(name, match.start, match.end, locations=countries[:1])
            if words and (
                words[0] in _LOCATIVE
                or (len(words) == 2 and words[0] in _DIRECTIONS and words[1] in _LOCATIVE)
            ):
                hit.country_too = countries[0]
            places = []
        elif any(e.multiword for e in match.entries if e.is_actor):
            places = []
        elif gazetteer.actors[actors[0]].kind == "monitor_or_media" and (
            _REPORTS.match(text, match.end)
            or _addressed_as_media(match.previous_words(text, 2))
            or _ACCORDING_TO.search(text, max(0, match.start - 20), match.start)
        ):
            # "Al Mayadeen reported", "TV station al-Mayadeen", "told al-Mayadeen": the
            # channel, not the town it is named for
            places = []
        else:
            actors = []
    if actors and gazetteer.actors[actors[0]].kind == "state" and match.first_token > 0:
        previous = match.tokens[match.first_token - 1]
        ground = arabic.state_after(text[previous.start : previous.end])
        if ground is not None:
            # الحدود التركية, الأراضي التركية: Turkey's ground, not Turkey acting.
            country = gazetteer.locations.get(actors[0])
            if ground == "territory" and country is not None and country.kind == "country":
                hit.country_too = country.slug
            return hit
    if actors:
        hit.actor = actors[0]
    elif _tail_of_longer_name(text, match):
        # "Ahrar al-Sham" is a group, not Damascus (al-Sham): a place name that starts with
        # the article right after a capitalised word is the end of some longer name.
        pass
    else:
        hit.locations = places
        if len(places) > 1:
            hit.cue = _location_cue(text, match.start, match.end)
        if _reads_as_a_word(text, match, gazetteer):
            hit.locations = []
    return hit


def _reads_as_a_word(text: str, match: _RawMatch, gazetteer: Gazetteer) -> bool:
    """A place name that is also an everyday word, standing where the word would.

    Its province named nearby is no support: a report from Hama is where سلمية
    ("peaceful") is written. The name needs a cue: a settlement noun before it (قرية مطلع,
    مخيم الهول), or for a town a preposition (في جديدة, قرب كسب) or ب with the article
    (بالقصير). A village so named is written "قرية X" in reporting, so في and قرب are not
    enough for one. An adjective after a settlement noun describes it (قرية جديدة).
    """
    places = [e for e in match.entries if not e.is_actor]
    if not places or not all(e.everyday for e in places):
        return False
    written = text[match.start : match.end]
    previous = ""
    if match.first_token > 0:
        token = match.tokens[match.first_token - 1]
        if token.key != _BARRIER:
            previous = text[token.start : token.end]
    if previous and arabic.is_settlement_cue(previous):
        return arabic.describes(previous, written)
    if all(gazetteer.locations[e.slug].needs_context for e in places):
        return True
    locative = previous and arabic.is_locative_cue(previous)
    return not (locative or arabic.has_locative_prefix(written))


def _tail_of_longer_name(text: str, match: _RawMatch) -> bool:
    if match.tokens[match.first_token].key != _ARTICLE or match.first_token == 0:
        return False
    previous = match.tokens[match.first_token - 1]
    word = text[previous.start : previous.end]
    return (
        previous.key != _BARRIER
        and word[:1].isupper()
        and word.lower() not in _NOT_NAME_WORDS
        and word.lower() not in _LOCATIVE
    )


def _settle_ambiguous(hits: list[_Hit], gazetteer: Gazetteer, fields: dict[str, str]) -> None:
    """Give each shared name the sense the article's own cues choose.

    A cue ("province of", "west of") settles its mention. Uncued mentions follow the
    sense the article states most, by cues or by names only one entry has ("Aleppo
    province"): one sense per discourse. Only without either does the kind order of
    ``_pick_location`` decide.
    """
    # What the article says explicitly: cued mentions, and names only one entry has
    # ("Aleppo province" is an alias of the governorate alone).
    explicit: Counter[str] = Counter()
    for hit in hits:
        if len(hit.locations) == 1:
            explicit[hit.locations[0]] += 1
        elif len(hit.locations) > 1 and hit.cue:
            text = fields[hit.field]
            explicit[
                _pick_location(hit.locations, gazetteer, hit.cue, text, hit.start, hit.end)
            ] += 1
    context = _places_in_context(hits, gazetteer)
    for hit in hits:
        if len(hit.locations) <= 1:
            continue
        text = fields[hit.field]
        said = [slug for slug in hit.locations if explicit[slug]]
        if hit.cue is None and said:
            hit.locations = [max(said, key=lambda slug: explicit[slug])]
        else:
            candidates = _nearest_in_context(hit.locations, context, gazetteer)
            hit.locations = [
                _pick_location(candidates, gazetteer, hit.cue, text, hit.start, hit.end)
            ]


def _top(slug: str, gazetteer: Gazetteer) -> str:
    place = gazetteer.locations[slug]
    return place.province_slug or place.country_slug or slug


def _places_in_context(hits: list[_Hit], gazetteer: Gazetteer) -> Counter[str]:
    """How often the article names each place or a place inside it, counting only names
    whose province (or country abroad) is not in doubt."""
    context: Counter[str] = Counter()
    for hit in hits:
        if not hit.locations or len({_top(s, gazetteer) for s in hit.locations}) > 1:
            continue
        context.update({a for slug in hit.locations for a in gazetteer.lineage(slug)})
    return context


def _nearest_in_context(slugs: list[str], context: Counter[str], gazetteer: Gazetteer) -> list[str]:
    """Of same-named places in different provinces (al-Hamidiyah in Damascus, Quneitra and
    Tartus), keep those whose city, district or province the article names most."""
    if len({_top(slug, gazetteer) for slug in slugs}) < 2:
        return slugs
    above = {slug: gazetteer.lineage(slug)[1:] for slug in slugs}
    shared = set.intersection(*(set(chain) for chain in above.values()))
    score = {
        slug: sum(context[a] for a in chain if a not in shared) for slug, chain in above.items()
    }
    best = max(score.values())
    return [slug for slug in slugs if score[slug] == best] if best else slugs


# --- acronyms the article defines ------------------------------------------------------

_DEFINED_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,5})\)")
_CONNECTORS = frozenset({"of", "for", "the", "and", "al", "el", "in", "on", "de", "du", "&"})
_NAME_WORD = re.compile(r"[^\W\d_][\w'\u2019.]*|&")


def _long_name_before(text: str, end: int, acronym: str) -> int | None:
    """Start of the capitalised words ending at ``end`` whose initials spell ``acronym``."""
    words = list(_NAME_WORD.finditer(text, max(0, end - 160), end))
    initials = ""
    target = acronym.upper()
    for match in reversed(words):
        word = match.group()
        if word.lower() in _CONNECTORS:
            continue
        if not word[0].isupper():
            return None
        # "Al-Masdar News (AMN)": each capitalised part of a hyphenated word counts.
        parts = [p for p in re.split(r"[-\u2010]", word) if p and p[0].isupper()]
        initials = "".join(p[0] for p in parts) + initials
        if initials.upper() == target:
            return match.start()
        if not target.endswith(initials.upper()):
            return None
    return None


# --- discovery of names the gazetteer lacks --------------------------------------------

_GROUP_HEADS = (
    r"Jaish|Jaysh|Jeish|Liwa|Liwaa|Kataib|Kata['\u2019]ib|Katibat|Katiba|Harakat|Jabhat|"
    r"Firqat|Ansar|Jund|Saraya|Tajammu|Tajamu|Faylaq|Failaq"
)
_PARTICLE = r"(?:(?:al|el|ash|as|ad|at|ar|az|an|wal|wa|li|ibn|bin|ahl|ul)[- ])"
# A capitalised word, with inner apostrophes (Kata'ib) but not a possessive "'s".
_CAP_WORD = r"[A-Z]\w*(?:['\u2019](?!s\b)\w+)*(?:-[A-Z]\w*(?:['\u2019](?!s\b)\w+)*)*"
_GROUP_BY_HEAD = re.compile(rf"\b(?:{_GROUP_HEADS})(?:[ -]+{_PARTICLE}*(?:{_CAP_WORD})){{1,5}}")
_GROUP_BY_TAIL = re.compile(
    rf"\b(?:(?:\d+(?:st|nd|rd|th)|{_CAP_WORD})[ -]+{_PARTICLE}?){{1,5}}"
    r"(?:Brigades?|Division|Front|Battalions?|Regiment|Legion)\b"
)
# Letters every match of each pattern contains, from ``_GROUP_HEADS`` and the tail words.
_HEAD_LETTERS = tuple(
    _words("Jaish Jaysh Jeish Liwa Kat Harakat Jabhat Firqat Ansar Jund Saraya Tajam Faylaq Failaq")
)
_TAIL_LETTERS = tuple(_words("Brigade Division Front Battalion Regiment Legion"))
# Capitalised words that start sentences or name days, never a group or a person.
_NOT_NAME_WORDS = frozenset(
    _words(
        "the a an in on at on by for from last this that these those his her their its "
        "and but after before during among while when monday tuesday wednesday thursday "
        "friday saturday sunday january february march april may june july august "
        "september october november december president minister"
    )
)


def _trim_name(name: str) -> str:
    words = name.split()
    while words and words[0].lower() in _NOT_NAME_WORDS:
        words.pop(0)
    return " ".join(words)


def _kind_of_unknown(name: str) -> str:
    last = name.split()[-1].lower() if name.split() else ""
    if re.match(rf"(?:{_GROUP_HEADS})\b", name) or last.rstrip("s") in (
        "brigade",
        "division",
        "front",
        "battalion",
        "regiment",
        "legion",
        "army",
    ):
        return "armed_group"
    if last in ("committee", "council", "coalition", "commission", "body", "party", "government"):
        return "political_body"
    return "other"


# --- people, and known names under other spellings --------------------------------------

_PROPER_NAME = re.compile(people_rules.PROPER_NAME)
_STARTS_WITH_GROUP_HEAD = re.compile(rf"(?:{_GROUP_HEADS})\b")


class _People:
    """Links what ``people.py`` and ``fuzzy.py`` find to the article's mentions.

    A person found by a cue is a known person when the gazetteer matched those words (the
    cue gives the mention its role), nothing when it matched a place or a group there
    ("Khan Sheikhoun said"), a known actor when its name is a spelling of one
    (``fuzzy.TAG_AT``), and otherwise a candidate person, with the known actor it most
    resembles as a guess. Group candidates and runs of capitalised words the gazetteer
    did not match are checked against known actors the same way.
    """

    def __init__(
        self, fields: dict[str, str], hits: list[_Hit], matcher: _Matcher, index: FuzzyIndex
    ) -> None:
        self.fields, self.hits, self.matcher, self.index = fields, hits, matcher, index
        self.roles: dict[str, str] = {}  # actor slug -> role
        self.confidence: dict[str, float] = {}  # actor slug -> lowest fuzzy score
        self.guesses: dict[tuple[str, str], object] = {}  # candidate -> fuzzy.Guess
        self.candidate_roles: dict[tuple[str, str], str] = {}
        self.spans: list[Span] = []  # known actors matched fuzzily
        self.hits_at: _HitsByPosition | None = None  # while people are linked

    def link(
        self,
        actor_spans: dict[str, list[Span]],
        candidates: dict[tuple[str, str], list[Span]],
        matched: list[Span],
    ) -> None:
        actors = self.index.gazetteer.actors
        for key in list(candidates):
            guess = self.index.best(key[0], person=key[1] == "person" or None)
            if guess is None:
                continue
            if guess.score >= self.index.tag_threshold(guess.slug):
                self._tag(guess, candidates.pop(key), actor_spans, matched)
            else:
                self.guesses[key] = guess
        taken = [span for spans in candidates.values() for span in spans]
        people: dict[tuple[str, str], list[Span]] = {}
        self.hits_at = _HitsByPosition(self.hits)
        places = self.index.gazetteer.locations
        # A name cut here ("The New Arab Mona Kurdi" -> "Mona Kurdi") is cut in its later
        # mentions by surname too ("Kurdi said").
        renamed: dict[str, str] = {}
        for person in people_rules.find_people(self.fields):
            if person.name in renamed:
                person = dataclasses.replace(person, name=renamed[person.name])
            span = Span(person.field, person.start, person.end)
            under = self.hits_at.overlapping(span)
            # A village named like a person ("Khaled", "Sheikh Ahmad", "Mansour") inside a
            # name a cue found is the person's name: the cue outweighs a village's support.
            # So is a one-word name the cues take alone ("a witness named Ahmad").
            alone = " " not in person.name
            villages = [
                h
                for h in under
                if _only_villages(h, places)
                and (alone or not (h.start <= span.start and span.end <= h.end))
            ]
            if villages:
                under = [h for h in under if h not in villages]
            written = self.fields[span.field][span.start : span.end]
            if (
                len(person.name.split()) >= 3
                and written == person.name
                and not any(h.start <= span.start and span.end <= h.end for h in under)
            ):
                # "Governor of Daraa Marwan Sharbak": a place the tagger left untagged (a
                # capitalised word follows it) may still begin the run.
                head = next(
                    (
                        m
                        for m in self.matcher.iter_matches(person.name)
                        if m.start == 0
                        and any(
                            not e.is_actor and not places[e.slug].needs_context for e in m.entries
                        )
                    ),
                    None,
                )
                rest = person.name[head.end :] if head else ""
                if head and rest[:1] == " " and len(rest.split()) >= 2:
                    renamed[person.name] = rest.strip()
                    start = person.start + head.end + 1
                    person = people_rules.PersonFound(
                        rest.strip(), span.field, start, span.end, person.role
                    )
                    span = Span(span.field, start, span.end)
            # (from before the span too: "Speaking to The New Arab Mona Kurdi")
            leading = [h for h in under if h.start <= span.start < h.end < span.end]
            rest = self.fields[span.field][leading[0].end : span.end] if leading else ""
            if leading and len(rest.split()) >= 2 and _NEXT_CAPITALISED.match(rest):
                # "Governor of Daraa Marwan Sharbak": the place begins the run, not the name.
                start = leading[0].end + 1
                renamed[person.name] = rest.strip()
                person = people_rules.PersonFound(
                    rest.strip(), span.field, start, span.end, person.role
                )
                span = Span(span.field, start, span.end)
                under = [h for h in under if h is not leading[0]]
            whole = [h for h in under if h.start <= span.start and span.end <= h.end]
            if not whole and any(h.start < span.start or span.end < h.end for h in under):
                continue  # a name straddling a known one is neither
            if whole:
                known = [h.actor for h in whole if h.actor and actors[h.actor].kind == "person"]
                if known and person.role:
                    self.roles.setdefault(known[0], person.role)
                continue
            if len(under) > 1 or any(h.actor and self._multiword(h) for h in under):
                continue  # "Tags Nusra Front al-Qaeda Aleppo": names run together, no one
            # A known name inside a longer person's name is part of it: "Israel Katz",
            # "Hilal al-Assad" (not Bashar).
            for hit in (*under, *villages):
                self._untag(hit, actor_spans, matched)
            if _overlaps(matched, *_where(span)) or _overlaps(taken, *_where(span)):
                continue
            if _STARTS_WITH_GROUP_HEAD.match(person.name):
                continue
            guess = self.index.best(person.name)
            if guess is not None and guess.score >= self.index.tag_threshold(guess.slug):
                self._tag(guess, [span], actor_spans, matched)
                if person.role and actors[guess.slug].kind == "person":
                    self.roles.setdefault(guess.slug, person.role)
                continue
            key = (person.name, "person")
            people.setdefault(key, []).append(span)
            if person.role:
                self.candidate_roles.setdefault(key, person.role)
            if guess is not None and actors[guess.slug].kind == "person":
                self.guesses.setdefault(key, guess)
        for key, spans in people.items():
            for field_name in FIELDS:
                for start, end in _word_occurrences(self.fields[field_name], key[0]):
                    if not _overlaps(matched, field_name, start, end):
                        spans.append(Span(field_name, start, end))
            candidates.setdefault(key, []).extend(spans)
            taken.extend(spans)
        self._spellings_of_known_names(actor_spans, matched, taken)

    def _spellings_of_known_names(
        self, actor_spans: dict[str, list[Span]], matched: list[Span], taken: list[Span]
    ) -> None:
        """Runs of capitalised words nothing matched that spell a known actor's name."""
        for field_name in FIELDS:
            text = self.fields[field_name]
            if field_name == "title" and _is_title_case(text):
                continue  # every word capitalised: the runs are not names
            # Characters already named by something: one mark per character, so each run
            # is checked in one slice instead of against every hit.
            named = bytearray(len(text) + 1)
            spans = [(h.start, h.end) for h in self.hits if h.field == field_name]
            spans += [(s.start, s.end) for s in (*matched, *taken) if s.field == field_name]
            for start, end in spans:
                named[start:end] = b"\x01" * (end - start)
            for match in _PROPER_NAME.finditer(text):
                start, end = match.span()
                if match.group().startswith("The "):
                    start += 4  # "The Turkistan Party sent...": the sentence's article
                if 1 in named[start:end] or " " not in text[start:end]:
                    continue
                guess = self.index.best(text[start:end])
                if guess is not None and guess.score >= self.index.tag_threshold(guess.slug):
                    self._tag(guess, [Span(field_name, start, end)], actor_spans, matched)

    def _multiword(self, hit: _Hit) -> bool:
        return len(self.fields[hit.field][hit.start : hit.end].split()) > 1 and (
            self.index.gazetteer.actors[hit.actor].kind != "person"
        )

    def _untag(self, hit: _Hit, actor_spans: dict[str, list[Span]], matched: list[Span]) -> None:
        self.hits.remove(hit)
        if self.hits_at is not None:
            self.hits_at.drop(hit)
        span = Span(hit.field, hit.start, hit.end)
        if span in matched:
            matched.remove(span)
        if hit.actor and hit.actor in actor_spans:
            spans = actor_spans[hit.actor]
            if span in spans:
                spans.remove(span)
            if not spans:
                del actor_spans[hit.actor]

    def _tag(self, guess, spans: list[Span], actor_spans, matched: list[Span]) -> None:
        actor_spans.setdefault(guess.slug, []).extend(spans)
        matched.extend(spans)
        self.spans.extend(spans)
        self.confidence[guess.slug] = min(self.confidence.get(guess.slug, 1.0), guess.score)


def _only_villages(hit: _Hit, places: dict) -> bool:
    return not hit.actor and all(places[slug].needs_context for slug in hit.locations)


def _where(span: Span) -> tuple[str, int, int]:
    return span.field, span.start, span.end


# --- sentences -------------------------------------------------------------------------

_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'\u2019\u201d)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n+"
)


class _Sentences:
    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        self.bounds: dict[str, list[int]] = {}

    def around(self, field_name: str, start: int, end: int) -> str:
        text = self.fields[field_name]
        if field_name not in self.bounds:
            self.bounds[field_name] = [m.end() for m in _SENTENCE_END.finditer(text)]
        bounds = self.bounds[field_name]
        index = bisect.bisect_right(bounds, start)
        left = bounds[index - 1] if index else 0
        right = bounds[index] if index < len(bounds) else len(text)
        sentence = text[left:right].strip()
        if len(sentence) <= SENTENCE_MAX:
            return sentence
        # Too long to show: a window around the name, cut on word boundaries.
        offset = start - left - (len(text[left:right]) - len(text[left:right].lstrip()))
        lo = max(0, offset - 150)
        hi = min(len(sentence), lo + SENTENCE_MAX - 2)
        window = sentence[lo:hi]
        if lo > 0:
            window = "…" + window.split(" ", 1)[-1]
        if hi < len(sentence):
            window = window.rsplit(" ", 1)[0] + "…"
        return window[:SENTENCE_MAX]


# --- assembling mentions ---------------------------------------------------------------


def _order(span: Span) -> tuple[int, int]:
    return FIELDS.index(span.field), span.start


def _mentions(spans_by_slug: dict[str, list[Span]], sentences: _Sentences) -> list[Mention]:
    mentions = []
    for slug, spans in spans_by_slug.items():
        spans = sorted(set(spans), key=_order)
        first = spans[0]
        written = dict.fromkeys(sentences.fields[s.field][s.start : s.end] for s in spans)
        mentions.append(
            Mention(
                slug=slug,
                count=len(spans),
                first_field=first.field,
                first_offset=first.start,
                sentence=sentences.around(first.field, first.start, first.end),
                spans=spans,
                written=list(written),
            )
        )
    mentions.sort(key=lambda m: _order(m.spans[0]))
    return mentions


def _overlaps(spans: Iterable[Span], field_name: str, start: int, end: int) -> bool:
    return any(s.field == field_name and s.start < end and start < s.end for s in spans)


def _inside(spans: Iterable[Span], field_name: str, start: int, end: int) -> bool:
    return any(s.field == field_name and s.start <= start and end <= s.end for s in spans)


def _word_occurrences(text: str, phrase: str) -> Iterator[tuple[int, int]]:
    pattern = re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w])")
    for match in pattern.finditer(text):
        yield match.start(), match.end()


# --- the stage -------------------------------------------------------------------------


def tag_article(article: ParsedArticle | _HasFields, gazetteer: Gazetteer) -> TaggedArticle:
    """Find the gazetteer's actors and places in ``article``, plus candidate new actors."""
    matcher = _matcher_for(gazetteer)
    fields = {name: getattr(article, name, "") or "" for name in FIELDS}
    sentences = _Sentences(fields)

    hits: list[_Hit] = []
    for name in FIELDS:
        hits.extend(_hits_in_field(name, fields[name], matcher, gazetteer))
    support_villages(hits, fields, gazetteer)
    _settle_ambiguous(hits, gazetteer, fields)
    for slug, name, start, end in name_states(hits, fields, gazetteer, matcher.home_country):
        hits.append(_Hit(name, start, end, actor=slug))

    actor_spans: dict[str, list[Span]] = {}
    lists = _link_lists(fields["body"])
    for hit in hits:
        if hit.actor and not (hit.field == "body" and any(s <= hit.start < e for s, e in lists)):
            actor_spans.setdefault(hit.actor, []).append(Span(hit.field, hit.start, hit.end))
    # New names may contain a known place ("Free Idlib Army") but never a known actor.
    matched = [Span(h.field, h.start, h.end) for h in hits if h.actor]
    candidates = _defined_acronyms(fields, hits, actor_spans, matched)
    candidates.update(_discover(fields, matched, matcher, candidates))
    found = _People(fields, hits, matcher, fuzzy_index_for(gazetteer, _normalise_name))
    found.link(actor_spans, candidates, matched)
    group_spans = [
        span for (_, kind), spans in candidates.items() if kind == "armed_group" for span in spans
    ] + found.spans

    location_spans: dict[str, list[Span]] = {}
    for hit in hits:
        if _inside(group_spans, hit.field, hit.start, hit.end):
            continue  # the place in a group's name is not where anything happened
        span = Span(hit.field, hit.start, hit.end)
        for slug in hit.locations:
            location_spans.setdefault(slug, []).append(span)
        if hit.country_too:
            location_spans.setdefault(hit.country_too, []).append(span)

    candidate_rows = []
    for (name, kind), spans in candidates.items():
        spans = sorted(set(spans), key=_order)
        first = spans[0]
        guess = found.guesses.get((name, kind))
        candidate_rows.append(
            CandidateActor(
                name=name,
                kind=kind,
                count=len(spans),
                first_field=first.field,
                first_offset=first.start,
                sentence=sentences.around(first.field, first.start, first.end),
                role=found.candidate_roles.get((name, kind), ""),
                probable=guess.slug if guess else None,
                probable_score=guess.score if guess else None,
            )
        )
    candidate_rows.sort(key=lambda c: (FIELDS.index(c.first_field), c.first_offset))

    locations = _mentions(location_spans, sentences)
    actors = _mentions(actor_spans, sentences)
    for mention in actors:
        mention.role = found.roles.get(mention.slug, "")
        mention.confidence = found.confidence.get(mention.slug, 1.0)
    return TaggedArticle(
        article=article,  # type: ignore[arg-type]  # a stand-in in tests is enough
        actors=actors,
        locations=locations,
        candidates=candidate_rows,
        primary_location=primary_place(fields, locations, gazetteer, matcher.home_country),
    )


# Lists a page runs into the story: the headlines of other stories after "Related" at its
# end ("... 440 Related US-Led Coalition Destroys 22 Daesh Positions - CENTCOM ...") and a
# keyword list after "Tags". The actors they name are other stories' or the site's labels.
_RELATED = re.compile(r"\bRelated(?:\s+News)?\s+(?=[A-Z])")
_TAGS = re.compile(r"\bTags\s+(?=[A-Z])")
_LIST_END = re.compile(r"\.\s|\bCommunity standards|\bComment via")
_TAGS_WORDS = re.compile(r"(?:\S+\s+){1,12}")


def _link_lists(body: str) -> list[tuple[int, int]]:
    if "Related" not in body and "Tags" not in body:
        return []
    lists = []
    related = [m for m in _RELATED.finditer(body) if m.start() > len(body) // 2]
    if related:
        end = _TAGS.search(body, related[0].end()) or _LIST_END.search(body, related[0].end())
        lists.append((related[0].start(), end.start() if end else len(body)))
    for match in _TAGS.finditer(body):
        words = _TAGS_WORDS.match(body, match.end())
        end = words.end() if words else len(body)
        stop = _LIST_END.search(body, match.end(), end)
        lists.append((match.start(), stop.start() if stop else end))
    return lists


def _defined_acronyms(
    fields: dict[str, str],
    hits: list[_Hit],
    actor_spans: dict[str, list[Span]],
    matched: list[Span],
) -> dict[tuple[str, str], list[Span]]:
    """Tag acronyms the article defines; return unknown long names as candidates."""
    ends = {(h.field, h.end): h for h in hits if h.actor}
    known: dict[str, str] = {}  # acronym -> actor slug
    unknown: dict[str, tuple[str, str, Span]] = {}  # acronym -> (name, kind, span)
    for name in FIELDS:
        text = fields[name]
        for match in _DEFINED_ACRONYM.finditer(text):
            acronym = match.group(1)
            hit = ends.get((name, match.start()))
            if hit is not None and hit.actor:
                known.setdefault(acronym, hit.actor)
                continue
            start = _long_name_before(text, match.start(), acronym)
            if start is None or _overlaps(matched, name, start, match.start()):
                continue
            long_name = text[start : match.start()]
            unknown.setdefault(
                acronym, (long_name, _kind_of_unknown(long_name), Span(name, start, match.start()))
            )
    candidates: dict[tuple[str, str], list[Span]] = {}
    for long_name, kind, span in unknown.values():
        candidates[(long_name, kind)] = [span]
    for name in FIELDS:
        text = fields[name]
        for acronym in known.keys() | unknown.keys():
            for start, end in _word_occurrences(text, acronym):
                if _overlaps(matched, name, start, end):
                    continue  # the gazetteer already knows this acronym here
                span = Span(name, start, end)
                if acronym in known:
                    actor_spans.setdefault(known[acronym], []).append(span)
                else:
                    long_name, kind, _ = unknown[acronym]
                    candidates[(long_name, kind)].append(span)
                matched.append(span)
        for long_name, kind in list(candidates):
            for start, end in _word_occurrences(text, long_name):
                candidates[(long_name, kind)].append(Span(name, start, end))
    return candidates


def _discover(
    fields: dict[str, str],
    matched: list[Span],
    matcher: _Matcher,
    already: dict[tuple[str, str], list[Span]],
) -> dict[tuple[str, str], list[Span]]:
    """Armed groups and people the gazetteer lacks, found by how they are written."""
    found: dict[str, tuple[str, str]] = {}  # normalised name -> (name, kind)
    taken = {_normalise_name(name) for name, _ in already}
    for name in FIELDS:
        text = fields[name]
        for pattern, kind, group, needs in (
            (_GROUP_BY_HEAD, "armed_group", 0, _HEAD_LETTERS),
            (_GROUP_BY_TAIL, "armed_group", 0, _TAIL_LETTERS),
        ):
            if not any(letters in text for letters in needs):
                continue  # the pattern's own words are nowhere: spare trying it at each word
            for match in pattern.finditer(text):
                raw = match.group(group)
                candidate = _trim_name(raw)
                if len(candidate.split()) < 2 and kind == "person":
                    continue
                if not candidate or candidate.lower() in _NOT_NAME_WORDS:
                    continue
                start = match.start(group) + raw.find(candidate)
                end = start + len(candidate)
                key = _normalise_name(candidate)
                if key in matcher.keys or key in taken:
                    continue
                if _overlaps(matched, name, start, end):
                    continue
                if kind == "person" and re.match(rf"(?:{_GROUP_HEADS})\b", candidate):
                    continue
                found.setdefault(key, (candidate, kind))
    candidates: dict[tuple[str, str], list[Span]] = {}
    for candidate, kind in found.values():
        spans = candidates.setdefault((candidate, kind), [])
        for name in FIELDS:
            for start, end in _word_occurrences(fields[name], candidate):
                if not _overlaps(matched, name, start, end):
                    spans.append(Span(name, start, end))
        if not spans:
            del candidates[(candidate, kind)]
    return candidates


__all__ = [
    "CandidateActor",
    "Mention",
    "Span",
    "TaggedArticle",
    "normalise",
    "tag_article",
]
