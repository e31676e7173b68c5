"""The HTTP layer: one module per concern (throttle, retry, robots, conditional cache, host guard, walls).

Families never retry, throttle, cache or check robots.txt themselves: :class:`client.Fetcher` does.
"""

from .client import Fetched, Fetcher

__all__ = ["Fetched", "Fetcher"]
