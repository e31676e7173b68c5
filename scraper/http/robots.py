"""robots.txt, obeyed through protego. Reads ``ROBOTS_*``.

Fetched once per host and run. As RFC 9309 says: a 4xx robots.txt allows everything; one that
cannot be reached (5xx, network failure after retries) disallows everything for this run.
A Crawl-delay slows the host down in the throttle, never speeds it up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

from govreports.settings import Settings

from ..errors import Blocked, FetchError, HostGivenUp, HTTPStatusError, RobotsUnavailable
from .guard import host_of

RobotsGet = Callable[[str], Awaitable[bytes]]


class Robots:
    def __init__(self, settings: Settings, user_agent: str) -> None:
        self.enabled: bool = settings["ROBOTS_ENABLED"]
        self.agent = user_agent.split("/")[0]
        self._rules: dict[str, Protego | str] = {}  # host -> rules, or why robots.txt could not be read
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str, get: RobotsGet) -> tuple[bool, float | None]:
        """(may we fetch ``url``, the host's Crawl-delay if any).

        Raises :class:`RobotsUnavailable` when the host's robots.txt could not be read this run.
        """
        if not self.enabled:
            return True, None
        host = host_of(url)
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            if host not in self._rules:
                self._rules[host] = await self._load(url, get)
        rules = self._rules[host]
        if isinstance(rules, str):
            raise RobotsUnavailable(f"{url}: robots.txt could not be read ({rules}): the host is not fetched this run")
        return rules.can_fetch(url, self.agent), rules.crawl_delay(self.agent)

    @staticmethod
    async def _load(url: str, get: RobotsGet) -> Protego | str:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            body = await get(robots_url)
        except (Blocked, HostGivenUp):
            raise  # a wall (or a dead host) in front of robots.txt is one in front of the site
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500:
                return Protego.parse("")
            return f"HTTP {exc.status}"
        except FetchError as exc:
            return str(exc).removeprefix(robots_url + ": ")
        return Protego.parse(body.decode("utf-8", "replace"))
