"""``govreports run --distributed``, ``worker`` and ``runs``: the nightly job spread over machines."""

from __future__ import annotations

import click

from .cli import CLIError, cli
from .cli_crawl import _db_option, _exit_for, _logging


def _url(db: str | None) -> str:
    from govreports.db.engine import resolve_url

    url = resolve_url(db)
    if not url.startswith("postgresql"):
        raise CLIError("distributed runs need PostgreSQL (--db postgresql://…): the job queue lives in it")
    return url


def run_distributed(agencies, overrides: dict, db: str | None, no_wait: bool):
    """Enqueue the run's sites; unless ``no_wait``, wait for the workers, finalise, print the summary."""
    from govreports.db.checks import run_cross_year

    from .pipeline import print_summary
    from .pipeline.distributed import finalise_run, start_run, wait_for_run
    from .pipeline.queue import engine_for

    url = _url(db)
    run_id, enqueued = start_run(url, agencies, overrides)
    click.echo(f"run {run_id}: {enqueued} site(s) enqueued for {len(agencies)} agencies")
    if no_wait:
        click.echo(f"follow it with `govreports runs {run_id}`; it is finalised by `govreports runs {run_id} --wait`")
        return None
    wait_for_run(url, run_id)
    summary = finalise_run(url, run_id)
    print_summary(summary)
    findings = run_cross_year(engine_for(url))
    click.echo(f"cross-year checks: {len(findings)} finding(s)")
    return summary


@cli.command()
@_db_option
@click.option("--concurrency", type=int, default=1, show_default=True, help="Site jobs run at once by this worker.")
@click.option("-v", "--verbose", is_flag=True, help="Log every report loaded (JSON lines on stderr).")
def worker(db, concurrency, verbose) -> None:
    """Take site jobs of distributed runs until stopped (SIGTERM: the current jobs finish first)."""
    from .pipeline.distributed import run_worker

    _logging(verbose)
    run_worker(_url(db), concurrency=concurrency)


@cli.command()
@click.argument("run_id", type=int, required=False)
@_db_option
@click.option(
    "--wait",
    is_flag=True,
    help="Wait for the run's sites to end, then finalise it and print its summary (exit status as `run`).",
)
def runs(run_id, db, wait) -> None:
    """A distributed run's progress: sites to do / doing / done / failed, live workers, reports so far."""
    from .pipeline import SQLState, print_summary
    from .pipeline.distributed import finalise_run, run_progress, wait_for_run
    from .pipeline.queue import engine_for

    url = _url(db)
    if run_id is None:
        known = SQLState(engine_for(url)).runs()
        if not known:
            raise CLIError("no runs recorded in this database")
        run_id = known[-1].id
    if wait:
        wait_for_run(url, run_id)
        summary = finalise_run(url, run_id)
        print_summary(summary)
        _exit_for(summary)
        return
    p = run_progress(url, run_id)
    sites = ", ".join(f"{n} {s}" for s, n in sorted(p.sites.items())) or "none enqueued"
    reports = ", ".join(f"{n} {k}" for k, n in p.reports.items())
    click.echo(f"run {run_id}: sites {sites}; {p.workers} live worker(s); {p.agencies_done} agencies done ({reports})")
