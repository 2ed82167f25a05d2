"""Which villages an article really names. Plain Python, no Django.

The village list (``villages.csv``, about 10,000 places) is full of names that are also
ordinary words or people's names: Sidi Ali, Ash Sharqi ("the eastern"), Hassan, Bulbul.
A village (``GazetteerLocation.needs_context``) is therefore tagged only when the article
supports it, in one of three ways:

- a locative cue around the name: "in", "near", "outside", "the village of", "the town
  of", "north of", "X village";
- its district, sub-district or province named elsewhere in the article (any place inside
  them counts, so "Maarat al-Numan" supports the villages of Maarat al-Numan district);
- a known neighbour named: another place within ``NEIGHBOUR_KM`` that is not itself a
  village waiting for support, or a village already supported.

A village name written the way a person's name is ("Jumaa Haj Ali", "Abu Omar
al-Idlibi") is a person unless a locative cue says otherwise, and a cue alone does not
place a village in a province the article's other places all leave out.

``support_villages`` is run by the tagger on its raw hits, before shared names are
settled, and only removes village senses; other places are never touched.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from articles.ingest import arabic
from articles.ingest.gazetteer import Gazetteer, GazetteerLocation

if TYPE_CHECKING:
    from articles.ingest.tag import Mention

NEIGHBOUR_KM = 15.0

_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|near|outside|around|towards?|into|at|between)"
    r"|\b(?:villages?|towns?|hamlets?|outskirts|countryside|vicinity|suburbs?|area)\s+of"
    r"|\b(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?\s+(?:of|from))"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"^(?:\s+(?:village|villages|town|hamlet|area|countryside)\b"
    r"|,\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:village|town|hamlet)\b)",
    re.IGNORECASE,
)
_SURNAME_AFTER = re.compile(r"\s+(?:(?:al|el)-)?[A-Z][a-z]")
_PERSON_HEADS = frozenset({"abu", "abou", "umm", "um", "haj", "hajj", "hajji", "sheikh", "shaykh"})
_CAPITALISED_BEFORE = re.compile(r"\b([A-Z][a-z][\w'\u2019-]*)\s+$")
_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?:;\"\u201c(]\s*)[A-Z][a-z][\w'\u2019-]*\s+$")


class _HitLike(Protocol):
    # What this module reads of the tagger's raw hits.
    field: str
    start: int
    end: int
    locations: list[str]


def support_villages(hits: list[_HitLike], fields: dict[str, str], gazetteer: Gazetteer) -> None:
    """Drop from each hit the villages its article gives no support to (in place)."""
    places = gazetteer.locations
    waiting = [h for h in hits if any(places[s].needs_context for s in h.locations)]
    if not waiting:
        return
    settled = [
        places[slug] for hit in hits for slug in hit.locations if not places[slug].needs_context
    ]
    around = {a for place in settled for a in gazetteer.lineage(place.slug)[1:]}
    around |= {place.slug for place in settled}

    # Per hit, the villages supported by the area or a neighbour (strong) and those only by
    # a cue (weak): "in al-Qabu" fits every al-Qabu, the article's district tells which.
    strong: dict[int, set[str]] = {}
    weak: dict[int, set[str]] = {}
    pending: list[tuple[_HitLike, str]] = []
    for hit in waiting:
        text = fields[hit.field]
        cue = _has_cue(text, hit.start, hit.end)
        if not cue and _reads_as_a_person(text, hit.start, hit.end):
            continue
        for slug in hit.locations:
            place = places[slug]
            if not place.needs_context:
                continue
            if _inside_named(place, around, gazetteer):
                strong.setdefault(id(hit), set()).add(slug)
            else:
                pending.append((hit, slug))
                if cue:
                    weak.setdefault(id(hit), set()).add(slug)
    anchors = [p for p in settled if p.latitude is not None and p.kind != "country"]
    anchors += [places[s] for slugs in (*strong.values(), *weak.values()) for s in slugs]
    for hit, slug in pending:
        place = places[slug]
        if any(_near(place, other) for other in anchors if other.slug != slug):
            strong.setdefault(id(hit), set()).add(slug)
    # A cue alone does not place a village in a province the article's other places all
    # leave out ("near the Jaber border post" in a Daraa story is not Jabir in Idlib).
    provinces = {p.province_slug for p in settled if p.province_slug}
    for hit in waiting:
        keep = strong.get(id(hit)) or {
            slug
            for slug in weak.get(id(hit), ())
            if not provinces or places[slug].province_slug in provinces
        }
        hit.locations = [s for s in hit.locations if not places[s].needs_context or s in keep]


def _has_cue(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40) : start]
    return bool(_CUE_BEFORE.search(before) or _CUE_AFTER.match(text[end : end + 60]))


def _reads_as_a_person(text: str, start: int, end: int) -> bool:
    """Written the way a person's name is: after a capitalised word that does not start
    the sentence ("Jumaa Haj Ali"), before a surname ("Abu Omar al-Idlibi", "Ahmad
    Shamdin"), or headed by a kunya or title (Abu, Umm, Haj, Sheikh)."""
    before = text[max(0, start - 40) : start]
    if _CAPITALISED_BEFORE.search(before) and not _SENTENCE_START_BEFORE.search(before):
        return True
    if _SURNAME_AFTER.match(text, end):
        return True
    head = text[start:end].split()[0].lower() if text[start:end].split() else ""
    return head in _PERSON_HEADS


def _inside_named(place: GazetteerLocation, around: set[str], gazetteer: Gazetteer) -> bool:
    return any(slug in around for slug in gazetteer.lineage(place.slug)[1:] if slug != "syria")


def _near(place: GazetteerLocation, other: GazetteerLocation) -> bool:
    if place.latitude is None or other.latitude is None:
        return False
    return _km(place.latitude, place.longitude, other.latitude, other.longitude) <= NEIGHBOUR_KM


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


# --- where it happened -----------------------------------------------------------------

# "HOMS, Syria (AP) - ", "BEIRUT - ", and the agency's own "Idleb, SANA - " or
# "Aleppo, (AFP) - ", where the place is written in capitals and small letters.
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z'\u2019. -]{1,40}?(?:,\s*[A-Z][\w .'\u2019-]{1,30}?)?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*[\u2014\u2013-]{1,2}\s"
    r"|[A-Z][\w'\u2019]+(?:[ -][\w'\u2019]+){0,3},\s*\(?(?:[A-Z]{2,6}|Reuters|Xinhua|Anadolu)\)?"
    r"\s*[\u2014\u2013-]{1,2}\s*)"
)
_SPECIFICITY = {
    "village": 1.5,
    "town": 1.5,
    "city": 1.5,
    "landform": 1.5,
    "region": 1.2,
    "subdistrict": 1.2,
    "district": 1.0,
    "governorate": 0.5,
    "country": 0.0,
}
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'\u2019\u201d)\]]*\s+|\n+")
# Sentences that report what happened: where these are, the events are.
_EVENT = re.compile(
    r"\b(?:kill(?:ed|s|ing)?|dead|died|death toll|wounded|injur(?:ed|ing|ies)|"
    r"shell(?:ed|s|ing)|bomb(?:ed|s|ing|ings|ardment)|air ?strikes?|airstrikes?|raids?|"
    r"captur(?:ed|es?|ing)|seiz(?:ed|es?|ing)|took control|entered|stormed|advanc(?:ed|es?)|"
    r"clash(?:ed|es)?|fighting|battles?|attack(?:ed|s)?|offensive|explosions?|blasts?|"
    r"suicide|mortars?|rockets?|barrel bombs?|besieged|siege|executed|massacre|"
    r"retook|recaptured|targeted|destroyed|ambush(?:ed)?|evacuat(?:ed|ion)|"
    r"displaced|fled|arrested)\b",
    re.IGNORECASE,
)
# Sentences that look back ("since 2012", "last year", "when the war began"): context.
_BACKGROUND = re.compile(
    r"\b(?:since|last (?:year|month|summer|winter|spring|autumn)|(?:years?|months) ago|"
    r"(?:in|of|by) (?:19|20)\d\d|previously|formerly|former|once|began|erupted|"
    r"the (?:civil )?war|the conflict|has killed|have been killed|backed by|"
    r"the (?:capital|country|regime)\b)",
    re.IGNORECASE,
)
# A place named only to say where another is, is a landmark, not where things happened:
# "a village 20 km east of Aleppo", "420 km from Damascus" always; "the city of Idlib near
# Aleppo", "Urum al-Kubra west of Aleppo" when a place came before it in the sentence.
# Each pattern ends where the landmark's name begins.
_LANDMARK_TAIL = r"\s+(?:the\s+)?(?:(?:city|town|capital|province)\s+of\s+)?$"
_DISTANCE_CUE = re.compile(
    r"\b\d[\d,.]*\s*(?:km|kms|kilomet(?:er|re)s?|miles?)\b(?:\s+[a-z-]+){0,3}?\s+(?:of|from)"
    + _LANDMARK_TAIL,
    re.IGNORECASE,
)
_RELATIVE_CUE = re.compile(
    r"\b(?:near|between|(?:north|south|east|west)(?:[- ]?(?:east|west))?(?:ern)?\s+of)"
    + _LANDMARK_TAIL,
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_LANDMARK_FACTOR = 0.25
# A site's keyword list pasted before the story ("Tags Syria Idlib airstrikes ...", with no
# full stop before the lead runs on): its places are the site's labels, not the lead's.
_TAG_LIST = re.compile(r"\bTags\s+(?=[A-Z])")
_TAG_LIST_WORDS = 12
_WORD = re.compile(r"\S+")
# A count the headline gives ("Strikes kill 58"), not a year.
_NUMBER = re.compile(r"(?<![\d.,])\d{1,4}(?![\d.,]?\d)")
_HEADLINE_NUMBER_FACTOR = 2.0
_POSITION_WEIGHTS = {"title": 3.0, "standfirst": 2.0, "caption": 0.5}
# The body's first sentences, then every later one: the lead says where, the rest adds.
_LEAD_WEIGHTS = (3.0, 1.5, 1.0)
_LATE_WEIGHT = 0.2
_EVENT_FACTOR = 2.0
_BACKGROUND_FACTOR = 0.25


def primary_place(
    fields: dict[str, str], locations: list[Mention], gazetteer: Gazetteer, home: str | None
) -> str | None:
    """Where the article's events happen, as a place slug (or None).

    The province comes first, by a vote of every Syrian place's mentions: a mention
    counts more in the headline, the dateline and the first sentences that name a place
    (a wire lead often gives the toll before the place), twice in a sentence
    that reports events ("killed in", "shelled", "captured", "clashes in") and a quarter
    in one that looks back ("since 2012", "the war"). Wire background paragraphs name
    Aleppo or Damascus often, but late and in such sentences. Then, within that province,
    the most prominent and most specific place is the scene.
    """
    if not locations:
        return None
    order = list(fields)
    scores = _prominence(fields, locations, gazetteer, home)
    specific = [m for m in locations if gazetteer.locations[m.slug].kind != "country"]
    pool = specific or locations

    def rank(mention: Mention) -> tuple[float, int, int]:
        return scores[mention.slug], -order.index(mention.spans[0].field), -mention.first_offset

    best = max(pool, key=rank)
    place = gazetteer.locations[best.slug]
    foreign = bool(home and place.country_slug and place.country_slug != home)
    province = _province_by_vote(fields, locations, gazetteer)
    if province and not foreign and place.province_slug != province:
        best = max((m for m in pool if _province(m, gazetteer) == province), key=rank)
    if home and best.slug == home and len(pool) > 1:
        return next(m.slug for m in pool if m.slug != home)
    return best.slug


def _province(mention: Mention, gazetteer: Gazetteer) -> str | None:
    return gazetteer.locations[mention.slug].province_slug


def _province_by_vote(
    fields: dict[str, str], locations: list[Mention], gazetteer: Gazetteer
) -> str | None:
    headline_numbers = _numbers(fields.get("title", ""))
    sentences = {name: _Sentences(name, text, headline_numbers) for name, text in fields.items()}
    placed: list[tuple[str, str, int, int]] = []
    for mention in locations:
        province = _province(mention, gazetteer)
        if not province:
            continue
        for span in mention.spans:
            placed.append(
                (province, span.field, sentences[span.field].index_at(span.start), span.start)
            )
    if not placed:
        return None
    first_in_sentence: dict[tuple[str, int], int] = {}
    for _, name, index, start in placed:
        key = (name, index)
        first_in_sentence[key] = min(first_in_sentence.get(key, start), start)
    # The lead is the first sentences that say where: a wire story often opens with what
    # happened ("a suicide bombing killed 30 rebels near the border") and names the place
    # only in the next sentence, which then counts as the lead, not as a late paragraph.
    body = sentences.get("body")
    if body is not None:
        body.rank_placed(index for _, name, index, _ in placed if name == "body")
    # One vote per province per sentence: a background paragraph listing five villages of
    # one province does not outvote the headline.
    best_in_sentence: dict[tuple[str, str, int], float] = {}
    first_seen: dict[str, tuple[int, int]] = {}
    order = list(fields)
    for province, name, index, start in placed:
        key = (province, name, index)
        weight = sentences[name].weight(index)
        if sentences[name].in_tag_list(start):
            weight = min(weight, _LATE_WEIGHT)
        elif sentences[name].is_landmark(start, first_in_sentence[name, index] < start):
            weight *= _LANDMARK_FACTOR
        best_in_sentence[key] = max(best_in_sentence.get(key, 0.0), weight)
        seen = (order.index(name), start)
        first_seen[province] = min(first_seen.get(province, seen), seen)
    votes: dict[str, float] = defaultdict(float)
    for (province, _, _), weight in best_in_sentence.items():
        votes[province] += weight
    return max(votes, key=lambda slug: (votes[slug], tuple(-k for k in first_seen[slug])))


def _numbers(text: str) -> frozenset[str]:
    """The counts written in ``text`` as digits, years left out."""
    return frozenset(n for n in _NUMBER.findall(text) if not 1900 <= int(n) <= 2100)


def _end_of_words(text: str, start: int, count: int) -> int:
    """The offset after the ``count``-th word from ``start`` (or the end of the text)."""
    end = start
    for number, word in enumerate(_WORD.finditer(text, start), 1):
        end = word.end()
        if number == count:
            break
    return end


class _Sentences:
    """A field cut into sentences, each weighted only when a place is found in it."""

    def __init__(self, field_name: str, text: str, headline_numbers: frozenset[str]) -> None:
        self.field_name, self.text = field_name, text
        self.headline_numbers = headline_numbers
        self.starts = [0]
        self.dateline = False
        if field_name == "body":
            dateline = _DATELINE.match(text) or arabic.DATELINE_AT_START.match(text)
            starts = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
            if dateline:
                self.dateline = True
                starts = [dateline.end(), *(s for s in starts if s > dateline.end())]
            self.starts += starts
        self.tag_lists = [
            (m.end(), _end_of_words(text, m.end(), _TAG_LIST_WORDS))
            for m in (_TAG_LIST.finditer(text) if "Tags" in text else ())
        ]
        self.ranks: dict[int, int] = {}
        # The factor of each sentence's wording, found once: every place named in a
        # sentence asks for its weight.
        self._factors: dict[int, float] = {}

    def index_at(self, offset: int) -> int:
        """The index of the sentence holding ``offset``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def is_landmark(self, offset: int, after_a_place: bool) -> bool:
        """Named at ``offset`` to say where something else is: after a distance ("20 km
        east of"), or after "near" or "west of" when another place came first."""
        before = self.text[max(0, offset - 50) : offset]
        if _DIGIT.search(before) and _DISTANCE_CUE.search(before):
            return True
        return after_a_place and bool(_RELATIVE_CUE.search(before))

    def in_tag_list(self, offset: int) -> bool:
        """Within a site's keyword list and not after a word that places it ("in", "near",
        "the town of"): a keyword the lead just runs on from is still the lead's."""
        return any(
            start <= offset < end
            and not _CUE_BEFORE.search(self.text[max(start, offset - 40) : offset])
            for start, end in self.tag_lists
        )

    def rank_placed(self, indexes: Iterable[int]) -> None:
        """Number the sentences that name a Syrian place, in order, after the dateline."""
        placed = sorted({i for i in indexes if not (self.dateline and i == 0)})
        self.ranks = {index: rank for rank, index in enumerate(placed)}

    def weight(self, index: int) -> float:
        if self.field_name != "body":
            return _POSITION_WEIGHTS.get(self.field_name, 1.0)
        if self.dateline and index == 0:
            return 3.0
        rank = self.ranks.get(index, index - self.dateline)
        weight = _LEAD_WEIGHTS[rank] if rank < len(_LEAD_WEIGHTS) else _LATE_WEIGHT
        if index not in self._factors:
            self._factors[index] = self._factor(index)
        return weight * self._factors[index]

    def _factor(self, index: int) -> float:
        """What the sentence's wording multiplies its weight by: background counts less,
        an event more, and the headline's toll repeated ("kill 58" / "killed 58
        civilians") marks the headline's event."""
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        sentence = self.text[start:end]
        factor = 1.0
        if _BACKGROUND.search(sentence):
            factor = _BACKGROUND_FACTOR
        elif _EVENT.search(sentence):
            factor = _EVENT_FACTOR
        if self.headline_numbers and not self.headline_numbers.isdisjoint(_numbers(sentence)):
            factor *= _HEADLINE_NUMBER_FACTOR
        return factor


def _prominence(
    fields: dict[str, str], locations: list[Mention], gazetteer: Gazetteer, home: str | None
) -> dict[str, float]:
    """How prominent and specific each place is: headline, dateline, lead, count, kind."""
    body = fields.get("body", "")
    dateline = _DATELINE.match(body)
    dateline_end = dateline.end() if dateline else 0
    lead_end = body.find("\n\n", dateline_end)
    lead_end = len(body) if lead_end < 0 else lead_end
    prominent = {m.slug for m in locations}
    scores: dict[str, float] = {}
    for mention in locations:
        place = gazetteer.locations[mention.slug]
        foreign = bool(home and place.country_slug and place.country_slug != home)
        score = 0.0
        places_seen = {s.field for s in mention.spans}
        if any(s.field == "body" and s.end <= dateline_end for s in mention.spans):
            # A foreign capital's dateline ("BEIRUT (Reuters) -") is where the reporter
            # sat, not where the fighting was.
            score += 0.5 if foreign or place.kind == "country" else 3.0
        if "title" in places_seen:
            score += 4.0
        if "standfirst" in places_seen:
            score += 2.5
        if "caption" in places_seen:
            score += 0.5
        if any(s.field == "body" and dateline_end <= s.start < lead_end for s in mention.spans):
            score += 2.0
        body_count = sum(1 for s in mention.spans if s.field == "body")
        score += 0.25 * min(body_count, 4)
        score += _SPECIFICITY.get(place.kind, 1.0)
        if place.province_slug and place.province_slug != mention.slug:
            # A village in a province the lead also names is the more precise scene.
            score += 0.5 if place.province_slug in prominent else 0.0
        if foreign:
            score -= 2.5
        scores[mention.slug] = score
    return scores


__all__ = ["NEIGHBOUR_KM", "primary_place", "support_villages"]
