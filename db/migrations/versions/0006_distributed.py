"""Distributed runs: each agency's result as it finishes, and procrastinate's job queue.

``crawl_run_agencies`` holds one row per (run, agency), written when the agency is done: the
checkpoint a retried site job resumes from, and what a distributed run's summary is made of.

On PostgreSQL, procrastinate's tables, types and functions are created in a schema of their own
beside the database's (``procrastinate`` beside ``public``; ``<schema>_procrastinate`` beside any
other schema), from the schema file of the procrastinate release pinned in pyproject.toml (3.10.x). A later procrastinate release is taken up by a new revision
that applies procrastinate's own migration files for it; this revision stays as it is. SQLite has no
queue: distributed runs need PostgreSQL.

Revision ID: 0006_distributed
Revises: 0005_current_by_published
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_distributed"
down_revision = "0005_current_by_published"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_run_agencies",
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("crawl_runs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("agency", sa.Text(), primary_key=True),
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
    )
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    from importlib.resources import files

    schema = _queue_schema(conn)
    ddl = files("procrastinate").joinpath("sql/schema.sql").read_text(encoding="utf-8")
    path = conn.exec_driver_sql("SHOW search_path").scalar_one()
    conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    conn.exec_driver_sql(f"SELECT set_config('search_path', '\"{schema}\"', true)")
    try:
        conn.connection.cursor().execute(ddl)  # no parameters: the DDL's % signs are its own
    finally:  # later revisions in this transaction see the database's own path again
        conn.exec_driver_sql("SELECT set_config('search_path', %s, true)", (path,))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{_queue_schema(conn)}" CASCADE')
    op.drop_table("crawl_run_agencies")


def _queue_schema(conn) -> str:
    """``procrastinate`` beside ``public``, else ``<schema>_procrastinate`` (the rule of
    ``govreports.pipeline.queue.queue_schema``, frozen here)."""
    own = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    return "procrastinate" if own == "public" else f"{own}_procrastinate"
