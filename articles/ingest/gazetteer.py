"""The gazetteer the tagger reads: plain data, no Django.

The app builds one from the database (where editors change aliases, see
``articles.gazetteer_db``); tests and ``--dry-run`` build one from the data files
shipped in ``articles/data/gazetteer/``. The tagger only ever sees this object.

Data files
----------
``locations.csv`` columns::

    slug, name, kind, parent_slug, name_ar, aliases, latitude, longitude,
    pcode, geonames_id, source

``aliases`` is pipe-separated. ``kind`` is one of ``LOCATION_KINDS``. Every row's
parent appears before it. Province and country are derived by walking parents.

``actors.json`` is a list of objects::

    {"slug", "name", "kind", "aliases": [...], "description",
     "links": [{"relation", "target"}]}

``kind`` is one of ``ACTOR_KINDS``; ``relation`` one of ``ACTOR_RELATIONS``.

``actors_ar.csv`` columns::

    slug, names_ar

gives actors their Arabic names and spellings (pipe-separated), kept apart from
``actors.json`` so English and Arabic names can be edited independently. They become
aliases: the tagger folds Arabic names like any other (``articles.ingest.arabic``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
ARABIC_NAMES_FILE = "actors_ar.csv"

ACTOR_KINDS = {
    "armed_group": "Armed group",
    "state_force": "State force",
    "state": "State",
    "political_body": "Political body",
    "international_org": "International organisation",
    "monitor_or_media": "Monitor or media",
    "person": "Person",
    "other": "Other",
}

ACTOR_RELATIONS = {
    "affiliated_with": "affiliated with",
    "part_of": "part of",
    "successor_of": "successor of",
    "allied_with": "allied with",
    "leader_of": "leader of",
    "member_of": "member of",
}

LOCATION_KINDS = {
    "country": "Country",
    "governorate": "Governorate",
    "district": "District",
    "subdistrict": "Sub-district",
    "city": "City",
    "town": "Town",
    "village": "Village",
    "region": "Region",
    "landform": "Landform",
}


@dataclass(frozen=True)
class GazetteerActor:
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (relation, target slug)

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
    # Filled in by Gazetteer from the parent chain.
    province_slug: str | None = None
    country_slug: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        names = (self.name, *self.aliases)
        return (*names, self.name_ar) if self.name_ar else names


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
            read_locations_file(data_dir / "locations.csv"),
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
                tuple((loc.slug, loc.kind, loc.names) for loc in self.locations.values()),
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
        if current.kind == "governorate" and province is None:
            province = current.slug
        if current.kind == "country":
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
            )
            for item in json.load(handle)
        ]


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
