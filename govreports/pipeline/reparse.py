"""Re-parse what is stored: documents read by an older parser, read again from the raw store.

Every parser fix reaches an existing database this way, without fetching anything: the raw bytes
of each crawled document are kept content-addressed (``govreports.scraper.store``), a file loaded
from disk is read where it was loaded from. Bytes that are gone, or no longer the bytes the
database recorded (their sha256 differs), are reported and left as they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from govreports import settings
from govreports.db.load import DocumentInfo, LoadResult, iter_load
from govreports.db.stored import StoredDocument, stale_documents
from govreports.parsers import PARSER_VERSION, parse_bytes
from govreports.scraper.store import RawStore
from govreports.settings import Settings


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
    pending: list[tuple] = []
    for doc in stale_documents(engine, PARSER_VERSION):
        data = _raw(store, doc)
        if isinstance(data, Missing):
            yield data
            continue
        report = parse_bytes(data, doc.source, doc.content_type)
        info = DocumentInfo(
            source=doc.source,
            content_hash=doc.content_hash,
            content_type=doc.content_type,
            encoding=report.encoding,
            size=doc.size if doc.size is not None else len(data),
            fetched_at=doc.fetched_at,
            published=report.published,
            raw_path=doc.raw_path,
        )
        pending.append((report, info, doc.agency))
        if len(pending) >= size:
            yield from iter_load(engine, pending, size, reparse=True)
            pending = []
    yield from iter_load(engine, pending, size, reparse=True)


def _raw(store: RawStore, doc: StoredDocument) -> bytes | Missing:
    """The document's bytes: from the raw store (a relative path) or the file loaded (an absolute one)."""
    if not doc.raw_path:
        return Missing(doc.source, "no raw copy was kept (loaded from a URL without the crawler)")
    try:
        path = Path(doc.raw_path) if Path(doc.raw_path).is_absolute() else store.path(doc.raw_path)
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        return Missing(doc.source, f"raw copy unreadable: {getattr(exc, 'strerror', None) or exc}")
    if hashlib.sha256(data).hexdigest() != doc.content_hash:
        return Missing(doc.source, f"{doc.raw_path} no longer holds the bytes that were loaded")
    return data
