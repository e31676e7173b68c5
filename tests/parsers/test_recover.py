"""The bounded search for linear rules places exactly the rows the exhaustive search places."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from govreports.parsers.recover import Outcome, Vector, candidates, solve, spread


def _instance(rng: random.Random) -> tuple[dict[str, list[int]], dict[str, Vector], int]:
    """Rows a+b = t (per column) and t = u+v, each row's last column the sum of the others, some cells lost."""
    n = rng.randint(3, 5)

    def row() -> list[int]:
        vals = [rng.choice((0, 0, 0, 1, 2, 3)) for _ in range(n - 1)]
        return [*vals, sum(vals)]

    a, b = row(), row()
    t = [x + y for x, y in zip(a, b, strict=True)]
    u = [rng.randint(0, x) for x in t[:-1]]
    u.append(sum(u))
    v = [x - y for x, y in zip(t, u, strict=True)]
    full = {"a": a, "b": b, "t": t, "u": u, "v": v}
    partial: dict[str, list[int]] = {}
    known: dict[str, Vector] = {}
    for key, vec in full.items():
        kept = [x for x in vec if not (x == 0 and rng.random() < 0.6)]
        if len(kept) < n:
            partial[key] = kept
        else:
            known[key] = tuple(vec)
    return partial, known, n


def _exhaustive(partial: dict[str, list[int]], n: int, row_ok, joint_ok) -> Outcome:
    """The reference: every combination of every row's candidates, kept where ``joint_ok`` holds."""
    from itertools import product

    cands = {row: candidates(nums, n, row_ok) for row, nums in partial.items()}
    rows = list(cands)
    seen: dict[str, set[tuple[int, ...]]] = {row: set() for row in rows}
    for combo in product(*(cands[r] for r in rows)):
        if joint_ok({r: spread(partial[r], pos, n) for r, pos in zip(rows, combo, strict=True)}):
            for r, pos in zip(rows, combo, strict=True):
                seen[r].add(pos)
    if not any(seen.values()):  # the sums cannot hold: each row judged alone
        seen = {row: set(c) for row, c in cands.items()}
    return Outcome(
        {r: next(iter(s)) for r, s in seen.items() if len(s) == 1}, {r: len(s) for r, s in seen.items() if len(s) != 1}
    )


EQUATIONS = [{"a": 1, "b": 1, "t": -1}, {"t": 1, "u": -1, "v": -1}]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_linear_search_agrees_with_exhaustive_search(seed: int) -> None:
    partial, known, n = _instance(random.Random(seed))

    def row_ok(vec: Vector) -> bool:
        return (vec[-1] or 0) == sum(x or 0 for x in vec[:-1])

    def joint_ok(assigned: dict[str, Vector]) -> bool:
        rows = {**known, **assigned}

        def get(r: str, c: int) -> int:
            return (rows.get(r) or (0,) * n)[c] or 0

        return all(sum(coef * get(r, c) for r, coef in eq.items()) == 0 for eq in EQUATIONS for c in range(n))

    old = _exhaustive(partial, n, row_ok, joint_ok)
    new = solve(partial, n, row_ok, equations=EQUATIONS, known=known)
    assert new.placed == old.placed
    assert set(new.ambiguous) == set(old.ambiguous)
