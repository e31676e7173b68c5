"""Who published, who did not, and who was late: the ``coverage`` view.

The deadlines are those of the 2019 regulation (《中华人民共和国政府信息公开条例》, 第四十九条): the
departments of the people's governments at county level and above publish their report for year N
by 31 January of N+1; the governments at county level and above by 31 March of N+1. The regulation
sets no date for township governments and none applied to reports for years before 2019 (the 2019
template), so those rows have no deadline.

Which kind an agency is comes from the registry (``kind = "government" | "department"``) where it
says so, otherwise from its name: a name ending in 人民政府 is a government, level ``township`` is a
township; anything else is a department (``kind_source`` says which).

One row per agency of the ``agencies`` table and year, from the earliest year any report covers to
last year. ``status``:

- ``on_time`` / ``late``: a report was published; ``days_late`` past the deadline.
- ``published``: a report exists but whether it was on time cannot be said (no deadline; or only
  the date the crawl first saw it is known, and that is after the deadline).
- ``missing``: the deadline has passed, the agency's site was crawled successfully after it, and no
  report for the year was found.
- ``unknown``: no report, and the site was blocked (``crawl_blocks``), failed, or was not crawled
  since the deadline (``unknown_reason``): never counted as missing.
- ``not_due``: no report yet, deadline still ahead. ``no_deadline``: no report, and no deadline applies.

``published`` is the first version's date; ``date_source`` says where it came from: ``document``
(the date printed on the page or in the document) or ``first_seen`` (only when the crawl first
fetched it). ``versions`` > 1 means the report was re-published; ``revised`` is the latest
re-publication's date. ``errors`` / ``warnings`` count the findings (rule violations) of the
current version, so one agency's rows are its record over time.
"""

from __future__ import annotations

STATUSES = ("on_time", "late", "published", "missing", "unknown", "not_due", "no_deadline")
FIRST_YEAR_WITH_DEADLINE = 2019  # the 2019 regulation's first reporting year


def _dialect_sql(dialect: str) -> dict[str, str]:
    """The few date expressions SQLite and PostgreSQL spell differently."""
    if dialect == "postgresql":
        return {
            "last_year": "CAST(EXTRACT(YEAR FROM CURRENT_DATE) AS INTEGER) - 1",
            "today": "CURRENT_DATE",
            "deadline": "make_date(y.year + 1, {month}, {day})",
            "as_date": "CAST({x} AS DATE)",
            "days": "({a} - {b})",
        }
    return {
        "last_year": "CAST(strftime('%Y', 'now') AS INTEGER) - 1",
        "today": "date('now')",
        "deadline": "date(printf('%04d-{month:02d}-{day:02d}', y.year + 1))",
        "as_date": "date({x})",
        "days": "CAST(julianday({a}) - julianday({b}) AS INTEGER)",
    }


KIND_SQL = """COALESCE(a.kind, CASE WHEN a.level = 'township' THEN 'township'
                                WHEN a.name LIKE '%人民政府' THEN 'government'
                                ELSE 'department' END)"""


def coverage_sql(dialect: str) -> str:
    """The ``coverage`` view's query for ``dialect`` (``sqlite`` or ``postgresql``)."""
    d = _dialect_sql(dialect)

    def as_date(x: str) -> str:
        return d["as_date"].format(x=x)

    def days(a: str, b: str) -> str:
        return d["days"].format(a=a, b=b)

    gov = d["deadline"].format(month=3, day=31)
    dep = d["deadline"].format(month=1, day=31)
    return f"""
WITH RECURSIVE years(year) AS (
    SELECT CAST(MIN(year) AS INTEGER) FROM reports
    UNION ALL
    SELECT CAST(year + 1 AS INTEGER) FROM years
    WHERE year < (SELECT MAX(m) FROM (SELECT CAST(MAX(year) AS INTEGER) AS m FROM reports UNION ALL SELECT {d["last_year"]}) x)
),
grid AS (
    SELECT a.id AS agency_id, a.name AS agency, a.region_code AS region, a.level, {KIND_SQL} AS kind,
           CASE WHEN a.kind IS NOT NULL THEN 'registry' ELSE 'name' END AS kind_source, y.year,
           CASE WHEN y.year < {FIRST_YEAR_WITH_DEADLINE} THEN NULL
                WHEN {KIND_SQL} = 'government' THEN {gov}
                WHEN {KIND_SQL} = 'department' THEN {dep} END AS deadline
    FROM agencies a CROSS JOIN years y
    WHERE y.year IS NOT NULL
),
versions AS (
    SELECT r.agency_id, r.year, r.version, r.is_current, r.id AS report_id,
           {as_date("r.published")} AS published, {as_date("d.fetched_at")} AS first_seen
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
           MAX(CASE WHEN cf.error IS NULL AND cf.status BETWEEN 200 AND 299 THEN {as_date("cf.fetched_at")} END)
               AS last_crawled,
           MAX(CASE WHEN cf.error IS NOT NULL THEN {as_date("cf.fetched_at")} END) AS last_failed
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
           WHEN deadline >= {d["today"]} THEN 'not_due'
           WHEN crawled_since = 1 THEN 'missing'
           ELSE 'unknown'
       END AS status,
       seen AS published,
       CASE WHEN published_date IS NOT NULL THEN 'document'
            WHEN first_seen IS NOT NULL THEN 'first_seen' END AS date_source,
       CASE WHEN published_date IS NOT NULL AND published_date > deadline THEN {days("published_date", "deadline")} END
           AS days_late,
       COALESCE(versions, 0) AS versions, revised,
       CASE WHEN versions IS NULL AND deadline < {d["today"]} AND crawled_since = 0 THEN
            CASE WHEN blocked_id IS NOT NULL THEN 'blocked'
                 WHEN last_failed > deadline THEN 'crawl failed'
                 ELSE 'not crawled since the deadline' END
       END AS unknown_reason,
       last_crawled, errors, warnings
FROM joined
"""
