"""Damaged copies of documents, the way downloads and uploads break files."""

from __future__ import annotations

import random


def damage(data: bytes, rng: random.Random) -> bytes:
    """A damaged copy, the way downloads and uploads break files: truncated, a stretch cut out or
    repeated, or twenty bytes flipped (for tests and the parser's equivalence corpus)."""
    d = bytearray(data)
    kind = rng.choice(["truncate", "cut", "flip", "repeat"])
    if kind == "truncate":
        return bytes(d[: rng.randrange(len(d) + 1)])
    if kind == "cut":
        a = rng.randrange(len(d) + 1)
        return bytes(d[:a] + d[a + rng.randrange(1, 2000) :])
    if kind == "repeat":
        a = rng.randrange(len(d) + 1)
        b = min(len(d), a + rng.randrange(1, 3000))
        return bytes(d[:b] + d[a:b] + d[b:])
    for _ in range(20):
        if d:
            d[rng.randrange(len(d))] = rng.randrange(256)
    return bytes(d)
