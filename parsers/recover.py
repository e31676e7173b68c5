"""Placing the numbers of rows whose empty cells vanished (flattened text, PDF).

A row that shows k numbers for n columns could have had its empties anywhere; the numbers keep
their order. We try every placement, keep those that satisfy the row's own rule, then search the
combinations of all such rows for those that satisfy the column rules (linear equations, pruned by
bounds). A row is placed only when every combination that satisfies them agrees on it; otherwise it
stays unplaced (``ambiguous_row``).
A wrong guess is worse than a gap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

Vector = tuple[int | float | None, ...]

MAX_SEARCHES = 5_000  # nodes of solve_linear's search, each a full bounds propagation
MAX_CANDIDATES = 5_000


@dataclass(slots=True)
class Outcome:
    placed: dict[str, tuple[int, ...]]  # row → the column positions its numbers go to
    ambiguous: dict[str, int]  # row → how many placements remained (0: none fits)


def spread(numbers: Sequence[int | float | None], positions: Sequence[int], n: int) -> Vector:
    vec: list[int | float | None] = [None] * n
    for pos, num in zip(positions, numbers, strict=True):
        vec[pos] = num
    return tuple(vec)


def candidates(
    numbers: Sequence[int | float | None], n: int, row_ok: Callable[[Vector], bool]
) -> list[tuple[int, ...]]:
    """Every order-preserving placement of ``numbers`` into ``n`` columns that ``row_ok`` accepts."""
    out = []
    for positions in combinations(range(n), len(numbers)):
        if row_ok(spread(numbers, positions, n)):
            out.append(positions)
            if len(out) > MAX_CANDIDATES:
                break
    return out


def solve(
    partial: Mapping[str, Sequence[int | float | None]],
    n: int,
    row_ok: Callable[[Vector], bool],
    equations: Sequence[Mapping[str, int]] | None = None,
    known: Mapping[str, Vector] | None = None,
) -> Outcome:
    """Place each partial row: by its own rule alone, or with the joint rules as ``equations``.

    Each equation maps rows to coefficients and must hold in every column, ``Σ coef · row[c] = 0``,
    rows not in ``partial`` taking their values from ``known`` (an absent row is all zeros; empty
    cells count as 0, as the checks count them). See :func:`solve_linear`.
    """
    cands = {row: candidates(nums, n, row_ok) for row, nums in partial.items()}
    if equations is None:
        return _alone(cands)
    return solve_linear(partial, n, cands, equations, known or {})


def solve_linear(
    partial: Mapping[str, Sequence[int | float | None]],
    n: int,
    cands: Mapping[str, list[tuple[int, ...]]],
    equations: Sequence[Mapping[str, int]],
    known: Mapping[str, Vector],
) -> Outcome:
    """:func:`solve` for joint rules that are linear equations: same answer, found by support.

    A row is placed when exactly one of its candidates is part of some placement of all rows that
    satisfies every equation in every column — what the exhaustive search of :func:`solve`
    computes. Instead of enumerating every solution this looks for one supporting solution per
    candidate, pruning any partial assignment whose equations can no longer reach 0 given the
    smallest and largest contribution each unassigned row can still make. Past ``MAX_SEARCHES`` it
    falls back, as :func:`solve` does, to judging each row alone.
    """
    rows = list(partial)
    if not rows or not all(cands[r] for r in rows):
        return _alone(cands)
    # one constraint per (equation, column): const + Σ contribution of each partial row == 0
    keys = [(e, c) for e in range(len(equations)) for c in range(n)]
    const = [0.0] * len(keys)
    for k, (e, c) in enumerate(keys):
        for row, coef in equations[e].items():
            if row not in partial and row in known:
                const[k] += coef * (known[row][c] or 0)
    contrib: dict[str, list[tuple[float, ...]]] = {}
    for row in rows:
        coefs = [(k, equations[e].get(row, 0), c) for k, (e, c) in enumerate(keys)]
        vecs = [spread(partial[row], pos, n) for pos in cands[row]]
        contrib[row] = [tuple(coef * (vec[c] or 0) for _, coef, c in coefs) for vec in vecs]
    live = [k for k in range(len(keys)) if const[k] or any(any(t[k] for t in contrib[r]) for r in rows)]
    const = [const[k] for k in live]
    # candidates that contribute alike (zeros moved between columns) stand or fall together
    members: dict[str, list[list[int]]] = {}
    for r, ts in contrib.items():
        classes: dict[tuple[float, ...], list[int]] = {}
        for i, t in enumerate(ts):
            classes.setdefault(tuple(t[k] for k in live), []).append(i)
        contrib[r] = list(classes)
        members[r] = list(classes.values())
    m = len(live)
    nodes = 0

    def propagate(dom: dict[str, list[int]]) -> bool:
        """Drop classes that cannot reach 0 whatever the other rows do; False if a row has none left."""
        changed = True
        while changed:
            changed = False
            lo, hi = list(const), list(const)
            span: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {}
            for r, js in dom.items():
                ts = [contrib[r][j] for j in js]
                mn, mx = (ts[0], ts[0]) if len(ts) == 1 else (tuple(map(min, *ts)), tuple(map(max, *ts)))
                span[r] = (mn, mx)
                for k in range(m):
                    lo[k] += mn[k]
                    hi[k] += mx[k]
            if any(lo[k] > TOLERANCE or hi[k] < -TOLERANCE for k in range(m)):
                return False
            for r, js in dom.items():
                if len(js) == 1:
                    continue
                mn, mx = span[r]
                upper = [TOLERANCE - lo[k] + mn[k] for k in range(m)]
                lower = [-TOLERANCE - hi[k] + mx[k] for k in range(m)]
                keep = [j for j in js if all(a <= x <= b for x, a, b in zip(contrib[r][j], lower, upper, strict=True))]
                if not keep:
                    return False
                if len(keep) < len(js):
                    dom[r] = keep
                    changed = True
        return True

    def search(dom: dict[str, list[int]]) -> dict[str, int] | None:
        """One solution within the domains (row → class index), or None."""
        nonlocal nodes
        nodes += 1
        if nodes > MAX_SEARCHES:
            raise _Budget
        if not propagate(dom):
            return None
        free = [r for r, js in dom.items() if len(js) > 1]
        if not free:
            return {r: js[0] for r, js in dom.items()}
        r = min(free, key=lambda r: len(dom[r]))
        for j in dom[r]:
            found = search({**dom, r: [j]})
            if found is not None:
                return found
        return None

    domain = {r: list(range(len(contrib[r]))) for r in rows}
    supported: dict[str, set[int]] = {r: set() for r in rows}  # candidate indices in some solution

    def support(solution: dict[str, int]) -> None:
        for r2, j in solution.items():
            supported[r2].update(members[r2][j])

    try:
        first = search(dict(domain)) if propagate(domain) else None
        if first is None:  # the report's own sums do not hold: judge each row alone
            return _alone(cands)
        support(first)
        for r in sorted(rows, key=lambda r: len(domain[r])):
            for j in domain[r]:
                if len(supported[r]) > 1:
                    break
                if members[r][j][0] in supported[r]:
                    continue
                found = search({**domain, r: [j]})
                if found is not None:
                    support(found)
    except _Budget:
        return _alone(cands)
    placed = {r: cands[r][next(iter(s))] for r, s in supported.items() if len(s) == 1}
    ambiguous = {r: len(s) for r, s in supported.items() if len(s) != 1}
    return Outcome(placed, ambiguous)


TOLERANCE = 1e-6


class _Budget(Exception):
    """The search went past MAX_SEARCHES."""


def _alone(cands: Mapping[str, list[tuple[int, ...]]]) -> Outcome:
    """Each row judged by its own rule: placed where exactly one candidate fits."""
    placed = {r: c[0] for r, c in cands.items() if len(c) == 1}
    ambiguous = {r: len(c) for r, c in cands.items() if len(c) != 1}
    return Outcome(placed, ambiguous)
