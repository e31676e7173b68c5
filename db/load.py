"""Storing parsed reports: idempotent, transactional per report, safe for concurrent loaders.

* The same bytes (content hash) loaded again change nothing: status ``unchanged``.
* A different document for an (agency, year) that already has a report becomes a new version
  (status ``revised``); the current version is the one published last, ties and unknown dates going
  to the later load, and every other version points at its successor in that order (see
  :func:`publication_order`). A different document whose parsed content equals any stored version
  of its (agency, year) (a page re-fetched with a new view counter, an old copy found again) adds no
  version: its document is recorded, status ``unchanged``.
* A document the parser could not read is recorded with the reason: status ``failed``.
* Every report is written in one transaction; :func:`load_reports` writes batches in one
  transaction each and, if a batch fails, retries its reports one by one, so one bad report never
  leaves anything partial nor sinks the others. A report that still fails has its document
  recorded as ``failed`` with the error.
* On PostgreSQL, concurrent loaders serialise per (agency, year) on advisory locks, documents are
  claimed by ``INSERT … ON CONFLICT DO NOTHING`` on the content hash, and a transaction that loses a
  race (deadlock, unique violation) is retried whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from govreports import parsers, settings

from .agencies import AgencyHint, dialect_insert, register_agency, resolve_agencies
from .errors import LoadError
from .failures import Failure, record_failures, resolve_failures
from .models import Document, FactKey, Finding, Report

__all__ = [
    "AgencyHint",
    "DocumentInfo",
    "LoadResult",
    "content_key",
    "fact_key_ids",
    "insert_facts",
    "iter_load",
    "load_report",
    "load_reports",
    "publication_order",
    "register_agency",
]

log = logging.getLogger(__name__)

FACT_COLUMNS = (
    "report_id",
    "key_id",
    "value",
    "raw",
    "inferred",
    "page",
)  # of fact_values (govreports.db.models.FactValue)
FACT_PG_TYPES = ("int4", "int2", "float8", "text", "bool", "int2")  # for binary COPY, in that order
RETRIES = 6


@dataclass(slots=True)
class DocumentInfo:
    """The file a report was parsed from: what the ``documents`` table records about it."""

    source: str
    content_hash: str
    content_type: str | None = None
    encoding: str | None = None
    size: int | None = None
    fetched_at: datetime | None = None
    published: date | str | None = None
    raw_path: str | None = None

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        report: parsers.Report,
        content_type: str | None = None,
        raw_path: str | None = None,
        fetched_at: datetime | None = None,
    ) -> DocumentInfo:
        return cls(
            source=report.source,
            content_hash=hashlib.sha256(data).hexdigest(),
            content_type=content_type,
            encoding=report.encoding,
            size=len(data),
            fetched_at=fetched_at,
            published=report.published,
            raw_path=raw_path,
        )

    @classmethod
    def from_path(cls, path: str | Path, report: parsers.Report) -> DocumentInfo:
        """A file on disk, kept where it is (``raw_path`` is its absolute path)."""
        p = Path(path)
        return cls.from_bytes(p.read_bytes(), report, raw_path=str(p.resolve()))


@dataclass(slots=True)
class LoadResult:
    """What became of one document: ``new`` | ``unchanged`` | ``revised`` | ``failed``."""

    status: str
    source: str
    report_id: int | None = None
    document_id: int | None = None
    agency: str | None = None
    year: int | None = None
    version: int | None = None
    reason: str | None = None  # why it failed; `unchanged`: what it repeats; `revised`: why not current
    stage: str | None = None  # where it failed: fetch | read | parse | store (see db.failures)


@dataclass
class _Item:
    report: parsers.Report
    doc: DocumentInfo
    hint: AgencyHint | None
    result: LoadResult
    agency_id: int | None = None
    doc_existing: bool = False
    same_as: _Item | None = None  # an earlier copy in the same batch with equal content


# --- public entry points ----------------------------------------------------------------------


def load_report(
    engine: Engine, report: parsers.Report, document: DocumentInfo, agency: AgencyHint | None = None
) -> LoadResult:
    """Store one parsed report and its document in one transaction (see the module doc)."""
    return _load_many(engine, [(report, document, agency)])[0]


def load_reports(
    engine: Engine,
    items: Iterable[tuple[parsers.Report, DocumentInfo] | tuple[parsers.Report, DocumentInfo, AgencyHint | None]],
    batch_size: int | None = None,
) -> list[LoadResult]:
    """The bulk path: ``(report, document[, hint])`` tuples, written ``batch_size`` to a transaction.

    ``batch_size`` defaults to the ``DB_BATCH_SIZE`` setting."""
    return list(iter_load(engine, items, batch_size))


def iter_load(engine: Engine, items: Iterable[tuple], batch_size: int | None = None) -> Iterator[LoadResult]:
    """Like :func:`load_reports`, yielding results batch by batch (for progress output)."""
    batch_size = int(settings.get("DB_BATCH_SIZE")) if batch_size is None else batch_size
    it = iter(items)
    while batch := list(islice(it, batch_size)):
        yield from _load_many(engine, [(t[0], t[1], t[2] if len(t) > 2 else None) for t in batch])


# --- batches, retries, fallback -----------------------------------------------------------------


def _load_many(engine: Engine, triples: Sequence[tuple]) -> list[LoadResult]:
    items = [_prepare(r, d, h) for r, d, h in triples]
    try:
        _with_retries(engine, items)
        return [i.result for i in items]
    except Exception as exc:
        if len(items) == 1:
            return [_record_failure(engine, items[0], exc)]
        log.warning("batch of %d failed (%s); loading its reports one by one", len(items), exc)
    out = []
    for r, d, h in triples:
        item = _prepare(r, d, h)
        try:
            _with_retries(engine, [item])
            out.append(item.result)
        except Exception as exc:
            out.append(_record_failure(engine, _prepare(r, d, h), exc))
    return out


def _with_retries(engine: Engine, items: list[_Item]) -> None:
    for attempt in range(RETRIES):
        try:
            with engine.connect() as conn:
                conn = conn.execution_options(sqlite_immediate=True)
                with conn.begin():
                    _write(conn, items)
            return
        except (IntegrityError, OperationalError) as exc:
            if attempt == RETRIES - 1 or not _is_race(exc):
                raise
            items[:] = [_prepare(i.report, i.doc, i.hint) for i in items]  # start afresh: the attempt is void
            time.sleep(0.05 * (attempt + 1))


def _is_race(exc: DBAPIError) -> bool:
    """A transaction that lost to a concurrent one: worth running again."""
    code = getattr(exc.orig, "sqlstate", None)
    if code in ("40P01", "40001", "23505"):  # deadlock, serialization, unique violation
        return True
    return "database is locked" in str(exc.orig) or "UNIQUE constraint failed" in str(exc.orig)


def _record_failure(engine: Engine, item: _Item, exc: BaseException) -> LoadResult:
    """A report that cannot be stored: record its document as failed, with the error, and say so."""
    reason = f"load failed: {type(exc).__name__}: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0][:300]}"
    try:
        with engine.begin() as conn:
            row = _doc_row(item.doc, "failed", reason, item.report)
            doc_id = conn.execute(
                dialect_insert(conn, Document)
                .on_conflict_do_nothing(index_elements=["content_hash"])
                .returning(Document.id),
                row,
            ).scalar()
            if doc_id is None:
                doc_id = conn.execute(
                    select(Document.id).where(Document.content_hash == item.doc.content_hash)
                ).scalar()
                conn.execute(
                    update(Document).where(Document.id == doc_id, Document.status == "failed").values(note=reason)
                )
            record_failures(conn, [Failure(item.doc.source, "store", reason, doc_id)])
    except Exception as exc2:  # the document row fails as the report did: the failure goes without it
        doc_id = None
        first = str(getattr(exc2, "orig", exc2)).strip().splitlines()[0][:300]
        try:
            with engine.begin() as conn:
                record_failures(conn, [Failure(item.doc.source, "store", f"{reason} (document not recorded: {first})")])
        except Exception as exc3:
            raise LoadError(f"{item.doc.source}: {reason}; recording the failure failed too: {exc3}") from exc
    log.error("%s: %s", item.doc.source, reason)
    return LoadResult(
        "failed", item.doc.source, None, doc_id, item.report.agency, item.report.year, reason=reason, stage="store"
    )


# --- preparing (no database) --------------------------------------------------------------------


def _prepare(report: parsers.Report, doc: DocumentInfo, hint: AgencyHint | None) -> _Item:
    item = _Item(report, doc, hint, LoadResult("new", doc.source, agency=report.agency, year=report.year))
    if report.template is None:
        errors = [i for i in report.issues if i.severity == "error"] or report.issues
        item.result = LoadResult(
            "failed",
            doc.source,
            agency=report.agency,
            year=report.year,
            reason="; ".join(f"{i.rule}: {i.message}" for i in errors) or "not read as a report",
            stage="parse",
        )
    elif not (report.agency or hint):
        item.result = LoadResult(
            "failed", doc.source, year=report.year, reason="no_agency: the report names no agency", stage="parse"
        )
    elif report.year is None:
        item.result = LoadResult(
            "failed", doc.source, agency=report.agency, reason="no_year: the report gives no year", stage="parse"
        )
    return item


def content_key(
    template: str,
    agency: str,
    year: int,
    title: str | None,
    published: date | str | None,
    sections: dict | None,
    facts: Iterable[tuple],
) -> str:
    """What a report says, as one string: equal for two documents that differ only in their bytes.

    ``facts`` are (table, row, column, value, raw, inferred, page) in any order. Computed from a
    parsed report and from the stored rows of a version the same way; only needed when a document
    arrives for an (agency, year) that already has a report, so a first load never pays for it.
    """
    rows = sorted(
        (t, r, c, None if v is None else float(v), raw, bool(inf), page) for t, r, c, v, raw, inf, page in facts
    )
    return repr(
        (
            template,
            agency,
            year,
            title,
            None if published is None else str(published),
            sorted((sections or {}).items()),
            rows,
        )
    )


def _item_key(item: _Item) -> str:
    r = item.report
    return content_key(
        r.template,
        r.agency or item.hint.name,
        r.year,
        r.title,
        _date(r.published),
        r.sections,
        ((f.table, f.row, f.column, f.value, f.raw, f.inferred, f.page) for f in r.facts),
    )


def _stored_keys(conn: Connection, report_ids: list[int]) -> dict[int, str]:
    """content_key of stored report versions, read back from their rows."""
    if not report_ids:
        return {}
    facts: dict[int, list] = {rid: [] for rid in report_ids}
    for row in conn.execute(
        text(
            "SELECT report_id, table_name, row_key, column_key, value, raw, inferred, page "
            "FROM facts WHERE report_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": report_ids},
    ):
        facts[row[0]].append(tuple(row[1:]))
    out = {}
    for rid, template, agency, year, title, published, sections in conn.execute(
        select(
            Report.id, Report.template, Report.agency_name, Report.year, Report.title, Report.published, Report.sections
        ).where(Report.id.in_(report_ids))
    ):
        out[rid] = content_key(template, agency, year, title, published, sections, facts[rid])
    return out


def _doc_row(doc: DocumentInfo, status: str, note: str | None, report: parsers.Report) -> dict:
    return {
        "source": doc.source,
        "content_hash": doc.content_hash,
        "content_type": doc.content_type,
        "format": report.format,
        "encoding": doc.encoding,
        "size": doc.size,
        "fetched_at": doc.fetched_at,
        "published": _date(doc.published),
        "raw_path": doc.raw_path,
        "status": status,
        "note": note,
    }


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


# --- writing (one transaction) ------------------------------------------------------------------


def _write(conn: Connection, items: list[_Item]) -> None:
    _write_batch(conn, items)
    for item in items:  # unchanged against an earlier copy in this batch: that copy's report
        if item.same_as is not None and item.result.report_id is None:
            item.result.report_id = item.same_as.result.report_id
    # in the same transaction: a document that could not be read as a report is an open failure of
    # its source; a source that loaded closes its open failure
    record_failures(
        conn,
        [
            Failure(i.doc.source, "parse", i.result.reason or "not read as a report", i.result.document_id)
            for i in items
            if i.result.status == "failed"
        ],
    )
    resolve_failures(conn, [(i.doc.source, i.result.document_id) for i in items if i.result.status != "failed"])


def _write_batch(conn: Connection, items: list[_Item]) -> None:
    _claim_documents(conn, items)
    # versions follow the order the documents were given in, not the order their rows were claimed in
    loading = [i for i in items if not i.doc_existing and i.result.status != "failed"]
    if not loading:
        return
    for item, agency_id in zip(
        loading, resolve_agencies(conn, [(i.report.agency, i.hint) for i in loading]), strict=True
    ):
        item.agency_id = agency_id
    new_rows, touched = _allocate_versions(conn, loading)
    if not new_rows:
        return
    _insert_reports(conn, new_rows, touched)
    # the rows are made while they are written (the server takes one chunk while the next is made);
    # a key not numbered yet stops the stream, which is then rolled back and written again
    try:
        with conn.begin_nested():
            insert_facts(conn, _fact_rows(new_rows, fact_key_ids(conn)))
    except _UnknownKey:  # a key no report brought before (rare: the templates' keys are numbered)
        ids = fact_key_ids(conn, {(f.table, f.row, f.column) for i in new_rows for f in i.report.facts})
        insert_facts(conn, _fact_rows(new_rows, ids))
    findings = [
        {
            "report_id": i.result.report_id,
            "rule": s.rule,
            "severity": s.severity,
            "message": s.message,
            "cells": ", ".join(s.cells) or None,
            "expected": s.expected,
            "actual": s.actual,
            "origin": "parser",
        }
        for i in new_rows
        for s in i.report.issues
    ]
    if findings:
        conn.execute(insert(Finding), findings)


def _claim_documents(conn: Connection, items: list[_Item]) -> None:
    """Insert the documents in content-hash order (a concurrent loader of the same bytes waits here);
    mark those already loaded as ``unchanged``, retry those that failed before."""
    by_hash: dict[str, _Item] = {}
    for item in sorted(items, key=lambda i: i.doc.content_hash):
        if item.doc.content_hash in by_hash:  # the same bytes twice in one batch
            first = by_hash[item.doc.content_hash]
            item.result = LoadResult(
                "unchanged",
                item.doc.source,
                agency=item.report.agency,
                year=item.report.year,
                reason="same document as " + first.doc.source,
            )
            item.doc_existing = True
            item.same_as = first
            continue
        by_hash[item.doc.content_hash] = item
    claim = (
        dialect_insert(conn, Document)
        .on_conflict_do_nothing(index_elements=["content_hash"])
        .returning(Document.id, Document.content_hash)
    )
    rows = [
        _doc_row(i.doc, "failed" if i.result.status == "failed" else "loaded", i.result.reason, i.report)
        for i in by_hash.values()
    ]
    claimed = {
        h: doc_id
        for doc_id, h in (
            _pg_insert_returning(conn, "documents", rows, "content_hash", on_conflict="content_hash")
            if conn.dialect.name == "postgresql"
            else conn.execute(claim, rows)
        )
    }
    for h, doc_id in claimed.items():
        by_hash[h].result.document_id = doc_id
    seen = [h for h in by_hash if h not in claimed]
    if seen:  # loaded before (or by a concurrent loader that committed first)
        old = {
            h: (doc_id, status)
            for doc_id, h, status in conn.execute(
                select(Document.id, Document.content_hash, Document.status).where(Document.content_hash.in_(seen))
            )
        }
        reports_of = dict(
            conn.execute(
                select(Report.document_id, Report.id).where(Report.document_id.in_([v[0] for v in old.values()]))
            ).all()
        )
        retry = []
        for h in seen:
            item, (doc_id, old_status) = by_hash[h], old[h]
            item.result.document_id = doc_id
            if old_status == "failed" and item.result.status != "failed":
                retry.append(doc_id)  # it failed before: try again with the same document row
                continue
            item.doc_existing = True
            if item.result.status != "failed":
                item.result = LoadResult(
                    "unchanged",
                    item.doc.source,
                    reports_of.get(doc_id),
                    doc_id,
                    item.report.agency,
                    item.report.year,
                    reason="document already loaded",
                )
        if retry:
            conn.execute(update(Document).where(Document.id.in_(retry)).values(status="loaded", note=None))
    for item in items:  # duplicates inside the batch point at the first copy's document
        if item.same_as is not None and item.result.document_id is None:
            item.result.document_id = item.same_as.result.document_id


Pair = tuple[int, int]  # (agency_id, year)


@dataclass(eq=False)
class _Version:
    """A version of an (agency, year) report, stored or being written in this batch."""

    version: int  # the load order: version n was loaded after versions 1 … n-1
    published: date | None
    report_id: int | None = None  # stored; a new version has its id once inserted (item.result.report_id)
    item: _Item | None = None  # a new version
    is_current: bool = False  # as stored
    superseded_by: int | None = None  # as stored

    @property
    def id(self) -> int | None:
        return self.report_id if self.item is None else self.item.result.report_id


def publication_order(versions: Iterable[_Version]) -> list[_Version]:
    """The versions of one (agency, year), oldest first; the last is the current one.

    By published date, then by load order: a later date wins; on equal dates, or where a version has
    no date, the later load wins. Precisely, a version without a date counts as published on the
    latest date of the versions loaded before it (or before every dated version, if none has a
    date), and ties go to the later load. So an old copy loaded after its revision does not become
    current, a re-publication without a date does. Each version's successor in this order is the
    version that superseded it (``superseded_by``).
    """
    latest: date | None = None
    keyed = []
    for v in sorted(versions, key=lambda v: v.version):
        effective = v.published if v.published is not None else latest
        if v.published is not None and (latest is None or v.published > latest):
            latest = v.published
        keyed.append((effective is not None, effective or date.min, v.version, v))
    return [k[-1] for k in sorted(keyed, key=lambda k: k[:3])]


def _allocate_versions(conn: Connection, loading: list[_Item]) -> tuple[list[_Item], dict[Pair, list[_Version]]]:
    """Per (agency, year), under a lock: compare with every stored version, number the new versions.

    A document whose content equals any version of its (agency, year) — current or not — is
    ``unchanged``. Returns the items that become reports and, for each (agency, year) that gets a new
    version, all its versions (stored and new) in load order.
    """
    pairs = sorted({(i.agency_id, i.report.year) for i in loading})
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(a, y)) FROM "
                "(SELECT a, y FROM unnest(CAST(:a AS int[]), CAST(:y AS int[])) AS t(a, y) ORDER BY a, y) s"
            ),
            {"a": [p[0] for p in pairs], "y": [p[1] for p in pairs]},
        )
    wanted = set(pairs)
    versions: dict[Pair, list[_Version]] = {}
    for rid, aid, year, version, is_cur, published, superseded_by in conn.execute(
        select(
            Report.id,
            Report.agency_id,
            Report.year,
            Report.version,
            Report.is_current,
            Report.published,
            Report.superseded_by,
        ).where(Report.agency_id.in_(sorted({p[0] for p in pairs})))
    ):
        if (aid, year) in wanted:
            versions.setdefault((aid, year), []).append(
                _Version(version, _date(published), rid, None, bool(is_cur), superseded_by)
            )
    stored = _stored_keys(conn, sorted(v.report_id for vs in versions.values() for v in vs))
    keys: dict[int, str] = {}  # id(item) → content_key, computed only where there is something to compare
    new_rows: list[_Item] = []
    touched: dict[Pair, list[_Version]] = {}
    for item in loading:
        pair = (item.agency_id, item.report.year)
        known = versions.setdefault(pair, [])
        match = None
        if known:
            mine = keys.setdefault(id(item), _item_key(item))
            for v in sorted(known, key=lambda v: not v.is_current):  # the current version first
                theirs = stored[v.report_id] if v.item is None else keys.setdefault(id(v.item), _item_key(v.item))
                if mine == theirs:
                    match = v
                    break
        if match is not None:
            same = match.report_id
            what = "the current version" if match.is_current else f"version {match.version}"
            item.result = LoadResult(
                "unchanged",
                item.doc.source,
                same,
                item.result.document_id,
                item.report.agency,
                item.report.year,
                reason=f"same content as {what}",
            )
            item.doc_existing = True  # no report of its own
            conn.execute(
                update(Document)
                .where(Document.id == item.result.document_id)
                .values(status="unchanged", note=f"same content as report {same}" if same else "same content")
            )
            if match.item is not None:
                item.same_as = match.item
            continue
        version = max((v.version for v in known), default=0) + 1
        item.result.version = version
        item.result.status = "revised" if known else "new"
        known.append(_Version(version, _date(item.report.published), item=item))
        touched[pair] = known
        new_rows.append(item)
    return new_rows, touched


def _insert_reports(conn: Connection, new_rows: list[_Item], touched: dict[Pair, list[_Version]]) -> None:
    """Insert the new versions and make current, per (agency, year), the last in publication order;
    link each other version to its successor in that order (see :func:`publication_order`)."""
    order = {pair: publication_order(vs) for pair, vs in touched.items()}
    retire = [
        v.report_id
        for pair, vs in touched.items()
        for v in vs
        if v.item is None and v.is_current and v is not order[pair][-1]
    ]
    if retire:  # first, so that the new current version never meets the old one in the unique index
        conn.execute(update(Report).where(Report.id.in_(retire)).values(is_current=False))
    current_items = {id(o[-1].item) for o in order.values() if o[-1].item is not None}
    rows = [
        {
            "agency_id": i.agency_id,
            "year": i.report.year,
            "version": i.result.version,
            "is_current": id(i) in current_items,
            "agency_name": i.report.agency or i.hint.name,
            "template": i.report.template,
            "title": i.report.title,
            "published": _date(i.report.published),
            "document_id": i.result.document_id,
            "parser_version": i.report.parser_version,
            "sections": i.report.sections or None,
        }
        for i in new_rows
    ]
    if conn.dialect.name == "postgresql":
        by_doc = {doc_id: rid for rid, doc_id in _pg_insert_returning(conn, "reports", rows, "document_id")}
        for item in new_rows:
            item.result.report_id = by_doc[item.result.document_id]
    else:
        ids = conn.execute(insert(Report).returning(Report.id, sort_by_parameter_order=True), rows).scalars().all()
        for item, rid in zip(new_rows, ids, strict=True):
            item.result.report_id = rid
    promote = [o[-1].report_id for o in order.values() if o[-1].item is None and not o[-1].is_current]
    if promote:  # not reached by the rule (a new version can only move the current one forward); kept exact
        conn.execute(update(Report).where(Report.id.in_(promote)).values(is_current=True))
    links = []
    for o in order.values():
        for v, successor in zip(o, [*o[1:], None], strict=True):
            target = None if successor is None else successor.id
            if v.item is not None:
                if target is not None:
                    links.append({"old": v.id, "new": target})
            elif v.superseded_by != target:
                links.append({"old": v.id, "new": target})
        newest = o[-1]
        for v in o[:-1]:
            if v.item is not None:
                v.item.result.reason = (
                    f"kept, not current: version {newest.version} "
                    f"({f'published {newest.published}' if newest.published else 'undated'}) "
                    "is newer"
                )
    if links:
        conn.execute(
            update(Report)
            .where(Report.id == bindparam("old"))
            .values(superseded_by=bindparam("new"))
            .execution_options(synchronize_session=False),
            links,
        )


_PG_TYPES = {  # column → PostgreSQL array element type, for INSERT … SELECT FROM unnest(…)
    "documents": {
        "source": "text",
        "content_hash": "varchar",
        "content_type": "text",
        "format": "varchar",
        "encoding": "varchar",
        "size": "bigint",
        "fetched_at": "timestamptz",
        "published": "date",
        "raw_path": "text",
        "status": "varchar",
        "note": "text",
    },
    "reports": {
        "agency_id": "int",
        "year": "smallint",
        "version": "smallint",
        "is_current": "bool",
        "agency_name": "varchar",
        "template": "varchar",
        "title": "text",
        "published": "date",
        "document_id": "int",
        "parser_version": "varchar",
        "sections": "text",
    },
}


def _pg_insert_returning(
    conn: Connection, table: str, rows: list[dict], key: str, on_conflict: str | None = None
) -> list[tuple]:
    """Many rows in one statement whose size does not grow with the batch: one array per column.

    Returns (id, ``key``) of the rows inserted (with ``on_conflict``, the others are skipped).
    """
    types = _PG_TYPES[table]
    cols = list(types)
    params = {f"p{n}": [r[c] for r in rows] for n, c in enumerate(cols)}
    if "sections" in types:
        params[f"p{cols.index('sections')}"] = [
            None if r["sections"] is None else json.dumps(r["sections"], ensure_ascii=False) for r in rows
        ]
    select_cols = ", ".join(f"CAST(u.{c} AS json)" if c == "sections" else f"u.{c}" for c in cols)
    arrays = ", ".join(f"CAST(:p{n} AS {types[c]}[])" for n, c in enumerate(cols))
    sql = (
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select_cols} FROM unnest({arrays}) "
        f"WITH ORDINALITY AS u({', '.join(cols)}, n) ORDER BY u.n"
    )
    if on_conflict:
        sql += f" ON CONFLICT ({on_conflict}) DO NOTHING"
    return [tuple(r) for r in conn.execute(text(sql + f" RETURNING id, {key}"), params)]


class _UnknownKey(Exception):
    """A fact's (table, row, column) has no number in ``fact_keys`` yet."""


def _fact_rows(items: list[_Item], ids: dict[tuple[str, str, str], int]) -> Iterator[tuple]:
    """The ``fact_values`` rows of the new versions (:data:`FACT_COLUMNS`), made as they are consumed."""
    by_part: dict[str, dict[str, dict[str, int]]] = {}  # three lookups cost less than building a tuple a fact
    for (t, r, c), n in ids.items():
        by_part.setdefault(t, {}).setdefault(r, {})[c] = n
    try:
        for i in items:
            rid = i.result.report_id
            for f in i.report.facts:
                yield (
                    rid,
                    by_part[f.table][f.row][f.column],
                    None if f.value is None else float(f.value),
                    f.raw,
                    f.inferred,
                    f.page,
                )
    except KeyError as exc:
        raise _UnknownKey(str(exc)) from exc


def fact_key_ids(conn: Connection, wanted: Iterable[tuple[str, str, str]] = ()) -> dict[tuple[str, str, str], int]:
    """(table, row, column) → its number in ``fact_keys``; the keys in ``wanted`` not numbered yet are numbered."""
    ids = {
        (t, r, c): n
        for n, t, r, c in conn.execute(select(FactKey.id, FactKey.table_name, FactKey.row_key, FactKey.column_key))
    }
    missing = sorted(set(wanted) - ids.keys())
    if missing:  # a concurrent loader numbering the same or other keys: a unique violation, retried whole
        top = max(ids.values(), default=0)
        conn.execute(
            insert(FactKey),
            [
                {"id": top + n, "table_name": t, "row_key": r, "column_key": c}
                for n, (t, r, c) in enumerate(missing, start=1)
            ],
        )
        ids.update({k: top + n for n, k in enumerate(missing, start=1)})
    return ids


def insert_facts(conn: Connection, rows: Iterable[tuple]) -> None:
    """Write ``fact_values`` rows (:data:`FACT_COLUMNS`), streamed, the fastest way each database has:
    binary ``COPY`` on PostgreSQL, ``executemany`` of one prepared ``INSERT`` on SQLite."""
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY fact_values ({', '.join(FACT_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(FACT_PG_TYPES)
            for row in rows:
                copy.write_row(row)
        return
    conn.connection.driver_connection.executemany(
        f"INSERT INTO fact_values ({', '.join(FACT_COLUMNS)}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})", rows
    )
