"""Which numbers read by OCR are in doubt: the template's rules confirm them or name them.

A misread digit breaks the rules it takes part in (a ``6`` read as ``8`` breaks its row's A1 and
its column's A2/A3), so an OCR'd number that every rule around it confirms is accepted whatever
the recogniser's confidence. Where rules fail, their cells are in doubt, and the cells where two
failing rules cross — a row and a column — are the likely misreadings. Numbers no rule covers (the
``active`` table) are in doubt when the recogniser was unsure of them, and a cell OCR saw nothing
in may be a blank or a number OCR missed (a faint ``0`` the recogniser could not read): the rules
count a blank as 0, so they cannot tell. Nothing is changed: the facts are loaded as read, and the
issues say which cells to look at.
"""

from __future__ import annotations

from collections import Counter

from govreports import settings

from .checks import Cell, equations, unplaced_prefixes
from .model import Fact, Issue, Report

MAX_LISTED = 12  # cells named in an issue's message; the ``cells`` list holds them all


def mark_ocr(report: Report) -> None:
    """Mark every fact as read by OCR and add the issues naming the cells in doubt."""
    for fact in report.facts:
        fact.ocr = True
    if report.template in ("2019", "2021"):
        report.issues.extend(ocr_doubts(report.facts, report.template, unplaced_prefixes(report.issues)))


def ocr_doubts(facts: list[Fact], template: str, gaps: tuple[str, ...] = ()) -> list[Issue]:
    """``ocr_inconsistent`` for rules the OCR'd numbers break, ``ocr_doubt`` for numbers nothing confirms.

    A rule resting on a row whose numbers could not be placed (``gaps``, see
    :func:`.checks.unplaced_prefixes`) neither confirms nor doubts anything: its failure is our gap.
    """
    values = {(f.table, f.row, f.column): f.value for f in facts}
    confirmed: set[Cell] = set()
    failing: Counter[Cell] = Counter()
    broken: set[str] = set()
    for eq in equations(template):
        cells = (*eq.left, *eq.right)
        if gaps and any("/".join(c).startswith(gaps) for c in cells):
            continue
        if eq.judge(values) is None:
            confirmed.update(c for c in cells if values.get(c) is not None)
        else:
            failing.update(cells)
            broken.add(eq.rule)
    by_cell = {(f.table, f.row, f.column): f for f in facts}
    issues: list[Issue] = []
    if failing:
        suspects = sorted(failing, key=lambda c: (-failing[c], _confidence(by_cell.get(c))))
        likely = [c for c in suspects if failing[c] > 1 and values.get(c) is not None]
        issues.append(
            Issue(
                "ocr_inconsistent",
                "error",
                f"numbers read by OCR break rule(s) {', '.join(sorted(broken))}; "
                f"likely misread: {_listing(likely, by_cell) or 'no single cell'}",
                ["/".join(c) for c in (likely or suspects)],
            )
        )
    threshold = float(settings.get("OCR_MIN_CONFIDENCE"))
    unsure = [
        key
        for key, f in by_cell.items()
        if key not in failing
        and key not in confirmed
        and (
            (f.value is not None and _confidence(f) < threshold)
            or (f.value is None and not "/".join(key).startswith(gaps))
        )
    ]
    if unsure:
        issues.append(
            Issue(
                "ocr_doubt",
                "warning",
                "read by OCR with low confidence, or left blank where OCR saw no number, and no rule "
                f"confirms them: {_listing(unsure, by_cell)}",
                ["/".join(c) for c in unsure],
            )
        )
    return issues


def _confidence(fact: Fact | None) -> float:
    return fact.confidence if fact is not None and fact.confidence is not None else 0.0


def _listing(cells: list[Cell], by_cell: dict[Cell, Fact]) -> str:
    parts = []
    for c in cells[:MAX_LISTED]:
        f = by_cell.get(c)
        shown = "blank" if f is None or f.raw is None else f"{f.raw!r} ({_confidence(f):.2f})"
        parts.append(f"{'/'.join(c)} = {shown}")
    more = f" and {len(cells) - MAX_LISTED} more" if len(cells) > MAX_LISTED else ""
    return "; ".join(parts) + more
