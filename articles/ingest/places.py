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

import math
import re
from typing import Protocol

from articles.ingest.gazetteer import Gazetteer, GazetteerLocation

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


__all__ = ["NEIGHBOUR_KM", "support_villages"]
