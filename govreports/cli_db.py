"""`govreports` commands of the db side; they register on the group defined in cli.py.

Each command makes one library call (``govreports.api``) and prints its result; no SQL here.
Errors the user can act on (bad URL, server down, unknown view) are one line and exit status 1;
``load`` exits 3 when it went on past sources that failed (each recorded, see ``govreports failures``).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from .cli import CLIError, cli

DB_OPTION = click.option(
    "--db",
    "db",
    envvar="GOVREPORTS_DB",
    default=None,
    metavar="URL",
    help="sqlite:///file.db or postgresql://user@host/db  [default: $GOVREPORTS_DB, else sqlite:///govreports.db]",
)
FILTERS = [
    click.option("--agency", help="An agency's name as printed or any alias; else a fragment of the name."),
    click.option("--region", help="GB/T 2260 code; 330400 selects every region code starting 3304."),
    click.option("--year", type=int, help="The year the reports cover."),
]


def _filters(f):
    for option in reversed(FILTERS):
        f = option(f)
    return f


def _db_errors():
    """The exceptions of the db side that become a one-line error."""
    from govreports.db.errors import DatabaseError
    from govreports.scraper.errors import FetchError

    return (DatabaseError, FetchError)


class SourcesFailed(CLIError):
    """Some sources could not be loaded (each recorded in ``load_failures``): exit status 3."""

    exit_code = 3


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@DB_OPTION
@click.option(
    "--agencies",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Agency registry CSV (name,region_code,level,parent,site_url).",
)
@click.option("--strict", is_flag=True, help="Stop at the first source that fails; later sources are not tried.")
def load(targets: tuple[str, ...], db: str | None, agencies: Path | None, strict: bool) -> None:
    """Parse documents (files, directories, URLs) and load them into the database.

    Loading is idempotent: the same file again changes nothing. A re-published report becomes a new
    version and the old one is kept. Prints one line per document loaded (status, agency, year,
    source) and, on stderr, one per source that could not be fetched, read, parsed or stored; those
    are recorded (`govreports failures`) and retried when loaded again. Exit status: 0 when every
    source loaded, 3 when some failed, 1 on an error that stops the load (database, arguments).
    """
    import os

    from . import api

    missing = [t for t in targets if not api.is_url(t) and not os.path.lexists(t)]
    if missing:
        raise CLIError(f"no such file: {missing[0]}")
    counts: Counter[str] = Counter()
    try:
        for r in api.iter_load(targets, db=db, agencies=agencies, stop_on_failure=strict):
            counts[r.status] += 1
            if r.status == "failed":
                click.echo(
                    f"could not {r.stage or 'load'} {r.source}: {r.reason} (recorded; run again to retry)", err=True
                )
                continue
            what = f"{r.agency or '?'} {r.year or '?'}" + (f" v{r.version}" if r.version else "")
            click.echo(
                f"{r.status:<9} {what}  {r.source}" + (f"  ({r.reason})" if r.reason and r.status == "revised" else "")
            )
    except _db_errors() as exc:
        raise CLIError(str(exc)) from exc
    total = sum(counts.values())
    if not total:
        raise CLIError("no documents found in " + " ".join(targets))
    click.echo(
        f"{total} sources: " + ", ".join(f"{counts[s]} {s}" for s in ("new", "revised", "unchanged", "failed")),
        err=True,
    )
    if counts["failed"]:
        raise SourcesFailed(
            f"{counts['failed']} of {total} sources failed"
            + (", stopped at the first (--strict)" if strict else "")
            + "; see `govreports failures`"
        )


@cli.command()
@click.option("--all", "include_resolved", is_flag=True, help="Resolved failures too, not only open ones.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="json: one JSON object a line.",
)
@DB_OPTION
def failures(include_resolved: bool, fmt: str, db: str | None) -> None:
    """List sources that could not be loaded (fetch, read, parse or store) and have not loaded since."""
    from . import api

    try:
        frame = api.failures(include_resolved=include_resolved, db=db)
    except _db_errors() as exc:
        raise CLIError(str(exc)) from exc
    if fmt == "json":
        import json

        for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
            click.echo(
                json.dumps(
                    {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}, ensure_ascii=False
                )
            )
        return
    if fmt == "table":
        cols = ["source", "stage", "attempts", "last_failed_at", "error"] + (
            ["resolved_at"] if include_resolved else []
        )
        frame = frame[cols].assign(
            last_failed_at=frame["last_failed_at"].dt.strftime("%Y-%m-%d %H:%M"), error=frame["error"].str.slice(0, 80)
        )
        if include_resolved:
            frame["resolved_at"] = frame["resolved_at"].dt.strftime("%Y-%m-%d %H:%M").fillna("open")
    _print(frame, fmt)


VIEW_CHOICES = ["facts", "applications", "active", "review_litigation", "rates", "findings"]


@cli.command()
@_filters
@click.option(
    "--view",
    type=click.Choice(VIEW_CHOICES),
    default="rates",
    show_default=True,
    help="facts: one fact a row; applications/active/review_litigation: one report a row; rates; findings.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@DB_OPTION
def query(agency: str | None, region: str | None, year: int | None, view: str, fmt: str, db: str | None) -> None:
    """Print current reports' data, filtered by agency, region and year."""
    from . import api

    calls = {
        "facts": lambda: api.facts(agency, region, year, db=db),
        "rates": lambda: api.rates(agency, region, year, db=db),
        "findings": lambda: api.findings(agency, year, db=db),
    }
    call = calls.get(view) or (lambda: api.wide(view, agency, region, year, db=db))
    try:
        frame = call()
    except _db_errors() as exc:
        raise CLIError(str(exc)) from exc
    _print(frame, fmt)


@cli.command()
@click.option("--agency", help="One agency over the years (name as printed, or an alias).")
@click.option("--region", help="With --year: every agency of this GB/T 2260 region.")
@click.option("--year", type=int, help="With --region (or alone): all agencies in that year.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@DB_OPTION
def compare(agency: str | None, region: str | None, year: int | None, fmt: str, db: str | None) -> None:
    """The common questions: one agency over years (--agency), or all agencies of a region in a year (--year)."""
    from . import api

    if bool(agency) == bool(year):
        raise CLIError("give either --agency (one agency over the years) or --year [--region] (agencies side by side)")
    try:
        frame = api.trend(agency, db=db) if agency else api.compare(year, region=region, db=db)
    except _db_errors() as exc:
        raise CLIError(str(exc)) from exc
    _print(frame, fmt)


@cli.command()
@click.argument("view", required=False)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
@click.option("--sqlite", "to_sqlite", is_flag=True, help="Copy the whole database (e.g. PostgreSQL) to a SQLite file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@_filters
@DB_OPTION
def export(
    view: str | None,
    fmt: str,
    to_sqlite: bool,
    output: Path,
    agency: str | None,
    region: str | None,
    year: int | None,
    db: str | None,
) -> None:
    """Write a view (report_facts, applications_by_year, active_by_year, review_litigation_by_year,
    report_rates, coverage) to CSV or Parquet; or, with --sqlite, the whole database to a SQLite file
    (tables, views, crawl state), which is how a PostgreSQL database is served and published."""
    from . import api

    if to_sqlite == bool(view):
        raise CLIError("give a VIEW to export, or --sqlite (without a view) to copy the whole database")
    if to_sqlite and (agency or region or year):
        raise CLIError("--sqlite copies the whole database: --agency, --region and --year do not apply")
    try:
        if to_sqlite:
            counts = api.export_sqlite(output, db=db)
            click.echo(f"{sum(counts.values())} rows in {len(counts)} tables → {output}", err=True)
            return
        n = api.export(view, output, fmt, agency=agency, region=region, year=year, db=db)
    except _db_errors() as exc:
        raise CLIError(str(exc)) from exc
    click.echo(f"{n} rows → {output}", err=True)


@cli.command()
@DB_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 if any X1 violation (an error) is found.")
def check(db: str | None, strict: bool) -> None:
    """Run the cross-year rules X1 (carried over = carried forward) and X2 (documents in force) over the database."""
    from . import api

    try:
        frame = api.check(db=db)
    except _db_errors() as exc:
        raise CLIError(str(exc)) from exc
    for row in frame.itertuples():
        click.echo(f"{row.severity:<7} {row.rule} {row.agency} {row.year}: {row.message}")
    errors = int((frame["severity"] == "error").sum()) if len(frame) else 0
    click.echo(f"{len(frame)} cross-year findings ({errors} errors, {len(frame) - errors} warnings)", err=True)
    if strict and errors:
        raise CLIError(f"{errors} cross-year errors (--strict)")


def _print(frame, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
        return
    if frame.empty:
        click.echo("(no rows)")
        return
    import pandas as pd

    with pd.option_context("display.max_rows", 500, "display.max_columns", 60, "display.width", 200):
        click.echo(frame.to_string(index=False))
