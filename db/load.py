"""Storing parsed reports: idempotent, transactional per report, safe for concurrent loaders.

* The same bytes (content hash) loaded again change nothing: status ``unchanged``.
* A different document for an (agency, year) that already has a report becomes a new version
  (status ``revised``); the current version is the one published last, ties and unknown dates going
  to the later load, and every other version points at its successor in that order (see
  :func:`.versioning.publication_order`). A different document whose parsed content equals any stored version
  of its (agency, year) (a page re-fetched with a new view counter, an old copy found again) adds no
  version: its document is recorded, status ``unchanged``.
* A document the parser could not read is recorded with the reason: status ``failed``.
* Every document records the parser version that read it. A stored document read again by a newer
  parser (``reparse=True``, see ``govreports.reparse``) is compared with every version of its
  (agency, year): what it now says that no version says becomes a new version (status ``new`` or
  ``revised``), the same content changes nothing (``unchanged``); a document that failed before
  and now reads is loaded; the document's ``parser_version`` moves on either way.
* Every report is written in one transaction; :func:`load_reports` writes batches in one
  transaction each and, if a batch fails, retries its reports one by one, so one bad report never
  leaves anything partial nor sinks the others. A report that still fails has its document
  recorded as ``failed`` with the error.
* On PostgreSQL, concurrent loaders serialise per (agency, year) on advisory locks, documents are
  claimed by ``INSERT … ON CONFLICT DO NOTHING`` on the content hash, and a transaction that loses a
  race (deadlock, unique violation) is retried whole.

The work is split by job: this module runs batches, transactions and retries and claims the
documents; :mod:`.versioning` holds the versioning rule; :mod:`.bulk` the bulk SQL;
:mod:`.load_items` the records a load takes and gives.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from govreports import parsers, settings

from .agencies import AgencyHint, dialect_insert, register_agency, resolve_agencies
from .bulk import UnknownKey, fact_key_ids, fact_rows, insert_facts, pg_insert_returning
from .errors import LoadError
from .failures import Failure, record_failures, resolve_failures
from .load_items import DocumentInfo, LoadItem, LoadResult, as_date
from .models import Document, Finding, Report
from .text import storable_fields, storable_report
from .versioning import allocate_versions, insert_versions

__all__ = [
    "AgencyHint",
    "DocumentInfo",
    "LoadResult",
    "iter_load",
    "load_report",
    "load_reports",
    "register_agency",
]

log = logging.getLogger(__name__)

RETRIES = 6


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
    reparse: bool = False,
) -> list[LoadResult]:
    """The bulk path: ``(report, document[, hint])`` tuples, written ``batch_size`` to a transaction.

    ``batch_size`` defaults to the ``DB_BATCH_SIZE`` setting. With ``reparse`` the documents are
    stored ones read again by a newer parser (see the module doc)."""
    return list(iter_load(engine, items, batch_size, reparse))


def iter_load(
    engine: Engine, items: Iterable[tuple], batch_size: int | None = None, reparse: bool = False
) -> Iterator[LoadResult]:
    """Like :func:`load_reports`, yielding results batch by batch (for progress output)."""
    batch_size = int(settings.get("DB_BATCH_SIZE")) if batch_size is None else batch_size
    it = iter(items)
    while batch := list(islice(it, batch_size)):
        yield from _load_many(engine, [(t[0], t[1], t[2] if len(t) > 2 else None) for t in batch], reparse)


# --- batches, retries, fallback -----------------------------------------------------------------


def _load_many(engine: Engine, triples: Sequence[tuple], reparse: bool = False) -> list[LoadResult]:
    items = [_prepare(r, d, h, reparse) for r, d, h in triples]
    try:
        _with_retries(engine, items)
        return [i.result for i in items]
    except Exception as exc:
        if len(items) == 1:
            return [_record_failure(engine, items[0], exc)]
        log.warning("batch of %d failed (%s); loading its reports one by one", len(items), exc)
    out = []
    for r, d, h in triples:
        item = _prepare(r, d, h, reparse)
        try:
            _with_retries(engine, [item])
            out.append(item.result)
        except Exception as exc:
            out.append(_record_failure(engine, _prepare(r, d, h, reparse), exc))
    return out


def _with_retries(engine: Engine, items: list[LoadItem]) -> None:
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
            items[:] = [
                _prepare(i.report, i.doc, i.hint, i.reparse) for i in items
            ]  # start afresh: the attempt is void
            time.sleep(0.05 * (attempt + 1))


def _is_race(exc: DBAPIError) -> bool:
    """A transaction that lost to a concurrent one: worth running again."""
    code = getattr(exc.orig, "sqlstate", None)
    if code in ("40P01", "40001", "23505"):  # deadlock, serialization, unique violation
        return True
    return "database is locked" in str(exc.orig) or "UNIQUE constraint failed" in str(exc.orig)


def _record_failure(engine: Engine, item: LoadItem, exc: BaseException) -> LoadResult:
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


def _prepare(report: parsers.Report, doc: DocumentInfo, hint: AgencyHint | None, reparse: bool = False) -> LoadItem:
    report, doc = storable_report(report), storable_fields(doc)  # NUL and lone surrogates: see db.text
    hint = storable_fields(hint) if hint is not None else None
    item = LoadItem(report, doc, hint, LoadResult("new", doc.source, agency=report.agency, year=report.year))
    item.reparse = reparse
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


def _doc_row(doc: DocumentInfo, status: str, note: str | None, report: parsers.Report) -> dict:
    return {
        "source": doc.source,
        "content_hash": doc.content_hash,
        "content_type": doc.content_type,
        "format": report.format,
        "encoding": doc.encoding,
        "size": doc.size,
        "fetched_at": doc.fetched_at,
        "published": as_date(doc.published),
        "raw_path": doc.raw_path,
        "status": status,
        "note": note,
        "parser_version": report.parser_version,
        "hints": doc.hints or None,
    }


# --- writing (one transaction) ------------------------------------------------------------------


def _write(conn: Connection, items: list[LoadItem]) -> None:
    _write_batch(conn, items)
    _mark_reparsed(conn, [i for i in items if i.reparse and i.result.document_id is not None])
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


def _mark_reparsed(conn: Connection, items: list[LoadItem]) -> None:
    """Documents read again: the parser version that read them; loaded if they gave a report now,
    the new reason if they still fail."""
    if not items:
        return
    conn.execute(
        update(Document)
        .where(Document.id == bindparam("d"))
        .values(parser_version=bindparam("v"))
        .execution_options(synchronize_session=False),
        [{"d": i.result.document_id, "v": i.report.parser_version} for i in items],
    )
    loaded = [i.result.document_id for i in items if i.result.status in ("new", "revised")]
    if loaded:
        conn.execute(update(Document).where(Document.id.in_(loaded)).values(status="loaded", note=None))
    failed = [{"d": i.result.document_id, "n": i.result.reason} for i in items if i.result.status == "failed"]
    if failed:
        conn.execute(
            update(Document)
            .where(Document.id == bindparam("d"), Document.status == "failed")
            .values(note=bindparam("n"))
            .execution_options(synchronize_session=False),
            failed,
        )


def _write_batch(conn: Connection, items: list[LoadItem]) -> None:
    _claim_documents(conn, items)
    # versions follow the order the documents were given in, not the order their rows were claimed in
    loading = [i for i in items if not i.doc_existing and i.result.status != "failed"]
    if not loading:
        return
    for item, agency_id in zip(
        loading, resolve_agencies(conn, [(i.report.agency, i.hint) for i in loading]), strict=True
    ):
        item.agency_id = agency_id
    new_rows, touched = allocate_versions(conn, loading)
    if not new_rows:
        return
    insert_versions(conn, new_rows, touched)
    # the rows are made while they are written (the server takes one chunk while the next is made);
    # a key not numbered yet stops the stream, which is then rolled back and written again
    try:
        with conn.begin_nested():
            insert_facts(conn, fact_rows(new_rows, fact_key_ids(conn)))
    except UnknownKey:  # a key no report brought before (rare: the templates' keys are numbered)
        ids = fact_key_ids(conn, {(f.table, f.row, f.column) for i in new_rows for f in i.report.facts})
        insert_facts(conn, fact_rows(new_rows, ids))
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


def _claim_documents(conn: Connection, items: list[LoadItem]) -> None:
    """Insert the documents in content-hash order (a concurrent loader of the same bytes waits here);
    mark those already loaded as ``unchanged``, retry those that failed before."""
    by_hash: dict[str, LoadItem] = {}
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
            pg_insert_returning(conn, "documents", rows, "content_hash", on_conflict="content_hash")
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
                select(Report.document_id, Report.id)
                .where(Report.document_id.in_([v[0] for v in old.values()]))
                .order_by(Report.id)  # a document read by several parser versions: its newest report
            ).all()
        )
        retry = []
        for h in seen:
            item, (doc_id, old_status) = by_hash[h], old[h]
            item.result.document_id = doc_id
            if old_status == "failed" and item.result.status != "failed":
                # failed before: try again, same row (with the hints it was read with this time)
                retry.append({"d": doc_id, "v": item.report.parser_version, "h": item.doc.hints or None})
                continue
            if item.reparse and item.result.status != "failed":
                continue  # read again by a newer parser: compared with its (agency, year) below
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
            conn.execute(
                update(Document)
                .where(Document.id == bindparam("d"))
                .values(status="loaded", note=None, parser_version=bindparam("v"), hints=bindparam("h"))
                .execution_options(synchronize_session=False),
                retry,
            )
    for item in items:  # duplicates inside the batch point at the first copy's document
        if item.same_as is not None and item.result.document_id is None:
            item.result.document_id = item.same_as.result.document_id
