"""The comparison printed after ``govreports demo``: key figures per agency and year, with X1 marked."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table


def _n(v: float | None) -> str:
    return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def print_comparison(engine, out=None) -> None:
    """Applications per agency and year; ``≠`` marks a carried-over count that breaks rule X1."""
    from govreports.db.key_figures import key_figures

    rows = key_figures(engine)
    table = Table(title="applications across agencies and years (current reports)", title_justify="left")
    for col in ("agency", "year", "template", "new", "carried over", "granted", "processed", "carried forward"):
        table.add_column(col, justify="left" if col in ("agency", "template") else "right")
    previous: dict[str, tuple[int, float | None]] = {}
    for r in rows:
        carried = _n(r.carried_over)
        last = previous.get(r.agency)
        if (
            last
            and last[0] == r.year - 1
            and last[1] is not None
            and r.carried_over is not None
            and last[1] != r.carried_over
        ):
            carried += " ≠"
        table.add_row(
            r.agency,
            str(r.year),
            r.template,
            _n(r.new_received),
            carried,
            _n(r.granted),
            _n(r.total_processed),
            _n(r.carried_forward),
        )
        previous[r.agency] = (r.year, r.carried_forward)
    Console(file=out or sys.stdout, width=150).print(table)
