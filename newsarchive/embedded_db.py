"""An embedded PostgreSQL for development and tests when no DATABASE_URL is set.

pgserver ships a real PostgreSQL 16 in a wheel. The server is started once and left
running (``cleanup_mode=None``) so that runserver's reloader, ``manage.py`` commands and
the test run all share it; pgserver serialises start-up between processes with a file
lock and reuses a server that is already up.
"""

import warnings
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

DATABASE_NAME = "newsarchive"


def embedded_database_url(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); it falls
        # back to /tmp, which is fine for a lock file.
        warnings.simplefilter("ignore")
        import pgserver  # only needed when no DATABASE_URL is given

        server = pgserver.get_server(data_dir, cleanup_mode=None)
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'newsarchive';")
    if "(1 row)" not in exists:
        # Two processes starting at once may both get here; psql reports the loser's
        # "already exists" error and exits 0, which is what we want.
        server.psql("CREATE DATABASE newsarchive;")
    # pgserver's own URI puts the socket directory in the query string; rebuild it in the
    # form dj-database-url understands (a percent-encoded path as the host).
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"
