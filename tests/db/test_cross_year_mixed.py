"""X2 over real ``mixed`` reports: table 二 in the 2021 layout is checked whatever the report's template.

The two Hongze PDFs (tests/fixtures/real/) are ``mixed``: 二 of the 2021 template, 三 of the 2019
one. Their printed 二 chain cleanly (行政规范性文件: 5 in force at the end of 2023; 2024 issued 3,
repealed 0, 8 in force); a 2024 that printed 9 must be caught, as it would be between two ``2021``
reports.
"""

from __future__ import annotations

from pathlib import Path

from govreports.db.checks import run_cross_year
from govreports.db.load import AgencyHint, DocumentInfo, load_report
from govreports.parsers import Report, parse_path

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "pdf"
HONGZE = "淮安市洪泽区人民政府"  # the 2023 report names itself 洪泽区人民政府: the registry's name joins them


def _load(engine, report: Report) -> None:
    result = load_report(engine, report, DocumentInfo(report.source, report.content_hash), AgencyHint(HONGZE))
    assert result.status == "new"


def _hongze(year: int) -> Report:
    report = parse_path(REAL / f"huaian-hongze-gov-{year}.pdf")
    assert (report.template, report.year) == ("mixed", year)
    return report


def test_mixed_reports_that_chain_give_no_x2(engine) -> None:
    for year in (2023, 2024):
        _load(engine, _hongze(year))
    found = run_cross_year(engine)
    assert list(found[found["rule"] == "X2"]["cells"]) == []


def test_mixed_reports_are_checked_by_x2(engine) -> None:
    _load(engine, _hongze(2023))
    later = _hongze(2024)
    [cell] = [f for f in later.facts if (f.table, f.row, f.column) == ("active", "normative_documents", "in_force")]
    assert cell.value == 8  # printed
    cell.value = 9  # as if misprinted: 5 + 3 − 0 ≠ 9
    _load(engine, later)
    found = run_cross_year(engine)
    x2 = found[found["rule"] == "X2"]
    assert [(r.year, r.expected, r.actual) for r in x2.itertuples()] == [(2024, 8, 9)]
    assert x2["cells"].iloc[0].startswith("active/normative_documents/in_force (2024)")
