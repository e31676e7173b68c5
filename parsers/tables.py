"""The three tables of the template, read from the lines of their sections.

Lines become a stream of label and value events. Labels accumulate until numbers arrive; the
numbers then belong to the row whose phrase ends latest in the accumulated label, so labels
broken over lines, pages or cells (``商业`` / ``企业``) still meet their row.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from .document import Line
from .model import Fact, Issue
from .recover import Vector, solve
from .template import (
    APPLICANT_COLUMNS,
    APPLICANT_KEYS,
    ORGANISATION_KEYS,
    OUTCOME_COLUMNS,
    SUBTOTAL_COLUMN,
    Table,
    result_rows,
)
from .text import Value, normalize, parse_value, to_number

_EMPTY = Value(None, None, "")


@dataclass(slots=True)
class Group:
    """A run of value cells; ``grid`` when empty cells in it are real."""

    values: list[Value]
    grid: bool
    page: int | None
    label: str = ""  # the normalised labels seen since the previous group
    scores: list[float | None] | None = None  # OCR only: the recogniser's confidence per value
    # a grid row with no label cell of its own (a PDF→Markdown tool set its label as loose text,
    # often out of order): its preceding labels are only a hint, see :func:`read_rows`
    bare: bool = False
    in_order: bool = False  # placed by its position between two rows read by their labels

    def add(self, value: Value, score: float | None) -> None:
        """Append a value; its OCR confidence is kept beside it once any value of the group has one."""
        if score is not None and self.scores is None:
            self.scores = [None] * len(self.values)
        self.values.append(value)
        if self.scores is not None:
            self.scores.append(score)

    def score(self, index: int) -> float | None:
        return self.scores[index] if self.scores is not None else None


def _new_group(value: Value, grid: bool, line: Line, label: list[str], score: float | None) -> Group:
    group = Group([], grid, line.page, normalize("".join(label)))
    group.add(value, score)
    return group


@dataclass(slots=True)
class TableResult:
    facts: list[Fact] = field(default_factory=list)  # one per cell, in the template's order (``table.cells``)
    issues: list[Issue] = field(default_factory=list)


def groups(lines: Sequence[Line]) -> list[Group]:
    """Turn lines into value groups, each carrying the labels that preceded it."""
    out: list[Group] = []
    label: list[str] = []
    current: Group | None = None
    for line in lines:
        grid = line.grid
        if not grid and len(line.cells) == 1:  # one cell per line (flattened text): the general case, faster
            cell = line.cells[0]
            value = parse_value(cell) if cell else None
            if value is None:
                if cell:
                    label.append(cell)
                current = None
            elif current is not None and not label and not current.grid:
                current.add(value, line.scores[0] if line.scores else None)
            else:
                current = _new_group(value, False, line, label, line.scores[0] if line.scores else None)
                label.clear()
                out.append(current)
            continue
        cells = line.cells
        scores = line.scores
        if grid:
            parsed: list[Value | None] = [parse_value(c) if c else _EMPTY for c in cells]
            # labels are the Nones, printed values the Values with raw text (an empty cell is _EMPTY)
            if not any([p.raw for p in parsed if p is not None]):
                # a grid row with no printed value (header row, row left blank): labels only, so its
                # padding cells neither form a group nor cut the label from the row it introduces
                label.extend([c for c in cells if c])
                current = None
                continue
            for first, p in enumerate(parsed):
                if p is None:  # values before the row's first label are dropped
                    if first:
                        parsed, cells = parsed[first:], cells[first:]
                        scores = scores[first:] if scores else scores
                    break
        else:
            parsed = [parse_value(c) if c else None for c in cells]
        own_label = False
        for i, (cell, value) in enumerate(zip(cells, parsed, strict=True)):
            if value is None:
                if cell:
                    label.append(cell)
                    own_label = True
                current = None
                continue
            score = scores[i] if scores else None
            if current is not None and not label and current.grid == grid:
                current.add(value, score)
                continue
            current = _new_group(value, grid, line, label, score)
            current.bare = grid and not own_label
            label.clear()
            out.append(current)
        if grid:
            current = None  # one grid row never runs into the next
    if label:
        out.append(Group([], False, None, normalize("".join(label))))
    return out


_WORD_CHAR = re.compile(r"[^\W_]")
MAX_CACHED_LABELS = 4096  # per table; a long-running process reading odd labels must not grow without end
MIN_HEAD = 3  # characters of a label's first line that may identify its row by the official label


def _weak(phrase: str) -> bool:
    """An ordinal and a generic word (``#其他``): it names a row only where the label ends with it."""
    return phrase.startswith("#") and len(phrase) <= 3


class RowMatcher:
    """Finds the row a label names: the unfilled row whose phrase ends latest in the label.

    A weak phrase (``#其他``) counts only at the end of the label: ``2.其他法律行政法`` — the
    first line of a label whose rest went to the next page — is not row ``3.其他``.
    """

    def __init__(self, table: Table) -> None:
        phrase_rows: dict[str, list[str]] = {}
        self.exact: dict[str, str] = {}
        for row in table.rows:
            for phrase in row.phrases:
                if phrase.startswith("="):
                    self.exact[phrase[1:]] = row.key
                else:
                    phrase_rows.setdefault(phrase, []).append(row.key)
        alternation = "|".join(re.escape(p) for p in sorted(phrase_rows, key=len, reverse=True))
        self.pattern = re.compile(f"(?=({alternation}))")
        self.phrase_rows = phrase_rows
        # the last numbered part of each row's official label: "#其他法律行政法规禁止公开"
        self.tails = {row.key: normalize(row.label).rsplit("#", 1)[-1] for row in table.rows}
        self._ranked: dict[str, tuple[str, ...]] = {}

    def match(self, label: str, taken: Collection[str]) -> str | None:
        exact = self.exact.get(label)
        if exact is not None and exact not in taken:
            return exact
        for row in self.ranked(label):
            if row not in taken:
                return row
        return None

    def ranked(self, label: str) -> tuple[str, ...]:
        """Every row a phrase in the label names, best first: the phrase that ends latest, then the
        longest; among equals, the first found. Cached: the same labels recur in every report."""
        rows = self._ranked.get(label)
        if rows is None:
            found: list[tuple[int, int, str]] = []
            for m in self.pattern.finditer(label):
                phrase = m.group(1)
                end = m.start() + len(phrase)
                if _weak(phrase) and _WORD_CHAR.search(label, end):
                    continue
                found.extend((end, len(phrase), row) for row in self.phrase_rows[phrase])
            found.sort(key=lambda c: c[:2], reverse=True)  # stable, reverse too: equals keep their order
            rows = tuple(dict.fromkeys(row for _, _, row in found))
            if len(self._ranked) >= MAX_CACHED_LABELS:
                self._ranked.clear()
            self._ranked[label] = rows
        return rows

    def named(self, label: str, taken: Collection[str]) -> tuple[str, ...]:
        """The untaken rows the label's phrases name, in the order they are named."""
        return tuple(row for row in reversed(self.ranked(label)) if row not in taken)

    def match_start(self, label: str, taken: Collection[str]) -> str | None:
        """The one untaken row whose official label begins with the label's last numbered part.

        For a row split over pages whose numbers print beside the first line of its label
        (``2.其他法律行政法`` ‖ ``规禁止公开``): the words that name it went to the next page.
        """
        if "#" not in label:
            return None
        head = label.rsplit("#", 1)[-1]
        if len(head) < MIN_HEAD:
            return None
        rows = [r for r, tail in self.tails.items() if r not in taken and tail.startswith(head) and tail != head]
        return rows[0] if len(rows) == 1 else None


_MATCHERS: dict[int, RowMatcher] = {}


def matcher(table: Table) -> RowMatcher:
    m = _MATCHERS.get(id(table))
    if m is None:
        m = _MATCHERS[id(table)] = RowMatcher(table)
    return m


# --- header of the applications table ----------------------------------------------------

_TOP = {"自然人": "natural_person", "总计": "total", "合计": "total"}
_GROUP = "法人或其他组织"
_ORG = {p: c.key for c in APPLICANT_COLUMNS if c.key in ORGANISATION_KEYS for p in c.phrases}
_ORG.update({p: SUBTOTAL_COLUMN.key for p in SUBTOTAL_COLUMN.phrases})
_HEADER_WORDS = re.compile("|".join(sorted([_GROUP, *_TOP, *_ORG], key=len, reverse=True)))
_ORG_WORDS = re.compile("|".join(sorted(_ORG, key=len, reverse=True)))
_TOP_WORDS = re.compile("|".join(sorted([_GROUP, *_TOP], key=len, reverse=True)))
STANDARD_ORDER = APPLICANT_KEYS


def applicant_order(header: str) -> list[str] | None:
    """Column keys in printed order, read from the header's labels (None if unrecognisable).

    In the two-level header the organisation columns are printed after 自然人 / 法人或其他组织 /
    总计 but stand where 法人或其他组织 stands; a one-level header is read as printed.
    """
    words = _HEADER_WORDS.findall(header)
    if not words:
        return None
    if _GROUP in words:
        # PDF text puts a top-level word on the line where it stands, which may be inside a wrapped
        # sub-column label ("商业企 总计 业"): read the sub-columns with the top-level words taken out.
        subs = [_ORG[w] for w in _ORG_WORDS.findall(_TOP_WORDS.sub("", header))]
        order: list[str] = []
        for w in words:
            if w == _GROUP:
                order.extend(subs)
            elif w in _TOP:
                order.append(_TOP[w])
    else:
        order = [_TOP.get(w) or _ORG[w] for w in words]
    seen: list[str] = []
    for key in order:
        if key not in seen:
            seen.append(key)
    base = [k for k in seen if k != SUBTOTAL_COLUMN.key]
    if sorted(base) != sorted(STANDARD_ORDER):
        return None
    return seen


# --- reading ------------------------------------------------------------------------------


def _fact(
    table: str,
    row: str,
    column: str,
    value: Value | None,
    money: bool,
    page: int | None,
    inferred: bool = False,
    confidence: float | None = None,
) -> Fact:
    if value is None:
        return Fact(table, row, column, None, None, inferred, page)
    return Fact(table, row, column, to_number(value, money), value.raw or None, inferred, page, confidence=confidence)


def _scores(group: Group | None, vals: Sequence[Value] | None) -> list[float | None] | None:
    """The OCR confidences of ``vals`` when they are the group's values as read (not trimmed)."""
    if group is None or group.scores is None or vals is not group.values:
        return None
    return group.scores


def _fit(group: Group, n: int) -> list[Value] | None:
    """The group's values if they fill exactly ``n`` columns (trimming stray empty grid cells)."""
    vals = group.values
    if len(vals) > n and group.grid:
        vals = list(vals)
        while len(vals) > n and vals[-1].number is None and not vals[-1].raw:
            vals.pop()
        while len(vals) > n and vals[0].number is None and not vals[0].raw:
            vals.pop(0)
    return vals if len(vals) == n else None


def _numbers(values: Sequence[Value], money: bool) -> list[int | float | None]:
    if not money:  # a count is its plain number, which a Value carries (None exactly when number is)
        return [v.count for v in values]
    return [to_number(v, money) for v in values]


def _row_issue(rule: str, table: str, row: str, message: str, values: Sequence[Value]) -> Issue:
    raw = " ".join(v.raw for v in values) or "(nothing)"
    return Issue(rule, "error", f"{table}/{row}: {message}: {raw}", [f"{table}/{row}"])


def _has_number(group: Group) -> bool:
    return any(v.number is not None for v in group.values)


def read_rows(
    table: Table,
    grps: Sequence[Group],
    order: dict[str, list[str]] | None = None,
) -> tuple[dict[str, Group], list[Issue]]:
    """Assign each value group to the row its label names.

    Bare grid rows (no label cell of their own) come from PDF→Markdown tools that set the labels
    as loose lines, out of order: a run of them goes to the rows its preceding labels name only
    when those name as many rows as the run has; otherwise, and for any row whose label names no
    row, :func:`_place_in_order` may place it by its position between rows read by their labels.
    """
    m = matcher(table)
    found: dict[str, Group] = {}
    slots: list[tuple[Group, str | None]] = []  # every group with values, in document order, and its row
    placeholders: set[str] = set()  # rows held by a group without a number (dashes): they give way

    def hold(row: str, group: Group) -> None:
        found[row] = group
        if _has_number(group):
            placeholders.discard(row)
        else:
            placeholders.add(row)

    valued = [g for g in grps if g.values]
    i = 0
    while i < len(valued):
        g = valued[i]
        if g.bare:
            j = i + 1
            while j < len(valued) and valued[j].bare and not valued[j].label:
                j += 1
            run = valued[i:j]
            named = m.named(g.label, found)
            rows: list[str | None] = list(named) if len(named) == len(run) else [None] * len(run)
            for grp, row in zip(run, rows, strict=True):
                slots.append((grp, row))
                if row is not None:
                    hold(row, grp)
            i = j
            continue
        # a row held only by placeholders (``| - | - |`` under a heading such as 申请人情况（总计）, where
        # a converter wrote the header out as a table) gives way to the numbers printed under its label
        numbered = _has_number(g)
        taken = found.keys() - placeholders if numbered and placeholders else found
        row = m.match(g.label, taken)
        if row is None and (not g.grid or g.scores is not None):  # OCR's grid rows: labels wrap as in flat text
            row = m.match_start(g.label, taken)
        if row is not None and row in found:  # a placeholder row gives way: it is no row's any more
            slots = [(h, r) for h, r in slots if h is not found[row]]
        slots.append((g, row))
        if row is not None:
            hold(row, g)
        i += 1
    _place_in_order(table, m, slots, found)
    issues = [
        Issue(
            "unplaced_numbers",
            "error",
            f"{table.key}: numbers under no row label: " + " ".join(v.raw for v in g.values),
            [table.key],
        )
        for g, row in slots
        if row is None and _has_number(g)
    ]
    return found, issues


def _place_in_order(
    table: Table, m: RowMatcher, slots: list[tuple[Group, str | None]], found: dict[str, Group]
) -> None:
    """Place runs of unlabelled grid rows by position: between two rows read by their labels, a run
    of as many full rows as the layout has unread rows there goes to those rows, in order.

    A PDF→Markdown tool keeps a table's rows in order but may set their labels apart; a reader then
    reads them by position, and so does this. The placed rows say so (``inferred``); any doubt —
    counts that differ, a row that is not full, a label that names some row — leaves them unplaced.
    """
    index = {row.key: n for n, row in enumerate(table.rows)}
    k = 0
    while k < len(slots):
        if slots[k][1] is not None:
            k += 1
            continue
        start = k
        while k < len(slots) and slots[k][1] is None:
            k += 1
        prev, nxt = slots[start - 1][1] if start else None, slots[k][1] if k < len(slots) else None
        if prev is None or nxt is None:
            continue  # not between two rows read by their labels
        before, after = index[prev], index[nxt]
        gap = [row for row in table.rows[before + 1 : after] if row.key not in found]
        run = [g for g, _ in slots[start:k]]
        if len(gap) != len(run) or any(not g.grid or (not g.bare and m.ranked(g.label)) for g in run):
            continue
        if any(_fit(g, len(row.columns)) is None for g, row in zip(run, gap, strict=True)):
            continue
        for n, (g, row) in enumerate(zip(run, gap, strict=True)):
            g.in_order = True
            found[row.key] = g
            slots[start + n] = (g, row.key)


def read_active(table: Table, lines: Sequence[Line]) -> TableResult:
    res = TableResult()
    found, res.issues = read_rows(table, groups(lines))
    for row in table.rows:
        g = found.get(row.key)
        cols = row.columns
        vals = _fit(g, len(cols)) if g else None
        scores = _scores(g, vals)
        if g is not None and vals is None:
            res.issues.append(
                _row_issue(
                    "ambiguous_row", "active", row.key, f"{len(g.values)} values for {len(cols)} columns", g.values
                )
            )
        for i, col in enumerate(cols):
            value = vals[i] if vals else None
            money = col.key == "amount_10k_yuan"
            score = scores[i] if scores else None
            inferred = g is not None and g.in_order
            res.facts.append(_fact("active", row.key, col.key, value, money, g.page if g else None, inferred, score))
    return res


def read_applications(table: Table, template: str, lines: Sequence[Line]) -> TableResult:
    res = TableResult()
    grps = groups(lines)
    header = next((g.label for g in grps if g.values), "")
    order = applicant_order(header)
    if order is None:
        order = list(STANDARD_ORDER)
        if header:
            res.issues.append(
                Issue(
                    "header_unrecognised",
                    "warning",
                    "applications: applicant columns not recognised in the header; assuming the template's order",
                    ["applications"],
                )
            )
    found, issues = read_rows(table, grps)
    res.issues.extend(issues)
    n = len(order)
    idx = {k: i for i, k in enumerate(order)}
    sub = idx.get(SUBTOTAL_COLUMN.key)
    fixed: dict[str, Vector] = {}
    partial: dict[str, list[int | float | None]] = {}
    raws: dict[str, list[Value]] = {}
    unknown: set[str] = set()  # rows whose numbers are there but could not be read
    for key, g in found.items():
        vals = _fit(g, n)
        if vals is not None:
            fixed[key] = tuple(_numbers(vals, False))
            raws[key] = vals
        elif len(g.values) < n:
            partial[key] = _numbers(g.values, False)
        else:
            unknown.add(key)
            res.issues.append(
                _row_issue("unplaced_numbers", "applications", key, f"{len(g.values)} values for {n} columns", g.values)
            )
    # numbers under no row label may belong to any row: then no row's absence means "all empty",
    # and the column rules cannot be trusted to decide a placement (a wrong guess is worse than a gap)
    stray = any(i.rule == "unplaced_numbers" for i in issues)

    columns = [(k, idx[k]) for k in APPLICANT_KEYS]  # each fact's column in the printed order
    six = [idx[k] for k in APPLICANT_KEYS[:-1]]
    orgs = [idx[k] for k in ORGANISATION_KEYS]
    tot = idx["total"]

    def s(vec: Vector, cols: list[int]) -> float:
        return sum(vec[c] or 0 for c in cols)

    def row_ok(vec: Vector) -> bool:
        if (vec[tot] or 0) != s(vec, six):
            return False
        return sub is None or (vec[sub] or 0) == s(vec, orgs)

    results = result_rows(template)

    # A2 and A3 in every column: Σ result rows − total_processed = 0; new + carried over − processed − forward = 0.
    # An equation that involves a row whose numbers could not be read is no evidence for a placement.
    equations = [
        eq
        for eq in (
            {**dict.fromkeys(results, 1), "total_processed": -1},
            {"new_received": 1, "carried_over": 1, "total_processed": -1, "carried_forward": -1},
        )
        if not set(eq) & unknown
    ]

    placed: dict[str, tuple[int, ...]] = {}
    if partial:
        # numbers under no label may belong to any row: then each row is judged alone
        outcome = solve(partial, n, row_ok) if stray else solve(partial, n, row_ok, equations=equations, known=fixed)
        for key, positions in outcome.placed.items():
            placed[key] = tuple(positions)
        for key, count in outcome.ambiguous.items():
            unplaced = found[key]
            why = "no placement of its numbers fits the rules" if count == 0 else f"{count} placements fit"
            res.issues.append(
                _row_issue(
                    "ambiguous_row",
                    "applications",
                    key,
                    f"{len(unplaced.values)} values for {n} columns, {why}",
                    unplaced.values,
                )
            )

    for row in table.rows:
        printed = found.get(row.key)
        page = printed.page if printed else None
        if row.key in fixed:  # the common case: every cell printed; numbers already converted
            vals, nums = raws[row.key], fixed[row.key]
            scores = _scores(printed, vals)
            in_order = printed is not None and printed.in_order
            for key, i in columns:
                score = scores[i] if scores else None
                res.facts.append(
                    Fact("applications", row.key, key, nums[i], vals[i].raw or None, in_order, page, False, score)
                )
        else:
            cells: list[Value | None] = [None] * n
            cell_scores: list[float | None] = [None] * n
            inferred = row.key in placed
            if inferred and printed is not None:  # placed rows are printed rows
                for j, (pos, v) in enumerate(zip(placed[row.key], printed.values, strict=True)):
                    cells[pos], cell_scores[pos] = v, printed.score(j)
            for key in APPLICANT_KEYS:
                i = idx[key]
                res.facts.append(_fact("applications", row.key, key, cells[i], False, page, inferred, cell_scores[i]))
        if sub is not None and row.key in fixed:
            vec = fixed[row.key]
            if (vec[sub] or 0) != s(vec, orgs):
                res.issues.append(
                    Issue(
                        "A1",
                        "error",
                        f"{row.key}: 小计 ≠ sum of organisation columns: {vec[sub]} ≠ {s(vec, orgs)}",
                        [f"applications/{row.key}/{k}" for k in ORGANISATION_KEYS],
                        expected=s(vec, orgs),
                        actual=vec[sub],
                    )
                )
    res.issues.extend(rows_not_read(table, found, lines))
    return res


def rows_not_read(table: Table, found: dict[str, Group], lines: Sequence[Line]) -> list[Issue]:
    """The layout's rows whose label the table never printed (or printed unrecognisably).

    A row printed with blank cells is there (its cells are null by the document's word); a row
    whose label is nowhere is lost, and the loss is named cell by cell so it is never mistaken for
    blanks. A table with no row read at all is lost whole: an error, not a gap.
    """
    text = normalize("".join(c for ln in lines for c in ln.cells if c))
    missing = [
        row for row in table.rows if row.key not in found and not any(p.lstrip("=") in text for p in row.phrases)
    ]
    if not missing:
        return []
    cells = [f"{table.key}/{row.key}/{col.key}" for row in missing for col in row.columns]
    names = ", ".join(row.key for row in missing)
    if not found:
        return [Issue("table_not_read", "error", f"{table.key}: no row of the table could be read", cells)]
    return [Issue("rows_not_read", "warning", f"{table.key}: rows not found in the document: {names}", cells)]


def read_review(table: Table, lines: Sequence[Line]) -> TableResult:
    """The fifteen numbers of 四、 in order: review ×5, direct ×5, after review ×5.

    Some agencies print the table turned, one row per 行政复议 / 直接起诉 / 复议后起诉: when there are
    three grid rows of five and their labels name three different rows, each goes where it says.
    """
    res = TableResult()
    grps = [g for g in groups(lines) if g.values]
    in_table = [g for g in grps if g.grid]
    if len(in_table) < len(grps) and sum(len(g.values) for g in in_table) == len(table.rows) * len(OUTCOME_COLUMNS):
        # the table's rows hold the fifteen cells; numbers in the prose that follows (a section
        # heading lost by a PDF→Markdown tool lets 五's text run on here) are not cells of it
        grps = in_table
    by_label = _review_rows(table, grps)
    if by_label is not None:
        grps = by_label
    values = [v for g in grps for v in g.values]
    read_scores = [g.score(j) for g in grps for j in range(len(g.values))]
    grid = bool(grps) and all(g.grid for g in grps)
    page = grps[0].page if grps else None
    cols = [c.key for c in OUTCOME_COLUMNS]
    n = len(table.rows) * len(cols)
    if grid and len(values) > n:
        values = _fit(Group(values, True, page), n) or values
    cells: list[Value | None] = [None] * n
    cell_scores: list[float | None] = [None] * n
    inferred = False
    if len(values) == n:
        cells = list(values)
        if len(read_scores) == n:  # not trimmed: the values as read
            cell_scores = read_scores
    elif values and len(values) < n and not grid:
        width = len(cols)

        def row_ok(vec: Vector) -> bool:
            return all(
                (vec[r * width + width - 1] or 0) == sum(vec[r * width + c] or 0 for c in range(width - 1))
                for r in range(len(table.rows))
            )

        outcome = solve({"review_litigation": _numbers(values, False)}, n, row_ok)
        if "review_litigation" in outcome.placed:
            for pos, v, score in zip(outcome.placed["review_litigation"], values, read_scores, strict=True):
                cells[pos], cell_scores[pos] = v, score
            inferred = True
        else:
            count = outcome.ambiguous["review_litigation"]
            why = "no placement fits R1" if count == 0 else f"{count} placements fit R1"
            res.issues.append(
                _row_issue(
                    "ambiguous_row", "review_litigation", "all", f"{len(values)} values for {n} cells, {why}", values
                )
            )
    elif values:
        res.issues.append(
            _row_issue("unplaced_numbers", "review_litigation", "all", f"{len(values)} values for {n} cells", values)
        )
    for r, row in enumerate(table.rows):
        for c, col in enumerate(cols):
            k = r * len(cols) + c
            res.facts.append(_fact("review_litigation", row.key, col, cells[k], False, page, inferred, cell_scores[k]))
    return res


def _review_rows(table: Table, grps: list[Group]) -> list[Group] | None:
    """The groups in template order when the table is printed one row per kind of case, else None."""
    width = len(OUTCOME_COLUMNS)
    if len(grps) != len(table.rows) or not all(g.grid for g in grps):
        return None
    fitted = [_fit(g, width) for g in grps]
    if any(f is None for f in fitted):
        return None
    m = matcher(table)
    placed: dict[str, Group] = {}
    for g, vals in zip(grps, fitted, strict=True):
        row = m.match(g.label, placed)
        if row is None:
            return None
        placed[row] = Group(list(vals or ()), True, g.page, g.label)
    return [placed[r.key] for r in table.rows]
