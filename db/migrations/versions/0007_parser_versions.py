"""Documents remember the parser version that read them, so stored documents can be parsed again.

* ``documents.parser_version``: the version of the parser whose result for these bytes the database
  holds (a report, or the reason it failed). Filled from each document's reports; a document
  without a report (failed, or never read) gets NULL: read by a parser older than any.
* ``reports.document_id`` is no longer unique: a document read again by a newer parser that reads it
  differently gives a new version of its report. One report per document and parser version
  (``uq_report_document_parser``).
* ``crawl_fetches.rejected_by``: the parser version that found a fetched report unreadable for good
  (unsupported format, no text, too large…); the nightly crawl does not fetch it again until the
  parser is newer or the server says it changed.

Revision ID: 0007_parser_versions
Revises: 0006_distributed
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0007_parser_versions"
down_revision = "0006_distributed"
branch_labels = None
depends_on = None


def _views():
    """``0001_initial``'s frozen views (create_views / drop_views), loaded by alembic from that revision."""
    return context.script.get_revision("0001_initial").module


# the unnamed UNIQUE(document_id) of 0001 gets this name when SQLite's table is rebuilt
_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("parser_version", sa.String(length=20), nullable=True))
    with op.batch_alter_table("crawl_fetches") as batch:
        batch.add_column(sa.Column("rejected_by", sa.String(length=20), nullable=True))
    op.execute(
        "UPDATE documents SET parser_version = "
        "(SELECT max(r.parser_version) FROM reports r WHERE r.document_id = documents.id)"
    )
    _views().drop_views(op.execute)  # SQLite rebuilds tables the views read: they go first, come back after
    _swap_document_unique(unique_document=False)
    _views().create_views(op.execute)


def downgrade() -> None:
    conn = op.get_bind()
    twice = conn.execute(sa.text("SELECT count(*) FROM reports GROUP BY document_id HAVING count(*) > 1")).first()
    if twice is not None:
        raise RuntimeError("cannot downgrade: some documents have reports by two parser versions (reparse)")
    _views().drop_views(op.execute)
    _swap_document_unique(unique_document=True)
    with op.batch_alter_table("crawl_fetches") as batch:
        batch.drop_column("rejected_by")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("parser_version")
    _views().create_views(op.execute)


def _swap_document_unique(unique_document: bool) -> None:
    """UNIQUE(document_id) off (upgrade) or back on (downgrade), with the index that replaces it."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    # SQLite rebuilds the table: its partial index goes first and is made again after
    op.drop_index("uq_report_current", table_name="reports")
    if not unique_document:
        if sqlite:
            with op.batch_alter_table("reports", recreate="always", naming_convention=_NAMES) as batch:
                batch.drop_constraint("uq_reports_document_id", type_="unique")
        else:
            op.drop_constraint("reports_document_id_key", "reports", type_="unique")
        op.create_index("uq_report_document_parser", "reports", ["document_id", "parser_version"], unique=True)
    else:
        op.drop_index("uq_report_document_parser", table_name="reports")
        if sqlite:
            with op.batch_alter_table("reports", recreate="always") as batch:
                batch.create_unique_constraint("reports_document_id_key", ["document_id"])
        else:
            op.create_unique_constraint("reports_document_id_key", "reports", ["document_id"])
    op.create_index(
        "uq_report_current",
        "reports",
        ["agency_id", "year"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )
