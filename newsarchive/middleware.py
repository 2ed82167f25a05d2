import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 30


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header: no inline script, nothing off-site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


# What libpq says when the server went away; psycopg2 raises some of these as a plain
# DatabaseError (no SQLSTATE), not OperationalError, when the socket drops mid-query.
CONNECTION_LOST_MESSAGES = (
    "server closed the connection",
    "terminating connection",
    "connection already closed",
    "could not connect",
    "could not receive data",
    "could not send data",
    "connection to server",
    "no connection to the server",
    "the database system is",  # starting up / shutting down / in recovery mode
)


def is_database_unavailable(exception: BaseException | None) -> bool:
    """Whether ``exception`` means "cannot reach the database" (refused, dropped, shut down).

    Django wraps the driver's errors in its own classes: ``OperationalError`` and
    ``InterfaceError`` always mean the connection; a bare ``DatabaseError`` does when
    libpq says so or its connection is now closed. An error raised while handling one keeps
    it as its cause or context, so the chain is followed too.
    """
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        if type(exception) is DatabaseError and (
            _a_connection_was_lost()
            or any(message in str(exception) for message in CONNECTION_LOST_MESSAGES)
        ):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def _a_connection_was_lost() -> bool:
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if raw is not None and getattr(raw, "closed", 0):
            return True
    return False


def database_unavailable_response() -> HttpResponse:
    # No request in the context: the context processors would touch the session (the DB).
    response = HttpResponse(render_to_string("503.html", request=None), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _note_database_outage(sender, request=None, **kwargs):
    """Mark the request when an exception Django turns into a 500 is a database outage.

    Exceptions raised in other middleware (session loading and saving, authentication)
    never reach ``process_exception``: Django converts them into a 500 response at that
    layer. It sends this signal first, so the outer middleware can still tell.
    """
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        request.database_unavailable = True


got_request_exception.connect(_note_database_outage, dispatch_uid="newsarchive-db-outage")


class DatabaseUnavailableMiddleware:
    """A clear 503 page while the database is down, instead of a 500.

    Placed near the top of MIDDLEWARE so that it also sees failures in the session,
    authentication and messages middleware below it, not only in views. Django's
    CONN_HEALTH_CHECKS replaces the broken connection on the next request, so the site
    recovers by itself once PostgreSQL is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False) and response.status_code >= 500:
            return database_unavailable_response()
        return response

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable_response()
        return None
