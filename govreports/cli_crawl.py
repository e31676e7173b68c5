"""`govreports` commands of the crawl side: ``crawl``, ``run`` (the nightly job) and ``demo``.

Each command builds settings from its flags, opens the database and makes one library call
(:class:`govreports.pipeline.NightlyJob`); errors the user can act on are one line. Exit status
(:class:`govreports.errors.ExitCode`): 0 when every agency was crawled cleanly, 3 when some agency
was blocked or some report failed (each named in the summary and retried next run), 1 when no agency
could be crawled at all.
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

import click

from govreports.scraper.families import FAMILIES

from .cli import ALLOW_PRIVATE_OPTION, CLIError, cli
from .errors import ExitCode, GovreportsError, PartialFailure

DEFAULT_REGISTRY = "registry/agencies.toml"


def _db_option(f):
    from .cli_db import DB_OPTION  # the same option as `govreports load`

    return DB_OPTION(f)


def _crawl_options(f):
    options = [
        click.option(
            "--store",
            "store_dir",
            type=click.Path(file_okay=False),
            default=None,
            help="Where raw documents are kept, content-addressed [default: data/raw].",
        ),
        ALLOW_PRIVATE_OPTION,
        click.option("--delay", type=float, help="Seconds between two requests to one host [default: 1.0]."),
        click.option("--per-host", type=int, help="Requests in flight per host [default: 2]."),
        click.option("--concurrency", type=int, help="Requests in flight across hosts [default: 32]."),
        click.option(
            "--processes",
            type=int,
            help="Crawler processes, each crawling whole sites [default: one per 100 hosts, at most the CPU count].",
        ),
        click.option("-v", "--verbose", is_flag=True, help="Log every report loaded (JSON lines on stderr)."),
    ]
    for option in reversed(options):
        f = option(f)
    return _db_option(f)


def _flags(store_dir, allow_private, delay, per_host, concurrency, processes=None) -> dict:
    """The settings given as flags (the last layer over defaults, family and environment)."""
    flags = {
        "STORE_DIR": store_dir,
        "HTTP_ALLOW_PRIVATE": allow_private or None,
        "THROTTLE_DELAY": delay,
        "THROTTLE_PER_HOST": per_host,
        "CONCURRENCY_GLOBAL": concurrency,
        "CRAWL_PROCESSES": processes,
    }
    return {k: v for k, v in flags.items() if v is not None}


def _settings(store_dir, allow_private, delay, per_host, concurrency, processes=None):
    from govreports.settings import Settings

    return Settings.from_env().replace(**_flags(store_dir, allow_private, delay, per_host, concurrency, processes))


def _logging(verbose: bool) -> None:
    """Quiet JSON lines on stderr: warnings only, unless --verbose."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JSONFormatter())
    root = logging.getLogger("govreports")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    root.propagate = False


class _JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if message.startswith("{"):
            return message
        extra = {k: v for k, v in record.__dict__.items() if k in ("agency", "url", "evidence")}
        return json.dumps({"level": record.levelname.lower(), "event": message, **extra}, ensure_ascii=False)


def _open(db_url: str | None):
    from govreports.db.engine import connect

    return connect(db_url)


def run_job(agencies, settings, db_url: str | None, verbose: bool):
    """Open the database, crawl, parse, load; print the summary. Returns the summary."""
    from .pipeline import NightlyJob, SQLState, db_loader, print_summary

    _logging(verbose)
    engine = _open(db_url)
    progress = _progress(len(agencies))
    with progress or nullcontext():
        task = progress.add_task("agencies", total=len(agencies)) if progress else None
        job = NightlyJob(
            settings,
            SQLState(engine),
            db_loader(engine),
            on_done=(lambda _r: progress.advance(task)) if progress else None,
        )
        summary = job.run(agencies)
    print_summary(summary)
    from govreports.db.checks import run_cross_year

    findings = run_cross_year(engine)  # X1/X2 across years, over everything loaded so far
    click.echo(
        f"cross-year checks: {len(findings)} finding(s)"
        + (": " + ", ".join(f"{k} {v}" for k, v in findings["rule"].value_counts().items()) if len(findings) else "")
    )
    return summary, engine


def _progress(total: int):
    if total < 2 or not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    return Progress(transient=True)


def _agencies(urls: tuple[str, ...], registry: str | None, family: str | None):
    from govreports.scraper.registry import Agency, agency_from_url, load_registry

    agencies: list[Agency] = []
    if registry:
        agencies += load_registry(registry)
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise CLIError(f"not an http(s) URL: {url}")
        agencies.append(replace(agency_from_url(url), family=family))
    if not agencies:
        raise CLIError("nothing to crawl: give URLs or --registry FILE")
    return agencies


@cli.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--registry", type=click.Path(dir_okay=False), help="Agencies to crawl, a TOML file as registry/agencies.toml."
)
@click.option(
    "--family",
    type=click.Choice(sorted(FAMILIES)),
    help="Site family of the URLs given (else detected from the pages).",
)
@_crawl_options
def crawl(
    urls, registry, family, db, store_dir, allow_private, delay, per_host, concurrency, processes, verbose
) -> None:
    """Crawl agency sites (home pages or report columns) and load their annual reports.

    Only what is new or changed is downloaded; robots.txt is obeyed; raw documents are kept. Exit
    status 3 when some agency was blocked or some report failed (named in the summary, retried next
    run); 1 when no agency could be crawled.
    """
    agencies = _agencies(urls, registry, family)
    settings = _settings(store_dir, allow_private, delay, per_host, concurrency, processes)
    summary, _ = run_job(agencies, settings, db, verbose)
    _exit_for(summary)


@cli.command()
@click.option(
    "--registry",
    type=click.Path(dir_okay=False),
    default=DEFAULT_REGISTRY,
    show_default=True,
    help="Agencies to crawl (TOML).",
)
@click.option(
    "--distributed",
    is_flag=True,
    help="Enqueue one job per site for `govreports worker` processes on any machine (PostgreSQL only).",
)
@click.option("--no-wait", is_flag=True, help="With --distributed: return once the sites are enqueued.")
@_crawl_options
def run(
    registry, distributed, no_wait, db, store_dir, allow_private, delay, per_host, concurrency, processes, verbose
) -> None:
    """The nightly job: crawl every agency of the registry, parse, load, and print the run's summary.

    Exit status 3 when some agency was blocked or some report failed (named in the summary, retried
    next run); 1 when every agency failed or was blocked (something is wrong on our side).
    """
    if not Path(registry).exists():
        raise CLIError(f"no such registry: {registry}")
    agencies = _agencies((), registry, None)
    if distributed:
        from .cli_distributed import run_distributed

        flags = _flags(store_dir, allow_private, delay, per_host, concurrency, processes)
        summary = run_distributed(agencies, flags, db, no_wait)
        if summary is None:
            return
    elif no_wait:
        raise CLIError("--no-wait goes with --distributed")
    else:
        settings = _settings(store_dir, allow_private, delay, per_host, concurrency, processes)
        summary, _ = run_job(agencies, settings, db, verbose)
    _exit_for(summary)


class NothingCrawled(GovreportsError):
    """Every agency failed or was blocked: then something is wrong on our side (exit 1)."""


class AgenciesFailed(PartialFailure):
    """Some agencies were blocked or some of their reports failed; the rest was crawled (exit 3)."""


def exit_status(summary) -> ExitCode:
    """The run's exit status: OK, PARTIAL (something blocked or failed) or FATAL (nothing crawled)."""
    agencies = summary.agencies
    if agencies and all(a.blocked or (a.errors and not (a.new + a.changed + a.unchanged)) for a in agencies):
        return ExitCode.FATAL
    troubled = any(_troubled(a) for a in agencies) or summary.problems  # e.g. parse workers died
    return ExitCode.PARTIAL if troubled else ExitCode.OK


def _troubled(agency) -> bool:
    """Blocked, a report failed, or an error other than robots.txt's refusals (obeyed, not failures)."""
    return bool(agency.blocked or agency.failed or len(agency.errors) > agency.skipped)


def _exit_for(summary) -> None:
    """Raise the error that gives the run's exit status, naming how many agencies were affected."""
    status = exit_status(summary)
    if status is ExitCode.FATAL:
        raise NothingCrawled("no agency could be crawled")
    if status is ExitCode.PARTIAL:
        bad = [a for a in summary.agencies if _troubled(a)]
        raise AgenciesFailed(
            f"{len(bad)} of {len(summary.agencies)} agencies blocked or with failures (see the summary; retried next run)"
            + "".join(f"; {p}" for p in summary.problems)
        )


@cli.command()
@_db_option
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False),
    default="data/raw",
    show_default=True,
    help="Where raw documents are kept, content-addressed.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every report loaded (JSON lines on stderr).")
def demo(db, store_dir, verbose) -> None:
    """Run the nightly job offline against bundled imitation sites (one per site family, one walled).

    Loads into the default SQLite database, then prints the summary and a comparison across agencies
    and years. Exit status 0 when the job ran: the walled site is part of the demonstration.
    """
    from govreports.demo.farm import agencies, demo_sites
    from govreports.demo.server import Farm
    from govreports.settings import Settings

    sites = demo_sites(fixed_ports=True)
    settings = Settings.from_env().replace(
        HTTP_ALLOW_PRIVATE=True, THROTTLE_DELAY=0.05, STORE_DIR=store_dir, RETRY_BACKOFF_BASE=0.2
    )
    with Farm(sites) as farm:
        _, engine = run_job(agencies(farm, sites), settings, db, verbose)
    from .demo.comparison import print_comparison

    print_comparison(engine)
