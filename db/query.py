"""Reading the views as pandas DataFrames, the same on SQLite and PostgreSQL.

Filters shared by every function: ``agency`` (any name the agency goes by — as printed in a report or
an alias — or, failing an exact match, a fragment of the printed name), ``region`` (a GB/T 2260
code; ``330400`` selects every agency whose region code starts with ``3304``), ``year`` (one or
several) and ``level``. The CLI and the notebooks call these functions; there is no SQL elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, bindparam, text

from .checks import COLUMNS as FINDING_COLUMNS
from .csvsafe import enabled, escape_frame
from .errors import QueryError
from .views import RATES, VIEWS, WIDE_VIEWS

if TYPE_CHECKING:
    import pandas as pd

EXPORT_FORMATS = ("csv", "parquet")
ALL_VIEWS = (*VIEWS, "coverage")  # coverage is made by migration 0008, per dialect (govreports.db.coverage)
DATE_COLUMNS = ("published", "deadline", "revised", "last_crawled")
KEY_COLUMNS = [
    "new_received_total",
    "carried_over_total",
    "granted_total",
    "partly_granted_total",
    "total_processed_total",
    "carried_forward_total",
]


def _where(
    agency: str | None,
    region: str | None,
    year: int | Iterable[int] | None,
    level: str | None,
    extra: dict[str, str | None] | None = None,
) -> tuple[str, dict]:
    clauses: list[str] = []
    params: dict[str, object] = {}
    if agency:
        clauses.append(
            "(agency_id IN (SELECT agency_id FROM agency_aliases WHERE alias = :alias) OR agency LIKE :agency_like)"
        )
        params.update(alias="".join(agency.split()), agency_like=f"%{agency.strip()}%")
    if region:
        code = region.strip()
        while code.endswith("00") and len(code) > 2:
            code = code[:-2]
        clauses.append("region LIKE :region")
        params["region"] = code + "%"
    if year is not None:
        years = [int(year)] if isinstance(year, int | str) else [int(y) for y in year]
        clauses.append("year IN :years")
        params["years"] = years
    if level:
        clauses.append("level = :level")
        params["level"] = level
    for col, value in (extra or {}).items():
        if value is not None:
            clauses.append(f"{col} = :{col}")
            params[col] = value
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def read_view(
    engine: Engine,
    view: str,
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    level: str | None = None,
    order: str = "agency, year",
    extra: dict[str, str | None] | None = None,
) -> pd.DataFrame:
    """Rows of one view (see :data:`govreports.db.views.VIEWS`) with the common filters applied."""
    import pandas as pd

    if view not in ALL_VIEWS:
        raise QueryError(f"no view {view!r}; the views are: {', '.join(ALL_VIEWS)}")
    where, params = _where(agency, region, year, level, extra)
    stmt = text(f"SELECT * FROM {view}{where} ORDER BY {order}")
    if "years" in params:
        stmt = stmt.bindparams(bindparam("years", expanding=True))
    with engine.connect() as conn:
        frame = pd.read_sql(stmt, conn, params=params)
    return _normalise(frame)


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Equal dtypes from either database: SQLite gives 0/1 and ISO strings where PostgreSQL gives bools and dates."""
    import pandas as pd

    if "inferred" in frame:
        frame["inferred"] = frame["inferred"].astype(bool)
    for col in DATE_COLUMNS:
        if col in frame:
            frame[col] = pd.to_datetime(frame[col]).dt.date
    for col in ("year", "report_id", "agency_id"):
        if col in frame:
            frame[col] = frame[col].astype("int64")
    return frame


def facts(
    engine: Engine,
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    level: str | None = None,
    table: str | None = None,
    row: str | None = None,
    column: str | None = None,
) -> pd.DataFrame:
    """One row per fact of the current version of each report (the ``report_facts`` view)."""
    return read_view(
        engine,
        "report_facts",
        agency,
        region,
        year,
        level,
        order="agency, year, table_name, row_key, column_key",
        extra={"table_name": table, "row_key": row, "column_key": column},
    )


def wide(
    engine: Engine,
    table: str = "applications",
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    level: str | None = None,
) -> pd.DataFrame:
    """One row per report, one column per cell (``applications_by_year`` and its siblings)."""
    if table not in WIDE_VIEWS:
        raise QueryError(f"no table {table!r}; the tables are: {', '.join(WIDE_VIEWS)}")
    return read_view(engine, WIDE_VIEWS[table], agency, region, year, level)


def rates(
    engine: Engine,
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    level: str | None = None,
) -> pd.DataFrame:
    """Derived rates per report (``report_rates``); definitions in :func:`rate_definitions`."""
    return read_view(engine, "report_rates", agency, region, year, level)


def rate_definitions() -> dict[str, str]:
    return {r.name: r.definition for r in RATES}


def trend(engine: Engine, agency: str) -> pd.DataFrame:
    """One agency over the years: the applications key numbers and every rate, one row per year."""
    frame = rates(engine, agency=agency)
    if frame.empty:
        raise QueryError(f"no reports of an agency called {agency!r}")
    apps = wide(engine, "applications", agency=agency)[["report_id", "carried_over_total", "carried_forward_total"]]
    frame = frame.merge(apps, on="report_id")
    return frame[
        [
            "agency",
            "year",
            "template",
            *KEY_COLUMNS,
            "review_total",
            "litigation_direct_total",
            "litigation_after_review_total",
            *rate_definitions(),
        ]
    ].sort_values("year", ignore_index=True)


def compare(engine: Engine, year: int, region: str | None = None, level: str | None = None) -> pd.DataFrame:
    """All agencies (of a region, of a level) in one year side by side: key numbers and rates."""
    frame = rates(engine, region=region, year=year, level=level)
    if frame.empty:
        raise QueryError(f"no reports for {year}" + (f" in region {region}" if region else ""))
    apps = wide(engine, "applications", region=region, year=year, level=level)
    frame = frame.merge(apps[["report_id", "carried_over_total", "carried_forward_total"]], on="report_id")
    cols = [
        "agency",
        "region",
        "level",
        "year",
        *KEY_COLUMNS,
        "review_total",
        "litigation_direct_total",
        "litigation_after_review_total",
        *rate_definitions(),
    ]
    return frame[cols].sort_values(["region", "agency"], ignore_index=True, na_position="last")


def coverage(
    engine: Engine,
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    level: str | None = None,
    status: str | None = None,
) -> pd.DataFrame:
    """One row per agency and year: published when, on time or late, missing or unknown (the ``coverage`` view)."""
    frame = read_view(engine, "coverage", agency, region, year, level, extra={"status": status})
    for col in ("days_late", "versions", "errors", "warnings"):
        frame[col] = frame[col].astype("Int64")
    return frame


def findings(
    engine: Engine, agency: str | None = None, year: int | None = None, rule: str | None = None
) -> pd.DataFrame:
    """Stored findings (parser rules and X1/X2) of current reports."""
    import pandas as pd

    where, params = _where(agency, None, year, None, {"rule": rule})
    sql = f"""SELECT * FROM (SELECT x.rule, x.severity, r.agency_name AS agency, r.agency_id, r.year,
              x.report_id, x.cells, x.expected, x.actual, x.message, x.origin
              FROM findings x JOIN reports r ON r.id = x.report_id WHERE r.is_current) q{where}
              ORDER BY agency, year, rule"""
    stmt = text(sql)
    if "years" in params:
        stmt = stmt.bindparams(bindparam("years", expanding=True))
    with engine.connect() as conn:
        return _normalise(pd.read_sql(stmt, conn, params=params))


def export(
    engine: Engine,
    view: str,
    path: str | Path,
    fmt: str = "csv",
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    csv_escape: bool | None = None,
) -> int:
    """Write a view (filtered) to CSV or Parquet; the number of rows written.

    CSV text cells that a spreadsheet would take for a formula are escaped (:mod:`.csvsafe`;
    ``csv_escape``, else the ``CSV_ESCAPE`` setting)."""
    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"unknown format {fmt!r}: use {' or '.join(EXPORT_FORMATS)}")
    frame = read_view(engine, view, agency, region, year)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "csv":
        (escape_frame(frame) if enabled(csv_escape) else frame).to_csv(tmp, index=False)
    else:
        frame.to_parquet(tmp, index=False)
    tmp.replace(path)
    return len(frame)


__all__ = [
    "FINDING_COLUMNS",
    "compare",
    "coverage",
    "export",
    "facts",
    "findings",
    "rate_definitions",
    "rates",
    "read_view",
    "trend",
    "wide",
]
