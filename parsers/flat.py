"""Plain-text renderings of a report → :class:`Document`.

Three shapes reach us: one cell per line (HTML flattened, empty cells gone), cells separated by
``|`` or tabs (extractors, copy-paste; empty cells kept as empty separators), and several cells to
a line separated by spaces (PDF text). The PDF reader uses :func:`split_line` too.
"""

from __future__ import annotations

import re

from .document import Document, Line
from .encoding import decode
from .runon import is_run_on, split_run_on
from .text import parse_value

_BAR = re.compile(r"[|｜]")
_RULE = re.compile(r"^[|｜]?\s*:?-{3,}:?\s*(?:[|｜]\s*:?-{3,}:?\s*)*[|｜]?$")
_WS = re.compile(r"[ \u3000\u00a0]+")
_ORDINAL_TAIL = re.compile(r"^[.、．)）]")
# Page furniture that would otherwise pass for table numbers: "- 3 -", "— 3 —", "第 3 页 共 5 页", "3/5".
# PDF text has it, and so has what other tools made of a PDF (PDF→Markdown, copied text).
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|[Pp]age\s*\d{1,3}(?:\s*of\s*\d{1,3})?)\s*$"
)


def split_line(line: str) -> Line | None:
    """One text line → a Line; None for a blank line or a Markdown rule (``|---|:--:|``)."""
    stripped = line.strip()
    if not stripped:
        return None
    if "\t" in line:
        # copied from a browser or a spreadsheet: every tab separates two cells, so leading and
        # trailing tabs are empty cells of the row (only the line break and spaces go)
        return Line([c.strip() for c in line.strip("\r\n ").split("\t")], grid=True)
    if "|" in stripped or "｜" in stripped:
        if _RULE.match(stripped):
            return None
        inner = stripped[1:] if stripped[0] in "|｜" else stripped
        inner = inner[:-1] if inner and inner[-1] in "|｜" else inner
        # "| a |  | b |" keeps its inner empties; a lone label line with a stray bar does not matter
        return Line([c.strip() for c in _BAR.split(inner)], grid=True)
    if " " not in stripped and "\u3000" not in stripped and "\u00a0" not in stripped:
        return Line([stripped])  # one cell to the line, the flattened page's case: no split needed
    tokens = _WS.split(stripped)
    if len(tokens) == 1:
        return Line(tokens)
    return Line(merge_tokens(tokens))


def merge_tokens(tokens: list[str]) -> list[str]:
    """Join neighbouring label tokens (``商 业 企 业`` → ``商业企业``); numbers stay separate cells.

    A number followed by ``.``/``、`` is an ordinal (``1 . 属于国家秘密``), so it joins the label.
    """
    cells: list[str] = []
    label: list[str] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        is_value = parse_value(tok) is not None
        if is_value and i + 1 < n and _ORDINAL_TAIL.match(tokens[i + 1]):
            is_value = False
        if is_value:
            if label:
                cells.append(_join(label))
                label = []
            cells.append(tok)
        else:
            label.append(tok)
    if label:
        cells.append(_join(label))
    return cells


def _cjk(ch: str) -> bool:
    return ch >= "\u2e80"


def _join(tokens: list[str]) -> str:
    """Rejoin label tokens: no space between CJK characters (spaced-out PDF text), one elsewhere."""
    out = tokens[0]
    for tok in tokens[1:]:
        out += tok if _cjk(out[-1]) and _cjk(tok[0]) else " " + tok
    return out


def read_text(data: bytes | str, content_type: str | None = None) -> Document:
    """Read a plain-text report in any of the three shapes (UTF-8 or GBK)."""
    if isinstance(data, bytes):
        text, encoding = decode(data, content_type)
    else:
        text, encoding = data, None
    lines: list[Line] = []
    issues = []
    for raw in text.splitlines():
        if is_run_on(raw):  # a crawler's dump: the whole report on one line
            run_on = split_run_on(raw)
            issues.extend(run_on.issues)
            lines.extend(ln for part in run_on.text.split("\n") if (ln := split_line(part)) is not None)
        elif PAGE_NUMBER.match(raw):
            continue  # "— 4 —" between a table's rows is not three cells of it
        elif (ln := split_line(raw)) is not None:
            lines.append(ln)
    return Document(lines, "text", encoding, issues=issues)
