"""The ``govreports`` command line: thin wiring of parsers, scraper and db."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

import click

from .output import WRITERS


class CLIError(click.ClickException):
    """A one-line error for the user, exit status 1."""


class PartialFailure(CLIError):
    """The command went on past failures, each recorded (``govreports failures``): exit status 3."""

    exit_code = 3


CSV_ESCAPE_OPTION = click.option(
    "--csv-escape/--no-csv-escape",
    default=None,
    help="CSV: prefix text cells starting with = + - @ (formulas in a spreadsheet) with ' "
    "[default: on, setting CSV_ESCAPE].",
)
ALLOW_PRIVATE_OPTION = click.option(
    "--allow-private",
    is_flag=True,
    help="Allow loopback/private addresses (local mirrors, tests); each port is then a host.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govreports")
def cli() -> None:
    """Annual reports on government information disclosure (政府信息公开工作年度报告) as data."""


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(WRITERS)),
    default="json",
    show_default=True,
    help="json: JSON Lines per the spec; csv: one fact a row; table: for reading.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of standard output.",
)
@click.option("--strict", is_flag=True, help="Exit 1 if any document is unreadable or breaks a rule.")
@ALLOW_PRIVATE_OPTION
@CSV_ESCAPE_OPTION
def parse(
    targets: tuple[str, ...],
    fmt: str,
    output: Path | None,
    strict: bool,
    allow_private: bool,
    csv_escape: bool | None,
) -> None:
    """Parse reports (files, directories, URLs) into the template's facts.

    Every document yields one result, even one that cannot be read, fetched or parsed: its issue
    says why. URLs are fetched as the crawler fetches (host guard, robots.txt, throttle, retries,
    deadline). Exit status 3 when some document could not be fetched or crashed the parser.
    """
    from .api import expand, parse_each

    paths = list(expand(targets))
    if not paths:
        raise CLIError("no documents found in " + " ".join(targets))
    missing = [t for t in paths if not t.startswith(("http://", "https://")) and not Path(t).exists()]
    if missing:
        raise CLIError(f"no such file: {missing[0]}")
    reports = list(parse_each(_progress(paths, "parsing"), allow_private=allow_private))
    _emit(fmt, reports, output, csv_escape)
    for report in reports:
        if not report.ok and report.issues:  # one line per unreadable document, on stderr
            first = report.issues[0]
            click.echo(f"{report.source}: {first.rule}: {first.message}", err=True)
    if strict:
        bad = [r for r in reports if not r.ok or any(i.severity == "error" for i in r.issues)]
        if bad:
            raise CLIError(f"{len(bad)} of {len(reports)} documents unreadable or breaking a rule (--strict)")
    lost = [r for r in reports if r.issues and r.issues[0].rule in ("fetch_failed", "parser_crashed")]
    if lost:
        raise PartialFailure(f"{len(lost)} of {len(reports)} documents could not be fetched or parsed")


def _emit(fmt: str, reports: list, output: Path | None, csv_escape: bool | None = None) -> None:
    writer = functools.partial(WRITERS[fmt], escape=csv_escape) if fmt == "csv" else WRITERS[fmt]
    if output is None:
        writer(reports, sys.stdout)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer(reports, fh)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _progress(items: list, label: str):
    """A progress bar at a terminal, nothing under cron or in a pipe."""
    if len(items) < 2 or not sys.stderr.isatty():
        return iter(items)
    from rich.progress import track

    return track(items, description=label, transient=True, console=None)


def main() -> None:
    """Entry point: errors the user can act on are one line; nothing else escapes as a traceback."""
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)


# Commands of the other sides register themselves on `cli` when imported.
from . import cli_crawl, cli_db, cli_distributed  # noqa: E402, F401
