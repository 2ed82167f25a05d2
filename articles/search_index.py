"""A tantivy index beside PostgreSQL: the exact count, facets, timeline and newest ids of
any list in milliseconds, where PostgreSQL pays about 15 µs per matching article.

PostgreSQL stays the store of record and the judge of what matches. The index holds, per
public article, the lexemes of the vector PostgreSQL stored (``search_vector``, read as
text) at PostgreSQL's own positions, so stemming, stop words and Arabic folding are
PostgreSQL's; a reader's search is compiled by PostgreSQL into tsquery text and that tree
is rebuilt over those lexemes (``articles.tsearch``). Beside them: the ids of the actors,
places and provinces the article visibly mentions (the mention querysets' own rules), its
source, primary province and date.

Consistency: triggers (migration 0012) record every article whose indexed form may have
changed in ``SearchIndexChange``; ``sync()`` applies them under an advisory lock and bumps
``SearchIndexState.version``, which tells every process to reload its reader. A request
that finds changes pending applies them when they are few (``SYNC_ON_REQUEST``) and
otherwise, or when another process holds the lock, is answered by PostgreSQL: never a
stale figure. An index whose token is not the state's (another database, an old build) is
never read. ``rebuild()`` builds a new index from a snapshot and swaps it in atomically.
"""

from __future__ import annotations

import datetime
import os
import queue
import shutil
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query as SQLQuery
from django.utils import timezone

from articles import search, search_query, tsearch
from articles.models import (
    Actor,
    ActorMention,
    Article,
    Location,
    LocationKind,
    LocationMention,
    SearchIndexChange,
    SearchIndexState,
    Source,
)

# Gaps between PostgreSQL's positions (stop words) are written as this token, which the
# index's analyzer drops while keeping the position it took: phrases then see PostgreSQL's
# distances. Lexemes are split on ASCII whitespace, which PostgreSQL's parser never puts
# inside one; an article whose vector has such a lexeme, or positions clamped at
# PostgreSQL's last position, is given to tantivy as tokens instead (``_tokens``).
GAP = "\x1f"
ANALYZER = "pg_positions"
LAST_POSITION = 16383  # PostgreSQL's MAXENTRYPOS - 1: later words all sit here
# Changes a request applies itself before answering; past this it is answered by PostgreSQL
# until ``sync`` (after ingestion, or ``search_index sync --follow``) catches up.
SYNC_ON_REQUEST = 50
BATCH = 2000
# A terms aggregation returns at most this many buckets: every actor, place and month.
MAX_BUCKETS = 1_000_000
ADVISORY_LOCK = 0x5EA_2C4  # one writer at a time, across processes and machines
# The index follows the primary, where the changes are made and recorded: everything that
# writes it reads there, also in a reader's request routed to a replica.
PRIMARY = DEFAULT_DB_ALIAS
TOKEN_FILE = "token"  # noqa: S105 -- the file naming a build, not a secret


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("lexemes", tokenizer_name=ANALYZER, index_option="position")
    builder.add_unsigned_field("id", indexed=True, fast=True)
    # Reading order: published_on DESC NULLS LAST, id DESC as one number.
    builder.add_unsigned_field("newest", fast=True)
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("month", fast=True)
    for name in ("source", "primary_province", "actor", "location", "province"):
        builder.add_unsigned_field(name, indexed=True, fast=True)
    return builder.build()


SCHEMA = _schema()


def _analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.custom_stopword([GAP]))
        .build()
    )


def enabled() -> bool:
    return bool(getattr(settings, "SEARCH_INDEX_ENABLED", False))


def root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


# --- documents ------------------------------------------------------------------------------

# The vector as one text: lexemes in position order, GAP for each position PostgreSQL left
# empty; NULL when it cannot be written that way (see GAP).
_POSITIONED = f"""
    SELECT CASE WHEN coalesce(bool_or(p.pos >= {LAST_POSITION}
                                      OR p.lexeme ~ E'[ \\t\\n\\f\\r{GAP}]'), false)
                THEN NULL
                ELSE coalesce(string_agg(repeat(E'{GAP} ', p.pos - p.prev - 1) || p.lexeme,
                                         ' ' ORDER BY p.pos), '')
           END
      FROM (SELECT u.lexeme, x.pos, lag(x.pos, 1, 0::smallint) OVER (ORDER BY x.pos) AS prev
              FROM unnest("articles_article"."search_vector") u(lexeme, positions, weights),
                   unnest(u.positions) x(pos)) p
"""  # noqa: S608 -- constants only


def _batches(article_ids: list[int] | None = None) -> Iterator[list[tuple]]:
    """The rows of the index's documents, public articles only, ``BATCH`` at a time by id:
    every public article, or those of ``article_ids``."""
    rows = Article.objects.using(PRIMARY).public().order_by("pk")
    if article_ids is not None:
        rows = rows.filter(pk__in=article_ids)
    rows = rows.annotate(
        actor_ids=ArraySubquery(
            ActorMention.objects.visible()
            .filter(article=OuterRef("pk"))
            .order_by()
            .values("actor_id")
        ),
        location_ids=ArraySubquery(
            LocationMention.objects.visible()
            .filter(article=OuterRef("pk"))
            .order_by()
            .values("location_id")
        ),
        province_ids=ArraySubquery(
            LocationMention.objects.visible()
            .filter(article=OuterRef("pk"), province__isnull=False)
            .order_by()
            .values("province_id")
            .distinct()
        ),
        positioned=RawSQL(f"({_POSITIONED})", []),  # noqa: S611 -- constant SQL
    )
    fields = ("pk", "published_on", "source_id", "primary_province_id")
    fields += ("actor_ids", "location_ids", "province_ids", "positioned")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list(*fields)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _prefetched(batches: Iterator[list[tuple]], depth: int = 3) -> Iterator[list[tuple]]:
    """``batches`` read by a thread of their own, in one read-only snapshot on its own
    connection, while this thread turns the previous ones into documents: PostgreSQL
    writing the next batch's lexemes overlaps Python's and tantivy's work on this one."""
    found: queue.Queue = queue.Queue(maxsize=depth)
    done = object()

    def read() -> None:
        try:
            with transaction.atomic(using=PRIMARY):
                with connections[PRIMARY].cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                for batch in batches:
                    found.put(batch)
            found.put(done)
        except BaseException as error:  # handed to the consumer, raised there
            found.put(error)
        finally:
            connections[PRIMARY].close()

    reader = threading.Thread(target=read, name="search-index-reader", daemon=True)
    reader.start()
    while (batch := found.get()) is not done:
        if isinstance(batch, BaseException):
            raise batch
        yield batch
    reader.join()


def _document(pk, day, source, primary, actors, locations, provinces, positioned):
    doc = tantivy.Document()
    doc.add_unsigned("id", pk)
    doc.add_unsigned("newest", _newest_key(pk, day))
    if day is not None:
        doc.add_integer("day", day.toordinal())
        doc.add_unsigned("month", day.year * 12 + day.month - 1)
    doc.add_unsigned("source", source)
    if primary is not None:
        doc.add_unsigned("primary_province", primary)
    for name, values in (("actor", actors), ("location", locations), ("province", provinces)):
        for value in values:
            doc.add_unsigned(name, value)
    if positioned is None:
        doc.add_pre_tokenized_text("lexemes", _tokens(pk))
    else:
        doc.add_text("lexemes", positioned)
    return doc


def _newest_key(pk: int, day: datetime.date | None) -> int:
    return ((day.toordinal() if day else 0) << 32) | pk


def _tokens(pk: int) -> tantivy.PreTokenizedString:
    """The vector as tokens at PostgreSQL's positions, several at one position if need be."""
    vector = Article.objects.using(PRIMARY).filter(pk=pk)
    vector = vector.values_list(RawSQL("search_vector::text", []))
    parsed = tsearch.parse_vector(vector.get()[0])
    tokens = [
        tantivy.Token(lexeme, position, 0, 0)
        for lexeme, positions in parsed.items()
        for position in positions or [0]
    ]
    tokens.sort(key=lambda token: token.position)
    return tantivy.PreTokenizedString("", tokens)


# --- the open index, per process -------------------------------------------------------------


@dataclass
class _Open:
    path: Path
    token: str
    version: int
    index: tantivy.Index


_lock = threading.Lock()
_open: _Open | None = None


def _state_row(using: str = DEFAULT_DB_ALIAS) -> tuple[str, int, int] | None:
    """``(token, version, pending changes up to SYNC_ON_REQUEST + 1)`` in one statement, read
    on the primary where changes are made; None before the first build."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"""SELECT s.token, s.version,
                       (SELECT count(*) FROM (SELECT 1 FROM {SearchIndexChange._meta.db_table}
                                               LIMIT %s) c)
                  FROM {SearchIndexState._meta.db_table} s ORDER BY s.id LIMIT 1""",  # noqa: S608 -- table names
            [SYNC_ON_REQUEST + 1],
        )
        return cursor.fetchone()


def _open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(path))
    index.register_tokenizer(ANALYZER, _analyzer())
    index.config_reader(reload_policy="manual")
    return index


def current_path() -> Path:
    return root() / "current"


def _searcher(token: str, version: int) -> tantivy.Searcher | None:
    """A searcher over the build named ``token`` as of ``version``; None when the build on
    disk is another one."""
    global _open
    with _lock:
        if _open is None or _open.token != token:
            _open = None
            path = current_path().resolve()
            try:
                if (path / TOKEN_FILE).read_text().strip() != token:
                    return None
                _open = _Open(path, token, -1, _open_index(path))
            except (OSError, ValueError):
                return None
        if _open.version != version:
            _open.index.reload()
            _open.version = version
        return _open.index.searcher()


def searcher() -> tantivy.Searcher | None:
    """The index as fresh as PostgreSQL, or None (answer from PostgreSQL): disabled, not
    built, built for something else, or with more changes pending than a request applies."""
    if not enabled():
        return None
    try:
        row = _state_row()
        if row is None or not row[0]:
            return None
        token, version, pending = row
        if pending:
            if pending > SYNC_ON_REQUEST or sync(limit=SYNC_ON_REQUEST) is None:
                return None
            row = _state_row()
            if row is None or row[0] != token or row[2]:
                return None
            version = row[1]
        return _searcher(token, version)
    except (OSError, ValueError):  # an index file gone mid-reload: PostgreSQL answers
        return None


# --- writing ---------------------------------------------------------------------------------


class _AdvisoryLock:
    """The session-level writer lock; ``wait=False`` gives up at once if it is held."""

    def __init__(self, *, wait: bool) -> None:
        self.wait = wait
        self.held = False

    def __enter__(self) -> _AdvisoryLock:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            if self.wait:
                cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK])
                self.held = True
            else:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK])
                self.held = cursor.fetchone()[0]
        return self

    def __exit__(self, *exc) -> None:
        if self.held:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK])


def _writer(index: tantivy.Index, threads: int = 0) -> tantivy.IndexWriter:
    """A rebuild's writer (``threads`` indexing threads, 64 MB each), or with none a small
    one for a few changes, as a web process may open it (tantivy's least: 15 MB)."""
    if not threads:
        return index.writer(heap_size=16 * 2**20, num_threads=1)
    return index.writer(heap_size=threads * 64 * 2**20, num_threads=threads)


def sync(limit: int | None = None) -> int | None:
    """Apply pending changes (at most ``limit`` of them; all without): each article is
    deleted from the index and added again if it is public. Returns how many changes were
    applied, or None when the index is not built or another process holds the writer lock.
    """
    with _AdvisoryLock(wait=limit is None) as lock:
        if not lock.held:
            return None
        state = SearchIndexState.objects.using(PRIMARY).order_by("id").first()
        if state is None or not state.token:
            return None
        changes = SearchIndexChange.objects.using(PRIMARY).order_by("id")
        changes = changes.values_list("id", "article_id")
        if limit is not None:
            changes = changes[:limit]
        changes = list(changes)
        if not changes:
            return 0
        path = current_path().resolve()
        if (path / TOKEN_FILE).read_text().strip() != state.token:
            return None
        index = _open_index(path)
        article_ids = sorted({article_id for _, article_id in changes})
        writer = _writer(index)
        # By query: delete_documents_by_term takes a Python int as a signed term, which
        # never matches the unsigned id.
        writer.delete_documents_by_query(_any("id", article_ids))
        for batch in _batches(article_ids):
            for row in batch:
                writer.add_document(_document(*row))
        writer.commit()
        writer.wait_merging_threads()
        with transaction.atomic(using=PRIMARY):
            applied = [pk for pk, _ in changes]
            SearchIndexChange.objects.using(PRIMARY).filter(id__in=applied).delete()
            SearchIndexState.objects.using(PRIMARY).filter(pk=state.pk, token=state.token).update(
                version=state.version + 1
            )
        return len(changes)


def sync_if_built() -> int | None:
    """``sync()`` when the index is enabled and built (after an ingestion batch)."""
    if not enabled() or not SearchIndexState.objects.using(PRIMARY).exclude(token="").exists():
        return None
    return sync()


@dataclass
class Built:
    token: str
    articles: int
    seconds: float
    size_mb: float


def rebuild(*, progress: bool = False, threads: int = 2) -> Built:
    """Build a new index from a snapshot of PostgreSQL into ``builds/<token>``, then make it
    current: the ``current`` symlink is swapped atomically and the state names the token.

    The writer lock is held throughout, so no ``sync`` applies changes to the old index that
    the new one would then miss; the changes made meanwhile wait in the outbox and are
    applied to the new index afterwards (requests answer from PostgreSQL until then).
    """
    import time

    from tqdm import tqdm

    started = time.perf_counter()
    with _AdvisoryLock(wait=True):
        state = SearchIndexState.objects.using(PRIMARY).order_by("id").first()
        if state is None:  # the triggers record from now on, before the snapshot below
            state = SearchIndexState.objects.using(PRIMARY).create(token="")
        token = uuid.uuid4().hex
        path = root() / "builds" / token
        path.mkdir(parents=True)
        index = tantivy.Index(SCHEMA, path=str(path))
        index.register_tokenizer(ANALYZER, _analyzer())
        writer = _writer(index, threads)
        count = 0
        bar = tqdm(
            total=Article.objects.using(PRIMARY).public().count(),
            unit=" articles",
            disable=not progress,
            desc="search index",
        )
        # Inside a caller's transaction (a test's) the rows are read in it, by this thread.
        inside = connections[PRIMARY].in_atomic_block
        batches = _batches() if inside else _prefetched(_batches())
        for batch in batches:
            for row in batch:
                writer.add_document(_document(*row))
            count += len(batch)
            bar.update(len(batch))
        bar.close()
        writer.commit()
        writer.wait_merging_threads()
        (path / TOKEN_FILE).write_text(token)
        _point_current_at(path)
        SearchIndexState.objects.using(PRIMARY).filter(pk=state.pk).update(
            token=token, version=state.version + 1, built_at=timezone.now()
        )
        _remove_old_builds(keep={path.name, Path(state.token).name if state.token else ""})
    size = sum(f.stat().st_size for f in path.iterdir()) / 2**20
    return Built(token, count, round(time.perf_counter() - started, 1), round(size, 1))


def _point_current_at(path: Path) -> None:
    link = current_path()
    temporary = link.with_name(f".current-{uuid.uuid4().hex}")
    temporary.symlink_to(path.relative_to(link.parent))
    os.replace(temporary, link)


def _remove_old_builds(keep: set[str]) -> None:
    """Builds older than the current and the previous one (which a process may still read
    until it sees the new token)."""
    for build in (root() / "builds").iterdir():
        if build.name not in keep:
            shutil.rmtree(build, ignore_errors=True)


@dataclass
class Status:
    built: bool
    token: str
    version: int
    pending: int
    documents: int | None
    path: Path


def status() -> Status:
    state = SearchIndexState.objects.using(PRIMARY).order_by("id").first()
    pending = SearchIndexChange.objects.using(PRIMARY).count()
    documents = None
    if state and state.token:  # what is on disk, changes pending or not
        found = _searcher(state.token, state.version)
        documents = found.num_docs if found is not None else None
    return Status(
        built=bool(state and state.token),
        token=state.token if state else "",
        version=state.version if state else 0,
        pending=pending,
        documents=documents,
        path=current_path(),
    )


# --- questions -------------------------------------------------------------------------------


class Untranslatable(Exception):
    """A filter or a search the index cannot answer exactly: PostgreSQL answers instead."""


def _term(field: str, value: int) -> tantivy.Query:
    return tantivy.Query.term_query(SCHEMA, field, value)


def _any(field: str, values: Iterable[int]) -> tantivy.Query:
    values = sorted(set(values))
    if not values:
        return tantivy.Query.empty_query()
    if len(values) == 1:
        return _term(field, values[0])
    return tantivy.Query.term_set_query(SCHEMA, field, values)


def _all(queries: list[tantivy.Query]) -> tantivy.Query:
    if not queries:
        return tantivy.Query.all_query()
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _either(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _not(query: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, query)]
    )


def from_tsquery(node: tsearch.Node | None) -> tantivy.Query:
    """The tantivy query matching what PostgreSQL's ``vector @@ tsquery`` matches, over the
    lexemes field (raises Untranslatable for a prefix, a weight or a non-plain phrase)."""
    if node is None:  # the empty query: only stop words
        return tantivy.Query.empty_query()
    if isinstance(node, tsearch.Lexeme):
        if node.prefix or node.weights:
            raise Untranslatable(f"lexeme {node}")
        return tantivy.Query.term_query(SCHEMA, "lexemes", node.text)
    if isinstance(node, tsearch.Not):
        return _not(from_tsquery(node.operand))
    if isinstance(node, tsearch.And):
        return _all([from_tsquery(node.left), from_tsquery(node.right)])
    if isinstance(node, tsearch.Or):
        return _either([from_tsquery(node.left), from_tsquery(node.right)])
    terms = tsearch.phrase_terms(node)
    if terms is None:
        raise Untranslatable(f"phrase {node}")
    return tantivy.Query.phrase_query(SCHEMA, "lexemes", terms[0])


def tsquery_texts(queries: list, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """PostgreSQL's text of each SearchQuery expression, in one statement."""
    if not queries:
        return []
    query = SQLQuery(Article)
    compiler = query.get_compiler(using)
    parts, params = [], []
    for expression in queries:
        sql, expression_params = compiler.compile(expression.resolve_expression(query))
        parts.append(f"({sql})::text")
        params.extend(expression_params)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())


def _text_query(text: str) -> tantivy.Query:
    """A reader's search as ``ArticleQuerySet.search`` reads it: one tsquery, or clauses of
    terms each matching its words, its names' phrases and the articles tagged with them."""
    reading = search_query.read(text)
    if not reading.expanded:
        (compiled,) = tsquery_texts([reading.query])
        return from_tsquery(tsearch.parse_query(compiled))
    terms = [term for clause in reading.clauses for term in clause]
    alternatives = [term.alternatives for term in terms]
    compiled = iter(tsquery_texts([query for each in alternatives for query in each]))
    matched = {}
    for term, each in zip(terms, alternatives, strict=True):
        found = [from_tsquery(tsearch.parse_query(next(compiled))) for _ in each]
        actors = [e.slug for e in term.entities if e.kind == "actor"]
        places = [e.slug for e in term.entities if e.kind == "location"]
        if actors:
            found.append(
                _any("actor", Actor.objects.filter(slug__in=actors).values_list("pk", flat=True))
            )
        if places:
            found.append(
                _any(
                    "location",
                    Location.objects.filter(slug__in=places).values_list("pk", flat=True),
                )
            )
        matched[id(term)] = _either(found)
    clauses = []
    for clause in reading.clauses:
        either = [_not(matched[id(t)]) if t.negated else matched[id(t)] for t in clause]
        clauses.append(_either(either))
    return _all(clauses)


def _place_query(location: Location) -> tantivy.Query:
    """``ArticleQuerySet.mentioning_place``: a province by its denormalised id, any other
    place by itself and every place inside it."""
    if location.kind == LocationKind.GOVERNORATE:
        return _term("province", location.pk)
    return _any("location", Location.objects.inside(location).values_list("pk", flat=True))


def translate(filterset, scope) -> tantivy.Query:
    """The tantivy query for ``scope``'s articles (``results.Scope``) narrowed by a bound,
    valid ArticleFilter, filter by filter as ``ArticleFilter`` applies them. Raises
    Untranslatable for anything the index cannot answer exactly."""
    if filterset.is_bound and not filterset.is_valid():
        raise Untranslatable("invalid filters")
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    clauses = []
    if len(scope.actors) > 1:
        clauses.append(_any("actor", [actor.pk for actor in scope.actors]))
    elif scope.actors:
        clauses.append(_term("actor", scope.actors[0].pk))
    if scope.place is not None:
        clauses.append(_place_query(scope.place))
    if text := (data.get("q") or "").strip():
        clauses.append(_text_query(text))
    for actor in data.get("actor") or []:
        if data.get("lineage"):
            clauses.append(_any("actor", [other.pk for other in actor.lineage()]))
        else:
            clauses.append(_term("actor", actor.pk))
    if kind := data.get("actor_kind"):
        public = Actor.objects.public().filter(kind=kind)
        clauses.append(_any("actor", public.values_list("pk", flat=True)))
    for province in data.get("province") or []:
        clauses.append(_term("province", province.pk))
    if primary := data.get("primary_province"):
        clauses.append(_any("primary_province", [province.pk for province in primary]))
    if location := data.get("location"):
        clauses.append(_place_query(location))
    if sources := data.get("source"):
        clauses.append(_any("source", [source.pk for source in sources]))
    after, before = data.get("published_after"), data.get("published_before")
    if after or before:
        clauses.append(
            tantivy.Query.range_query(
                SCHEMA,
                "day",
                tantivy.FieldType.Integer,
                after.toordinal() if after else -(2**62),
                before.toordinal() if before else 2**62,
            )
        )
    return _all(clauses)


# --- answers ---------------------------------------------------------------------------------


def _buckets(aggregated: dict, name: str) -> list[tuple[int, int]]:
    found = aggregated[name]
    if found.get("sum_other_doc_count") or found.get("doc_count_error_upper_bound"):
        raise Untranslatable(f"{name}: more buckets than MAX_BUCKETS")
    return [(int(bucket["key"]), bucket["doc_count"]) for bucket in found["buckets"]]


def _terms(field: str) -> dict:
    return {"terms": {"field": field, "size": MAX_BUCKETS, "segment_size": MAX_BUCKETS}}


def tally(
    found: tantivy.Searcher,
    query: tantivy.Query,
    *,
    facets: bool = True,
    exclude_actor_pk: int | None = None,
) -> search.Summary:
    """The exact ``search.Summary`` of ``query``: the total, the newest ids (as many as
    ``search.summary`` reads), and with ``facets`` the actors, provinces, sources, years and
    months, in the shapes, order and tie-breaks of ``search._summarise``."""
    limit = settings.ARCHIVE_FACET_SAMPLE + 1
    hits = found.search(query, limit, count=True, order_by_field="newest")
    newest_ids = found.fast_field_values("id", [address for _, address in hits.hits])
    result = search.Summary(total=hits.count, newest_ids=[int(pk) for pk in newest_ids])
    if not facets:
        return result
    aggregated = found.aggregate(
        query,
        {
            "actors": _terms("actor"),
            "provinces": _terms("province"),
            "sources": _terms("source"),
            "months": _terms("month"),
        },
    )
    actors = _top_actors(_buckets(aggregated, "actors"), exclude_actor_pk)
    provinces = _labelled(Location, _buckets(aggregated, "provinces"))
    sources = _labelled(Source, _buckets(aggregated, "sources"))
    rows = [("total", None, None, None, result.total, result.newest_ids)]
    rows += [("actor", *actor, None) for actor in actors]
    rows += [("province", *province, None) for province in provinces]
    rows += [("source", *source, None) for source in sources]
    rows += [
        ("month", f"{key // 12:04d}-{key % 12 + 1:02d}", None, None, n, None)
        for key, n in _buckets(aggregated, "months")
    ]
    return search.summary_from_rows(rows)


def _labelled(model, buckets: list[tuple[int, int]]) -> list[tuple[str, str, None, int]]:
    counts = dict(buckets)
    rows = model.objects.filter(pk__in=counts).values_list("pk", "slug", "name")
    return [(slug, name, None, counts[pk]) for pk, slug, name in rows]


def _top_actors(buckets: list[tuple[int, int]], exclude_pk) -> list[tuple[str, str, str, int]]:
    """The TOP_ACTORS public actors named in the most matches, ties by name: public status
    and names are read from PostgreSQL for the most counted buckets only, widening until the
    top is settled (every bucket counted as often as the last one kept is looked at)."""
    ordered = sorted(
        ((pk, n) for pk, n in buckets if pk != exclude_pk), key=lambda bucket: -bucket[1]
    )
    want = search.TOP_ACTORS
    looked = 0
    public: list[tuple[str, str, str, int]] = []
    step = want * 3
    while looked < len(ordered):
        end = min(len(ordered), looked + step)
        while end < len(ordered) and ordered[end][1] == ordered[end - 1][1]:
            end += 1  # a tie at the edge: take all of it
        counts = dict(ordered[looked:end])
        rows = (
            Actor.objects.public().filter(pk__in=counts).values_list("pk", "slug", "name", "kind")
        )
        public += [(slug, name, kind, counts[pk]) for pk, slug, name, kind in rows]
        looked = end
        step *= 4
        if len(public) >= want:
            break
    public.sort(key=lambda row: (-row[3], row[1]))
    return public[:want]
