"""Where the crawler may go: http(s) only, the agency's own hosts, public addresses only.

Reads ``HTTP_ALLOW_PRIVATE``. A host is ``name:port`` as written in the URL, so with private
addresses allowed each port on 127.0.0.1 is its own host (one imitation site each).

The rules, without ``--allow-private``:

- every address a name resolves to must be global (``ipaddress``'s ``is_global``), not multicast,
  not in the few ranges Python still calls global that are not (6to4 relay anycast 192.88.99.0/24,
  site-local fec0::/10, local-use NAT64 64:ff9b:1::/48), and the IPv4 address embedded in an
  IPv4-mapped, IPv4-compatible, 6to4, Teredo or NAT64 address must pass the same rules;
- a name that does not resolve is refused;
- the connection goes to the address that was checked (:class:`PinnedBackend`), never to a second
  resolution of the name: a DNS answer that changes between check and connect (rebinding) changes
  nothing. Every redirect hop passes the same check.
"""

from __future__ import annotations

import asyncio
import ipaddress
import select
import socket
import ssl
from asyncio.trsock import TransportSocket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from govreports.settings import Settings

from ..errors import OffSite

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Awaitable[list[str]]]

# ranges Python < 3.13 calls global that are not, or that only relay to something else; an
# IPv4-compatible ``::a.b.c.d`` (::/96, deprecated) is refused outright
_NOT_GLOBAL = tuple(
    ipaddress.ip_network(n)
    for n in ("192.88.99.0/24", "224.0.0.0/4", "fec0::/10", "ff00::/8", "64:ff9b:1::/48", "::/96")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, lower-cased, default ports dropped."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        return f"{host}:{port}"
    return host


def embedded_ipv4(addr: Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    if not isinstance(addr, ipaddress.IPv6Address):
        return []
    found = [a for a in (addr.ipv4_mapped, addr.sixtofour) if a is not None]
    if addr.teredo:
        found += list(addr.teredo)
    if addr in _NAT64:
        found.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    return found


def is_public(addr: Address) -> bool:
    """May the crawler connect to ``addr``? Global, and so is every IPv4 address it embeds."""
    if not addr.is_global or any(addr in net for net in _NOT_GLOBAL if net.version == addr.version):
        return False
    return all(is_public(v4) for v4 in embedded_ipv4(addr))


async def system_resolver(name: str) -> list[str]:
    """Every address ``name`` resolves to, through the system resolver (off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(name, None, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class HostGuard:
    """Checks every URL (and every redirect hop) before it is fetched, and remembers the address checked.

    ``resolver`` is the name lookup (the system's by default; tests give their own). Answers are
    kept for the run: one name, one checked address, the one every connection to it uses.
    """

    def __init__(self, settings: Settings, resolver: Resolver | None = None) -> None:
        self.allow_private: bool = settings["HTTP_ALLOW_PRIVATE"]
        self._resolve = resolver or system_resolver
        self._pinned: dict[str, str] = {}  # name -> the checked address to connect to
        self._refused: dict[str, str] = {}  # name -> why
        self._locks: dict[str, asyncio.Lock] = {}

    async def check(self, url: str, hosts: frozenset[str] | None = None) -> None:
        """Raise :class:`OffSite` unless ``url`` may be fetched (``hosts``: the agency's, if known)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OffSite(f"{url}: not an http(s) URL")
        if hosts is not None and host_of(url) not in hosts:
            raise OffSite(f"{url}: outside the agency's hosts")
        if self.allow_private:
            return
        try:
            await self.address(parts.hostname)
        except OffSite as exc:
            raise OffSite(f"{url}: {exc}") from None

    async def address(self, name: str) -> str:
        """The checked address to connect to for ``name``; raises :class:`OffSite` if there is none.

        With private addresses allowed, the name itself (the connection resolves it).
        """
        if self.allow_private:
            return name
        name = name.lower().strip("[]")
        if name in self._pinned:
            return self._pinned[name]
        async with self._locks.setdefault(name, asyncio.Lock()):
            if name not in self._pinned and name not in self._refused:
                try:
                    self._pinned[name] = await self._checked(name)
                except OffSite as exc:
                    self._refused[name] = str(exc)
        if name in self._refused:
            raise OffSite(self._refused[name])
        return self._pinned[name]

    async def _checked(self, name: str) -> str:
        private = "loopback/private/non-global address (use --allow-private for local mirrors)"
        if name == "localhost" or name.endswith(".localhost"):
            raise OffSite(f"{name}: {private}")
        try:
            literal = ipaddress.ip_address(name)
        except ValueError:
            literal = None
        if literal is not None:
            if not is_public(literal):
                raise OffSite(f"{name}: {private}")
            return str(literal)
        try:
            found = await self._resolve(name)
        except (OSError, UnicodeError) as exc:
            raise OffSite(f"{name}: does not resolve ({exc})") from None
        addrs = _parsed(found)
        if not addrs:
            raise OffSite(f"{name}: does not resolve")
        bad = [a for a in addrs if not is_public(a)]
        if bad:  # one private answer is enough to refuse: which one a connection gets is not ours to pick
            raise OffSite(f"{name} resolves to {bad[0]}: {private}")
        return str(addrs[0])


def _parsed(found: Iterable[str]) -> list[Address]:
    out = []
    for text in found:
        try:
            out.append(ipaddress.ip_address(text.split("%")[0]))
        except ValueError:
            continue
    return out


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting to the address the guard checked for a name.

    The URL, the Host header and TLS (SNI, certificate name) keep the name; only the TCP connect
    goes to the pinned address, so a second DNS answer can never send a request elsewhere.
    """

    def __init__(self, guard: HostGuard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            address = await self.guard.address(host)
        except OffSite as exc:
            raise httpcore.ConnectError(str(exc)) from None
        return _Stream(await self.inner.connect_tcp(address, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are never used by the crawler")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class _Stream(httpcore.AsyncNetworkStream):
    """A connection's stream that answers httpcore's "is it readable?" (asked before every request
    on a kept-alive connection) by polling its socket: anyio's attribute lookup, which httpcore uses,
    makes a ``getpeername`` system call each time (~9% of a 2,000-agency crawl's event loop)."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self.inner = inner
        self._socket = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self.inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and isinstance(self._socket, socket.socket | TransportSocket):
            fd = self._socket.fileno()
            if fd == -1:  # closed: as httpcore says, a connection to drop
                return True
            poll = select.poll()
            poll.register(fd, select.POLLIN)
            return bool(poll.poll(0))
        return self.inner.get_extra_info(info)


def pinned_transport(
    guard: HostGuard,
    *,
    verify: ssl.SSLContext,
    limits: httpx.Limits,
    inner: httpcore.AsyncNetworkBackend | None = None,
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections go through :class:`PinnedBackend`."""
    transport = httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False)
    # httpx builds its httpcore pool without a way to pass a network backend: set it on the pool
    # (tests/scraper/test_guard.py fails if a new httpx ever moves it)
    pool = transport._pool
    assert isinstance(pool, httpcore.AsyncConnectionPool)
    pool._network_backend = PinnedBackend(guard, inner)
    return transport
