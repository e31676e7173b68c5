"""The crawler's :class:`scraper.state.State` kept in SQL (SQLite or PostgreSQL) through ``db.crawl_models``."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from sqlalchemy import Engine, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from scraper.state import FetchRecord, RunRecord

from .crawl_models import CrawlBlock, CrawlFetch, CrawlRun

_FETCH_FIELDS = [f.name for f in fields(FetchRecord)]


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class SQLState:
    """Each call is its own short transaction: a run killed at any moment leaves only whole records."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        table = CrawlFetch.__table__
        self._select = select(*[table.c[k] for k in _FETCH_FIELDS]).where(table.c.url == bindparam("url"))

    def get(self, url: str) -> FetchRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._select, {"url": url}).first()
        if row is None:
            return None
        rec = FetchRecord(**row._asdict())
        rec.fetched_at = _aware(rec.fetched_at)
        rec.children = list(rec.children or [])
        return rec

    def put(self, record: FetchRecord) -> None:
        """One upsert statement (a crawl writes one per URL: it must be cheap)."""
        values = {k: getattr(record, k) for k in _FETCH_FIELDS}
        stmt = self._insert(CrawlFetch).values(**values)
        stmt = stmt.on_conflict_do_update(index_elements=["url"], set_={k: stmt.excluded[k] for k in values
                                                                         if k != "url"})
        with self.engine.begin() as conn:
            conn.execute(stmt)

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
        with Session(self.engine) as s, s.begin():
            row = s.get(CrawlRun, run.id)
            row.finished_at, row.status = run.finished_at, run.status
            row.counts, row.errors, row.agencies = run.counts, run.errors, run.agencies

    def runs(self) -> list[RunRecord]:
        with Session(self.engine) as s:
            return [RunRecord(r.id, _aware(r.started_at), _aware(r.finished_at), r.status, dict(r.counts or {}),
                              list(r.errors or []), dict(r.agencies or {}))
                    for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))]
