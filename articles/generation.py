"""The archive generation: a number that grows whenever what readers can count changes.

Exact figures (``search.exact_summary``) are cached under a key that includes the current
generation, so they never need to be found and deleted: a change makes a new generation
and the next request counts again. The number is a PostgreSQL sequence on the primary
(created by every migrate, see ``create_sequence``): one cheap statement to read or bump,
the same for every web process and worker, never reused, and free of locks, since
``nextval`` does not wait for other transactions.

The bump happens after the change commits (``transaction.on_commit``). A request that reads
the new generation afterwards also reads the committed rows, so it can never store figures
from before the change under it; one that read the old generation stores its figures under
the old key, which nobody reads any more.

What bumps it: saving or deleting an article, a mention, an actor, a place or a source
through the ORM (signals, below: this covers ingestion's ``save.py``, which saves the
article after replacing its mentions, and the admin's forms), every editorial operation
(``services.on_record``, which owns the bulk updates signals do not see: hiding, merges,
re-tags, undo), a place move (``Location.move_to``) and a gazetteer load.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save

SEQUENCE = "archive_generation"
# The connection attribute holding the current transaction's batch of pending bumps.
PENDING = "_archive_generation_pending"


def create_sequence(using: str = DEFAULT_DB_ALIAS) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")


def current() -> int:
    """The generation exact figures are cached under now (read on the primary, where the
    changes are made: a replica's copy of the sequence may lag)."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        # A new sequence's last_value is already its first value, before any nextval.
        cursor.execute(
            f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE}"  # noqa: S608 -- a constant
        )
        return cursor.fetchone()[0]


def bump() -> None:
    """Start a new generation now: every exact figure is counted again."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SEQUENCE])


def bump_on_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Start a new generation once the current transaction commits (at once outside one).

    One new token per commit: an ingest saves an article twice, an editorial action
    touches hundreds of rows. Every change registers a callback (so a rolled-back
    savepoint takes only its own away), and the callbacks of one transaction share a
    batch, of which the first to run bumps and the rest see it done.
    """
    connection = transaction.get_connection(using)
    batch = getattr(connection, PENDING, None)
    if batch is None or batch.done:
        batch = _Batch()
        setattr(connection, PENDING, batch)

    def bump_once() -> None:
        if not batch.done:
            batch.done = True
            bump()

    # Robust: the change is committed, so a failure here must not turn it into an error
    # (Django logs it; the figures stay stale until the next change).
    transaction.on_commit(bump_once, using=using, robust=True)


class _Batch:
    done = False


def _changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    bump_on_commit(using)


def connect_signals() -> None:
    from articles.models import Actor, ActorMention, Article, Location, LocationMention, Source

    for model in (Article, ActorMention, LocationMention, Actor, Location, Source):
        for signal in (post_save, post_delete):
            signal.connect(
                _changed, sender=model, dispatch_uid=f"generation-{signal}-{model.__name__}"
            )
