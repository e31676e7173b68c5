"""The parse workers' pool, replaced when a worker dies, so one death fails one report, not the run.

A worker killed mid-batch (the out-of-memory killer, a crash in a C extension) breaks a
``ProcessPoolExecutor`` for good: every batch after it would fail with ``BrokenProcessPool``. Here
the broken pool is replaced by a new one, and the batch that was in it is run again report by
report, so the healthy reports load and only the one that kills a worker again fails, with a reason
that says so. Per-document limits (time, memory) are the sandbox's business; this is the net
under the worker itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger("govreports.nightly")

T = TypeVar("T")
R = TypeVar("R")

WORKER_DIED = "parse worker died while handling this report (killed, out of memory?); retried alone, it died again"


class WorkerPool:
    """``await pool.run(fn, batch, *args)`` in an executor made by ``make``; replaced when it breaks."""

    def __init__(self, make: Callable[[], Executor]) -> None:
        self._make = make
        self.executor: Executor = make()
        self.replaced = 0  # pools replaced in this run, for the summary

    async def run(
        self, fn: Callable[..., list[R]], batch: list[T], *args: object, failed: Callable[[str], R]
    ) -> list[R]:
        """``fn(batch, *args)`` in a worker; after a worker death, each item alone (``failed(reason)`` for
        an item whose worker dies again)."""
        executor = self.executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, batch, *args)
        except BrokenProcessPool:
            self._replace(executor)
        log.warning("a parse worker died: its batch of %d is run again report by report", len(batch))
        out: list[R] = []
        for item in batch:
            out += await self.run_alone(fn, item, *args, failed=failed)
        return out

    async def run_alone(
        self, fn: Callable[..., list[R]], item: T, *args: object, failed: Callable[[str], R]
    ) -> list[R]:
        """``fn([item], *args)``; if its worker dies too, the pool is replaced and the item failed."""
        executor = self.executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, [item], *args)
        except BrokenProcessPool:
            self._replace(executor)
            return [failed(WORKER_DIED)]

    def _replace(self, broken: Executor) -> None:
        """A new pool for the broken one (once, however many batches saw it break)."""
        if broken is not self.executor:
            return
        log.error("a parse worker died: the pool is replaced")
        broken.shutdown(wait=False, cancel_futures=True)
        self.executor = self._make()
        self.replaced += 1

    def shutdown(self) -> None:
        self.executor.shutdown(cancel_futures=True)
