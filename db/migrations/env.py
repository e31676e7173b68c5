"""Alembic environment: run by :func:`govreports.db.engine.upgrade` with a connection, or by ``alembic`` with a URL.

``target_metadata`` must see every model defined on ``govreports.db.models.Base``. Modules that add models
import ``Base`` from ``govreports.db.models`` and are imported below (one line each), so that autogenerate
compares all of them: a module left out here would look like tables to drop. ``tests/db/test_schema_history.py``
runs ``alembic check`` through this file on a freshly migrated database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import govreports.db.crawl_models
import govreports.db.models

# Modules with more models on Base: one import line each, above.

target_metadata = govreports.db.models.Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # `alembic -x` from a shell: open our own
        from govreports.db.engine import resolve_url

        engine = create_engine(resolve_url(context.config.get_main_option("sqlalchemy.url")))
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=connection.dialect.name == "sqlite"
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
