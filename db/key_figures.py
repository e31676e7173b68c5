"""A small comparison across agencies and years, for ``govreports demo`` and the nightly summary (``govreports.pipeline``).

Reads the ``applications_by_year`` view (current report versions only), so it shows what analysts
would get from SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

COLUMNS = (
    "new_received_total",
    "carried_over_total",
    "granted_total",
    "total_processed_total",
    "carried_forward_total",
)


@dataclass(slots=True)
class KeyFigures:
    agency: str
    year: int
    template: str
    new_received: float | None
    carried_over: float | None
    granted: float | None
    total_processed: float | None
    carried_forward: float | None


def key_figures(engine: Engine) -> list[KeyFigures]:
    """Applications received, carried over, granted, processed and carried forward, per agency and year."""
    sql = text(f"SELECT agency, year, template, {', '.join(COLUMNS)} FROM applications_by_year ORDER BY agency, year")
    with engine.connect() as conn:
        return [KeyFigures(*row) for row in conn.execute(sql)]
