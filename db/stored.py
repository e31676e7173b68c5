"""Stored documents a newer parser should read again: those whose ``parser_version`` is older.

``govreports.reparse`` reads them back from the raw store, parses them and loads the results with
``load_reports(..., reparse=True)``; this module only says which they are and what is known of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Engine, func, select

from govreports import parsers

from .agencies import AgencyHint
from .models import Agency, Document, Report

_PART = re.compile(r"\d+|[^\d.]+")


def version_key(version: str | None) -> tuple:
    """An order on parser versions: ``0.10.0`` after ``0.9.1``; no version before any."""
    if version is None:
        return ()
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _PART.findall(version))


def is_older(version: str | None, than: str = parsers.PARSER_VERSION) -> bool:
    return version_key(version) < version_key(than)


@dataclass(slots=True)
class StoredDocument:
    """A document row, with the agency of its newest report (the hint a re-read needs if the
    document names no agency itself)."""

    id: int
    source: str
    content_hash: str
    content_type: str | None
    raw_path: str | None
    size: int | None
    fetched_at: datetime | None
    status: str
    parser_version: str | None
    hints: dict | None = None  # the context it was read with (``govreports.parsers.Context.hints``)
    agency: AgencyHint | None = None


_STORED = [f.name for f in fields(StoredDocument) if f.name != "agency"]  # the documents columns it holds


def stale_documents(engine: Engine, current: str = parsers.PARSER_VERSION) -> list[StoredDocument]:
    """Documents read by a parser older than ``current`` (or by an unknown one), oldest id first."""
    newest = select(Report.document_id, func.max(Report.id).label("report_id")).group_by(Report.document_id).subquery()
    stmt = (
        select(
            Document.id,
            Document.source,
            Document.content_hash,
            Document.content_type,
            Document.raw_path,
            Document.size,
            Document.fetched_at,
            Document.status,
            Document.parser_version,
            Document.hints,
            Agency.name,
            Agency.region_code,
            Agency.level,
            Agency.site_url,
        )
        .outerjoin(newest, newest.c.document_id == Document.id)
        .outerjoin(Report, Report.id == newest.c.report_id)
        .outerjoin(Agency, Agency.id == Report.agency_id)
        .order_by(Document.id)
    )
    out = []
    with engine.connect() as conn:
        for row in conn.execute(stmt):
            if not is_older(row.parser_version, current):
                continue
            hint = AgencyHint(row.name, row.region_code, row.level, None, row.site_url) if row.name else None
            columns = row._asdict()
            out.append(StoredDocument(**{k: columns[k] for k in _STORED}, agency=hint))
    return out


def hints_of(engine: Engine, content_hashes: list[str]) -> dict[str, dict]:
    """The hints kept with each of these documents that has any, by content hash."""
    if not content_hashes:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(Document.content_hash, Document.hints).where(Document.content_hash.in_(content_hashes))
        )
        return {h: hints for h, hints in rows if hints}
