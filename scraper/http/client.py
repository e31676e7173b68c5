"""The one HTTP client of govreports: guard → robots → throttle → retry → size-capped GET/POST.

Redirects are followed here, hop by hop, so that every hop passes the host guard and robots.txt
and a loop is caught. Connections go to the address the guard checked (``guard.PinnedBackend``).
Every attempt has an overall deadline (``HTTP_DEADLINE``) besides the per-read timeout, and a host
that times out ``HTTP_HOST_TIMEOUTS`` times in a row is given up for the run (``given_up``).
Reads ``HTTP_*``; the other concerns read their own prefixes. :func:`fetch_one` is the synchronous
entry for a single URL (``govreports parse URL`` / ``load URL``).
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

import httpcore
import httpx

from govreports.settings import Settings

from ..errors import (
    Blocked,
    DeadlineExceeded,
    FetchError,
    HostGivenUp,
    HTTPStatusError,
    RetryableStatus,
    RobotsDenied,
)
from .body import Body
from .cache import ConditionalCache, Validators
from .disposition import disposition_filename
from .guard import HostGuard, Resolver, host_of, pinned_transport
from .retry import RETRY_STATUSES, Retry, retry_after_seconds
from .robots import Robots
from .throttle import Throttle
from .walls import detect_wall

REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(slots=True)
class Fetched:
    """One answer: the bytes (empty when ``not_modified``) and what the server said about them."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content: bytes
    content_type: str | None
    etag: str | None = None
    last_modified: str | None = None
    filename: str | None = None  # the server's name for the file (Content-Disposition)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class Fetcher:
    """``await fetcher.get(url, hosts=…, prior=…)``; one per crawl, closed with ``aclose()``."""

    def __init__(
        self,
        settings: Settings,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        resolver: Resolver | None = None,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        """``transport`` replaces the network altogether (tests); ``resolver`` and ``network`` replace
        name lookup and the socket layer under the pinned transport (tests of the guard)."""
        cfg = settings.prefix("HTTP")
        self.max_bytes = int(cfg["MAX_BYTES"])
        self.max_redirects = int(cfg["MAX_REDIRECTS"])
        self.user_agent: str = cfg["USER_AGENT"]
        self.deadline = float(cfg["DEADLINE"])
        self.host_timeouts = int(cfg["HOST_TIMEOUTS"])
        self.guard = HostGuard(settings, resolver)
        self._network = network
        self._timeouts: dict[str, int] = {}  # host -> timeouts in a row
        self.given_up: dict[str, str] = {}  # host -> the last timeout, for the run's record
        self.throttle = Throttle(settings)
        self.retry = Retry(settings)
        self.robots = Robots(settings, self.user_agent)
        self.cache = ConditionalCache(settings)
        self._timeout = httpx.Timeout(float(cfg["TIMEOUT"]))
        self._per_host = int(settings["THROTTLE_PER_HOST"]) + 1
        self._transport = transport
        # one small connection pool per host: httpcore's single pool slows down as its size grows
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._ssl = ssl.create_default_context()  # shared: building one costs ~40 ms
        self.requests = 0  # answers received, for summaries and the benchmark

    def _client(self, host: str) -> httpx.AsyncClient:
        client = self._clients.get(host)
        if client is None:
            limits = httpx.Limits(max_connections=self._per_host, max_keepalive_connections=self._per_host)
            transport = self._transport or pinned_transport(
                self.guard, verify=self._ssl, limits=limits, inner=self._network
            )
            client = self._clients[host] = httpx.AsyncClient(
                timeout=self._timeout,
                follow_redirects=False,
                limits=limits,
                transport=transport,
                verify=self._ssl,
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
                trust_env=False,
            )
        return client

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def get(
        self,
        url: str,
        *,
        hosts: frozenset[str] | None = None,
        prior: Validators | None = None,
        data: dict[str, str] | None = None,
    ) -> Fetched:
        """Fetch ``url`` (POST when ``data`` is given); raises a :class:`FetchError` subclass on failure."""
        return await self._fetch(url, hosts, prior, data, robots=True)

    async def _robots_get(self, url: str) -> bytes:
        return (await self._fetch(url, None, None, None, robots=False)).content

    async def _fetch(
        self,
        url: str,
        hosts: frozenset[str] | None,
        prior: Validators | None,
        data: dict[str, str] | None,
        robots: bool,
    ) -> Fetched:
        current = urldefrag(url)[0]
        seen = {current}
        method = "POST" if data is not None else "GET"
        headers = self.cache.headers(prior) if method == "GET" else {}
        for _ in range(self.max_redirects + 1):
            await self.guard.check(current, hosts)
            if robots:
                allowed, delay = await self.robots.allowed(current, self._robots_get)
                if delay:
                    self.throttle.set_host_delay(host_of(current), float(delay))
                if not allowed:
                    raise RobotsDenied(f"{current}: disallowed by robots.txt")
            target, m, d = current, method, data
            try:
                fetched = await self.retry.call(lambda: self._once(m, target, headers, d))  # noqa: B023 - awaited here
            except httpx.HTTPError as exc:  # timeouts, resets, refused connections: after the retries
                raise FetchError(f"{current}: {type(exc).__name__}: {exc or 'no answer'}") from exc
            if fetched.status not in REDIRECTS:
                fetched.url = url
                return fetched
            location = fetched.content.decode("latin-1")
            current = urldefrag(urljoin(current, location))[0]
            if current in seen:
                raise FetchError(f"{url}: redirect loop at {current}")
            seen.add(current)
            if fetched.status == 303 or (fetched.status in (301, 302) and method == "POST"):
                method, data = "GET", None
        raise FetchError(f"{url}: more than {self.max_redirects} redirects")

    async def _once(self, method: str, url: str, headers: dict[str, str], data: dict[str, str] | None) -> Fetched:
        """One attempt, within the deadline; timeouts are counted against the host."""
        host = host_of(url)
        if host in self.given_up:
            raise HostGivenUp(f"{url}: not asked, host given up for this run ({self.given_up[host]})")
        client = self._client(host)  # made before the slot: its setup must not delay a request already timed
        async with self.throttle.slot(host):
            try:
                async with asyncio.timeout(self.deadline):
                    fetched = await self._exchange(client, method, url, headers, data)
            except TimeoutError:
                why = f"{url}: no complete answer within the {self.deadline:g} s deadline"
                self._timed_out(host, why)
                raise DeadlineExceeded(why) from None
            except httpx.TimeoutException as exc:
                self._timed_out(host, f"{url}: {type(exc).__name__}")
                raise
        self._timeouts.pop(host, None)
        return fetched

    def _timed_out(self, host: str, why: str) -> None:
        """Count a timeout; the one that gives the host up raises :class:`HostGivenUp` instead."""
        count = self._timeouts[host] = self._timeouts.get(host, 0) + 1
        if count >= self.host_timeouts:
            self.given_up[host] = why
            raise HostGivenUp(f"{why}; host given up for this run after {count} timeouts in a row")

    async def _exchange(
        self, client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str], data: dict[str, str] | None
    ) -> Fetched:
        host = host_of(url)

        async def trace(event: str, info: dict) -> None:
            if event.endswith("send_request_headers.started"):  # http11. or http2.: on the wire now
                self.throttle.sent(host)

        async with client.stream(method, url, headers=headers, data=data, extensions={"trace": trace}) as response:
            self.requests += 1
            status = response.status_code
            if status in REDIRECTS and response.headers.get("location"):
                return Fetched(url, url, status, response.headers["location"].encode("latin-1", "replace"), None)
            if status == 304:
                return Fetched(
                    url,
                    url,
                    304,
                    b"",
                    response.headers.get("content-type"),
                    response.headers.get("etag"),
                    response.headers.get("last-modified"),
                )
            body = await self._read(response, url)
        if status >= 400 or status == 200:
            evidence = detect_wall(status, body)
            if evidence:
                raise Blocked(url, status, evidence)
        if status in RETRY_STATUSES:
            raise RetryableStatus(url, status, retry_after_seconds(response.headers.get("retry-after")))
        if status >= 300:
            raise HTTPStatusError(url, status)
        return Fetched(
            url,
            str(response.url),
            status,
            body,
            response.headers.get("content-type"),
            response.headers.get("etag"),
            response.headers.get("last-modified"),
            disposition_filename(response.headers.get_list("content-disposition", split_commas=False)),
        )

    async def _read(self, response: httpx.Response, url: str) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"{url}: response of {int(declared)} bytes is over the {self.max_bytes} byte cap")
        body = Body(url, response.headers.get("content-encoding"), self.max_bytes)
        async for chunk in response.aiter_raw():
            body.feed(chunk)
        return body.finish()
