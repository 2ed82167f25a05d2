"""The embedded PostgreSQL survives any stop: SIGTERM, Ctrl-C, kill -9, a reboot's stale
pid file, a garbled pgserver handle file, and ``make stop``; the next start always works.

Every test kills a throwaway server in a temporary data directory, never ``.data``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import psycopg2
import pytest

from newsarchive.embedded_db import EmbeddedServer

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir():
    # Not under tmp_path: pytest keeps it private (0700), which locks out the unprivileged
    # user the server runs as when the tests run as root.
    parent = Path(tempfile.mkdtemp(prefix="na-pg-"))
    parent.chmod(0o755)
    yield parent / "pgdata"
    EmbeddedServer(parent / "pgdata").stop()
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def server(data_dir):
    server = EmbeddedServer(data_dir)
    server.ensure_running()
    return server


def answers(server: EmbeddedServer) -> bool:
    socket_dir = server.ensure_running()
    connection = psycopg2.connect(host=str(socket_dir), user="postgres", dbname="postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    finally:
        connection.close()


def postmaster(server: EmbeddedServer) -> psutil.Process:
    pid = int((server.data_dir / "postmaster.pid").read_text().split()[0])
    return psutil.Process(pid)


def wait_gone(process: psutil.Process) -> None:
    with contextlib.suppress(psutil.NoSuchProcess):
        process.wait(timeout=30)


def test_the_server_starts_again_after_kill_9(server):
    victim = postmaster(server)
    victim.kill()
    wait_gone(victim)

    assert server.running_socket_dir() is None
    assert answers(server)
    assert postmaster(server).pid != victim.pid


def test_a_pid_file_left_by_a_reboot_naming_another_live_program_does_not_block_the_start(
    server,
):
    pid_file = server.data_dir / "postmaster.pid"
    stale = pid_file.read_text()
    server.stop()
    # After a reboot the old pid may belong to anything; postgres alone would refuse it.
    other_program = subprocess.Popen(["sleep", "60"])
    try:
        lines = stale.splitlines()
        lines[0] = str(other_program.pid)
        pid_file.write_text("\n".join(lines) + "\n")

        assert server.running_socket_dir() is None
        assert answers(server)
    finally:
        other_program.kill()
        other_program.wait()


def test_a_garbled_pgserver_handle_file_does_not_break_the_start(server):
    server.stop()
    for garbage in ["", "[12, 3", "\x00\x00"]:
        (server.data_dir / ".handle_pids.json").write_text(garbage)
        assert answers(server)


def start_a_program_using_the_server(data_dir: Path) -> subprocess.Popen:
    """A Python program that starts (or joins) the server and keeps a connection open,
    in a process group of its own, as `make run` in a terminal would be."""
    code = (
        "import sys, time, psycopg2\n"
        "from newsarchive.embedded_db import EmbeddedServer\n"
        f"server = EmbeddedServer({str(data_dir)!r})\n"
        "socket_dir = server.ensure_running()\n"
        "connection = psycopg2.connect(host=str(socket_dir), user='postgres', dbname='postgres')\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    program = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    return program


def run_a_program_using_the_server(data_dir: Path) -> subprocess.Popen:
    program = start_a_program_using_the_server(data_dir)
    assert program.stdout.readline().strip() == "ready"
    return program


@pytest.mark.parametrize(
    ("how", "stop"),
    [
        ("SIGTERM, as a service manager stops it", lambda p: p.send_signal(signal.SIGTERM)),
        ("Ctrl-C in its terminal", lambda p: os.killpg(p.pid, signal.SIGINT)),
        ("kill -9", lambda p: p.kill()),
    ],
)
def test_a_program_stopped_any_way_leaves_the_server_ready_for_the_next(data_dir, how, stop):
    EmbeddedServer(data_dir).stop()
    program = run_a_program_using_the_server(data_dir)

    stop(program)
    program.wait(timeout=30)
    program.stdout.close()

    assert answers(EmbeddedServer(data_dir)), how


def test_make_stop_stops_the_server_and_the_next_start_works(server):
    stop = subprocess.run(
        [sys.executable, "-m", "newsarchive.embedded_db", "stop", "--data-dir", server.data_dir],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert stop.returncode == 0, stop.stderr
    assert "stopped" in stop.stdout
    assert server.running_socket_dir() is None
    assert answers(server)


def test_two_programs_starting_at_once_share_one_server(data_dir):
    EmbeddedServer(data_dir).stop()
    programs = [start_a_program_using_the_server(data_dir) for _ in range(3)]
    try:
        assert [program.stdout.readline().strip() for program in programs] == ["ready"] * 3
        pids = {int((data_dir / "postmaster.pid").read_text().split()[0])}
        assert len(pids) == 1
        assert answers(EmbeddedServer(data_dir))
    finally:
        for program in programs:
            program.kill()
            program.wait()
            program.stdout.close()
