from pathlib import Path

import pytest

SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"
EDITOR_PASSWORD = "a-long-editor-password-for-tests"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder beside the checkout; tests that need it skip without it."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent (a plain clone has no ../shared); skipped")
    return SHARED_DIR


@pytest.fixture(autouse=True)
def _no_login_lockouts(settings):
    # django-axes has its own tests of throttling; elsewhere repeated logins must not lock.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _search_index_off(settings):
    # Every page answers from PostgreSQL unless a test builds the search index itself
    # (tests/search_index, with the ``search_index`` fixture there).
    settings.SEARCH_INDEX_ENABLED = False


@pytest.fixture(autouse=True)
def _entity_figures_at_each_statement(request):
    # A test's transaction never commits, and the entity figures are applied at commit (a
    # deferred trigger): inside a test they are applied at the end of each statement
    # instead. Tests with real commits (transaction=True) keep the deferred behaviour.
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or "db" in request.fixturenames
    committing = (marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames
    )
    if not uses_db and not committing:
        return
    request.getfixturevalue("transactional_db" if committing else "db")
    from django.db import connection

    with connection.cursor() as cursor:
        # A flush (after a test with commits) empties every table, the figures' state
        # too: an empty archive's figures are complete, so they are kept from the start.
        cursor.execute(
            "INSERT INTO articles_aggregatestate (built_at) SELECT now() WHERE NOT EXISTS "
            "(SELECT 1 FROM articles_aggregatestate) AND NOT EXISTS "
            "(SELECT 1 FROM articles_article)"
        )
        if not committing:
            cursor.execute("SET CONSTRAINTS aggregates_apply IMMEDIATE")


class _Vacuum:
    """Autovacuum's work, done between tests, for servers that run without it (the machine's
    PostgreSQL 15 in CI has ``autovacuum = off``). Each test's transaction rolls back and
    leaves its rows dead: hundreds of tests load the gazetteer's 11,000 places, and by the
    middle of the suite every scan of the places walked 586,000 dead rows (a test's setup
    took 40 s instead of 2). Every ``EVERY`` tests, the tables with more than ``DEAD_ROWS``
    dead rows are vacuumed, on a connection of its own outside any test's transaction."""

    EVERY = 10
    DEAD_ROWS = 20_000

    def __init__(self):
        self.tests = 0
        self.connection = None

    def after(self) -> None:
        from django.db import connection
        from psycopg2 import sql

        self.tests += 1
        database = connection.settings_dict
        # Until the first test that uses it creates it, the settings name the real database.
        if self.tests % self.EVERY or not database["NAME"].startswith("test"):
            return
        with self._cursor(database) as cursor:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE n_dead_tup > %s",
                [self.DEAD_ROWS],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(sql.SQL("VACUUM {}").format(sql.Identifier(table)))

    def _cursor(self, database: dict):
        import psycopg2

        if self.connection is None or self.connection.closed:
            self.connection = psycopg2.connect(
                dbname=database["NAME"],
                user=database["USER"],
                password=database["PASSWORD"] or None,
                host=database["HOST"] or None,
                port=database["PORT"] or None,
            )
            self.connection.autocommit = True  # VACUUM runs outside a transaction block
        return self.connection.cursor()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


_vacuum = _Vacuum()


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    if nextitem is None:
        # The last test's teardown ends the session's fixtures, and with them the test
        # database, which PostgreSQL will not drop while this connection is open.
        _vacuum.close()
    yield  # the test's fixtures are torn down: its transaction is rolled back
    if nextitem is not None:
        _vacuum.after()


@pytest.fixture(autouse=True)
def _fresh_page_fragments():
    # Rendered fragments live in process memory, keyed by the archive generation, which
    # only moves when a test commits: each test starts without the last one's pages.
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture
def editor(db):
    """Rania, a staff user in the Editors group."""
    from django.contrib.auth.models import User

    from articles.editors import ensure_editors_group

    user = User.objects.create_user("rania", password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(ensure_editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
