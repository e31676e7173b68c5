"""Placing the numbers of rows whose empty cells vanished (flattened text, PDF).

A row that shows k numbers for n columns could have had its empties anywhere; the numbers keep
their order. We try every placement, keep those that satisfy the row's own rule, then search the
combinations of all such rows for those that satisfy the column rules. A row is placed only when
every surviving combination agrees on it; otherwise it stays unplaced (``ambiguous_row``).
A wrong guess is worse than a gap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

Vector = tuple[int | float | None, ...]

MAX_NODES = 200_000
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
    partial: dict[str, Sequence[int | float | None]],
    n: int,
    row_ok: Callable[[Vector], bool],
    joint_ok: Callable[[dict[str, Vector], bool], bool] | None = None,
) -> Outcome:
    """Place each partial row, using the joint rules to decide between a row's candidates.

    ``joint_ok(assigned, complete)`` sees the vectors assigned so far and must return False as soon
    as they already break a rule (``complete`` tells whether every partial row is assigned).
    """
    cands = {row: candidates(nums, n, row_ok) for row, nums in partial.items()}
    order = sorted(cands, key=lambda r: len(cands[r]))
    seen: dict[str, set[tuple[int, ...]]] = {row: set() for row in partial}
    exhausted = True

    if joint_ok is not None and all(cands.values()):
        nodes = 0
        assigned: dict[str, Vector] = {}
        chosen: dict[str, tuple[int, ...]] = {}

        def search(i: int) -> bool:
            nonlocal nodes
            if i == len(order):
                for row, pos in chosen.items():
                    seen[row].add(pos)
                # stop once every row is known to be ambiguous: more solutions change nothing
                return all(len(s) > 1 for s in seen.values())
            row = order[i]
            for pos in cands[row]:
                nodes += 1
                if nodes > MAX_NODES:
                    return True
                assigned[row] = spread(partial[row], pos, n)
                chosen[row] = pos
                if joint_ok(assigned, i + 1 == len(order)) and search(i + 1):
                    return True
                del assigned[row], chosen[row]
            return False

        search(0)
        exhausted = nodes <= MAX_NODES
        if not any(seen.values()):  # the report's own sums do not hold: judge each row alone
            exhausted = False
    if joint_ok is None or not exhausted:
        seen = {row: set(c) for row, c in cands.items()}

    placed = {row: next(iter(s)) for row, s in seen.items() if len(s) == 1}
    ambiguous = {row: len(s) for row, s in seen.items() if len(s) != 1}
    return Outcome(placed, ambiguous)
