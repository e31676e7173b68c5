"""Load failures: a source that could not be fetched, read or stored, kept until a later load succeeds.

At most one open (unresolved) failure per source: a partial unique index on ``source`` where
``resolved_at IS NULL`` (SQLite and PostgreSQL both have partial indexes). Resolved failures stay
as history.

Revision ID: 0003_load_failures
Revises: 0002_crawl
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_load_failures"
down_revision = "0002_crawl"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "load_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(10), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=True),
        sa.CheckConstraint("stage IN ('fetch', 'read', 'parse', 'store')", name="ck_load_failure_stage"),
    )
    op.create_index(
        "uq_load_failure_open",
        "load_failures",
        ["source"],
        unique=True,
        sqlite_where=sa.text("resolved_at IS NULL"),
        postgresql_where=sa.text("resolved_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_load_failure_open", "load_failures")
    op.drop_table("load_failures")
