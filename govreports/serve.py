"""``govreports serve``: the database in Datasette, described, with canned queries, facets and agency pages.

Datasette reads SQLite. A SQLite database is served as it is; a PostgreSQL database is served
through a SQLite copy made as ``govreports export --sqlite`` makes it (:func:`govreports.api.export_sqlite`).
Titles and descriptions of every table, view and column come from :mod:`govreports.dictionary`;
the agency page (``/-/agency/<id>``) is :mod:`govreports.datasette_plugin`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text

from govreports.db.engine import resolve_url, sqlite_path

from . import dictionary

FACETS = {
    "agencies": ["level", "kind", "region_code"],
    "reports": ["year", "template", "is_current"],
    "findings": ["rule", "severity", "origin"],
    "coverage": ["status", "year", "kind", "region", "level"],
    "report_facts": ["table_name", "year", "template", "region", "level"],
    "applications_by_year": ["region", "level", "year", "template"],
    "active_by_year": ["region", "level", "year", "template"],
    "review_litigation_by_year": ["region", "level", "year", "template"],
    "report_rates": ["region", "level", "year", "template"],
    "load_failures": ["stage"],
}
HIDDEN = ("fact_values", "alembic_version")  # storage details; `facts` and the views show the same
CHANGE_COLUMNS = ("new_received_total", "total_processed_total", "granted_total", "carried_forward_total")


def canned_queries(years: list[int]) -> dict[str, dict[str, str]]:
    """The common questions as named, parameterised queries (SQLite SQL: the served file is SQLite)."""
    matrix = ",\n       ".join(f'MAX(CASE WHEN year = {y} THEN status END) AS "{y}"' for y in years) or "NULL AS none"
    change_sql = "\nUNION ALL\n".join(
        f"""SELECT cur.agency, cur.region, cur.year, '{col}' AS figure, prev.{col} AS previous, cur.{col} AS current,
       cur.{col} - prev.{col} AS change
FROM applications_by_year cur JOIN applications_by_year prev
  ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1
WHERE cur.{col} IS NOT NULL AND prev.{col} IS NOT NULL"""
        for col in CHANGE_COLUMNS
    )
    return {
        "agency_over_years": {
            "title": "One agency over the years",
            "description": "Key figures and rates of one agency, one row per year (name as printed or registered)."
            " The chart is on the agency page: /-/agency/<agency_id>.",
            "sql": "SELECT r.agency_id, r.year, r.template, r.new_received_total, r.total_processed_total,"
            " r.granted_total, r.partly_granted_total, r.review_total, r.disclosure_rate,"
            " r.review_correction_rate, r.litigation_per_100_applications\n"
            "FROM report_rates r WHERE r.agency = :agency OR r.agency_canonical = :agency ORDER BY r.year",
        },
        "region_in_year": {
            "title": "A region in one year",
            "description": "Every agency of a region (GB/T 2260 code prefix, e.g. 3304 for 嘉兴市) in one year, side by side.",
            "sql": "SELECT agency, region, level, template, new_received_total, total_processed_total, granted_total,"
            " disclosure_rate, review_total, review_correction_rate\n"
            "FROM report_rates WHERE region LIKE :region || '%' AND year = CAST(:year AS INTEGER)"
            " ORDER BY region, agency",
        },
        "coverage_matrix": {
            "title": "Who published, year by year",
            "description": "One row per agency, one column per year: on_time, late, published (timeliness unknown),"
            " missing (crawled after the deadline, nothing found), unknown (blocked or not crawled), not_due.",
            "sql": f"SELECT agency, region, kind,\n       {matrix}\nFROM coverage GROUP BY agency_id, agency, region, kind"
            " ORDER BY region, agency",
        },
        "rule_findings": {
            "title": "Rule findings",
            "description": "Rule violations of the current reports; leave rule empty for all. Rules: "
            + "; ".join(f"{r.id}: {r.description}" for r in dictionary.RULES.values()),
            "sql": "SELECT x.rule, x.severity, r.agency_name AS agency, r.year, x.cells, x.expected, x.actual, x.message\n"
            "FROM findings x JOIN reports r ON r.id = x.report_id\n"
            "WHERE r.is_current AND (:rule = '' OR x.rule = :rule) ORDER BY r.agency_name, r.year, x.rule",
        },
        "largest_changes": {
            "title": "Largest changes from one year to the next",
            "description": "Applications figures that changed most between consecutive years of one agency.",
            "sql": f"SELECT * FROM (\n{change_sql}\n) ORDER BY abs(change) DESC LIMIT 100",
        },
    }


def metadata(path: str | Path, source: str | None = None) -> dict[str, Any]:
    """Datasette metadata for the SQLite file at ``path``: every table, view and column described."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        insp = inspect(engine)
        names = insp.get_table_names() + insp.get_view_names()
        tables: dict[str, Any] = {}
        for name in names:
            known = dictionary.columns(name)
            cols = [c["name"] for c in insp.get_columns(name)]
            title, description = dictionary.TABLES.get(name, (name, ""))
            entry: dict[str, Any] = {
                "title": title,
                "description": description,
                "columns": {c: known.get(c, c.replace("_", " ")) for c in cols},
            }
            if name in FACETS:
                entry["facets"] = [f for f in FACETS[name] if f in cols]
            if name in HIDDEN:
                entry["hidden"] = True
            if name == "agencies":
                entry["label_column"] = "name"
            tables[name] = entry
        with engine.connect() as conn:
            years = [y for (y,) in conn.execute(text("SELECT DISTINCT year FROM coverage ORDER BY year"))]
    finally:
        engine.dispose()
    return {
        "title": "govreports: 政府信息公开工作年度报告",
        "description": "Annual reports on government information disclosure as checked data. "
        + dictionary.NULL_MEANS
        + ". Agency pages with a chart: /-/agency/<agency_id>."
        + (f" Served from a SQLite copy of {source} (govreports export --sqlite)." if source else ""),
        "license": "Data: as published by the agencies; govreports: MIT",
        "databases": {Path(path).stem: {"tables": tables, "queries": canned_queries(years)}},
    }


def make_datasette(path: str | Path, source: str | None = None, immutable: bool = False):
    """A Datasette instance serving the SQLite file at ``path``, with our metadata and agency pages."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from . import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="govreports")
    files = {"immutables": [str(path)]} if immutable else {"files": [str(path)]}
    return Datasette(
        **files,
        metadata=metadata(path, source),
        template_dir=str(Path(__file__).parent / "templates"),
        settings={"sql_time_limit_ms": 5000, "facet_time_limit_ms": 1000},
    )


def prepare(db: str | None, copy_to: Path) -> tuple[Path, str | None]:
    """The SQLite file to serve for ``db`` and what it copies: a SQLite database itself; any other a copy."""
    from . import api

    path = sqlite_path(db)
    if path is not None:
        api.connect(db)  # brought to the latest schema: the views and coverage exist
        return path, None
    from sqlalchemy.engine import make_url

    api.export_sqlite(copy_to, db=db)
    return copy_to, make_url(resolve_url(db)).render_as_string(hide_password=True)
