"""Damaged copies of every fixture (truncated, cut, bytes flipped): an issue at worst, never an exception."""

from __future__ import annotations

import random

import pytest

from parsers import parse_bytes

from .conftest import FIXTURES

DOCUMENTS = sorted(p for p in FIXTURES.glob("*/*.*") if p.suffix not in (".py", ".md"))


def _damage(data: bytes, rng: random.Random) -> bytes:
    d = bytearray(data)
    kind = rng.choice(["truncate", "cut", "flip", "repeat"])
    if kind == "truncate":
        return bytes(d[: rng.randrange(len(d) + 1)])
    if kind == "cut":
        a = rng.randrange(len(d) + 1)
        return bytes(d[:a] + d[a + rng.randrange(1, 2000):])
    if kind == "repeat":
        a = rng.randrange(len(d) + 1)
        b = min(len(d), a + rng.randrange(1, 3000))
        return bytes(d[:b] + d[a:b] + d[b:])
    for _ in range(20):
        if d:
            d[rng.randrange(len(d))] = rng.randrange(256)
    return bytes(d)


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_damaged_copies_never_raise(path) -> None:
    rng = random.Random(path.name)  # the same damage on every run
    data = path.read_bytes()
    for _ in range(6):
        report = parse_bytes(_damage(data, rng), path.name)
        assert report.template in (None, "2019", "2021", "legacy")
        assert report.template is not None or report.issues
