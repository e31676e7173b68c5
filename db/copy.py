"""A SQLite copy of a database (SQLite or PostgreSQL): every table, at the same schema revision.

Datasette and the published dataset read SQLite; a PostgreSQL database is served and published
through this copy. The copy is made by migrating a new SQLite file to head (so it has every view,
in SQLite's spelling) and copying the tables' rows in chunks, parents before children.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, insert, select

from . import crawl_models  # noqa: F401  (the crawl tables are on Base too)
from .engine import connect
from .models import Base

CHUNK = 5000


def copy_to_sqlite(source: Engine, path: str | Path) -> dict[str, int]:
    """Write ``source``'s tables to a new SQLite file at ``path`` (replaced atomically); rows per table."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _tmp(path).unlink(missing_ok=True)
    target = connect(f"sqlite:///{_tmp(path)}")
    tables = list(Base.metadata.sorted_tables)
    counts: dict[str, int] = {}
    try:
        with target.begin() as out:
            out.exec_driver_sql(
                "PRAGMA defer_foreign_keys = ON"
            )  # parents by id (agencies.parent_id) come in any order
            for table in reversed(tables):  # rows the migrations wrote (numbered fact keys) give way to the source's
                out.execute(table.delete())
            with source.connect() as src:
                for table in tables:
                    counts[table.name] = _copy_table(src, out, table)
        target.dispose()
        _tmp(path).replace(path)
    finally:
        target.dispose()
        for leftover in (_tmp(path), *_tmp(path).parent.glob(_tmp(path).name + "-*")):
            leftover.unlink(missing_ok=True)
    return counts


def _copy_table(src, out, table) -> int:
    n = 0
    result = src.execution_options(stream_results=True).execute(select(table))
    while rows := result.fetchmany(CHUNK):
        out.execute(insert(table), [r._asdict() for r in rows])
        n += len(rows)
    return n


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


__all__ = ["copy_to_sqlite"]
