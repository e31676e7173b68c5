"""A database that never answers is a one-line error in bounded time: DB_CONNECT_TIMEOUT for the
connection (a local server that accepts and never answers), DB_STATEMENT_TIMEOUT per statement."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from govreports.cli import cli
from govreports.db.engine import connect
from govreports.db.errors import DatabaseError
from tests.support import JIAXING
from tests.support.db import pg_schema
from tests.support.network import silent, tcp_server


def test_a_server_that_never_answers_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setenv("GOVREPORTS_DB_CONNECT_TIMEOUT", "2")
    with tcp_server(silent) as (port, starts):
        url = f"postgresql://postgres@127.0.0.1:{port}/test"
        t0 = time.monotonic()
        with pytest.raises(DatabaseError, match=r"timeout expired \(no answer within DB_CONNECT_TIMEOUT=2 s\)"):
            connect(url)
        elapsed = time.monotonic() - t0
        result = CliRunner().invoke(cli, ["load", "--db", url, str(JIAXING)])
    assert starts and elapsed < 20  # it connected, then gave up (libpq may try each address once)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: cannot open postgresql+psycopg://postgres@127.0.0.1:{port}/test: ")
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.postgres
def test_statement_timeout_bounds_each_statement(monkeypatch) -> None:
    with pg_schema() as url:
        connect(url).dispose()  # migrated under the default timeout: a busy server takes its time
        monkeypatch.setenv("GOVREPORTS_DB_STATEMENT_TIMEOUT", "0.5")
        engine = connect(url, migrate=False)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SHOW statement_timeout")).scalar() == "500ms"
                assert conn.execute(text("SHOW search_path")).scalar().startswith("t_")  # the URL's options kept
                t0 = time.monotonic()
                with pytest.raises(OperationalError, match="statement timeout"):
                    conn.execute(text("SELECT pg_sleep(30)"))
                assert time.monotonic() - t0 < 10
        finally:
            engine.dispose()


def test_schema_upgrade_is_not_cut_by_the_statement_timeout(monkeypatch) -> None:
    """An upgrade that waits for another process's upgrade (or moves a large table) takes longer than
    a query may: DB_STATEMENT_TIMEOUT bounds queries, not migrations."""
    import threading

    from sqlalchemy import create_engine

    from govreports.db.engine import _MIGRATE_LOCK, resolve_url

    monkeypatch.setenv("GOVREPORTS_DB_STATEMENT_TIMEOUT", "0.5")
    with pg_schema() as url:
        holder = create_engine(resolve_url(url))
        held = threading.Event()

        def hold() -> None:  # another loader upgrading the same database for 2 s
            with holder.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATE_LOCK})
                held.set()
                time.sleep(2)

        other = threading.Thread(target=hold)
        other.start()
        held.wait(10)
        t0 = time.monotonic()
        engine = connect(url)  # waits for the lock, then migrates
        waited = time.monotonic() - t0
        other.join()
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM reports")).scalar() == 0
                assert conn.execute(text("SHOW statement_timeout")).scalar() == "500ms"  # queries still bounded
        finally:
            engine.dispose()
            holder.dispose()
        assert waited >= 1.0
