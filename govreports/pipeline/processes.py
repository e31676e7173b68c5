"""The crawl spread over several processes of one machine, one :class:`~.sites.Site` in exactly one of them.

One crawler process spends ~2 ms of CPU on a request, and a large registry's politeness floor asks
for more requests a second than one core serves (1,000 hosts at a 1 s delay: 1,000 a second). The
sites are therefore shared out over ``CRAWL_PROCESSES`` crawler processes, each running the same
:class:`~govreports.scraper.crawl.Crawler` over its share. Sites are disjoint in their hosts, so
per-host politeness holds whichever process crawls a site.

Only this process writes: a child reads the crawl state directly (a SQL database opened read-only,
or a copy of an in-memory state) and sends everything it would write — crawl records, blocks, each
found report for the sink, each agency's result — down a pipe to this process, which puts it in
the one state, hands reports to the one sink (the nightly job's parse/load workers) and calls
``on_done``. SQLite keeps its single writer. A child that dies (killed, a crash in a C extension)
loses only its unfinished agencies: each is recorded with an error naming the death (the run exits
3) and crawled again next run, as any interrupted work is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import multiprocessing
import os
import queue
import resource
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from govreports.scraper.crawl import AgencyResult, Crawler, FoundReport, Sink, agencies_in_flight
from govreports.scraper.registry import Agency
from govreports.scraper.state import FetchRecord, State
from govreports.scraper.store import RawStore
from govreports.settings import Settings

from .sites import Site, group_sites

log = logging.getLogger("govreports.crawl")


@dataclass
class CrawlOutcome:
    """What a crawl gave: every agency's result in the order given, the hosts given up, and per crawler
    process its peak RSS (MB) and CPU seconds (this process first), for benchmarks and the record."""

    results: list[AgencyResult]
    given_up: dict[str, str] = field(default_factory=dict)
    peaks_mb: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def crawl_processes(settings: Settings, sites: list[Site]) -> int:
    """How many crawler processes: ``CRAWL_PROCESSES``, or with ``0`` one per ``CRAWL_HOSTS_PER_PROCESS``
    hosts, at most the CPU count; never more than there are sites."""
    asked = int(settings["CRAWL_PROCESSES"])
    if asked <= 0:
        hosts = sum(len(s.hosts) for s in sites)
        asked = min(os.cpu_count() or 1, math.ceil(hosts / max(1, int(settings["CRAWL_HOSTS_PER_PROCESS"]))))
    return max(1, min(asked, len(sites)))


def share_out(sites: list[Site], n: int) -> list[list[Site]]:
    """``n`` shares of the sites, each site whole, the biggest first to the share with fewest agencies."""
    shares: list[list[Site]] = [[] for _ in range(n)]
    loads = [0] * n
    for site in sorted(sites, key=lambda s: (-len(s.agencies), s.key)):
        i = loads.index(min(loads))
        shares[i].append(site)
        loads[i] += len(site.agencies)
    return [s for s in shares if s]


def crawl_agencies(
    settings: Settings,
    state: State,
    sink: Sink,
    agencies: list[Agency],
    on_done: Callable[[AgencyResult], None] | None = None,
    reader: Any = None,
) -> CrawlOutcome:
    """Crawl ``agencies`` in this process or, when ``CRAWL_PROCESSES`` says so, in several; every write
    goes through ``state``, ``sink`` and ``on_done`` here. ``reader`` is what a child reads the state
    through (picklable, with an ``open()`` giving a :class:`State`); without one the state itself is
    copied to each child (an in-memory state). A state that cannot be shared (``reader`` False) crawls here."""
    sites = group_sites(agencies)
    n = 1 if reader is False else crawl_processes(settings, sites)
    if n <= 1:
        return asyncio.run(_crawl_here(settings, state, sink, agencies, on_done))
    return asyncio.run(_Parent(settings, state, sink, agencies, on_done, reader).crawl(share_out(sites, n)))


async def _crawl_here(
    settings: Settings, state: State, sink: Sink, agencies: list[Agency], on_done: Callable[[AgencyResult], None] | None
) -> CrawlOutcome:
    crawler = Crawler(settings, state, RawStore(settings), sink, on_done=on_done)
    started = time.process_time()
    results = await crawler.crawl(agencies)
    return CrawlOutcome(results, dict(crawler.fetcher.given_up), [_peak_mb()], [time.process_time() - started])


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_settings(settings: Settings, n: int) -> Settings:
    """A child's settings: the agencies in flight and requests in flight across hosts divided among the
    ``n`` processes, so the machine's totals (and its memory) stay what the settings say."""
    in_flight = agencies_in_flight(settings)
    return settings.replace(
        CRAWL_PROCESSES=1,
        CONCURRENCY_AGENCIES=max(1, math.ceil(in_flight / n)),
        CONCURRENCY_GLOBAL=max(1, math.ceil(int(settings["CONCURRENCY_GLOBAL"]) / n)),
    )


# --- this process: the one that writes ---------------------------------------------------------


@dataclass
class _Child:
    """One crawler process as this side sees it: its agencies (indexes into the registry by key)."""

    number: int
    process: Any
    conn: Connection
    waiting: dict[str, deque[int]]  # agency key -> its indexes not finished yet
    ended: asyncio.Future[None]
    stats: tuple[float, float] | None = None  # (peak MB, CPU s) once it finished


class _Parent:
    def __init__(
        self,
        settings: Settings,
        state: State,
        sink: Sink,
        agencies: list[Agency],
        on_done: Callable[[AgencyResult], None] | None,
        reader: Any,
    ) -> None:
        self.settings, self.state, self.sink, self.agencies = settings, state, sink, agencies
        self.on_done, self.reader = on_done, reader
        self.results: list[AgencyResult | None] = [None] * len(agencies)
        self.given_up: dict[str, str] = {}
        self.tasks: set[asyncio.Task] = set()

    async def crawl(self, shares: list[list[Site]]) -> CrawlOutcome:
        started = time.process_time()
        loop = asyncio.get_running_loop()
        index: dict[str, deque[int]] = {}
        for i, agency in enumerate(self.agencies):
            index.setdefault(agency.key, deque()).append(i)
        ctx = multiprocessing.get_context("spawn")
        child_conf = child_settings(self.settings, len(shares))
        reader = self.reader if self.reader is not None else self.state
        level = logging.getLogger("govreports").getEffectiveLevel()
        children = []
        for number, share in enumerate(shares):
            mine = [a for site in share for a in site.agencies]
            waiting: dict[str, deque[int]] = {a.key: index[a.key] for a in mine}
            here, there = ctx.Pipe()
            process = ctx.Process(
                target=_child_main,
                args=(there, mine, child_conf, reader, os.getpid(), level),
                name=f"govreports-crawl-{number}",
                daemon=True,
            )
            process.start()
            there.close()
            child = _Child(number, process, here, waiting, loop.create_future())
            threading.Thread(target=self._listen, args=(child, loop), daemon=True, name=f"crawl-{number}-in").start()
            children.append(child)
        await asyncio.gather(*(c.ended for c in children))
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        outcome = CrawlOutcome([], self.given_up, [_peak_mb()], [time.process_time() - started])
        for child in children:
            await asyncio.to_thread(child.process.join, 30)
            self._record_end(child, outcome)
        outcome.results = [r for r in self.results if r is not None]
        return outcome

    def _record_end(self, child: _Child, outcome: CrawlOutcome) -> None:
        """A child's figures, or — when it died — its unfinished agencies, each with the error."""
        if child.stats is not None:
            outcome.peaks_mb.append(child.stats[0])
            outcome.cpu_s.append(child.stats[1])
        left = [i for indexes in child.waiting.values() for i in indexes]
        if child.stats is not None and not left:
            return
        why = f"crawl process {child.number} died (exit code {child.process.exitcode})"
        outcome.problems.append(f"{why}: {len(left)} agencies not finished, crawled again next run")
        log.error(why)
        for i in sorted(left):
            agency = self.agencies[i]
            self.results[i] = AgencyResult(
                agency.key, agency.family, errors=[f"{agency.start_url}: {why} before this agency was finished"]
            )

    def _listen(self, child: _Child, loop: asyncio.AbstractEventLoop) -> None:
        """A thread per child: read its messages and hand them to the loop, a burst at a time; it never
        writes, so a child blocked writing to us is always drained."""
        while True:
            batch: list[tuple] = []
            try:
                batch.extend(child.conn.recv())  # a child sends its messages in lists (see _Outbox)
                while len(batch) < 1024 and child.conn.poll():
                    batch.extend(child.conn.recv())
            except (EOFError, OSError):
                loop.call_soon_threadsafe(self._handle, child, batch)
                loop.call_soon_threadsafe(self._ended, child)
                return
            loop.call_soon_threadsafe(self._handle, child, batch)

    def _ended(self, child: _Child) -> None:
        if not child.ended.done():
            child.ended.set_result(None)

    def _handle(self, child: _Child, batch: list[tuple]) -> None:
        for message in batch:
            kind = message[0]
            if kind == "put":
                self.state.put(message[1])
            elif kind == "found":
                task = asyncio.create_task(self._sink(child, message[1], message[2]))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
            elif kind == "done":
                self._done(child, message[1])
            elif kind == "block":
                self.state.block(*message[1])
            elif kind == "unblock":
                self.state.unblock(message[1])
            elif kind == "log":
                logging.getLogger(message[1].name).handle(message[1])
            elif kind == "end":
                self.given_up.update(message[1])
                child.stats = (message[2], message[3])

    async def _sink(self, child: _Child, number: int, found: FoundReport) -> None:
        try:
            reply: tuple = ("sunk", number, await self.sink(found), None)
        except Exception as exc:  # the child's crawler records it as this report's failure
            reply = ("sunk", number, None, _portable(exc))
        with contextlib.suppress(OSError, ValueError):  # a child gone: its unfinished agencies are recorded
            child.conn.send(reply)

    def _done(self, child: _Child, result: AgencyResult) -> None:
        indexes = child.waiting.get(result.agency)
        if not indexes:
            return
        self.results[indexes.popleft()] = result
        if self.on_done:
            self.on_done(result)


def _portable(exc: Exception) -> Exception:
    """The exception itself if it crosses a pipe, else a RuntimeError saying what it was."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


# --- a child: the crawler over one share ---------------------------------------------------------


class _ChildState:
    """The crawl state in a child: reads from ``reader`` (its own records first), writes sent to the parent.

    A record put here is kept until its agency is done, so the agency's own later reads see it
    before the parent has written it."""

    def __init__(self, reader: State, send: Callable[[tuple], None]) -> None:
        self.reader, self.send = reader, send
        self.kept: dict[str, FetchRecord] = {}
        self.by_agency: dict[str, list[str]] = {}

    def get(self, url: str) -> FetchRecord | None:
        kept = self.kept.get(url)
        return kept if kept is not None else self.reader.get(url)

    def get_many(self, urls: list[str]) -> dict[str, FetchRecord]:
        found = {u: r for u in urls if (r := self.kept.get(u)) is not None}
        missing = [u for u in urls if u not in found]
        return {**self.reader.get_many(missing), **found} if missing else found

    def put(self, record: FetchRecord) -> None:
        if record.url not in self.kept:
            self.by_agency.setdefault(record.agency, []).append(record.url)
        self.kept[record.url] = record
        self.send(("put", record))

    def forget(self, agency: str) -> None:
        for url in self.by_agency.pop(agency, []):
            self.kept.pop(url, None)

    def block(self, agency: str, url: str, status: int, evidence: str) -> None:
        self.send(("block", (agency, url, status, evidence)))

    def unblock(self, agency: str) -> None:
        self.send(("unblock", agency))

    def start_run(self, run):  # runs are the parent's
        raise NotImplementedError

    def finish_run(self, run) -> None:
        raise NotImplementedError


class _Outbox:
    """A child's messages to the parent: those of one turn of the event loop go as one list, written by
    a thread of its own, so the loop neither pickles big reports nor waits on a full pipe."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[tuple] = []
        self.queue: queue.SimpleQueue[list[tuple] | None] = queue.SimpleQueue()
        self.owner = threading.get_ident()  # the thread that runs the loop; other threads send at once
        self.thread = threading.Thread(target=self._write, daemon=True, name="to-parent")
        self.thread.start()

    def send(self, message: tuple) -> None:
        if threading.get_ident() != self.owner:
            self.queue.put([message])
            return
        self.pending.append(message)
        if len(self.pending) == 1:
            try:
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no loop running: now
                self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if batch:
            self.queue.put(batch)

    def close(self) -> None:
        """Everything sent, then the pipe closed."""
        self.flush()
        self.queue.put(None)
        self.thread.join()
        self.conn.close()

    def _write(self) -> None:
        while (batch := self.queue.get()) is not None:
            try:
                self.conn.send(batch)
            except OSError:  # the parent is gone: nothing sent here would be kept
                os._exit(1)


class _ToParent(logging.Handler):
    """The child's log records, sent to the parent's handlers (JSON lines on its stderr)."""

    def __init__(self, send: Callable[[tuple], None]) -> None:
        super().__init__()
        self.send = send

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if record.exc_info:
                record.exc_text = "".join(traceback.format_exception(*record.exc_info))
            record.msg, record.args, record.exc_info = record.getMessage(), None, None
            self.send(("log", record))
        except Exception:
            self.handleError(record)


def _child_main(
    conn: Connection, agencies: list[Agency], settings: Settings, reader: Any, parent: int, level: int
) -> None:
    """A crawler process: crawl the share, every write sent to the parent; exit when the parent is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
    outbox = _Outbox(conn)
    send = outbox.send
    root = logging.getLogger("govreports")
    root.handlers[:] = [_ToParent(send)]
    root.setLevel(level)
    root.propagate = False
    source = reader.open() if hasattr(reader, "open") else reader
    started = time.process_time()
    given_up = asyncio.run(_child_crawl(conn, agencies, settings, _ChildState(source, send)))
    send(("end", given_up, _peak_mb(), time.process_time() - started))
    outbox.close()


async def _child_crawl(conn: Connection, agencies: list[Agency], settings: Settings, state: _ChildState) -> dict:
    loop = asyncio.get_running_loop()
    waiting: dict[int, asyncio.Future[str]] = {}
    numbers = iter(range(1 << 62))

    def replies() -> None:  # the parent's answers to found reports
        try:
            while conn.poll():
                _, number, status, error = conn.recv()
                future = waiting.pop(number)
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(status)
        except (EOFError, OSError):  # the parent is gone: nothing written here would be kept
            os._exit(1)

    async def sink(found: FoundReport) -> str:
        number = next(numbers)
        future = waiting[number] = loop.create_future()
        state.send(("found", number, found))
        return await future

    def done(result: AgencyResult) -> None:
        state.forget(result.agency)
        state.send(("done", result))

    loop.add_reader(conn.fileno(), replies)
    crawler = Crawler(settings, state, RawStore(settings), sink, on_done=done)
    try:
        await crawler.crawl(agencies)
    finally:
        loop.remove_reader(conn.fileno())
    return dict(crawler.fetcher.given_up)
