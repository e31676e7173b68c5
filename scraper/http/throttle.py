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
    """``async with throttle.slot(host):`` waits for a host slot, its turn, then a global slot."""

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
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self.host_delay(host)
            if start > now:
                await asyncio.sleep(start - now)
            async with self._global:
                yield
