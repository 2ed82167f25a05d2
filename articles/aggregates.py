"""Maintained entity figures: what an actor's, a place's and a source's pages and the home
page show, kept by PostgreSQL itself instead of counted per request.

``articles_entityfigure`` holds, per entity (actor, place, source), how many public
articles visibly name it in all, per month, and alongside each co-named actor, province
and source; ``articles_countedarticle`` holds what each article adds to them as they stand.
Statement-level triggers on articles and mentions (migration 0013) apply every change as a
delta in the writer's own transaction, so an article saved, hidden or re-tagged, an actor
merged or a tag rejected shows in the figures on the next request, whichever process wrote
it. ``rebuild()`` (``manage.py rebuild_aggregates``) recounts them from scratch.

A page's figures are then one indexed read of a few hundred small rows
(``summary_for``), shaped into a ``search.Summary`` by ``search.summary_from_rows`` like
every other answer.
"""

from __future__ import annotations

import dataclasses
import sys
import time

from django.db import connection, connections, router, transaction

from articles import search
from articles.models import (
    Actor,
    AggregateState,
    Article,
    EntityFacet,
    EntityFigure,
    EntityKind,
    Location,
    LocationKind,
    Source,
)

FACETS = [facet.value for facet in EntityFacet]


@dataclasses.dataclass(frozen=True)
class Entity:
    """What a page is about: an actor, a place (with everything inside it) or a source."""

    kind: str
    id: int

    @classmethod
    def of(cls, thing: Actor | Location | Source) -> Entity:
        kinds = {Actor: EntityKind.ACTOR, Location: EntityKind.PLACE, Source: EntityKind.SOURCE}
        return cls(kinds[type(thing)].value, thing.pk)


# The whole archive: no entity of its own. Every article has exactly one source, so its
# figures are sums of the sources' (the total, the months) and the entities' totals (each
# actor, province and source facet value is that entity's own total): no figure is kept
# twice, and no trigger more runs.
EVERY_ARTICLE = Entity("archive", 0)


def built() -> bool:
    """The figures are complete (else pages count as before)."""
    return AggregateState.objects.exists()


# A month key (YYYYMM) as the 'YYYY-MM' label ``search.summary_from_rows`` reads.
_MONTH_LABEL = "lpad((f.key / 100)::text, 4, '0') || '-' || lpad((f.key %% 100)::text, 2, '0')"
# Ends each summary: the row that says the figures are built (none: count as before).
_BUILT_ROW = f"SELECT 'built', NULL, NULL, NULL, 0, NULL FROM {AggregateState._meta.db_table}"  # noqa: S608

# Every figure of one entity off the unique index, each key with what the page shows of it,
# in the rows ``search.summary_from_rows`` takes.
SUMMARY_SQL = f"""
    SELECT CASE WHEN f.facet <> 'actor' THEN f.facet
                WHEN a.status = 'confirmed' THEN 'actor' ELSE 'unlisted' END,
           CASE f.facet
                WHEN 'month' THEN {_MONTH_LABEL}
                WHEN 'actor' THEN a.slug WHEN 'province' THEN p.slug WHEN 'source' THEN s.slug
           END,
           coalesce(a.name, p.name, s.name), a.kind, f.n, NULL::bigint[]
      FROM {EntityFigure._meta.db_table} f
      LEFT JOIN {Actor._meta.db_table} a ON f.facet = 'actor' AND a.id = f.key
      LEFT JOIN {Location._meta.db_table} p ON f.facet = 'province' AND p.id = f.key
      LEFT JOIN {Source._meta.db_table} s ON f.facet = 'source' AND s.id = f.key
     WHERE f.kind = %s AND f.facet = ANY (%s) AND f.entity_id = %s AND f.n > 0
       AND NOT (f.facet = 'actor' AND f.key IS NOT DISTINCT FROM %s)
    UNION ALL {_BUILT_ROW}
"""  # noqa: S608 -- table names only; values are parameters


# The whole archive's figures in the same rows, each facet one range of the unique index.
ARCHIVE_SUMMARY_SQL = f"""
    SELECT 'total', NULL, NULL, NULL, coalesce(sum(f.n), 0)::bigint, NULL::bigint[]
      FROM {EntityFigure._meta.db_table} f
     WHERE f.kind = 'source' AND f.facet = 'total'
    UNION ALL
    SELECT 'month', {_MONTH_LABEL}, NULL, NULL, sum(f.n)::bigint, NULL
      FROM {EntityFigure._meta.db_table} f
     WHERE f.kind = 'source' AND f.facet = 'month' AND f.n > 0
     GROUP BY f.key
    UNION ALL
    SELECT CASE WHEN a.status = 'confirmed' THEN 'actor' ELSE 'unlisted' END,
           a.slug, a.name, a.kind, f.n, NULL
      FROM {EntityFigure._meta.db_table} f
      JOIN {Actor._meta.db_table} a ON a.id = f.entity_id
     WHERE f.kind = 'actor' AND f.facet = 'total' AND f.n > 0
    UNION ALL
    SELECT 'province', p.slug, p.name, NULL, f.n, NULL
      FROM {EntityFigure._meta.db_table} f
      JOIN {Location._meta.db_table} p ON p.id = f.entity_id AND p.kind = %s
     WHERE f.kind = 'place' AND f.facet = 'total' AND f.n > 0
    UNION ALL
    SELECT 'source', s.slug, s.name, NULL, f.n, NULL
      FROM {EntityFigure._meta.db_table} f
      JOIN {Source._meta.db_table} s ON s.id = f.entity_id
     WHERE f.kind = 'source' AND f.facet = 'total' AND f.n > 0
    UNION ALL {_BUILT_ROW}
"""  # noqa: S608 -- table names only; values are parameters


def summary_for(entity: Entity, exclude_actor_pk=None) -> search.Summary | None:
    """The entity page's exact figures (count, timeline, top actors, provinces, sources)
    over every public article visibly naming it (``EVERY_ARTICLE``: every public article),
    as ``search.exact_summary`` counts them for the same scope; ``exclude_actor_pk`` leaves
    that actor out of the actor facet. None until the figures are built. No newest ids:
    the page reads its rows itself."""
    # From the database the page reads its rows from (a replica for readers): one snapshot.
    with connections[router.db_for_read(EntityFigure)].cursor() as cursor:
        if entity == EVERY_ARTICLE:
            cursor.execute(ARCHIVE_SUMMARY_SQL, [LocationKind.GOVERNORATE.value])
        else:
            cursor.execute(SUMMARY_SQL, [entity.kind, FACETS, entity.id, exclude_actor_pk])
        rows = cursor.fetchall()
    if not any(row[0] == "built" for row in rows):
        return None
    return search.summary_from_rows([row for row in rows if row[0] != "built"])


def totals(kind: str) -> dict[int, int] | None:
    """``{entity id: public articles visibly naming it}`` for every entity of ``kind``
    (None until built): the index pages' counts, one indexed read."""
    if not built():
        return None
    rows = EntityFigure.objects.filter(kind=kind, facet=EntityFacet.TOTAL, n__gt=0)
    return dict(rows.values_list("entity_id", "n"))


def public_actor_totals() -> dict[int, int] | None:
    counted = totals(EntityKind.ACTOR)
    if counted is None:
        return None
    public = set(Actor.objects.public().values_list("pk", flat=True))
    return {pk: n for pk, n in counted.items() if pk in public}


def province_totals() -> dict[int, int] | None:
    counted = totals(EntityKind.PLACE)
    if counted is None:
        return None
    provinces = Location.objects.filter(kind=LocationKind.GOVERNORATE, pk__in=list(counted))
    return {pk: counted[pk] for pk in provinces.values_list("pk", flat=True)}


def recount(article_ids) -> None:
    """Recount these articles' figures when the transaction commits, as the triggers do for
    a change they see: for changes outside articles and mentions, such as a place moved in
    the tree (``Location.move_to``). ``article_ids``: a queryset of ``article_id`` values."""
    sql, params = article_ids.query.sql_with_params()
    queue = f"""
        INSERT INTO articles_aggregatepending (xid, article_id)
        SELECT DISTINCT txid_current(), ids.article_id FROM ({sql}) AS ids (article_id)
         WHERE EXISTS (SELECT 1 FROM articles_aggregatestate)
        ON CONFLICT DO NOTHING
    """  # noqa: S608 -- the queryset's own SQL; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(queue, params)


@dataclasses.dataclass
class Rebuilt:
    articles: int
    figures: int
    seconds: float
    size_mb: float


REBUILD_BATCH = 20_000


def rebuild(*, progress: bool = False, batch: int = REBUILD_BATCH) -> Rebuilt:
    """Recount every figure from the articles and their tags, in one transaction: readers
    see the old figures until it commits, and writers' triggers wait for it (the tables
    are truncated first), then apply their changes on top of the new figures.

    Each article's row is written batch by batch (the progress bar), then every figure is
    one GROUP BY over those rows, inserted once (no upserts of the same rows batch after
    batch)."""
    from tqdm import tqdm

    started = time.perf_counter()
    tables = [EntityFigure._meta.db_table, "articles_countedarticle"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM articles_article")
        low, high = cursor.fetchone()
        starts = range(low, high + 1, batch)
        for start in tqdm(starts, desc="entity figures", unit="batch", disable=not progress):
            _count_batch(cursor, start, start + batch)
        if progress:
            print("entity figures: summing", file=sys.stderr)
        cursor.execute(
            """
            INSERT INTO articles_entityfigure (kind, entity_id, facet, key, n)
            SELECT c.kind, c.entity_id, c.facet, c.key, count(*)
              FROM articles_countedarticle f
             CROSS JOIN LATERAL aggregates_contribution(
                   f.month, f.source_id, f.actors, f.places, f.provinces) c
             WHERE f.counted
             GROUP BY 1, 2, 3, 4
             ORDER BY 1, 3, 2, 4
            """
        )
        AggregateState.objects.all().delete()
        AggregateState.objects.create()
        cursor.execute(f"SELECT count(*) FROM {tables[0]}")  # noqa: S608 -- a table name
        figures = cursor.fetchone()[0]
        cursor.execute(
            "SELECT (pg_total_relation_size(%s) + pg_total_relation_size(%s)) / 1048576.0",
            tables,
        )
        size_mb = float(cursor.fetchone()[0])
    for table in tables:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return Rebuilt(
        articles=Article.objects.count(),
        figures=figures,
        seconds=round(time.perf_counter() - started, 1),
        size_mb=round(size_mb, 1),
    )


def _count_batch(cursor, start: int, stop: int) -> None:
    """The rows of the articles with ids in [start, stop): what each adds (hidden ones too,
    adding nothing, as the triggers leave them)."""
    cursor.execute(
        """
        INSERT INTO articles_countedarticle
               (article_id, counted, month, source_id, actors, places, provinces)
        SELECT a.id, f.article_id IS NOT NULL, coalesce(f.month, 0), f.source_id,
               coalesce(f.actors, '{}'), coalesce(f.places, '{}'), coalesce(f.provinces, '{}')
          FROM articles_article a
          LEFT JOIN aggregates_state_of(
               ARRAY(SELECT id FROM articles_article WHERE id >= %s AND id < %s)) f
               ON f.article_id = a.id
         WHERE a.id >= %s AND a.id < %s
        """,
        [start, stop, start, stop],
    )
