"""A synchronous entry into the crawler's client, for single documents (``parse URL``, ``load URL``).

Not a second HTTP path: the same :class:`~.client.Fetcher` (host guard at every hop, robots.txt,
throttle, retries, deadline, size cap), run on an event loop of its own in a background thread so it
works from plain code and from inside a running loop (Jupyter) alike. One ``BlockingFetcher`` for a
whole command keeps robots.txt, the throttle and given-up hosts across its URLs.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

from govreports.settings import Settings

from .client import Fetched, Fetcher


class BlockingFetcher:
    """``with BlockingFetcher(settings) as f: f.get(url)``; raises what :meth:`Fetcher.get` raises."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="govreports-fetch")
        self._thread.start()
        self._fetcher = self._call(self._make())

    async def _make(self) -> Fetcher:
        return Fetcher(self.settings)

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def get(self, url: str) -> Fetched:
        """GET ``url`` through the crawler's client stack."""
        return self._call(self._fetcher.get(url))

    def close(self) -> None:
        if self._thread.is_alive():
            self._call(self._fetcher.aclose())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> BlockingFetcher:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def single_settings(allow_private: bool = False) -> Settings:
    """The settings of a single fetch: the environment's, with ``--allow-private`` on top."""
    base = Settings.from_env()
    return base.replace(HTTP_ALLOW_PRIVATE=True) if allow_private else base


def fetch_url(url: str, allow_private: bool = False) -> Fetched:
    """One URL through the crawler's client; raises :class:`~govreports.scraper.errors.FetchError`."""
    with BlockingFetcher(single_settings(allow_private)) as fetcher:
        return fetcher.get(url)
