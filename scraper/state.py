"""What the crawler remembers between runs, as plain records; ``db`` keeps them in SQL.

The engine only speaks to the :class:`State` protocol; :class:`MemoryState` serves tests of the
crawler alone, ``govreports.pipeline.SQLState`` the real runs. A record is written only once its
document has been fully handled, so a run killed at any moment redoes the unfinished part and
nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(slots=True)
class FetchRecord:
    """One URL as last fetched: validators, hash, where its bytes are, whether it is fully handled."""

    url: str
    agency: str
    kind: str  # column | list | report | attachment
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    content_type: str | None = None
    raw_path: str | None = None
    size: int | None = None  # bytes; for a column cut off at CRAWL_MAX_LIST_PAGES, the list pages walked
    fetched_at: datetime | None = None
    complete: bool = False  # report: parsed and loaded; column: walked to its end once
    children: list[str] = field(default_factory=list)  # a report's attachments; a list page's links digest
    error: str | None = None  # for a column: why it is not complete (cut off at the page cap)
    # report: the parser version that found it unreadable for good (unsupported format, no text…);
    # the crawl does not fetch it again until the parser is newer or the server says it changed
    rejected_by: str | None = None
    filename: str | None = None  # an attachment's name as the server sent it (Content-Disposition); a 304 omits it


@dataclass(slots=True)
class RunRecord:
    """One crawl run: when, the counts and the errors (per agency)."""

    id: int | None
    started_at: datetime
    finished_at: datetime | None = None
    status: str = "running"  # running | finished | interrupted
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    agencies: dict[str, dict] = field(default_factory=dict)


class State(Protocol):
    def get(self, url: str) -> FetchRecord | None: ...

    def get_many(self, urls: list[str]) -> dict[str, FetchRecord]:
        """The records of those URLs that have one (a list page's items in one lookup)."""
        ...

    def put(self, record: FetchRecord) -> None: ...

    def block(self, agency: str, url: str, status: int, evidence: str) -> None: ...

    def unblock(self, agency: str) -> None: ...

    def start_run(self, run: RunRecord) -> RunRecord: ...

    def finish_run(self, run: RunRecord) -> None: ...


class MemoryState:
    """The :class:`State` protocol in a dict: for tests and one-off crawls without a database."""

    def __init__(self) -> None:
        self.records: dict[str, FetchRecord] = {}
        self.blocked: dict[str, tuple[str, int, str]] = {}
        self.runs: list[RunRecord] = []

    def get(self, url: str) -> FetchRecord | None:
        return self.records.get(url)

    def get_many(self, urls: list[str]) -> dict[str, FetchRecord]:
        return {url: rec for url in urls if (rec := self.records.get(url)) is not None}

    def put(self, record: FetchRecord) -> None:
        self.records[record.url] = record

    def block(self, agency: str, url: str, status: int, evidence: str) -> None:
        self.blocked[agency] = (url, status, evidence)

    def unblock(self, agency: str) -> None:
        self.blocked.pop(agency, None)

    def start_run(self, run: RunRecord) -> RunRecord:
        run.id = len(self.runs) + 1
        self.runs.append(run)
        return run

    def finish_run(self, run: RunRecord) -> None:
        if run.id is None:
            raise ValueError("finish_run of a run that was never started")
        self.runs[run.id - 1] = run
