"""A small HTTP/1.1 server on 127.0.0.1 for the imitation sites: one port per site (each its own host).

Runs in a background thread with its own event loop, so tests, ``govreports demo`` and the
benchmark can crawl it like the internet: latency per response, keep-alive, gzip, conditional
requests, and the transport faults a response may ask for (``Response.fault``: a reset, a timeout, a
truncated body) — the tests queue them per path (``tests/support/faults.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from .site import Request, Response, Site


@dataclass(frozen=True, slots=True)
class Hit:
    """One request as the farm saw it: when it arrived and left (``time.monotonic``, comparable across
    processes on one machine) and how many requests to its site were in flight when it arrived (itself
    included)."""

    site: str
    target: str
    status: int
    start: float
    end: float
    in_flight: int


@dataclass
class Farm:
    """Sites served on 127.0.0.1; ``with Farm(sites) as farm: farm.url(site, "/")``.

    With ``watch`` every request is kept in :attr:`hits` (arrival, departure, requests in flight to its
    site), so a test can check politeness where it shows: at the server, whoever sent the requests.
    """

    sites: list[Site]
    latency: float = 0.0
    ports: dict[str, int] = field(default_factory=dict)
    watch: bool = False
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="imitation-sites")
        self._servers: list[asyncio.base_events.Server] = []
        self._connections: set[asyncio.Task] = set()  # one per open connection, cancelled at stop
        self._in_flight: dict[str, int] = {}  # requests being answered, per site

    def url(self, site: Site | str, path: str = "/") -> str:
        name = site if isinstance(site, str) else site.name
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def __enter__(self) -> Farm:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _start(self) -> None:
        for site in self.sites:
            try:
                server = await asyncio.start_server(
                    functools.partial(self._serve, site), "127.0.0.1", site.port or 0, backlog=512
                )
            except OSError:  # the wished-for port is taken: any free one will do
                server = await asyncio.start_server(functools.partial(self._serve, site), "127.0.0.1", 0, backlog=512)
            self._servers.append(server)
            self.ports[site.name] = server.sockets[0].getsockname()[1]

    async def _stop(self) -> None:
        for server in self._servers:
            server.close()
        # connections a client keeps alive would outlive the loop ("Task was destroyed but it is pending")
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        for server in self._servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 2)

    async def _serve(self, site: Site, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)
        try:
            while True:
                line = await reader.readline()
                if not line.strip():
                    return
                method, target, _ = line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (h := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    k, _, v = h.decode("latin-1").partition(":")
                    headers[k.strip().lower()] = v.strip()
                body = b""
                if n := int(headers.get("content-length") or 0):
                    body = await reader.readexactly(n)
                parts = urlsplit(target)
                form = dict(parse_qsl(body.decode("utf-8", "replace"))) if body else {}
                req = Request(method, parts.path or "/", dict(parse_qsl(parts.query)), headers, form, target)
                start, status = time.monotonic(), 0
                self._in_flight[site.name] = in_flight = self._in_flight.get(site.name, 0) + 1
                try:
                    if self.latency:
                        await asyncio.sleep(self.latency)
                    response = site.respond(req)
                    if response.fault == "reset":
                        writer.transport.abort()
                        return
                    if response.fault == "timeout":
                        await asyncio.sleep(response.hold)
                        writer.transport.abort()
                        return
                    await self._write(writer, req, response)
                    status = response.status if response.fault is None else 0
                finally:
                    self._in_flight[site.name] -= 1
                    if self.watch:
                        self.hits.append(Hit(site.name, target, status, start, time.monotonic(), in_flight))
                if response.fault == "truncate" or headers.get("connection", "").lower() == "close":
                    writer.close()
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    async def _write(writer: asyncio.StreamWriter, req: Request, r: Response) -> None:
        body = r.body
        headers = dict(r.headers)
        if r.content_type:
            headers["Content-Type"] = r.content_type
        if (
            len(body) > 512
            and "gzip" in req.headers.get("accept-encoding", "")
            and r.status == 200
            and r.fault != "truncate"
            and "Content-Encoding" not in headers  # a body the site encoded itself goes as it is
        ):
            body = gzip.compress(body, 5, mtime=0)
            headers["Content-Encoding"] = "gzip"
        length = len(body)
        if r.fault == "truncate":
            body = body[: len(body) // 2]
        headers["Content-Length"] = str(length)
        head = (
            f"HTTP/1.1 {r.status} {_REASONS.get(r.status, 'Status')}\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            + "\r\n"
        )
        writer.write(head.encode("latin-1") + (b"" if req.method == "HEAD" or r.status == 304 else body))
        await writer.drain()


_REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    404: "Not Found",
    412: "Precondition Failed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    521: "Web Server Is Down",
}
