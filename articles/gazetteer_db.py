"""The gazetteer between the database and the tagger.

``load_data_files()`` puts the shipped data files into the database (aliases editors
added are kept); ``gazetteer_from_database()`` builds the plain ``Gazetteer`` the tagger
reads from what is in the database now, so editors' alias changes take effect.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from articles.ingest.gazetteer import (
    DATA_DIR,
    Gazetteer,
    GazetteerActor,
    GazetteerLocation,
    read_actor_data,
    read_locations_file,
)
from articles.models import Actor, ActorLink, ActorStatus, Location


@dataclass(frozen=True)
class LoadReport:
    locations_created: int
    locations_updated: int
    actors_created: int
    actors_updated: int
    links: int


def _merged_aliases(from_file: tuple[str, ...], in_database: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in [*from_file, *in_database]:
        seen.setdefault(alias.casefold(), alias)
    return list(seen.values())


@transaction.atomic
def load_data_files(data_dir=DATA_DIR) -> LoadReport:
    """Create or update every location and actor of the data files, by slug."""
    existing_locations = {loc.slug: loc for loc in Location.objects.all()}
    loc_created = loc_updated = 0
    for row in read_locations_file(data_dir / "locations.csv"):
        location = existing_locations.get(row.slug) or Location(slug=row.slug)
        is_new = location.pk is None
        parent = existing_locations.get(row.parent_slug) if row.parent_slug else None
        values = {
            "name": row.name,
            "kind": row.kind,
            "parent": parent,
            "name_ar": row.name_ar,
            "aliases": _merged_aliases(row.aliases, location.aliases or []),
            "latitude": row.latitude,
            "longitude": row.longitude,
            "pcode": row.pcode,
            "geonames_id": row.geonames_id,
            "source": row.source,
        }
        if is_new or any(getattr(location, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(location, key, value)
            location.save()
            loc_created += is_new
            loc_updated += not is_new
        existing_locations[row.slug] = location

    existing_actors = {actor.slug: actor for actor in Actor.objects.all()}
    act_created = act_updated = 0
    rows = read_actor_data(data_dir)
    for row in rows:
        actor = existing_actors.get(row.slug) or Actor(slug=row.slug)
        is_new = actor.pk is None
        values = {
            "name": row.name,
            "kind": row.kind,
            "aliases": _merged_aliases(row.aliases, actor.aliases or []),
            "description": actor.description or row.description,
            # A gazetteer entry is confirmed even if it was first seen as a candidate.
            "status": ActorStatus.CONFIRMED,
        }
        if is_new or any(getattr(actor, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(actor, key, value)
            actor.save()
            act_created += is_new
            act_updated += not is_new
        existing_actors[row.slug] = actor

    links = [
        ActorLink(
            from_actor=existing_actors[row.slug],
            to_actor=existing_actors[target],
            relation=relation,
        )
        for row in rows
        for relation, target in row.links
        if target in existing_actors and target != row.slug
    ]
    ActorLink.objects.bulk_create(links, ignore_conflicts=True)
    return LoadReport(loc_created, loc_updated, act_created, act_updated, len(links))


def gazetteer_from_database() -> Gazetteer:
    """Every confirmed actor and every location, as the tagger's plain data."""
    actors = [
        GazetteerActor(
            slug=slug, name=name, kind=kind, aliases=tuple(aliases), description=description
        )
        for slug, name, kind, aliases, description in Actor.objects.public().values_list(
            "slug", "name", "kind", "aliases", "description"
        )
    ]
    rows = Location.objects.values_list(
        "id", "slug", "name", "kind", "parent_id", "aliases", "name_ar", "latitude", "longitude"
    )
    slug_by_id = {row[0]: row[1] for row in rows}
    locations = [
        GazetteerLocation(
            slug=slug,
            name=name,
            kind=kind,
            parent_slug=slug_by_id.get(parent_id),
            aliases=tuple(aliases),
            name_ar=name_ar,
            latitude=latitude,
            longitude=longitude,
        )
        for _, slug, name, kind, parent_id, aliases, name_ar, latitude, longitude in rows
    ]
    # Gazetteer.build needs parents before children only to be found, not in order.
    return Gazetteer.build(actors, locations)


def gazetteer_for_ingestion() -> Gazetteer:
    """The database's gazetteer, or the shipped files when the database has none yet."""
    if Location.objects.exists():
        return gazetteer_from_database()
    return Gazetteer.from_data_files()
