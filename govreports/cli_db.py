"""`govreports` commands of the db side; they register on the group defined in cli.py.

Each command makes one library call (``govreports.api``) and prints its result; no SQL here.
Errors the user can act on (bad URL, server down, unknown view) are ``DatabaseError`` and the like,
one line at the CLI's edge with exit status 1; ``load`` exits 3 when it went on past sources that
failed (each recorded, see ``govreports failures``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from .cli import ALLOW_PRIVATE_OPTION, CLIError, cli
from .errors import PartialFailure, StrictFailure
from .output import CSV_ESCAPE_OPTION, destination, output_options, write_frame

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


class SourcesFailed(PartialFailure):
    """Some sources could not be loaded (each recorded in ``load_failures``): exit status 3."""


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@DB_OPTION
@click.option(
    "--agencies",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Agency registry (TOML, as registry/agencies.toml) whose names, regions and levels the reports are matched to.",
)
@click.option(
    "--fail-fast", is_flag=True, help="Stop at the first source that fails; later sources are not tried (exit 3)."
)
@click.option("--strict", is_flag=True, help="Exit 1, not 3, when any source failed (all are still tried).")
@output_options(what="one line per source as it is loaded (failures on stderr)")
@ALLOW_PRIVATE_OPTION
def load(
    targets: tuple[str, ...],
    db: str | None,
    agencies: Path | None,
    fail_fast: bool,
    strict: bool,
    fmt: str,
    output: Path | None,
    allow_private: bool,
) -> None:
    """Parse documents (files, directories, URLs) and load them into the database.

    Loading is idempotent: the same file again changes nothing. A re-published report becomes a new
    version and the old one is kept. Prints one line per document loaded (status, agency, year,
    source) and, on stderr, one per source that could not be fetched, read, parsed or stored; those
    are recorded (`govreports failures`) and retried when loaded again. With --format csv or json,
    one row per source, failed ones included (status, stage, agency, year, version, source,
    reason), written when the load is done. Exit status: 0 when every
    source loaded, 3 when some failed (1 with --strict), 1 on an error that stops the load
    (database, arguments).
    """
    import os

    from . import api

    missing = [t for t in targets if not api.is_url(t) and not os.path.lexists(t)]
    if missing:
        raise CLIError(f"no such file: {missing[0]}")
    counts: Counter[str] = Counter()
    rows: list[list] = []
    with destination(output) as out:
        for r in api.iter_load(
            targets, db=db, agencies=agencies, stop_on_failure=fail_fast, allow_private=allow_private
        ):
            counts[r.status] += 1
            if r.status == "failed":
                click.echo(
                    f"could not {r.stage or 'load'} {r.source}: {r.reason} (recorded; run again to retry)", err=True
                )
            if fmt != "table":
                rows.append([getattr(r, c) for c in LOAD_COLUMNS])
            elif r.status != "failed":
                out.write(_load_line(r) + "\n")
                out.flush()  # a line as each batch is committed, also into a pipe
        if rows:
            import pandas as pd

            write_frame(
                pd.DataFrame(rows, columns=LOAD_COLUMNS).astype({"year": "Int64", "version": "Int64"}), fmt, out
            )
    total = sum(counts.values())
    if not total:
        raise CLIError("no documents found in " + " ".join(targets))
    click.echo(
        f"{total} sources: " + ", ".join(f"{counts[s]} {s}" for s in ("new", "revised", "unchanged", "failed")),
        err=True,
    )
    if counts["failed"]:
        message = (
            f"{counts['failed']} of {total} sources failed"
            + (", stopped at the first (--fail-fast)" if fail_fast else "")
            + "; see `govreports failures`"
        )
        raise StrictFailure(message + " (--strict)") if strict else SourcesFailed(message)


LOAD_COLUMNS = ["status", "stage", "agency", "year", "version", "source", "reason"]


def _load_line(r) -> str:
    """``new       嘉兴市经济和信息化局 2022 v1  path``: status, agency, year, version, source (why, if revised)."""
    what = f"{r.agency or '?'} {r.year or '?'}" + (f" v{r.version}" if r.version else "")
    return f"{r.status:<9} {what}  {r.source}" + (f"  ({r.reason})" if r.reason and r.status == "revised" else "")


@cli.command()
@DB_OPTION
@click.option(
    "--store",
    metavar="DIR|URL",
    help="The raw store to read from: a folder or an fsspec URL (s3://bucket/prefix, options from "
    "$GOVREPORTS_STORE_OPTIONS)  [default: $GOVREPORTS_STORE_DIR, else data/raw]",
)
def reparse(db: str | None, store: str | None) -> None:
    """Parse again the stored documents an older parser read, without fetching anything.

    What now reads differently becomes a new version of its report (the old one is kept); a document
    that failed before and reads now is loaded; one that still fails keeps today's reason. Prints one
    line per document whose result changed or could not be read back, and the totals. Exit status
    3 when some raw copies could not be read back.
    """
    from . import api

    results = api.reparse(db=db, store=store)
    counts = Counter(r.status for r in results)
    for r in results:
        if r.status in ("new", "revised"):
            click.echo(_load_line(r))
        elif r.status == "missing":
            click.echo(f"missing   {r.source}: {r.reason}", err=True)
    click.echo(
        f"{len(results)} documents re-parsed: "
        + ", ".join(f"{counts[s]} {s}" for s in ("new", "revised", "unchanged", "failed", "missing")),
        err=True,
    )
    if counts["missing"]:
        raise PartialFailure(f"{counts['missing']} raw copies could not be read back")


@cli.command()
@click.option("--all", "include_resolved", is_flag=True, help="Resolved failures too, not only open ones.")
@output_options(what="source, stage, attempts, last failure and error (cut to 80 characters)")
@DB_OPTION
def failures(include_resolved: bool, fmt: str, output: Path | None, db: str | None) -> None:
    """List sources that could not be loaded (fetch, read, parse or store) and have not loaded since."""
    from . import api

    frame = api.failures(include_resolved=include_resolved, db=db)
    if fmt == "table":
        cols = ["source", "stage", "attempts", "last_failed_at", "error"] + (
            ["resolved_at"] if include_resolved else []
        )
        frame = frame[cols].assign(
            last_failed_at=frame["last_failed_at"].dt.strftime("%Y-%m-%d %H:%M"), error=frame["error"].str.slice(0, 80)
        )
        if include_resolved:
            frame["resolved_at"] = frame["resolved_at"].dt.strftime("%Y-%m-%d %H:%M").fillna("open")
    with destination(output) as out:
        write_frame(frame, fmt, out)


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
@output_options()
@DB_OPTION
def query(
    agency: str | None, region: str | None, year: int | None, view: str, fmt: str, output: Path | None, db: str | None
) -> None:
    """Print current reports' data, filtered by agency, region and year."""
    from . import api

    calls = {
        "facts": lambda: api.facts(agency, region, year, db=db),
        "rates": lambda: api.rates(agency, region, year, db=db),
        "findings": lambda: api.findings(agency, year, db=db),
    }
    call = calls.get(view) or (lambda: api.wide(view, agency, region, year, db=db))
    frame = call()
    with destination(output) as out:
        write_frame(frame, fmt, out)


@cli.command()
@click.option("--agency", help="One agency over the years (name as printed, or an alias).")
@click.option("--region", help="With --year: every agency of this GB/T 2260 region.")
@click.option("--year", type=int, help="With --region (or alone): all agencies in that year.")
@output_options()
@DB_OPTION
def compare(
    agency: str | None, region: str | None, year: int | None, fmt: str, output: Path | None, db: str | None
) -> None:
    """The common questions: one agency over years (--agency), or all agencies of a region in a year (--year)."""
    from . import api

    if bool(agency) == bool(year):
        raise CLIError("give either --agency (one agency over the years) or --year [--region] (agencies side by side)")
    frame = api.trend(agency, db=db) if agency else api.compare(int(year or 0), region=region, db=db)
    with destination(output) as out:
        write_frame(frame, fmt, out)


@cli.command()
@click.argument("view", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="csv: one row a line with a header; parquet: typed columns for pandas, Arrow, DuckDB.",
)
@click.option(
    "--sqlite", "to_sqlite", is_flag=True, help="Copy the whole database (e.g. PostgreSQL) to a SQLite file instead."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The file to write."
)
@_filters
@DB_OPTION
@CSV_ESCAPE_OPTION
def export(
    view: str | None,
    fmt: str,
    to_sqlite: bool,
    output: Path,
    agency: str | None,
    region: str | None,
    year: int | None,
    db: str | None,
    csv_escape: bool | None,
) -> None:
    """Write a view (report_facts, applications_by_year, active_by_year, review_litigation_by_year,
    report_rates, coverage) to CSV or Parquet; or, with --sqlite, the whole database to a SQLite file
    (tables, views, crawl state): how a PostgreSQL database is served and published."""
    from . import api

    if to_sqlite == bool(view):
        raise CLIError("give a VIEW to export, or --sqlite (without a view) to copy the whole database")
    if to_sqlite and (agency or region or year):
        raise CLIError("--sqlite copies the whole database: --agency, --region and --year do not apply")
    if to_sqlite:
        counts = api.export_sqlite(output, db=db)
        click.echo(f"{sum(counts.values())} rows in {len(counts)} tables → {output}", err=True)
        return
    assert view is not None  # checked above: a view, or --sqlite
    n = api.export(view, output, fmt, agency=agency, region=region, year=year, db=db, csv_escape=csv_escape)
    click.echo(f"{n} rows → {output}", err=True)


@cli.command()
@DB_OPTION
@output_options(what="one finding a line")
@click.option("--strict", is_flag=True, help="Exit 1 if any cross-year finding is an error (X1).")
def check(db: str | None, fmt: str, output: Path | None, strict: bool) -> None:
    """Run the cross-year rules X1 (carried over = carried forward) and X2 (documents in force) over the database."""
    from . import api

    frame = api.check(db=db)
    with destination(output) as out:
        if fmt == "table":
            for row in frame.itertuples():
                out.write(f"{row.severity:<7} {row.rule} {row.agency} {row.year}: {row.message}\n")
        else:
            write_frame(frame, fmt, out)
    errors = int((frame["severity"] == "error").sum()) if len(frame) else 0
    click.echo(f"{len(frame)} cross-year findings ({errors} errors, {len(frame) - errors} warnings)", err=True)
    if strict and errors:
        raise StrictFailure(f"{errors} cross-year errors (--strict)")
