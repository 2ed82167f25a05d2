import contextlib
import gzip
import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from articles.ingest import fetch
from articles.ingest.errors import FetchError
from articles.ingest.fetch import USER_AGENT, fetch_url, iter_inputs, read_path

PAGE = "<html><body><p>A page about the fictional town of Tel Harrin.</p></body></html>"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/article": (200, {"Content-Type": "text/html; charset=windows-1256"}, PAGE.encode()),
            "/no-type": (200, {}, PAGE.encode()),
            "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n"),
            "/missing": (404, {"Content-Type": "text/html"}, b"gone"),
            "/broken": (500, {"Content-Type": "text/html"}, b"oops"),
            "/redirect": (302, {"Location": "/article"}, b""),
            "/loop-a": (302, {"Location": "/loop-b"}, b""),
            "/loop-b": (301, {"Location": "/loop-a"}, b""),
            "/to-ftp": (302, {"Location": "ftp://files.example/article.html"}, b""),
            "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/"}, b""),
            "/ua": (200, {"Content-Type": "text/html"}, self.headers["User-Agent"].encode()),
            "/big": (200, {"Content-Type": "text/html"}, b"x" * 5000),
            "/gzip": (
                200,
                {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                gzip.compress(PAGE.encode()),
            ),
        }
        if self.path.startswith("/chain/"):
            left = int(self.path.rsplit("/", 1)[1])
            target = f"/chain/{left - 1}" if left else "/article"
            routes[self.path] = (302, {"Location": target}, b"")
        if self.path == "/slow":
            time.sleep(1.5)
            routes[self.path] = (200, {"Content-Type": "text/html"}, PAGE.encode())
        if self.path == "/big-unannounced":
            # No Content-Length: only counting while streaming can catch it.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"x" * 5000)
            return
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may have given up first, which is what the timeout test wants.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest output clean


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_url_returns_page_bytes_type_and_http_charset(server: str) -> None:
    doc = fetch_url(f"{server}/article", allow_private=True)

    assert doc.content == PAGE.encode()
    assert doc.content_type == "text/html"
    assert doc.http_charset == "windows-1256"
    assert doc.url == f"{server}/article"
    assert doc.input == f"{server}/article"


def test_fetch_url_sends_the_newsarchive_user_agent(server: str) -> None:
    doc = fetch_url(f"{server}/ua", allow_private=True)

    assert doc.content.decode() == USER_AGENT == "newsarchive/1.0 (+https://github.com/newsarchive)"


def test_fetch_url_follows_a_redirect_and_reports_the_final_url(server: str) -> None:
    doc = fetch_url(f"{server}/redirect", allow_private=True)

    assert doc.url == f"{server}/article"
    assert doc.input == f"{server}/redirect"


def test_fetch_url_decompresses_gzip_responses(server: str) -> None:
    doc = fetch_url(f"{server}/gzip", allow_private=True)

    assert doc.content == PAGE.encode()


def test_fetch_url_leaves_a_missing_content_type_to_the_parser(server: str) -> None:
    doc = fetch_url(f"{server}/no-type", allow_private=True)

    assert (doc.content_type, doc.http_charset) == (None, None)


def test_fetch_url_refuses_loopback_unless_private_addresses_are_allowed(server: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/article")

    assert str(excinfo.value) == (
        f"{server}/article: refusing to fetch 127.0.0.1 (127.0.0.1): a loopback address"
    )


def test_fetch_url_refuses_a_name_that_resolves_to_a_private_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fetch, "_resolve", lambda host, port: [ipaddress.ip_address("10.1.2.3")])

    with pytest.raises(FetchError) as excinfo:
        fetch_url("https://news.example/story")

    assert str(excinfo.value) == (
        "https://news.example/story: refusing to fetch news.example (10.1.2.3): a private address"
    )


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("169.254.10.1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("100.64.0.1", "a not globally routable address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("fe80::1", "a link-local address"),
    ],
)
def test_fetch_url_refuses_each_kind_of_internal_address(
    monkeypatch: pytest.MonkeyPatch, address: str, reason: str
) -> None:
    monkeypatch.setattr(fetch, "_resolve", lambda host, port: [ipaddress.ip_address(address)])

    with pytest.raises(FetchError) as excinfo:
        fetch_url("http://news.example/")

    assert str(excinfo.value).endswith(f": {reason}")


def test_fetch_url_refuses_cloud_metadata_even_with_private_allowed() -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url("http://169.254.169.254/latest/meta-data/", allow_private=True)

    assert str(excinfo.value) == (
        "http://169.254.169.254/latest/meta-data/: refusing to fetch 169.254.169.254 "
        "(169.254.169.254): a cloud metadata address"
    )


def test_fetch_url_rechecks_the_target_of_each_redirect(server: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/to-metadata", allow_private=True)

    assert str(excinfo.value) == (
        f"{server}/to-metadata: refusing to fetch 169.254.169.254 (169.254.169.254): "
        "a cloud metadata address"
    )


def test_fetch_url_refuses_a_redirect_to_another_scheme(server: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/to-ftp", allow_private=True)

    assert str(excinfo.value) == (
        f"{server}/to-ftp: only http and https URLs can be fetched, "
        "not ftp://files.example/article.html"
    )


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/a.html", "gopher://x"])
def test_fetch_url_refuses_non_http_urls(url: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(url)

    assert str(excinfo.value) == f"{url}: only http and https URLs can be fetched, not {url}"


def test_fetch_url_reports_a_redirect_loop(server: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/loop-a", allow_private=True)

    assert str(excinfo.value) == f"{server}/loop-a: redirect loop at {server}/loop-a"


def test_fetch_url_stops_after_the_redirect_limit(server: str) -> None:
    assert fetch_url(f"{server}/chain/2", max_redirects=3, allow_private=True).url == (
        f"{server}/article"
    )
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/chain/5", max_redirects=3, allow_private=True)

    assert str(excinfo.value) == f"{server}/chain/5: more than 3 redirects"


@pytest.mark.parametrize(
    ("path", "message"),
    [("/missing", "HTTP 404 Not Found"), ("/broken", "HTTP 500 Internal Server Error")],
)
def test_fetch_url_reports_http_errors_with_status_and_reason(
    server: str, path: str, message: str
) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}{path}", allow_private=True)

    assert str(excinfo.value) == f"{server}{path}: {message}"


def test_fetch_url_refuses_what_is_not_a_web_page(server: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/image.png", allow_private=True)

    assert str(excinfo.value) == f"{server}/image.png: not a web page: image/png"


def test_fetch_url_gives_up_on_a_slow_server(server: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/slow", timeout=0.3, allow_private=True)

    assert str(excinfo.value) == f"{server}/slow: timed out after 0.3s ({server}/slow)"


def test_fetch_url_refuses_a_page_announced_as_too_large(server: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/big", max_bytes=1000, allow_private=True)

    assert str(excinfo.value) == f"{server}/big: too large (5,000 bytes; the limit is 1,000)"


def test_fetch_url_stops_reading_a_page_that_grows_too_large(server: str) -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url(f"{server}/big-unannounced", max_bytes=1000, allow_private=True)

    assert str(excinfo.value) == f"{server}/big-unannounced: too large (more than 1,000 bytes)"


def test_fetch_url_reports_a_host_that_does_not_resolve() -> None:
    with pytest.raises(FetchError) as excinfo:
        fetch_url("http://no-such-host.invalid/")

    assert str(excinfo.value) == "http://no-such-host.invalid/: cannot resolve no-such-host.invalid"


def test_read_path_guesses_the_content_type_from_the_extension(tmp_path: Path) -> None:
    for name, expected in [
        ("a.html", "text/html"),
        ("b.HTM", "text/html"),
        ("c.xhtml", "application/xhtml+xml"),
        ("d.txt", "text/plain"),
        ("e", None),
    ]:
        (tmp_path / name).write_text("Some text")

        doc = read_path(tmp_path / name)

        assert (doc.content, doc.content_type, doc.url, doc.http_charset) == (
            b"Some text",
            expected,
            None,
            None,
        )


def test_read_path_names_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"

    with pytest.raises(FetchError) as excinfo:
        read_path(missing)

    assert str(excinfo.value) == f"{missing}: no such file"


def test_read_path_refuses_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b" \n\t\n")

    with pytest.raises(FetchError) as excinfo:
        read_path(empty)

    assert str(excinfo.value) == f"{empty}: empty file"


def test_read_path_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2048)

    with pytest.raises(FetchError) as excinfo:
        read_path(big, max_bytes=1024)

    assert str(excinfo.value) == f"{big}: too large (2,048 bytes; the limit is 1,024)"


def test_read_path_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(FetchError) as excinfo:
        read_path(tmp_path)

    assert str(excinfo.value) == f"{tmp_path}: not a file"


def test_iter_inputs_walks_directories_sorted_skipping_hidden_and_other_files(
    tmp_path: Path,
) -> None:
    for name in [
        "b.html",
        "a.txt",
        "notes",
        ".hidden.html",
        "photo.jpg",
        "sub/c.htm",
        "sub/d.xhtml",
        ".git/e.html",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")

    found = list(
        iter_inputs([str(tmp_path), "https://news.example/a", str(tmp_path / "photo.jpg")])
    )

    assert found == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.html"),
        str(tmp_path / "notes"),
        str(tmp_path / "sub" / "c.htm"),
        str(tmp_path / "sub" / "d.xhtml"),
        "https://news.example/a",
        str(tmp_path / "photo.jpg"),
    ]
