"""Retries with backoff through tenacity: timeouts, missed deadlines, resets, truncated bodies, 5xx and 429.

Reads ``RETRY_*``. A Retry-After header is honoured (seconds or an HTTP date) up to
``RETRY_AFTER_MAX``; a longer one gives up at once rather than hammer or stall. Other 4xx never retry.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_exponential

from govreports.settings import Settings

from ..errors import DeadlineExceeded, RetryableStatus

T = TypeVar("T")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 507, 508, 509, 520, 522, 523, 524})


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Retry:
    """Runs an attempt function again on transient failures, with exponential backoff."""

    def __init__(self, settings: Settings) -> None:
        cfg = settings.prefix("RETRY")
        self.attempts = int(cfg["TIMES"]) if cfg["ENABLED"] else 1
        self.after_max = float(cfg["AFTER_MAX"])
        self._backoff = wait_exponential(multiplier=float(cfg["BACKOFF_BASE"]), max=float(cfg["BACKOFF_MAX"]))

    def _retryable(self, exc: BaseException) -> bool:
        if isinstance(exc, RetryableStatus):
            return exc.retry_after is None or exc.retry_after <= self.after_max
        return isinstance(
            exc, DeadlineExceeded | httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus) and exc.retry_after is not None:
            return exc.retry_after
        return self._backoff(state)

    async def call(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """``await attempt()`` until it succeeds, fails for good, or the attempts run out (then re-raise)."""
        try:  # the common case, without building a retry controller per request
            return await attempt()
        except Exception as exc:
            if self.attempts <= 1 or not self._retryable(exc):
                raise
            failed = [exc]

        async def again() -> T:  # tenacity's first attempt is the one that just failed
            if failed:
                raise failed.pop()
            return await attempt()

        retrying = AsyncRetrying(
            retry=retry_if_exception(self._retryable),
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            reraise=True,
        )
        async for try_ in retrying:
            with try_:
                return await again()
        raise AssertionError("unreachable")  # pragma: no cover
