"""The crawler's :class:`govreports.scraper.state.State` kept in SQL (SQLite or PostgreSQL) through ``govreports.db.crawl_models``."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import cast, overload

from sqlalchemy import Engine, Table, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from govreports.db.crawl_models import CrawlBlock, CrawlFetch, CrawlRun
from govreports.scraper.state import FetchRecord, RunRecord

_FETCH_FIELDS = [f.name for f in fields(FetchRecord)]
log = logging.getLogger(__name__)


@overload
def _aware(value: datetime) -> datetime: ...
@overload
def _aware(value: datetime | None) -> datetime | None: ...
def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _record(row) -> FetchRecord:
    rec = FetchRecord(**row._asdict())
    rec.fetched_at = _aware(rec.fetched_at)
    rec.children = list(rec.children or [])
    return rec


@dataclass(frozen=True)
class SQLReader:
    """A crawl state's database by URL, picklable: a crawler process opens it to read (never writes)."""

    url: str

    def open(self) -> SQLState:
        from govreports.db.engine import connect

        return SQLState(connect(self.url, migrate=False))


class SQLState:
    """The crawl state in SQL; fetch records are written behind, in batches.

    ``put`` keeps a record in memory, where ``get`` sees it at once, and a writer thread upserts the
    kept records in one transaction every ``flush_every`` records or ``flush_after`` seconds;
    :meth:`flush` (called by :meth:`finish_run`) writes the rest. A record only ever describes
    finished work, so a run killed before a flush loses nothing but the newest records: the next run
    fetches those URLs again and finds their reports already loaded. Blocks and runs are written at once.
    """

    def __init__(self, engine: Engine, flush_every: int = 256, flush_after: float = 1.0) -> None:
        self.engine = engine
        self.flush_every, self.flush_after = flush_every, flush_after
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        table = cast(Table, CrawlFetch.__table__)
        self._select = select(*[table.c[k] for k in _FETCH_FIELDS]).where(table.c.url == bindparam("url"))
        self._select_many = select(*[table.c[k] for k in _FETCH_FIELDS]).where(
            table.c.url.in_(bindparam("urls", expanding=True))
        )
        upsert = self._insert(table)
        self._upsert = upsert.on_conflict_do_update(
            index_elements=["url"], set_={k: upsert.excluded[k] for k in _FETCH_FIELDS if k != "url"}
        )
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[FetchRecord, dict]] = {}
        self._writing: dict[str, tuple[FetchRecord, dict]] = {}
        self._writer: ThreadPoolExecutor | None = None
        self._queued: Future | None = None
        self._last_flush = time.monotonic()
        self._error: BaseException | None = None

    def reader(self) -> SQLReader | bool:
        """What a crawler process reads this state through (its own connection), or False for a
        database only this process can see (SQLite in memory)."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return False
        return SQLReader(url.render_as_string(hide_password=False))

    def get(self, url: str) -> FetchRecord | None:
        with self._lock:
            kept = self._pending.get(url) or self._writing.get(url)
        if kept is not None:
            return kept[0]
        with self.engine.connect() as conn:
            row = conn.execute(self._select, {"url": url}).first()
        return None if row is None else _record(row)

    def get_many(self, urls: list[str]) -> dict[str, FetchRecord]:
        """What :meth:`get` gives for each URL, in one query per 500 URLs instead of one per URL."""
        found: dict[str, FetchRecord] = {}
        missing: list[str] = []
        with self._lock:
            for url in dict.fromkeys(urls):
                kept = self._pending.get(url) or self._writing.get(url)
                if kept is not None:
                    found[url] = kept[0]
                else:
                    missing.append(url)
        if missing:
            with self.engine.connect() as conn:
                for i in range(0, len(missing), 500):
                    for row in conn.execute(self._select_many, {"urls": missing[i : i + 500]}):
                        found[row.url] = _record(row)
        return found

    def put(self, record: FetchRecord) -> None:
        """Keep the record (its values as they are now); write the kept ones when enough are waiting."""
        values = {k: getattr(record, k) for k in _FETCH_FIELDS}
        values["children"] = list(values["children"] or [])
        with self._lock:
            self._pending[record.url] = (record, values)
            due = len(self._pending) >= self.flush_every or time.monotonic() - self._last_flush >= self.flush_after
            if due and (self._queued is None or self._queued.done()):
                if self._writer is None:
                    self._writer = ThreadPoolExecutor(1, thread_name_prefix="crawl-state")
                self._queued = self._writer.submit(self._write_pending)

    def flush(self) -> None:
        """Write every kept record now; raises if the database refuses them (they stay kept)."""
        if self._queued is not None:
            self._queued.result()
        self._write_pending()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self) -> None:
        self.flush()
        if self._writer is not None:
            self._writer.shutdown()
            self._writer = None

    def _write_pending(self) -> None:
        with self._lock:
            batch, self._pending = self._pending, {}
            self._writing.update(batch)
            self._last_flush = time.monotonic()
        if not batch:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(self._upsert, [values for _, values in batch.values()])
            self._error = None
        except Exception as exc:  # keep them for the next flush; flush() reports it
            log.error("crawl state not written (%d records kept for the next try): %s", len(batch), exc)
            self._error = exc
            with self._lock:
                for url, kept in batch.items():
                    self._pending.setdefault(url, kept)
        finally:
            with self._lock:
                for url, kept in batch.items():
                    if self._writing.get(url) is kept:
                        del self._writing[url]

    def block(self, agency: str, url: str, status: int, evidence: str) -> None:
        with Session(self.engine) as s, s.begin():
            s.merge(CrawlBlock(agency=agency, url=url, status=status, evidence=evidence, seen_at=datetime.now(UTC)))

    def unblock(self, agency: str) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(delete(CrawlBlock).where(CrawlBlock.agency == agency))

    def blocked(self) -> dict[str, tuple[str, int, str]]:
        with Session(self.engine) as s:
            return {b.agency: (b.url, b.status, b.evidence) for b in s.scalars(select(CrawlBlock))}

    def start_run(self, run: RunRecord) -> RunRecord:
        with Session(self.engine) as s, s.begin():
            row = CrawlRun(started_at=run.started_at, status=run.status, counts={}, errors=[], agencies={})
            s.add(row)
            s.flush()
            run.id = row.id
        return run

    def finish_run(self, run: RunRecord) -> None:
        self.flush()
        with Session(self.engine) as s, s.begin():
            row = s.get(CrawlRun, run.id)
            if row is None:
                raise ValueError(f"run {run.id} was never started in this database")
            row.finished_at, row.status = run.finished_at, run.status
            row.counts, row.errors, row.agencies = run.counts, run.errors, run.agencies

    def runs(self) -> list[RunRecord]:
        with Session(self.engine) as s:
            return [
                RunRecord(
                    r.id,
                    _aware(r.started_at),
                    _aware(r.finished_at),
                    r.status,
                    dict(r.counts or {}),
                    list(r.errors or []),
                    dict(r.agencies or {}),
                )
                for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))
            ]
