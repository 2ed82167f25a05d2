"""Fixtures for the hardening suite: hostile pages, an editor, a small gazetteer in the DB."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.models import Actor, Location
from tests.ingest.fixtures_gazetteer import ACTORS, LOCATIONS

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def store_gazetteer() -> None:
    """Put the ingestion tests' small gazetteer into the database (parents first)."""
    by_slug: dict[str, Location] = {}
    pending = list(LOCATIONS)
    while pending:
        waiting = []
        for row in pending:
            if row.parent_slug and row.parent_slug not in by_slug:
                waiting.append(row)
                continue
            location = Location(
                slug=row.slug,
                name=row.name,
                kind=row.kind,
                parent=by_slug.get(row.parent_slug),
                aliases=list(row.aliases),
            )
            location.save()
            by_slug[row.slug] = location
        assert len(waiting) < len(pending), "a location's parent is missing"
        pending = waiting
    Actor.objects.bulk_create(
        Actor(slug=row.slug, name=row.name, kind=row.kind, aliases=list(row.aliases))
        for row in ACTORS
    )


@pytest.fixture
def gazetteer(db) -> None:
    store_gazetteer()


@pytest.fixture
def hostile_dir() -> Path:
    return FIXTURES


class _PageServer:
    """A local web server: ``pages`` maps a path to (status, headers, body)."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requested: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requested.append(self.path)
                status, headers, body = server.pages.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def page_server():
    server = _PageServer()
    yield server
    server.close()


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for subprocesses: the test database (or ``name``) on the same server."""
    from urllib.parse import quote

    from django.db import connection

    s = connection.settings_dict
    host = quote(s["HOST"] or "localhost", safe="")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{quote(s['USER'] or 'postgres')}@{host}{port}/{name or s['NAME']}"


def manage_env(url: str, **extra: str) -> dict[str, str]:
    import os

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE"}
    }
    return {**env, "DATABASE_URL": url, "DEBUG": "1", "LOG_LEVEL": "WARNING", **extra}
