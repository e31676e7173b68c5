"""Crawl state: fetch records, runs, blocked agencies.

Revision ID: 0002_crawl
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_crawl"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crawl_fetches",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("agency", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.Integer()),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("content_type", sa.Text()),
        sa.Column("raw_path", sa.Text()),
        sa.Column("size", sa.Integer()),
        sa.Column("fetched_at", sa.DateTime(timezone=True)),
        sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("children", sa.JSON()),
        sa.Column("error", sa.Text()),
    )
    op.create_index("ix_crawl_fetches_agency", "crawl_fetches", ["agency"])
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("counts", sa.JSON()),
        sa.Column("errors", sa.JSON()),
        sa.Column("agencies", sa.JSON()),
    )
    op.create_table(
        "crawl_blocks",
        sa.Column("agency", sa.Text(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("crawl_blocks")
    op.drop_table("crawl_runs")
    op.drop_index("ix_crawl_fetches_agency", "crawl_fetches")
    op.drop_table("crawl_fetches")
