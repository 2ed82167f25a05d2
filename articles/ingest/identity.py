"""Which URL an article is filed under, and whether that URL may update what is stored.

An article's identity is where it was fetched from, or the URL an editor gives. A page's
own claim (``<link rel="canonical">``, ``og:url``, JSON-LD ``url``) is accepted only on
the same registrable domain as the address it was fetched from: a page on evil.example
saying it is levantwire.example's article is filed as what it is, evil.example's page.
A saved page read from a file was fetched from nowhere we know, so its claim is kept as
its URL but not trusted: it may create an article, never replace one.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from tld import get_tld

from articles.ingest.errors import IngestError

WEB_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class Identity:
    url: str | None
    trusted: bool  # may update an article stored under ``url``


def article_identity(
    *, editor_url: str | None, page_url: str | None, claimed_url: str | None
) -> Identity:
    if editor_url:
        return Identity(editor_url, trusted=True)
    if page_url:
        if claimed_url and same_site(claimed_url, page_url):
            return Identity(claimed_url, trusted=True)
        return Identity(page_url, trusted=True)
    return Identity(claimed_url or None, trusted=False)


def registrable_domain(url: str) -> str | None:
    """``news.bbc.co.uk`` -> ``bbc.co.uk`` by the public suffix list (private suffixes
    included, so two github.io sites are two sites); the host itself for an address, and
    the last two labels for a suffix the list does not know (``.example``, ``.internal``)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    found = get_tld(f"http://{host}/", as_object=True, fail_silently=True, search_private=True)
    if found is not None and found.fld:
        return found.fld
    return ".".join(host.split(".")[-2:])


def same_site(url: str, other: str) -> bool:
    domain = registrable_domain(url)
    return domain is not None and domain == registrable_domain(other)


def check_web_url(url: str, *, name: str = "--url") -> str:
    """An http(s) URL with a host, or an IngestError naming ``name`` and the value."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        raise IngestError(f"{name} must be an http:// or https:// address, not {url!r}")
    return url.strip()
