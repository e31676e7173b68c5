"""`govreports` commands for analysts: coverage (who published when), serve (Datasette), publish (a dataset).

They register on the group defined in cli.py; each makes one library call and prints its result.
"""

from __future__ import annotations

from pathlib import Path

import click

from .cli import cli
from .cli_db import DB_OPTION
from .errors import CommandError
from .output import destination, output_options, write_frame

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
@output_options(what="one agency and year a line")
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

    frame = api.coverage(year=year, region=region, agency=agency, status=status, db=db)
    if fmt == "table":  # the columns that say something, empty cells empty
        extra = [c for c in ("versions", "revised", "unknown_reason", "errors") if frame[c].notna().any()]
        frame = frame[TABLE_COLUMNS + extra].astype(object)
        frame = frame.where(frame.notna(), "")
    with destination(output) as out:
        write_frame(frame, fmt, out)
    if not frame.empty:
        counts = frame["status"].value_counts()
        click.echo(", ".join(f"{n} {s}" for s, n in counts.items()), err=True)


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("-p", "--port", type=int, default=8001, show_default=True, help="Port to listen on.")
@click.option(
    "--copy",
    "copy_to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("govreports-serve.sqlite"),
    show_default=True,
    help="Where the SQLite copy of a PostgreSQL database goes.",
)
def serve(db: str | None, host: str, port: int, copy_to: Path) -> None:
    """Browse the database in Datasette: described tables and views, canned queries, facets, agency pages.

    A SQLite database is served as it is. A PostgreSQL database is served through a SQLite copy
    (what `govreports export --sqlite` makes), written to --copy first: the copy does not follow
    later loads; run serve again to refresh it.
    """
    import uvicorn

    from .serve import make_datasette, prepare

    path, source = prepare(db, copy_to)
    if source:
        click.echo(f"serving a SQLite copy of {source}: {path}", err=True)
    datasette = make_datasette(path, source=source, immutable=source is not None)
    click.echo(f"Datasette on http://{host}:{port}/ (agency pages: /-/agency/<id>); Ctrl-C stops", err=True)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@DB_OPTION
def publish(directory: Path, db: str | None) -> None:
    """Write the dataset researchers download into DIRECTORY: Parquet files, one SQLite file,
    datapackage.json (Frictionless Data: schemas, Chinese labels, units) and a README with counts
    and checksums."""
    from .publish import publish as write

    try:
        result = write(directory, db=db)
    except OSError as exc:
        raise CommandError(f"cannot write {directory}: {exc.strerror or exc}") from exc
    click.echo(", ".join(f"{name} {n}" for name, n in result.rows.items()), err=True)
    click.echo(f"dataset → {result.directory} (datapackage.json, README.md)", err=True)
