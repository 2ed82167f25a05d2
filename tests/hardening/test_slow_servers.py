"""A server that trickles its answer cannot hold a worker: the fetch timeout is one
wall-clock deadline over the whole fetch, connecting and every read."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from articles.ingest.errors import FetchError
from articles.ingest.fetch import fetch_url
from tests.commands import run_ingest

HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"


class TricklingServer:
    """Sends ``prefix`` at once, then one byte of ``trickle`` every ``interval`` seconds."""

    def __init__(self, prefix: bytes, trickle: bytes, interval: float) -> None:
        self.prefix, self.trickle, self.interval = prefix, trickle, interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str = "/story") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                connection.sendall(self.prefix)
                for byte in self.trickle:
                    if self.stopping.wait(self.interval):
                        return
                    connection.sendall(bytes([byte]))
            except OSError:
                return

    def close(self) -> None:
        self.stopping.set()
        self.listener.close()


@pytest.fixture
def trickling_body():
    server = TricklingServer(HEADERS, b"<html><body>" + b"x" * 1000, interval=1.0)
    yield server
    server.close()


@pytest.fixture
def trickling_headers():
    server = TricklingServer(b"", HEADERS, interval=1.0)
    yield server
    server.close()


def timed_fetch(url: str, timeout: float) -> tuple[str, float]:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch_url(url, timeout=timeout, allow_private=True)
    return str(caught.value), time.monotonic() - started


def test_a_page_trickling_one_byte_a_second_is_given_up_at_the_timeout(trickling_body):
    message, elapsed = timed_fetch(trickling_body.url(), timeout=3)

    assert "timed out after 3s" in message
    assert trickling_body.url() in message
    assert elapsed < 6  # not the 1,000 s the page would take


def test_headers_trickling_one_byte_a_second_are_given_up_at_the_timeout(trickling_headers):
    message, elapsed = timed_fetch(trickling_headers.url(), timeout=3)

    assert "timed out" in message
    assert elapsed < 6


def test_a_server_that_accepts_and_never_answers_is_given_up_at_the_timeout():
    silent = socket.create_server(("127.0.0.1", 0))
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        message, elapsed = timed_fetch(url, timeout=2)
    finally:
        silent.close()

    assert "timed out" in message
    assert elapsed < 5


def test_ingest_dry_run_of_a_trickling_url_fails_with_the_reason_in_bounded_time(
    trickling_body, settings, db
):
    settings.INGEST_TIMEOUT_SECONDS = 2
    settings.INGEST_ALLOW_PRIVATE_URLS = True
    started = time.monotonic()

    code, out, err = run_ingest("--dry-run", trickling_body.url())

    assert code == 1
    assert f"{trickling_body.url()}: timed out after 2s" in err
    assert "1 failed" in out
    assert time.monotonic() - started < 10
