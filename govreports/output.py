"""Renderings of parsed reports: JSON Lines (the spec), CSV (one fact a row), a table for people."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

from govreports.parsers import TEMPLATE_DEFS, Report

CSV_COLUMNS = ["source", "agency", "year", "template", "table", "row", "column", "value", "raw", "inferred", "page"]


def write_json(reports: Iterable[Report], out: IO[str]) -> None:
    for report in reports:
        out.write(report.to_json() + "\n")


def write_csv(reports: Iterable[Report], out: IO[str], escape: bool | None = None) -> None:
    """One fact a row; text cells that a spreadsheet would take for a formula escaped (see
    :mod:`govreports.db.csvsafe`; ``escape`` else the ``CSV_ESCAPE`` setting)."""
    from govreports.db.csvsafe import enabled, escape_cell

    safe = escape_cell if enabled(escape) else (lambda v: v)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in reports:
        for f in r.facts:
            writer.writerow(
                [
                    safe(r.source),
                    safe(r.agency),
                    r.year,
                    r.template,
                    f.table,
                    f.row,
                    f.column,
                    "" if f.value is None else f.value,
                    safe(f.raw or ""),
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
