"""Flattened text loses empty cells; the rules place the numbers only when exactly one placement fits."""

from __future__ import annotations

from govreports.parsers import parse_path, parse_text
from govreports.parsers.recover import candidates, solve
from govreports.parsers.template import APPLICANT_KEYS
from tests.support import FIXTURES

TEXT = FIXTURES / "text"


def _row(report, row: str) -> tuple:
    return tuple(report.value("applications", row, c) for c in APPLICANT_KEYS)


def test_lost_cells_placed_when_one_placement_fits() -> None:
    """柯城区住建局 typed two rows with blanks: 9 2 11 and 1 1. A2 against the full 总计 row leaves
    exactly one placement for each (企业 can take 2 but not 9; 法律服务机构 needs the lone 1)."""
    report = parse_path(TEXT / "kecheng-zjj-2022-flat-lost-cells.txt")
    assert report.template == "2021"
    assert _row(report, "granted") == (9, 2, None, None, None, None, 11)
    assert _row(report, "denied_third_party") == (None, None, None, None, 1, None, 1)
    inferred = sorted({f.row for f in report.facts if f.inferred})
    assert inferred == ["denied_third_party", "granted"]
    placed = report.fact("applications", "denied_third_party", "legal_services")
    assert placed.inferred and placed.raw == "1"
    assert _row(report, "unable_not_held") == (5, 0, 0, 0, 0, 0, 5)
    assert not report.fact("applications", "unable_not_held", "total").inferred
    assert report.issues == []  # the placed rows satisfy A1/A2/A3; nothing was guessed


def test_ambiguous_rows_left_unplaced_and_reported() -> None:
    """龙游县农业农村局: rows 重复申请 1 1 and 其他 1 1 could swap between 自然人 and 法律服务机构."""
    report = parse_path(TEXT / "longyou-nyj-2022-flat-ambiguous.txt")
    assert _row(report, "granted") == (4, None, None, None, None, None, 4)  # only 自然人 can take 4
    assert report.fact("applications", "granted", "natural_person").inferred
    for row in ("rejected_repeated", "other_other"):
        assert _row(report, row) == (None,) * 7
    amb = report.issues_for("ambiguous_row")
    assert [i.cells for i in amb] == [
        ["applications/rejected_repeated"],
        ["applications/other_other"],
        ["review_litigation/all"],
    ]
    assert amb[0].message == "applications/rejected_repeated: 2 values for 7 columns, 2 placements fit: 1 1"
    assert "12 placements fit R1" in amb[2].message
    assert all(
        report.value("review_litigation", r, c) is None
        for r in ("review", "litigation_direct", "litigation_after_review")
        for c in ("upheld", "corrected", "other", "pending", "total")
    )
    # A2 would fail only because of our gap: not reported as the report's fault
    assert report.issues_for("A2") == [] and [i.rule for i in report.issues_for("not_checked")] == ["not_checked"]


def test_solve_unit() -> None:
    def a1(vec: tuple) -> bool:
        return (vec[2] or 0) == (vec[0] or 0) + (vec[1] or 0)

    assert candidates([3, 3], 3, a1) == [(0, 2), (1, 2)]
    out = solve({"x": [3, 3]}, 3, a1)
    assert out.placed == {} and out.ambiguous == {"x": 2}
    out = solve({"x": [2, 3, 5]}, 3, a1)
    assert out.placed == {"x": (0, 1, 2)}
    out = solve({"x": [4, 1]}, 3, a1)  # 4 + nothing ≠ 1 and nothing + 4 ≠ 1: no placement at all
    assert out.placed == {} and out.ambiguous == {"x": 0}


def test_no_placement_when_a_row_of_numbers_is_unaccounted_for() -> None:
    """A row whose label is unrecognisable leaves its numbers unplaced; the rows with lost cells then
    stay unplaced too (the column sums no longer close), and nothing is marked inferred."""
    text = (TEXT / "kecheng-zjj-2022-flat-lost-cells.txt").read_text("utf-8")
    broken = text.replace("1.本机关不掌握相关政府信息", "1.（标签缺失）")
    report = parse_text(broken)
    assert not any(f.inferred for f in report.facts)
    assert _row(report, "granted") == (None,) * 7 and _row(report, "denied_third_party") == (None,) * 7
    rules = [(i.rule, i.cells) for i in report.issues if i.rule in ("ambiguous_row", "unplaced_numbers")]
    assert rules == [
        ("unplaced_numbers", ["applications"]),
        ("ambiguous_row", ["applications/granted"]),
        ("ambiguous_row", ["applications/denied_third_party"]),
    ]
