"""Tables whose applicant columns are turned into rows (rows = 自然人 … 总计, columns = result rows).

A few agencies print the applications table transposed. We resolve its row and column spans into
a full grid and turn it back, so the table walker sees the template's orientation: one line per
result row, its label built from the header cells above that column, then the applicant values.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document import Line
from .text import parse_value, squash

_APPLICANT_WORDS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构")
MAX_SPAN = 64  # a span wider than any report table is a typo, not a layout


@dataclass(slots=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def looks_transposed(rows: list[list[str]]) -> bool:
    """True when the row labels are applicant types and a header names result rows."""
    starts = {squash(c) for row in rows for c in row[:2] if c and len(c) < 12}
    if sum(1 for w in _APPLICANT_WORDS if w in starts) < 3:
        return False
    return any("予以公开" in squash(c) for row in rows[:4] for c in row)


def expand(rows: list[list[Cell]]) -> list[list[Cell | None]]:
    """Resolve rowspan/colspan: every grid position holds the cell that covers it."""
    grid: list[list[Cell | None]] = []
    pending: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        out: list[Cell | None] = []
        c = 0
        for cell in row:
            while (r, c) in pending:
                out.append(pending.pop((r, c)))
                c += 1
            for dc in range(min(cell.colspan, MAX_SPAN)):
                out.append(cell)
                for dr in range(1, min(cell.rowspan, MAX_SPAN)):
                    pending[(r + dr, c + dc)] = cell
            c += min(cell.colspan, MAX_SPAN)
        while (r, c) in pending:
            out.append(pending.pop((r, c)))
            c += 1
        grid.append(out)
    return grid


def _has_number(text: str) -> bool:
    value = parse_value(text)
    return value is not None and bool(value.raw)


def _text_at(row: list[Cell | None], j: int) -> str:
    cell = row[j] if j < len(row) else None
    return cell.text if cell is not None else ""


def transpose(rows: list[list[Cell]]) -> list[Line]:
    """Lines of the applications table in the template's orientation."""
    grid = expand(rows)
    data = [i for i, row in enumerate(grid) if any(c is not None and c.text and _has_number(c.text) for c in row)]
    if not data:
        return []
    first = data[0]
    width = max(len(r) for r in grid)
    # label columns: leading positions that hold no value in any data row
    n_label = min(
        next((j for j, c in enumerate(grid[i]) if c is not None and parse_value(c.text) is not None), width)
        for i in data
    )
    applicants: list[str] = []
    for i in data:
        names: list[str] = []
        for c in grid[i][:n_label]:
            if c is not None and c.text and c.text not in names:
                names.append(c.text)
        applicants.append(names[-1] if names else "")
    group = [n for i in data for c in grid[i][:n_label] if c is not None and (n := c.text) and n not in applicants]
    header = ["申请人情况", *dict.fromkeys([applicants[0], *group, *applicants[1:]])]
    lines = [Line(header, grid=True)]
    for j in range(n_label, width):
        parts: list[str] = []
        last: Cell | None = None
        for r in range(first):
            c = grid[r][j] if j < len(grid[r]) else None
            if c is not None and c is not last and c.text:
                parts.append(c.text)
            last = c
        values = [_text_at(grid[i], j) for i in data]
        lines.append(Line(["".join(parts), *values], grid=True))
    return lines
