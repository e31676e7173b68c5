"""Sources that could not be loaded, kept in ``load_failures`` until a later load of them succeeds.

A source is what the loader was given — a URL or a path, as given. A failure happens at one stage:

* ``fetch`` — the URL could not be fetched (after the fetcher's retries);
* ``read`` — the path could not be read;
* ``parse`` — the bytes were read (and recorded in ``documents`` as ``failed``) but are not a report
  the parser could read, or name no agency or year;
* ``store`` — the report could not be written (recorded in ``documents`` as ``failed``).

Each source has at most one open failure (``resolved_at`` NULL; a partial unique index says so):
a failure of a source already open adds an attempt and replaces the stage and error; a load of the
source that succeeds (``new``, ``revised`` or ``unchanged``) marks it resolved with the document
that loaded. Resolved failures stay, as history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Executable, bindparam, select, text, update

from .agencies import dialect_insert
from .models import FAILURE_STAGES, LoadFailure
from .text import storable

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "source",
    "stage",
    "error",
    "attempts",
    "first_failed_at",
    "last_failed_at",
    "document_id",
    "resolved_at",
    "resolved_document_id",
]


@dataclass(slots=True)
class Failure:
    """One failed attempt to load a source."""

    source: str
    stage: str  # fetch | read | parse | store
    error: str
    document_id: int | None = None


def record_failures(conn: Connection, failures: Iterable[Failure]) -> None:
    """Add each failure to the source's open row, or open one; in the caller's transaction."""
    now = datetime.now(UTC)
    rows = []
    for f in failures:
        if f.stage not in FAILURE_STAGES:
            raise ValueError(f"unknown failure stage {f.stage!r}")
        rows.append(
            {
                "source": storable(f.source),
                "stage": f.stage,
                "error": storable(f.error),
                "attempts": 1,
                "first_failed_at": now,
                "last_failed_at": now,
                "document_id": f.document_id,
            }
        )
    if not rows:
        return
    stmt = dialect_insert(conn, LoadFailure)
    stmt = stmt.on_conflict_do_update(
        index_elements=[LoadFailure.source],
        index_where=LoadFailure.resolved_at.is_(None),
        set_={
            "stage": stmt.excluded.stage,
            "error": stmt.excluded.error,
            "attempts": LoadFailure.attempts + 1,
            "last_failed_at": stmt.excluded.last_failed_at,
            "document_id": stmt.excluded.document_id,
        },
    )
    for row in rows:  # one statement each: a source twice in one call counts two attempts
        conn.execute(stmt, row)


def record_failure(engine: Engine, failure: Failure) -> None:
    """:func:`record_failures` of one failure, in a transaction of its own."""
    with engine.begin() as conn:
        record_failures(conn, [failure])


def resolve_failures(conn: Connection, loaded: Iterable[tuple[str, int | None]]) -> int:
    """Mark the open failures of these (source, document id) resolved; how many were open."""
    by_source = dict(loaded)
    if not by_source:
        return 0
    stmt: Executable
    if conn.dialect.name == "postgresql":  # one array parameter, not one parameter per source
        stmt = text("SELECT source FROM load_failures WHERE resolved_at IS NULL AND source = ANY(:sources)")
    else:
        stmt = select(LoadFailure.source).where(
            LoadFailure.resolved_at.is_(None), LoadFailure.source.in_(bindparam("sources", expanding=True))
        )
    open_ = conn.execute(stmt, {"sources": list(by_source)}).scalars().all()
    if open_:
        now = datetime.now(UTC)
        conn.execute(
            update(LoadFailure)
            .where(LoadFailure.source == bindparam("s"), LoadFailure.resolved_at.is_(None))
            .values(resolved_at=now, resolved_document_id=bindparam("d"))
            .execution_options(synchronize_session=False),
            [{"s": s, "d": by_source[s]} for s in open_],
        )
    return len(open_)


def failures(engine: Engine, include_resolved: bool = False) -> pd.DataFrame:
    """Open failures (with ``include_resolved``, resolved ones too), oldest first, as a DataFrame.

    Times are UTC (``datetime64[us, UTC]``) and ids nullable integers on both databases.
    """
    import pandas as pd

    stmt = select(*(getattr(LoadFailure, c) for c in COLUMNS)).order_by(LoadFailure.first_failed_at, LoadFailure.id)
    if not include_resolved:
        stmt = stmt.where(LoadFailure.resolved_at.is_(None))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)
    for col in ("first_failed_at", "last_failed_at", "resolved_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True, format="mixed").astype("datetime64[us, UTC]")
    for col in ("attempts", "document_id", "resolved_document_id"):
        frame[col] = frame[col].astype("Int64")
    for col in ("source", "stage", "error"):
        frame[col] = frame[col].astype(object)
    return frame
