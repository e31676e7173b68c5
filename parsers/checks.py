"""The template's own arithmetic (勾稽关系), one function per rule, each returning findings.

An empty cell counts as 0 in a sum (agencies leave zeros blank); a rule whose cells are all
empty is not judged. A violated rule is data for analysts, never a reason to drop a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from .model import Issue, Number
from .template import APPLICANT_KEYS, OUTCOME_COLUMNS, RULES, result_rows

Cell = tuple[str, str, str]
Values = Mapping[Cell, Number | None]
TOLERANCE = 1e-6


def total(values: Iterable[Number | None]) -> Number:
    return sum([v for v in values if v is not None])


@dataclass(frozen=True, slots=True)
class Equation:
    """One instance of a rule: the cells on each side, in the order the finding lists them."""

    rule: str
    message: str
    left: tuple[Cell, ...]
    right: tuple[Cell, ...]

    def judge(self, values: Values) -> Issue | None:
        """A finding if the two sides differ; None if they agree or every cell is empty."""
        get = values.get
        lvals = [v for v in map(get, self.left) if v is not None]
        rvals = [v for v in map(get, self.right) if v is not None]
        if not lvals and not rvals:
            return None
        expected = sum(rvals)  # total(): empty cells count as 0
        actual = sum(lvals)
        if abs(expected - actual) <= TOLERANCE:
            return None
        return Issue(
            self.rule,
            RULES[self.rule].severity,
            # a side whose cells are all empty is said so: the document printed no 0 there
            f"{self.message}: {actual if lvals else 'empty'} ≠ {expected if rvals else 'empty'}",
            ["/".join(c) for c in (*self.left, *self.right)],
            expected=expected,
            actual=actual,
        )


def _judged(equations: Iterable[Equation], values: Values) -> list[Issue]:
    return [issue for eq in equations if (issue := eq.judge(values)) is not None]


# The equations depend only on the template: built once per template, not once per report.
@cache
def a1_equations(template: str) -> tuple[Equation, ...]:
    """applications: in every row, total = sum of the six applicant columns."""
    rows = ("new_received", "carried_over", *result_rows(template), "total_processed", "carried_forward")
    return tuple(
        Equation(
            "A1",
            f"{row}: total ≠ sum of applicant columns",
            (("applications", row, "total"),),
            tuple(("applications", row, c) for c in APPLICANT_KEYS[:-1]),
        )
        for row in rows
    )


@cache
def a2_equations(template: str) -> tuple[Equation, ...]:
    """applications: in every column, total_processed = sum of the result rows."""
    return tuple(
        Equation(
            "A2",
            f"{col}: total_processed ≠ sum of result rows",
            (("applications", "total_processed", col),),
            tuple(("applications", r, col) for r in result_rows(template)),
        )
        for col in APPLICANT_KEYS
    )


@cache
def a3_equations(template: str) -> tuple[Equation, ...]:
    """applications: new_received + carried_over = total_processed + carried_forward, per column."""
    return tuple(
        Equation(
            "A3",
            f"{col}: new_received + carried_over ≠ total_processed + carried_forward",
            (("applications", "new_received", col), ("applications", "carried_over", col)),
            (("applications", "total_processed", col), ("applications", "carried_forward", col)),
        )
        for col in APPLICANT_KEYS
    )


@cache
def r1_equations(template: str) -> tuple[Equation, ...]:
    """review_litigation: in each row, total = upheld + corrected + other + pending."""
    parts = [c.key for c in OUTCOME_COLUMNS if c.key != "total"]
    return tuple(
        Equation(
            "R1",
            f"{row}: total ≠ upheld + corrected + other + pending",
            (("review_litigation", row, "total"),),
            tuple(("review_litigation", row, c) for c in parts),
        )
        for row in ("review", "litigation_direct", "litigation_after_review")
    )


GAP_RULES = ("ambiguous_row", "unplaced_numbers", "cells_run_together")


def unplaced_prefixes(issues: Iterable[Issue]) -> tuple[str, ...]:
    """Cell-path prefixes (``table/row/``) of rows whose numbers could not be placed (left empty):
    a rule resting on such a row would fail for a gap of ours, not a fault of the report."""
    return tuple(
        (c[: -len("all")] if c.endswith("/all") else c + "/") for i in issues if i.rule in GAP_RULES for c in i.cells
    )


def check_a1(values: Values, template: str) -> list[Issue]:
    """applications: in every row, total = sum of the six applicant columns."""
    return _judged(a1_equations(template), values)


def check_a2(values: Values, template: str) -> list[Issue]:
    """applications: in every column, total_processed = sum of the result rows."""
    return _judged(a2_equations(template), values)


def check_a3(values: Values, template: str) -> list[Issue]:
    """applications: new_received + carried_over = total_processed + carried_forward, per column."""
    return _judged(a3_equations(template), values)


def check_r1(values: Values, template: str) -> list[Issue]:
    """review_litigation: in each row, total = upheld + corrected + other + pending."""
    return _judged(r1_equations(template), values)


CHECKS: dict[str, Callable[[Values, str], list[Issue]]] = {
    "A1": check_a1,
    "A2": check_a2,
    "A3": check_a3,
    "R1": check_r1,
}


def equations(template: str) -> tuple[Equation, ...]:
    """Every single-report rule instance of the template, in rule order."""
    return (*a1_equations(template), *a2_equations(template), *a3_equations(template), *r1_equations(template))


def run_checks(values: Values, template: str) -> list[Issue]:
    """All single-report rules, in rule order."""
    out: list[Issue] = []
    for check in CHECKS.values():
        out.extend(check(values, template))
    return out
