"""The one HTTP client of the crawler: guard → robots → throttle → retry → size-capped GET/POST.

Redirects are followed here, hop by hop, so that every hop passes the host guard and robots.txt
and a loop is caught. Reads ``HTTP_*``; the other concerns read their own prefixes.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

import httpx

from govreports.settings import Settings

from ..errors import Blocked, FetchError, HTTPStatusError, RetryableStatus, RobotsDenied
from .cache import ConditionalCache, Validators
from .guard import HostGuard, host_of
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

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class Fetcher:
    """``await fetcher.get(url, hosts=…, prior=…)``; one per crawl, closed with ``aclose()``."""

    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        cfg = settings.prefix("HTTP")
        self.max_bytes = int(cfg["MAX_BYTES"])
        self.max_redirects = int(cfg["MAX_REDIRECTS"])
        self.user_agent: str = cfg["USER_AGENT"]
        self.guard = HostGuard(settings)
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
            client = self._clients[host] = httpx.AsyncClient(
                timeout=self._timeout,
                follow_redirects=False,
                limits=limits,
                transport=self._transport,
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
            fetched = await self.retry.call(lambda: self._once(m, target, headers, d))  # noqa: B023 - awaited here
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
        host = host_of(url)
        client = self._client(host)  # made before the slot: its setup must not delay a request already timed
        async with (
            self.throttle.slot(host),
            client.stream(method, url, headers=headers, data=data) as response,
        ):
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
        )

    async def _read(self, response: httpx.Response, url: str) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"{url}: response of {int(declared)} bytes is over the {self.max_bytes} byte cap")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{url}: response over the {self.max_bytes} byte cap")
            chunks.append(chunk)
        return b"".join(chunks)
