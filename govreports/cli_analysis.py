"""`govreports` commands for analysts: coverage (who published when), serve (Datasette), publish (a dataset).

They register on the group defined in cli.py; each makes one library call and prints its result.
"""

from __future__ import annotations

from pathlib import Path

import click

from .cli import CLIError, cli, write_out
from .cli_db import DB_OPTION, _db_errors
from .output import FRAME_FORMATS, write_frame

FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(FRAME_FORMATS),
    default="table",
    show_default=True,
    help="table: for reading; csv: empty cell = null; json: one JSON object a line.",
)
OUTPUT_OPTION = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here (atomically) instead."
)
TABLE_COLUMNS = ["agency", "region", "kind", "year", "deadline", "status", "published", "date_source", "days_late"]


@cli.command()
@click.option("--year", type=int, help="The year the reports cover (published the year after).")
@click.option("--region", help="GB/T 2260 code; 330400 selects every region code starting 3304.")
@click.option("--agency", help="One agency (name as printed, or an alias): its record over the years.")
@click.option(
    "--status",
    type=click.Choice(["on_time", "late", "published", "missing", "unknown", "not_due", "no_deadline"]),
    help="Only rows with this status.",
)
@FORMAT_OPTION
@OUTPUT_OPTION
@DB_OPTION
def coverage(
    year: int | None,
    region: str | None,
    agency: str | None,
    status: str | None,
    fmt: str,
    output: Path | None,
    db: str | None,
) -> None:
    """Who published their report for which year, and when: one row per agency and year.

    Deadlines of the 2019 regulation (第四十九条): departments by 31 January, governments by 31
    March of the next year. `missing` only where the site was crawled after the deadline and no
    report was found; a blocked or failing site is `unknown`. `date_source` says whether the date
    is the document's own or only when the crawl first saw the report.
    """
    from . import api

    try:
        frame = api.coverage(year=year, region=region, agency=agency, status=status, db=db)
    except _db_errors() as exc:
        raise CLIError(str(exc)) from exc
    if fmt == "table":
        extra = [c for c in ("versions", "unknown_reason", "errors") if frame[c].notna().any()]
        frame = frame[TABLE_COLUMNS + extra]
    write_out(output, lambda out: write_frame(frame, fmt, out))
    if not frame.empty:
        counts = frame["status"].value_counts()
        click.echo(", ".join(f"{n} {s}" for s, n in counts.items()), err=True)
