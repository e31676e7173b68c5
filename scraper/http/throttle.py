"""Politeness: requests in flight per host and across hosts, and a delay between starts per host.

Reads ``THROTTLE_*`` (and ``CONCURRENCY_GLOBAL``, which applies even with the throttle off).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from govreports.settings import Settings


class Throttle:
    """``async with throttle.slot(host):`` waits for a host slot, its turn, then a global slot;
    :meth:`sent` says when the request actually went out."""

    def __init__(self, settings: Settings) -> None:
        cfg = settings.prefix("THROTTLE")
        self.enabled: bool = cfg["ENABLED"]
        self.delay: float = float(cfg["DELAY"]) if self.enabled else 0.0
        self.per_host: int = int(cfg["PER_HOST"])
        self._global = asyncio.Semaphore(int(settings["CONCURRENCY_GLOBAL"]))
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def set_host_delay(self, host: str, delay: float) -> None:
        """A longer delay for one host (robots.txt Crawl-delay), never shorter than the setting."""
        if self.enabled:
            self._delays[host] = max(self.delay, min(delay, 60.0))

    def host_delay(self, host: str) -> float:
        return self._delays.get(host, self.delay)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        if not self.enabled:
            async with self._global:
                yield
            return
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.per_host)
        async with sem:
            # the host's turn: checked again after each sleep, since a request that went out late
            # (a connection to open, a global slot to wait for) moves the turn on (see :meth:`sent`)
            while (wait := self._next.get(host, 0.0) - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            self._next[host] = time.monotonic() + self.host_delay(host)
            async with self._global:
                yield

    def sent(self, host: str) -> None:
        """The request's head is going out now: the next start to ``host`` is a delay from here.

        The delay counts from the moment the server can see a request, not from the slot: a request
        that had to open a connection first reaches the server late, and the next one, on time,
        would otherwise arrive less than a delay after it."""
        if self.enabled:
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + self.host_delay(host))
