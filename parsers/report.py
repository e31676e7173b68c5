"""A read document → a :class:`Report`: sections, template, tables, metadata, checks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .checks import run_checks
from .document import Document, Line
from .metadata import find_date, parse_title
from .model import Fact, Issue, Report
from .prose import check_prose
from .tables import TableResult, read_active, read_applications, read_review
from .template import (
    SECTIONS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATE_DEFS,
    TEMPLATE_LEGACY,
    TEXT_SECTIONS,
)
from .text import looks_traditional, squash, to_simplified

_HEADING = re.compile(r"^[(（]?([一二三四五六])[)）、.．,，]")
_ORDINALS = {s.ordinal: s for s in SECTIONS}
_NOT_HEADING_START = frozenset(chr(c) for c in range(33, 128) if chr(c) != "(")


def line_text(line: Line) -> str:
    return " ".join(c for c in line.cells if c) if line.grid else "".join(line.cells)


def find_sections(lines: Sequence[Line]) -> dict[str, int]:
    """Index of the heading line of each section found, in document order."""
    found: dict[str, int] = {}
    last = -1
    for i, line in enumerate(lines):
        cells = line.cells
        first = cells[0] if cells and cells[0] else next((c for c in cells if c), "")
        if not first or len(first) > 60:
            continue
        c0 = first[0]
        if c0 in _NOT_HEADING_START or ("\u4e00" <= c0 <= "\u9fff" and c0 not in "一二三四五六"):
            continue  # a number or a label: NFKC leaves ASCII and CJK ideographs as they are
        head = squash(first[:12])  # a heading shows in its first characters: most lines stop here
        if len(head) >= 4 and not _HEADING.match(head):
            continue
        t = squash(first)
        m = _HEADING.match(t)
        if not m:
            continue
        section = _ORDINALS[m.group(1)]
        if section.key in found or not any(p in t for p in section.phrases):
            continue
        if i > last:
            found[section.key] = i
            last = i
    return found


def detect_template(text: str) -> str | None:
    """``2021`` / ``2019`` from the markers the document's own headers carry, else None."""
    t = squash(text)
    scores = {key: sum(m in t for m in d.markers) for key, d in TEMPLATE_DEFS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0:
        return None
    if scores[TEMPLATE_2021] == scores[TEMPLATE_2019]:
        return TEMPLATE_2021 if "本年制发件数" in t else TEMPLATE_2019
    return best


def build_report(doc: Document, source: str) -> Report:
    """Everything the parser gets from one read document."""
    lines = doc.lines
    report = Report(source=source, format=doc.format, encoding=doc.encoding)
    sample = "".join(["".join(ln.cells) for ln in lines[:400]])
    if looks_traditional(sample):
        lines = [Line([to_simplified(c) for c in ln.cells], ln.grid, ln.page) for ln in lines]
    heads = find_sections(lines)
    order = sorted(heads.items(), key=lambda kv: kv[1])
    regions: dict[str, tuple[int, int]] = {}
    for n, (key, start) in enumerate(order):
        end = order[n + 1][1] if n + 1 < len(order) else len(lines)
        regions[key] = (start + 1, end)

    _metadata(report, doc, lines, heads)

    table_text = "".join(
        line_text(ln) for key in ("active_disclosure", "applications") if key in regions
        for ln in lines[regions[key][0]: regions[key][1]]
    ) or sample
    template = detect_template(table_text)
    for key in TEXT_SECTIONS:
        if key in regions:
            a, b = regions[key]
            report.sections[key] = "\n".join(line_text(ln) for ln in lines[a:b]).strip()

    if template is None:
        if report.title is not None or heads:
            report.template = TEMPLATE_LEGACY
            if not heads:
                report.sections["full_text"] = "\n".join(line_text(ln) for ln in lines)
            report.issues.append(Issue("legacy", "info", "no 2019/2021 template tables: text and metadata only"))
        else:
            report.issues.append(Issue("not_a_report", "error",
                                       "no report title, section headings or template tables found"))
        return report

    report.template = template
    definition = TEMPLATE_DEFS[template]
    results: dict[str, TableResult] = {}
    for section, reader in (("active_disclosure", "active"), ("applications", "applications"),
                            ("review_litigation", "review_litigation")):
        table = definition.table(reader)
        region = lines[regions[section][0]: regions[section][1]] if section in regions else []
        if not region:
            report.issues.append(Issue("missing_table", "error", f"section for table {reader} not found",
                                       [reader]))
        if reader == "active":
            results[reader] = read_active(table, region)
        elif reader == "applications":
            results[reader] = read_applications(table, template, region)
        else:
            results[reader] = read_review(table, region)
    facts: list[Fact] = []
    for table_key, table in definition.tables.items():
        res = results[table_key]
        report.issues.extend(res.issues)
        for row, col in table.cells:
            facts.append(res.facts[(row, col)])
    report.facts = facts
    values = {(f.table, f.row, f.column): f.value for f in facts}
    report.issues.extend(run_checks(values, template))
    if "overview" in report.sections:
        report.issues.extend(check_prose(report.sections["overview"], values))
    return report


def _metadata(report: Report, doc: Document, lines: Sequence[Line], heads: dict[str, int]) -> None:
    stop = heads.get("overview", min(heads.values(), default=min(len(lines), 60)))
    title = None
    if "title" in doc.meta:
        title = parse_title(doc.meta["title"])
    if title is None:
        for line in reversed(lines[:stop]):
            title = parse_title(line_text(line))
            if title:
                break
    if title is None:
        for line in lines[stop: stop + 200]:
            if (title := parse_title(line_text(line))) is not None:
                break
    if title is None and "page_title" in doc.meta:
        title = parse_title(doc.meta["page_title"].split("_")[0].split("-")[0])
    if title is not None:
        report.title, report.agency, report.year = title.title, title.agency, title.year
    published = doc.meta.get("published")
    report.published = find_date(published) if published else None
    if report.published is None:
        for line in lines[:stop]:
            if (d := find_date(line_text(line), labelled=True)) is not None:
                report.published = d
                break
    if report.published is None:
        # the signature date at the foot of the report: 2023年1月17日
        for line in reversed(lines[-8:]):
            t = squash(line_text(line))
            if len(t) <= 16 and (d := find_date(t)) is not None:
                report.published = d
                break
