"""PostgreSQL going away under a running site: a clear 503 page while it is down, recovery
on its own once it is back, and nothing already ingested lost.

Runs against a throwaway pgserver instance in a temporary directory, stopped and started
with pgserver's own pg_ctl, never against the shared development server.
"""

import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.hardening.conftest import manage_env
from tests.hardening.corpus import write_batch

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/", "/articles/?q=fight", "/actors/", "/api/articles/", "/admin/login/"]
# The login page of a visitor without a session needs no database, and still works.
DATABASE_PAGES = [page for page in PAGES if page != "/admin/login/"]

pytestmark = pytest.mark.slow


class ThrowawayPostgres:
    def __init__(self, directory: Path) -> None:
        import pgserver
        from pgserver import _commands

        self._pg_ctl = _commands.pg_ctl
        self.server = pgserver.get_server(directory, cleanup_mode="delete")
        self.pgdata = self.server.pgdata
        self.socket_dir = parse_qs(urlsplit(self.server.get_uri()).query)["host"][0]
        self.server.psql("CREATE DATABASE outage;")
        self.url = f"postgres://postgres@{quote(self.socket_dir, safe='')}/outage"

    def stop(self) -> None:
        # "immediate" is a crash as far as PostgreSQL knows: recovery replays the WAL.
        self._pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=self.pgdata, user=self.user)

    def start(self) -> None:
        self._pg_ctl(
            [
                "-w",
                "-o",
                '-h ""',
                "-o",
                f"-k {self.socket_dir}",
                "-l",
                str(self.server.log),
                "start",
            ],
            pgdata=self.pgdata,
            user=self.user,
            timeout=30,
        )

    @property
    def user(self):
        return self.server.system_user

    def close(self) -> None:
        self.server.cleanup()


@pytest.fixture
def throwaway_postgres():
    # Not under tmp_path: pytest keeps /tmp/pytest-of-<user> private (0700), and re-applies
    # that whenever another run starts, which locks out the "pgserver" user the server
    # runs as when the tests run as root.
    parent = Path(tempfile.mkdtemp(prefix="newsarchive-outage-"))
    parent.chmod(0o755)
    database = ThrowawayPostgres(parent / "pgdata")
    yield database
    database.close()
    shutil.rmtree(parent, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, cookie: str = "") -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode(), dict(error.headers)


class BackgroundLoad:
    """Two clients requesting database-backed pages in a loop, recording every status."""

    def __init__(self, base: str) -> None:
        import threading

        self.base = base
        self.statuses: list[int | str] = []
        self.failures: list[str] = []
        self._running = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(2)]

    def _run(self, offset: int) -> None:
        n = offset
        while self._running.is_set():
            try:
                status, body, _ = get(self.base + DATABASE_PAGES[n % len(DATABASE_PAGES)])
                self.statuses.append(status)
                if status >= 500 and status != 503:
                    # DEBUG is on in this test: the technical page names the exception.
                    title = re.search(r"<title>(.*?)</title>", body, re.S)
                    value = re.search(r'class="exception_value">(.*?)<', body, re.S)
                    self.failures.append(
                        " ".join(m.group(1).strip() for m in (title, value) if m)[:300]
                    )
            except OSError as error:  # a reset connection would be a failure too
                self.statuses.append(f"{type(error).__name__}")
            n += 1
            time.sleep(0.02)

    def start(self) -> None:
        self._running.set()
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._running.clear()
        for thread in self._threads:
            thread.join(timeout=30)


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def count_articles(env) -> int:
    result = manage(
        env, "shell", "-c", "from articles.models import Article; print(Article.objects.count())"
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1])


def test_site_shows_503_while_the_database_is_down_and_recovers_by_itself(
    throwaway_postgres, tmp_path
):
    env = manage_env(throwaway_postgres.url, CONN_MAX_AGE="60")
    assert manage(env, "migrate", "--noinput").returncode == 0
    before = write_batch(tmp_path / "before", 10)
    assert manage(env, "ingest", *map(str, before)).returncode == 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsarchive.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if get(base + "/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        # Warm both workers' persistent connections, so the outage breaks live ones.
        up = [get(base + page)[0] for page in PAGES * 3]
        load = BackgroundLoad(base)
        load.start()
        time.sleep(0.5)

        throwaway_postgres.stop()
        down = [get(base + page) for page in DATABASE_PAGES * 3]
        login_page = get(base + "/admin/login/")[0]
        with_session = get(base + "/admin/", cookie="sessionid=abcdefghijklmnopqrstuvwxyz012345")
        during = write_batch(tmp_path / "during", 3, start=100)
        ingest_during = manage(env, "ingest", *map(str, during))

        throwaway_postgres.start()
        recovered, deadline = [], time.monotonic() + 30
        while time.monotonic() < deadline:
            recovered = [get(base + page)[0] for page in PAGES * 2]
            if set(recovered) == {200}:
                break
            time.sleep(0.5)
        time.sleep(0.5)
        load.stop()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    assert up == [200] * len(up)
    # Under load through the whole stop/start: every answer is the page or the 503 page.
    assert load.statuses
    assert set(load.statuses) <= {200, 503}, load.failures[:1]
    assert load.statuses[-1] == 200
    assert [status for status, _, _ in down] == [503] * len(down)
    assert all("temporarily unavailable" in body for _, body, _ in down)
    assert all(headers.get("Retry-After") == "30" for _, _, headers in down)
    assert with_session[0] == 503
    assert login_page == 200
    assert ingest_during.returncode != 0
    assert set(recovered) == {200}
    assert count_articles(env) == 10
    assert manage(env, "ingest", *map(str, during)).returncode == 0
    assert count_articles(env) == 13
