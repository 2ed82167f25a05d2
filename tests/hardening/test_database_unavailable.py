"""DatabaseUnavailableMiddleware turns every "cannot reach PostgreSQL" error into the 503
page, wherever Django raises it: opening the connection, in a view, or in middleware
(sessions, authentication) where process_exception never sees it."""

import psycopg2
import pytest
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client

SESSION_COOKIE = "abcdefghijklmnopqrstuvwxyz012345"


class FailingMiddleware:
    """Stands for any middleware whose database query fails (a session save, say)."""

    error: type[Exception] = OperationalError

    def __init__(self, get_response):
        self.get_response = get_response

    message = "server closed the connection unexpectedly"

    def __call__(self, request):
        raise self.error(self.message)


@pytest.fixture
def reader():
    # A real server has no test client re-raising the exception it logged.
    return Client(raise_request_exception=False)


@pytest.fixture
def database_refuses_connections(monkeypatch):
    def refuse(self, conn_params):
        raise psycopg2.OperationalError("connection to server failed: Connection refused")

    connection.close()
    monkeypatch.setattr(DatabaseWrapper, "get_new_connection", refuse)
    yield
    monkeypatch.undo()
    connection.close()


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert "temporarily unavailable" in response.content.decode()
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/", "/articles/?q=hama", "/actors/", "/api/articles/"])
def test_pages_show_503_when_the_database_refuses_connections(
    reader, database_refuses_connections, url
):
    assert_unavailable_page(reader.get(url))


@pytest.mark.django_db(transaction=True)
def test_loading_a_session_without_a_database_shows_503(reader, database_refuses_connections):
    reader.cookies["sessionid"] = SESSION_COOKIE

    assert_unavailable_page(reader.get("/admin/"))


@pytest.mark.django_db(transaction=True)
def test_the_site_recovers_once_connections_work_again(reader, monkeypatch):
    def refuse(self, conn_params):
        raise psycopg2.OperationalError("the database system is starting up")

    connection.close()
    monkeypatch.setattr(DatabaseWrapper, "get_new_connection", refuse)
    during = reader.get("/")
    monkeypatch.undo()

    after = reader.get("/")

    assert during.status_code == 503
    assert after.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError, DatabaseError])
def test_a_database_error_inside_other_middleware_shows_503(reader, settings, error):
    # psycopg2 raises a dropped connection mid-query as a bare DatabaseError at times.
    FailingMiddleware.error = error
    FailingMiddleware.message = "server closed the connection unexpectedly"
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.hardening.test_database_unavailable.FailingMiddleware",
    ]

    assert_unavailable_page(reader.get("/"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "message"),
    [(RuntimeError, "a bug"), (DatabaseError, 'invalid input syntax for type integer: "x"')],
)
def test_other_errors_in_middleware_stay_500(reader, settings, error, message):
    FailingMiddleware.error = error
    FailingMiddleware.message = message
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.hardening.test_database_unavailable.FailingMiddleware",
    ]

    assert reader.get("/").status_code == 500
