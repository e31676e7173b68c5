"""Initial schema: agencies, documents, versioned reports, facts, findings, and the analysts' views.

The views are frozen here as SQL (:data:`VIEWS`), as ``govreports.db.views`` generated them from the
template: a revision never calls live code, so what it builds cannot change after it was written. A
later change to a view needs a revision that drops and re-creates it.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-28 02:42:54.462464
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def key_type(length: int):
    """Template keys: byte-wise "C" collation on PostgreSQL (see ``govreports.db.models.key_type``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

# The analysts' views as this revision creates them, frozen: generated once from the
# template by ``govreports.db.views`` (name → SELECT, in creation order). A later change to a view
# is a new revision that drops and re-creates it; ``tests/db/test_schema_history.py`` checks the
# newest frozen views equal the live ones.
VIEWS: dict[str, str] = {
    "report_facts": """
SELECT r.id AS report_id, r.agency_id, r.agency_name AS agency, a.name AS agency_canonical,
       a.region_code AS region, a.level, r.year, r.template, r.published, d.source, d.content_hash, f.table_name, f.row_key, f.column_key, f.value, f.raw, f.inferred, f.page
FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN documents d ON d.id = r.document_id
JOIN facts f ON f.report_id = r.id
WHERE r.is_current
""",
    "applications_by_year": """
SELECT r.id AS report_id, r.agency_id, r.agency_name AS agency, a.name AS agency_canonical,
       a.region_code AS region, a.level, r.year, r.template, r.published, d.source,
       p.new_received_total, p.carried_over_total, p.granted_total, p.partly_granted_total, p.denied_state_secret_total, p.denied_law_prohibited_total, p.denied_security_stability_total, p.denied_third_party_total, p.denied_internal_affairs_total, p.denied_process_info_total, p.denied_enforcement_file_total, p.denied_admin_query_total, p.unable_not_held_total, p.unable_needs_creation_total, p.unable_unclear_total, p.rejected_petition_total, p.rejected_repeated_total, p.rejected_publication_total, p.rejected_excessive_total, p.rejected_confirmation_total, p.other_overdue_correction_total, p.other_overdue_fee_total, p.other_other_total, p.total_processed_total, p.carried_forward_total, p.other_total, p.new_received_natural_person, p.new_received_enterprise, p.new_received_research, p.new_received_public_interest, p.new_received_legal_services, p.new_received_other_org
FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN documents d ON d.id = r.document_id
LEFT JOIN (SELECT report_id,
           MAX(CASE WHEN row_key = 'new_received' AND column_key = 'total' THEN value END) AS new_received_total,
           MAX(CASE WHEN row_key = 'carried_over' AND column_key = 'total' THEN value END) AS carried_over_total,
           MAX(CASE WHEN row_key = 'granted' AND column_key = 'total' THEN value END) AS granted_total,
           MAX(CASE WHEN row_key = 'partly_granted' AND column_key = 'total' THEN value END) AS partly_granted_total,
           MAX(CASE WHEN row_key = 'denied_state_secret' AND column_key = 'total' THEN value END) AS denied_state_secret_total,
           MAX(CASE WHEN row_key = 'denied_law_prohibited' AND column_key = 'total' THEN value END) AS denied_law_prohibited_total,
           MAX(CASE WHEN row_key = 'denied_security_stability' AND column_key = 'total' THEN value END) AS denied_security_stability_total,
           MAX(CASE WHEN row_key = 'denied_third_party' AND column_key = 'total' THEN value END) AS denied_third_party_total,
           MAX(CASE WHEN row_key = 'denied_internal_affairs' AND column_key = 'total' THEN value END) AS denied_internal_affairs_total,
           MAX(CASE WHEN row_key = 'denied_process_info' AND column_key = 'total' THEN value END) AS denied_process_info_total,
           MAX(CASE WHEN row_key = 'denied_enforcement_file' AND column_key = 'total' THEN value END) AS denied_enforcement_file_total,
           MAX(CASE WHEN row_key = 'denied_admin_query' AND column_key = 'total' THEN value END) AS denied_admin_query_total,
           MAX(CASE WHEN row_key = 'unable_not_held' AND column_key = 'total' THEN value END) AS unable_not_held_total,
           MAX(CASE WHEN row_key = 'unable_needs_creation' AND column_key = 'total' THEN value END) AS unable_needs_creation_total,
           MAX(CASE WHEN row_key = 'unable_unclear' AND column_key = 'total' THEN value END) AS unable_unclear_total,
           MAX(CASE WHEN row_key = 'rejected_petition' AND column_key = 'total' THEN value END) AS rejected_petition_total,
           MAX(CASE WHEN row_key = 'rejected_repeated' AND column_key = 'total' THEN value END) AS rejected_repeated_total,
           MAX(CASE WHEN row_key = 'rejected_publication' AND column_key = 'total' THEN value END) AS rejected_publication_total,
           MAX(CASE WHEN row_key = 'rejected_excessive' AND column_key = 'total' THEN value END) AS rejected_excessive_total,
           MAX(CASE WHEN row_key = 'rejected_confirmation' AND column_key = 'total' THEN value END) AS rejected_confirmation_total,
           MAX(CASE WHEN row_key = 'other_overdue_correction' AND column_key = 'total' THEN value END) AS other_overdue_correction_total,
           MAX(CASE WHEN row_key = 'other_overdue_fee' AND column_key = 'total' THEN value END) AS other_overdue_fee_total,
           MAX(CASE WHEN row_key = 'other_other' AND column_key = 'total' THEN value END) AS other_other_total,
           MAX(CASE WHEN row_key = 'total_processed' AND column_key = 'total' THEN value END) AS total_processed_total,
           MAX(CASE WHEN row_key = 'carried_forward' AND column_key = 'total' THEN value END) AS carried_forward_total,
           MAX(CASE WHEN row_key = 'other' AND column_key = 'total' THEN value END) AS other_total,
           MAX(CASE WHEN row_key = 'new_received' AND column_key = 'natural_person' THEN value END) AS new_received_natural_person,
           MAX(CASE WHEN row_key = 'new_received' AND column_key = 'enterprise' THEN value END) AS new_received_enterprise,
           MAX(CASE WHEN row_key = 'new_received' AND column_key = 'research' THEN value END) AS new_received_research,
           MAX(CASE WHEN row_key = 'new_received' AND column_key = 'public_interest' THEN value END) AS new_received_public_interest,
           MAX(CASE WHEN row_key = 'new_received' AND column_key = 'legal_services' THEN value END) AS new_received_legal_services,
           MAX(CASE WHEN row_key = 'new_received' AND column_key = 'other_org' THEN value END) AS new_received_other_org
    FROM facts WHERE table_name = 'applications' GROUP BY report_id) p ON p.report_id = r.id
WHERE r.is_current
""",
    "active_by_year": """
SELECT r.id AS report_id, r.agency_id, r.agency_name AS agency, a.name AS agency_canonical,
       a.region_code AS region, a.level, r.year, r.template, r.published, d.source,
       p.regulations_issued, p.regulations_repealed, p.regulations_in_force, p.normative_documents_issued, p.normative_documents_repealed, p.normative_documents_in_force, p.licensing_decisions, p.penalty_decisions, p.coercion_decisions, p.fees_amount_10k_yuan, p.regulations_made, p.regulations_published, p.regulations_total_published, p.normative_documents_made, p.normative_documents_published, p.normative_documents_total_published, p.licensing_items_last_year, p.licensing_items_change, p.other_services_items_last_year, p.other_services_items_change, p.other_services_decisions, p.penalty_items_last_year, p.penalty_items_change, p.coercion_items_last_year, p.coercion_items_change, p.fees_items_last_year, p.fees_items_change, p.procurement_projects, p.procurement_amount_10k_yuan
FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN documents d ON d.id = r.document_id
LEFT JOIN (SELECT report_id,
           MAX(CASE WHEN row_key = 'regulations' AND column_key = 'issued' THEN value END) AS regulations_issued,
           MAX(CASE WHEN row_key = 'regulations' AND column_key = 'repealed' THEN value END) AS regulations_repealed,
           MAX(CASE WHEN row_key = 'regulations' AND column_key = 'in_force' THEN value END) AS regulations_in_force,
           MAX(CASE WHEN row_key = 'normative_documents' AND column_key = 'issued' THEN value END) AS normative_documents_issued,
           MAX(CASE WHEN row_key = 'normative_documents' AND column_key = 'repealed' THEN value END) AS normative_documents_repealed,
           MAX(CASE WHEN row_key = 'normative_documents' AND column_key = 'in_force' THEN value END) AS normative_documents_in_force,
           MAX(CASE WHEN row_key = 'licensing' AND column_key = 'decisions' THEN value END) AS licensing_decisions,
           MAX(CASE WHEN row_key = 'penalty' AND column_key = 'decisions' THEN value END) AS penalty_decisions,
           MAX(CASE WHEN row_key = 'coercion' AND column_key = 'decisions' THEN value END) AS coercion_decisions,
           MAX(CASE WHEN row_key = 'fees' AND column_key = 'amount_10k_yuan' THEN value END) AS fees_amount_10k_yuan,
           MAX(CASE WHEN row_key = 'regulations' AND column_key = 'made' THEN value END) AS regulations_made,
           MAX(CASE WHEN row_key = 'regulations' AND column_key = 'published' THEN value END) AS regulations_published,
           MAX(CASE WHEN row_key = 'regulations' AND column_key = 'total_published' THEN value END) AS regulations_total_published,
           MAX(CASE WHEN row_key = 'normative_documents' AND column_key = 'made' THEN value END) AS normative_documents_made,
           MAX(CASE WHEN row_key = 'normative_documents' AND column_key = 'published' THEN value END) AS normative_documents_published,
           MAX(CASE WHEN row_key = 'normative_documents' AND column_key = 'total_published' THEN value END) AS normative_documents_total_published,
           MAX(CASE WHEN row_key = 'licensing' AND column_key = 'items_last_year' THEN value END) AS licensing_items_last_year,
           MAX(CASE WHEN row_key = 'licensing' AND column_key = 'items_change' THEN value END) AS licensing_items_change,
           MAX(CASE WHEN row_key = 'other_services' AND column_key = 'items_last_year' THEN value END) AS other_services_items_last_year,
           MAX(CASE WHEN row_key = 'other_services' AND column_key = 'items_change' THEN value END) AS other_services_items_change,
           MAX(CASE WHEN row_key = 'other_services' AND column_key = 'decisions' THEN value END) AS other_services_decisions,
           MAX(CASE WHEN row_key = 'penalty' AND column_key = 'items_last_year' THEN value END) AS penalty_items_last_year,
           MAX(CASE WHEN row_key = 'penalty' AND column_key = 'items_change' THEN value END) AS penalty_items_change,
           MAX(CASE WHEN row_key = 'coercion' AND column_key = 'items_last_year' THEN value END) AS coercion_items_last_year,
           MAX(CASE WHEN row_key = 'coercion' AND column_key = 'items_change' THEN value END) AS coercion_items_change,
           MAX(CASE WHEN row_key = 'fees' AND column_key = 'items_last_year' THEN value END) AS fees_items_last_year,
           MAX(CASE WHEN row_key = 'fees' AND column_key = 'items_change' THEN value END) AS fees_items_change,
           MAX(CASE WHEN row_key = 'procurement' AND column_key = 'projects' THEN value END) AS procurement_projects,
           MAX(CASE WHEN row_key = 'procurement' AND column_key = 'amount_10k_yuan' THEN value END) AS procurement_amount_10k_yuan
    FROM facts WHERE table_name = 'active' GROUP BY report_id) p ON p.report_id = r.id
WHERE r.is_current
""",
    "review_litigation_by_year": """
SELECT r.id AS report_id, r.agency_id, r.agency_name AS agency, a.name AS agency_canonical,
       a.region_code AS region, a.level, r.year, r.template, r.published, d.source,
       p.review_upheld, p.review_corrected, p.review_other, p.review_pending, p.review_total, p.litigation_direct_upheld, p.litigation_direct_corrected, p.litigation_direct_other, p.litigation_direct_pending, p.litigation_direct_total, p.litigation_after_review_upheld, p.litigation_after_review_corrected, p.litigation_after_review_other, p.litigation_after_review_pending, p.litigation_after_review_total
FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN documents d ON d.id = r.document_id
LEFT JOIN (SELECT report_id,
           MAX(CASE WHEN row_key = 'review' AND column_key = 'upheld' THEN value END) AS review_upheld,
           MAX(CASE WHEN row_key = 'review' AND column_key = 'corrected' THEN value END) AS review_corrected,
           MAX(CASE WHEN row_key = 'review' AND column_key = 'other' THEN value END) AS review_other,
           MAX(CASE WHEN row_key = 'review' AND column_key = 'pending' THEN value END) AS review_pending,
           MAX(CASE WHEN row_key = 'review' AND column_key = 'total' THEN value END) AS review_total,
           MAX(CASE WHEN row_key = 'litigation_direct' AND column_key = 'upheld' THEN value END) AS litigation_direct_upheld,
           MAX(CASE WHEN row_key = 'litigation_direct' AND column_key = 'corrected' THEN value END) AS litigation_direct_corrected,
           MAX(CASE WHEN row_key = 'litigation_direct' AND column_key = 'other' THEN value END) AS litigation_direct_other,
           MAX(CASE WHEN row_key = 'litigation_direct' AND column_key = 'pending' THEN value END) AS litigation_direct_pending,
           MAX(CASE WHEN row_key = 'litigation_direct' AND column_key = 'total' THEN value END) AS litigation_direct_total,
           MAX(CASE WHEN row_key = 'litigation_after_review' AND column_key = 'upheld' THEN value END) AS litigation_after_review_upheld,
           MAX(CASE WHEN row_key = 'litigation_after_review' AND column_key = 'corrected' THEN value END) AS litigation_after_review_corrected,
           MAX(CASE WHEN row_key = 'litigation_after_review' AND column_key = 'other' THEN value END) AS litigation_after_review_other,
           MAX(CASE WHEN row_key = 'litigation_after_review' AND column_key = 'pending' THEN value END) AS litigation_after_review_pending,
           MAX(CASE WHEN row_key = 'litigation_after_review' AND column_key = 'total' THEN value END) AS litigation_after_review_total
    FROM facts WHERE table_name = 'review_litigation' GROUP BY report_id) p ON p.report_id = r.id
WHERE r.is_current
""",
    "report_rates": """
SELECT p.report_id, p.agency_id, p.agency, p.agency_canonical, p.region, p.level, p.year, p.template,
       p.new_received_total, p.total_processed_total, p.granted_total, p.partly_granted_total,
       v.review_total, v.litigation_direct_total, v.litigation_after_review_total,
       (COALESCE(p.granted_total, 0) + COALESCE(p.partly_granted_total, 0)) * 1.0 / NULLIF(p.total_processed_total, 0) AS disclosure_rate, p.granted_total * 1.0 / NULLIF(p.total_processed_total, 0) AS full_disclosure_rate, p.unable_not_held_total * 1.0 / NULLIF(p.total_processed_total, 0) AS not_held_rate, v.review_corrected * 1.0 / NULLIF(COALESCE(v.review_total, 0) - COALESCE(v.review_pending, 0), 0) AS review_correction_rate, (COALESCE(v.litigation_direct_corrected, 0) + COALESCE(v.litigation_after_review_corrected, 0)) * 1.0 / NULLIF(COALESCE(v.litigation_direct_total, 0) + COALESCE(v.litigation_after_review_total, 0) - COALESCE(v.litigation_direct_pending, 0) - COALESCE(v.litigation_after_review_pending, 0), 0) AS litigation_correction_rate, v.review_total * 100.0 / NULLIF(p.new_received_total, 0) AS reviews_per_100_applications, (COALESCE(v.litigation_direct_total, 0) + COALESCE(v.litigation_after_review_total, 0)) * 100.0 / NULLIF(p.new_received_total, 0) AS litigation_per_100_applications
FROM applications_by_year p
JOIN review_litigation_by_year v ON v.report_id = p.report_id
""",
}


def create_views(execute) -> None:
    """Create the views above; ``execute`` runs one SQL string (``op.execute``)."""
    for name, sql in VIEWS.items():
        execute(f"CREATE VIEW {name} AS {sql}")


def drop_views(execute) -> None:
    for name in reversed(VIEWS):
        execute(f"DROP VIEW IF EXISTS {name}")


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("site_url", sa.Text(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint(
            "level IS NULL OR level IN ('national', 'province', 'prefecture', 'county', 'township')",
            name="ck_agency_level",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["agencies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agencies_region_code"), ["region_code"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("format", sa.String(length=10), nullable=True),
        sa.Column("encoding", sa.String(length=40), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("raw_path", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "loaded_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.CheckConstraint("status IN ('loaded', 'unchanged', 'failed')", name="ck_document_status"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_table(
        "agency_aliases",
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
        ),
        sa.PrimaryKeyConstraint("alias"),
    )
    with op.batch_alter_table("agency_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_aliases_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("template", sa.String(length=10), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("parser_version", sa.String(length=20), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=True),
        sa.Column(
            "loaded_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agencies.id"],
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["reports.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency_id", "year", "version", name="uq_report_version"),
        sa.UniqueConstraint("document_id"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(
            "uq_report_current",
            ["agency_id", "year"],
            unique=True,
            sqlite_where=sa.text("is_current"),
            postgresql_where=sa.text("is_current"),
        )

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
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("cells", sa.Text(), nullable=True),
        sa.Column("expected", sa.Double(), nullable=True),
        sa.Column("actual", sa.Double(), nullable=True),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_report_id"), ["report_id"], unique=False)

    create_views(op.execute)


def downgrade() -> None:
    drop_views(op.execute)
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_report_id"))

    op.drop_table("findings")
    op.drop_table("facts")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_report_current", sqlite_where=sa.text("is_current"), postgresql_where=sa.text("is_current")
        )

    op.drop_table("reports")
    with op.batch_alter_table("agency_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agency_aliases_agency_id"))

    op.drop_table("agency_aliases")
    op.drop_table("documents")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agencies_region_code"))

    op.drop_table("agencies")
