"""Text whose tables were run together on one line (crawler dumps) → one table row per line.

A crawler that saves a page's text with every tag stripped leaves the report as one long line:
``…二、主动公开政府信息情况 第二十条第（一）项信息内容…规章 000行政规范性文件693665第二十条…``.
The sections and rows are still there, found by their labels (the template's own words); the
cells are not: ``000`` under three columns can only be three zeros, but ``693665`` could be
69/36/65 or 6/93/665. So a row's digits are split into cells only where there are exactly as many
digits as the row has cells (every cell a single digit) or the dump kept spaces between them;
otherwise the row's numbers are dropped and an issue names its cells — never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from .model import Issue
from .template import SECTIONS, TEMPLATE_2019, TEMPLATE_2021, TEMPLATE_DEFS

RUN_ON_MIN_CHARS = 300  # a dumped report's line; no real paragraph holds two section headings
# the section headings of the template (一、总体情况 … 六、其他需要报告的事项), as printed: the
# phrase, then up to its closing word (…情况, or …计划 in "五、存在的主要问题及明年工作计划") if near
_SECTION = re.compile(
    r"[一二三四五六]、(?:"
    + "|".join(re.escape(p) for s in SECTIONS for p in s.phrases)
    + r"|政府信息公开行政法?复议)(?:[^\d（(]{0,12}?(?:情况|计划))?"
)
_ARTICLE = re.compile(r"第二十条第[(（][一二三四五六七八九十]+[)）]项")
# a row's numbers (a change may be negative: ``35-15``), before the next heading's text
_LEADING_NUMBERS = re.compile(r"^[\s\d.+\-−]+")
_DIGITS_ONLY = re.compile(r"\d")
# digits closing a piece of text no row label opens (``7.属于行政执法文书3000003``)
_TRAILING_NUMBER = re.compile(r"(?<=[^\d\s.])(\d+)\s*$")
# the ordinal of the next sub-row (``7.``) when its label is not one the template knows
_NEXT_ORDINAL = re.compile(r"\d\.$")
# a one-cell row's 0 with the next text's digits run on: no number is printed with a leading zero
_ZERO_RUN_ON = re.compile(r"0\d+")
# 四's cells: the digits after the last column heading (总计), before any text that follows them
_REVIEW_CELLS = re.compile(r"总计([\d\s]+)")


@dataclass(slots=True)
class RunOn:
    text: str
    issues: list[Issue] = field(default_factory=list)


def _labels(template: str) -> list[tuple[str, str | None, str, int]]:
    """(printed label, row key or None for a group heading, table, cell count), longest first."""
    out: list[tuple[str, str | None, str, int]] = []
    definition = TEMPLATE_DEFS[template]
    for table_key in ("active", "applications"):
        for row in definition.table(table_key).rows:
            parts = row.label.split(" ")
            for part in parts[:-1]:
                out.append((part, None, table_key, 0))
            out.append((parts[-1], row.key, table_key, len(row.columns)))
            # the row's other printed names: ``行政执法案件`` for 案卷, and in 二 ``规范性文件`` for 行政规范性文件
            out.extend(
                (p, row.key, table_key, len(row.columns))
                for p in row.phrases
                if len(p) >= 4 and p != parts[-1] and (table_key == "active" or p not in parts[-1])
            )
    return sorted(out, key=lambda t: -len(t[0]))


def is_run_on(line: str) -> bool:
    """A line holding at least the headings of 二 and 三 is a dumped report, not a paragraph."""
    return len(line) >= RUN_ON_MIN_CHARS and len({m.group()[0] for m in _SECTION.finditer(line)}) >= 2


def split_run_on(line: str) -> RunOn:
    """Break a dumped report's line at its section headings and table rows; read what can be read."""
    template = TEMPLATE_2019 if "本年新制作数量" in line or "对外公开总数量" in line else TEMPLATE_2021
    labels = _labels(template)
    label_re = re.compile("|".join(re.escape(lab) for lab, *_ in labels))
    by_label = {lab: (key, table, n) for lab, key, table, n in labels}
    heads = [m.start() for m in _SECTION.finditer(line)]
    tables_start = next((h for h in heads if line[h] == "二"), None)
    review_start = next((h for h in heads if line[h] == "四" and h > (tables_start or 0)), None)
    tables_end = next((h for h in heads if line[h] == "五" and h > (review_start or 0)), len(line))
    if tables_start is None:
        return RunOn(line)
    out = RunOn("")
    pieces = _headed(line[:tables_start])
    stop = review_start if review_start is not None else tables_end
    pieces.extend(_rows(line[tables_start:stop], label_re, by_label, out.issues))
    if review_start is not None:
        pieces.append(_review(line[review_start:tables_end], out.issues))
    pieces.extend(_headed(line[tables_end:]))
    out.text = "\n".join(p.strip() for p in pieces if p.strip())
    return out


def _headed(text: str) -> list[str]:
    """Text around the tables, each section heading on a line of its own (一 before, 五/六 after)."""
    cuts = sorted({0, len(text)} | {i for m in _SECTION.finditer(text) for i in (m.start(), m.end())})
    return [text[a:b] for a, b in pairwise(cuts)]


def _rows(text: str, label_re: re.Pattern[str], by_label: dict, issues: list[Issue]) -> list[str]:
    """The tables of 二 and 三: a line per heading, article and row label, with the row's cells."""
    cuts = sorted(
        {0}
        | {i for m in _SECTION.finditer(text) for i in (m.start(), m.end())}
        | {m.start() for m in _ARTICLE.finditer(text)}
        | {m.start() for m in label_re.finditer(text)}
    )
    lines: list[str] = []
    for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True):
        chunk = text[a:b]
        m = label_re.match(chunk)
        if m is None or by_label[m.group()][0] is None:
            lines.append(_TRAILING_NUMBER.sub(r" \1", chunk))  # numbers under no label: apart, to be reported
            continue
        key, table, n = by_label[m.group()]
        lines.append(m.group() + " " + _cells(chunk[m.end() :], f"{table}/{key}", n, issues))
    return lines


def _cells(rest: str, where: str, n: int, issues: list[Issue]) -> str:
    """A row's numbers as space-separated cells, or nothing (and an issue) if they cannot be told apart."""
    lead = _LEADING_NUMBERS.match(rest)
    if lead is None or not _DIGITS_ONLY.search(lead.group()):
        return rest.strip()  # no numbers: a heading or text the table reader judges itself
    raw, tail = lead.group().strip(), rest[lead.end() :].strip()
    ordinal = _NEXT_ORDINAL.search(raw)
    if ordinal is not None and tail and not tail[0].isdigit():  # ``00000007.属于…``: row 7's number
        raw, tail = raw[: ordinal.start()].strip(), raw[ordinal.start() :] + tail
    if n == 1 and _ZERO_RUN_ON.fullmatch(raw):  # ``02025年，我局…``: 0, then the text's year
        raw, tail = "0", raw[1:] + tail
    cells = _split_cells(raw, where, n, issues)
    return f"{cells}\n{tail}" if tail else cells


def _split_cells(raw: str, where: str, n: int, issues: list[Issue]) -> str:
    if n == 1 or "." in raw:
        return raw  # one cell (``2293``, ``24252.311082``): as printed
    tokens = raw.split()
    if len(tokens) == n:
        return raw
    digits = _DIGITS_ONLY.findall(raw)
    if len(digits) == n:
        return " ".join(digits)
    issues.append(
        Issue(
            "cells_run_together",
            "error",
            f"{where}: its cells are run together ({raw!r}, {len(digits)} digits for {n} cells); not read",
            [where],
        )
    )
    return ""


def _review(text: str, issues: list[Issue]) -> str:
    """四: the column headings, then fifteen cells (review, direct litigation, after review)."""
    m = _last(_REVIEW_CELLS, text) or re.search(r"[\d\s]+$", text)
    if m is None or not _DIGITS_ONLY.search(m.group(m.lastindex or 0)):
        return text
    at = m.start(m.lastindex or 0)
    head, raw, tail = text[:at], m.group(m.lastindex or 0).strip(), text[m.end() :].strip()
    heading = _SECTION.match(head)
    if heading is not None:  # the heading on its own line, as find_sections wants it
        head = head[: heading.end()] + "\n" + head[heading.end() :]
    tokens = raw.split()
    digits = _DIGITS_ONLY.findall(raw)
    if len(tokens) == 15:
        cells = raw
    elif len(digits) == 15:
        cells = " ".join(digits)
    else:
        issues.append(
            Issue(
                "cells_run_together",
                "error",
                f"review_litigation: its cells are run together ({raw!r}, {len(digits)} digits for 15 cells); not read",
                ["review_litigation"],
            )
        )
        return "\n".join(p for p in (head, tail) if p)
    return "\n".join(p for p in (head, cells, tail) if p)


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text``, if any."""
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None
