"""The cross-year rules X1 and X2, computed in the database over the current version of each report.

``X1``: ``carried_over`` of year N equals ``carried_forward`` of year N−1, per applicant column.
``X2`` (table 二 in the ``2021`` layout both years, whether the report is ``2021`` or ``mixed``):
``in_force`` (N) = ``in_force`` (N−1) + ``issued`` (N) − ``repealed`` (N), per row of ``active`` that
has those columns (only the 2021 layout of 二 has them); a warning, since revisions of
documents make it approximate. As in the parser's rules, an empty cell counts as 0 and a comparison
whose cells are all empty is not judged. :func:`run_cross_year` replaces the stored X1/X2 findings
with a fresh computation and returns them; it is what ``govreports check`` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, delete, insert, text

from govreports.parsers import RULES

from .models import Finding

if TYPE_CHECKING:
    import pandas as pd

_CURRENT = """(SELECT f.report_id, r.agency_id, r.year, r.template, r.agency_name, f.row_key, f.column_key, f.value
   FROM facts f JOIN reports r ON r.id = f.report_id
   WHERE r.is_current AND f.table_name = '{table}' AND f.row_key IN ({rows}))"""

X1_SQL = f"""
SELECT cur.report_id, cur.agency_name AS agency, cur.year, cur.column_key AS cell_column,
       cur.value AS actual, prev.value AS expected, prev.report_id AS other_report_id
FROM {_CURRENT.format(table="applications", rows="'carried_over'")} cur
JOIN {_CURRENT.format(table="applications", rows="'carried_forward'")} prev
  ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1 AND prev.column_key = cur.column_key
WHERE (cur.value IS NOT NULL OR prev.value IS NOT NULL)
  AND COALESCE(cur.value, 0) <> COALESCE(prev.value, 0)
ORDER BY cur.agency_name, cur.year, cur.column_key
"""

X2_SQL = f"""
SELECT cur.report_id, cur.agency_name AS agency, cur.year, cur.row_key AS cell_row,
       cur.value AS actual,
       COALESCE(prev.value, 0) + COALESCE(iss.value, 0) - COALESCE(rep.value, 0) AS expected,
       prev.value AS previous_in_force, iss.value AS issued, rep.value AS repealed,
       prev.report_id AS other_report_id
FROM {_CURRENT.format(table="active", rows="'regulations', 'normative_documents'")} cur
JOIN {_CURRENT.format(table="active", rows="'regulations', 'normative_documents'")} prev
  ON prev.agency_id = cur.agency_id AND prev.year = cur.year - 1 AND prev.row_key = cur.row_key
 AND prev.column_key = 'in_force'
LEFT JOIN facts iss ON iss.report_id = cur.report_id AND iss.table_name = 'active'
 AND iss.row_key = cur.row_key AND iss.column_key = 'issued'
LEFT JOIN facts rep ON rep.report_id = cur.report_id AND rep.table_name = 'active'
 AND rep.row_key = cur.row_key AND rep.column_key = 'repealed'
WHERE cur.column_key = 'in_force'
  AND (cur.value IS NOT NULL OR prev.value IS NOT NULL OR iss.value IS NOT NULL OR rep.value IS NOT NULL)
  AND COALESCE(cur.value, 0) <> COALESCE(prev.value, 0) + COALESCE(iss.value, 0) - COALESCE(rep.value, 0)
ORDER BY cur.agency_name, cur.year, cur.row_key
"""

_CHECK_LOCK = 7_411_923_002  # pg_advisory_xact_lock key: "govreports cross-year check"
COLUMNS = [
    "rule",
    "severity",
    "agency",
    "year",
    "report_id",
    "other_report_id",
    "cells",
    "expected",
    "actual",
    "message",
]


def cross_year_findings(conn: Connection) -> list[dict]:
    """X1 and X2 violations among the current reports, computed now (nothing is stored)."""
    out: list[dict] = []
    for row in conn.execute(text(X1_SQL)).mappings():
        col = row["cell_column"]
        out.append(
            {
                "rule": "X1",
                "severity": RULES["X1"].severity,
                "agency": row["agency"],
                "year": row["year"],
                "report_id": row["report_id"],
                "other_report_id": row["other_report_id"],
                "cells": f"applications/carried_over/{col} ({row['year']}), "
                f"applications/carried_forward/{col} ({row['year'] - 1})",
                "expected": row["expected"],
                "actual": row["actual"],
                "message": f"{col}: carried_over {_n(row['actual'])} ≠ carried_forward {_n(row['expected'])} "
                f"of {row['year'] - 1}",
            }
        )
    for row in conn.execute(text(X2_SQL)).mappings():
        r = row["cell_row"]
        out.append(
            {
                "rule": "X2",
                "severity": RULES["X2"].severity,
                "agency": row["agency"],
                "year": row["year"],
                "report_id": row["report_id"],
                "other_report_id": row["other_report_id"],
                "cells": f"active/{r}/in_force ({row['year']}), active/{r}/in_force ({row['year'] - 1}), "
                f"active/{r}/issued, active/{r}/repealed",
                "expected": row["expected"],
                "actual": row["actual"],
                "message": f"{r}: in_force {_n(row['actual'])} ≠ {_n(row['previous_in_force'])} (in force "
                f"{row['year'] - 1}) + {_n(row['issued'])} issued − {_n(row['repealed'])} repealed "
                f"= {_n(row['expected'])}",
            }
        )
    return out


def run_cross_year(engine: Engine) -> pd.DataFrame:
    """Recompute X1/X2, replace the stored X1/X2 findings with the result, return it as a DataFrame."""
    import pandas as pd

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # two checkers at once: one after the other, no doubled findings
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHECK_LOCK})
        found = cross_year_findings(conn)
        conn.execute(delete(Finding).where(Finding.rule.in_(["X1", "X2"])))
        if found:
            conn.execute(
                insert(Finding),
                [
                    {
                        "report_id": f["report_id"],
                        "rule": f["rule"],
                        "severity": f["severity"],
                        "message": f["message"],
                        "cells": f["cells"],
                        "expected": f["expected"],
                        "actual": f["actual"],
                        "origin": "database",
                    }
                    for f in found
                ],
            )
    return pd.DataFrame(found, columns=COLUMNS)


def _n(value: float | None) -> str:
    if value is None:
        return "·"
    return str(int(value)) if float(value).is_integer() else str(value)
