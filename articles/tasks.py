"""Ingestion as background tasks, and the one-input step they share with ``manage.py ingest``.

``ingest_input.enqueue("https://…")`` (or ``manage.py ingest --enqueue``) queues a URL or a
path; ``ingest_text.enqueue(text)`` queues pasted text. ``manage.py db_worker`` runs them,
and as many workers as the machines allow may run at once: saving is idempotent and races
end in the unique constraints (``articles.ingest.save``), so each article is stored once.

A task that cannot store its input fails: its result (``status`` FAILED, in the
``django_tasks_db`` table and the admin's Task results) keeps the input among its
arguments and the reason as the last line of its traceback. Nothing is half-saved, since
each article is saved in one transaction with its tags.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django_tasks import task

from articles.gazetteer_db import gazetteer_for_ingestion
from articles.ingest.errors import IngestError
from articles.ingest.gazetteer import Gazetteer
from articles.ingest.pipeline import IngestOptions, prepare_input, prepare_text
from articles.ingest.save import CONFLICT, CREATED, save_article
from articles.ingest.tag import TaggedArticle

FAILED = "failed"
# A worker reuses its gazetteer this long: building it costs ~0.15 s, several times the
# tagging of one article. Aliases editors add reach the workers within this time.
GAZETTEER_MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class Outcome:
    """What became of one input: created, updated, unchanged, or failed and why."""

    input: str
    status: str  # created, updated, unchanged, conflict or failed
    error: str | None = None  # one line that names the input (failed, conflict)
    tagged: TaggedArticle | None = None
    article_id: int | None = None


def ingest_one(
    value: str,
    gazetteer: Gazetteer,
    options: IngestOptions,
    *,
    text: str | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Fetch, parse, tag and (unless ``dry_run``) save one path or URL, or ``text`` by name.

    A bad input is an ``Outcome`` with the reason; only a lost database connection is
    raised, because every input after it would fail the same way.
    """
    try:
        if text is None:
            tagged = prepare_input(value, gazetteer, options)
        else:
            tagged = prepare_text(text, gazetteer, options, name=value)
        if dry_run:
            return Outcome(value, CREATED, tagged=tagged)
        result = save_article(tagged, source_name=options.source_name)
        if result.status == CONFLICT:
            # The stored article is the one that was claimed; it stays as it was.
            return Outcome(value, CONFLICT, f"{value}: {result.reason}", tagged, result.article.pk)
        return Outcome(value, result.status, tagged=tagged, article_id=result.article.pk)
    except IngestError as error:
        # Fetch errors already name their input; parse errors do not.
        message = str(error)
        return Outcome(value, FAILED, message if value in message else f"{value}: {message}")
    except (OperationalError, InterfaceError):
        raise
    except Exception as error:  # one bad input must not stop the batch
        return Outcome(value, FAILED, f"{value}: internal error ({type(error).__name__}: {error})")


def ingest_options(
    source: str | None = None, url: str | None = None, published: datetime.date | None = None
) -> IngestOptions:
    return IngestOptions(
        source_name=source,
        url=url,
        published=published,
        allow_private_urls=settings.INGEST_ALLOW_PRIVATE_URLS,
        max_bytes=settings.INGEST_MAX_BYTES,
        timeout_seconds=settings.INGEST_TIMEOUT_SECONDS,
    )


class IngestFailed(Exception):
    """The input could not be stored; the message names it and says why."""


@task()
def ingest_input(
    value: str, source: str | None = None, url: str | None = None, published: str | None = None
) -> dict:
    """Ingest one URL or path (a path on the worker's machine); ``published`` is YYYY-MM-DD."""
    options = ingest_options(source, url, _date(published))
    return _result(ingest_one(value, _gazetteer(), options))


@task()
def ingest_text(
    text: str, source: str | None = None, url: str | None = None, published: str | None = None
) -> dict:
    """Ingest pasted text or HTML, as the admin's import page does."""
    options = ingest_options(source, url, _date(published))
    return _result(ingest_one(url or "pasted text", _gazetteer(), options, text=text))


def _result(outcome: Outcome) -> dict:
    if outcome.status in {FAILED, CONFLICT}:
        raise IngestFailed(outcome.error)
    title = outcome.tagged.article.title if outcome.tagged else None
    return {
        "input": outcome.input,
        "status": outcome.status,
        "article_id": outcome.article_id,
        "title": title,
    }


def _date(value: str | None) -> datetime.date | None:
    # Task arguments are JSON, so dates travel as ISO strings.
    return datetime.date.fromisoformat(value) if value else None


_cached: tuple[str, float, Gazetteer] | None = None


def _gazetteer() -> Gazetteer:
    """The database's gazetteer, rebuilt when older than GAZETTEER_MAX_AGE_SECONDS."""
    global _cached  # one per worker process
    database = connection.settings_dict["NAME"]
    now = time.monotonic()
    if _cached is None or _cached[0] != database or now - _cached[1] > GAZETTEER_MAX_AGE_SECONDS:
        _cached = (database, now, gazetteer_for_ingestion())
    return _cached[2]
