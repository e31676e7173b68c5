"""An imitation site of no known CMS, around the real Jiaxing report: a column shown in an iframe,
year sub-columns (one behind a redirect), "下一页" paging, ``javascript:`` and duplicate links,
a robots.txt-disallowed report, and no validators (the crawler must compare hashes)."""

from __future__ import annotations

from html import escape
from importlib import resources

from .common import html_page
from .content import AgencyData, YearReport, report_body
from .site import Response, Site

JIAXING = "嘉兴市经济和信息化局"


def jiaxing_page() -> bytes:
    """The real Jiaxing report (flattened, one cell a line) as the paragraphs of an article page."""
    text = resources.files("govreports.demo").joinpath("data/jiaxing-eib-2022.txt").read_text(encoding="utf-8")
    lines = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    return html_page(
        "嘉兴市经济和信息化局2022年度政府信息公开工作年度报告", f'<div class="article">{lines}</div>'
    ).encode()


def build(data: AgencyData, name: str | None = None, with_jiaxing: bool = True) -> Site:
    site = Site(
        name or data.name,
        validators="none",
        robots="User-agent: *\nDisallow: /private/\n\nUser-agent: BadBot\nDisallow: /\n",
    )

    def item(r: YearReport, href: str) -> str:
        return f'<li><a href="{href}">{escape(r.title)}</a> <span>{r.published}</span></li>'

    def render() -> None:
        site.pages.clear()
        site.pages["/"] = Response(
            200,
            html_page(
                data.name,
                (
                    f'<h1>{escape(data.name)}</h1><div class="nav"><a href="/zwgk/index.html">政务公开</a> '
                    '<a href="/hdjl/">互动交流</a> <a href="javascript:void(0)">English</a></div>'
                ),
            ).encode(),
        )
        site.pages["/zwgk/index.html"] = Response(
            200,
            html_page(
                "政务公开",
                (
                    '<ul><li><a href="/zwgk/zn/">政府信息公开指南</a></li>'
                    '<li><a href="/zwgk/ndbg/index.html">政府信息公开年度报告</a></li></ul>'
                ),
            ).encode(),
        )
        site.pages["/zwgk/ndbg/index.html"] = Response(
            200,
            html_page(
                "政府信息公开年度报告",
                (
                    '<div class="crumb">首页 &gt; 政务公开 &gt; 年度报告</div>'
                    '<iframe src="list.html" width="100%" height="600" frameborder="0"></iframe>'
                ),
            ).encode(),
        )
        years = sorted({r.year for r in data.reports} | ({2022} if with_jiaxing else set()), reverse=True)
        site.pages["/zwgk/ndbg/list.html"] = Response(
            200,
            html_page(
                "年度报告",
                "<ul>"
                + "".join(f'<li><a href="{y}/" target="_parent">{y}年度</a></li>' for y in years)
                + '<li><a href="/private/old.html">嘉兴市经济和信息化局2018年政府信息公开工作年度报告</a></li></ul>',
            ).encode(),
        )
        site.pages["/private/old.html"] = Response(200, html_page("old", "<p>not for robots</p>").encode())
        for y in years:
            reports = [r for r in data.reports if r.year == y]
            items = [item(r, f"content_{r.year}.html") for r in reports]
            if with_jiaxing and y == 2022:
                items.append(f'<li><a href="./content_5801.html">{JIAXING}2022年度政府信息公开工作年度报告</a></li>')
                items.append(f'<li><a href="content_5801.html#top">{JIAXING}2022年度政府信息公开工作年度报告</a></li>')
                site.pages[f"/zwgk/ndbg/{y}/content_5801.html"] = Response(200, jiaxing_page())
            if y == years[-1] and len(years) > 1:  # the oldest year pages on: "下一页"
                site.pages[f"/zwgk/ndbg/{y}/index.html"] = Response(
                    200,
                    html_page(
                        f"{y}年度",
                        (
                            '<ul><li><a href="javascript:void(0)">加载中</a></li></ul>'
                            '<div class="page"><a href="index_1.html">下一页</a></div>'
                        ),
                    ).encode(),
                )
                site.pages[f"/zwgk/ndbg/{y}/index_1.html"] = Response(
                    200,
                    html_page(
                        f"{y}年度",
                        ("<ul>" + "".join(items) + '</ul><div class="page"><a href="index.html">上一页</a></div>'),
                    ).encode(),
                )
            else:
                site.pages[f"/zwgk/ndbg/{y}/index.html"] = Response(
                    200, html_page(f"{y}年度", ("<ul>" + "".join(items) + "</ul>")).encode()
                )
            for r in reports:
                site.pages[f"/zwgk/ndbg/{y}/content_{r.year}.html"] = Response(
                    200, html_page(r.title, f'<div class="article">{report_body(r)}</div>').encode()
                )
        # a year column moved: the old address redirects
        newest = years[0]
        site.pages[f"/zwgk/ndbg/{newest}/"] = Response(301, b"", None, {"Location": f"/zwgk/ndbg/{newest}/index.html"})

    site.refresh = render
    render()
    return site
