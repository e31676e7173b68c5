"""The nightly job: crawl → parse → load → summary, one library call for ``govreports crawl`` and ``run``.

The crawler (``scraper``) hands over each new or changed report with all its documents; here the
best of them is parsed (``parsers.parse_bytes``) and given to a loader (``db.load.load_report`` in
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
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from parsers import Report, parse_bytes
from scraper.crawl import AgencyResult, Crawler, Document, FoundReport
from scraper.registry import Agency
from scraper.settings import Settings
from scraper.state import RunRecord, State
from scraper.store import RawStore

log = logging.getLogger("govreports.nightly")

# load(report, document, agency) -> new | unchanged | revised | failed
Loader = Callable[[Report, Document, Agency], str]
GOOD_TEMPLATES = ("2021", "2019")


def _exit_with_parent(parent: int) -> None:
    """Pool initializer: a parse worker ends when the crawl that started it is gone (even by SIGKILL)."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _best_index(documents: list[tuple[bytes, str, str | None, str]]) -> tuple[Report, int]:
    """:func:`best_report` over plain tuples, for a worker process: returns the report and which document."""
    docs = [Document(url, role, data, ctype, "", "", datetime.now(UTC)) for data, url, ctype, role in documents]
    report, doc = best_report(FoundReport(None, "", None, None, docs, False))  # type: ignore[arg-type]
    return report, docs.index(doc)


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

    def totals(self) -> dict[str, int]:
        keys = ("new", "changed", "unchanged", "failed", "skipped")
        out = {k: sum(getattr(a, k) for a in self.agencies) for k in keys}
        out["blocked"] = sum(1 for a in self.agencies if a.blocked)
        out["agencies"] = len(self.agencies)
        return out

    def errors(self) -> list[str]:
        return [f"{a.agency}: {e}" for a in self.agencies for e in a.errors] + \
            [f"{a.agency}: blocked: {a.blocked}" for a in self.agencies if a.blocked]


class NightlyJob:
    """Crawl the agencies, parse and load what is new or changed, and record the run."""

    def __init__(self, settings: Settings, state: State, loader: Loader,
                 on_done: Callable[[AgencyResult], None] | None = None, parse_workers: int | None = None) -> None:
        self.settings = settings
        self.state = state
        self.loader = loader
        self.on_done = on_done
        # parsing is CPU work: on a machine with cores to spare it runs beside the crawl, in processes
        self.parse_workers = max(0, (os.cpu_count() or 1) - 1) if parse_workers is None else parse_workers
        self._pool: ProcessPoolExecutor | None = None

    async def _parse(self, found: FoundReport) -> tuple[Report, Document]:
        if self._pool is None:
            return await asyncio.to_thread(best_report, found)
        plain = [(d.data, d.url, d.content_type, d.role) for d in found.documents]
        report, index = await asyncio.get_running_loop().run_in_executor(self._pool, _best_index, plain)
        return report, found.documents[index]

    async def sink(self, found: FoundReport) -> str:
        report, doc = await self._parse(found)
        status = self.loader(report, doc, found.agency)
        log.info(json.dumps({"event": "report", "agency": found.agency.key, "url": found.url, "status": status,
                             "template": report.template, "year": report.year}, ensure_ascii=False))
        return "changed" if status == "revised" else status

    def run(self, agencies: list[Agency]) -> Summary:
        record = self.state.start_run(RunRecord(None, datetime.now(UTC)))
        summary = Summary(record.id, record.started_at)
        crawler = Crawler(self.settings, self.state, RawStore(self.settings), self.sink, on_done=self.on_done)
        if self.parse_workers:
            self._pool = ProcessPoolExecutor(self.parse_workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_exit_with_parent, initargs=(os.getpid(),))
        try:
            summary.agencies = asyncio.run(crawler.crawl(agencies))
            record.status = "finished"
        except BaseException:
            record.status = "interrupted"
            raise
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
            record.finished_at = summary.finished_at = datetime.now(UTC)
            record.counts = summary.totals()
            record.errors = summary.errors()
            record.agencies = {a.agency: {k: v for k, v in asdict(a).items() if k != "agency"}
                               for a in summary.agencies}
            self.state.finish_run(record)
        return summary


def db_loader(engine) -> Loader:
    """``db.load.load_report`` behind the loader signature: the document's provenance and the agency's hints."""
    from db.load import AgencyHint, DocumentInfo, load_report

    def load(report: Report, document: Document, agency: Agency) -> str:
        info = DocumentInfo(source=document.url, content_hash=document.content_hash,
                            content_type=document.content_type, encoding=report.encoding, size=len(document.data),
                            fetched_at=document.fetched_at, published=report.published, raw_path=document.raw_path)
        hint = AgencyHint(name=agency.name, region_code=agency.region_code, level=agency.level,
                          parent=agency.parent, site_url=agency.start_url)
        return load_report(engine, report, info, hint).status

    return load


def print_summary(summary: Summary, out=None) -> None:
    """A table per agency and the totals: for people at a terminal and for cron mail alike."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out or sys.stdout, width=150)
    table = Table(title=f"run {summary.run_id}", title_justify="left")
    for col in ("agency", "family", "new", "changed", "unchanged", "failed", "blocked"):
        table.add_column(col, justify="right" if col in ("new", "changed", "unchanged", "failed") else "left")
    for a in summary.agencies:
        table.add_row(a.agency, a.family or "", str(a.new), str(a.changed), str(a.unchanged), str(a.failed),
                      (a.blocked or "")[:60])
    console.print(table)
    t = summary.totals()
    console.print(f"{t['agencies']} agencies: {t['new']} new, {t['changed']} changed, {t['unchanged']} unchanged, "
                  f"{t['failed']} failed, {t['blocked']} blocked, {t['skipped']} skipped by robots.txt")
    for line in summary.errors()[:20]:
        console.print(f"  [yellow]{line}[/yellow]")
