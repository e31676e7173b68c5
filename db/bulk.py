"""The bulk SQL of loading: many rows per statement, the fastest way each database has.

``fact_values`` rows are streamed by binary ``COPY`` (PostgreSQL) or one prepared ``executemany``
(SQLite); documents and reports go to PostgreSQL as one array per column (``INSERT … SELECT FROM
unnest``), so a statement's size does not grow with the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from sqlalchemy import Connection, insert, select, text

from .load_items import LoadItem
from .models import FactKey

__all__ = ["FACT_COLUMNS", "FACT_PG_TYPES", "fact_key_ids", "fact_rows", "insert_facts", "pg_insert_returning"]

FACT_COLUMNS = (
    "report_id",
    "key_id",
    "value",
    "raw",
    "inferred",
    "page",
    "ocr",
    "confidence",
)  # of fact_values (govreports.db.models.FactValue)

FACT_PG_TYPES = ("int4", "int2", "float8", "text", "bool", "int2", "bool", "float8")  # for binary COPY, in that order


JSON_COLUMNS = frozenset({"sections", "hints"})  # JSON columns of PG_TYPES' tables

PG_TYPES = {  # column → PostgreSQL array element type, for INSERT … SELECT FROM unnest(…)
    "documents": {
        "source": "text",
        "content_hash": "varchar",
        "content_type": "text",
        "format": "varchar",
        "encoding": "varchar",
        "size": "bigint",
        "fetched_at": "timestamptz",
        "published": "date",
        "raw_path": "text",
        "status": "varchar",
        "note": "text",
        "parser_version": "varchar",
        "hints": "text",
    },
    "reports": {
        "agency_id": "int",
        "year": "smallint",
        "version": "smallint",
        "is_current": "bool",
        "agency_name": "varchar",
        "template": "varchar",
        "title": "text",
        "published": "date",
        "document_id": "int",
        "parser_version": "varchar",
        "sections": "text",
    },
}


def pg_insert_returning(
    conn: Connection, table: str, rows: list[dict], key: str, on_conflict: str | None = None
) -> list[tuple]:
    """Many rows in one statement whose size does not grow with the batch: one array per column.

    Returns (id, ``key``) of the rows inserted (with ``on_conflict``, the others are skipped).
    """
    types = PG_TYPES[table]
    cols = list(types)
    params = {f"p{n}": [r[c] for r in rows] for n, c in enumerate(cols)}
    for c in JSON_COLUMNS.intersection(types):  # sent as text, cast back in the SELECT
        params[f"p{cols.index(c)}"] = [None if r[c] is None else json.dumps(r[c], ensure_ascii=False) for r in rows]
    select_cols = ", ".join(f"CAST(u.{c} AS json)" if c in JSON_COLUMNS else f"u.{c}" for c in cols)
    arrays = ", ".join(f"CAST(:p{n} AS {types[c]}[])" for n, c in enumerate(cols))
    sql = (
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select_cols} FROM unnest({arrays}) "
        f"WITH ORDINALITY AS u({', '.join(cols)}, n) ORDER BY u.n"
    )
    if on_conflict:
        sql += f" ON CONFLICT ({on_conflict}) DO NOTHING"
    return [tuple(r) for r in conn.execute(text(sql + f" RETURNING id, {key}"), params)]


class UnknownKey(Exception):
    """A fact's (table, row, column) has no number in ``fact_keys`` yet."""


def fact_rows(items: list[LoadItem], ids: dict[tuple[str, str, str], int]) -> Iterator[tuple]:
    """The ``fact_values`` rows of the new versions (:data:`FACT_COLUMNS`), made as they are consumed."""
    by_part: dict[str, dict[str, dict[str, int]]] = {}  # three lookups cost less than building a tuple a fact
    for (t, r, c), n in ids.items():
        by_part.setdefault(t, {}).setdefault(r, {})[c] = n
    try:
        for i in items:
            rid = i.result.report_id
            for f in i.report.facts:
                yield (
                    rid,
                    by_part[f.table][f.row][f.column],
                    None if f.value is None else float(f.value),
                    f.raw,
                    f.inferred,
                    f.page,
                    f.ocr,
                    f.confidence,
                )
    except KeyError as exc:
        raise UnknownKey(str(exc)) from exc


def fact_key_ids(conn: Connection, wanted: Iterable[tuple[str, str, str]] = ()) -> dict[tuple[str, str, str], int]:
    """(table, row, column) → its number in ``fact_keys``; the keys in ``wanted`` not numbered yet are numbered."""
    ids = {
        (t, r, c): n
        for n, t, r, c in conn.execute(select(FactKey.id, FactKey.table_name, FactKey.row_key, FactKey.column_key))
    }
    missing = sorted(set(wanted) - ids.keys())
    if missing:  # a concurrent loader numbering the same or other keys: a unique violation, retried whole
        top = max(ids.values(), default=0)
        conn.execute(
            insert(FactKey),
            [
                {"id": top + n, "table_name": t, "row_key": r, "column_key": c}
                for n, (t, r, c) in enumerate(missing, start=1)
            ],
        )
        ids.update({k: top + n for n, k in enumerate(missing, start=1)})
    return ids


def insert_facts(conn: Connection, rows: Iterable[tuple]) -> None:
    """Write ``fact_values`` rows (:data:`FACT_COLUMNS`), streamed, the fastest way each database has:
    binary ``COPY`` on PostgreSQL, ``executemany`` of one prepared ``INSERT`` on SQLite."""
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        assert driver is not None  # an open connection has its driver's
        cursor = driver.cursor()
        with cursor.copy(f"COPY fact_values ({', '.join(FACT_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(FACT_PG_TYPES)
            for row in rows:
                copy.write_row(row)
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.executemany(
        f"INSERT INTO fact_values ({', '.join(FACT_COLUMNS)}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})", rows
    )
