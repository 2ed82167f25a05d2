"""The save stage: the only part of ingestion that knows Django.

One transaction per article. Saving is idempotent: the same URL or the same text again
is "unchanged" (or "updated" when the page changed) and never a second row; a race
with another process ingesting the same article ends in the unique constraints, and the
loser reports "unchanged".

Nothing stored is silently replaced. Only a page whose URL is trusted (fetched from
there, or given by an editor: ``articles/ingest/identity.py``) may update the article
stored under that URL, and every update goes through ``_update`` which first keeps the
previous text as a revision. Any other page claiming a stored URL is a "conflict": the
stored article is left as it was and the input is reported with the reason.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils.text import slugify

from articles.ingest.errors import IngestError
from articles.ingest.tag import Mention, TaggedArticle
from articles.models import (
    Actor,
    ActorMention,
    ActorStatus,
    Article,
    Location,
    LocationMention,
    ReviewStatus,
    Source,
    latin_slug,
)
from articles.stories import group_article, story_entities

CREATED, UPDATED, UNCHANGED, CONFLICT = "created", "updated", "unchanged", "conflict"


class SourceMismatch(IngestError):
    """``--source`` names another outlet than the one already filed for the URL's domain."""


@dataclass(frozen=True)
class SaveResult:
    status: str  # CREATED, UPDATED, UNCHANGED or CONFLICT
    article: Article  # for CONFLICT: the stored article, untouched
    reason: str = ""  # for CONFLICT: why, in one line


def content_hash(title: str, body: str) -> str:
    """The same text, whatever its whitespace or case, hashes the same."""
    normalised = re.sub(r"\s+", " ", f"{title}\n{body}").strip().casefold()
    return hashlib.sha256(normalised.encode()).hexdigest()


def save_article(tagged: TaggedArticle, *, source_name: str | None = None) -> SaveResult:
    """Store ``tagged``; ``source_name`` is the outlet an editor named (``--source``)."""
    parsed = tagged.article
    digest = content_hash(parsed.title, parsed.body)
    existing = _find_existing(parsed.url, digest)
    if existing is not None and existing.content_hash == digest:
        return SaveResult(UNCHANGED, existing)
    if existing is not None and not parsed.url_trusted:
        return SaveResult(CONFLICT, existing, _conflict_reason(existing))
    try:
        with transaction.atomic():
            source = _source_for(source_name, parsed.source_name, parsed.url)
            if existing is None:
                # A new article: its primary place goes into the INSERT, and it has no
                # mentions, fingerprint or story yet to look up and replace.
                tags = resolve_tags(tagged)
                article = _fill(Article(), tagged, source, digest)
                tags.set_primary(article)
                article.save()
                tags.write(article, new=True)
                group_article(article, new=True, entities=tags.story_entities())
            else:
                article = _update(existing, tagged, source, digest)
                apply_tags(article, tagged)
                # Reports of the same events from other outlets, from the tags just saved.
                group_article(article)
    except IntegrityError:
        # Another process stored this URL or text between our lookup and our insert.
        winner = _find_existing(parsed.url, digest)
        if winner is None:
            raise
        return SaveResult(UNCHANGED, winner)
    return SaveResult(UPDATED if existing else CREATED, article)


def _conflict_reason(existing: Article) -> str:
    return (
        f"conflict: the page claims to be {existing.url}, archived as "
        f"“{existing.title}” ({existing.source.name}), but it was not fetched from "
        "there; the archived article is kept. Ingest the URL itself, or give --url if this "
        "page is its new version."
    )


def _fill(article: Article, tagged: TaggedArticle, source: Source, digest: str) -> Article:
    parsed = tagged.article
    article.source = source
    article.url = parsed.url or None
    article.title = parsed.title[:500]
    article.slug = latin_slug(parsed.title, "article")
    article.standfirst = parsed.standfirst
    article.caption = parsed.caption
    article.body = parsed.body
    article.authors = [author[:200] for author in parsed.authors]
    article.published_on = parsed.published
    article.language = (parsed.language or "en")[:8]
    article.content_hash = digest
    return article


def _update(existing: Article, tagged: TaggedArticle, source: Source, digest: str) -> Article:
    """The one way ingestion changes a stored article: the old version is kept first."""
    # Imported on use: services imports the ingest stages, not the other way round.
    from articles.services import record_revision

    record_revision(existing, f"updated from {tagged.article.url or 'a new version'}")
    article = _fill(existing, tagged, source, digest)
    article.save()
    return article


def _find_existing(url: str | None, digest: str) -> Article | None:
    """The article stored under ``url``, else the one with the same text (one query)."""
    # Raw SQL, as for the other look-ups every save makes (``_by_unique``): building the
    # ORM's query cost more CPU than PostgreSQL took to answer it. Both are unique: 2 rows.
    where = "content_hash = %s OR url = %s" if url else "content_hash = %s"
    sql = f"SELECT * FROM {Article._meta.db_table} WHERE {where} LIMIT 2"  # noqa: S608 -- constants
    found = list(Article.objects.raw(sql, [digest, url] if url else [digest]))
    return next((a for a in found if url and a.url == url), found[0] if found else None)


def _by_unique(model: type[Model], column: str, values: Iterable[str]) -> dict[str, Model]:
    """``model.objects.in_bulk(values, field_name=column)`` for a unique ``column``: the same
    instances, without building the ORM's query each time (every save looks up its source,
    actors and places: ~0.3 ms of CPU each by the ORM, a third of that raw)."""
    values = list(values)
    if not values:
        return {}
    sql = f"SELECT * FROM {model._meta.db_table} WHERE {column} = ANY (%s)"  # noqa: S608 -- names
    return {getattr(row, column): row for row in model.objects.raw(sql, [values])}


def source_domain(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _source_for(explicit_name: str | None, page_name: str | None, url: str | None) -> Source:
    """Articles from one domain share a Source; text without a URL is filed by name.

    ``explicit_name`` (``--source``, the import form's outlet) must agree with the source
    already filed for the domain, or the article is refused (``SourceMismatch``): renaming
    an outlet is an editor's change in the admin, not a side effect of one import. A
    source filed by name alone (plain text, no URL) takes the domain of the first article
    that brings one, so one outlet is one source however its articles arrived.

    Two processes may create the same source at once: the loser's insert fails on the
    unique domain or slug inside its own savepoint (the article's transaction goes on),
    and it looks again.
    """
    domain = source_domain(url)
    name = (explicit_name or page_name or domain or "Unknown source").strip()[:200]
    # Nearly every article comes from a source already filed: find it without a savepoint
    # (and without building the ORM's query: the domain is unique).
    if domain and (source := _by_unique(Source, "domain", [domain]).get(domain)):
        return _checked(source, domain, name, explicit=bool(explicit_name))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                if domain:
                    return _source_for_domain(domain, name, explicit=bool(explicit_name))
                if source := Source.objects.filter(name__iexact=name).first():
                    return source
                # The slug follows from the name alone, so two processes filing the same
                # name collide on it instead of creating "x" and "x-2".
                source, _ = Source.objects.get_or_create(
                    slug=latin_slug(name, "source"), defaults={"name": name}
                )
                return source
        except IntegrityError:
            continue
    raise IntegrityError(f"could not store the source {name!r}: it kept changing under us")


def _checked(source: Source, domain: str, name: str, *, explicit: bool) -> Source:
    if explicit and source.name.casefold() != name.casefold():
        raise SourceMismatch(
            f"--source {name!r} does not match {domain}'s source {source.name!r}; "
            "leave --source out, or rename the source in the admin first"
        )
    return source


def _source_for_domain(domain: str, name: str, *, explicit: bool) -> Source:
    if source := Source.objects.filter(domain=domain).first():
        return _checked(source, domain, name, explicit=explicit)
    named = Source.objects.filter(name__iexact=name).order_by("domain", "id")
    if (by_name := named.filter(domain__isnull=True).first()) is not None:
        by_name.domain = domain
        by_name.homepage = by_name.homepage or f"https://{domain}/"
        by_name.save(update_fields=["domain", "homepage"])
        return by_name
    if named.exists() and not explicit:
        # A page on another domain calling itself an archived outlet is filed under its
        # own domain's name, not shown as that outlet.
        name = domain
    return Source.objects.create(
        domain=domain, name=name, slug=_free_source_slug(name), homepage=f"https://{domain}/"
    )


def _free_source_slug(name: str) -> str:
    base = latin_slug(name, "source")[:190]
    slug, n = base, 1
    while Source.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def apply_tags(article: Article, tagged: TaggedArticle) -> None:
    """Replace the tagger's mentions of ``article``, keeping every editor decision.

    Mentions an editor confirmed or rejected keep their status (their counts and spans
    follow the new text); confirmed ones survive even when the tagger no longer finds
    them. Candidate actors are created unreviewed for editors to confirm or reject.
    """
    tags = resolve_tags(tagged)
    tags.write(article)
    tags.set_primary(article)
    article.save(update_fields=["primary_location", "primary_province"])


@dataclass(frozen=True)
class ResolvedTags:
    """The tagger's mentions with the actors and places they tag, ready to write."""

    actors: list[tuple[Actor, Mention, dict]]  # (actor, mention, ActorMention fields)
    locations: list[tuple[Location, Mention, dict]]  # (place, mention, LocationMention ...)
    primary: Location | None
    extractor: str

    def story_entities(self) -> frozenset[str]:
        """What story grouping compares, read from these tags as a new article has them
        (none rejected yet) instead of from the database."""
        return story_entities(
            [(actor.slug, actor.status) for actor, _, _ in self.actors],
            [(place.slug, place.kind) for place, _, _ in self.locations],
        )

    def set_primary(self, article: Article) -> None:
        article.primary_location = self.primary
        article.primary_province_id = self.primary.province_id if self.primary else None

    def write(self, article: Article, *, new: bool = False) -> None:
        """``new``: the article was inserted in this transaction and has no mentions yet."""
        provenance = {"extractor": self.extractor}
        actor_rows = _replace_mentions(
            ActorMention.objects.filter(article=article),
            "actor_id",
            [(actor.id, mention, extra) for actor, mention, extra in self.actors],
            article,
            provenance,
            new=new,
        )
        location_rows = _replace_mentions(
            LocationMention.objects.filter(article=article),
            "location_id",
            [(place.id, mention, extra) for place, mention, extra in self.locations],
            article,
            provenance,
            new=new,
        )
        _insert_rows({ActorMention: actor_rows, LocationMention: location_rows})


def resolve_tags(tagged: TaggedArticle) -> ResolvedTags:
    """Look up what ``tagged`` names, creating the candidate actors it found."""
    candidate_slugs = [latin_slug(c.name, "candidate") for c in tagged.candidates]
    # One query for the known actors and the candidates already filed.
    actors = _by_unique(Actor, "slug", {m.slug for m in tagged.actors} | set(candidate_slugs))
    # The actor each mention's slug tags (a candidate tags the actor it was merged into).
    tagged_actors = {m.slug: actors[m.slug] for m in tagged.actors if m.slug in actors}
    for candidate in tagged.candidates:
        actor = _candidate_actor(candidate.name, candidate.kind, actors)
        _note_probable_actor(actor, candidate.probable, candidate.probable_score)
        if actor.status != ActorStatus.REJECTED:
            tagged_actors[actor.slug] = actor
    actor_mentions = list(tagged.actors) + [
        Mention(
            slug=slugify(c.name)[:200],
            count=c.count,
            first_field=c.first_field,
            first_offset=c.first_offset,
            sentence=c.sentence,
            spans=[],
            written=[c.name],
            role=c.role,
        )
        for c in tagged.candidates
    ]
    locations = _by_unique(Location, "slug", {m.slug for m in tagged.locations})
    primary = locations.get(tagged.primary_location) if tagged.primary_location else None
    if primary is None and tagged.primary_location:
        primary = Location.objects.filter(slug=tagged.primary_location).first()
    return ResolvedTags(
        actors=[
            (tagged_actors[m.slug], m, {"role": m.role, "confidence": m.confidence})
            for m in actor_mentions
            if m.slug in tagged_actors
        ],
        locations=[
            (locations[m.slug], m, {"province_id": locations[m.slug].province_id})
            for m in tagged.locations
            if m.slug in locations
        ],
        primary=primary,
        extractor=tagged.extractor,
    )


def _replace_mentions(existing_qs, target_field, found, article, provenance, *, new) -> list[dict]:
    """Update the mentions an editor reviewed in place; the rows to insert for the rest."""
    reviewed = (
        {}
        if new
        else {
            getattr(m, target_field): m
            for m in existing_qs.exclude(review_status=ReviewStatus.AUTO)
        }
    )
    if not new:
        existing_qs.filter(review_status=ReviewStatus.AUTO).delete()
    new_rows = []
    for target_id, mention, extra in found:
        fields = {
            "count": mention.count,
            "first_field": mention.first_field,
            "first_offset": mention.first_offset,
            "sentence": mention.sentence[:2000],
            "spans": [[span.field, span.start, span.end] for span in mention.spans],
            "written": [form[:200] for form in mention.written],
            **provenance,
            **extra,
        }
        if target_id in reviewed:
            kept = reviewed[target_id]
            for name, value in fields.items():
                setattr(kept, name, value)
            kept.save(update_fields=list(fields))
        else:
            new_rows.append({"article_id": article.pk, target_field: target_id, **fields})
    return new_rows


def _insert_rows(rows_by_model: dict[type[Model], list[dict]]) -> None:
    """``bulk_create`` of plain rows (column name: value; left out: the field's default),
    one INSERT a model, all sent at once.

    A new article has ~25 mentions; building a model instance per row and preparing every
    value through its field cost ~2 ms of the ~22 ms of CPU an HTML article takes to
    ingest. Here the rows go as one JSON document a table, which PostgreSQL reads into the
    table's row type (``json_populate_recordset``): one ``json.dumps`` instead of a
    parameter per value, and the actors' and the places' in one round trip (each
    statement still fires its own triggers).
    """
    statements, params = [], []
    for model, rows in rows_by_model.items():
        if rows:
            plan = _insert_plan(model)
            defaults = {field.column: field.get_default() for field in plan.fields}
            statements.append(plan.sql)
            params.append(json.dumps([defaults | row for row in rows]))
    if statements:
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(statements), params)


@dataclass(frozen=True)
class _InsertPlan:
    fields: list
    sql: str  # one INSERT of the rows in its parameter, a JSON array of objects


@functools.cache
def _insert_plan(model: type[Model]) -> _InsertPlan:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    return _InsertPlan(
        fields=fields,
        sql=f"INSERT INTO {table} ({columns}) "  # noqa: S608 -- names from the model
        f"SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s)",
    )


def _note_probable_actor(candidate: Actor, slug: str | None, score: float | None) -> None:
    """Keep the candidate's best guess: the known actor its name is closest to."""
    if slug is None or score is None or candidate.status != ActorStatus.CANDIDATE:
        return
    if candidate.probable_score is not None and candidate.probable_score >= score:
        return
    probable = Actor.objects.filter(slug=slug).exclude(pk=candidate.pk).first()
    if probable is not None:
        candidate.probable_actor, candidate.probable_score = probable, score
        candidate.save(update_fields=["probable_actor", "probable_score"])


def _candidate_actor(name: str, kind: str, known: dict[str, Actor] | None = None) -> Actor:
    """The actor filed under the name's slug, created as a candidate if there is none.

    ``known`` holds the actors this article's save has read, by slug; the actor returned
    is put there too, so a later candidate of the same article sees its changes.
    """
    slug = latin_slug(name, "candidate")
    known = {} if known is None else known
    actor = known.get(slug)
    if actor is None:
        try:
            with transaction.atomic():
                actor, _ = Actor.objects.get_or_create(
                    slug=slug,
                    defaults={"name": name[:200], "kind": kind, "status": ActorStatus.CANDIDATE},
                )
        except IntegrityError:  # created by a concurrent ingest
            actor = Actor.objects.get(slug=slug)
        known[slug] = actor
    kept = actor.kept()  # a name an editor merged away tags the actor it was merged into
    known[kept.slug] = kept
    return kept
