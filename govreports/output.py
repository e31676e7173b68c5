"""Renderings of parsed reports: JSON Lines (the spec), CSV (one fact a row), a table for people."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from govreports.parsers import TEMPLATE_DEFS, Report

if TYPE_CHECKING:
    import pandas as pd

CSV_COLUMNS = ["source", "agency", "year", "template", "table", "row", "column", "value", "raw", "inferred", "page"]


def write_json(reports: Iterable[Report], out: IO[str]) -> None:
    for report in reports:
        out.write(report.to_json() + "\n")


def write_csv(reports: Iterable[Report], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in reports:
        for f in r.facts:
            writer.writerow(
                [
                    r.source,
                    r.agency,
                    r.year,
                    r.template,
                    f.table,
                    f.row,
                    f.column,
                    "" if f.value is None else f.value,
                    f.raw or "",
                    int(f.inferred),
                    f.page or "",
                ]
            )


def write_table(reports: Iterable[Report], out: IO[str]) -> None:
    """A readable view: metadata, each table as printed, then the findings."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=160, soft_wrap=False)
    for r in reports:
        head = (
            f"[bold]{r.title or r.source}[/bold]\n{r.source}  template={r.template}  agency={r.agency}  "
            f"year={r.year}  published={r.published}"
        )
        console.print(head)
        definition = TEMPLATE_DEFS.get(r.template or "")
        if definition:
            values = {(f.table, f.row, f.column): f for f in r.facts}
            for table in definition.tables.values():
                columns: list[str] = []
                for row in table.rows:
                    columns += [c.key for c in row.columns if c.key not in columns]
                view = Table(title=table.key, title_justify="left", show_lines=False, pad_edge=False)
                view.add_column("row")
                for c in columns:
                    view.add_column(c, justify="right")
                for row in table.rows:
                    cells = []
                    for c in columns:
                        f = values.get((table.key, row.key, c))
                        if f is None:
                            cells.append("")
                        elif f.value is None:
                            cells.append("·")
                        else:
                            cells.append(f"{f.value}{'*' if f.inferred else ''}")
                    view.add_row(row.key, *cells)
                console.print(view)
            console.print("[dim]· empty cell   * placed by the rules (inferred)[/dim]")
        if r.issues:
            for i in r.issues:
                console.print(
                    f"  [{'red' if i.severity == 'error' else 'yellow'}]{i.severity} {i.rule}[/]: {i.message}"
                )
        else:
            console.print("  [green]all rule checks pass[/green]")
        console.print()


WRITERS = {"json": write_json, "csv": write_csv, "table": write_table}
FRAME_FORMATS = ("table", "csv", "json")


def write_frame(frame: pd.DataFrame, fmt: str, out: IO[str]) -> None:
    """A DataFrame as a plain table, CSV (empty = null), or JSON Lines (null for a missing value, ISO dates)."""
    if fmt == "csv":
        frame.to_csv(out, index=False, lineterminator="\n")
        return
    rows = frame.astype(object).where(frame.notna(), None)
    if fmt == "json":
        import json

        for row in rows.to_dict("records"):
            out.write(json.dumps(row, ensure_ascii=False, default=_iso) + "\n")
    elif frame.empty:
        out.write("(no rows)\n")
    else:
        out.write(rows.fillna("").to_string(index=False) + "\n")


def _iso(value: object) -> object:
    """Dates and times as ISO strings, numpy scalars as numbers (for ``json.dumps``)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
