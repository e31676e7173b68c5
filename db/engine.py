"""Opening the database: resolve the URL, create the engine, migrate the schema to head.

Users never run Alembic by hand: :func:`connect` upgrades an empty or older database itself. On
PostgreSQL an advisory lock serialises concurrent upgrades from several loaders.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from govreports import settings

from .errors import DatabaseError

ENV_VAR = "GOVREPORTS_DB"  # the DB setting's variable
MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATE_LOCK = 7_411_923_001  # pg_advisory_lock key: "govreports schema upgrade"


def resolve_url(url: str | None = None) -> str:
    """The URL given, else the ``DB`` setting (``$GOVREPORTS_DB``, else a SQLite file in the working directory)."""
    url = url or str(settings.get("DB"))
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]  # psycopg 3, not the psycopg2 default
    return url


def sqlite_path(url: str | None = None) -> Path | None:
    """The file of a SQLite database URL (see :func:`resolve_url`); None for another database or ``:memory:``."""
    try:
        parsed = make_url(resolve_url(url))
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url}") from exc
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def connect(url: str | None = None, migrate: bool = True) -> Engine:
    """An engine for ``url`` (see :func:`resolve_url`) with the schema at the latest revision."""
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url}") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:///… or postgresql://…")
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(resolved, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(resolved, pool_pre_ping=True, connect_args=_pg_timeouts(parsed.query))
    if migrate:
        try:
            upgrade(engine)
        except Exception as exc:
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(exc, SQLAlchemyError):
                raise DatabaseError(
                    f"cannot open {parsed.render_as_string(hide_password=True)}: {_reason(exc)}"
                ) from exc
            raise
    return engine


def _pg_timeouts(query: Mapping[str, str | tuple[str, ...]]) -> dict[str, object]:
    """libpq arguments that bound the wait: ``DB_CONNECT_TIMEOUT`` for the connection (a server that
    accepts and never answers), ``DB_STATEMENT_TIMEOUT`` for each statement (0 = none). The URL's
    own ``options`` are kept (tests put a search_path there)."""
    connect_timeout = float(settings.get("DB_CONNECT_TIMEOUT"))
    statement_ms = int(float(settings.get("DB_STATEMENT_TIMEOUT")) * 1000)
    given = query.get("options", "")
    options = " ".join(given) if isinstance(given, tuple) else given
    args: dict[str, object] = {"options": f"{options} -c statement_timeout={statement_ms}".strip()}
    if connect_timeout > 0:
        args["connect_timeout"] = max(2, math.ceil(connect_timeout))  # libpq's floor is 2 s
    return args


def _reason(exc: Exception) -> str:
    """The driver's first line, saying which setting bounds the wait when it was a timeout."""
    text = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    if "timeout expired" in text:
        return f"{text} (no answer within DB_CONNECT_TIMEOUT={settings.get('DB_CONNECT_TIMEOUT'):g} s)"
    if "statement timeout" in text:
        return f"{text} (DB_STATEMENT_TIMEOUT={settings.get('DB_STATEMENT_TIMEOUT'):g} s)"
    return text


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by _sqlite_begin, not by the driver
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")  # readers do not block the loader
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_begin(conn) -> None:
    """Loaders take the write lock up front (``sqlite_immediate``): two loaders never deadlock on an upgrade."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sqlite_immediate") else "BEGIN")


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise DatabaseError(f"no migrations found in {MIGRATIONS}")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision``; a database already there is left untouched (one cheap query)."""
    from alembic import command

    if revision == "head" and current_revision(engine) == head_revision():
        return
    _migrate(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate back to ``revision`` (tests and operators undoing a release)."""
    from alembic import command

    _migrate(engine, lambda cfg: command.downgrade(cfg, revision))


def _migrate(engine: Engine, run) -> None:
    """Run an Alembic command in one transaction that holds the migration lock.

    SQLite: the write lock is taken first (BEGIN IMMEDIATE), so two processes migrating at once wait
    for each other instead of deadlocking on the upgrade from a read lock to a write lock; and, as
    SQLite's way to rebuild a table says (lang_altertable.html), foreign keys are off while it runs
    and checked before it commits — with them on, dropping the old copy of a table would delete or
    refuse the rows that refer to it.
    """
    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(conn, False)
        try:
            with conn.execution_options(sqlite_immediate=True).begin():
                if not sqlite:
                    # DB_STATEMENT_TIMEOUT bounds queries, not schema changes: waiting for another
                    # process's upgrade, or moving a large table, may take longer than any query
                    conn.execute(text("SET LOCAL statement_timeout = 0"))
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATE_LOCK})
                cfg.attributes["connection"] = conn
                run(cfg)
                if sqlite and (bad := conn.exec_driver_sql("PRAGMA foreign_key_check").first()) is not None:
                    raise DatabaseError(f"migration left a dangling reference in {bad[0]} (row {bad[1]})")
        finally:
            if sqlite:
                _sqlite_foreign_keys(conn, True)


def _sqlite_foreign_keys(conn, on: bool) -> None:
    """``PRAGMA foreign_keys`` outside any transaction (inside one SQLite ignores it)."""
    conn.connection.driver_connection.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def init_db(engine: Engine) -> Engine:
    """Bring an engine made elsewhere to the latest schema (what :func:`connect` does itself)."""
    upgrade(engine)
    return engine
