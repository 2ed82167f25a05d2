"""Synthetic articles with the shape of the archive's reporting, deterministic for a seed.

Each article is 300-1,200 words drawn from a Zipf-like vocabulary (English function words
at the top, conflict-reporting words in the middle, a long tail of made-up words), names
two to eight actors and places drawn from the gazetteer with a heavy skew (the Syrian
army's opponents and patrons in most articles, a long tail of small brigades and
villages), is dated within 15 years and comes from one of 30 sources.

Article ``n`` depends only on ``(seed, n)``, so any slice of the corpus can be generated in
any process, in any order, and come out the same. Mentions are recorded the way the
tagger records them: count, first field and offset, the sentence, and every span as
``[field, start, end]`` into the text.

A few words are placed at known ranks so the benchmark's query mix has terms of known
frequency: see ``TERMS``.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass, field

from articles.ingest.gazetteer import Gazetteer

FIRST_DAY = datetime.date(2011, 3, 15)
DAYS = 15 * 365

# Words at fixed Zipf ranks. With ~60k words and s=1, a word at rank r is about
# 1/(11.6 r) of all words, so in an article of 750 words:
TERMS = {
    "shelling": 150,  # common: in ~35% of articles
    "ceasefire": 300,  # in ~20%
    "humanitarian": 400,
    "corridor": 900,
    "truce": 2_000,
    "cholera": 30_000,  # rare: in ~0.2% of articles
}
# Inserted as a whole sentence fragment, so phrase queries have adjacent words to find.
PHRASE = "humanitarian corridor"
PHRASE_SHARE = 0.03

FUNCTION_WORDS = """
the of and to in a that for on was with as by is said at from it were he had have has
but not be are this which an their they been who after its also or would more one two
were his will up about into than other over there when some out all three last could
only new people can while where them during since before against between under because
those then most such both many no what if so any these our we her she him i you us do
did does being may might must should very just now even still
""".split()  # noqa: SIM905 -- a word list reads better as text

CONTENT_WORDS = """
government forces fighting city province town village area north south east west rebel
rebels opposition regime military army troops attack attacks killed civilians children
women men residents local officials report reported according statement group groups
control border week month year day days night morning airstrikes strikes strike bombing
bombardment shells artillery mortar rockets missile drone jets aircraft helicopter
barrel bombs clashes offensive advance front frontline positions checkpoint road highway
bridge hospital school mosque market neighbourhood district siege aid convoy food water
electricity fuel shelter camp camps refugees displaced families thousands hundreds
dozens wounded injured dead bodies casualties toll monitor activists sources witnesses
journalists media agency news television footage video talks negotiations agreement deal
truce withdrawal evacuation buses fighters militants jihadist extremist coalition
alliance allies troops soldiers commander commanders leader leaders council committee
security intelligence police prison detainees prisoners release exchange hostages
kidnapped executed arrested campaign operation operations territory countryside
outskirts district suburbs centre eastern western northern southern crossing corridor
ammunition weapons chemical gas sarin chlorine investigation inspectors sanctions
embassy minister ministry president foreign defence interior spokesman spokeswoman envoy
resolution vote security-council humanitarian relief winter summer heavy fierce renewed
fresh sporadic continued major largest first second latest early late overnight dawn
ambush raid raids tunnel tunnels sniper snipers mine mines explosive car bomb suicide
blast explosion fire smoke rubble destroyed damaged collapsed buildings homes houses
streets shops bakery clinic doctors medical supplies medicine vaccination outbreak
disease cases deaths starvation hunger shortage prices currency economy oil wheat
harvest farmers fields river dam airport base bases airbase province's country's
""".split()  # noqa: SIM905 -- a word list reads better as text

SYLLABLES = """
ba da ka la ma na ra sa ta za ha fa ja qa wa ya bi di ki li mi ni ri si ti zi hi fi ji
bu du ku lu mu nu ru su tu zu hu fu ju al el ar er an en in on un ir or ash esh um om ul
ol
""".split()  # noqa: SIM905 -- a word list reads better as text

SOURCES = [
    "Levant Wire",
    "Orontes Daily",
    "Euphrates Post",
    "Damascus Dispatch",
    "Aleppo Monitor",
    "Middle East Ledger",
    "Frontline Gazette",
    "Crescent Times",
    "Northern Herald",
    "Syria Field Report",
    "Beirut Observer",
    "Amman Chronicle",
    "Gaziantep Courier",
    "Hama Record",
    "Desert Bulletin",
    "Coastal Tribune",
    "Homs Review",
    "Jazira Journal",
    "Idlib Sentinel",
    "Golan Notes",
    "Qalamoun Times",
    "Raqqa Register",
    "Hauran Voice",
    "Tigris Mail",
    "Regional Affairs Weekly",
    "Conflict Desk",
    "World Wire Service",
    "International Courier",
    "Refugee Affairs Review",
    "Human Rights Digest",
]

# Actors most articles name, in order of prominence; the rest follow in gazetteer order.
HEAD_ACTORS = [
    "syrian-government-forces",
    "islamic-state",
    "hayat-tahrir-al-sham",
    "russia",
    "syrian-democratic-forces",
    "bashar-al-assad",
    "turkey",
    "syrian-observatory-for-human-rights",
    "free-syrian-army",
    "united-nations",
    "united-states",
    "iran",
    "hezbollah",
    "us-led-coalition",
    "russian-aerospace-forces",
]
HEAD_PROVINCES = [
    "aleppo",
    "idlib",
    "rif-dimashq",
    "damascus",
    "deir-ez-zor",
    "homs",
    "hama",
    "raqqa",
    "daraa",
    "al-hasakah",
    "latakia",
    "as-suwayda",
    "tartus",
    "quneitra",
]
VERBS = [
    "says",
    "seizes",
    "shells",
    "withdraws from",
    "advances on",
    "strikes",
    "accuses",
    "reports fighting in",
    "agrees to truce in",
    "reinforces",
]
AUTHORS = ["Staff reporter", "Layla Haddad", "Omar Nasser", "Sara Kline", "James Porter"]


@dataclass
class Mention:
    slug: str
    count: int = 0
    first_field: str = ""
    first_offset: int = 0
    sentence: str = ""
    spans: list[list] = field(default_factory=list)


@dataclass
class SyntheticArticle:
    number: int
    source: str
    title: str
    standfirst: str
    caption: str
    body: str
    published_on: datetime.date
    authors: list[str]
    actors: list[Mention]
    locations: list[Mention]
    primary_location: str | None
    is_hidden: bool
    review_status: str  # for this article's mentions: "auto" mostly, some reviewed


def _zipf_cumulative(n: int, s: float, q: float = 0.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + q) ** s for rank in range(1, n + 1)))


class _Text:
    """One field being written, recording where each name lands."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def value(self) -> str:
        return "".join(self.parts)


class Corpus:
    """``Corpus(gazetteer, seed).article(n)``: the n-th synthetic article (n from 1)."""

    def __init__(self, gazetteer: Gazetteer, seed: int = 1, vocabulary_size: int = 60_000):
        self.seed = seed
        self.vocabulary = self._vocabulary(vocabulary_size)
        self.word_weights = _zipf_cumulative(len(self.vocabulary), 1.0, 1.7)
        actors = sorted(
            gazetteer.actors.values(),
            key=lambda a: HEAD_ACTORS.index(a.slug) if a.slug in HEAD_ACTORS else len(HEAD_ACTORS),
        )
        self.actors = [(a.slug, a.names[:3]) for a in actors]
        self.actor_weights = _zipf_cumulative(len(self.actors), 1.2)
        syrian = [
            loc
            for loc in gazetteer.locations.values()
            if loc.country_slug == "syria" and loc.province_slug
        ]
        syrian.sort(
            key=lambda loc: (
                HEAD_PROVINCES.index(loc.province_slug)
                if loc.province_slug in HEAD_PROVINCES
                else 99,
                loc.kind not in ("governorate", "city"),
                loc.slug,
            )
        )
        # Shuffle within the tail so the long tail is not alphabetical, deterministically.
        head, tail = syrian[:60], syrian[60:]
        random.Random(seed).shuffle(tail)
        self.places = [(loc.slug, loc.names[:2]) for loc in head + tail]
        self.place_weights = _zipf_cumulative(len(self.places), 0.9)
        self.foreign = [
            (loc.slug, loc.names[:1])
            for loc in gazetteer.locations.values()
            if loc.kind in ("country", "city") and loc.country_slug not in ("syria", None)
        ][:40]
        self.syria = ("syria", ("Syria",)) if "syria" in gazetteer.locations else None
        self.source_weights = _zipf_cumulative(len(SOURCES), 0.8)

    def _vocabulary(self, size: int) -> list[str]:
        rng = random.Random(self.seed)
        made_up: set[str] = set()
        known = set(FUNCTION_WORDS) | set(CONTENT_WORDS) | set(TERMS)
        while len(made_up) < size - len(known):
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
            if word not in known:
                made_up.add(word)
        words = list(dict.fromkeys(FUNCTION_WORDS))
        words += [w for w in dict.fromkeys(CONTENT_WORDS) if w not in words and w not in TERMS]
        words += sorted(made_up)[: size - len(words) - len(TERMS)]
        for term, rank in sorted(TERMS.items(), key=lambda item: item[1]):
            words.insert(rank - 1, term)
        return words

    def _rng(self, number: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + number)

    def article(self, number: int) -> SyntheticArticle:
        rng = self._rng(number)
        n_actors = min(1 + int(rng.expovariate(1 / 2.2)), 8)
        n_places = min(1 + int(rng.expovariate(1 / 1.8)), 8)
        actors = self._pick(rng, self.actors, self.actor_weights, n_actors)
        places = self._pick(rng, self.places, self.place_weights, n_places)
        if self.syria and rng.random() < 0.6:
            places.append(self.syria)
        if rng.random() < 0.25:
            places.append(rng.choice(self.foreign))

        mentions: dict[str, Mention] = {}
        kinds = {slug: "actor" for slug, _ in actors} | {slug: "place" for slug, _ in places}
        names = dict(actors) | dict(places)

        def name_into(text: _Text, slug: str, rest: str) -> None:
            """Write one sentence starting with ``slug``'s name, recording the span."""
            name = rng.choice(names[slug])
            start = text.add(name)
            text.add(rest)
            mention = mentions.setdefault(slug, Mention(slug))
            mention.count += 1
            mention.spans.append([text.name, start, start + len(name)])
            if mention.count == 1:
                mention.first_field, mention.first_offset = text.name, start
                mention.sentence = (name + rest).strip()[:400]

        title = _Text("title")
        actor, place = actors[0][0], places[0][0]
        name_into(title, actor, f" {rng.choice(VERBS)} ")
        name_into(title, place, f" {self._words(rng, 3)}".rstrip())

        standfirst = _Text("standfirst")
        name_into(standfirst, place, " " + self._sentence(rng, 18, 30).lower())

        caption = _Text("caption")
        if rng.random() < 0.4:
            caption.add("Smoke rises over ")
            name_into(caption, place, " " + self._sentence(rng, 5, 10))

        body = _Text("body")
        n_words = rng.randint(300, 1200)
        # Who opens which sentences: every actor and place at least once, heavier ones more.
        openers = [slug for slug in kinds for _ in range(1 + int(rng.expovariate(1 / 1.5)))]
        rng.shuffle(openers)
        written, sentence_no = 0, 0
        phrase_at = rng.randrange(8) if rng.random() < PHRASE_SHARE else -1
        while written < n_words:
            length = rng.randint(10, 30)
            if sentence_no and sentence_no % rng.randint(3, 6) == 0:
                body.add("\n\n")
            elif sentence_no:
                body.add(" ")
            words = self._sentence(rng, length, length)
            if sentence_no == phrase_at:
                words = words[:-1] + f" along the {PHRASE}."
            if openers and rng.random() < 0.5:
                name_into(body, openers.pop(), " " + words[0].lower() + words[1:])
            else:
                body.add(words)
            written += length
            sentence_no += 1
        for slug in openers:  # anyone not yet placed closes the article
            body.add(" ")
            name_into(body, slug, " " + self._sentence(rng, 8, 14).lower())

        day = FIRST_DAY + datetime.timedelta(days=int(DAYS * rng.betavariate(1.6, 2.4)))
        source = SOURCES[bisect.bisect(self.source_weights, rng.random() * self.source_weights[-1])]
        fields = {"title": 0, "standfirst": 1, "caption": 2, "body": 3}
        ordered = sorted(mentions.values(), key=lambda m: (fields[m.first_field], m.first_offset))
        roll = rng.random()
        return SyntheticArticle(
            number=number,
            source=source,
            title=title.value(),
            standfirst=standfirst.value(),
            caption=caption.value(),
            body=body.value(),
            published_on=day,
            authors=[rng.choice(AUTHORS)],
            actors=[m for m in ordered if kinds[m.slug] == "actor"],
            locations=[m for m in ordered if kinds[m.slug] == "place"],
            primary_location=place,
            is_hidden=rng.random() < 0.005,
            review_status="confirmed" if roll < 0.01 else "rejected" if roll < 0.012 else "auto",
        )

    @staticmethod
    def _pick(rng: random.Random, items: list, cumulative: list[float], k: int) -> list:
        chosen: dict[int, None] = {}
        total = cumulative[-1]
        for _ in range(k * 4):
            chosen.setdefault(bisect.bisect(cumulative, rng.random() * total), None)
            if len(chosen) == k:
                break
        return [items[i] for i in chosen]

    def _words(self, rng: random.Random, k: int) -> str:
        return " ".join(rng.choices(self.vocabulary, cum_weights=self.word_weights, k=k))

    def _sentence(self, rng: random.Random, low: int, high: int) -> str:
        text = self._words(rng, rng.randint(low, high))
        return text[:1].upper() + text[1:] + "."
