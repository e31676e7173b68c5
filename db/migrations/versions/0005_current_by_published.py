"""Existing versions follow the rule of publication: the current version is the one published last.

Before this revision the last version *loaded* was current, so a database could hold an old copy,
loaded after its revision, as the current version. This recomputes, for every (agency, year) with
more than one version, which is current and what each version's ``superseded_by`` is, by the rule
of ``govreports.db.versioning.publication_order`` (frozen here as it was written): by published date, ties and
unknown dates to the later load (``version``), a version without a date counting as published on
the latest date of the versions loaded before it; each version points at its successor in that
order. The downgrade restores the old rule: the highest version current, each pointing at the next.

Revision ID: 0005_current_by_published
Revises: 0004_fact_keys
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0005_current_by_published"
down_revision = "0004_fact_keys"
branch_labels = None
depends_on = None

SQL = """SELECT id, agency_id, year, version, published, is_current, superseded_by FROM reports
WHERE (agency_id, year) IN (SELECT agency_id, year FROM reports GROUP BY agency_id, year HAVING count(*) > 1)"""


def _date(value) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value is not None else None


def _by_publication(versions: list) -> list:
    latest, keyed = None, []
    for v in sorted(versions, key=lambda v: v.version):
        published = _date(v.published)
        effective = published if published is not None else latest
        if published is not None and (latest is None or published > latest):
            latest = published
        keyed.append((effective is not None, effective or date.min, v.version, v))
    return [k[-1] for k in sorted(keyed, key=lambda k: k[:3])]


def _relink(order_of) -> None:
    conn = op.get_bind()
    pairs: dict[tuple[int, int], list] = {}
    for row in conn.execute(sa.text(SQL)):
        pairs.setdefault((row.agency_id, row.year), []).append(row)
    retire, promote, links = [], [], []
    for versions in pairs.values():
        order = order_of(versions)
        for v, successor in zip(order, [*order[1:], None], strict=True):
            current = successor is None
            if bool(v.is_current) and not current:
                retire.append(v.id)
            elif current and not v.is_current:
                promote.append(v.id)
            target = None if successor is None else successor.id
            if v.superseded_by != target:
                links.append({"old": v.id, "new": target})
    # retire first: at no moment two current versions of one (agency, year) (uq_report_current)
    for ids, value in ((retire, False), (promote, True)):
        if ids:
            conn.execute(
                sa.text("UPDATE reports SET is_current = :v WHERE id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"v": value, "ids": ids},
            )
    if links:
        conn.execute(sa.text("UPDATE reports SET superseded_by = :new WHERE id = :old"), links)


def upgrade() -> None:
    _relink(_by_publication)


def downgrade() -> None:
    _relink(lambda versions: sorted(versions, key=lambda v: v.version))
