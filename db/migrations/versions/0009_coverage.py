"""Who published and when: ``agencies.kind`` (government | department, from the registry) and the ``coverage`` view.

The view is frozen here as ``govreports.db.coverage`` generated it when this revision was written
(:data:`COVERAGE`), per dialect: SQLite and PostgreSQL spell its few date expressions differently.
A later change to the view needs a revision that re-creates it.

Revision ID: 0009_coverage
Revises: 0008_content_type_text
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_coverage"
down_revision = "0008_content_type_text"
branch_labels = None
depends_on = None

COVERAGE: dict[str, str] = {
    "sqlite": """
WITH RECURSIVE years(year) AS (
    SELECT CAST(MIN(year) AS INTEGER) FROM reports
    UNION ALL
    SELECT CAST(year + 1 AS INTEGER) FROM years
    WHERE year < (SELECT MAX(m) FROM (SELECT CAST(MAX(year) AS INTEGER) AS m FROM reports UNION ALL SELECT CAST(strftime('%Y', 'now') AS INTEGER) - 1) x)
),
grid AS (
    SELECT a.id AS agency_id, a.name AS agency, a.region_code AS region, a.level, COALESCE(a.kind, CASE WHEN a.level = 'township' THEN 'township'
                                WHEN a.name LIKE '%人民政府' THEN 'government'
                                ELSE 'department' END) AS kind,
           CASE WHEN a.kind IS NOT NULL THEN 'registry' ELSE 'name' END AS kind_source, y.year,
           CASE WHEN y.year < 2019 THEN NULL
                WHEN COALESCE(a.kind, CASE WHEN a.level = 'township' THEN 'township'
                                WHEN a.name LIKE '%人民政府' THEN 'government'
                                ELSE 'department' END) = 'government' THEN date(printf('%04d-03-31', y.year + 1))
                WHEN COALESCE(a.kind, CASE WHEN a.level = 'township' THEN 'township'
                                WHEN a.name LIKE '%人民政府' THEN 'government'
                                ELSE 'department' END) = 'department' THEN date(printf('%04d-01-31', y.year + 1)) END AS deadline
    FROM agencies a CROSS JOIN years y
    WHERE y.year IS NOT NULL
),
versions AS (
    SELECT r.agency_id, r.year, r.version, r.is_current, r.id AS report_id,
           date(r.published) AS published, date(d.fetched_at) AS first_seen
    FROM reports r JOIN documents d ON d.id = r.document_id
),
pub AS (
    SELECT v.agency_id, v.year, COUNT(*) AS versions,
           MIN(v.version) AS first_version, MAX(v.version) AS last_version
    FROM versions v GROUP BY v.agency_id, v.year
),
firsts AS (
    SELECT p.agency_id, p.year, p.versions, f.published, f.first_seen,
           CASE WHEN p.versions > 1 THEN COALESCE(l.published, l.first_seen) END AS revised
    FROM pub p
    JOIN versions f ON f.agency_id = p.agency_id AND f.year = p.year AND f.version = p.first_version
    JOIN versions l ON l.agency_id = p.agency_id AND l.year = p.year AND l.version = p.last_version
),
current_findings AS (
    SELECT r.agency_id, r.year,
           SUM(CASE WHEN x.severity = 'error' THEN 1 ELSE 0 END) AS errors,
           SUM(CASE WHEN x.severity = 'warning' THEN 1 ELSE 0 END) AS warnings
    FROM reports r JOIN findings x ON x.report_id = r.id
    WHERE r.is_current GROUP BY r.agency_id, r.year
),
crawled AS (
    SELECT al.agency_id,
           MAX(CASE WHEN cf.error IS NULL AND cf.status BETWEEN 200 AND 299 THEN date(cf.fetched_at) END)
               AS last_crawled,
           MAX(CASE WHEN cf.error IS NOT NULL THEN date(cf.fetched_at) END) AS last_failed
    FROM crawl_fetches cf JOIN agency_aliases al ON al.alias = cf.agency
    WHERE cf.kind IN ('column', 'list')
    GROUP BY al.agency_id
),
blocked AS (
    SELECT DISTINCT al.agency_id FROM crawl_blocks b JOIN agency_aliases al ON al.alias = b.agency
),
joined AS (
    SELECT g.*, f.versions, f.published AS published_date, f.first_seen, f.revised,
           COALESCE(f.published, f.first_seen) AS seen,
           c.last_crawled, c.last_failed, b.agency_id AS blocked_id,
           CASE WHEN b.agency_id IS NULL AND c.last_crawled > g.deadline THEN 1 ELSE 0 END AS crawled_since,
           COALESCE(x.errors, 0) AS errors, COALESCE(x.warnings, 0) AS warnings
    FROM grid g
    LEFT JOIN firsts f ON f.agency_id = g.agency_id AND f.year = g.year
    LEFT JOIN current_findings x ON x.agency_id = g.agency_id AND x.year = g.year
    LEFT JOIN crawled c ON c.agency_id = g.agency_id
    LEFT JOIN blocked b ON b.agency_id = g.agency_id
)
SELECT agency_id, agency, region, level, kind, kind_source, year, deadline,
       CASE
           WHEN versions IS NOT NULL AND deadline IS NULL THEN 'published'
           WHEN published_date IS NOT NULL AND published_date <= deadline THEN 'on_time'
           WHEN published_date IS NOT NULL THEN 'late'
           WHEN first_seen IS NOT NULL AND first_seen <= deadline THEN 'on_time'
           WHEN versions IS NOT NULL THEN 'published'
           WHEN deadline IS NULL THEN 'no_deadline'
           WHEN deadline >= date('now') THEN 'not_due'
           WHEN crawled_since = 1 THEN 'missing'
           ELSE 'unknown'
       END AS status,
       seen AS published,
       CASE WHEN published_date IS NOT NULL THEN 'document'
            WHEN first_seen IS NOT NULL THEN 'first_seen' END AS date_source,
       CASE WHEN published_date IS NOT NULL AND published_date > deadline THEN CAST(julianday(published_date) - julianday(deadline) AS INTEGER) END
           AS days_late,
       COALESCE(versions, 0) AS versions, revised,
       CASE WHEN versions IS NULL AND deadline < date('now') AND crawled_since = 0 THEN
            CASE WHEN blocked_id IS NOT NULL THEN 'blocked'
                 WHEN last_failed > deadline THEN 'crawl failed'
                 ELSE 'not crawled since the deadline' END
       END AS unknown_reason,
       last_crawled, errors, warnings
FROM joined
""",
    "postgresql": """
WITH RECURSIVE years(year) AS (
    SELECT CAST(MIN(year) AS INTEGER) FROM reports
    UNION ALL
    SELECT CAST(year + 1 AS INTEGER) FROM years
    WHERE year < (SELECT MAX(m) FROM (SELECT CAST(MAX(year) AS INTEGER) AS m FROM reports UNION ALL SELECT CAST(EXTRACT(YEAR FROM CURRENT_DATE) AS INTEGER) - 1) x)
),
grid AS (
    SELECT a.id AS agency_id, a.name AS agency, a.region_code AS region, a.level, COALESCE(a.kind, CASE WHEN a.level = 'township' THEN 'township'
                                WHEN a.name LIKE '%人民政府' THEN 'government'
                                ELSE 'department' END) AS kind,
           CASE WHEN a.kind IS NOT NULL THEN 'registry' ELSE 'name' END AS kind_source, y.year,
           CASE WHEN y.year < 2019 THEN NULL
                WHEN COALESCE(a.kind, CASE WHEN a.level = 'township' THEN 'township'
                                WHEN a.name LIKE '%人民政府' THEN 'government'
                                ELSE 'department' END) = 'government' THEN make_date(y.year + 1, 3, 31)
                WHEN COALESCE(a.kind, CASE WHEN a.level = 'township' THEN 'township'
                                WHEN a.name LIKE '%人民政府' THEN 'government'
                                ELSE 'department' END) = 'department' THEN make_date(y.year + 1, 1, 31) END AS deadline
    FROM agencies a CROSS JOIN years y
    WHERE y.year IS NOT NULL
),
versions AS (
    SELECT r.agency_id, r.year, r.version, r.is_current, r.id AS report_id,
           CAST(r.published AS DATE) AS published, CAST(d.fetched_at AS DATE) AS first_seen
    FROM reports r JOIN documents d ON d.id = r.document_id
),
pub AS (
    SELECT v.agency_id, v.year, COUNT(*) AS versions,
           MIN(v.version) AS first_version, MAX(v.version) AS last_version
    FROM versions v GROUP BY v.agency_id, v.year
),
firsts AS (
    SELECT p.agency_id, p.year, p.versions, f.published, f.first_seen,
           CASE WHEN p.versions > 1 THEN COALESCE(l.published, l.first_seen) END AS revised
    FROM pub p
    JOIN versions f ON f.agency_id = p.agency_id AND f.year = p.year AND f.version = p.first_version
    JOIN versions l ON l.agency_id = p.agency_id AND l.year = p.year AND l.version = p.last_version
),
current_findings AS (
    SELECT r.agency_id, r.year,
           SUM(CASE WHEN x.severity = 'error' THEN 1 ELSE 0 END) AS errors,
           SUM(CASE WHEN x.severity = 'warning' THEN 1 ELSE 0 END) AS warnings
    FROM reports r JOIN findings x ON x.report_id = r.id
    WHERE r.is_current GROUP BY r.agency_id, r.year
),
crawled AS (
    SELECT al.agency_id,
           MAX(CASE WHEN cf.error IS NULL AND cf.status BETWEEN 200 AND 299 THEN CAST(cf.fetched_at AS DATE) END)
               AS last_crawled,
           MAX(CASE WHEN cf.error IS NOT NULL THEN CAST(cf.fetched_at AS DATE) END) AS last_failed
    FROM crawl_fetches cf JOIN agency_aliases al ON al.alias = cf.agency
    WHERE cf.kind IN ('column', 'list')
    GROUP BY al.agency_id
),
blocked AS (
    SELECT DISTINCT al.agency_id FROM crawl_blocks b JOIN agency_aliases al ON al.alias = b.agency
),
joined AS (
    SELECT g.*, f.versions, f.published AS published_date, f.first_seen, f.revised,
           COALESCE(f.published, f.first_seen) AS seen,
           c.last_crawled, c.last_failed, b.agency_id AS blocked_id,
           CASE WHEN b.agency_id IS NULL AND c.last_crawled > g.deadline THEN 1 ELSE 0 END AS crawled_since,
           COALESCE(x.errors, 0) AS errors, COALESCE(x.warnings, 0) AS warnings
    FROM grid g
    LEFT JOIN firsts f ON f.agency_id = g.agency_id AND f.year = g.year
    LEFT JOIN current_findings x ON x.agency_id = g.agency_id AND x.year = g.year
    LEFT JOIN crawled c ON c.agency_id = g.agency_id
    LEFT JOIN blocked b ON b.agency_id = g.agency_id
)
SELECT agency_id, agency, region, level, kind, kind_source, year, deadline,
       CASE
           WHEN versions IS NOT NULL AND deadline IS NULL THEN 'published'
           WHEN published_date IS NOT NULL AND published_date <= deadline THEN 'on_time'
           WHEN published_date IS NOT NULL THEN 'late'
           WHEN first_seen IS NOT NULL AND first_seen <= deadline THEN 'on_time'
           WHEN versions IS NOT NULL THEN 'published'
           WHEN deadline IS NULL THEN 'no_deadline'
           WHEN deadline >= CURRENT_DATE THEN 'not_due'
           WHEN crawled_since = 1 THEN 'missing'
           ELSE 'unknown'
       END AS status,
       seen AS published,
       CASE WHEN published_date IS NOT NULL THEN 'document'
            WHEN first_seen IS NOT NULL THEN 'first_seen' END AS date_source,
       CASE WHEN published_date IS NOT NULL AND published_date > deadline THEN (published_date - deadline) END
           AS days_late,
       COALESCE(versions, 0) AS versions, revised,
       CASE WHEN versions IS NULL AND deadline < CURRENT_DATE AND crawled_since = 0 THEN
            CASE WHEN blocked_id IS NOT NULL THEN 'blocked'
                 WHEN last_failed > deadline THEN 'crawl failed'
                 ELSE 'not crawled since the deadline' END
       END AS unknown_reason,
       last_crawled, errors, warnings
FROM joined
""",
}


def upgrade() -> None:
    op.add_column("agencies", sa.Column("kind", sa.String(12), nullable=True))
    op.execute(f"CREATE VIEW coverage AS {COVERAGE[op.get_bind().dialect.name]}")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS coverage")
    # a plain DROP COLUMN (SQLite ≥ 3.35): batch mode would copy the table, which other tables reference
    op.execute("ALTER TABLE agencies DROP COLUMN kind")
