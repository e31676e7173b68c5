"""The parser's limits (``PARSE_*`` settings): read once per document, each breach one clear issue.

Readers count what they read (tables, cells, pages, nesting, decompressed bytes) as they read it and
stop at the first limit passed, so a hostile document costs bounded time and memory and gives one
``too_large`` or ``too_deep`` issue naming the setting that would let it through.
"""

from __future__ import annotations

from govreports import settings

from .errors import TooDeep, TooLarge


def limit(name: str) -> int:
    """The ``PARSE_<name>`` setting as the process sees it now (environment over default)."""
    return int(settings.get(f"PARSE_{name}"))


def size(n: int) -> str:
    """Bytes for a message: ``50.0 MiB`` or ``213 bytes``."""
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n:,} bytes"


def check_count(count: int, name: str, what: str) -> None:
    """Raise :class:`TooLarge` when ``count`` of ``what`` passes ``PARSE_<name>``."""
    cap = limit(name)
    if count > cap:
        raise TooLarge(f"document has more than {cap:,} {what}, the limit (PARSE_{name})")


def check_depth(depth: int, what: str = "elements") -> None:
    """Raise :class:`TooDeep` when nesting passes ``PARSE_MAX_DEPTH``."""
    cap = limit("MAX_DEPTH")
    if depth > cap:
        raise TooDeep(f"{what} nested more than {cap:,} deep, the limit (PARSE_MAX_DEPTH)")


class Inflated:
    """Counts bytes decompressed from one document against ``PARSE_MAX_INFLATED_BYTES``.

    Sizes declared in headers (zip entries, OLE directories) are never trusted: callers add what
    they actually got, chunk by chunk, and the count raises as soon as it passes the limit.
    """

    __slots__ = ("cap", "total")

    def __init__(self) -> None:
        self.cap = limit("MAX_INFLATED_BYTES")
        self.total = 0

    def add(self, n: int) -> None:
        self.total += n
        if self.total > self.cap:
            raise TooLarge(f"document decompresses to more than {size(self.cap)}, the limit (PARSE_MAX_INFLATED_BYTES)")

    @property
    def left(self) -> int:
        """Bytes that may still be read (one more than that proves the limit is passed)."""
        return max(0, self.cap - self.total) + 1
