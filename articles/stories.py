"""Stories across outlets, in the database: grouping at save time, editors' splits and merges,
and the reports shown beside an article or a result.

The decision itself is plain Python (``articles.ingest.story_match``). Here an article's
fingerprint and its LSH band keys are stored (``StoryFingerprint``, ``StoryBucket``), and
its candidates are found through the (band, bucket, day) index: for each of its keys the
newest ``PER_KEY`` articles within ``WINDOW_DAYS``, at most ``MAX_CANDIDATES`` in all. So
grouping costs the same at a million articles as at a thousand: about 50 index probes and
one comparison per candidate.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from articles.ingest import story_match
from articles.models import (
    NEWEST_FIRST,
    ActorMention,
    ActorStatus,
    Article,
    EditorialAction,
    LocationKind,
    LocationMention,
    Story,
    StoryBucket,
    StoryFingerprint,
)

PER_KEY = 50
MAX_CANDIDATES = 100
# Reports listed under one result or beside an article; the count says how many there are.
REPORTS_SHOWN = 20


def story_entities(
    actors: Iterable[tuple[str, str]], places: Iterable[tuple[str, str]]
) -> frozenset[str]:
    """What grouping compares of a report's visible tags, given each actor's (slug, status)
    and each place's (slug, kind): the confirmed actors and the places that are not countries."""
    return story_match.entity_keys(
        [slug for slug, status in actors if status == ActorStatus.CONFIRMED],
        [slug for slug, kind in places if kind != LocationKind.COUNTRY],
    )


def fingerprint_of(
    article: Article, entities: frozenset[str] | None = None
) -> story_match.Fingerprint:
    """The article's text, date and the actors (confirmed) and places (not countries) it
    visibly names, as tagged and reviewed; ``entities``: those, when the caller has them."""
    if entities is None:
        entities = story_entities(
            ActorMention.objects.visible()
            .filter(article=article)
            .values_list("actor__slug", "actor__status"),
            LocationMention.objects.visible()
            .filter(article=article)
            .values_list("location__slug", "location__kind"),
        )
    return story_match.fingerprint(
        article.title,
        f"{article.standfirst}\n{article.body}",
        entities=entities,
        day=article.published_on,
        language=article.language,
    )


def _bucket_day(article: Article, fp: story_match.Fingerprint) -> datetime.date:
    # Undated reports are filed under the day they came in; they match only copies.
    if fp.day:
        return fp.day
    return timezone.localdate(article.ingested_at) if article.ingested_at else timezone.localdate()


_FINGERPRINT_COLUMNS = ("day", "language", "minhash", "entities", "figures")

# An article's candidates: for each of its band keys the newest PER_KEY articles in the
# window sharing it, most shared keys first; over the keys given as two arrays.
_CANDIDATES_SQL = f"""
    SELECT c.article_id
      FROM unnest(%(bands)s::smallint[], %(buckets)s::bigint[]) AS k (band, bucket)
     CROSS JOIN LATERAL (
        SELECT b.article_id FROM {StoryBucket._meta.db_table} AS b
         WHERE b.band = k.band AND b.bucket = k.bucket
           AND b.day BETWEEN %(first_day)s AND %(last_day)s AND b.article_id <> %(article)s
         ORDER BY b.day DESC LIMIT %(per_key)s
    ) AS c
    GROUP BY c.article_id ORDER BY count(*) DESC, c.article_id DESC LIMIT %(limit)s
"""  # noqa: S608 -- only the table name is interpolated

_STORED_FINGERPRINT = StoryFingerprint._meta.db_table
_STORY_COLUMNS = ("id", "title", "first_published", "last_published", "created_at")

# Grouping a new article in one round trip (it runs for every article ingested): its
# fingerprint and band keys are written, and its candidates are read back with their
# fingerprints and stories. The candidates cannot see the rows written beside them (one
# snapshot), nor need to: the article is never its own candidate.
_GROUP_SQL = f"""
    WITH fingerprint AS (
        INSERT INTO {_STORED_FINGERPRINT} (article_id, {", ".join(_FINGERPRINT_COLUMNS)})
        SELECT %(article)s, %(day)s, %(language)s, %(minhash)s::bigint[],
               %(entities)s::varchar[], %(figures)s::varchar[]
         WHERE %(new)s
    ), buckets AS (
        -- One statement over two arrays: ~45 keys an article, where building a model
        -- instance per key cost more CPU than the rest of grouping.
        INSERT INTO {StoryBucket._meta.db_table} (article_id, band, bucket, day)
        SELECT %(article)s, k.band, k.bucket, %(bucket_day)s
          FROM unnest(%(bands)s::smallint[], %(buckets)s::bigint[]) AS k (band, bucket)
    ), candidates AS ({_CANDIDATES_SQL})
    SELECT f.article_id, {", ".join(f"f.{column}" for column in _FINGERPRINT_COLUMNS)},
           {", ".join(f"s.{column}" for column in _STORY_COLUMNS)}
      FROM candidates AS c
      JOIN {_STORED_FINGERPRINT} AS f ON f.article_id = c.article_id
      JOIN {Article._meta.db_table} AS a ON a.id = c.article_id
      LEFT JOIN {Story._meta.db_table} AS s ON s.id = a.story_id
     ORDER BY f.article_id
"""  # noqa: S608 -- only table and column names are interpolated


def _params(article: Article, keys: list[tuple[int, int]], day: datetime.date) -> dict:
    window = datetime.timedelta(days=story_match.WINDOW_DAYS)
    return {
        "article": article.pk,
        "bands": [band for band, _ in keys],
        "buckets": [bucket for _, bucket in keys],
        "first_day": day - window,
        "last_day": day + window,
        "per_key": PER_KEY,
        "limit": MAX_CANDIDATES,
    }


def _candidate_ids(article: Article, keys: list[tuple[int, int]], day: datetime.date) -> list[int]:
    """Articles sharing band keys with ``article`` in the window, most shared keys first."""
    if not keys:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_CANDIDATES_SQL, _params(article, keys, day))
        return [row[0] for row in cursor.fetchall()]


def _store_and_find(
    article: Article,
    fp: story_match.Fingerprint,
    keys: list[tuple[int, int]],
    *,
    new: bool,
    find: bool = True,
) -> list[tuple[int, tuple, story_match.Fingerprint]]:
    """Store the article's fingerprint and band keys; its candidates (none unless ``find``),
    oldest first, each with the columns of the story it is filed under (``_story_from``) and
    its fingerprint.
    ``new``: the article was inserted in this transaction and has no fingerprint yet."""
    fields = {
        "day": fp.day,
        "language": fp.language,
        "minhash": list(fp.minhash),
        "entities": sorted(fp.entities),
        "figures": sorted(fp.figures),
    }
    if not new:
        StoryFingerprint.objects.update_or_create(article=article, defaults=fields)
        StoryBucket.objects.filter(article=article).delete()
    day = _bucket_day(article, fp)
    params = _params(article, keys, day)
    params.update(fields, new=new, bucket_day=day, limit=MAX_CANDIDATES if find else 0)
    with connection.cursor() as cursor:
        cursor.execute(_GROUP_SQL, params)
        rows = cursor.fetchall()
    found = []
    width = len(_FINGERPRINT_COLUMNS)
    for article_id, *values in rows:
        other_day, language, minhash, entities, figures = values[:width]
        other = story_match.Fingerprint(
            minhash=tuple(minhash),
            entities=frozenset(entities),
            figures=frozenset(figures),
            day=other_day,
            language=language,
        )
        found.append((article_id, values[width:], other))
    return found


def _story_from(columns: tuple) -> Story | None:
    """The story a candidate row names (None: in none), built only for the best candidate:
    a model instance for each of up to a hundred candidates cost more than the query."""
    if columns[0] is None:
        return None
    return Story.from_db(connection.alias, _STORY_COLUMNS, columns)


# No savepoint of its own: called inside save.py's transaction, an error there ends it.
@transaction.atomic(savepoint=False)
def group_article(
    article: Article, *, new: bool = False, entities: frozenset[str] | None = None
) -> Story:
    """File ``article`` under its story: the story of the best-matching candidate, or a
    story of its own. Called by save.py after the tags are saved, in the same transaction;
    ``new``: the article was inserted in it, so it has no fingerprint or story yet;
    ``entities``: its ``story_entities()``, when the caller has just written its tags.

    An article an editor placed (``story_pinned``) stays where it is; its fingerprint is
    still refreshed, so later reports can join it.
    """
    fp = fingerprint_of(article, entities)
    keys = story_match.band_keys(fp)
    previous = article.story
    pinned = article.story_pinned and previous is not None
    candidates = _store_and_find(article, fp, keys, new=new, find=not pinned)
    if pinned:
        refresh(previous)
        return previous
    best = None
    for other_id, story_columns, other in candidates:
        decision = story_match.decide(fp, other)
        # Candidates come oldest first: of equal scores, the oldest article's story wins.
        if decision.same and (best is None or decision.score > best[0]):
            best = (decision.score, other_id, story_columns)
    if best is not None:
        _, other_id, story_columns = best
        story = _story_from(story_columns)
        if story is None:
            other_article = Article.objects.only("title", "published_on").get(pk=other_id)
            story = _new_story(other_article)
            Article.objects.filter(pk=other_id).update(story=story)
    elif previous is not None and not previous.articles.exclude(pk=article.pk).exists():
        story = previous  # alone in its story already: keep the id readers may have linked
    else:
        story = _new_story(article)
    if story != previous:
        article.story = story
        article.save(update_fields=["story"])
    if best is not None or story == previous:
        refresh(story)  # a story of its own just made from the article is up to date
    if previous is not None and previous != story:
        refresh(previous)
    return story


def _new_story(article: Article) -> Story:
    return Story.objects.create(
        title=article.title[:500],
        first_published=article.published_on,
        last_published=article.published_on,
    )


def refresh(story: Story) -> None:
    """Title from the first report, dates from all of them; a story left empty goes."""
    # One statement (it runs for every article that joins a story): the first report's
    # title, oldest date first and undated last, and the span of the reports' dates.
    sql = f"""
        UPDATE {Story._meta.db_table} AS s
           SET title = left(first.title, 500), first_published = dates.first,
               last_published = dates.last
          FROM (SELECT title FROM {Article._meta.db_table} WHERE story_id = %s
                 ORDER BY published_on ASC NULLS LAST, id LIMIT 1) AS first,
               (SELECT min(published_on) AS first, max(published_on) AS last
                  FROM {Article._meta.db_table} WHERE story_id = %s) AS dates
         WHERE s.id = %s
        RETURNING s.title, s.first_published, s.last_published
    """  # noqa: S608 -- only the table names are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, [story.pk] * 3)
        row = cursor.fetchone()
    if row is None:  # no report left in it
        story.delete()
        return
    story.title, story.first_published, story.last_published = row


def split(articles: Iterable[Article], *, user, reason: str) -> Story:
    """Move ``articles`` out of their stories into one new story of their own, pinned: one
    entry on the editorial record, which undoes it."""
    from articles.services import on_record  # services files articles under stories too

    articles = list(articles)
    if not articles:
        raise ValueError("Choose at least one article to split off.")
    reason = _required(reason)
    old_stories = {article.story for article in articles if article.story_id}
    with on_record(
        EditorialAction.STORY_SPLIT,
        user=user,
        reason=reason,
        summary=f"{len(articles)} report(s) split off their story",
        before=[*old_stories, *articles],
    ) as entry:
        first = min(articles, key=lambda a: (a.published_on or datetime.date.max, a.pk))
        story = _new_story(first)
        entry.created.append(story)
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(
            story=story, story_pinned=True
        )
        for old in old_stories:
            refresh(old)
        refresh(story)
    return story


def merge(stories: Iterable[Story], *, user, reason: str) -> Story:
    """Fold ``stories`` into the oldest of them; every report is pinned there. One entry on
    the editorial record, which undoes it (the folded stories come back)."""
    from articles.services import on_record

    stories = sorted(stories, key=lambda s: (s.first_published or datetime.date.max, s.pk))
    if len(stories) < 2:
        raise ValueError("Choose at least two stories to merge.")
    reason = _required(reason)
    keep, others = stories[0], stories[1:]
    moved = list(Article.objects.filter(story__in=stories))
    with on_record(
        EditorialAction.STORIES_MERGED,
        user=user,
        reason=reason,
        summary=f"{len(stories)} stories merged into one: {keep.title}"[:500],
        before=[*stories, *moved],
    ):
        Article.objects.filter(pk__in=[a.pk for a in moved]).update(story=keep, story_pinned=True)
        Story.objects.filter(pk__in=[other.pk for other in others]).delete()
        refresh(keep)
    return keep


def _required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Give a reason: it goes on the record with the change.")
    return reason


def reports_by_story(story_ids: Iterable[int]) -> dict[int, tuple[int, list[Article]]]:
    """``{story id: (number of public reports, the newest REPORTS_SHOWN of them)}`` in one
    query, for a page of results."""
    story_ids = [pk for pk in set(story_ids) if pk]
    if not story_ids:
        return {}
    rows = (
        Article.objects.public()
        .filter(story_id__in=story_ids)
        .select_related("source")
        .only("id", "slug", "title", "published_on", "story_id", "source__name", "source__slug")
        .annotate(
            position=Window(RowNumber(), partition_by=F("story_id"), order_by=NEWEST_FIRST),
            n_reports=Window(Count("id"), partition_by=F("story_id")),
        )
        .filter(position__lte=REPORTS_SHOWN + 1)
        .order_by("story_id", "position")
    )
    found: dict[int, tuple[int, list[Article]]] = {}
    for article in rows:
        found.setdefault(article.story_id, (article.n_reports, []))[1].append(article)
    return found


def collapse(articles: Iterable[Article]) -> list[Article]:
    """One row per story on a page of results: the first of its reports on the page, with
    ``story_size`` (its public reports) and ``story_reports`` (the others) set."""
    articles = list(articles)
    reports = reports_by_story(article.story_id for article in articles)
    rows, seen = [], set()
    for article in articles:
        if article.story_id in seen:
            continue
        if article.story_id:
            seen.add(article.story_id)
        n, others = reports.get(article.story_id, (1, []))
        article.story_size = n
        article.story_reports = [other for other in others if other.pk != article.pk][
            :REPORTS_SHOWN
        ]
        rows.append(article)
    return rows


def other_reports(article: Article) -> list[Article]:
    """The story's other public reports, oldest first (how the story unfolded)."""
    if not article.story_id:
        return []
    return list(
        Article.objects.public()
        .filter(story_id=article.story_id)
        .exclude(pk=article.pk)
        .select_related("source")
        .only("id", "slug", "title", "published_on", "source__name", "source__slug")
        .order_by(F("published_on").asc(nulls_last=True), "id")[:REPORTS_SHOWN]
    )
