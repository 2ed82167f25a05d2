import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from articles.models import ActorKind, LocationKind
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    CountryFactory,
    PlaceFactory,
    ProvinceFactory,
    SourceFactory,
)

PAIRS = Path(__file__).resolve().parents[2] / "articles" / "data" / "stories" / "pairs.json"


def pair(pair_id: str) -> dict:
    """One labelled pair of fictional reports from articles/data/stories/pairs.json."""
    return next(p for p in json.loads(PAIRS.read_text(encoding="utf-8")) if p["id"] == pair_id)


@pytest.fixture
def named(db):
    """The groups and places the Maarat al-Numan and Khan Shaykhun reports name."""
    syria = CountryFactory(name="Syria")
    idlib = ProvinceFactory(name="Idlib", parent=syria)
    return SimpleNamespace(
        syria=syria,
        idlib=idlib,
        maarat=PlaceFactory(name="Maarat al-Numan", kind=LocationKind.CITY, parent=idlib),
        khan_shaykhun=PlaceFactory(name="Khan Shaykhun", kind=LocationKind.TOWN, parent=idlib),
        sohr=ActorFactory(
            name="Syrian Observatory for Human Rights", kind=ActorKind.MONITOR_OR_MEDIA
        ),
        russia=ActorFactory(name="Russia", kind=ActorKind.STATE),
        white_helmets=ActorFactory(name="Syria Civil Defence", kind=ActorKind.OTHER),
        hts=ActorFactory(name="Hayat Tahrir al-Sham"),
        army=ActorFactory(name="Syrian Arab Army", kind=ActorKind.STATE_FORCE),
    )


def report(side: dict, mentions) -> object:
    """A stored article for one side of a pair, naming ``mentions`` (as the tagger would)."""
    return ArticleFactory(
        source=SourceFactory(name=side["source"]),
        title=side["title"],
        standfirst="",
        body=side["body"],
        language=side["language"],
        published_on=datetime.date.fromisoformat(side["published"]),
        mentions=mentions,
    )
