"""Gathers single requests from many coroutines into batches, so one call handles many (one transaction a batch)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Batcher(Generic[T, R]):
    """Gathers single requests from many coroutines into batches for one call that handles many.

    A batch goes when it holds ``size`` items or ``linger`` seconds after its first item, whichever
    comes first; each caller gets its own item's result (or the batch's exception).
    """

    def __init__(self, run: Callable[[list[T]], Awaitable[list[R]]], size: int, linger: float) -> None:
        self.run, self.size, self.linger = run, size, linger
        self._items: list[tuple[T, asyncio.Future[R]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task] = set()

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._items.append((item, future))
        if len(self._items) >= self.size:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.linger, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        items, self._items = self._items, []
        if items:
            task = asyncio.get_running_loop().create_task(self._go(items))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _go(self, items: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self.run([item for item, _ in items])
        except BaseException as exc:
            for _, future in items:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, future), result in zip(items, results, strict=True):
            if not future.done():
                future.set_result(result)
