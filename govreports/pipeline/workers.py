"""The parse workers: each takes a batch of found reports, parses them and (with a :class:`DBLoader`) loads them.

They run in processes beside the crawl (or in one writer thread when there are none), so the
crawl's event loop only fetches.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass

from govreports.parsers import Report
from govreports.scraper.crawl import FoundReport

from .choose import Choice, best_report, failed_for_good
from .loader import DBLoader, LoadItem

log = logging.getLogger("govreports.nightly")


def start_worker(parent: int, loader: DBLoader | None) -> None:
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


def ready() -> None:
    """A task that only makes the pool start its worker now."""


@dataclass(slots=True)
class Outcome:
    """What a worker made of one found report: which document won, and its load status if it loaded it."""

    index: int = 0
    template: str | None = None
    year: int | None = None
    status: str | None = None  # set when the worker loaded the report itself
    report: Report | None = None  # set when the loader runs in the crawl's process
    error: str | None = None


def work(batch: list[FoundReport], loader: DBLoader | None) -> list[Outcome]:
    """Parse a batch of found reports and, with a :class:`DBLoader`, load them in one transaction.

    Runs in a parse worker (or in the job's writer thread when there are none), so the crawl's
    event loop only fetches. A report that cannot be parsed fails alone; if the database cannot be
    reached every report of the batch fails, and the crawl records them as such. Each report is
    parsed with what the crawl knew of it (the list item's text and date: its context).
    """
    outcomes: list[Outcome] = []
    parsed: list[tuple[Outcome, LoadItem]] = []
    for found in batch:
        try:
            choice: Choice = best_report(found)
        except Exception as exc:  # a parser bug: this report fails, the batch goes on
            log.exception("parse failed")
            outcomes.append(Outcome(error=f"parse failed: {type(exc).__name__}: {exc}"))
            continue
        report = choice.report
        outcome = Outcome(
            found.documents.index(choice.document),
            report.template,
            report.year,
            report=None if loader is not None else report,
        )
        outcomes.append(outcome)
        parsed.append((outcome, LoadItem(report, choice.document, found.agency, choice.context)))
    if loader is None or not parsed:
        return outcomes
    try:
        statuses = loader.load_many([item for _, item in parsed])
    except Exception as exc:
        for outcome, _ in parsed:
            outcome.error = f"not loaded: {type(exc).__name__}: {str(exc).strip().splitlines()[0][:300]}"
        return outcomes
    for (outcome, item), status in zip(parsed, statuses, strict=True):
        outcome.status = "rejected" if status == "failed" and failed_for_good(item.report) else status
    return outcomes
