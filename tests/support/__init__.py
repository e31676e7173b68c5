"""Helpers shared by the test packages: fixture paths and a compact view of a report's facts.

Test modules import helpers from here, never from each other.
"""

from __future__ import annotations

from pathlib import Path

from govreports.parsers import Report

FIXTURES = Path(__file__).parent.parent / "fixtures"
JIAXING = FIXTURES / "samples" / "jiaxing-eib-2022.txt"
MULTIYEAR = FIXTURES / "multiyear"
REGISTRY = MULTIYEAR / "agencies.toml"  # converted from agencies.csv by `govreports registry import`


def values(report: Report, table: str | None = None) -> dict[tuple[str, str, str], object]:
    """{(table, row, column): value} of a report, optionally one table only."""
    return {(f.table, f.row, f.column): f.value for f in report.facts if table in (None, f.table)}
