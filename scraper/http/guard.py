"""Where the crawler may go: http(s) only, the agency's own hosts, no loopback/private addresses.

Reads ``HTTP_ALLOW_PRIVATE``. A host is ``name:port`` as written in the URL, so with private
addresses allowed each port on 127.0.0.1 is its own host (one imitation site each).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from govreports.settings import Settings

from ..errors import OffSite


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, lower-cased, default ports dropped."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        return f"{host}:{port}"
    return host


def _private(ip: str) -> bool:
    addr = ipaddress.ip_address(ip)
    return (
        addr.is_loopback
        or addr.is_private
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_unspecified
        or addr.is_multicast
    )


class HostGuard:
    """Checks every URL (and every redirect hop) before it is fetched."""

    def __init__(self, settings: Settings) -> None:
        self.allow_private: bool = settings["HTTP_ALLOW_PRIVATE"]
        self._resolved: dict[str, bool] = {}

    async def check(self, url: str, hosts: frozenset[str] | None = None) -> None:
        """Raise :class:`OffSite` unless ``url`` may be fetched (``hosts``: the agency's, if known)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OffSite(f"{url}: not an http(s) URL")
        if hosts is not None and host_of(url) not in hosts:
            raise OffSite(f"{url}: outside the agency's hosts")
        if self.allow_private:
            return
        name = parts.hostname.lower()
        private = self._resolved.get(name)
        if private is None:
            private = await self._is_private(name)
            self._resolved[name] = private
        if private:
            raise OffSite(f"{url}: loopback/private address (use --allow-private for local mirrors)")

    @staticmethod
    async def _is_private(name: str) -> bool:
        if name == "localhost" or name.endswith(".localhost"):
            return True
        try:
            return _private(name)
        except ValueError:
            pass
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except OSError:
            return False  # unresolvable: the fetch itself will fail and say so
        return any(_private(info[4][0]) for info in infos)
