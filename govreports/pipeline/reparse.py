"""Re-parse what is stored: documents read by an older parser, read again from the raw store.

Every parser fix reaches an existing database this way, without fetching anything: the raw bytes
of each crawled document are kept content-addressed (``govreports.scraper.store``), a file loaded
from disk is read where it was loaded from. Bytes that are gone, or no longer the bytes the
database recorded (their sha256 differs), are reported and left as they are.

Two kinds of stored things are read again: reports the crawl marked unreadable for good under an
older parser (``crawl_fetches.rejected_by``) — the page with its attachments, the best of them chosen
again as the nightly job chooses (an attachment in a format the old parser could not read may be
the report now) — and then every document in ``documents`` an older parser read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select, update

from govreports import settings
from govreports.db.crawl_models import CrawlFetch
from govreports.db.failures import resolve_failures
from govreports.db.load import AgencyHint, DocumentInfo, LoadResult, iter_load, load_reports
from govreports.db.models import Document as DocumentRow
from govreports.db.stored import hints_of, is_older, stale_documents
from govreports.parsers import PARSER_VERSION, Context, parse_bytes
from govreports.scraper.crawl import Document, FoundReport
from govreports.scraper.registry import Agency
from govreports.scraper.state import FetchRecord
from govreports.scraper.store import RawStore
from govreports.settings import Settings

from .choose import best_report, failed_for_good
from .crawl_state import SQLState


@dataclass(slots=True)
class Missing:
    """A stored document whose raw bytes cannot be read back as they were loaded."""

    source: str
    reason: str
    status: str = "missing"


def reparse(
    engine: Engine, store: RawStore | None = None, batch_size: int | None = None
) -> Iterator[LoadResult | Missing]:
    """Parse again every document an older parser read, and load what now reads differently.

    Yields, per document, its :class:`~govreports.db.load.LoadResult` (``new``/``revised``: a new
    version; ``unchanged``: the same content as a stored version; ``failed``: still not a report, with
    the current reason) or a :class:`Missing` for bytes that cannot be read back. Documents go to the
    loader ``batch_size`` (``DB_BATCH_SIZE``) to a transaction; the store is ``STORE_DIR``'s.
    """
    store = store or RawStore(Settings.from_env())
    size = int(settings.get("DB_BATCH_SIZE")) if batch_size is None else batch_size
    yield from _rejected_reports(engine, store)
    pending: list[tuple] = []
    for doc in stale_documents(engine, PARSER_VERSION):
        data = _raw(store, doc.source, doc.raw_path, doc.content_hash)
        if isinstance(data, Missing):
            yield data
            continue
        # read with the context it was first read with: a PDF that prints no year is a report through it
        report = parse_bytes(data, doc.source, doc.content_type, context=Context.from_hints(doc.hints))
        info = DocumentInfo(
            source=doc.source,
            content_hash=doc.content_hash,
            content_type=doc.content_type,
            encoding=report.encoding,
            size=doc.size if doc.size is not None else len(data),
            fetched_at=doc.fetched_at,
            published=report.published,
            raw_path=doc.raw_path,
            hints=doc.hints,
        )
        pending.append((report, info, doc.agency))
        if len(pending) >= size:
            yield from iter_load(engine, pending, size, reparse=True)
            pending = []
    yield from iter_load(engine, pending, size, reparse=True)


def _rejected_reports(engine: Engine, store: RawStore) -> Iterator[LoadResult | Missing]:
    """Reports the crawl found unreadable for good under an older parser, chosen and loaded again.

    Each is a page with its attachments as the crawl stored them; what loads now completes the crawl
    record (and resolves the page's open failure), what still fails for good is marked with this
    parser's version, and what fails otherwise is left for the crawl to fetch again.
    """
    with engine.connect() as conn:
        urls = sorted(
            conn.execute(
                select(CrawlFetch.url).where(CrawlFetch.rejected_by.is_not(None), CrawlFetch.complete.is_(False))
            ).scalars()
        )
    state = SQLState(engine)
    try:
        for url in urls:
            record = state.get(url)
            if record is None or not is_older(record.rejected_by, PARSER_VERSION):
                continue
            documents = _crawled_documents(state, store, record)
            if isinstance(documents, Missing):
                yield documents
                continue
            agency = Agency(name=record.agency, start_url=url)
            title, published = _kept_context(engine, documents)
            report, chosen, context = best_report(FoundReport(agency, url, title, published, documents, False))
            info = DocumentInfo(
                chosen.url,
                chosen.content_hash,
                chosen.content_type,
                report.encoding,
                len(chosen.data),
                chosen.fetched_at,
                report.published,
                chosen.raw_path,
                context.hints(),
            )
            [result] = load_reports(engine, [(report, info, AgencyHint(record.agency))], reparse=True)
            _settle(engine, record, documents, result, failed_for_good(report))
            state.put(record)
            yield result
    finally:
        state.close()


def _kept_context(engine: Engine, documents: list[Document]) -> tuple[str | None, str | None]:
    """The list item's text and date the crawl read these documents with (kept with whichever of them
    the loader recorded), so the report is read again in the same context. Sets each attachment's
    ``title`` to the name kept with it, as the crawl had it from the attachment's link."""
    title = published = None
    kept = hints_of(engine, [d.content_hash for d in documents])
    for doc in documents:
        hints = kept.get(doc.content_hash) or {}
        if doc.role == "attachment" and hints.get("attachment_name"):
            doc.title = str(hints["attachment_name"])
        title = title or (str(hints["link_text"]) if hints.get("link_text") else None)
        published = published or (str(hints["published"]) if hints.get("published") else None)
    return title, published


def _crawled_documents(state: SQLState, store: RawStore, record: FetchRecord) -> list[Document] | Missing:
    """The page and its attachments from the raw store; an attachment gone from it is left out."""
    documents: list[Document] = []
    for rec, role in [(record, "page"), *((state.get(u), "attachment") for u in record.children)]:
        if rec is None:
            continue
        data = _raw(store, rec.url, rec.raw_path, rec.content_hash or "")
        if isinstance(data, Missing):
            if role == "page":
                return data
            continue
        fetched = rec.fetched_at or datetime.now(UTC)
        documents.append(
            Document(
                rec.url,
                role,
                data,
                rec.content_type,
                rec.content_hash or "",
                rec.raw_path or "",
                fetched,
                None,
                rec.filename,
            )
        )
    return documents


def _settle(engine: Engine, record: FetchRecord, documents: list[Document], result: LoadResult, for_good: bool) -> None:
    """The crawl record and the page's failure after the report was read again."""
    if result.status == "failed":
        record.rejected_by = PARSER_VERSION if for_good else None  # not for good: the crawl tries again
        return
    record.complete, record.rejected_by = True, None
    with engine.begin() as conn:
        resolve_failures(conn, [(record.url, result.document_id)])
        # the documents the report did not come from were read by this parser too
        conn.execute(
            update(DocumentRow)
            .where(DocumentRow.content_hash.in_([d.content_hash for d in documents]))
            .values(parser_version=PARSER_VERSION)
        )


def _raw(store: RawStore, source: str, raw_path: str | None, content_hash: str) -> bytes | Missing:
    """The document's bytes: from the raw store (a relative path) or the file loaded (an absolute one)."""
    if not raw_path:
        return Missing(source, "no raw copy was kept (loaded from a URL without the crawler)")
    try:
        data = Path(raw_path).read_bytes() if Path(raw_path).is_absolute() else store.get(raw_path)
    except (OSError, ValueError) as exc:
        return Missing(source, f"raw copy unreadable: {getattr(exc, 'strerror', None) or exc}")
    if hashlib.sha256(data).hexdigest() != content_hash:
        return Missing(source, f"{raw_path} no longer holds the bytes that were loaded")
    return data
