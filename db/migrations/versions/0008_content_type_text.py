"""``documents.content_type`` is text without a length: a header value is stored as the server sent it.

A ``Content-Type`` longer than 100 characters made the PostgreSQL write fail, and the failure could
not be recorded either (the failed document row carries the same value). SQLite never enforces a
VARCHAR length, so there the column already held any value and is left as it is (changing a type
there means rebuilding the table under its foreign keys).

Revision ID: 0008_content_type_text
Revises: 0007_parser_versions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_content_type_text"
down_revision = "0007_parser_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("documents", "content_type", type_=sa.Text(), existing_type=sa.String(100))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE documents SET content_type = left(content_type, 100)")
        op.alter_column("documents", "content_type", type_=sa.String(100), existing_type=sa.Text())
