"""Reads from PostgreSQL read replicas for readers, everything else on the primary.

``settings.DATABASE_REPLICAS`` lists the replica aliases (from ``DATABASE_REPLICA_URLS``);
with none, every query goes to ``default`` exactly as before. A replica is only used when
``ReplicaReadsMiddleware`` picked one for the request in hand, which it does for a reader's
GET or HEAD of a public page or the read-only API. Everything else reads from the primary:

* requests that write (POST, PUT, PATCH, DELETE), and everything an editor (staff) sees,
  admin or not, so an editor sees their own change at once (read-your-writes);
* sessions, accounts, login throttling and the task queue, whoever asks;
* management commands, ``db_worker`` and the shell, which never go through the middleware.

Writes always go to the primary. Replication lag is the operator's concern (docs/scaling.md):
a reader may see a new or corrected article a moment after the editor does.
"""

from __future__ import annotations

import random
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS

# Only the archive's own tables are read from replicas: they are what reader pages query.
# Sessions, users, axes and the task queue must see the latest write.
REPLICA_APPS = frozenset({"articles"})

# The replica this request reads from, or None for the primary. A context variable, so
# each thread (gunicorn, runserver) or asyncio task (ASGI) has its own.
_read_alias: ContextVar[str | None] = ContextVar("newsarchive_read_alias", default=None)


def replica_alias() -> str | None:
    """The replica the current request reads the archive from (None: the primary)."""
    return _read_alias.get()


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in REPLICA_APPS and (alias := _read_alias.get()):
            return alias
        # Explicit, so a row loaded from a replica does not lead to reading its relations
        # (or saving it) there once the request is pinned to the primary.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's rows, so objects from any of them may be related.
        same_data = {DEFAULT_DB_ALIAS, *settings.DATABASE_REPLICAS}
        return (obj1._state.db in same_data and obj2._state.db in same_data) or None

    def allow_migrate(self, db, app_label, **hints):
        # Replicas get the schema by replication; migrate runs on the primary only.
        return False if db in settings.DATABASE_REPLICAS else None


class ReplicaReadsMiddleware:
    """Sends a reader's request for a public page to one replica, for all its reads.

    One replica per request, not per query: a page's count, list and facets then come
    from the same snapshot however far each replica lags. The choice lasts until the
    response is closed, so a streamed export reads from the replica while it is sent.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _read_alias.set(None)  # whatever the thread served last, start on the primary
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.DATABASE_REPLICAS and self.may_read_from_replica(request):
            _read_alias.set(random.choice(settings.DATABASE_REPLICAS))

    def may_read_from_replica(self, request) -> bool:
        if request.method not in self.SAFE_METHODS:
            return False
        if "admin" in request.resolver_match.namespaces:
            return False
        # Editors read what they just wrote. Only a visitor with a session cookie costs a
        # query here, and readers have none.
        user = getattr(request, "user", None)
        return not (user is not None and user.is_staff)


def _read_from_primary(**kwargs) -> None:
    _read_alias.set(None)


# Sent when the response is closed, after the last byte of a streamed one.
request_finished.connect(_read_from_primary, dispatch_uid="newsarchive-replica-reads-end")
