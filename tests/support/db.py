"""Database helpers for tests: a PostgreSQL schema per test, row counts, snapshots, version checks.

PostgreSQL is used when ``GOVREPORTS_TEST_POSTGRES`` holds its URL (``.ci/run`` sets it). Each test
gets a schema of its own, dropped afterwards; the database itself is never dropped. With the
variable set and the server unreachable the PostgreSQL tests FAIL; without it they skip, saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text

from govreports.db.engine import resolve_url

PG_ENV = "GOVREPORTS_TEST_POSTGRES"


def pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema(skip_reason: str = "PostgreSQL tests skipped") -> Iterator[str]:
    """The URL of a fresh schema on the PostgreSQL server, dropped afterwards.

    Skips (saying how to run it) without ``GOVREPORTS_TEST_POSTGRES``; fails if it is set and the
    server cannot be reached.
    """
    base = pg_admin_url()
    if base is None:
        pytest.skip(f"{skip_reason}: set {PG_ENV}=postgresql://user@host:port/db to run them")
    admin = create_engine(resolve_url(base))
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # the variable is set: an unreachable server is a failure, not a skip
        pytest.fail(f"{PG_ENV} is set but PostgreSQL is unreachable: {exc}")
    try:
        yield _schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema}_procrastinate CASCADE"))  # the job queue's
        admin.dispose()


def counts(engine: Engine) -> dict[str, int]:
    """Rows per table: what 'nothing changed' and 'nothing partial' are checked against."""
    with engine.connect() as conn:
        return {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("agencies", "agency_aliases", "documents", "reports", "facts", "findings")
        }


def snapshot(engine: Engine) -> dict[str, list]:
    """Every row of every table (timestamps aside), for exact before/after comparisons."""
    out = {}
    with engine.connect() as conn:
        for table, order in (
            ("agencies", "id"),
            ("agency_aliases", "alias"),
            ("documents", "id"),
            ("reports", "id"),
            ("facts", "report_id, table_name, row_key, column_key"),
            ("findings", "id"),
        ):
            rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY {order}")).mappings().all()
            out[table] = [{k: v for k, v in r.items() if k not in ("created_at", "loaded_at")} for r in rows]
    return out


def orphan_facts(engine: Engine) -> int:
    """Facts whose report does not exist (``facts.report_id`` has no FK constraint; see db.models.Fact)."""
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM facts f LEFT JOIN reports r ON r.id = f.report_id WHERE r.id IS NULL")
        ).scalar_one()


def check_versions(engine: Engine) -> None:
    """Per (agency, year): the current version is the last in publication order (govreports.db.versioning.publication_order),
    and every other version's ``superseded_by`` is its successor in that order."""
    from sqlalchemy import select

    from govreports.db.models import Report
    from govreports.db.versioning import Version, publication_order

    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Report.id,
                Report.agency_id,
                Report.year,
                Report.version,
                Report.published,
                Report.is_current,
                Report.superseded_by,
            )
        ).all()
    pairs: dict[tuple[int, int], list] = {}
    for r in rows:
        pairs.setdefault((r.agency_id, r.year), []).append(r)
    for pair, versions in pairs.items():
        ids = [v.report_id for v in publication_order(Version(r.version, r.published, r.id) for r in versions)]
        expected = {rid: (rid == ids[-1], successor) for rid, successor in zip(ids, [*ids[1:], None], strict=True)}
        assert {r.id: (bool(r.is_current), r.superseded_by) for r in versions} == expected, pair


def facts_in(engine) -> dict[tuple[str, int], dict[tuple[str, str, str], float | None]]:
    out: dict = {}
    with engine.connect() as conn:
        for agency, year, t, r, c, v in conn.execute(
            text("SELECT agency, year, table_name, row_key, column_key, value FROM report_facts")
        ):
            out.setdefault((agency, year), {})[(t, r, c)] = v
    return out
