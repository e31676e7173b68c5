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

The views are those of ``0001_initial`` (frozen there), dropped and re-created around the change;
the template keys are numbered from :data:`NUMBERED`, frozen here: nothing in a revision calls live
code.

Revision ID: 0004_fact_keys
Revises: 0003_load_failures
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0004_fact_keys"
down_revision = "0003_load_failures"
branch_labels = None
depends_on = None

# The template keys numbered first, in this order (both templates, as they were when this revision was
# written); keys found only in the data follow them.
NUMBERED: tuple[tuple[str, str, str], ...] = (
    ("active", "regulations", "issued"),
    ("active", "regulations", "repealed"),
    ("active", "regulations", "in_force"),
    ("active", "normative_documents", "issued"),
    ("active", "normative_documents", "repealed"),
    ("active", "normative_documents", "in_force"),
    ("active", "licensing", "decisions"),
    ("active", "penalty", "decisions"),
    ("active", "coercion", "decisions"),
    ("active", "fees", "amount_10k_yuan"),
    ("applications", "new_received", "natural_person"),
    ("applications", "new_received", "enterprise"),
    ("applications", "new_received", "research"),
    ("applications", "new_received", "public_interest"),
    ("applications", "new_received", "legal_services"),
    ("applications", "new_received", "other_org"),
    ("applications", "new_received", "total"),
    ("applications", "carried_over", "natural_person"),
    ("applications", "carried_over", "enterprise"),
    ("applications", "carried_over", "research"),
    ("applications", "carried_over", "public_interest"),
    ("applications", "carried_over", "legal_services"),
    ("applications", "carried_over", "other_org"),
    ("applications", "carried_over", "total"),
    ("applications", "granted", "natural_person"),
    ("applications", "granted", "enterprise"),
    ("applications", "granted", "research"),
    ("applications", "granted", "public_interest"),
    ("applications", "granted", "legal_services"),
    ("applications", "granted", "other_org"),
    ("applications", "granted", "total"),
    ("applications", "partly_granted", "natural_person"),
    ("applications", "partly_granted", "enterprise"),
    ("applications", "partly_granted", "research"),
    ("applications", "partly_granted", "public_interest"),
    ("applications", "partly_granted", "legal_services"),
    ("applications", "partly_granted", "other_org"),
    ("applications", "partly_granted", "total"),
    ("applications", "denied_state_secret", "natural_person"),
    ("applications", "denied_state_secret", "enterprise"),
    ("applications", "denied_state_secret", "research"),
    ("applications", "denied_state_secret", "public_interest"),
    ("applications", "denied_state_secret", "legal_services"),
    ("applications", "denied_state_secret", "other_org"),
    ("applications", "denied_state_secret", "total"),
    ("applications", "denied_law_prohibited", "natural_person"),
    ("applications", "denied_law_prohibited", "enterprise"),
    ("applications", "denied_law_prohibited", "research"),
    ("applications", "denied_law_prohibited", "public_interest"),
    ("applications", "denied_law_prohibited", "legal_services"),
    ("applications", "denied_law_prohibited", "other_org"),
    ("applications", "denied_law_prohibited", "total"),
    ("applications", "denied_security_stability", "natural_person"),
    ("applications", "denied_security_stability", "enterprise"),
    ("applications", "denied_security_stability", "research"),
    ("applications", "denied_security_stability", "public_interest"),
    ("applications", "denied_security_stability", "legal_services"),
    ("applications", "denied_security_stability", "other_org"),
    ("applications", "denied_security_stability", "total"),
    ("applications", "denied_third_party", "natural_person"),
    ("applications", "denied_third_party", "enterprise"),
    ("applications", "denied_third_party", "research"),
    ("applications", "denied_third_party", "public_interest"),
    ("applications", "denied_third_party", "legal_services"),
    ("applications", "denied_third_party", "other_org"),
    ("applications", "denied_third_party", "total"),
    ("applications", "denied_internal_affairs", "natural_person"),
    ("applications", "denied_internal_affairs", "enterprise"),
    ("applications", "denied_internal_affairs", "research"),
    ("applications", "denied_internal_affairs", "public_interest"),
    ("applications", "denied_internal_affairs", "legal_services"),
    ("applications", "denied_internal_affairs", "other_org"),
    ("applications", "denied_internal_affairs", "total"),
    ("applications", "denied_process_info", "natural_person"),
    ("applications", "denied_process_info", "enterprise"),
    ("applications", "denied_process_info", "research"),
    ("applications", "denied_process_info", "public_interest"),
    ("applications", "denied_process_info", "legal_services"),
    ("applications", "denied_process_info", "other_org"),
    ("applications", "denied_process_info", "total"),
    ("applications", "denied_enforcement_file", "natural_person"),
    ("applications", "denied_enforcement_file", "enterprise"),
    ("applications", "denied_enforcement_file", "research"),
    ("applications", "denied_enforcement_file", "public_interest"),
    ("applications", "denied_enforcement_file", "legal_services"),
    ("applications", "denied_enforcement_file", "other_org"),
    ("applications", "denied_enforcement_file", "total"),
    ("applications", "denied_admin_query", "natural_person"),
    ("applications", "denied_admin_query", "enterprise"),
    ("applications", "denied_admin_query", "research"),
    ("applications", "denied_admin_query", "public_interest"),
    ("applications", "denied_admin_query", "legal_services"),
    ("applications", "denied_admin_query", "other_org"),
    ("applications", "denied_admin_query", "total"),
    ("applications", "unable_not_held", "natural_person"),
    ("applications", "unable_not_held", "enterprise"),
    ("applications", "unable_not_held", "research"),
    ("applications", "unable_not_held", "public_interest"),
    ("applications", "unable_not_held", "legal_services"),
    ("applications", "unable_not_held", "other_org"),
    ("applications", "unable_not_held", "total"),
    ("applications", "unable_needs_creation", "natural_person"),
    ("applications", "unable_needs_creation", "enterprise"),
    ("applications", "unable_needs_creation", "research"),
    ("applications", "unable_needs_creation", "public_interest"),
    ("applications", "unable_needs_creation", "legal_services"),
    ("applications", "unable_needs_creation", "other_org"),
    ("applications", "unable_needs_creation", "total"),
    ("applications", "unable_unclear", "natural_person"),
    ("applications", "unable_unclear", "enterprise"),
    ("applications", "unable_unclear", "research"),
    ("applications", "unable_unclear", "public_interest"),
    ("applications", "unable_unclear", "legal_services"),
    ("applications", "unable_unclear", "other_org"),
    ("applications", "unable_unclear", "total"),
    ("applications", "rejected_petition", "natural_person"),
    ("applications", "rejected_petition", "enterprise"),
    ("applications", "rejected_petition", "research"),
    ("applications", "rejected_petition", "public_interest"),
    ("applications", "rejected_petition", "legal_services"),
    ("applications", "rejected_petition", "other_org"),
    ("applications", "rejected_petition", "total"),
    ("applications", "rejected_repeated", "natural_person"),
    ("applications", "rejected_repeated", "enterprise"),
    ("applications", "rejected_repeated", "research"),
    ("applications", "rejected_repeated", "public_interest"),
    ("applications", "rejected_repeated", "legal_services"),
    ("applications", "rejected_repeated", "other_org"),
    ("applications", "rejected_repeated", "total"),
    ("applications", "rejected_publication", "natural_person"),
    ("applications", "rejected_publication", "enterprise"),
    ("applications", "rejected_publication", "research"),
    ("applications", "rejected_publication", "public_interest"),
    ("applications", "rejected_publication", "legal_services"),
    ("applications", "rejected_publication", "other_org"),
    ("applications", "rejected_publication", "total"),
    ("applications", "rejected_excessive", "natural_person"),
    ("applications", "rejected_excessive", "enterprise"),
    ("applications", "rejected_excessive", "research"),
    ("applications", "rejected_excessive", "public_interest"),
    ("applications", "rejected_excessive", "legal_services"),
    ("applications", "rejected_excessive", "other_org"),
    ("applications", "rejected_excessive", "total"),
    ("applications", "rejected_confirmation", "natural_person"),
    ("applications", "rejected_confirmation", "enterprise"),
    ("applications", "rejected_confirmation", "research"),
    ("applications", "rejected_confirmation", "public_interest"),
    ("applications", "rejected_confirmation", "legal_services"),
    ("applications", "rejected_confirmation", "other_org"),
    ("applications", "rejected_confirmation", "total"),
    ("applications", "other_overdue_correction", "natural_person"),
    ("applications", "other_overdue_correction", "enterprise"),
    ("applications", "other_overdue_correction", "research"),
    ("applications", "other_overdue_correction", "public_interest"),
    ("applications", "other_overdue_correction", "legal_services"),
    ("applications", "other_overdue_correction", "other_org"),
    ("applications", "other_overdue_correction", "total"),
    ("applications", "other_overdue_fee", "natural_person"),
    ("applications", "other_overdue_fee", "enterprise"),
    ("applications", "other_overdue_fee", "research"),
    ("applications", "other_overdue_fee", "public_interest"),
    ("applications", "other_overdue_fee", "legal_services"),
    ("applications", "other_overdue_fee", "other_org"),
    ("applications", "other_overdue_fee", "total"),
    ("applications", "other_other", "natural_person"),
    ("applications", "other_other", "enterprise"),
    ("applications", "other_other", "research"),
    ("applications", "other_other", "public_interest"),
    ("applications", "other_other", "legal_services"),
    ("applications", "other_other", "other_org"),
    ("applications", "other_other", "total"),
    ("applications", "total_processed", "natural_person"),
    ("applications", "total_processed", "enterprise"),
    ("applications", "total_processed", "research"),
    ("applications", "total_processed", "public_interest"),
    ("applications", "total_processed", "legal_services"),
    ("applications", "total_processed", "other_org"),
    ("applications", "total_processed", "total"),
    ("applications", "carried_forward", "natural_person"),
    ("applications", "carried_forward", "enterprise"),
    ("applications", "carried_forward", "research"),
    ("applications", "carried_forward", "public_interest"),
    ("applications", "carried_forward", "legal_services"),
    ("applications", "carried_forward", "other_org"),
    ("applications", "carried_forward", "total"),
    ("review_litigation", "review", "upheld"),
    ("review_litigation", "review", "corrected"),
    ("review_litigation", "review", "other"),
    ("review_litigation", "review", "pending"),
    ("review_litigation", "review", "total"),
    ("review_litigation", "litigation_direct", "upheld"),
    ("review_litigation", "litigation_direct", "corrected"),
    ("review_litigation", "litigation_direct", "other"),
    ("review_litigation", "litigation_direct", "pending"),
    ("review_litigation", "litigation_direct", "total"),
    ("review_litigation", "litigation_after_review", "upheld"),
    ("review_litigation", "litigation_after_review", "corrected"),
    ("review_litigation", "litigation_after_review", "other"),
    ("review_litigation", "litigation_after_review", "pending"),
    ("review_litigation", "litigation_after_review", "total"),
    ("active", "regulations", "made"),
    ("active", "regulations", "published"),
    ("active", "regulations", "total_published"),
    ("active", "normative_documents", "made"),
    ("active", "normative_documents", "published"),
    ("active", "normative_documents", "total_published"),
    ("active", "licensing", "items_last_year"),
    ("active", "licensing", "items_change"),
    ("active", "other_services", "items_last_year"),
    ("active", "other_services", "items_change"),
    ("active", "other_services", "decisions"),
    ("active", "penalty", "items_last_year"),
    ("active", "penalty", "items_change"),
    ("active", "coercion", "items_last_year"),
    ("active", "coercion", "items_change"),
    ("active", "fees", "items_last_year"),
    ("active", "fees", "items_change"),
    ("active", "procurement", "projects"),
    ("active", "procurement", "amount_10k_yuan"),
    ("applications", "other", "natural_person"),
    ("applications", "other", "enterprise"),
    ("applications", "other", "research"),
    ("applications", "other", "public_interest"),
    ("applications", "other", "legal_services"),
    ("applications", "other", "other_org"),
    ("applications", "other", "total"),
)


FACTS_VIEW = """CREATE VIEW facts AS
SELECT v.report_id, k.table_name, k.row_key, k.column_key, v.value, v.raw, v.inferred, v.page
FROM fact_values v JOIN fact_keys k ON k.id = v.key_id"""


def key_type(length: int):
    """Template keys: byte-wise "C" collation on PostgreSQL (see ``govreports.db.models.key_type``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _views():
    """``0001_initial``'s frozen views (create_views / drop_views), loaded by alembic from that revision."""
    return context.script.get_revision("0001_initial").module


def upgrade() -> None:
    _views().drop_views(op.execute)  # they read `facts`, which is about to become a view itself
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
    numbered = list(NUMBERED)
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
    _views().create_views(op.execute)


def downgrade() -> None:
    _views().drop_views(op.execute)
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
    _views().create_views(op.execute)
