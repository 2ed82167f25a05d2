import datetime
from types import SimpleNamespace

import pytest

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


@pytest.fixture
def places():
    return build_places()


@pytest.fixture
def actors():
    return build_actors()


@pytest.fixture
def archive(places, actors):
    """Four public articles, one hidden one and one whose Jund al-Aqsa tag was rejected."""
    return build_archive(places, actors)


def build_places():
    syria = CountryFactory(name="Syria")
    hama = ProvinceFactory(name="Hama", parent=syria)
    idlib = ProvinceFactory(name="Idlib", parent=syria)
    latakia = ProvinceFactory(name="Latakia", parent=syria)
    return SimpleNamespace(
        syria=syria,
        hama=hama,
        idlib=idlib,
        latakia=latakia,
        khirbat=PlaceFactory(name="Khirbat al-Naqous", parent=hama),
        khan_shaykhun=PlaceFactory(
            name="Khan Shaykhun", kind=LocationKind.TOWN, parent=idlib, name_ar="خان شيخون"
        ),
        latakia_city=PlaceFactory(name="Latakia city", kind=LocationKind.CITY, parent=latakia),
    )


def build_actors():
    return SimpleNamespace(
        jund=ActorFactory(
            name="Jund al-Aqsa",
            aliases=["Jund al-Aqsa Organisation"],
            description="A jihadist group active in Hama and Idlib.",
        ),
        army=ActorFactory(name="Syrian Arab Army", kind=ActorKind.STATE_FORCE),
        russia=ActorFactory(name="Russia", kind=ActorKind.STATE),
        sohr=ActorFactory(
            name="Syrian Observatory for Human Rights", kind=ActorKind.MONITOR_OR_MEDIA
        ),
        candidate=ActorFactory(name="Free Ghab Brigade", status=ActorStatus.CANDIDATE),
    )


def build_archive(places, actors):
    wire = SourceFactory(name="Levant Wire")
    monitor = SourceFactory(name="Orient Monitor")
    naqous = ArticleFactory(
        source=wire,
        title="Jund al-Aqsa storms Khirbat al-Naqous",
        standfirst="Fighting spreads across the al-Ghab plain.",
        body="Jund al-Aqsa fighters entered Khirbat al-Naqous at dawn.\n\n"
        "The Syrian Arab Army shelled the village in the afternoon.",
        published_on=datetime.date(2016, 9, 1),
        url="https://levantwire.example/naqous",
        authors=["Rami Haddad"],
        primary_location=places.khirbat,
        primary_province=places.hama,
        mentions=[actors.jund, actors.army, places.khirbat, actors.candidate],
    )
    khan = ArticleFactory(
        source=monitor,
        title="Chlorine attack reported in Khan Shaykhun",
        standfirst="Doctors describe dozens of casualties.",
        body="Residents of Khan Shaykhun said the Syrian Arab Army and Russia denied any role. "
        "The Syrian Observatory for Human Rights counted the dead.",
        published_on=datetime.date(2017, 4, 4),
        primary_location=places.khan_shaykhun,
        primary_province=places.idlib,
        mentions=[actors.army, actors.russia, actors.sohr, places.khan_shaykhun],
    )
    latakia = ArticleFactory(
        source=wire,
        title="Russian jets strike the coast",
        standfirst="Warplanes took off from Hmeimim.",
        body="Russia said its aircraft hit targets north of Latakia city, far from the front.",
        published_on=datetime.date(2016, 9, 20),
        primary_location=places.latakia_city,
        primary_province=places.latakia,
        mentions=[actors.russia, places.latakia_city],
    )
    hidden = ArticleFactory(
        source=wire,
        title="Hidden draft about Jund al-Aqsa in Hama",
        body="Jund al-Aqsa draft text.",
        published_on=datetime.date(2016, 9, 2),
        is_hidden=True,
        mentions=[actors.jund, places.khirbat],
    )
    market = ArticleFactory(
        source=monitor,
        title="Market reopens in Hama",
        standfirst="",
        body="Traders in Khirbat al-Naqous said Jund al-Aqsa had left weeks ago.",
        published_on=datetime.date(2016, 10, 15),
        primary_province=places.hama,
    )
    mention_article(market, actors.jund, review_status="rejected")
    mention_article(market, places.khirbat)
    ActorLinkFactory(
        from_actor=ActorFactory(name="Jabhat Fateh al-Sham"),
        to_actor=actors.jund,
        relation="allied_with",
    )
    ActorLinkFactory(
        from_actor=actors.jund,
        to_actor=ActorFactory(name="Hayat Tahrir al-Sham"),
        relation="part_of",
    )
    return SimpleNamespace(
        naqous=naqous,
        khan=khan,
        latakia=latakia,
        hidden=hidden,
        market=market,
        wire=wire,
        monitor=monitor,
        places=places,
        actors=actors,
    )


# Every article as a query to count: the whole archive alone reads its maintained figures,
# exact at once; a date before every fixture article makes it a search like any other.
EVERY_ARTICLE_DATED = {"published_after": "2000-01-01"}


def titles(response) -> list[str]:
    """The titles of the listed articles, in order, as a reader sees them."""
    return [article.title for article in response.context["results"].page]
