"""An imitation TRS WCM site in GBK: ``index.html``/``index_N.html`` pages counted by ``createPageHTML``,
articles at ``./YYYYMM/tYYYYMMDD_N.html`` with a ``.TRS_Editor`` body and ``./P0…pdf`` attachments.
"""

from __future__ import annotations

from html import escape

from .common import home, html_page, meta_tags
from .content import MINIMAL_PDF, AgencyData, YearReport, report_body
from .site import Response, Site

COLUMN = "/xxgk/zfxxgknb/"
STUB = b'<html><head><title></title></head><body><div class="list"></div></body></html>'


def article_rel(r: YearReport, n: int) -> str:
    ymd = r.published.replace("-", "")
    return f"{ymd[:6]}/t{ymd}_{5000 + n}.html"


def build(
    data: AgencyData,
    perpage: int = 2,
    stub_pages: int = 1,
    name: str | None = None,
    args_order: str = "count_first",
    attachments: bool = True,
) -> Site:
    """A TRS site; pages after the real ones are ``stub_pages`` tiny stubs (the count still includes them)."""
    site = Site(name or data.name, validators="last-modified")

    def gbk(text: str) -> bytes:
        return text.encode("gb18030")

    def render() -> None:
        site.pages.clear()
        site.pages["/"] = Response(
            200,
            gbk(
                home(data.name, COLUMN + "index.html")
                .body.decode()
                .replace("政府信息公开年报", "政府信息公开工作年度报告")
                .replace('charset="utf-8"', 'charset="gb2312"')
            ),
            "text/html",
        )
        reports = sorted(data.reports, key=lambda r: -r.year)
        chunks = [reports[i : i + perpage] for i in range(0, len(reports), perpage)]
        count = len(chunks) + stub_pages
        # the page_div form numbers pages from 1 (list.shtml, list_2.shtml …), the other from 0 (index_1 …)
        first = 1 if args_order == "count_first" else 2
        for p, chunk in enumerate(chunks):
            items = "".join(
                f'<li><a href="./{article_rel(r, reports.index(r))}" target="_blank" title="{escape(r.title)}">'
                f"{escape(r.title[:18])}…</a><span>{r.published}</span></li>"
                for r in chunk
            )
            call = (
                f'createPageHTML({count}, {p}, "index", "html");'
                if args_order == "count_first"
                else f"createPageHTML('page_div',{count},{p + 1},'index','html',{len(reports)});"
            )
            body = f'<div class="list"><ul>{items}</ul></div><div class="page"><script>{call}</script></div>'
            path = COLUMN + ("index.html" if p == 0 else f"index_{p + first - 1}.html")
            site.pages[path] = Response(
                200, gbk(html_page("政府信息公开工作年度报告", body, charset="gb2312")), "text/html"
            )
        for s in range(stub_pages):
            site.pages[COLUMN + f"index_{len(chunks) + s + first - 1}.html"] = Response(200, STUB, "text/html")
        for n, r in enumerate(reports):
            rel = article_rel(r, n)
            pdf = f"P0{r.published.replace('-', '')}{600 + n}.pdf"
            body = f'<div class="TRS_Editor">{report_body(r)}</div>'
            if attachments:
                body += (
                    f'<div class="fj">附件：<a href="./{pdf}" oldsrc="W0.pdf">{escape(r.title)}（扫描件）.pdf</a></div>'
                )
            # articles declare no charset: GBK bytes the reader must recognise on its own
            site.pages[COLUMN + rel] = Response(
                200, gbk(html_page(r.title, body, meta_tags(r, data.name), charset=None)), "text/html"
            )
            site.pages[COLUMN + rel.rsplit("/", 1)[0] + "/" + pdf] = Response(200, MINIMAL_PDF, "application/pdf")

    site.refresh = render
    render()
    return site
