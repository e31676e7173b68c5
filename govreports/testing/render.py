"""The one set of renderers: a report printed the way agencies publish it, in the official table layout.

- :func:`render_html` — a whole page: navigation and breadcrumb around the article, sections
  一…六 with prose, and the three tables in the official layout (two/three-row headers with
  rowspan/colspan, ``三、本年度办理结果`` and ``（三）不予公开`` spanning their rows, cells
  wrapped in ``<p><span>`` as Word exports do), UTF-8 or GBK;
- :func:`render_article` — that article alone, for a site that puts it in its own page;
- :func:`render_word_html` — the report as Word saves it "as web page" (uploaded as ``.doc``);
- :func:`render_flat` — the page flattened one cell per line (``shared/fixtures/jiaxing-eib-2022.txt``):
  empty cells vanish, ``商业``/``企业`` split over two lines;
- :func:`render_pipes` — one table row a line, cells separated by `` | ``, empty cells kept.

Every label comes from the template (``govreports.parsers``); only the layout (which row spans
what, the ``第二十条第（X）项`` items of the active table) is known here.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from govreports.parsers import SECTIONS, TEMPLATE_2019, TEMPLATE_2021, TEMPLATE_DEFS, Fact, Report, Table, result_rows

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
    body.extend(_article(report, style))
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


def _article(report: Report, style: HtmlStyle) -> list[str]:
    """The article's parts, one a line: the preamble, sections 一…六 with their prose and tables, the signature."""
    body: list[str] = []
    tables = grids(report, style.split_headers)
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
    return body


def render_article(report: Report, style: HtmlStyle | None = None, title: bool = False) -> str:
    """The article alone (what :func:`render_html` puts in ``<div id="zoom">``), for a site's own page;
    with ``title``, headed by the report's title as a centred paragraph (as Word documents are)."""
    parts = _article(report, style or HtmlStyle())
    if title:
        parts.insert(0, f'<p style="text-align:center"><strong>{_esc(report.title or "")}</strong></p>')
    return "\n".join(parts)


def render_word_html(report: Report) -> bytes:
    """The report as Word saves it "as web page" and agencies upload as ``.doc``: HTML in GBK."""
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        '<meta name="Generator" content="Microsoft Word 15"></head><body lang="ZH-CN">'
        f"{render_article(report, HtmlStyle(nav=False), title=True)}</body></html>"
    ).encode("gb18030")


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
        out: list[str] = []
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
