"""Narrow fact storage: template keys numbered in ``fact_keys``, numbers in ``fact_values``, ``facts`` a view.

A fact row used to carry its three template keys as text (and a primary key over them); now it
carries one small integer. ``facts`` becomes a view with exactly the old columns (report_id,
table_name, row_key, column_key, value, raw, inferred, page), so every query, view and notebook
reads it as before. Existing facts are moved over; the keys of both templates are numbered first,
in template order, then any other key found in the data. On SQLite ``fact_values`` is a ``WITHOUT
ROWID`` table: the primary key is the table, one b-tree instead of two.

``fact_values`` has no foreign keys (report_id → reports, key_id → fact_keys): PostgreSQL checks
each with a trigger per row, which costs a bulk load more than the rest of the row; facts are only
written by ``govreports.db.load``, and the tests check for orphans.

Revision ID: 0004_fact_keys
Revises: 0003_load_failures
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from govreports.db import views
from govreports.parsers import TEMPLATES, fact_keys

revision = "0004_fact_keys"
down_revision = "0003_load_failures"
branch_labels = None
depends_on = None

FACTS_VIEW = """CREATE VIEW facts AS
SELECT v.report_id, k.table_name, k.row_key, k.column_key, v.value, v.raw, v.inferred, v.page
FROM fact_values v JOIN fact_keys k ON k.id = v.key_id"""


def key_type(length: int):
    """Template keys: byte-wise "C" collation on PostgreSQL (see ``govreports.db.models.key_type``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    views.drop_views(op.execute)  # they read `facts`, which is about to become a view itself
    keys = op.create_table(
        "fact_keys",
        sa.Column("id", sa.SmallInteger(), primary_key=True, autoincrement=False),
        sa.Column("table_name", key_type(20), nullable=False),
        sa.Column("row_key", key_type(40), nullable=False),
        sa.Column("column_key", key_type(20), nullable=False),
        sa.UniqueConstraint("table_name", "row_key", "column_key", name="uq_fact_key"),
    )
    op.create_table(
        "fact_values",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.SmallInteger(), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("inferred", sa.Boolean(), nullable=False),
        sa.Column("page", sa.SmallInteger(), nullable=True),
        sa.PrimaryKeyConstraint("report_id", "key_id"),
        sqlite_with_rowid=False,
    )
    numbered = list(dict.fromkeys(k for t in TEMPLATES for k in fact_keys(t)))
    stored = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT DISTINCT table_name, row_key, column_key FROM facts ORDER BY table_name, row_key, column_key"
            )
        )
        .all()
    )
    seen = set(numbered)
    numbered += [k for k in map(tuple, stored) if k not in seen]
    op.bulk_insert(
        keys,
        [{"id": n, "table_name": t, "row_key": r, "column_key": c} for n, (t, r, c) in enumerate(numbered, start=1)],
    )
    op.execute(
        "INSERT INTO fact_values (report_id, key_id, value, raw, inferred, page) "
        "SELECT f.report_id, k.id, f.value, f.raw, f.inferred, f.page FROM facts f JOIN fact_keys k "
        "ON k.table_name = f.table_name AND k.row_key = f.row_key AND k.column_key = f.column_key"
    )
    op.drop_table("facts")
    op.execute(FACTS_VIEW)
    views.create_views(op.execute)


def downgrade() -> None:
    views.drop_views(op.execute)
    op.execute("DROP VIEW facts")
    op.create_table(
        "facts",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("table_name", key_type(20), nullable=False),
        sa.Column("row_key", key_type(40), nullable=False),
        sa.Column("column_key", key_type(20), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("inferred", sa.Boolean(), nullable=False),
        sa.Column("page", sa.SmallInteger(), nullable=True),
        sa.PrimaryKeyConstraint("report_id", "table_name", "row_key", "column_key"),
    )
    op.execute(
        "INSERT INTO facts (report_id, table_name, row_key, column_key, value, raw, inferred, page) "
        "SELECT v.report_id, k.table_name, k.row_key, k.column_key, v.value, v.raw, v.inferred, v.page "
        "FROM fact_values v JOIN fact_keys k ON k.id = v.key_id"
    )
    op.drop_table("fact_values")
    op.drop_table("fact_keys")
    views.create_views(op.execute)
