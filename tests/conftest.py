"""Shared test helpers: fixture paths and a compact view of a report's facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreports.parsers import Report

FIXTURES = Path(__file__).parent / "fixtures"


def values(report: Report, table: str | None = None) -> dict[tuple[str, str, str], object]:
    """{(table, row, column): value} of a report, optionally one table only."""
    return {(f.table, f.row, f.column): f.value for f in report.facts if table in (None, f.table)}


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
