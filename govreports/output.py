"""What commands print: parsed reports and query results as a table, CSV or JSON Lines.

One set of output options for every command that prints rows (:func:`output_options`: ``--format
table|csv|json`` and ``-o/--output FILE``), one way of opening the destination (:func:`destination`:
standard output, or a file replaced atomically), and the renderings: reports (JSON Lines per the
spec, CSV one fact a row, a table for people) and data frames (:func:`write_frame`).

Output to a pipe or a file never depends on a terminal's width.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from govreports.errors import CommandError
from govreports.parsers import TEMPLATE_DEFS, Report

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")
TABLE_WIDTH = 160  # columns of the table rendering, wherever it goes: output never follows a terminal

CSV_COLUMNS = ["source", "agency", "year", "template", "table", "row", "column", "value", "raw", "inferred", "page"]


def write_json(reports: Iterable[Report], out: IO[str]) -> None:
    write_lines((report.to_json() for report in reports), out)


def write_lines(lines: Iterable[str], out: IO[str]) -> None:
    """JSON Lines already written (``Report.to_json``), one a line."""
    for line in lines:
        out.write(line)
        out.write("\n")


def write_csv(reports: Iterable[Report], out: IO[str], escape: bool | None = None) -> None:
    """One fact a row; text cells that a spreadsheet would take for a formula escaped (see
    :mod:`govreports.db.csvsafe`; ``escape``, else the command's ``--[no-]csv-escape``, else ``CSV_ESCAPE``)."""
    from govreports.db.csvsafe import escape_cell

    safe = escape_cell if (escape if escape is not None else csv_escape_choice()) else (lambda v: v)
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

    console = Console(file=out, width=TABLE_WIDTH, soft_wrap=False)
    for r in reports:
        head = (
            f"[bold]{r.title or r.source}[/bold]\n{r.source}  template={r.template}  agency={r.agency}  "
            f"year={r.year}  published={r.published}"
        )
        console.print(head, soft_wrap=True)  # one line each, however long the path
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
                    f"  [{'red' if i.severity == 'error' else 'yellow'}]{i.severity} {i.rule}[/]: {i.message}",
                    soft_wrap=True,
                )
        else:
            console.print("  [green]all rule checks pass[/green]")
        console.print()


WRITERS = {"json": write_json, "csv": write_csv, "table": write_table}


CSV_ESCAPE_HELP = (
    "CSV: text cells starting with = + - @ (a formula to a spreadsheet) get a leading ' "
    "[default: on, setting CSV_ESCAPE]."
)
CSV_ESCAPE_OPTION = click.option("--csv-escape/--no-csv-escape", default=None, help=CSV_ESCAPE_HELP)


def _remember_csv_escape(ctx: click.Context, _param: click.Parameter, value: bool | None) -> bool | None:
    ctx.meta["govreports.csv_escape"] = value
    return value


def csv_escape_choice() -> bool:
    """Whether CSV written now escapes formula text: the command's ``--[no-]csv-escape``, else ``CSV_ESCAPE``."""
    from govreports.db.csvsafe import enabled

    ctx = click.get_current_context(silent=True)
    return enabled(None if ctx is None else ctx.meta.get("govreports.csv_escape"))


def output_options(default: str = "table", formats: tuple[str, ...] = FORMATS, what: str = "rows") -> Callable:
    """``--format``, ``-o/--output`` and ``--[no-]csv-escape``, the same for every command that prints rows."""

    def decorate(f: Callable) -> Callable:
        if "csv" in formats:
            f = click.option(
                "--csv-escape/--no-csv-escape",
                default=None,
                expose_value=False,
                callback=_remember_csv_escape,
                help=CSV_ESCAPE_HELP,
            )(f)
        f = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write here (atomically: the file appears whole or not at all) instead of standard output.",
        )(f)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=default,
            show_default=True,
            help=f"table: {what} for reading; csv: one row a line with a header; json: JSON Lines, one object a line.",
        )(f)

    return decorate


@contextmanager
def destination(output: Path | None) -> Iterator[IO[str]]:
    """Standard output, or ``output`` written through a temporary file and renamed into place."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, output)
    finally:
        Path(tmp).unlink(missing_ok=True)  # gone already when the rename succeeded


def write_frame(frame: pd.DataFrame, fmt: str, out: IO[str]) -> None:
    """A query's result: ``table`` as aligned text, ``csv`` with a header, ``json`` one object a line."""
    if fmt == "csv":
        from govreports.db.csvsafe import escape_frame

        (escape_frame(frame) if csv_escape_choice() else frame).to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
            out.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
    elif frame.empty:
        out.write("(no rows)\n")
    else:
        out.write(frame.to_string(index=False) + "\n")  # every row and column, never wrapped


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: timestamps as ISO 8601, numpy numbers as Python numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value
