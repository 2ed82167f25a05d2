"""The gazetteer the tagger reads: plain data, no Django.

The app builds one from the database (where editors change aliases, see
``articles.gazetteer_db``); tests and ``--dry-run`` build one from the data files
shipped in ``articles/data/gazetteer/``. The tagger only ever sees this object.

Data files
----------
``locations.csv`` columns::

    slug, name, kind, parent_slug, name_ar, aliases, latitude, longitude,
    pcode, geonames_id, source

``aliases`` is pipe-separated. ``kind`` is one of ``articles.vocabulary.LOCATION_KINDS``.
Every row's parent appears before it. Province and country are derived by walking parents.

``villages.csv`` (built from the shared village list, see SOURCES.md) columns::

    slug, name, parent_slug, name_ar, aliases, latitude, longitude, geonames_id

Every row is a village under a district of ``locations.csv``; its names are also common
words and people's names often enough that the tagger takes one only with support from
the article (``needs_context``, see ``articles.ingest.places``).

``actors.json`` is a list of objects::

    {"slug", "name", "kind", "aliases": [...], "description",
     "links": [{"relation", "target"}], "source"}

``source`` (where the entry comes from, e.g. "Wikipedia: Staffan de Mistura") is optional.

``kind`` is one of ``articles.vocabulary.ACTOR_KINDS``; ``relation`` one of
``ACTOR_RELATIONS``.

``lineage.csv`` dates links (kept apart from actors.json so that both can grow without
touching each other)::

    from_slug, relation, to_slug, valid_from, valid_until, source_url

Dates are YYYY-MM-DD or empty; the link is created when actors.json lacks it.

``actors_ar.csv`` columns::

    slug, names_ar

gives actors their Arabic names and spellings (pipe-separated), kept apart from
``actors.json`` so English and Arabic names can be edited independently. They become
aliases: the tagger folds Arabic names like any other (``articles.ingest.arabic``).
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

# Re-exported: code that validates gazetteer data imports the vocabularies from here.
from articles.vocabulary import (  # noqa: F401
    ACTOR_KINDS,
    ACTOR_RELATIONS,
    LOCATION_KINDS,
    LocationKind,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
ARABIC_NAMES_FILE = "actors_ar.csv"


@dataclass(frozen=True)
class GazetteerActor:
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (relation, target slug)
    source: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class GazetteerLocation:
    slug: str
    name: str
    kind: str
    parent_slug: str | None = None
    aliases: tuple[str, ...] = ()
    name_ar: str = ""
    latitude: float | None = None
    longitude: float | None = None
    pcode: str = ""
    geonames_id: int | None = None
    source: str = ""
    # Tagged only when the article supports it: a locative cue, its district or province,
    # or a neighbour named (articles.ingest.places).
    needs_context: bool = False
    # Filled in by Gazetteer from the parent chain.
    province_slug: str | None = None
    country_slug: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        names = (self.name, *self.aliases)
        return (*names, self.name_ar) if self.name_ar else names


@dataclass(frozen=True)
class DatedLink:
    """ "Jabhat Fateh al-Sham successor_of Nusra Front, from 2016-07-28", and where it says so."""

    from_slug: str
    relation: str
    to_slug: str
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    source_url: str = ""


@dataclass
class Gazetteer:
    """All actors and locations the tagger can recognise, keyed by slug."""

    actors: dict[str, GazetteerActor] = field(default_factory=dict)
    locations: dict[str, GazetteerLocation] = field(default_factory=dict)

    @classmethod
    def build(cls, actors: list[GazetteerActor], locations: list[GazetteerLocation]) -> Gazetteer:
        """Index by slug and fill each location's province and country."""
        by_slug = {location.slug: location for location in locations}
        resolved: dict[str, GazetteerLocation] = {}
        for location in locations:
            province, country = _province_and_country(location, by_slug)
            resolved[location.slug] = GazetteerLocation(
                **{
                    **location.__dict__,
                    "province_slug": province,
                    "country_slug": country,
                }
            )
        return cls(actors={actor.slug: actor for actor in actors}, locations=resolved)

    @classmethod
    def from_data_files(cls, data_dir: Path = DATA_DIR) -> Gazetteer:
        return cls.build(
            read_actor_data(data_dir),
            [
                *read_locations_file(data_dir / "locations.csv"),
                *read_villages_file(data_dir / "villages.csv"),
            ],
        )

    def lineage(self, location_slug: str) -> list[str]:
        """The place's slug and those of every place above it, nearest first."""
        location = self.locations.get(location_slug)
        return [place.slug for place in _chain(location, self.locations)] if location else []

    def province_of(self, location_slug: str) -> GazetteerLocation | None:
        slug = self.locations[location_slug].province_slug
        return self.locations[slug] if slug else None

    def country_of(self, location_slug: str) -> GazetteerLocation | None:
        slug = self.locations[location_slug].country_slug
        return self.locations[slug] if slug else None

    @cached_property
    def fingerprint(self) -> int:
        """Changes whenever a name or alias changes, so compiled matchers can be cached."""
        return hash(
            (
                tuple((a.slug, a.kind, a.names) for a in self.actors.values()),
                tuple(
                    (loc.slug, loc.kind, loc.names, loc.needs_context)
                    for loc in self.locations.values()
                ),
            )
        )


def _chain(
    location: GazetteerLocation, by_slug: dict[str, GazetteerLocation]
) -> Iterator[GazetteerLocation]:
    """The location and every location above it, nearest first (a loop in the data ends it)."""
    current: GazetteerLocation | None = location
    seen: set[str] = set()
    while current is not None and current.slug not in seen:
        seen.add(current.slug)
        yield current
        current = by_slug.get(current.parent_slug) if current.parent_slug else None


def _province_and_country(
    location: GazetteerLocation, by_slug: dict[str, GazetteerLocation]
) -> tuple[str | None, str | None]:
    province = country = None
    for current in _chain(location, by_slug):
        if current.kind == LocationKind.GOVERNORATE and province is None:
            province = current.slug
        if current.kind == LocationKind.COUNTRY:
            country = current.slug
    return province, country


def _split_aliases(value: str) -> tuple[str, ...]:
    return tuple(alias.strip() for alias in value.split("|") if alias.strip())


def _float_or_none(value: str) -> float | None:
    return float(value) if value.strip() else None


def read_locations_file(path: Path) -> list[GazetteerLocation]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            GazetteerLocation(
                slug=row["slug"],
                name=row["name"],
                kind=row["kind"],
                parent_slug=row["parent_slug"] or None,
                aliases=_split_aliases(row["aliases"]),
                name_ar=row["name_ar"],
                latitude=_float_or_none(row["latitude"]),
                longitude=_float_or_none(row["longitude"]),
                pcode=row["pcode"],
                geonames_id=int(row["geonames_id"]) if row["geonames_id"] else None,
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        ]


VILLAGES_SOURCE = (
    "Who's On First (whosonfirst.org, CC0) and GeoNames (geonames.org, CC BY 4.0), "
    "via the shared village list"
)


def read_villages_file(path: Path) -> list[GazetteerLocation]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            GazetteerLocation(
                slug=row["slug"],
                name=row["name"],
                kind="village",
                parent_slug=row["parent_slug"],
                aliases=_split_aliases(row["aliases"]),
                name_ar=row["name_ar"],
                latitude=_float_or_none(row["latitude"]),
                longitude=_float_or_none(row["longitude"]),
                geonames_id=int(row["geonames_id"]) if row["geonames_id"] else None,
                source=VILLAGES_SOURCE,
                needs_context=True,
            )
            for row in csv.DictReader(handle)
        ]


def read_actors_file(path: Path) -> list[GazetteerActor]:
    with path.open(encoding="utf-8") as handle:
        return [
            GazetteerActor(
                slug=item["slug"],
                name=item["name"],
                kind=item["kind"],
                aliases=tuple(item.get("aliases", ())),
                description=item.get("description", ""),
                links=tuple((link["relation"], link["target"]) for link in item.get("links", ())),
                source=item.get("source", ""),
            )
            for item in json.load(handle)
        ]


def read_lineage_file(path: Path) -> list[DatedLink]:
    """The dated links; a bad relation or date is an error naming the file and line."""
    links = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["relation"] not in ACTOR_RELATIONS:
                raise ValueError(f"{path.name} line {line}: unknown relation {row['relation']!r}")
            try:
                dates = [
                    datetime.date.fromisoformat(row[name]) if row[name] else None
                    for name in ("valid_from", "valid_until")
                ]
            except ValueError:
                raise ValueError(
                    f"{path.name} line {line}: dates are YYYY-MM-DD, "
                    f"not {row['valid_from']!r} / {row['valid_until']!r}"
                ) from None
            if dates[0] and dates[1] and dates[1] < dates[0]:
                raise ValueError(f"{path.name} line {line}: the link ends before it begins")
            links.append(
                DatedLink(
                    row["from_slug"], row["relation"], row["to_slug"], *dates, row["source_url"]
                )
            )
    return links


def read_arabic_names_file(path: Path) -> dict[str, tuple[str, ...]]:
    """Arabic names by actor slug; a missing file means no Arabic names."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["slug"]: _split_aliases(row["names_ar"]) for row in csv.DictReader(handle)}


def read_actor_data(data_dir: Path = DATA_DIR) -> list[GazetteerActor]:
    """``actors.json`` with each actor's Arabic names from ``actors_ar.csv`` as aliases."""
    actors = read_actors_file(data_dir / "actors.json")
    arabic = read_arabic_names_file(data_dir / ARABIC_NAMES_FILE)
    unknown = sorted(arabic.keys() - {actor.slug for actor in actors})
    if unknown:
        raise ValueError(
            f"{data_dir / ARABIC_NAMES_FILE}: no actor in actors.json has the slug(s) "
            + ", ".join(unknown)
        )
    return [
        replace(actor, aliases=tuple(dict.fromkeys((*actor.aliases, *arabic[actor.slug]))))
        if actor.slug in arabic
        else actor
        for actor in actors
    ]
