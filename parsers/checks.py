"""The template's own arithmetic (勾稽关系), one function per rule, each returning findings.

An empty cell counts as 0 in a sum (agencies leave zeros blank); a rule whose cells are all
empty is not judged. A violated rule is data for analysts, never a reason to drop a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from .model import Issue, Number
from .template import APPLICANT_KEYS, OUTCOME_COLUMNS, RULES, result_rows

Values = Mapping[tuple[str, str, str], Number | None]
TOLERANCE = 1e-6


def total(values: Iterable[Number | None]) -> Number:
    return sum(v for v in values if v is not None)


def _finding(rule: str, message: str, left: list[tuple[str, str, str]], right: list[tuple[str, str, str]],
             values: Values) -> Issue | None:
    get = values.get
    lvals = [get(c) for c in left]
    rvals = [get(c) for c in right]
    if lvals.count(None) == len(lvals) and rvals.count(None) == len(rvals):
        return None
    expected = total(rvals)
    actual = total(lvals)
    if abs(expected - actual) <= TOLERANCE:
        return None
    cells = left + right
    return Issue(
        rule,
        RULES[rule].severity,
        f"{message}: {actual} ≠ {expected}",
        ["/".join(c) for c in cells],
        expected=expected,
        actual=actual,
    )


def check_a1(values: Values, template: str) -> list[Issue]:
    """applications: in every row, total = sum of the six applicant columns."""
    rows = ("new_received", "carried_over", *result_rows(template), "total_processed", "carried_forward")
    out = []
    for row in rows:
        issue = _finding(
            "A1",
            f"{row}: total ≠ sum of applicant columns",
            [("applications", row, "total")],
            [("applications", row, c) for c in APPLICANT_KEYS[:-1]],
            values,
        )
        if issue:
            out.append(issue)
    return out


def check_a2(values: Values, template: str) -> list[Issue]:
    """applications: in every column, total_processed = sum of the result rows."""
    out = []
    for col in APPLICANT_KEYS:
        issue = _finding(
            "A2",
            f"{col}: total_processed ≠ sum of result rows",
            [("applications", "total_processed", col)],
            [("applications", r, col) for r in result_rows(template)],
            values,
        )
        if issue:
            out.append(issue)
    return out


def check_a3(values: Values, template: str) -> list[Issue]:
    """applications: new_received + carried_over = total_processed + carried_forward, per column."""
    out = []
    for col in APPLICANT_KEYS:
        issue = _finding(
            "A3",
            f"{col}: new_received + carried_over ≠ total_processed + carried_forward",
            [("applications", "new_received", col), ("applications", "carried_over", col)],
            [("applications", "total_processed", col), ("applications", "carried_forward", col)],
            values,
        )
        if issue:
            out.append(issue)
    return out


def check_r1(values: Values, template: str) -> list[Issue]:
    """review_litigation: in each row, total = upheld + corrected + other + pending."""
    parts = [c.key for c in OUTCOME_COLUMNS if c.key != "total"]
    out = []
    for row in ("review", "litigation_direct", "litigation_after_review"):
        issue = _finding(
            "R1",
            f"{row}: total ≠ upheld + corrected + other + pending",
            [("review_litigation", row, "total")],
            [("review_litigation", row, c) for c in parts],
            values,
        )
        if issue:
            out.append(issue)
    return out


CHECKS: dict[str, Callable[[Values, str], list[Issue]]] = {
    "A1": check_a1,
    "A2": check_a2,
    "A3": check_a3,
    "R1": check_r1,
}


def run_checks(values: Values, template: str) -> list[Issue]:
    """All single-report rules, in rule order."""
    out: list[Issue] = []
    for check in CHECKS.values():
        out.extend(check(values, template))
    return out
