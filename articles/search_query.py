"""What a reader's search means: web-search syntax, Arabic folding and the other spellings
of the names it holds.

A journalist types a name as they remember it: "Jebel Akrad", "Hamah", "ادلب". Three things
make that find the article that spells it "Jabal al-Akrad", "Hama" or "إدلب":

- Arabic words are folded with ``articles.ingest.arabic.fold`` and searched with the
  ``arabic`` configuration, the same folding the stored vector of an Arabic article holds;
- runs of typed words whose fold key (the tagger's ``normalise``) is the key of a name in
  the gazetteer stand for that actor or place: the search takes ``(typed words) OR (any
  name of the entity, as a phrase)``, in both languages;
- ``OR`` the article visibly mentions the entity, whatever spelling the tagger matched.

Web-search syntax keeps its meaning: quotes make a phrase, ``or`` joins alternatives and
``-`` excludes (an excluded name excludes its other spellings and its tagged articles too).

The name index is built from the database gazetteer once per process and rebuilt when an
actor or a place is saved or deleted here, or after ``NAME_INDEX_MAX_AGE_SECONDS`` (an
editor's alias change made in another process).
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchQueryCombinable, SearchQueryField
from django.db import connection
from django.db.models import Func
from django.db.models.signals import post_delete, post_save

from articles.ingest.arabic import fold, is_arabic, strip_article
from articles.ingest.tag import normalise

ENGLISH_CONFIG = "english"
ARABIC_CONFIG = "arabic"
# Languages whose articles are indexed with a configuration of their own; every other
# language is indexed (and searched) with ENGLISH_CONFIG.
LANGUAGE_CONFIGS = {"ar": ARABIC_CONFIG}
NAME_INDEX_MAX_AGE_SECONDS = 60.0
# Longest run of typed words looked up as one name ("Jabhat al-Nusra li-Ahl al-Sham").
MAX_NAME_WORDS = 6
# A name key shorter than this is too ambiguous to stand for an entity on its own.
MIN_KEY_LENGTH = 3
# Short all-capital names are only that entity when typed in capitals: "IS" is the Islamic
# State, "is" is a word (the tagger's rule, for the same reason).
MAX_ACRONYM_LENGTH = 5

_BARRIER = "."  # the tagger's key for punctuation between words
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_LATIN = re.compile(r"[A-Za-z]")


def config_for(text: str) -> str:
    return ARABIC_CONFIG if is_arabic(text) else ENGLISH_CONFIG


def text_query(text: str, search_type: str = "websearch") -> SearchQuery:
    """The words in the configuration of their script, Arabic folded as the index is."""
    if is_arabic(text):
        return SearchQuery(fold(text), search_type=search_type, config=ARABIC_CONFIG)
    return SearchQuery(text, search_type=search_type, config=ENGLISH_CONFIG)


def name_key(text: str) -> str:
    """What two spellings of a name share: the tagger's key without articles, Arabic words
    folded without their article and clitics. "al-Ghaab" and "Ghab" share "ghab"."""
    words = []
    for word in normalise(text).split():
        if is_arabic(word):
            word = strip_article(word)
        if word not in (_BARRIER, "al"):
            words.append(word)
    return " ".join(words)


@dataclass(frozen=True)
class Entity:
    kind: str  # "actor" or "location"
    slug: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class _Entry:
    entity: Entity
    acronym: str | None  # letters the reader must type in capitals


class NameIndex:
    """Every name of every public actor and place, by fold key."""

    def __init__(self, entities: list[Entity]) -> None:
        self._by_key: dict[str, list[_Entry]] = {}
        for entity in entities:
            for name in entity.names:
                key = name_key(name)
                if len(key) < MIN_KEY_LENGTH and not _acronym(name):
                    continue
                entries = self._by_key.setdefault(key, [])
                entries.append(_Entry(entity, _acronym(name)))

    def lookup(self, typed: str) -> tuple[Entity, ...]:
        key = name_key(typed)
        letters = "".join(c for c in typed if c.isalpha())
        found = {
            entry.entity: None
            for entry in self._by_key.get(key, ())
            if entry.acronym is None or entry.acronym == letters
        }
        return tuple(found)


def _acronym(name: str) -> str | None:
    letters = "".join(c for c in name if c.isalpha())
    if letters and len(name.strip()) <= MAX_ACRONYM_LENGTH and letters.isupper():
        return letters
    return None


def _index_from_database() -> NameIndex:
    from articles.gazetteer_db import gazetteer_from_database

    gazetteer = gazetteer_from_database()
    return NameIndex(
        [Entity("actor", a.slug, a.names) for a in gazetteer.actors.values()]
        + [Entity("location", loc.slug, loc.names) for loc in gazetteer.locations.values()]
    )


_cache_lock = threading.Lock()
_cached: tuple[str, float, NameIndex] | None = None


def name_index() -> NameIndex:
    """The database's names, rebuilt when stale (see the module docstring)."""
    global _cached  # one per process
    database = connection.settings_dict["NAME"]
    now = time.monotonic()
    with _cache_lock:
        if (
            _cached is None
            or _cached[0] != database
            or now - _cached[1] > (NAME_INDEX_MAX_AGE_SECONDS)
        ):
            _cached = (database, now, _index_from_database())
        return _cached[2]


def forget_names(**kwargs) -> None:
    """Drop the cached name index: an actor or place changed."""
    global _cached
    with _cache_lock:
        _cached = None


for _signal in (post_save, post_delete):
    for _model in ("articles.Actor", "articles.Location"):
        _signal.connect(forget_names, sender=_model, dispatch_uid=f"names-{_signal}-{_model}")


class NotQuery(SearchQueryCombinable, Func):
    """``!!query``: a tsquery matching what ``query`` does not, for any query (Django
    inverts only a single SearchQuery)."""

    template = "!!(%(expressions)s)"
    output_field = SearchQueryField()


@dataclass(frozen=True)
class Term:
    """One thing the reader asked for: a word, a phrase, or a run of words naming an entity."""

    text: str  # in web-search syntax, without the exclusion minus
    negated: bool = False
    entities: tuple[Entity, ...] = ()

    @property
    def query(self) -> SearchQuery:
        """The typed words, or any name of the entities as a phrase (not negated)."""
        return reduce(lambda a, b: a | b, self.alternatives)

    @property
    def alternatives(self) -> list[SearchQuery]:
        """The typed words, then each name of the entities as a phrase.

        A name holding a shorter one word for word ("Hama province", "Hama") finds
        nothing the shorter one does not, and is left out: every phrase is one more
        test of the article's vector."""
        names = sorted({name for entity in self.entities for name in entity.names}, key=len)
        kept: list[tuple[str, ...]] = [_words_of(self.text)]
        alternatives = [text_query(self.text)]
        for name in names:
            words = _words_of(name)
            if words and not any(_holds(words, shorter) for shorter in kept):
                kept.append(words)
                alternatives.append(text_query(name, search_type="phrase"))
        return alternatives


def _words_of(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", fold(text).casefold()))


def _holds(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """True when ``part`` occurs in ``words`` as consecutive words."""
    n = len(part)
    return n > 0 and any(words[i : i + n] == part for i in range(len(words) - n + 1))


@dataclass
class ReaderSearch:
    """A search as clauses that must all hold, each a choice of terms (``or``)."""

    text: str
    clauses: list[list[Term]] = field(default_factory=list)

    @property
    def expanded(self) -> bool:
        return any(term.entities for clause in self.clauses for term in clause)

    @property
    def query(self) -> SearchQuery:
        """One tsquery for ranking and highlighting: what the words and names match."""
        single_script = not (is_arabic(self.text) and _LATIN.search(self.text))
        if not self.expanded and single_script:
            return text_query(self.text)  # exactly the reader's web-search syntax
        clause_queries = []
        for clause in self.clauses:
            queries = [NotQuery(term.query) if term.negated else term.query for term in clause]
            clause_queries.append(reduce(lambda a, b: a | b, queries))
        return reduce(lambda a, b: a & b, clause_queries)


def _terms(text: str) -> list[list[Term]]:
    """Clauses of terms as websearch_to_tsquery reads them: ``a b or c`` is a AND (b OR c)."""
    clauses: list[list[Term]] = []
    join_next = False
    for match in _TOKEN.finditer(text):
        minus, phrase, word = match.groups()
        if word is not None and word.casefold() == "or" and clauses:
            join_next = True
            continue
        if word is not None:
            negated = word.startswith("-") and len(word) > 1
            term = Term(word[1:] if negated else word, negated=negated)
        else:
            term = Term(f'"{phrase}"', negated=bool(minus))
        if join_next:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    return [clause for clause in clauses if any(t.text.strip('"-') for t in clause)]


def _with_names(clauses: list[list[Term]], index: NameIndex) -> list[list[Term]]:
    """Runs of plain typed words that spell a known name become one term naming it."""
    out: list[list[Term]] = []
    i = 0
    while i < len(clauses):
        clause = clauses[i]
        plain = len(clause) == 1 and not clause[0].negated and not clause[0].text.startswith('"')
        if plain:
            run_end = i
            while (
                run_end < len(clauses)
                and run_end - i < MAX_NAME_WORDS
                and len(clauses[run_end]) == 1
                and not clauses[run_end][0].negated
                and not clauses[run_end][0].text.startswith('"')
            ):
                run_end += 1
            for end in range(run_end, i, -1):  # the longest name wins
                typed = " ".join(clauses[k][0].text for k in range(i, end))
                if entities := index.lookup(typed):
                    out.append([Term(typed, entities=entities)])
                    i = end
                    break
            else:
                out.append(clause)
                i += 1
            continue
        out.append(
            [Term(term.text, term.negated, index.lookup(term.text.strip('"'))) for term in clause]
        )
        i += 1
    return out


def read(text: str) -> ReaderSearch:
    """The reader's search, with the entities its words name."""
    text = (text or "").strip()
    clauses = _terms(text)
    if clauses:
        clauses = _with_names(clauses, name_index())
    return ReaderSearch(text, clauses)
