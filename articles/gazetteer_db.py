"""The gazetteer between the database and the tagger.

``load_data_files()`` puts the shipped data files into the database (aliases editors
added are kept); ``gazetteer_from_database()`` builds the plain ``Gazetteer`` the tagger
reads from what is in the database now, so editors' alias changes take effect.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from articles import generation
from articles.ingest.gazetteer import (
    DATA_DIR,
    Gazetteer,
    GazetteerActor,
    GazetteerLocation,
    read_actor_data,
    read_lineage_file,
    read_locations_file,
    read_villages_file,
)
from articles.models import Actor, ActorLink, ActorStatus, Location


@dataclass(frozen=True)
class LoadReport:
    locations_created: int
    locations_updated: int
    actors_created: int
    actors_updated: int
    links: int
    villages_created: int = 0
    villages_updated: int = 0
    dated_links: int = 0


def _merged_aliases(from_file: tuple[str, ...], in_database: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in [*from_file, *in_database]:
        seen.setdefault(alias.casefold(), alias)
    return list(seen.values())


@transaction.atomic
def load_data_files(data_dir=DATA_DIR) -> LoadReport:
    """Create or update every location and actor of the data files, by slug."""
    # Names, places and provinces change in bulk, which no signal sees.
    generation.bump_on_commit()
    # The parent comes along so that comparing it costs no query per row.
    existing_locations = {loc.slug: loc for loc in Location.objects.select_related("parent")}
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
    villages_created, villages_updated = _load_villages(data_dir, existing_locations)

    existing_actors = {actor.slug: actor for actor in Actor.objects.all()}
    act_created = act_updated = 0
    rows = read_actor_data(data_dir)
    for row in rows:
        actor = existing_actors.get(row.slug) or Actor(slug=row.slug)
        if actor.status == ActorStatus.MERGED:
            continue  # an editor merged it into another actor; reloading must not undo that
        is_new = actor.pk is None
        values = {
            "name": row.name,
            "kind": row.kind,
            "aliases": _merged_aliases(row.aliases, actor.aliases or []),
            "description": actor.description or row.description,
            "source": actor.source or row.source,
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
    dated = _load_lineage(data_dir / "lineage.csv", existing_actors)
    return LoadReport(
        loc_created,
        loc_updated,
        act_created,
        act_updated,
        len(links),
        villages_created,
        villages_updated,
        dated,
    )


_VILLAGE_FIELDS = (
    "name",
    "kind",
    "parent_id",
    "province_id",
    "country_id",
    "path",
    "name_ar",
    "aliases",
    "latitude",
    "longitude",
    "geonames_id",
    "source",
    "needs_context",
)


def _load_villages(data_dir, existing: dict[str, Location]) -> tuple[int, int]:
    """The ten thousand villages in a few bulk statements: per-row saves took minutes.

    Their parents (districts, governorates) are loaded already, so the tree columns
    ``Location.place_in_tree`` would derive are copied from the parent here.
    """
    path = data_dir / "villages.csv"
    if not path.is_file():
        return 0, 0
    to_create: list[Location] = []
    to_update: list[Location] = []
    for row in read_villages_file(path):
        parent = existing.get(row.parent_slug)
        if parent is None:
            raise ValueError(f"{path}: village {row.slug} names unknown parent {row.parent_slug}")
        location = existing.get(row.slug)
        values = {
            "name": row.name,
            "kind": row.kind,
            "parent_id": parent.pk,
            "province_id": parent.province_id,
            "country_id": parent.country_id,
            "path": f"{parent.path}/{row.slug}",
            "name_ar": row.name_ar,
            "aliases": _merged_aliases(row.aliases, location.aliases if location else []),
            "latitude": row.latitude,
            "longitude": row.longitude,
            "geonames_id": row.geonames_id,
            "source": row.source,
            "needs_context": row.needs_context,
        }
        if location is None:
            location = Location(slug=row.slug, **values)
            to_create.append(location)
            existing[row.slug] = location
        elif any(getattr(location, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(location, key, value)
            to_update.append(location)
    Location.objects.bulk_create(to_create, batch_size=2000)
    Location.objects.bulk_update(to_update, _VILLAGE_FIELDS, batch_size=2000)
    return len(to_create), len(to_update)


def _load_lineage(path, actors: dict[str, Actor]) -> int:
    """Date the links of lineage.csv (creating those actors.json lacks). Dates and sources
    an editor set are kept: the file fills only what is empty."""
    if not path.exists():
        return 0
    dated = 0
    for row in read_lineage_file(path):
        if row.from_slug not in actors or row.to_slug not in actors:
            continue
        link, _ = ActorLink.objects.get_or_create(
            from_actor=actors[row.from_slug], to_actor=actors[row.to_slug], relation=row.relation
        )
        changed = []
        for name in ("valid_from", "valid_until", "source_url"):
            if not getattr(link, name) and getattr(row, name):
                setattr(link, name, getattr(row, name))
                changed.append(name)
        if changed:
            link.save(update_fields=changed)
        dated += 1
    return dated


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
        "id",
        "slug",
        "name",
        "kind",
        "parent_id",
        "aliases",
        "name_ar",
        "latitude",
        "longitude",
        "needs_context",
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
            needs_context=needs_context,
        )
        for (
            _,
            slug,
            name,
            kind,
            parent_id,
            aliases,
            name_ar,
            latitude,
            longitude,
            needs_context,
        ) in rows
    ]
    # Gazetteer.build needs parents before children only to be found, not in order.
    return Gazetteer.build(actors, locations)


def gazetteer_for_ingestion() -> Gazetteer:
    """The database's gazetteer, or the shipped files when the database has none yet."""
    if Location.objects.exists():
        return gazetteer_from_database()
    return Gazetteer.from_data_files()
