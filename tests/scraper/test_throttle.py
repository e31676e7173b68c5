"""The delay between two requests to one host counts from when the first actually went out."""

from __future__ import annotations

import asyncio
import itertools
import time

from govreports.scraper.http.throttle import Throttle
from tests.support.crawling import settings


def test_the_next_turn_counts_from_when_the_request_went_out() -> None:
    throttle = Throttle(settings(THROTTLE_ENABLED=True, THROTTLE_DELAY=0.2, THROTTLE_PER_HOST=2))
    sent: list[float] = []

    async def request(late: float) -> None:
        async with throttle.slot("h"):
            await asyncio.sleep(late)  # a connection to open before the head can go out
            throttle.sent("h")
            sent.append(time.monotonic())

    async def main() -> None:
        await asyncio.gather(request(0.15), request(0.0), request(0.0))

    asyncio.run(main())
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert len(gaps) == 2 and min(gaps) >= 0.2  # not 0.2 − 0.15 after the late first one
