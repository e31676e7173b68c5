"""The ``govreports`` command line: thin wiring of parsers, scraper and db."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from govreports.parsers import ParseError

from .output import WRITERS


class CLIError(click.ClickException):
    """A one-line error for the user, exit status 1."""


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
def parse(targets: tuple[str, ...], fmt: str, output: Path | None, strict: bool) -> None:
    """Parse reports (files, directories, URLs) into the template's facts.

    Every document yields one result, even one that cannot be read: its issue says why.
    """
    from govreports.scraper.errors import FetchError

    from .api import expand
    from .api import parse as parse_one

    reports = []
    paths = list(expand(targets))
    if not paths:
        raise CLIError("no documents found in " + " ".join(targets))
    for target in _progress(paths, "parsing"):
        if not target.startswith(("http://", "https://")) and not Path(target).exists():
            raise CLIError(f"no such file: {target}")
        try:
            reports.append(parse_one(target))
        except FetchError as exc:
            raise CLIError(str(exc)) from exc
        except ParseError as exc:  # pragma: no cover - parse_bytes turns these into issues
            raise CLIError(f"{target}: {exc}") from exc
    _emit(fmt, reports, output)
    for report in reports:
        if not report.ok and report.issues:  # one line per unreadable document, on stderr
            first = report.issues[0]
            click.echo(f"{report.source}: {first.rule}: {first.message}", err=True)
    if strict:
        bad = [r for r in reports if not r.ok or any(i.severity == "error" for i in r.issues)]
        if bad:
            raise CLIError(f"{len(bad)} of {len(reports)} documents unreadable or breaking a rule (--strict)")


def _emit(fmt: str, reports: list, output: Path | None) -> None:
    write_out(output, lambda out: WRITERS[fmt](reports, out))


def write_out(output: Path | None, write) -> None:
    """Call ``write(file)`` on standard output, or on ``output`` written atomically (a temporary file renamed)."""
    if output is None:
        write(sys.stdout)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
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
from . import cli_analysis, cli_crawl, cli_db, cli_distributed  # noqa: E402, F401
