"""The nightly job: crawl → parse → load → summary, one library call for ``govreports crawl`` and ``run``.

The crawler (``scraper``) hands over each new or changed report with all its documents; here the
best of them is parsed (``govreports.parsers.parse_bytes``) and given to a loader (``govreports.db.load.load_report`` in
real runs). The run itself — counts per agency, errors, blocked agencies — is recorded through the
crawl state.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar

from govreports.parsers import Report, parse_bytes
from govreports.scraper.crawl import AgencyResult, Crawler, Document, FoundReport
from govreports.scraper.registry import Agency
from govreports.scraper.state import RunRecord, State
from govreports.scraper.store import RawStore
from govreports.settings import Settings

log = logging.getLogger("govreports.nightly")

# load(report, document, agency) -> new | unchanged | revised | failed; runs in the crawl's process
Loader = Callable[[Report, Document, Agency], str]
GOOD_TEMPLATES = ("2021", "2019")


def _start_worker(parent: int, loader: DBLoader | None) -> None:
    """Pool initializer: a parse worker ends when the crawl that started it is gone (even by SIGKILL),
    and is ready before the first batch — modules imported, database opened — while the crawl is
    still discovering columns."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
    import govreports.db.load  # noqa: F401  (the import is the point: seconds on a busy machine)

    if loader is not None:
        try:
            with loader.engine().connect():
                pass  # the pool keeps this connection for the first batch
        except Exception:  # the batches will say why they cannot load; the worker must live to parse
            log.warning("parse worker could not open the database yet", exc_info=True)


def _ready() -> None:
    """A task that only makes the pool start its worker now."""


@dataclass(slots=True)
class _Outcome:
    """What a worker made of one found report: which document won, and its load status if it loaded it."""

    index: int = 0
    template: str | None = None
    year: int | None = None
    status: str | None = None  # set when the worker loaded the report itself
    report: Report | None = None  # set when the loader runs in the crawl's process
    error: str | None = None


def _work(batch: list[tuple[list[Document], Agency]], loader: DBLoader | None) -> list[_Outcome]:
    """Parse a batch of found reports and, with a :class:`DBLoader`, load them in one transaction.

    Runs in a parse worker (or in the job's writer thread when there are no workers), so the crawl's
    event loop only fetches. A report that cannot be parsed fails alone; if the database cannot be
    reached every report of the batch fails, and the crawl records them as such.
    """
    outcomes: list[_Outcome] = []
    parsed: list[tuple[_Outcome, tuple[Report, Document, Agency]]] = []
    for documents, agency in batch:
        try:
            report, doc = best_report(FoundReport(agency, "", None, None, documents, False))
        except Exception as exc:  # a parser bug: this report fails, the batch goes on
            log.exception("parse failed")
            outcomes.append(_Outcome(error=f"parse failed: {type(exc).__name__}: {exc}"))
            continue
        outcome = _Outcome(
            documents.index(doc), report.template, report.year, report=None if loader is not None else report
        )
        outcomes.append(outcome)
        parsed.append((outcome, (report, doc, agency)))
    if loader is None or not parsed:
        return outcomes
    try:
        statuses = loader.load_many([triple for _, triple in parsed])
    except Exception as exc:
        for outcome, _ in parsed:
            outcome.error = f"not loaded: {type(exc).__name__}: {str(exc).strip().splitlines()[0][:300]}"
        return outcomes
    for (outcome, _), status in zip(parsed, statuses, strict=True):
        outcome.status = status
    return outcomes


T = TypeVar("T")
R = TypeVar("R")


class _Batcher(Generic[T, R]):
    """Gathers single requests from many coroutines into batches for one call that handles many.

    A batch goes when it holds ``size`` items or ``linger`` seconds after its first item, whichever
    comes first; each caller gets its own item's result (or the batch's exception).
    """

    def __init__(self, run: Callable[[list[T]], Awaitable[list[R]]], size: int, linger: float) -> None:
        self.run, self.size, self.linger = run, size, linger
        self._items: list[tuple[T, asyncio.Future[R]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task] = set()

    async def submit(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._items.append((item, future))
        if len(self._items) >= self.size:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.linger, self._flush)
        return await future

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        items, self._items = self._items, []
        if items:
            task = asyncio.get_running_loop().create_task(self._go(items))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _go(self, items: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self.run([item for item, _ in items])
        except BaseException as exc:
            for _, future in items:
                if not future.done():
                    future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        for (_, future), result in zip(items, results, strict=True):
            if not future.done():
                future.set_result(result)


def best_report(found: FoundReport) -> tuple[Report, Document]:
    """Parse a report's documents, best first: a family's extract, the page, then the attachments.

    The first with template tables wins; else the first read as a (legacy) report; else the page's
    result, whose issue says why it is not a report. A report published only as an attachment is
    still a report.
    """
    order = sorted(found.documents, key=lambda d: {"extract": 0, "page": 1}.get(d.role, 2))
    first: tuple[Report, Document] | None = None
    fallback: tuple[Report, Document] | None = None
    for doc in order:
        report = parse_bytes(doc.data, doc.url, doc.content_type)
        if report.template in GOOD_TEMPLATES:
            return report, doc
        if first is None:
            first = (report, doc)
        if fallback is None and report.ok:
            fallback = (report, doc)
    assert first is not None, "a found report has at least its page"
    return fallback or first


@dataclass
class Summary:
    """What a run did, per agency and in total."""

    run_id: int | None
    started_at: datetime
    finished_at: datetime | None = None
    agencies: list[AgencyResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the run's own, not any agency's

    def totals(self) -> dict[str, int]:
        keys = ("new", "changed", "unchanged", "failed", "skipped")
        out = {k: sum(getattr(a, k) for a in self.agencies) for k in keys}
        out["blocked"] = sum(1 for a in self.agencies if a.blocked)
        out["agencies"] = len(self.agencies)
        return out

    def errors(self) -> list[str]:
        return (
            [f"{a.agency}: {e}" for a in self.agencies for e in a.errors]
            + [f"{a.agency}: blocked: {a.blocked}" for a in self.agencies if a.blocked]
            + self.problems
        )


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
        self._executor: Executor | None = None
        self._loaded: list[str] = []  # report URLs loaded (or found unchanged) in this run
        self._batches: _Batcher[tuple[list[Document], Agency], _Outcome] | None = None

    def _record_failures(self, summary: Summary) -> None:
        """Reports that could not be fetched go to ``load_failures`` beside those that could not be
        parsed or stored (``govreports failures`` lists them all); reports loaded now close theirs."""
        if not isinstance(self.loader, DBLoader):
            return
        from govreports.db.failures import Failure, record_failures, resolve_failures

        failed = [Failure(url, "fetch", error[:2000]) for a in summary.agencies for url, error in a.fetch_failures]
        if not failed and not self._loaded:
            return
        try:
            with self.loader.engine().begin() as conn:
                record_failures(conn, failed)
                resolve_failures(conn, [(url, None) for url in self._loaded])
        except Exception as exc:  # the crawl state still retries them next run; the run says so
            log.error("fetch failures not recorded: %s", exc)
            summary.problems.append(f"fetch failures not recorded in load_failures: {exc}")

    async def _run_batch(self, batch: list[tuple[list[Document], Agency]]) -> list[_Outcome]:
        loader = self.loader if isinstance(self.loader, DBLoader) else None
        return await asyncio.get_running_loop().run_in_executor(self._executor, _work, batch, loader)

    async def sink(self, found: FoundReport) -> str:
        if self._batches is None:  # one per event loop: futures belong to the loop that made them
            self._batches = _Batcher(
                self._run_batch, int(self.settings["LOAD_BATCH_SIZE"]), float(self.settings["LOAD_BATCH_LINGER"])
            )
        outcome = await self._batches.submit((found.documents, found.agency))
        if outcome.error is not None:
            raise ReportFailed(outcome.error)
        status = outcome.status
        if status is None:  # a plain loader callable: it runs here
            status = self.loader(outcome.report, found.documents[outcome.index], found.agency)
        if status != "failed":
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
        if isinstance(self.loader, DBLoader):
            self.loader.register(agencies)
        record = self.state.start_run(RunRecord(None, datetime.now(UTC)))
        summary = Summary(record.id, record.started_at)
        crawler = Crawler(self.settings, self.state, RawStore(self.settings), self.sink, on_done=self.on_done)
        if self.parse_workers:
            loader = self.loader if isinstance(self.loader, DBLoader) else None
            self._executor = ProcessPoolExecutor(
                self.parse_workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(), loader),
            )
            for _ in range(self.parse_workers):
                self._executor.submit(_ready)
        else:  # one writer thread: loads never contend with each other
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="parse-load")
        self._batches = None
        self._loaded = []
        try:
            summary.agencies = asyncio.run(crawler.crawl(agencies))
            record.status = "finished"
        except BaseException:
            record.status = "interrupted"
            raise
        finally:
            self._executor.shutdown(cancel_futures=True)
            self._executor = None
            self._record_failures(summary)
            record.finished_at = summary.finished_at = datetime.now(UTC)
            record.counts = summary.totals()
            record.errors = summary.errors()
            record.agencies = {
                a.agency: {k: v for k, v in asdict(a).items() if k != "agency"} for a in summary.agencies
            }
            self.state.finish_run(record)
        return summary


_ENGINES: dict[str, object] = {}  # per process: a worker opens each database once


@dataclass(frozen=True)
class DBLoader:
    """``govreports.db.load.load_reports`` for the nightly job: picklable (a URL, not an engine), so the parse
    workers load what they parse, in batches, each worker with its own engine."""

    url: str

    def engine(self):
        if self.url not in _ENGINES:
            from govreports.db.engine import connect

            _ENGINES[self.url] = connect(self.url, migrate=False)  # the job's process migrated it
        return _ENGINES[self.url]

    def load_many(self, items: list[tuple[Report, Document, Agency]]) -> list[str]:
        """Load reports with their documents' provenance and the agencies' hints; one status each."""
        from govreports.db.load import DocumentInfo, load_reports

        triples = []
        for report, document, agency in items:
            info = DocumentInfo(
                source=document.url,
                content_hash=document.content_hash,
                content_type=document.content_type,
                encoding=report.encoding,
                size=len(document.data),
                fetched_at=document.fetched_at,
                published=report.published,
                raw_path=document.raw_path,
            )
            triples.append((report, info, agency_hint(agency)))
        return [r.status for r in load_reports(self.engine(), triples, batch_size=max(1, len(triples)))]

    def __call__(self, report: Report, document: Document, agency: Agency) -> str:
        return self.load_many([(report, document, agency)])[0]

    def register(self, agencies: list[Agency]) -> None:
        """Every agency of the registry in the database, reports or not: coverage counts those with none."""
        from govreports.db.agencies import register_agency

        with self.engine().begin() as conn:
            for agency in agencies:
                register_agency(conn, agency_hint(agency))


def agency_hint(agency: Agency):
    """What the registry knows about an agency, as the database's :class:`~govreports.db.agencies.AgencyHint`."""
    from govreports.db.agencies import AgencyHint

    return AgencyHint(
        name=agency.name,
        region_code=agency.region_code,
        level=agency.level,
        kind=agency.kind,
        parent=agency.parent,
        site_url=agency.start_url,
    )


def db_loader(engine) -> DBLoader:
    """The loader for ``engine``'s database; this process reuses ``engine`` itself."""
    url = engine.url.render_as_string(hide_password=False)
    _ENGINES[url] = engine
    return DBLoader(url)


def print_summary(summary: Summary, out=None) -> None:
    """A table per agency and the totals: for people at a terminal and for cron mail alike."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out or sys.stdout, width=150)
    table = Table(title=f"run {summary.run_id}", title_justify="left")
    for col in ("agency", "family", "new", "changed", "unchanged", "failed", "blocked"):
        table.add_column(col, justify="right" if col in ("new", "changed", "unchanged", "failed") else "left")
    for a in summary.agencies:
        table.add_row(
            a.agency,
            a.family or "",
            str(a.new),
            str(a.changed),
            str(a.unchanged),
            str(a.failed),
            (a.blocked or "")[:60],
        )
    console.print(table)
    t = summary.totals()
    console.print(
        f"{t['agencies']} agencies: {t['new']} new, {t['changed']} changed, {t['unchanged']} unchanged, "
        f"{t['failed']} failed, {t['blocked']} blocked, {t['skipped']} skipped by robots.txt"
    )
    for line in summary.errors()[:20]:
        console.print(f"  [yellow]{line}[/yellow]")
