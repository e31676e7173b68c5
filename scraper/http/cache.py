"""Conditional requests: ask with the ETag / Last-Modified the last run recorded; 304 means unchanged.

Reads ``CACHE_*``. What was recorded lives in the crawl state (``db``); this module only turns a
prior record into request headers.
"""

from __future__ import annotations

from dataclasses import dataclass

from govreports.settings import Settings


@dataclass(slots=True, frozen=True)
class Validators:
    """What a server said about a document last time."""

    etag: str | None = None
    last_modified: str | None = None


class ConditionalCache:
    def __init__(self, settings: Settings) -> None:
        self.enabled: bool = settings["CACHE_ENABLED"]

    def headers(self, prior: Validators | None) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` for a prior answer (nothing when disabled)."""
        if not self.enabled or prior is None:
            return {}
        out = {}
        if prior.etag:
            out["If-None-Match"] = prior.etag
        if prior.last_modified:
            out["If-Modified-Since"] = prior.last_modified
        return out
