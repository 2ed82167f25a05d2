"""An embedded PostgreSQL for development and tests when no DATABASE_URL is set.

pgserver ships PostgreSQL 16's binaries in a wheel; this module runs them itself with
``pg_ctl`` instead of through pgserver's handle bookkeeping. That bookkeeping rewrote
``.handle_pids.json`` from several processes without a lock, so a process stopped
mid-write (SIGTERM, kill -9) left a file that broke every later start. Here:

- start-up is serialised by an ``fcntl`` lock beside the data directory, which the kernel
  releases however the holder dies;
- whether a server is running is decided by the process itself (the postmaster.pid's pid
  is a live ``postgres`` serving this very directory), so a pid file left by kill -9 or a
  reboot, even one whose pid now belongs to another program, is cleared and the server
  started again;
- the server is left running between commands (runserver's reloader, ``manage.py``, the
  tests share it) and stopped with ``make stop`` (``python -m newsarchive.embedded_db stop``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import fasteners
import psutil
import psycopg2
from psycopg2 import errors as pg_errors

DATABASE_NAME = "newsarchive"
SUPERUSER = "postgres"
# PostgreSQL refuses to run as root; pgserver creates this unprivileged user for it.
ROOT_RUNS_AS = "pgserver"
START_ATTEMPTS = 15
SOCKET_NAME = ".s.PGSQL.5432"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / ".data" / "pgdata"


def default_data_dir() -> Path:
    return Path(os.environ.get("EMBEDDED_PG_DIR", DEFAULT_DATA_DIR))


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be started or stopped; the message says why."""


def _binaries() -> Path:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); pgserver's
        # import asks it for a lock directory we do not use.
        warnings.simplefilter("ignore")
        from pgserver._commands import POSTGRES_BIN_PATH
    return POSTGRES_BIN_PATH


class EmbeddedServer:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.bin = _binaries()
        self.run_as = ROOT_RUNS_AS if os.geteuid() == 0 else None

    # --- what callers use ------------------------------------------------------------

    def ensure_running(self) -> Path:
        """Start the server unless it already runs; return its socket directory."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with fasteners.InterProcessLock(str(self._lock_path())):
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb()
            socket_dir = self.running_socket_dir()
            if socket_dir is None:
                socket_dir = self._start()
            self._wait_until_accepting(socket_dir)
            return socket_dir

    def stop(self) -> bool:
        """Stop the server (fast shutdown: sessions are cancelled); False if it was not up."""
        with fasteners.InterProcessLock(str(self._lock_path())):
            if self.running_socket_dir() is None:
                self._clear_stale_files()
                return False
            self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop")
            return True

    def running_socket_dir(self) -> Path | None:
        """The socket directory of a live postmaster serving this data directory, if any."""
        lines = self._pid_file_lines()
        if len(lines) < 5 or not lines[0].strip().isdigit():
            return None
        try:
            process = psutil.Process(int(lines[0]))
            if process.name() != "postgres" or str(self.data_dir) not in process.cmdline():
                return None
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            return None
        return Path(lines[4].strip()) if lines[4].strip() else None

    def url(self, socket_dir: Path, database: str = DATABASE_NAME) -> str:
        # dj-database-url reads a percent-encoded path in the host position as a socket.
        return f"postgres://{SUPERUSER}@{quote(str(socket_dir), safe='')}/{database}"

    def ensure_database(self, socket_dir: Path, name: str = DATABASE_NAME) -> None:
        connection = psycopg2.connect(host=str(socket_dir), user=SUPERUSER, dbname="postgres")
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone() is None:
                    # Another process may create it between our check and our CREATE.
                    with contextlib.suppress(pg_errors.DuplicateDatabase):
                        cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()

    # --- the steps -------------------------------------------------------------------

    def _lock_path(self) -> Path:
        # Beside the data directory, not in it: initdb wants an empty directory.
        return self.data_dir.with_name(f".{self.data_dir.name}.start-lock")

    def _pid_file_lines(self) -> list[str]:
        try:
            return (self.data_dir / "postmaster.pid").read_text().splitlines()
        except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
            return []

    def _initdb(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._grant_data_dir()
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "--auth=trust",
            "--auth-local=trust",
            "--encoding=utf8",
            "-U",
            SUPERUSER,
        )

    def _grant_data_dir(self) -> None:
        if self.run_as is None:
            return
        import pwd

        from pgserver.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(self.run_as)
        ensure_prefix_permissions(self.data_dir)
        ensure_prefix_permissions(self.bin)
        ensure_folder_permissions(self.bin, 0o055)
        ensure_folder_permissions(self.bin.parent / "lib", 0o044)
        user = pwd.getpwnam(self.run_as)
        os.chown(self.data_dir, user.pw_uid, user.pw_gid)

    def _socket_dir(self) -> Path:
        """The data directory, unless its path is too long for a Unix socket name."""
        if len(str(self.data_dir / SOCKET_NAME)) < 100:
            return self.data_dir
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:12]
        socket_dir = Path(tempfile.gettempdir()) / f"newsarchive-pg-{digest}"
        socket_dir.mkdir(mode=0o777, exist_ok=True)
        socket_dir.chmod(0o777)  # the server may run as another user than the caller
        return socket_dir

    def _clear_stale_files(self) -> None:
        """Remove what a server that no longer runs left behind (kill -9, a reboot)."""
        lines = self._pid_file_lines()
        (self.data_dir / "postmaster.pid").unlink(missing_ok=True)
        socket_dirs = {self._socket_dir()}
        if len(lines) >= 5 and lines[4].strip():
            socket_dirs.add(Path(lines[4].strip()))
        for socket_dir in socket_dirs:
            # Its lock file names the dead pid too; postgres refuses a pid that is reused.
            (socket_dir / f"{SOCKET_NAME}.lock").unlink(missing_ok=True)

    def _start(self) -> Path:
        self._clear_stale_files()
        self._grant_data_dir()
        socket_dir = self._socket_dir()
        options = f"-h '' -k {socket_dir}"
        failure = ""
        for _attempt in range(START_ATTEMPTS):
            try:
                self._pg_ctl(
                    "-w", "-t", "60", "-l", str(self.data_dir / "log"), "-o", options, "start"
                )
                return socket_dir
            except EmbeddedServerError as error:
                # After kill -9 the old server's children hold its shared memory for a
                # moment; postgres refuses to start until they have gone.
                failure = str(error)
                self._clear_stale_files()
                time.sleep(1)
        raise EmbeddedServerError(
            f"the embedded PostgreSQL in {self.data_dir} did not start: {failure} "
            f"(see {self.data_dir / 'log'})"
        )

    def _wait_until_accepting(self, socket_dir: Path, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            result = subprocess.run(  # noqa: S603 (the wheel's own binary, fixed arguments)
                [str(self.bin / "pg_isready"), "-q", "-h", str(socket_dir), "-U", SUPERUSER],
                check=False,
            )
            if result.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise EmbeddedServerError(
                    f"the embedded PostgreSQL in {self.data_dir} is not accepting connections"
                )
            time.sleep(0.2)

    def _pg_ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), *args)

    def _run(self, program: str, *args: str) -> None:
        # Output goes to files, not pipes: the postmaster pg_ctl starts inherits its
        # descriptors, and a pipe it holds open would keep us waiting for ever.
        with tempfile.TemporaryFile() as output:
            result = subprocess.run(  # noqa: S603 (the wheel's own binaries)
                [str(self.bin / program), *args],
                stdout=output,
                stderr=subprocess.STDOUT,
                user=self.run_as,
                cwd="/",
                check=False,
            )
            if result.returncode != 0:
                output.seek(0)
                message = " ".join(output.read().decode(errors="replace").split())[-400:]
                raise EmbeddedServerError(f"{program} failed: {message}")


def embedded_database_url(data_dir: Path) -> str:
    server = EmbeddedServer(data_dir)
    socket_dir = server.ensure_running()
    server.ensure_database(socket_dir)
    return server.url(socket_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsarchive.embedded_db",
        description="Start, stop or look at the embedded PostgreSQL (EMBEDDED_PG_DIR).",
    )
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    args = parser.parse_args(argv)
    server = EmbeddedServer(args.data_dir)
    try:
        if args.action == "start":
            socket_dir = server.ensure_running()
            print(f"embedded PostgreSQL running in {server.data_dir} (socket {socket_dir})")
        elif args.action == "stop":
            stopped = server.stop()
            state = "stopped" if stopped else "was not running"
            print(f"embedded PostgreSQL in {server.data_dir} {state}")
        else:
            socket_dir = server.running_socket_dir()
            state = f"running (socket {socket_dir})" if socket_dir else "not running"
            print(f"embedded PostgreSQL in {server.data_dir}: {state}")
    except EmbeddedServerError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
