"""A varied archive and the search index built over it (in the test's own transaction)."""

import datetime
import random
from types import SimpleNamespace

import pytest

from articles import search_index
from articles.models import ActorKind, ActorStatus, LocationKind
from tests.factories import (
    ActorFactory,
    ActorLinkFactory,
    ArticleFactory,
    CountryFactory,
    PlaceFactory,
    ProvinceFactory,
    SourceFactory,
    mention_article,
)

# Fictional sentences of the kinds the archive holds; {place} and {actor} are filled in.
ENGLISH = [
    "Government shelling hit the outskirts of {place} overnight.",
    "A humanitarian corridor opened for civilians leaving {place}.",
    "Negotiators announced a ceasefire around {place} on Tuesday.",
    "Residents described a fragile truce in {place} after the talks.",
    "Aid trucks finally reached the city of Aleppo after weeks of delay.",
    "{actor} fighters clashed with rivals on the road to {place}.",
    "Cholera cases rose in the camps near {place}, doctors said.",
    "The shelling of {place} forced families to sleep in caves.",
    "Farmers in the al-Ghab plain lost their harvest to the fires.",
    "{actor} denied any role in the attack on {place}.",
]
ARABIC = [
    "قصف مدفعي على ريف ادلب الجنوبي صباح اليوم.",
    "هدنة هشة في مدينة حماه بعد المفاوضات.",
    "اشتباكات عنيفة في محافظة إدلب بين الفصائل.",
    "وصول قافلة مساعدات إلى الحسكه بعد تأخير طويل.",
    "نزوح عشرات العائلات من القرى القريبة من حماة.",
]


@pytest.fixture
def search_index_dir(settings, tmp_path):
    """The index enabled, in a directory of the test's own; no reader left from another."""
    settings.SEARCH_INDEX_ENABLED = True
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    search_index._open = None
    yield settings.SEARCH_INDEX_DIR
    search_index._open = None


@pytest.fixture
def varied(db):
    return build_varied_archive()


@pytest.fixture
def indexed(varied, search_index_dir):
    search_index.rebuild()
    return varied


def build_varied_archive(n: int = 90, seed: int = 13) -> SimpleNamespace:
    """``n`` articles over three sources, English and Arabic, dated and undated, some hidden,
    tagged with actors of several kinds (one a candidate, one rejected on some articles) and
    places in three provinces, with many ties in every count."""
    rng = random.Random(seed)
    syria = CountryFactory(name="Syria")
    hama = ProvinceFactory(name="Hama", parent=syria)
    idlib = ProvinceFactory(name="Idlib", parent=syria, name_ar="إدلب")
    aleppo = ProvinceFactory(name="Aleppo", parent=syria)
    district = PlaceFactory(
        name="Maarrat al-Nu'man District", kind=LocationKind.DISTRICT, parent=idlib
    )
    places = [
        PlaceFactory(name="Khirbat al-Naqous", parent=hama),
        PlaceFactory(name="Khan Shaykhun", kind=LocationKind.TOWN, parent=district),
        PlaceFactory(name="Kafr Nabl", kind=LocationKind.TOWN, parent=district),
        PlaceFactory(name="Manbij", kind=LocationKind.CITY, parent=aleppo),
        hama,
        idlib,
    ]
    actors = [
        ActorFactory(name="Jund al-Aqsa"),
        ActorFactory(name="Nusra Front"),
        ActorFactory(name="Hayat Tahrir al-Sham"),
        ActorFactory(name="Syrian Arab Army", kind=ActorKind.STATE_FORCE),
        ActorFactory(name="Russia", kind=ActorKind.STATE),
        ActorFactory(name="Turkey", kind=ActorKind.STATE),
        ActorFactory(name="White Helmets", kind=ActorKind.INTERNATIONAL_ORG),
        ActorFactory(name="Free Ghab Brigade", status=ActorStatus.CANDIDATE),
    ]
    ActorLinkFactory(from_actor=actors[2], to_actor=actors[1], relation="successor_of")
    sources = [
        SourceFactory(name="Levant Wire"),
        SourceFactory(name="Orient Monitor"),
        SourceFactory(name="Euphrates Post"),
    ]
    articles = []
    for i in range(n):
        arabic = i % 6 == 5
        place = rng.choice(places)
        actor = rng.choice(actors)
        pool = ARABIC if arabic else ENGLISH
        sentences = [s.format(place=place.name, actor=actor.name) for s in rng.sample(pool, k=3)]
        day = (
            None
            if i % 11 == 3
            else datetime.date(2013, 1, 1) + datetime.timedelta(rng.randrange(4000))
        )
        article = ArticleFactory(
            source=rng.choice(sources),
            title=f"{sentences[0]} ({i})",
            standfirst=sentences[1],
            body=" ".join(sentences[1:]) + f" Report {i}.",
            language="ar" if arabic else "en",
            published_on=day,
            is_hidden=i % 17 == 4,
            primary_province=rng.choice([hama, idlib, aleppo, None]),
        )
        for target in {actor, *rng.sample(actors, k=rng.randrange(3))}:
            status = "rejected" if target is actors[3] and i % 4 == 0 else "auto"
            mention_article(article, target, review_status=status)
        for target in {place, *rng.sample(places[:4], k=rng.randrange(2))}:
            mention_article(article, target, review_status="rejected" if i % 9 == 2 else "auto")
        articles.append(article)
    return SimpleNamespace(
        articles=articles,
        actors=actors,
        places=places,
        provinces=[hama, idlib, aleppo],
        district=district,
        syria=syria,
        sources=sources,
    )
