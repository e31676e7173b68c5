"""What the crawl knew besides a document's bytes, kept so that re-parsing gives the same answer.

``documents.hints``: the context a document was parsed with (the list item's text and date, the
attachment's name, the page's title, the registry's agency — ``govreports.parsers.Context``'s fields
that were set). A PDF behind a download servlet that prints no year is a report only through them;
``govreports reparse`` read it without them and lost it.

``crawl_fetches.filename``: the server's name for an attachment (``Content-Disposition``). A 304
does not send it again, so the next night's parse of the same bytes needs it from here.

Revision ID: 0010_hints
Revises: 0009_coverage
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_hints"
down_revision = "0009_coverage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("hints", sa.JSON(), nullable=True))
    op.add_column("crawl_fetches", sa.Column("filename", sa.Text(), nullable=True))


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite ≥ 3.35): a batch copy of the table would break the views that read it
    op.drop_column("crawl_fetches", "filename")
    op.drop_column("documents", "hints")
