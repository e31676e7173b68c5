"""The database schema: agencies, documents, reports (versioned), facts, findings, load failures.

Every number (``facts``) belongs to one ``reports`` version, which names the ``documents`` row it
was parsed from (source, content hash, where the raw bytes are kept), so each value can be traced
to its file and, for PDFs, its page. Migrations in ``db/migrations`` create exactly these tables;
a change here needs a new revision there.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

LEVELS = ("national", "province", "prefecture", "county", "township")
DOCUMENT_STATUSES = ("loaded", "unchanged", "failed")


class Base(DeclarativeBase):
    """Declarative base of every govreports table (``govreports.db.crawl_models`` builds on it too)."""


class Agency(Base):
    """One agency, stable across years and renamings; the names it goes by are ``agency_aliases``."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    region_code: Mapped[str | None] = mapped_column(String(12), index=True)  # GB/T 2260, e.g. 330400
    level: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(12))  # government | department, as the registry says
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    site_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint(f"level IS NULL OR level IN ({', '.join(repr(v) for v in LEVELS)})", name="ck_agency_level"),
    )


class AgencyAlias(Base):
    """A name an agency is known by (as a report prints it, or as a crawler registry lists it)."""

    __tablename__ = "agency_aliases"

    alias: Mapped[str] = mapped_column(String(200), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)


class Document(Base):
    """Every fetched or imported file, loaded or not; ``status`` says what became of it."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # URL or path
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the bytes
    # as the server sent it, however long (revision 0008); SQLite never enforces the VARCHAR(100) it was made with
    content_type: Mapped[str | None] = mapped_column(Text().with_variant(String(100), "sqlite"))
    format: Mapped[str | None] = mapped_column(String(10))  # html | text | pdf | docx | doc | xlsx | xls | ofd
    encoding: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int | None] = mapped_column(BigInteger)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published: Mapped[date | None] = mapped_column(Date)
    raw_path: Mapped[str | None] = mapped_column(Text)  # where the raw bytes are kept
    status: Mapped[str] = mapped_column(String(10))
    parser_version: Mapped[str | None] = mapped_column(String(20))  # the parser that read it last (NULL: unknown)
    note: Mapped[str | None] = mapped_column(Text)  # why it failed, or which report it repeats
    # the context it was parsed with (link text, attachment name, page title, list date, registry agency)
    hints: Mapped[dict | None] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(v) for v in DOCUMENT_STATUSES)})", name="ck_document_status"),
    )


class Report(Base):
    """One version of an agency's report for a year; a re-published report adds a version."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    version: Mapped[int] = mapped_column(SmallInteger)
    is_current: Mapped[bool] = mapped_column(Boolean)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    agency_name: Mapped[str] = mapped_column(String(200))  # as the report itself names the agency
    template: Mapped[str] = mapped_column(String(10))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))  # a newer parser's reading adds a version
    parser_version: Mapped[str] = mapped_column(String(20))
    sections: Mapped[dict | None] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        UniqueConstraint("agency_id", "year", "version", name="uq_report_version"),
        Index("uq_report_document_parser", "document_id", "parser_version", unique=True),
        # at most one current version per (agency, year), enforced by the database itself
        Index(
            "uq_report_current",
            "agency_id",
            "year",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )


def key_type(length: int):
    """A template key: on PostgreSQL with the byte-wise "C" collation (keys are ASCII)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class FactKey(Base):
    """A template key (table, row, column), numbered: ``fact_values`` stores the number.

    The keys of both templates are numbered by the migration that made this table, in template
    order; a key not seen before is numbered when a report first brings it (``govreports.db.load``).
    """

    __tablename__ = "fact_keys"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    table_name: Mapped[str] = mapped_column(key_type(20))
    row_key: Mapped[str] = mapped_column(key_type(40))
    column_key: Mapped[str] = mapped_column(key_type(20))

    __table_args__ = (UniqueConstraint("table_name", "row_key", "column_key", name="uq_fact_key"),)


class FactValue(Base):
    """One number of a report version at a template key; ``value`` NULL for an empty cell.

    Analysts read the ``facts`` view instead: the same with the key spelled out (report_id,
    table_name, row_key, column_key, value, raw, inferred, page, ocr, confidence). The row is narrow because a bulk
    load's cost is mostly the rows and the primary-key index it writes. No foreign keys: PostgreSQL
    checks one with a trigger per row, which doubles the cost of a bulk load; facts are written only
    by ``govreports.db.load``, in the transaction that inserts their report, reports are never deleted, and the
    test suite checks for orphans. On SQLite a ``WITHOUT ROWID`` table (the primary key is the table).
    """

    __tablename__ = "fact_values"

    report_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    value: Mapped[float | None] = mapped_column(Double)
    raw: Mapped[str | None] = mapped_column(Text)
    inferred: Mapped[bool] = mapped_column(Boolean)
    page: Mapped[int | None] = mapped_column(SmallInteger)  # 1-based PDF page
    ocr: Mapped[bool] = mapped_column(Boolean, server_default=false())  # read by OCR (a scan, a picture)
    confidence: Mapped[float | None] = mapped_column(Double)  # OCR only: the recogniser's confidence, 0–1

    __table_args__ = ({"sqlite_with_rowid": False},)


class Finding(Base):
    """A rule violation or parser issue of a report: A1…R1 from the parser, X1/X2 from ``govreports.db.checks``."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    cells: Mapped[str | None] = mapped_column(Text)  # "table/row/column" joined by ", "
    expected: Mapped[float | None] = mapped_column(Double)
    actual: Mapped[float | None] = mapped_column(Double)
    origin: Mapped[str] = mapped_column(String(10))  # parser | database


FAILURE_STAGES = ("fetch", "read", "parse", "store")


class LoadFailure(Base):
    """A source (URL or path) that could not be loaded: fetched, read, parsed or stored.

    One open row per source (``resolved_at`` NULL), enforced by a partial unique index; each failed
    attempt updates it (``attempts`` + 1, the latest ``stage`` and ``error``). A later load of the
    same source that succeeds marks it resolved, naming the document that loaded.
    """

    __tablename__ = "load_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(10))  # fetch | read | parse | store
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)  # failed attempts so far
    first_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))  # when its bytes were recorded
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))

    __table_args__ = (
        CheckConstraint(f"stage IN ({', '.join(repr(v) for v in FAILURE_STAGES)})", name="ck_load_failure_stage"),
        Index(
            "uq_load_failure_open",
            "source",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )
