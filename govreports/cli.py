"""The ``govreports`` command line: thin wiring of parsers, scraper and db.

Conventions every command follows (documented at the top of ``docs/cli.md``):

- commands that print rows take :func:`~govreports.output.output_options`: ``--format
  table|csv|json`` and ``-o/--output FILE``;
- ``--strict`` exits non-zero on any error or finding (the output is still written);
  ``--fail-fast`` stops at the first failure;
- exit status per :class:`~govreports.errors.ExitCode`: 0 ok, 1 fatal or usage, 3 partial;
- errors are :class:`~govreports.errors.GovreportsError` subclasses, caught here, at the edge, and
  printed as one line ``Error: …``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from .errors import CommandError, ExitCode, GovreportsError, PartialFailure, StrictFailure
from .output import WRITERS, destination, output_options, write_lines

if TYPE_CHECKING:
    from govreports.parsers import Report

CLIError = CommandError  # the name the command modules raise

ALLOW_PRIVATE_OPTION = click.option(
    "--allow-private",
    is_flag=True,
    help="Allow loopback/private addresses (local mirrors, tests); each port is then a host.",
)


class Group(click.Group):
    """The command group that turns errors into one line and every usage error into exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GovreportsError as exc:
            _fail(exc)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        group = cast(Any, super())  # click's overloads of main() do not admit forwarded arguments
        if not standalone_mode:
            return group.main(*args, standalone_mode=False, **kwargs)
        try:
            status = group.main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as exc:  # usage errors included: one table of exit codes
            exc.show()
            sys.exit(ExitCode.FATAL if exc.exit_code == 2 else exc.exit_code)
        except click.Abort:  # Ctrl-C (click turns KeyboardInterrupt into Abort)
            click.echo("interrupted", err=True)
            sys.exit(130)
        sys.exit(status if isinstance(status, int) else ExitCode.OK)


def _fail(exc: GovreportsError) -> None:
    """Raise the click exception that prints ``Error: <message>`` and exits with the error's code."""
    message = " ".join(str(exc).split("\n")) or type(exc).__name__
    code = int(getattr(exc, "exit_code", ExitCode.FATAL))
    failure = type("Failure", (click.ClickException,), {"exit_code": code})  # click reads the class's code
    raise failure(message) from exc


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govreports")
def cli() -> None:
    """Annual reports on government information disclosure (政府信息公开工作年度报告) as data."""


@cli.command()
@click.argument("targets", nargs=-1, required=True)
@output_options(default="json", what="each report's tables and findings")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 if any document is unreadable or breaks a rule (the output is still written).",
)
@click.option("--agency", help="The agency, for documents that do not print it (the document's own name wins).")
@click.option("--year", type=int, help="The report's year, for documents that do not print it.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    help="Seconds one document may take (default: PARSE_TIMEOUT); longer is a too_slow issue.",
)
@click.option(
    "--memory",
    type=click.IntRange(min=64),
    help="MiB of memory one document may take (default: PARSE_MEMORY); more is an out_of_memory issue.",
)
@ALLOW_PRIVATE_OPTION
def parse(
    targets: tuple[str, ...],
    fmt: str,
    output: Path | None,
    strict: bool,
    agency: str | None,
    year: int | None,
    timeout: float | None,
    memory: int | None,
    allow_private: bool,
) -> None:
    """Parse reports (files, directories, URLs) into the template's facts.

    Every document yields one result, even one that cannot be read, fetched or parsed: its issue says
    why (exit status 3 when one could not be fetched or crashed the parser). URLs are fetched as the
    crawler fetches (host guard, robots.txt, throttle, retries, deadline; docs/network.md). JSON is the
    spec's object per document (docs/spec.md); CSV is one fact a row. With --agency/--year the JSON's
    "sources" says which fields came from the document and which from these hints; a document that
    says otherwise keeps its value and gets a warning. Each document is parsed in a worker process
    under a time and memory limit (docs/limits.md).
    """
    from govreports.parsers import Context, Sandbox

    from .api import expand, parse_each, parse_each_json

    paths = list(expand(targets))
    if not paths:
        raise CLIError("no documents found in " + " ".join(targets))
    missing = next((t for t in paths if not t.startswith(("http://", "https://")) and not Path(t).exists()), None)
    if missing:
        raise CLIError(f"no such file: {missing}")
    bad: list[Report] = []  # unreadable or breaking a rule: named on stderr, counted by --strict
    context = Context(agency=agency, year=year) if agency or year else None

    def noted(report: Report) -> Report:
        if not report.ok or any(i.severity == "error" for i in report.issues):
            bad.append(report)
        return report

    def reports(sandbox: Sandbox) -> Iterator[Report]:
        """Each report as it is parsed: written at once, so memory does not grow with the number of files."""
        for report in parse_each(
            _progress(paths, "parsing"), allow_private=allow_private, context=context, sandbox=sandbox
        ):
            yield noted(report)

    def json_lines(sandbox: Sandbox) -> Iterator[str]:
        """Each report's JSON line, written by the worker that parsed it (the facts never come back)."""
        for rendered in parse_each_json(
            _progress(paths, "parsing"), allow_private=allow_private, context=context, sandbox=sandbox
        ):
            noted(rendered.report)
            yield rendered.json

    with Sandbox(timeout, None if memory is None else memory * 2**20) as sandbox, destination(output) as out:
        if fmt == "json":
            write_lines(json_lines(sandbox), out)
        else:
            WRITERS[fmt](reports(sandbox), out)
    for report in bad:
        if not report.ok and report.issues:  # one line per unreadable document, on stderr
            first = report.issues[0]
            click.echo(f"{report.source}: {first.rule}: {first.message}", err=True)
    if strict and bad:
        raise StrictFailure(f"{len(bad)} of {len(paths)} documents unreadable or breaking a rule (--strict)")
    lost = [r for r in bad if r.issues and r.issues[0].rule in ("fetch_failed", "parser_crashed")]
    if lost:
        raise PartialFailure(f"{len(lost)} of {len(paths)} documents could not be fetched or parsed")


def _progress(items: list, label: str):
    """A progress bar at a terminal, nothing under cron or in a pipe."""
    if len(items) < 2 or not sys.stderr.isatty():
        return iter(items)
    from rich.progress import track

    return track(items, description=label, transient=True, console=None)


def main() -> None:
    """Entry point: errors the user can act on are one line; nothing else escapes as a traceback."""
    cli.main()


# Commands of the other sides register themselves on `cli` when imported.
from . import cli_analysis, cli_crawl, cli_db, cli_distributed, cli_registry  # noqa: E402, F401
