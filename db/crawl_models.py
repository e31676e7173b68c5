"""Crawl state in SQL: fetch records per URL, runs with their counts and errors, blocked agencies.

Kept apart from the report models (``govreports.db.models``) but on the same ``Base``, so one Alembic history
(revision ``0002_crawl``) creates them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base


class CrawlFetch(Base):
    """One URL as last fetched: validators, hash, raw bytes' place, whether fully handled."""

    __tablename__ = "crawl_fetches"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    agency: Mapped[str] = mapped_column(Text, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # column | list | report | attachment
    status: Mapped[int | None] = mapped_column(Integer)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str | None] = mapped_column(Text)
    raw_path: Mapped[str | None] = mapped_column(Text)
    size: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    # nullable as revision 0002_crawl made them; written as [] / {} and read with `or []` / `or {}`
    children: Mapped[list | None] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    rejected_by: Mapped[str | None] = mapped_column(String(20))  # parser version that found it unreadable for good
    filename: Mapped[str | None] = mapped_column(Text)  # the server's name for it (Content-Disposition)


class CrawlRun(Base):
    """One run of the crawler: when, how it ended, counts (new/changed/…) and errors, per agency too."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="running")
    counts: Mapped[dict | None] = mapped_column(JSON, default=dict)  # nullable as 0002_crawl made them
    errors: Mapped[list | None] = mapped_column(JSON, default=list)
    agencies: Mapped[dict | None] = mapped_column(JSON, default=dict)


class CrawlBlock(Base):
    """An agency whose site answered with an anti-bot wall, with the evidence (cleared when it answers again)."""

    __tablename__ = "crawl_blocks"

    agency: Mapped[str] = mapped_column(Text, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CrawlRunAgency(Base):
    """One agency's result within a run, written the moment the agency is done.

    A distributed run's sites report here; a site job that is retried (its worker was killed) skips
    the agencies it finds here: the per-agency checkpoint.
    """

    __tablename__ = "crawl_run_agencies"

    run_id: Mapped[int] = mapped_column(Integer, ForeignKey("crawl_runs.id", ondelete="CASCADE"), primary_key=True)
    agency: Mapped[str] = mapped_column(Text, primary_key=True)
    site: Mapped[str] = mapped_column(Text)
    result: Mapped[dict] = mapped_column(JSON)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
