"""States and their forces as wire reporting names them. Plain Python, no Django.

Reports seldom write "the Russian Aerospace Forces" or "the Turkish Armed Forces"; they write
"Russian warplanes", "Turkish soldiers", "Iranian-backed militias" and "Ankara said". Two
rules, run by the tagger on its raw hits (``name_states``):

- a nationality before a military or official noun names that state's forces or the state
  itself: "Turkish soldiers" (its armed forces), "Israeli strikes" (its air force),
  "Iranian-backed militias" and "his Russian and Iranian counterparts" (the states). A
  nationality joined to another ("Russian and Syrian warplanes", "Russian or Syrian
  regime war planes") shares the noun;
- a foreign capital that speaks or acts ("Moscow said", "Washington and its allies would
  press", "Ankara's offensive", "Riyadh and Damascus have agreed") is its state, not a place
  where something happened. After "in", "to" or "from" it stays the place.

Only actors the gazetteer has are tagged, so a smaller gazetteer (the tests') simply finds
fewer.
"""

from __future__ import annotations

import re
from typing import Protocol

from articles.ingest.gazetteer import Gazetteer


class _HitLike(Protocol):
    # What this module reads and changes of the tagger's raw hits.
    field: str
    start: int
    end: int
    actor: str | None
    locations: list[str]


# Nationality -> (the state, its armed forces, its air force). The air force falls back to
# the armed forces where the gazetteer keeps no separate actor.
FORCES = {
    "Russian": ("russia", "russian-armed-forces", "russian-aerospace-forces"),
    "Turkish": ("turkey", "turkish-armed-forces", None),
    "Israeli": ("israel", "israel-defense-forces", "israeli-air-force"),
    "Iranian": ("iran", "islamic-revolutionary-guard-corps", None),
    "American": ("united-states", "us-military", None),
    "Jordanian": ("jordan", "jordanian-armed-forces", None),
    "Lebanese": ("lebanon", "lebanese-armed-forces", None),
    "Iraqi": ("iraq", "iraqi-security-forces", None),
    "French": ("france", "french-armed-forces", None),
    "British": ("united-kingdom", "british-armed-forces", None),
    "Saudi": ("saudi-arabia", None, None),
    "Qatari": ("qatar", None, None),
    "Emirati": ("united-arab-emirates", None, None),
    "Egyptian": ("egypt", None, None),
    "Chinese": ("china", None, None),
    "Syrian": (None, "syrian-government-forces", None),
}
_AIR = (
    "warplanes|war planes|war jets|fighter jets|jets|aircraft|planes|air force|air strikes|"
    "airstrikes|air raids|air power|air support|air cover|raids|strikes|bombers|helicopters|"
    "drones|bombing|bombardment"
)
_GROUND = (
    "soldiers|troops|military police|military advisers|special forces|ground forces|"
    "army units|military|army|officers|patrols|tanks|artillery|commandos|servicemen|sappers|"
    "border guards|navy|warships|defence ministry|defense ministry"
)
_STATE = (
    "officials|authorities|foreign ministry|diplomats|embassy|delegation|counterparts|government"
)
_NATIONALITY = "|".join(FORCES)
# These patterns begin with their literal words, not with \b: a leading \b keeps the regex
# engine from skipping ahead to the first letters the pattern can start with, and made
# each of them cost about four times as much (the word start is checked in Python,
# ``_starts_word``, on the few matches).
_NATIONALITY_NOUN = re.compile(
    rf"(?P<first>{_NATIONALITY})"
    rf"(?:-(?P<backed>backed)\b"
    rf"|(?:,?\s+(?:and|or)\s+(?P<second>{_NATIONALITY}))?(?:\s+regime)?\s+"
    rf"(?i:(?P<air>{_AIR})|(?P<ground>{_GROUND})|(?P<state>{_STATE}))\b)"
)

# A country or a ruler in the possessive names the same state or forces as its
# nationality: "Russia's military", "Syria's army", "Assad's troops". Where a site strips
# punctuation the apostrophe is gone ("Syrias regime", "Assads forces"), which the aliases
# cannot spell; headlines drop it altogether ("Syria army pounds ...").
_OWNERS = {
    "Syria": "Syrian",
    "Assad": "Syrian",
    "Russia": "Russian",
    "Turkey": "Turkish",
    "Israel": "Israeli",
    "Iran": "Iranian",
    "America": "American",
    "Jordan": "Jordanian",
    "Lebanon": "Lebanese",
    "Iraq": "Iraqi",
    "France": "French",
    "Britain": "British",
    "Egypt": "Egyptian",
    "China": "Chinese",
}
# Nouns only an owner takes ("Assads forces", "Syrias loyalists"); "regime" is Syrian only
# (the labels of real reporting keep "the Turkish regime" apart from Turkey's forces).
_SYRIAN_ONLY = "regime|loyalists|forces"
_POSSESSIVE_NOUN = re.compile(
    rf"(?P<owner>{'|'.join(_OWNERS)})(?P<mark>['\u2019]s\b|s\b|(?=\s+(?:regime|army|troops|forces)\b))"
    rf"\s+(?i:(?P<ministry>(?:defen[cs]e|foreign)\s+ministry)|(?P<air>{_AIR})|(?P<ground>{_GROUND})"
    rf"|(?P<state>{_STATE})|(?P<syrian>{_SYRIAN_ONLY}))\b"
)
_GROUND_WORD = re.compile(r"(?:in|to|from|into|inside|across|of|on|for|at)\s+$", re.IGNORECASE)

# A foreign capital standing for its state: its location slug -> the state's actor slug.
CAPITALS = {
    "moscow": "russia",
    "washington": "united-states",
    "ankara": "turkey",
    "tehran": "iran",
    "paris": "france",
    "london": "united-kingdom",
    "berlin": "germany",
    "riyadh": "saudi-arabia",
    "doha": "qatar",
    "abu-dhabi": "united-arab-emirates",
    "amman": "jordan",
    "beirut": "lebanon",
    "baghdad": "iraq",
    "cairo": "egypt",
    "beijing": "china",
}
_ACTS = (
    "said|says|say|told|would|will|wants|wanted|accused|accuses|denied|denies|backed|backs|"
    "supported|supports|warned|warns|called|calls|urged|urges|insisted|insists|condemned|"
    "condemns|rejected|rejects|agreed|agree|agrees|announced|announces|sent|sends|responded|"
    "demanded|demands|claimed|claims|blamed|blames|fears|feared|hopes|vowed|vows|pledged|"
    "threatened|threatens|refused|refuses|hailed|welcomed|welcomes|sought|seeks|must|should|"
    "could|may|might|did|does|considers|sees|believes|brokered|negotiated|"
    r"(?:has|have|had)\s+(?:\w+ed|said|sent|told|made|given|taken|set|sought|built|drawn)"
)
_CAPITAL_ACTS = re.compile(
    r"(?:['\u2019]s\b|-backed\b|\s*,\s+which\b"
    r"|(?:\s+and\s+(?:its\s+(?:\w+\s+)?allies|[A-Z][\w-]+))?\s+(?:" + _ACTS + r")\b)"
)
_PLACE_BEFORE = re.compile(r"\b(?:in|to|from|at|into|near|outside|via|of)\s+$", re.IGNORECASE)


def name_states(
    hits: list[_HitLike], fields: dict[str, str], gazetteer: Gazetteer, home: str | None
) -> list[tuple[str, str, int, int]]:
    """Turn speaking capitals into their states (in place); return the actors the
    nationality rule finds, as (slug, field, start, end), none overlapping an actor the
    aliases already found."""
    actors = gazetteer.actors
    for hit in hits:
        if len(hit.locations) != 1 or hit.actor:
            continue
        state = CAPITALS.get(hit.locations[0])
        place = gazetteer.locations[hit.locations[0]]
        if state not in actors or place.country_slug == home:
            continue
        text = fields[hit.field]
        if _CAPITAL_ACTS.match(text, hit.end) and not _PLACE_BEFORE.search(
            text[max(0, hit.start - 12) : hit.start]
        ):
            hit.actor, hit.locations = state, []

    taken = {(h.field, h.start, h.end) for h in hits if h.actor}
    added: list[tuple[str, str, int, int]] = []
    for name, text in fields.items():
        for match in _NATIONALITY_NOUN.finditer(text):
            if not _starts_word(text, match.start()):
                continue
            kind = next(k for k in ("backed", "air", "ground", "state") if match.group(k))
            named = [("first", match.start("first"), match.end("first"))]
            if match.group("second"):
                named.append(("second", match.start("second"), match.end()))
            else:
                named = [("first", match.start(), match.end())]
            for group, start, end in named:
                slug = _actor_for(match.group(group), kind, actors)
                if slug and not _overlaps(taken, name, start, end):
                    added.append((slug, name, start, end))
                    taken.add((name, start, end))
    for name, text in fields.items():
        for match in _POSSESSIVE_NOUN.finditer(text):
            start, end = match.start(), match.end()
            if not _starts_word(text, start):
                continue
            if not match.group("mark") and _GROUND_WORD.search(text[max(0, start - 12) : start]):
                continue  # "fighting in Syria forces ..." where a comma was stripped
            slug = _owner_actor(match, actors)
            # The owner may be tagged itself ("President Bashar al-Assad's government": the
            # person and the forces); only an actor already found for the noun excludes.
            noun = match.end("mark")
            if slug and not _overlaps(taken, name, noun, end):
                added.append((slug, name, start, end))
                taken.add((name, start, end))
    _us_forces(hits, fields, actors)
    added.extend(_the_regime(hits, fields, actors, taken))
    added.extend(_state_television(fields, actors, taken))
    return added


# "State TV reported", "Homs state television said": Syria reporting's bare "state
# television" is Syria's (the labels of real reporting count it so). Another state's
# channel is named with its nationality or owner ("Iranian state TV", "Russia's state
# television"); an article that names one leaves every bare one unread.
_STATE_TV = re.compile(r"(?:State|state)(?:-run|\s+run)?\s+(?:television|TV|broadcaster)\b")
_TV_OWNER = re.compile(r"([A-Z][a-z]+?)(?:['\u2019]?s)?\s+$")
_FOREIGN_OWNERS = (set(FORCES) | set(_OWNERS) | {"Kurdish"}) - {"Syrian", "Syria", "Assad"}
_SYRIAN_TV = "syrian-state-television"


def _state_television(
    fields: dict[str, str], actors: dict, taken: set[tuple[str, int, int]]
) -> list[tuple[str, str, int, int]]:
    if _SYRIAN_TV not in actors:
        return []
    matches = [
        (name, match)
        for name, text in fields.items()
        for match in _STATE_TV.finditer(text)
        if _starts_word(text, match.start())
    ]
    found = []
    for name, match in matches:
        start, end = match.span()
        owner = _TV_OWNER.search(fields[name][max(0, start - 16) : start])
        if owner and owner.group(1) in _FOREIGN_OWNERS:
            return []  # another state's television is named: "state TV" may be either
        if not _overlaps(taken, name, start, end):
            found.append((_SYRIAN_TV, name, start, end))
    return found


# "US air strikes", "U.S. raids": the country's short name as a nationality. The matcher
# has already taken "US" for the state; before a military noun it is the forces instead.
_US_NOUN = re.compile(rf"(?:US|U\.S\.?)\s+(?i:{_AIR}|{_GROUND})\b")


def _us_forces(hits: list[_HitLike], fields: dict[str, str], actors: dict) -> None:
    state, forces, _ = FORCES["American"]
    if forces not in actors:
        return
    for hit in hits:
        if hit.actor == state:  # read only where the state was found, not over the text
            match = _US_NOUN.match(fields[hit.field], hit.start)
            if match is not None:
                hit.actor, hit.end = forces, match.end()


# "The regime", "the army" and "his regime/forces" are how Syria reporting names Assad's
# forces. Ordinary phrases elsewhere ("the regime in Tehran", "the Lebanese army ... the
# army said"), so each counts only in an article that names no other regime or army, and
# "his ..." only right after Assad.
_REGIME_ACTS = (
    "attacks?|shelling|bombardment|offensive|raids?|strikes|artillery|aircraft|planes|jets"
    "|soldiers|army|militias?|snipers?|barrel\\s+bombs"
)
_NOT_ABROAD = r"\b(?!\s+(?:in|of)\b)"  # "the regime in Tehran", "the regime of the Shah"
_THE_REGIME = re.compile(
    rf"The\s+regime{_NOT_ABROAD}|the\s+regime{_NOT_ABROAD}"
    rf"|His\s+(?:regime|forces|troops){_NOT_ABROAD}|his\s+(?:regime|forces|troops){_NOT_ABROAD}"
    # "regime attacks in Daraa", "regime shelling": the forces by what they do
    rf"|Regime\s+(?:{_REGIME_ACTS})\b|regime\s+(?:{_REGIME_ACTS})\b"
)
_OTHER_REGIME = re.compile(
    r"\b(?!Syrian\b)(?:[A-Z][a-z]+(?:i|ish|ian)|Zionist)\s+regime\b"
    r"|\bregime\s+(?:in|of)\s+(?!Damascus|Syria|Assad)[A-Z]"
)
_THE_ARMY = re.compile(
    r"(?:The\s+army|the\s+army|Army\s+units?|army\s+units?|An\s+army\s+unit|an\s+army\s+unit)\b"
)
_OTHER_ARMY = re.compile(
    r"\b(?!Syrian?s?\b|Assads\b)(?:[A-Z][a-z]+(?:i|ish|ian|ese|s)|US|U\.S\.|Free\s+Syrian)"
    r"\s+(?:[Aa]rmy|military|armed\s+forces|troops|soldiers)\b|\bFSA\b"
)
_SYRIAN_STATE = "syrian-government-forces"
_ASSAD = "bashar-al-assad"


def _the_regime(
    hits: list[_HitLike], fields: dict[str, str], actors: dict, taken: set[tuple[str, int, int]]
) -> list[tuple[str, str, int, int]]:
    if _SYRIAN_STATE not in actors:
        return []
    matches = [
        (pattern, name, match)
        for name, text in fields.items()
        for pattern in (_THE_REGIME, _THE_ARMY)
        for match in pattern.finditer(text)
        if _starts_word(text, match.start())
    ]
    # The exclusions are read only for a phrase the article has (most have neither).
    exclusion = {_THE_REGIME: _OTHER_REGIME, _THE_ARMY: _OTHER_ARMY}
    other = {
        pattern: any(exclusion[pattern].search(text) for text in fields.values())
        for pattern in {pattern for pattern, _, _ in matches}
    }
    people = sorted(
        (h.field, h.end, h.actor) for h in hits if h.actor and actors[h.actor].kind == "person"
    )
    found = []
    for pattern, name, match in matches:
        start, end = match.span()
        if other[pattern] or _overlaps(taken, name, start, end):
            continue
        if match.group(0)[0] in "Hh":
            before = [(e, slug) for f, e, slug in people if f == name and e <= start]
            if not before or before[-1][1] != _ASSAD or start - before[-1][0] > 120:
                continue  # "his forces" of someone other than Assad
        found.append((_SYRIAN_STATE, name, start, end))
    return found


def _starts_word(text: str, start: int) -> bool:
    """What a leading \\b would check: no word character right before ``start``."""
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")


def _overlaps(taken: set[tuple[str, int, int]], field: str, start: int, end: int) -> bool:
    """An actor already found in ``field`` overlaps ``start:end`` (``tag._overlaps`` for
    the (field, start, end) tuples this module collects)."""
    return any(f == field and s < end and start < e for f, s, e in taken)


def _owner_actor(match: re.Match, actors: dict) -> str | None:
    if match.group("ministry"):
        return None  # "Russia's defence ministry said": the state the name already gives
    nationality = _OWNERS[match.group("owner")]
    if nationality == "Syrian":
        choice = FORCES["Syrian"][1]  # Syria's army, regime and government are one actor
        return choice if choice in actors else None
    if match.group("syrian"):
        if match.group("syrian") == "regime":
            return None
        return _actor_for(nationality, "ground", actors)
    kind = next(k for k in ("air", "ground", "state") if match.group(k))
    return _actor_for(nationality, kind, actors)


def _actor_for(nationality: str, kind: str, actors: dict) -> str | None:
    state, forces, air = FORCES[nationality]
    if kind in ("backed", "state"):
        choice = state
    elif kind == "air":
        choice = air if air in actors else forces
    else:
        choice = forces
    return choice if choice in actors else None


__all__ = ["CAPITALS", "FORCES", "name_states"]
