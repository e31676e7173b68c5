"""Synthetic annual reports and the forms agencies publish them in, for tests and benchmarks.

:func:`random_report` makes a :class:`govreports.parsers.Report` whose numbers look like real ones (mostly
small counts, many zeros, now and then hundreds or thousands; fees in 万元 with decimals) and
satisfy the template's rules A1/A2/A3/R1 — or break exactly the rules asked for. The renderers
print it the way real pages do:

- :func:`render_html` — a whole page: navigation and breadcrumb around the article, sections
  一…六 with prose, and the three tables in the official layout (two/three-row headers with
  rowspan/colspan, ``三、本年度办理结果`` and ``（三）不予公开`` spanning their rows, cells
  wrapped in ``<p><span>`` as Word exports do), UTF-8 or GBK;
- :func:`render_flat` — that page flattened one cell per line (``shared/fixtures/jiaxing-eib-2022.txt``):
  empty cells vanish, ``商业``/``企业`` split over two lines;
- :func:`render_pipes` — one table row a line, cells separated by `` | ``, empty cells kept.

Every label comes from :mod:`govreports.parsers.template`; only the layout (which row spans what, the
``第二十条第（X）项`` items of the active table) is known here.
"""

from __future__ import annotations

import html
import random
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from govreports.parsers import (
    APPLICANT_KEYS,
    OUTCOME_COLUMNS,
    SECTIONS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATE_DEFS,
    Fact,
    Report,
    Table,
    result_rows,
)

RULE_IDS = ("A1", "A2", "A3", "R1")
PLACEHOLDER_CHOICES = ("—", "-", "/", "无")

# The 条例 第二十条 item each row of the active table is printed under (layout, not a label).
_ARTICLE_ITEM = {
    "regulations": "（一）",
    "normative_documents": "（一）",
    "licensing": "（五）",
    "other_services": "（五）",
    "penalty": "（六）",
    "coercion": "（六）",
    "fees": "（八）",
    "procurement": "（九）",
}
_ARTICLE = "第二十条第{}项"
_CONTENT_HEADER = "信息内容"
_APPLICATIONS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_APPLICANTS = "申请人情况"

_CITIES = (
    "嘉兴市",
    "杭州市",
    "宁波市",
    "湖州市",
    "绍兴市",
    "金华市",
    "衢州市",
    "台州市",
    "丽水市",
    "温州市",
    "舟山市",
    "苏州市",
    "无锡市",
    "常州市",
    "南通市",
    "合肥市",
    "芜湖市",
    "福州市",
    "厦门市",
    "成都市",
)
_COUNTIES = (
    "海盐县",
    "平湖市",
    "桐乡市",
    "嘉善县",
    "海宁市",
    "德清县",
    "长兴县",
    "安吉县",
    "诸暨市",
    "嵊州市",
    "余姚市",
    "慈溪市",
    "象山县",
    "义乌市",
    "永康市",
    "临海市",
    "温岭市",
    "瑞安市",
    "乐清市",
    "江山市",
)
_DEPARTMENTS = (
    "经济和信息化局",
    "生态环境局",
    "财政局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "市场监督管理局",
    "卫生健康委员会",
    "教育局",
    "民政局",
    "人力资源和社会保障局",
    "司法局",
    "农业农村局",
    "商务局",
    "文化广电旅游局",
    "应急管理局",
    "统计局",
    "医疗保障局",
    "审计局",
    "水利局",
)
_OVERVIEW_PARAS = (
    "（一）主动公开情况。围绕中心工作，通过门户网站公开政策文件、工作动态等信息，及时发布政策解读材料。",
    "（二）依申请公开情况。严格按照法定程序和时限办理政府信息公开申请，做到依法受理、按时答复。",
    "（三）政府信息管理情况。严格落实信息发布审核制度，按照“谁公开、谁审查、谁负责”的原则做好保密审查。",
    "（四）平台建设情况。持续优化门户网站栏目设置，完成网站适老化和无障碍改造，提升用户体验。",
    "（五）监督保障情况。将政务公开工作纳入年度目标考核，加强业务培训，落实专人负责信息公开工作。",
)
_PROBLEMS_PARAS = (
    "（一）存在的主要问题。政策解读的形式还不够丰富，公开内容的深度和广度有待进一步提升。",
    "（二）改进措施。进一步完善信息发布审核机制，丰富政策解读形式，提高政务公开工作的规范化水平。",
)
_OTHER_PARAS = (
    "本机关{year}年未收取政府信息公开信息处理费。",
    "本年度无其他需要报告的事项。",
)


# --- reports ----------------------------------------------------------------------------------


def random_agency(rng: random.Random) -> str:
    """A plausible agency name: a city or county government or one of its departments."""
    place = rng.choice(_CITIES if rng.random() < 0.6 else _COUNTIES)
    if rng.random() < 0.15:
        return place + "人民政府"
    return place + rng.choice(_DEPARTMENTS)


def _count(rng: random.Random, zero: float = 0.6, scale: int = 12) -> int:
    """A count as reports print them: mostly 0, else small, now and then hundreds or thousands."""
    r = rng.random()
    if r < zero:
        return 0
    if r < 0.97:
        return rng.randint(1, scale)
    return rng.randint(100, 5000)


def _money(rng: random.Random) -> tuple[int | float, str]:
    """A 万元 amount and its printed form: often 0, else a decimal with up to two places."""
    if rng.random() < 0.5:
        return 0, "0"
    cents = rng.randint(1, 2_000_000) if rng.random() < 0.1 else rng.randint(1, 50_000)
    text = f"{cents / 100:.2f}".rstrip("0").rstrip(".")
    value = float(text)
    return (int(value) if value == int(value) else value), text


def _spread(rng: random.Random, total: int, parts: int, zero: float = 0.55) -> list[int]:
    """Split ``total`` over ``parts`` weighted cells, most of them zero, the first ones likeliest."""
    out = [0] * parts
    if total == 0:
        return out
    weights = [0.0 if rng.random() < zero else rng.random() * (3.0 if i == 0 else 1.0) for i in range(parts)]
    if not any(weights):
        weights[0] = 1.0
    live = [i for i, w in enumerate(weights) if w]
    for _ in range(min(total, 200)):
        out[rng.choices(live, [weights[i] for i in live])[0]] += 1
    if total > 200:  # big numbers: give the rest in proportion, then the remainder to the first
        rest = total - 200
        wsum = sum(weights)
        for i in live:
            out[i] += int(rest * weights[i] / wsum)
        out[live[0]] += total - sum(out)
    return out


def _applications(rng: random.Random, template: str) -> dict[tuple[str, str], int]:
    """The applications table, column by column, so that A1/A2/A3 hold."""
    results = result_rows(template)
    cells: dict[tuple[str, str], int] = {}
    busy = rng.random()
    scale = 6 if busy < 0.5 else 40 if busy < 0.92 else 900
    for i, col in enumerate(APPLICANT_KEYS[:-1]):
        # natural persons file most applications; organisations mostly none
        new = rng.randint(0, scale) if i == 0 else 0 if rng.random() < 0.7 else rng.randint(0, max(1, scale // 8))
        over = 0 if rng.random() < 0.7 else rng.randint(0, max(1, (new + 3) // 4))
        forward = 0 if rng.random() < 0.7 else rng.randint(0, new + over)
        processed = new + over - forward
        cells[("new_received", col)] = new
        cells[("carried_over", col)] = over
        cells[("carried_forward", col)] = forward
        cells[("total_processed", col)] = processed
        # 予以公开 and 无法提供/不掌握 take most; the rest are rare
        for row, n in zip(results, _spread(rng, processed, len(results)), strict=True):
            cells[(row, col)] = n
    for row in ("new_received", "carried_over", *results, "total_processed", "carried_forward"):
        cells[(row, "total")] = sum(cells[(row, c)] for c in APPLICANT_KEYS[:-1])
    return cells


def _review(rng: random.Random) -> dict[tuple[str, str], int]:
    cells: dict[tuple[str, str], int] = {}
    parts = [c.key for c in OUTCOME_COLUMNS if c.key != "total"]
    for row in ("review", "litigation_direct", "litigation_after_review"):
        for col in parts:
            cells[(row, col)] = _count(rng, zero=0.75, scale=5)
        cells[(row, "total")] = sum(cells[(row, c)] for c in parts)
    return cells


def _active(rng: random.Random, template: str) -> dict[tuple[str, str], tuple[int | float, str]]:
    cells: dict[tuple[str, str], tuple[int | float, str]] = {}

    def put(row: str, col: str, value: int | float, text: str | None = None) -> None:
        cells[(row, col)] = (value, str(value) if text is None else text)

    if template == TEMPLATE_2021:
        for row, scale in (("regulations", 3), ("normative_documents", 20)):
            issued = _count(rng, zero=0.5 if row == "normative_documents" else 0.85, scale=scale)
            repealed = _count(rng, zero=0.7, scale=max(1, scale // 2))
            put(row, "issued", issued)
            put(row, "repealed", repealed)
            put(row, "in_force", issued + rng.randint(0, scale * 5))
        for row in ("licensing", "penalty", "coercion"):
            put(row, "decisions", _count(rng, zero=0.45, scale=60))
        put("fees", "amount_10k_yuan", *_money(rng))
    else:
        for row, scale in (("regulations", 3), ("normative_documents", 20)):
            made = _count(rng, zero=0.6, scale=scale)
            put(row, "made", made)
            put(row, "published", made)
            put(row, "total_published", made + rng.randint(0, scale * 5))
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            last = _count(rng, zero=0.5, scale=30)
            change = rng.randint(-min(last, 3), 3) if rng.random() < 0.4 else 0
            put(row, "items_last_year", last)
            put(row, "items_change", change, f"+{change}" if change > 0 and rng.random() < 0.5 else str(change))
            if row != "fees":
                put(row, "decisions", _count(rng, zero=0.45, scale=60))
        put("procurement", "projects", _count(rng, zero=0.5, scale=10))
        put("procurement", "amount_10k_yuan", *_money(rng))
    return cells


def _break(
    rng: random.Random,
    template: str,
    apps: dict[tuple[str, str], int],
    review: dict[tuple[str, str], int],
    rules: Collection[str],
) -> None:
    """Change numbers so that exactly the rules in ``rules`` fail (each alone, as the note says).

    A1: add to new_received, total_processed and granted of one applicant column but not to their
        totals (A2 and A3 still hold, in that column and in the total column).
    A2: add to one result row, its total too (A1 holds, A3 does not involve result rows).
    A3: add to carried_forward in one column and its total (A1 holds, A2 does not involve it).
    R1: add to one review/litigation total.
    """
    cols = APPLICANT_KEYS[:-1]
    if "A1" in rules:
        col = rng.choice(cols)
        d = rng.randint(1, 5)
        for row in ("new_received", "total_processed", "granted"):
            apps[(row, col)] += d
    if "A2" in rules:
        row, col = rng.choice(result_rows(template)), rng.choice(cols)
        d = rng.randint(1, 5)
        apps[(row, col)] += d
        apps[(row, "total")] += d
    if "A3" in rules:
        col = rng.choice(cols)
        d = rng.randint(1, 5)
        apps[("carried_forward", col)] += d
        apps[("carried_forward", "total")] += d
    if "R1" in rules:
        row = rng.choice(("review", "litigation_direct", "litigation_after_review"))
        review[(row, "total")] += rng.randint(1, 3)


def _printed(rng: random.Random, value: int) -> str:
    """How a count is printed: plain, and big ones sometimes with thousands separators."""
    if value >= 1000 and rng.random() < 0.3:
        return f"{value:,}"
    return str(value)


def random_report(
    rng: random.Random,
    template: str = TEMPLATE_2021,
    break_rules: bool | Collection[str] = False,
    empty_cells: float = 0.0,
    placeholder: str | None = None,
) -> Report:
    """A report of ``template`` with every fact of the template, its numbers satisfying A1/A2/A3/R1.

    ``break_rules``: True breaks a random non-empty subset of A1/A2/A3/R1, a collection of rule ids
    breaks those (see :func:`_break`). ``empty_cells`` is the chance that a cell printed ``0`` is left
    empty instead (value None), as many agencies do; ``placeholder`` (``—``, ``/``…) is then printed
    in it instead of nothing. Rules count an empty cell as 0, so they still hold.
    """
    if template not in (TEMPLATE_2021, TEMPLATE_2019):
        raise ValueError(f"no synthetic reports for template {template!r}")
    if break_rules is True:
        rules: Collection[str] = [r for r in RULE_IDS if rng.random() < 0.5] or [rng.choice(RULE_IDS)]
    else:
        rules = break_rules or ()
    unknown = set(rules) - set(RULE_IDS)
    if unknown:
        raise ValueError(f"cannot break rules {sorted(unknown)}")
    year = rng.randint(2021, 2024) if template == TEMPLATE_2021 else rng.choice((2019, 2020))
    agency = random_agency(rng)
    title = f"{agency}{year}年{'度' if rng.random() < 0.8 else ''}政府信息公开工作年度报告"
    published = (date(year + 1, 1, 5) + timedelta(days=rng.randint(0, 80))).isoformat()

    apps = _applications(rng, template)
    review = _review(rng)
    active = _active(rng, template)
    _break(rng, template, apps, review, rules)

    facts: list[Fact] = []
    definition = TEMPLATE_DEFS[template]
    for table in definition.tables.values():
        for row, col in table.cells:
            if table.key == "active":
                value, text = active[(row, col)]
            else:
                value = (apps if table.key == "applications" else review)[(row, col)]
                text = _printed(rng, value)
            if value == 0 and text == "0" and empty_cells and rng.random() < empty_cells:
                facts.append(Fact(table.key, row, col, None, placeholder))
            else:
                facts.append(Fact(table.key, row, col, value, text))
    report = Report(
        source="<synthetic>", template=template, agency=agency, year=year, published=published, title=title, facts=facts
    )
    report.sections = _prose(rng, report)
    return report


def _prose(rng: random.Random, report: Report) -> dict[str, str]:
    """Text of sections 一, 五, 六; the overview states numbers that agree with the tables."""
    year = report.year
    overview = [_OVERVIEW_PARAS[0]]
    new = report.value("applications", "new_received", "total")
    granted = report.value("applications", "granted", "total")
    claim = "（二）依申请公开情况。"
    if new is not None:
        claim += f"{year}年，本机关共收到政府信息公开申请{new}件"
        claim += f"，其中{granted}件予以公开。" if granted is not None else "，均按时答复。"
    else:
        claim += "严格按照法定程序和时限办理政府信息公开申请。"
    overview.append(claim)
    overview.extend(p for p in _OVERVIEW_PARAS[2:] if rng.random() < 0.7)
    review = report.value("review_litigation", "review", "total")
    direct = report.value("review_litigation", "litigation_direct", "total")
    after = report.value("review_litigation", "litigation_after_review", "total")
    if not (review or direct or after):
        overview.append("全年没有产生政府信息公开行政复议、行政诉讼情况。")
    elif review is not None and direct is not None and after is not None:
        overview.append(f"全年发生政府信息公开行政复议案件{review}件、行政诉讼案件{direct + after}件。")
    other = [p.format(year=year) for p in _OTHER_PARAS if rng.random() < 0.7] or [_OTHER_PARAS[1]]
    return {"overview": "\n".join(overview), "problems": "\n".join(_PROBLEMS_PARAS), "other_matters": "\n".join(other)}


# --- the tables as printed --------------------------------------------------------------------


@dataclass(slots=True)
class Cell:
    """One printed cell: its text (``parts`` are lines inside the cell), spans, and what it holds."""

    parts: tuple[str, ...]
    colspan: int = 1
    rowspan: int = 1
    value: bool = False  # a value cell (empty ones vanish when flattened)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _label(text: str, colspan: int = 1, rowspan: int = 1, split: bool = False) -> Cell:
    parts = (text[:2], text[2:]) if split and len(text) == 4 else (text,)
    return Cell(parts, colspan, rowspan)


def _value(fact: Fact, colspan: int = 1) -> Cell:
    return Cell((fact.raw or "",), colspan, value=True)


def _facts(report: Report) -> dict[tuple[str, str, str], Fact]:
    return {(f.table, f.row, f.column): f for f in report.facts}


def active_grid(report: Report, table: Table) -> list[list[Cell]]:
    """二、 as the official layout prints it: four columns, one header pair per 第二十条 item."""
    facts = _facts(report)
    width = 1 + max(len(r.columns) for r in table.rows)
    grid: list[list[Cell]] = []
    item = None
    for row in table.rows:
        n = len(row.columns)
        spans = [1] * n
        spans[-1] += width - 1 - n  # the last column takes what is left of the row
        if _ARTICLE_ITEM[row.key] != item:
            item = _ARTICLE_ITEM[row.key]
            grid.append([_label(_ARTICLE.format(item), colspan=width)])
            grid.append(
                [_label(_CONTENT_HEADER)] + [_label(c.label, s) for c, s in zip(row.columns, spans, strict=True)]
            )
        grid.append(
            [_label(row.label)]
            + [_value(facts[("active", row.key, c.key)], s) for c, s in zip(row.columns, spans, strict=True)]
        )
    return grid


def _split(label: str, sep: str) -> tuple[str, str | None]:
    head, _, tail = label.partition(sep)
    return (head, tail) if tail else (label, None)


def applications_grid(report: Report, table: Table, split_headers: bool = True) -> list[list[Cell]]:
    """三、 as printed: a three-row header, then rows whose groups span them (三、…, （三）不予公开 …)."""
    facts = _facts(report)
    cols = table.rows[0].columns
    subs = [_split(c.label, " · ") for c in cols]
    group = next(head for head, tail in subs if tail)
    inner = [tail for _, tail in subs if tail]
    grid: list[list[Cell]] = [
        [_label(_APPLICATIONS_NOTE, colspan=3, rowspan=3), _label(_APPLICANTS, colspan=len(cols))],
        [_label(cols[0].label, rowspan=2), _label(group, colspan=len(inner)), _label(cols[-1].label, rowspan=2)],
        [_label(t, split=split_headers) for t in inner],
    ]
    rows = list(table.rows)
    results = set(result_rows(report.template or TEMPLATE_2021)) | {"total_processed"}
    first_result = next(i for i, r in enumerate(rows) if r.key in results)
    outer_span = sum(1 for r in rows if r.key in results)
    i = 0
    while i < len(rows):
        row = rows[i]
        head, tail = _split(row.label, " ")
        values = [_value(facts[("applications", row.key, c.key)]) for c in cols]
        line: list[Cell] = []
        if row.key not in results:
            line.append(_label(row.label, colspan=3))
            grid.append(line + values)
            i += 1
            continue
        if i == first_result:
            line.append(_label(head, rowspan=outer_span))
            head, tail = _split(tail or head, " ")
        if tail is None:
            grid.append([*line, _label(head, colspan=2), *values])
            i += 1
            continue
        # a group such as （三）不予公开: this row and the numbered rows after it
        span = 1
        while i + span < len(rows) and rows[i + span].key in results and rows[i + span].label[:1].isdigit():
            span += 1
        grid.append([*line, _label(head, rowspan=span), _label(tail), *values])
        for k in range(1, span):
            r = rows[i + k]
            grid.append([_label(r.label)] + [_value(facts[("applications", r.key, c.key)]) for c in cols])
        i += span
    return grid


def review_grid(report: Report, table: Table) -> list[list[Cell]]:
    """四、 as printed: 行政复议 | 行政诉讼 over the outcome columns, the fifteen numbers in one row."""
    facts = _facts(report)
    outcomes = [c.label for c in table.rows[0].columns]
    w = len(outcomes)
    review = table.rows[0]
    litigation = [_split(r.label, " · ") for r in table.rows[1:]]
    grid = [
        [_label(review.label, colspan=w), _label(litigation[0][0], colspan=w * len(litigation))],
        [*(_label(o, rowspan=2) for o in outcomes), *(_label(tail or head, colspan=w) for head, tail in litigation)],
        [_label(o) for _ in litigation for o in outcomes],
        [_value(facts[("review_litigation", r.key, c.key)]) for r in table.rows for c in r.columns],
    ]
    return grid


def grids(report: Report, split_headers: bool = True) -> dict[str, list[list[Cell]]]:
    """The three tables of ``report`` as printed, keyed by table."""
    definition = TEMPLATE_DEFS[report.template or TEMPLATE_2021]
    return {
        "active": active_grid(report, definition.table("active")),
        "applications": applications_grid(report, definition.table("applications"), split_headers),
        "review_litigation": review_grid(report, definition.table("review_litigation")),
    }


def _headings(report: Report) -> Iterator[tuple[str, str | None, str | None]]:
    """(heading, table key, text section key) for 一…六 in order; 2019 wording for 五 where it differs."""
    for s in SECTIONS:
        heading = s.heading
        if s.key == "problems" and report.template == TEMPLATE_2019:
            heading = "五、政府信息公开工作存在的主要问题及改进情况"
        yield heading, s.table, s.key if s.key in report.sections else None


# --- renderers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HtmlStyle:
    """How a page is built. Each field is something real agency pages differ in."""

    encoding: str = "utf-8"  # or "gbk": many older CMSs
    wrap_cells: bool = True  # <td><p><span>…</span></p></td>, as Word → CMS exports
    split_headers: bool = True  # 商业<br>企业 in two paragraphs of one cell
    header_th: bool = False  # header cells as <th>
    merged_tables: bool = False  # all three tables in one <table>, headings as spanning rows
    meta: bool = True  # <meta name="ArticleTitle"/"PubDate">
    nav: bool = True  # site navigation, breadcrumb, sidebar and footer around the article
    heading_tag: str = "p"  # section headings as <p><strong> or <h3>
    extra: dict[str, str] = field(default_factory=dict)  # free for callers' test sites


def random_style(rng: random.Random) -> HtmlStyle:
    """A random combination of the variations real pages show."""
    return HtmlStyle(
        encoding="gbk" if rng.random() < 0.3 else "utf-8",
        wrap_cells=rng.random() < 0.6,
        split_headers=rng.random() < 0.5,
        header_th=rng.random() < 0.3,
        merged_tables=rng.random() < 0.25,
        meta=rng.random() < 0.6,
        nav=rng.random() < 0.8,
        heading_tag=rng.choice(("p", "p", "h3", "div")),
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _td(cell: Cell, style: HtmlStyle, header: bool) -> str:
    tag = "th" if header and style.header_th else "td"
    attrs = ""
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    parts = cell.parts if style.split_headers else (cell.text,)
    if style.wrap_cells:
        body = (
            "".join(
                f'<p style="text-align:center"><span style="font-family:宋体;font-size:14px">{_esc(p)}</span></p>'
                for p in parts
                if p
            )
            or '<p><span style="font-family:宋体"></span></p>'
        )
    else:
        body = "<br/>".join(_esc(p) for p in parts)
    return f'<{tag}{attrs} valign="middle">{body}</{tag}>'


def _html_rows(grid: list[list[Cell]], style: HtmlStyle) -> list[str]:
    out = []
    for row in grid:
        header = not any(c.value for c in row)
        out.append("<tr>" + "".join(_td(c, style, header) for c in row) + "</tr>")
    return out


def _table(rows: list[str]) -> str:
    return (
        '<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:600px">'
        "<tbody>" + "\n".join(rows) + "</tbody></table>"
    )


def _paragraphs(text: str, style: HtmlStyle) -> list[str]:
    return [f'<p style="text-indent:2em">{_esc(p)}</p>' for p in text.split("\n") if p]


def render_html(report: Report, style: HtmlStyle | None = None) -> bytes:
    """The report as an agency's web page, encoded as ``style.encoding`` says."""
    style = style or HtmlStyle()
    tables = grids(report, style.split_headers)
    charset = "gbk" if style.encoding.lower() in ("gbk", "gb2312", "gb18030") else "utf-8"
    title = report.title or ""
    site = (report.agency or "") + "门户网站"
    head = [
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{_esc(title)}_{_esc(site)}</title>",
    ]
    if style.meta:
        head.append(f'<meta name="ArticleTitle" content="{html.escape(title)}">')
        if report.published:
            head.append(f'<meta name="PubDate" content="{report.published} 09:12">')
        head.append(f'<meta name="SiteName" content="{html.escape(site)}">')
    body: list[str] = []
    if style.nav:
        body.append(
            '<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>'
        )
        body.append(
            '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
            '<a href="/zwgk/xxgk/">政府信息公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年度报告</a></div>'
        )
    body.append('<div class="article">')
    body.append(f'<h1 class="title">{_esc(title)}</h1>')
    if report.published:
        body.append(
            f'<div class="info"><span>发布日期：{report.published} 09:12</span> <span>信息来源：'
            f"{_esc(report.agency or '')}</span> <span>浏览次数：</span></div>"
        )
    body.append('<div class="content" id="zoom">')
    body.append(
        '<p style="text-indent:2em">根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，'
        "编制本报告。本报告中所列数据的统计期限自1月1日起至12月31日止。</p>"
    )
    merged: list[str] = []
    width = 10
    for heading, table_key, section_key in _headings(report):
        if style.merged_tables and table_key is not None:
            merged.append(f'<tr><td colspan="{width}"><p><strong>{_esc(heading)}</strong></p></td></tr>')
            merged.extend(_html_rows(tables[table_key], style))
            if table_key == "review_litigation":
                body.append(_table(merged))
            continue
        tag = style.heading_tag
        body.append(
            f"<{tag}><strong>{_esc(heading)}</strong></{tag}>" if tag == "p" else f"<{tag}>{_esc(heading)}</{tag}>"
        )
        if section_key:
            body.extend(_paragraphs(report.sections[section_key], style))
        if table_key:
            body.append(_table(_html_rows(tables[table_key], style)))
    if report.published:
        y, m, d = (int(x) for x in report.published.split("-"))
        body.append(
            f'<p style="text-align:right">{_esc(report.agency or "")}</p>'
            f'<p style="text-align:right">{y}年{m}月{d}日</p>'
        )
    body.append("</div></div>")
    if style.nav:
        body.append(
            '<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> 【打印本页】 【关闭窗口】</div>'
        )
        body.append(
            '<div class="footer"><p>主办单位：' + _esc(report.agency or "") + "</p><p>网站标识码：3304000012 "
            "浙ICP备05001234号</p></div>"
        )
    page = (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return page.encode("gb18030" if charset == "gbk" else "utf-8")


def _page_lines(report: Report, table_lines) -> list[str]:
    """The lines of a flattened page around its tables; ``table_lines(key)`` gives each table's lines."""
    lines = ["首页", "> 政务公开 > 政府信息公开 > 政府信息公开年度报告", report.title or ""]
    if report.published:
        lines.append(f"发布日期:{report.published} 09:12 信息来源:{report.agency or ''} 浏览次数:")
    for heading, table_key, section_key in _headings(report):
        lines.append(heading)
        if section_key:
            lines.extend(p for p in report.sections[section_key].split("\n") if p)
        if table_key:
            lines.extend(table_lines(table_key))
    return lines


def render_flat(report: Report, split_headers: bool = True) -> str:
    """The page flattened one cell per line with blank lines between, as the Jiaxing sample:
    empty cells vanish, a cell's paragraphs (``商业`` / ``企业``) are lines of their own."""
    tables = grids(report, split_headers)

    def table_lines(key: str) -> list[str]:
        out = []
        for row in tables[key]:
            for cell in row:
                out.extend(p for p in (cell.parts if split_headers else (cell.text,)) if p)
        return out

    return "\n\n".join(_page_lines(report, table_lines)) + "\n"


def render_pipes(report: Report, border: bool = True) -> str:
    """Text with each table row on one line, cells separated by `` | `` and empty cells kept.

    With ``border`` each row is framed ``| … |`` as Markdown and most extractors print it; without,
    a row whose first and last cells are both empty cannot be told from a framed one."""
    tables = grids(report, split_headers=False)

    def table_lines(key: str) -> list[str]:
        rows = [" | ".join(c.text for c in row) for row in tables[key]]
        return [f"| {r} |" for r in rows] if border else rows

    return "\n".join(_page_lines(report, table_lines)) + "\n"


def damage(data: bytes, rng: random.Random) -> bytes:
    """A damaged copy, the way downloads and uploads break files: truncated, a stretch cut out or
    repeated, or twenty bytes flipped (for tests and the parser's equivalence corpus)."""
    d = bytearray(data)
    kind = rng.choice(["truncate", "cut", "flip", "repeat"])
    if kind == "truncate":
        return bytes(d[: rng.randrange(len(d) + 1)])
    if kind == "cut":
        a = rng.randrange(len(d) + 1)
        return bytes(d[:a] + d[a + rng.randrange(1, 2000) :])
    if kind == "repeat":
        a = rng.randrange(len(d) + 1)
        b = min(len(d), a + rng.randrange(1, 3000))
        return bytes(d[:b] + d[a:b] + d[b:])
    for _ in range(20):
        if d:
            d[rng.randrange(len(d))] = rng.randrange(256)
    return bytes(d)
