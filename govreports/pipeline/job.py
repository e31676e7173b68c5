"""The nightly job: crawl → parse → load → summary, one library call for ``govreports crawl`` and ``run``.

The crawler (``scraper``) hands over each new or changed report with all its documents; parse
workers (:mod:`.workers`) parse the best of them (:func:`.choose.best_report`) and give it to a
loader (:class:`.loader.DBLoader` in real runs). The run itself — counts per agency, errors,
blocked agencies — is recorded through the crawl state.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime

from govreports.scraper.crawl import AgencyResult, FoundReport
from govreports.scraper.registry import Agency
from govreports.scraper.state import RunRecord, State
from govreports.settings import Settings

from .batcher import Batcher
from .choose import failed_for_good
from .crawl_state import SQLState
from .loader import DBLoader, Loader
from .pool import WorkerPool
from .processes import crawl_agencies
from .summary import Summary
from .workers import Outcome, ready, start_worker, work

log = logging.getLogger("govreports.nightly")


class ReportFailed(Exception):
    """A found report that could not be parsed or loaded; the crawl records it as failed and retries it next run."""


class NightlyJob:
    """Crawl the agencies, parse and load what is new or changed, and record the run.

    The event loop only fetches. Found reports go in batches (``LOAD_BATCH_SIZE`` reports or
    ``LOAD_BATCH_LINGER`` seconds) to parse workers, which with a :class:`DBLoader` also load each
    batch in one transaction (a report that fails is retried alone, see :func:`govreports.db.load.load_reports`).
    A report is marked handled in the crawl state only after its batch is committed, so a killed run
    redoes it and nothing else.
    """

    def __init__(
        self,
        settings: Settings,
        state: State,
        loader: Loader | DBLoader,
        on_done: Callable[[AgencyResult], None] | None = None,
        parse_workers: int | None = None,
    ) -> None:
        self.settings = settings
        self.state = state
        self.loader = loader
        self.on_done = on_done
        # parsing is CPU work: on a machine with cores to spare it runs beside the crawl, in processes
        self.parse_workers = max(0, (os.cpu_count() or 1) - 1) if parse_workers is None else parse_workers
        self._pool: WorkerPool | None = None
        self._loaded: list[str] = []  # report URLs loaded (or found unchanged) in this run
        self._failed: list[tuple[str, str]] = []  # (report URL, why) parsed or loaded in vain in this run
        self._batches: Batcher[FoundReport, Outcome] | None = None

    def _make_executor(self) -> Executor:
        """Parse workers in processes (warmed up at once), or one writer thread when there are none."""
        if not self.parse_workers:  # one writer thread: loads never contend with each other
            return ThreadPoolExecutor(1, thread_name_prefix="parse-load")
        loader = self.loader if isinstance(self.loader, DBLoader) else None
        executor = ProcessPoolExecutor(
            self.parse_workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker,
            initargs=(os.getpid(), loader),
        )
        for _ in range(self.parse_workers):
            executor.submit(ready)
        return executor

    def _record_failures(self, results: list[AgencyResult], summary: Summary) -> None:
        """Reports that could not be fetched go to ``load_failures`` beside those that could not be
        parsed or stored (``govreports failures`` lists them all); reports loaded now close theirs."""
        if not isinstance(self.loader, DBLoader):
            return
        from govreports.db.failures import Failure, record_failures, resolve_failures

        failed = [Failure(url, "fetch", error[:2000]) for a in results for url, error in a.fetch_failures]
        failed += [
            Failure(url, "store" if error.startswith("not loaded") else "parse", error[:2000])
            for url, error in self._failed
        ]
        if not failed and not self._loaded:
            return
        try:
            with self.loader.engine().begin() as conn:
                record_failures(conn, failed)
                resolve_failures(conn, [(url, None) for url in self._loaded])
        except Exception as exc:  # the crawl state still retries them next run; the run says so
            log.error("fetch failures not recorded: %s", exc)
            summary.problems.append(f"fetch failures not recorded in load_failures: {exc}")

    async def _run_batch(self, batch: list[FoundReport]) -> list[Outcome]:
        loader = self.loader if isinstance(self.loader, DBLoader) else None
        assert self._pool is not None, "batches run only inside run()"
        return await self._pool.run(work, batch, loader, failed=lambda why: Outcome(error=why))

    async def sink(self, found: FoundReport) -> str:
        if self._batches is None:  # one per event loop: futures belong to the loop that made them
            self._batches = Batcher(
                self._run_batch, int(self.settings["LOAD_BATCH_SIZE"]), float(self.settings["LOAD_BATCH_LINGER"])
            )
        outcome = await self._batches.submit(found)
        if outcome.error is not None:
            self._failed.append((found.url, outcome.error))
            raise ReportFailed(outcome.error)
        status = outcome.status
        if status is None:  # a plain loader callable: it runs here, on the report the worker sent back
            assert outcome.report is not None, "a worker without a DBLoader returns the report"
            status = self.loader(outcome.report, found.documents[outcome.index], found.agency)
            if status == "failed" and outcome.report is not None and failed_for_good(outcome.report):
                status = "rejected"
        if status not in ("failed", "rejected"):
            self._loaded.append(found.url)
        if log.isEnabledFor(logging.INFO):  # one line per report under cron; not even built otherwise
            log.info(
                json.dumps(
                    {
                        "event": "report",
                        "agency": found.agency.key,
                        "url": found.url,
                        "status": status,
                        "template": outcome.template,
                        "year": outcome.year,
                    },
                    ensure_ascii=False,
                )
            )
        return "changed" if status == "revised" else status

    def run(self, agencies: list[Agency]) -> Summary:
        """One whole run: recorded in the crawl state, every agency crawled, the summary returned."""
        record = self.state.start_run(RunRecord(None, datetime.now(UTC)))
        summary = Summary(record.id, record.started_at)
        try:
            summary.agencies = self.crawl(agencies, summary)
            record.status = "finished"
        except BaseException:
            record.status = "interrupted"
            raise
        finally:
            finish_run(self.state, record, summary)
        return summary

    def _register(self, agencies: list[Agency], summary: Summary) -> None:
        """The registry's agencies in the database, reports or not (coverage counts those without). A
        database that refuses does not stop the crawl: its reports fail and are retried; the run says so."""
        if not isinstance(self.loader, DBLoader):
            return
        try:
            self.loader.register(agencies)
        except Exception as exc:
            log.error("agencies not registered: %s", exc)
            summary.problems.append(f"agencies of the registry not registered in the database: {exc}")

    def crawl(self, agencies: list[Agency], summary: Summary) -> list[AgencyResult]:
        """Crawl, parse and load ``agencies`` and record their fetch failures, inside a run the caller
        keeps (the whole run here, or one site's share of a distributed run). The crawl runs in this
        process or, for a large registry, in several (:mod:`.processes`); parsing and every write stay here."""
        if isinstance(self.loader, DBLoader):
            self._register(agencies, summary)
        self._pool = WorkerPool(self._make_executor)
        self._batches = None
        self._loaded = []
        self._failed = []
        results: list[AgencyResult] = []
        given_up: dict[str, str] = {}
        try:
            reader = self.state.reader() if isinstance(self.state, SQLState) else None
            outcome = crawl_agencies(self.settings, self.state, self.sink, agencies, self.on_done, reader)
            results, given_up = outcome.results, outcome.given_up
            summary.problems += outcome.problems
            return results
        finally:
            self._pool.shutdown()
            if self._pool.replaced:
                summary.problems.append(f"parse workers died: the pool was replaced {self._pool.replaced} time(s)")
            self._pool = None
            self._record_failures(results, summary)
            for host, why in given_up.items():  # named once, beside each report it cost
                summary.problems.append(f"{host}: given up for this run after timeouts in a row ({why})")


def finish_run(state: State, record: RunRecord, summary: Summary) -> None:
    """Close a run's record with what its summary holds (counts, errors, each agency's result)."""
    record.finished_at = summary.finished_at = datetime.now(UTC)
    record.counts = summary.totals()
    record.errors = summary.errors()
    record.agencies = {a.agency: {k: v for k, v in asdict(a).items() if k != "agency"} for a in summary.agencies}
    state.finish_run(record)
