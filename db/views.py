"""The views analysts query without joins, generated from ``govreports.parsers.template`` (the one list of keys).

``report_facts`` has one row per fact of the current version of every report; ``*_by_year`` views
have one row per report and one column per cell (``<row>_<column>``); ``report_rates`` holds the
derived rates defined in :data:`RATES`. Every division is guarded by ``NULLIF(…, 0)``: a rate whose
denominator is zero or empty is NULL, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from govreports.parsers import APPLICANT_KEYS, TEMPLATE_DEFS

# the identity columns every view starts with
_HEAD = """r.id AS report_id, r.agency_id, r.agency_name AS agency, a.name AS agency_canonical,
       a.region_code AS region, a.level, r.year, r.template, r.published, d.source"""
_FROM = """FROM reports r
JOIN agencies a ON a.id = r.agency_id
JOIN documents d ON d.id = r.document_id"""

REPORT_FACTS = f"""
SELECT {_HEAD}, d.content_hash, f.table_name, f.row_key, f.column_key, f.value, f.raw, f.inferred, f.page
{_FROM}
JOIN facts f ON f.report_id = r.id
WHERE r.is_current
"""


def _cells(table: str) -> list[tuple[str, str]]:
    """(row, column) pairs of a table across both templates, in template order, without repeats."""
    seen: list[tuple[str, str]] = []
    for tpl in TEMPLATE_DEFS.values():
        for cell in tpl.tables[table].cells:
            if cell not in seen:
                seen.append(cell)
    return seen


def wide_columns(table: str) -> list[tuple[str, str, str]]:
    """(view column, row, column) of a wide view. ``applications`` keeps the analysts' columns:
    every row's total and each applicant column of new applications; the others keep every cell."""
    if table == "applications":
        rows = [r for r, _ in _cells(table)]
        rows = list(dict.fromkeys(rows))
        cols = [(f"{r}_total", r, "total") for r in rows]
        cols += [(f"new_received_{c}", "new_received", c) for c in APPLICANT_KEYS if c != "total"]
        return cols
    return [(f"{r}_{c}", r, c) for r, c in _cells(table)]


WIDE_VIEWS = {
    "applications": "applications_by_year",
    "active": "active_by_year",
    "review_litigation": "review_litigation_by_year",
}


def wide_view_sql(table: str) -> str:
    """One row per current report: the table's facts pivoted per report first, then joined to it
    (not joined fact by fact and grouped: SQLite does not flatten ``facts``, itself a join, on the
    right of a LEFT JOIN, and took twice as long that way)."""
    pivots = ",\n           ".join(
        f"MAX(CASE WHEN row_key = '{row}' AND column_key = '{col}' THEN value END) AS {name}"
        for name, row, col in wide_columns(table)
    )
    return f"""
SELECT {_HEAD},
       {", ".join(f"p.{name}" for name, _, _ in wide_columns(table))}
{_FROM}
LEFT JOIN (SELECT report_id,
           {pivots}
    FROM facts WHERE table_name = '{table}' GROUP BY report_id) p ON p.report_id = r.id
WHERE r.is_current
"""


@dataclass(frozen=True)
class Rate:
    name: str
    definition: str  # for people: README and `govreports query --rates-help`
    sql: str  # over applications_by_year (p) and review_litigation_by_year (v)


RATES: tuple[Rate, ...] = (
    Rate(
        "disclosure_rate",
        "(granted + partly_granted) / total_processed, all applicants",
        "(COALESCE(p.granted_total, 0) + COALESCE(p.partly_granted_total, 0)) * 1.0 / NULLIF(p.total_processed_total, 0)",
    ),
    Rate(
        "full_disclosure_rate",
        "granted / total_processed",
        "p.granted_total * 1.0 / NULLIF(p.total_processed_total, 0)",
    ),
    Rate(
        "not_held_rate",
        "unable_not_held / total_processed (本机关不掌握)",
        "p.unable_not_held_total * 1.0 / NULLIF(p.total_processed_total, 0)",
    ),
    Rate(
        "review_correction_rate",
        "review corrected / (review total − review pending): share of decided reviews that corrected the agency",
        "v.review_corrected * 1.0 / NULLIF(COALESCE(v.review_total, 0) - COALESCE(v.review_pending, 0), 0)",
    ),
    Rate(
        "litigation_correction_rate",
        "lawsuits corrected / (lawsuits total − pending), both kinds of suit",
        "(COALESCE(v.litigation_direct_corrected, 0) + COALESCE(v.litigation_after_review_corrected, 0)) * 1.0"
        " / NULLIF(COALESCE(v.litigation_direct_total, 0) + COALESCE(v.litigation_after_review_total, 0)"
        " - COALESCE(v.litigation_direct_pending, 0) - COALESCE(v.litigation_after_review_pending, 0), 0)",
    ),
    Rate(
        "reviews_per_100_applications",
        "review total × 100 / new_received total",
        "v.review_total * 100.0 / NULLIF(p.new_received_total, 0)",
    ),
    Rate(
        "litigation_per_100_applications",
        "(direct + after-review lawsuits) × 100 / new_received total",
        "(COALESCE(v.litigation_direct_total, 0) + COALESCE(v.litigation_after_review_total, 0)) * 100.0"
        " / NULLIF(p.new_received_total, 0)",
    ),
)

REPORT_RATES = f"""
SELECT p.report_id, p.agency_id, p.agency, p.agency_canonical, p.region, p.level, p.year, p.template,
       p.new_received_total, p.total_processed_total, p.granted_total, p.partly_granted_total,
       v.review_total, v.litigation_direct_total, v.litigation_after_review_total,
       {", ".join(f"{r.sql} AS {r.name}" for r in RATES)}
FROM applications_by_year p
JOIN review_litigation_by_year v ON v.report_id = p.report_id
"""

# name → SQL, in creation order (report_rates reads two wide views)
VIEWS: dict[str, str] = {
    "report_facts": REPORT_FACTS,
    **{name: wide_view_sql(table) for table, name in WIDE_VIEWS.items()},
    "report_rates": REPORT_RATES,
}


def create_views(execute) -> None:
    """Create every view; ``execute`` runs one SQL string (``op.execute`` or a connection's)."""
    for name, sql in VIEWS.items():
        execute(f"CREATE VIEW {name} AS {sql}")


def drop_views(execute) -> None:
    for name in reversed(VIEWS):
        execute(f"DROP VIEW IF EXISTS {name}")
