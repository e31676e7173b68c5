"""A read document → a :class:`Report`: sections, template, tables, metadata, checks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .checks import run_checks, unplaced_prefixes
from .document import Document, Line
from .metadata import Title, find_capture_date, find_date, parse_title
from .model import Fact, Issue, Report
from .prose import check_prose
from .tables import TableResult, read_active, read_applications, read_review
from .template import (
    SECTIONS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATE_DEFS,
    TEMPLATE_LEGACY,
    TEMPLATE_MIXED,
    TEXT_SECTIONS,
    Section,
)
from .text import looks_traditional, squash, to_simplified

_HEADING = re.compile(r"^[(（]?([一二三四五六七八])[)）、.．,，]")
_ORDINALS = {s.ordinal: s for s in SECTIONS}
_HEADING_START = frozenset("一二三四五六七八(（")
# Marks a PDF→Markdown tool (or an editor) puts around a heading: ``## 二、…``, ``**二、…**``, ``> …``
_MARKDOWN_MARKS = frozenset("#*>")
_MARKS = re.compile(r"^[#*>\s]+|[*\s]+$")
_WHITE = re.compile(r"[\s\u3000\u00a0]+")


def line_text(line: Line) -> str:
    return " ".join([c for c in line.cells if c]) if line.grid else "".join(line.cells)


def find_sections(lines: Sequence[Line]) -> dict[str, int]:
    """Index of the heading line of each section found, in document order."""
    found: dict[str, int] = {}
    last = -1
    for i, line in enumerate(lines):
        cells = line.cells
        first = cells[0] if cells and cells[0] else next((c for c in cells if c), "")
        if not first or len(first) > 60:
            continue
        start = first[0]
        if start.isspace() or start in _MARKDOWN_MARKS:
            first = _MARKS.sub("", first)
            start = first[:1]
        if start not in _HEADING_START:  # most lines: no squash, no regex
            continue
        t = squash(first)
        m = _HEADING.match(t)
        if not m:
            continue
        section = _section_of_heading(t, m.group(1), found)
        if section is not None and i > last:
            found[section.key] = i
            last = i
    return found


def _section_of_heading(heading: str, ordinal: str, found: dict[str, int]) -> Section | None:
    """The section a numbered heading opens: the one of its ordinal whose phrases it holds, else
    (``一、主动公开政府信息情况`` in a report numbered 一/二/三 without 总体情况's heading, or with a
    section of its own inserted) the first section not yet found whose phrases it holds. Only a
    plain ``X、`` heading may stray from its ordinal: ``（二）主动公开…`` is a paragraph's subheading."""
    own = _ORDINALS.get(ordinal)
    if own is not None and own.key not in found and any(p in heading for p in own.phrases):
        return own
    if heading[:1] in "(（":
        return None
    return next(
        (s for s in SECTIONS if s.key not in found and s is not own and any(p in heading for p in s.phrases)), None
    )


def detect_template(text: str) -> str | None:
    """``2021`` / ``2019`` from the markers the document's own headers carry, else None."""
    t = _WHITE.sub("", text)  # the markers are plain CJK: no NFKC needed over the whole tables' text
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
    report.issues.extend(doc.issues)
    sample = "".join([c for ln in lines[:400] for c in ln.cells])
    if looks_traditional(sample):
        lines = [Line([to_simplified(c) for c in ln.cells], ln.grid, ln.page) for ln in lines]
    heads = find_sections(lines)
    order = sorted(heads.items(), key=lambda kv: kv[1])
    regions: dict[str, tuple[int, int]] = {}
    tail = _end_of_report(lines, order[-1][1] + 1 if order else 0)
    for n, (key, start) in enumerate(order):
        end = order[n + 1][1] if n + 1 < len(order) else tail
        regions[key] = (start + 1, end)

    _metadata(report, doc, lines, heads, tail)

    table_text = (
        "".join(
            [
                line_text(ln)
                for key in ("active_disclosure", "applications")
                if key in regions
                for ln in lines[regions[key][0] : regions[key][1]]
            ]
        )
        or sample
    )
    template = detect_template(table_text)
    for key in TEXT_SECTIONS:
        if key in regions:
            a, b = regions[key]
            report.sections[key] = _section_text(lines[a:b], report.agency)

    if template is None:
        if {"overview", "other_matters"} <= heads.keys() and len(heads) >= 4:
            # the 2019/2021 structure (一、总体情况 … 六、其他需要报告的事项) without table text: the
            # tables are pictures (图片版) or were lost in conversion. Not legacy; not guessed either.
            report.issues.append(
                Issue(
                    "tables_not_found",
                    "error",
                    "sections follow the 2019/2021 template but no table text was found (tables as images?)",
                    ["active", "applications", "review_litigation"],
                )
            )
            return report
        if not heads and _titles_listed(lines[:tail]) > 1:
            # an index page: several reports' titles (other years, other agencies), no report text
            report.title = report.agency = report.year = None
            report.issues.append(
                Issue("not_a_report", "error", "a list of reports (several report titles, no report sections)")
            )
            return report
        if report.title is not None and not heads and _prose_chars(lines[:tail]) < MIN_LEGACY_PROSE:
            # the report's page, but the report is elsewhere (an attachment, a picture)
            report.issues.append(
                Issue("no_report_text", "error", "a report title but no report text on the page (attachment only?)")
            )
            return report
        if _TEMPLATE_LABELS.search(_WHITE.sub("", "".join(line_text(ln) for ln in lines[:tail]))):
            # the template's own row labels are there but no table could be read: a lost report,
            # never a free-form (legacy) one
            report.issues.append(
                Issue(
                    "tables_not_read",
                    "error",
                    "the document prints the template's table labels but no table could be read from it",
                    ["active", "applications", "review_litigation"],
                )
            )
            return report
        if report.title is not None or heads:
            report.template = TEMPLATE_LEGACY
            report.sections["full_text"] = "\n".join(line_text(ln) for ln in lines[:tail])
            report.issues.append(Issue("legacy", "info", "no 2019/2021 template tables: text and metadata only"))
        else:
            report.issues.append(
                Issue("not_a_report", "error", "no report title, section headings or template tables found")
            )
        return report

    layouts = table_layouts(lines, regions, template)
    report.template = template if len(set(layouts.values())) == 1 else TEMPLATE_MIXED
    results: dict[str, TableResult] = {}
    for section, reader in (
        ("active_disclosure", "active"),
        ("applications", "applications"),
        ("review_litigation", "review_litigation"),
    ):
        table = TEMPLATE_DEFS[layouts[reader]].table(reader)  # each table read by its own layout
        region = lines[regions[section][0] : regions[section][1]] if section in regions else []
        if not region:
            report.issues.append(Issue("missing_table", "error", f"section for table {reader} not found", [reader]))
        if reader == "active":
            results[reader] = read_active(table, region)
        elif reader == "applications":
            results[reader] = read_applications(table, layouts[reader], region)
        else:
            results[reader] = read_review(table, region)
    facts: list[Fact] = []
    for table_key in ("active", "applications", "review_litigation"):
        res = results[table_key]
        report.issues.extend(res.issues)
        facts.extend(res.facts)  # the readers give one fact per cell of the table, in its order
    report.facts = facts
    values = {(f.table, f.row, f.column): f.value for f in facts}
    report.issues.extend(_judged(run_checks(values, layouts["applications"]), report.issues))
    if "overview" in report.sections:
        report.issues.extend(check_prose(report.sections["overview"], values))
    return report


# What tells the two layouts apart inside one table: 二's column headings; 三's 其他处理 sub-rows (2021)
_ACTIVE_MARKERS = {
    TEMPLATE_2021: ("本年制发件数", "本年废止件数", "现行有效件数"),
    TEMPLATE_2019: ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "政府集中采购"),
}
_APPLICATIONS_2021 = ("逾期不补正", "收费通知", "不再处理其政府信息公开申请")
# the label directly followed by its numbers (white space gone), not by a sub-row's ordinal "1."
_OTHER_ROW_2019 = re.compile(r"其他处理\d+(?:[^\d.．、]|$)")


def table_layouts(lines: Sequence[Line], regions: dict[str, tuple[int, int]], template: str) -> dict[str, str]:
    """The layout (2021 or 2019) of each table, read from the table itself; ``template`` where it cannot tell.

    Real reports pair the 2021 table 二 with the 2019 table 三 or the reverse: each table is read by
    the layout it prints, and the report's template is ``mixed``. Table 四 is the same in both.
    """

    def text(section: str) -> str:
        if section not in regions:
            return ""
        a, b = regions[section]
        return _WHITE.sub("", "".join(line_text(ln) for ln in lines[a:b]))

    active_text = text("active_disclosure")
    found = [t for t, markers in _ACTIVE_MARKERS.items() if any(m in active_text for m in markers)]
    active = found[0] if len(found) == 1 else template
    applications_text = text("applications")
    if any(m in applications_text for m in _APPLICATIONS_2021):
        applications = TEMPLATE_2021
    elif _OTHER_ROW_2019.search(applications_text):
        applications = TEMPLATE_2019  # 其他处理 a row of numbers, without the 2021 sub-rows
    else:
        applications = template
    return {"active": active, "applications": applications, "review_litigation": template}


MIN_LEGACY_PROSE = 400
# labels only the 2019/2021 tables print; a free-form (pre-2019) report has none of them
_TEMPLATE_LABELS = re.compile(
    r"本年新收政府信息公开申请数量|上年结转政府信息公开申请数量|第二十条第[(（]一[)）]项"
)  # characters of prose a free-form (legacy) report has at the very least


def _prose_chars(lines: Sequence[Line]) -> int:
    """Characters in paragraph-length lines (menus, dates and link captions are short)."""
    return sum(n for ln in lines if not ln.grid and (n := len(line_text(ln))) > 40)


def _titles_listed(lines: Sequence[Line]) -> int:
    """How many different report titles the lines hold (a list page holds many)."""
    seen: set[tuple[str | None, int]] = set()
    for line in lines:
        for cell in line.cells:
            if "政府信息公开" in cell and "报告" in cell and (t := parse_title(cell)) is not None:
                seen.add((t.agency, t.year))
    return len(seen)


def _judged(findings: list[Issue], issues: Sequence[Issue]) -> list[Issue]:
    """Rule findings, minus those that rest on a row whose numbers could not be placed.

    A row left empty because its numbers were ambiguous would make A1/A2/A3/R1 fail for a gap of
    ours, not a fault of the report; those findings become one ``not_checked`` note instead.
    """
    gaps = unplaced_prefixes(issues)
    if not gaps:
        return findings
    kept = [f for f in findings if not any(c.startswith(gaps) for c in f.cells)]
    skipped = sorted({f.rule for f in findings if f not in kept})
    if skipped:
        kept.append(
            Issue(
                "not_checked",
                "info",
                f"rules {', '.join(skipped)} not judged where rows hold unplaced numbers",
                sorted({g.rstrip("/") for g in gaps}),
            )
        )
    return kept


_FURNITURE = re.compile(
    r"^(?:相关(?:文章|链接|阅读|新闻|信息)|【?打印本页|【?关闭窗口|主办(?:单位)?[:：]|版权所有|网站标识码|"
    r"[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]ICP备|上一篇|下一篇|分享到)"
)
_BARE_DATE = re.compile(r"^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$")


def _end_of_report(lines: Sequence[Line], start: int) -> int:
    """Index just past the report's last line: its signature date, or the page furniture after it.

    An HTML page goes on after the report (related articles, print links, the site footer); none
    of that belongs to 六、其他需要报告的事项.
    """
    for i in range(start, len(lines)):
        raw = line_text(lines[i])
        if len(raw) > 80:  # dates and footer lines are short; prose is not squashed for nothing
            continue
        t = squash(raw)
        if _BARE_DATE.match(t):
            return i + 1
        if _FURNITURE.match(t):
            return i
    return len(lines)


def _section_text(lines: Sequence[Line], agency: str | None) -> str:
    """A text section without the signature (agency name and date) that closes the report."""
    texts = [line_text(ln) for ln in lines]
    while texts and (_BARE_DATE.match(squash(texts[-1])) or (agency and squash(texts[-1]) == agency)):
        texts.pop()
    return "\n".join(texts).strip()


def _published(report: Report, doc: Document, head: Sequence[Line]) -> None:
    """The date the page prints (发布日期/公开日期: …) wins over the page's metadata (``<meta>``,
    which a site's template or a saved copy may fill with another date); a disagreement is said.
    A date only a capture label gives (抓取时间: …) is never taken (:func:`_capture_date_only`)."""
    meta = doc.meta.get("published")
    meta_date = find_date(meta) if meta else None
    printed = next((d for ln in head if (d := find_date(line_text(ln), labelled=True)) is not None), None)
    report.published = printed or meta_date
    if printed and meta_date and printed != meta_date:
        report.issues.append(
            Issue(
                "published_disagrees",
                "warning",
                f"the page prints {printed} as its date, its metadata says {meta_date}: the printed date is kept",
                ["published"],
            )
        )


def _capture_date_only(report: Report, head: Sequence[Line]) -> None:
    """No publication date found, but a capture label's (抓取时间: …): not taken, and said."""
    captured = next((d for ln in head if (d := find_capture_date(line_text(ln))) is not None), None)
    if captured is not None:
        report.issues.append(
            Issue(
                "published_untrusted",
                "warning",
                f"the only date near the title is when the page was saved ({captured}): published left empty",
                ["published"],
            )
        )


TITLE_LINES = 8  # a title set over several lines sits among the first lines of the report
_TITLE_END = re.compile(r"报告\s*(?:[(（][^()（）]{0,8}[)）]\s*)?$")


def _title_over_lines(head: Sequence[Line]) -> Title | None:
    """A title set over two or three lines (``2024 年上海市科委政府信息公开工作`` / ``年度报告``), as
    PDF→Markdown tools and copied text keep a PDF's title block; the shortest span wins, so a line
    above the title (``正文``) is not taken for part of the agency."""
    texts = [line_text(ln).strip() for ln in head]
    for span in (2, 3):
        for i in range(len(texts) - span + 1):
            joined = "".join(texts[i : i + span])
            if _TITLE_END.search(joined) and (title := parse_title(joined)) is not None:
                return title
    return None


def _metadata(report: Report, doc: Document, lines: Sequence[Line], heads: dict[str, int], tail: int) -> None:
    stop = heads.get("overview", min(heads.values(), default=min(len(lines), 60)))
    title = None
    if "title" in doc.meta:
        meta_title = doc.meta["title"]
        title = parse_title(to_simplified(meta_title) if looks_traditional(meta_title) else meta_title)
    if title is None:
        for line in reversed(lines[:stop]):
            title = parse_title(line_text(line))
            if title:
                break
    if title is None:
        title = _title_over_lines(lines[: min(stop, TITLE_LINES)])
    if title is None:
        for line in lines[stop : stop + 200]:
            if (title := parse_title(line_text(line))) is not None:
                break
    if title is None and "page_title" in doc.meta:
        title = parse_title(doc.meta["page_title"].split("_")[0].split("-")[0])
    if title is not None:
        report.title, report.agency, report.year = title.title, title.agency, title.year
    _published(report, doc, lines[:stop])
    if report.published is None:
        # the signature date at the foot of the report: 2023年1月17日
        for line in reversed(lines[max(0, tail - 8) : tail]):
            t = squash(line_text(line))
            if len(t) <= 16 and (d := find_date(t)) is not None:
                report.published = d
                break
    if report.published is None:
        _capture_date_only(report, lines[:stop])
