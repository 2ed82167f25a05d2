"""The client's address as the login lock-out sees it, behind a proxy or not.

Behind a reverse proxy every request arrives from the proxy's address, so a lock-out keyed
on it would let anyone lock every editor out. ``X-Forwarded-For`` is believed only when the
request comes from a proxy listed in ``TRUSTED_PROXIES``; the client is then the nearest
address in the header that is not itself a trusted proxy. A header sent straight to the
app (no trusted proxy in between) is ignored, so it cannot be forged to dodge the lock-out.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in spec)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from None


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request) -> str | None:
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None

    def is_trusted(address) -> bool:
        return any(address in network for network in trusted)

    if not is_trusted(remote):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            break  # a garbled hop: trust nothing further out than the proxy itself
        if not is_trusted(address):
            return str(address)
    return str(remote)
