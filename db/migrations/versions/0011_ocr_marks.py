"""``fact_values.ocr`` and ``fact_values.confidence``: which numbers OCR read, and how sure it was.

A scanned PDF or a 图片版 page's pictures are read by OCR; every fact of such a report is marked
``ocr`` and, where a number was read, carries the recogniser's ``confidence`` (0–1), as the parser's
JSON does. The ``facts`` view shows both. Text-layer facts are ``ocr`` false, ``confidence`` NULL.

The views reading ``facts`` (``0001_initial``'s, which name their columns) are dropped and made
again around it: SQLite cannot replace a view, PostgreSQL cannot drop one others read.

Revision ID: 0011_ocr_marks
Revises: 0010_hints
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0011_ocr_marks"
down_revision = "0010_hints"
branch_labels = None
depends_on = None

FACTS_VIEW = """CREATE VIEW facts AS
SELECT v.report_id, k.table_name, k.row_key, k.column_key, v.value, v.raw, v.inferred, v.page, v.ocr, v.confidence
FROM fact_values v JOIN fact_keys k ON k.id = v.key_id"""

FACTS_VIEW_BEFORE = """CREATE VIEW facts AS
SELECT v.report_id, k.table_name, k.row_key, k.column_key, v.value, v.raw, v.inferred, v.page
FROM fact_values v JOIN fact_keys k ON k.id = v.key_id"""


def _views():
    """``0001_initial``'s frozen views (create_views / drop_views), loaded by alembic from that revision."""
    return context.script.get_revision("0001_initial").module


def _facts_view(sql: str) -> None:
    views = _views()
    views.drop_views(op.execute)
    op.execute("DROP VIEW IF EXISTS facts")
    op.execute(sql)
    views.create_views(op.execute)


def upgrade() -> None:
    op.add_column("fact_values", sa.Column("ocr", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("fact_values", sa.Column("confidence", sa.Double(), nullable=True))
    _facts_view(FACTS_VIEW)


def downgrade() -> None:
    _facts_view(FACTS_VIEW_BEFORE)
    # a plain DROP COLUMN (SQLite ≥ 3.35): batch mode would copy the table
    op.execute("ALTER TABLE fact_values DROP COLUMN confidence")
    op.execute("ALTER TABLE fact_values DROP COLUMN ocr")
