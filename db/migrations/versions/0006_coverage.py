"""Who published and when: ``agencies.kind`` (government | department, from the registry) and the ``coverage`` view.

The view (``govreports.db.coverage``) differs only in its date expressions between SQLite and
PostgreSQL; it is created with the dialect's spelling.

Revision ID: 0006_coverage
Revises: 0005_current_by_published
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from govreports.db.coverage import coverage_sql

revision = "0006_coverage"
down_revision = "0005_current_by_published"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("agencies", sa.Column("kind", sa.String(12), nullable=True))
    op.execute(f"CREATE VIEW coverage AS {coverage_sql(op.get_bind().dialect.name)}")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS coverage")
    # a plain DROP COLUMN (SQLite ≥ 3.35): batch mode would copy the table, which other tables reference
    op.execute("ALTER TABLE agencies DROP COLUMN kind")
