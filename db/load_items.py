"""What a load is about: the document a report came from (:class:`DocumentInfo`), what became of it
(:class:`LoadResult`), and the two together while a batch is written (:class:`LoadItem`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from govreports import parsers

from .agencies import AgencyHint


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
    # the context it was parsed with (``govreports.parsers.Context``'s fields that were set): reparse needs them
    hints: dict[str, object] | None = None

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
class LoadItem:
    """One report being loaded: its inputs, its result so far, and what the batch learnt about it."""

    report: parsers.Report
    doc: DocumentInfo
    hint: AgencyHint | None
    result: LoadResult
    agency_id: int | None = None
    doc_existing: bool = False
    same_as: LoadItem | None = None  # an earlier copy in the same batch with equal content
    reparse: bool = False  # a stored document read again by a newer parser

    @property
    def pair(self) -> tuple[int, int]:
        """(agency id, year): what versions are kept by. Set for every item that reaches versioning
        (a report without a year, or an agency not yet resolved, never gets there)."""
        if self.agency_id is None or self.report.year is None:
            raise ValueError(f"{self.doc.source}: no agency id or year to keep versions by")
        return self.agency_id, self.report.year

    @property
    def agency_name(self) -> str:
        """The agency as printed, else as the hint names it."""
        name = self.report.agency or (self.hint.name if self.hint else None)
        if not name:
            raise ValueError(f"{self.doc.source}: no agency printed or hinted")
        return name


def as_date(value: date | str | None) -> date | None:
    """An ISO date string (or date) as a date; None when it is not one."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
