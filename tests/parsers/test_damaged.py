"""Damaged copies of every fixture (truncated, cut, bytes flipped): an issue at worst, never an exception."""

from __future__ import annotations

import random

import pytest

from govreports.parsers import parse_bytes
from govreports.testing import damage
from tests.support import FIXTURES

DOCUMENTS = sorted(p for p in FIXTURES.glob("*/*.*") if p.suffix not in (".py", ".md"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_damaged_copies_never_raise(path) -> None:
    rng = random.Random(path.name)  # the same damage on every run
    data = path.read_bytes()
    for _ in range(6):
        report = parse_bytes(damage(data, rng), path.name)
        assert report.template in (None, "2019", "2021", "legacy")
        assert report.template is not None or report.issues
