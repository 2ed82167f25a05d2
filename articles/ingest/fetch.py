"""The fetch stage: turn a path or URL the user named into bytes plus what we know about them.

Nothing here decodes or interprets the content; that is ``parse``'s job. Every failure is a
``FetchError`` whose message is one line naming the path or URL.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import urllib3
import urllib3.connection

from articles.ingest.errors import FetchError

USER_AGENT = "newsarchive/1.0 (+https://github.com/newsarchive)"
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_URL_BYTES = 10 * 1024 * 1024
ACCEPTED_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".txt", ""})
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SUFFIX_CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024

# Instance-metadata endpoints hand out cloud credentials, so they stay refused even with
# allow_private=True (which exists for tests and intranet archives, not for these).
_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})
# Python's flags call these global, but each reaches an address we cannot check: 6to4
# relays to the IPv4 address inside it, and site-local is a private range by another name.
_UNCHECKABLE_NETWORKS = (
    ("6to4", ipaddress.ip_network("2002::/16")),
    ("site-local", ipaddress.ip_network("fec0::/10")),
)


class _Deadline:
    """One wall-clock limit over a whole fetch: resolving, connecting and every read.

    A socket timeout bounds each read, so a server dripping a byte just inside it could
    hold a worker indefinitely; at the deadline a timer shuts every socket of the fetch
    down, which ends whatever read is waiting, however the bytes arrive.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.expires - time.monotonic()
        if left <= 0:
            self.expired = True
        return max(left, 0.001)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(sock)
            self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _DeadlineHTTPConnection(urllib3.connection.HTTPConnection):
    def __init__(self, *args, deadline: _Deadline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self._deadline.watch(sock)
        return sock


class _DeadlineHTTPSConnection(urllib3.connection.HTTPSConnection):
    def __init__(self, *args, deadline: _Deadline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def _new_conn(self) -> socket.socket:
        # The TLS layer wraps this very socket, so shutting it down ends the handshake too.
        sock = super()._new_conn()
        self._deadline.watch(sock)
        return sock


class _DeadlineHTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


@dataclass(frozen=True)
class FetchedDocument:
    input: str  # what the user named: path or URL
    content: bytes
    content_type: str | None  # from the HTTP header or guessed from the file extension
    url: str | None  # final URL after redirects (None for files)
    http_charset: str | None  # charset from the Content-Type header, if any


def read_path(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> FetchedDocument:
    """Read one local file, refusing missing, unreadable, empty or oversized ones."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise FetchError(f"{path}: not a file")
        if size > max_bytes:
            raise FetchError(f"{path}: too large ({size:,} bytes; the limit is {max_bytes:,})")
        # Read one byte past the cap: a file that grows after stat() is still caught.
        with file.open("rb") as handle:
            content = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise FetchError(f"{path}: no such file") from None
    except PermissionError:
        raise FetchError(f"{path}: permission denied") from None
    except OSError as exc:
        raise FetchError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(content) > max_bytes:
        raise FetchError(f"{path}: too large (more than {max_bytes:,} bytes)")
    if not content.strip():
        raise FetchError(f"{path}: empty file")
    return FetchedDocument(
        input=str(path),
        content=content,
        content_type=_SUFFIX_CONTENT_TYPES.get(file.suffix.lower()),
        url=None,
        http_charset=None,
    )


def iter_inputs(paths_or_urls: Iterable[str]) -> Iterator[str]:
    """Yield each URL and file as named, and the article files inside each directory.

    Directories are walked recursively in sorted order, skipping hidden files and folders
    and files whose extension is not one we ingest. Files named explicitly are yielded
    whatever their extension, so ``read_path``/``parse`` can say what is wrong with them.
    """
    for item in paths_or_urls:
        if "://" in item[:12] or not Path(item).is_dir():
            yield item
            continue
        yield from _walk(Path(item))


def _walk(directory: Path) -> Iterator[str]:
    try:
        entries = sorted(directory.iterdir(), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.is_file() and entry.suffix.lower() in ACCEPTED_SUFFIXES:
            yield str(entry)


def fetch_url(
    url: str,
    *,
    timeout: float = 15,
    max_bytes: int = DEFAULT_MAX_URL_BYTES,
    max_redirects: int = 5,
    allow_private: bool = False,
) -> FetchedDocument:
    """GET one web page, following redirects and re-checking every hop.

    Each hop's host is resolved once, checked, and then connected to by that very address,
    so a DNS answer that changes between check and connect cannot reach a private network.
    """
    deadline = _Deadline(timeout)
    try:
        return _follow(
            url,
            deadline,
            max_bytes=max_bytes,
            max_redirects=max_redirects,
            allow_private=allow_private,
        )
    except FetchError as error:
        # A socket shut at the deadline surfaces as whatever the read was doing then.
        if deadline.expired and "timed out after" not in str(error):
            raise FetchError(f"{url}: timed out after {timeout:g}s") from None
        raise
    finally:
        deadline.cancel()


def _follow(
    url: str, deadline: _Deadline, *, max_bytes: int, max_redirects: int, allow_private: bool
) -> FetchedDocument:
    current = url
    visited: set[str] = set()
    for _ in range(max_redirects + 1):
        visited.add(current)
        pool, response = _request(url, current, deadline=deadline, allow_private=allow_private)
        try:
            if response.status in _REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"{url}: HTTP {response.status} redirect without a Location")
                current = urljoin(current, location.strip())
                if current in visited:
                    raise FetchError(f"{url}: redirect loop at {current}")
                continue
            if response.status >= 400:
                reason = response.reason or ""
                raise FetchError(f"{url}: HTTP {response.status} {reason}".rstrip())
            content_type, charset = _parse_content_type(response.headers.get("Content-Type"))
            if content_type is not None and content_type not in HTML_CONTENT_TYPES:
                raise FetchError(f"{url}: not a web page: {content_type}")
            content = _read_capped(url, response, max_bytes=max_bytes)
        finally:
            response.close()
            pool.close()
        if deadline.expired:
            # A socket shut at the deadline reads as the end of the page: not a whole page.
            raise FetchError(f"{url}: timed out after {deadline.seconds:g}s")
        return FetchedDocument(
            input=url,
            content=content,
            content_type=content_type,
            url=current,
            http_charset=charset,
        )
    raise FetchError(f"{url}: more than {max_redirects} redirects")


def _request(
    original: str, url: str, *, deadline: _Deadline, allow_private: bool
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    """One GET without redirects, over a pool of its own that the caller closes."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchError(f"{original}: only http and https URLs can be fetched, not {url}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise FetchError(f"{original}: bad port in {url}") from None
    if not host:
        raise FetchError(f"{original}: no host in {url}")
    port = port or (443 if scheme == "https" else 80)
    address = _checked_address(original, host, port, deadline, allow_private=allow_private)

    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    default_port = port == (443 if scheme == "https" else 80)
    host_header = _bracketed(host) if default_port else f"{_bracketed(host)}:{port}"
    headers = {
        "Host": host_header,
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }
    left = deadline.remaining()
    pool_timeout = urllib3.Timeout(connect=left, read=left)
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        # Connect to the checked address but verify the certificate for the host name.
        pool = _DeadlineHTTPSConnectionPool(
            address,
            port,
            timeout=pool_timeout,
            retries=False,
            maxsize=1,
            server_hostname=host,
            assert_hostname=host,
            deadline=deadline,
        )
    else:
        pool = _DeadlineHTTPConnectionPool(
            address, port, timeout=pool_timeout, retries=False, maxsize=1, deadline=deadline
        )
    try:
        response = pool.urlopen(
            "GET",
            target,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except urllib3.exceptions.HTTPError as exc:
        pool.close()
        if deadline.expired or isinstance(exc, urllib3.exceptions.TimeoutError):
            raise FetchError(f"{original}: timed out after {deadline.seconds:g}s ({url})") from None
        if isinstance(exc, urllib3.exceptions.SSLError):
            raise FetchError(f"{original}: TLS error: {_one_line(exc)}") from None
        raise FetchError(f"{original}: cannot connect: {_one_line(exc)}") from None
    return pool, response


def _checked_address(
    original: str, host: str, port: int, deadline: _Deadline, *, allow_private: bool
) -> str:
    if host.lower().rstrip(".") in _METADATA_HOSTS:
        raise FetchError(f"{original}: refusing to fetch {host}: a cloud metadata service")
    addresses = _resolve_within(original, host, port, deadline)
    if not addresses:
        raise FetchError(f"{original}: cannot resolve {host}")
    # Refuse when any answer is off-limits: picking the public one would let an attacker
    # who controls the zone mix answers and win whenever the resolver order changes.
    for address in addresses:
        reason = _refusal_reason(address, allow_private=allow_private)
        if reason:
            raise FetchError(f"{original}: refusing to fetch {host} ({address}): {reason}")
    return str(addresses[0])


def _resolve_within(
    original: str, host: str, port: int, deadline: _Deadline
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Resolve in a helper thread so that a slow DNS server also meets the deadline (the
    system resolver cannot be interrupted; the thread ends when it gives up)."""
    answer: list[list[ipaddress.IPv4Address | ipaddress.IPv6Address]] = []
    resolver = threading.Thread(target=lambda: answer.append(_resolve(host, port)), daemon=True)
    resolver.start()
    resolver.join(deadline.remaining())
    if not answer:
        deadline.expired = True
        raise FetchError(f"{original}: timed out resolving {host}")
    return answer[0]


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _refusal_reason(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_private: bool
) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address in _METADATA_ADDRESSES:
        return "a cloud metadata address"
    if allow_private:
        return None
    for label, network in _UNCHECKABLE_NETWORKS:
        if address in network:
            return f"a {label} address"
    checks = (
        # Most specific first: is_private also covers loopback and link-local ranges.
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        # Catches what the flags above miss, e.g. carrier-grade NAT 100.64.0.0/10.
        ("not globally routable", not address.is_global),
    )
    for label, matched in checks:
        if matched:
            return f"a {label} address"
    return None


def _parse_content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    message = Message()
    message["Content-Type"] = header
    charset = message.get_param("charset")
    charset_text = charset.strip().strip('"') if isinstance(charset, str) else None
    return message.get_content_type(), charset_text or None


def _read_capped(url: str, response: urllib3.BaseHTTPResponse, *, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url}: too large ({int(declared):,} bytes; the limit is {max_bytes:,})")
    chunks: list[bytes] = []
    total = 0
    try:
        # Counting decoded bytes also stops a small gzip body that inflates enormously.
        for chunk in response.stream(_CHUNK, decode_content=True):
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(f"{url}: too large (more than {max_bytes:,} bytes)")
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError:
        raise FetchError(f"{url}: timed out while reading the page") from None
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(f"{url}: connection failed while reading: {_one_line(exc)}") from None
    return b"".join(chunks)


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]
