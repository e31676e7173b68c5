"""A distributed run: enqueue one job per site, let workers on any machine take them, then finalise.

``govreports run --distributed`` calls :func:`start_run` and, unless told not to wait,
:func:`wait_for_run` and :func:`finalise_run`; ``govreports worker`` calls :func:`run_worker`;
``govreports runs`` calls :func:`run_progress`. The summary and the exit codes are those of a
single-process run, built from the per-agency results the site jobs recorded.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import select, text

from govreports import settings
from govreports.db.crawl_models import CrawlRunAgency
from govreports.scraper.crawl import AgencyResult
from govreports.scraper.registry import Agency
from govreports.scraper.state import RunRecord

from .crawl_state import SQLState
from .job import finish_run
from .queue import SITE_PROBLEMS, TASK, agency_args, engine_for, make_app
from .sites import group_sites
from .summary import Summary

FINAL = ("succeeded", "failed", "cancelled", "aborted")


@dataclass
class Progress:
    """Where a distributed run stands: its site jobs by status, live workers, results so far."""

    run_id: int
    sites: dict[str, int] = field(default_factory=dict)  # todo / doing / succeeded / failed …
    workers: int = 0
    agencies_done: int = 0
    reports: dict[str, int] = field(default_factory=dict)  # new / changed / unchanged / failed

    @property
    def finished(self) -> bool:
        return sum(self.sites.values()) > 0 and all(s in FINAL for s, n in self.sites.items() if n)


def start_run(db_url: str, agencies: list[Agency], overrides: dict[str, Any]) -> tuple[int, int]:
    """Record a run and enqueue its sites, biggest first; (run id, sites enqueued)."""
    engine = engine_for(db_url)
    record = SQLState(engine).start_run(RunRecord(None, datetime.now(UTC)))
    assert record.id is not None
    sites = group_sites(agencies)
    return record.id, asyncio.run(_enqueue(db_url, record.id, sites, overrides))


async def _enqueue(db_url: str, run_id: int, sites: list, overrides: dict[str, Any]) -> int:
    app = make_app(db_url)
    enqueued = 0
    async with app.open_async():
        for priority, site in enumerate(reversed(sites)):  # the biggest site gets the highest priority
            job = app.configure_task(TASK, lock=site.key, queueing_lock=f"run{run_id}:{site.key}", priority=priority)
            try:
                await job.defer_async(
                    run_id=run_id,
                    site=site.key,
                    agencies=[agency_args(a) for a in site.agencies],
                    overrides=overrides,
                )
                enqueued += 1
            except AlreadyEnqueued:  # enqueued by an earlier call for this run: nothing to do
                pass
    return enqueued


def run_progress(db_url: str, run_id: int) -> Progress:
    """The run's site jobs by status, live workers, and the counts of the agencies done so far."""
    engine = engine_for(db_url)
    progress = Progress(run_id)
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        from .queue import queue_schema

        q = queue_schema(schema)
        for status, n in conn.execute(
            text(f"SELECT status, count(*) FROM {q}.procrastinate_jobs WHERE queueing_lock LIKE :p GROUP BY status"),
            {"p": f"run{run_id}:%"},
        ):
            progress.sites[str(status)] = n
        progress.workers = conn.execute(text(f"SELECT count(*) FROM {q}.procrastinate_workers")).scalar_one()
        for agency, result in conn.execute(
            select(CrawlRunAgency.agency, CrawlRunAgency.result).where(CrawlRunAgency.run_id == run_id)
        ):
            if agency.startswith(SITE_PROBLEMS):
                continue
            progress.agencies_done += 1
            for k in ("new", "changed", "unchanged", "failed"):
                progress.reports[k] = progress.reports.get(k, 0) + int(result.get(k, 0))
    return progress


def wait_for_run(db_url: str, run_id: int) -> Progress:
    """Wait until every site job of the run has ended; jobs of workers that stopped beating are retried."""
    poll, stalled_after = float(settings.get("QUEUE_POLL")), float(settings.get("QUEUE_STALLED_AFTER"))
    while True:
        asyncio.run(_retry_stalled(db_url, stalled_after))
        progress = run_progress(db_url, run_id)
        if progress.finished:
            return progress
        time.sleep(poll)


async def _retry_stalled(db_url: str, stalled_after: float) -> int:
    """Hand jobs whose worker stopped sending heartbeats (killed, machine lost) back to the queue."""
    app = make_app(db_url)
    async with app.open_async():
        stalled = list(await app.job_manager.get_stalled_jobs(task_name=TASK, seconds_since_heartbeat=stalled_after))
        for job in stalled:
            await app.job_manager.retry_job(job)
    return len(stalled)


def finalise_run(db_url: str, run_id: int) -> Summary:
    """Close the run's record from the agencies' results: the same summary a single-process run gives."""
    engine = engine_for(db_url)
    state = SQLState(engine)
    record = next(r for r in state.runs() if r.id == run_id)
    summary = Summary(run_id, record.started_at)
    names = {f.name for f in fields(AgencyResult)}
    with engine.connect() as conn:
        rows = conn.execute(
            select(CrawlRunAgency.agency, CrawlRunAgency.result)
            .where(CrawlRunAgency.run_id == run_id)
            .order_by(CrawlRunAgency.agency)
        ).all()
    for agency, result in rows:
        if agency.startswith(SITE_PROBLEMS):
            summary.problems.extend(result.get("problems", []))
            continue
        values = {k: v for k, v in result.items() if k in names}
        values["fetch_failures"] = [tuple(f) for f in values.get("fetch_failures", [])]
        summary.agencies.append(AgencyResult(**values))
    progress = run_progress(db_url, run_id)
    failed_sites = progress.sites.get("failed", 0) + progress.sites.get("aborted", 0)
    if failed_sites:
        summary.problems.append(f"{failed_sites} site job(s) failed: see `govreports runs {run_id}`")
    record.status = "finished" if not failed_sites else "failed"
    finish_run(state, record, summary)
    return summary


def run_worker(db_url: str, concurrency: int = 1, **options: Any) -> None:
    """Take site jobs until stopped (SIGTERM or SIGINT: the current jobs finish first).

    A site job is synchronous: procrastinate runs it in the event loop's default thread pool, which
    holds min(32, cores + 4) threads — 6 on two cores, so ``--concurrency 10`` ran 6 jobs at once
    and the rest waited. The pool is sized to the concurrency asked for."""
    heartbeat, stalled = float(settings.get("QUEUE_HEARTBEAT")), float(settings.get("QUEUE_STALLED_AFTER"))
    options = {"update_heartbeat_interval": heartbeat, "stalled_worker_timeout": stalled, **options}
    app = make_app(db_url)

    async def work() -> None:
        threads = ThreadPoolExecutor(max(1, concurrency) + 4, thread_name_prefix="site-job")
        asyncio.get_running_loop().set_default_executor(threads)
        async with app.open_async():
            await app.run_worker_async(concurrency=concurrency, **options)

    asyncio.run(work())
