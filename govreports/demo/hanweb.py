"""An imitation Hanweb (大汉) site: ``col/colN`` column with a ``<datastore>``, dataproxy paging, ``art/`` articles."""

from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape

from govreports.testing import render_word_html

from .common import home, html_page, hub, meta_tags
from .content import MINIMAL_PDF, AgencyData, YearReport, report_body
from .site import Request, Response, Site

COLUMN, UNIT, WEB = 1229, 5478, 1
PDF_NAME = "P020240131380452179135.pdf"  # the store's name for an uploaded attachment


def article_path(r: YearReport, n: int) -> str:
    return f"/art/{r.published[:4]}/{int(r.published[5:7])}/{int(r.published[8:10])}/art_{COLUMN}_{1000 + n}.html"


def build(
    data: AgencyData,
    perpage: int = 2,
    old_proxy: bool = False,
    attachment_only: int | None = None,
    name: str | None = None,
    pdf_only: tuple[int, bytes] | None = None,
) -> Site:
    """A Hanweb site for ``data``; ``attachment_only`` is a year published only as a .doc attachment.

    ``pdf_only`` is (year, PDF bytes): that year's article only says 详见附件 and links a PDF behind
    the download servlet, served as ``application/octet-stream`` like the real servlet does.
    """
    site = Site(name or data.name, validators="etag")
    column = f"/col/col{COLUMN}/index.html"
    proxy = "/module/jpage/dataproxy.jsp" if old_proxy else "/module/web/jpage/dataproxy.jsp"

    def records() -> list[str]:
        items = []
        reports = sorted(data.reports, key=lambda r: -r.year)
        for n, r in enumerate(reports):
            items.append(
                f'<li><a href="{article_path(r, n)}" title="{escape(r.title)}" target="_blank">'
                f"{escape(r.title)}</a><span>{r.published}</span></li>"
            )
            if n == 0:  # not every item of the column is a report
                items.append(
                    f'<li><a href="/art/{r.published[:4]}/1/3/art_{COLUMN}_999.html">关于调整政府信息公开'
                    f"工作机构的通知</a><span>{r.published[:4]}-01-03</span></li>"
                )
        return [f"<record><![CDATA[{i}]]></record>" for i in items]

    def column_page(req: Request) -> Response:
        recs = records()
        store = (
            f'<datastore><nextgroup><![CDATA[<a href="{proxy}?page=1&appid=1&webid={WEB}&path=/&columnid={COLUMN}'
            f'&unitid={UNIT}&webname=site&permissiontype=0"></a>]]></nextgroup><recordset>{"".join(recs[:perpage])}'
            f"</recordset><totalrecord>{len(recs)}</totalrecord></datastore>"
        )
        body = (
            f'<div class="crumb"><a href="/">首页</a> &gt; 政府信息公开年报</div><div id="{UNIT}">'
            f'<script type="text/xml">{store}</script>'
            f'<script language="javascript" src="/module/jpage/ajaxjpage.js"></script>'
            f"<script>var jpage = new jpage({{totalRecord: {len(recs)}, perpage: {perpage}, unitid: {UNIT},"
            f" webid: {WEB}, columnid: {COLUMN}, proxy: '{proxy}'}});</script></div>"
        )
        return Response(200, html_page("政府信息公开年报", body).encode())

    def dataproxy(req: Request) -> Response:
        if req.method != "POST" or req.form.get("columnid") != str(COLUMN) or req.form.get("unitid") != str(UNIT):
            return Response(400, b"bad request")
        recs = records()
        if old_proxy:
            start, end = int(req.query.get("startrecord", 1)), int(req.query.get("endrecord", perpage))
        else:
            page = int(req.query.get("page", 1))
            start, end = (page - 1) * perpage + 1, page * perpage
        chunk = recs[start - 1 : end]
        xml = f"<datastore><totalrecord>{len(recs)}</totalrecord><recordset>{''.join(chunk)}</recordset></datastore>"
        return Response(200, xml.encode(), "text/xml; charset=utf-8")

    def article(r: YearReport, n: int) -> Response:
        attach = ""
        zoom = report_body(r)
        if pdf_only is not None and r.year == pdf_only[0]:
            zoom = f"<p>{escape(r.title)}详见附件。</p>"
            attach = (
                f'<p>附件：<a href="/module/download/downfile.jsp?classid=0&filename={PDF_NAME}">'
                f"{escape(r.title)}.pdf</a></p>"
            )
        elif r.year == attachment_only:
            zoom = f"<p>{escape(r.title)}详见附件。</p>"
            attach = (
                f'<p>附件：<a href="/module/download/downfile.jsp?classid=0&filename={r.year}ndbg.doc">'
                f"{escape(r.title)}.doc</a></p>"
            )
        elif n == 0:
            attach = '<p>附件：<a href="/module/download/downfile.jsp?classid=0&filename=tbgs.pdf">附件1.pdf</a></p>'
        table = (
            f'<table class="xxgk_table"><tr><th>索引号</th><td>113304000026{r.year + 1}-01-00018</td>'
            f"<th>发布机构</th><td>{escape(r.agency)}</td></tr><tr><th>文号</th><td></td><th>发文日期</th>"
            f"<td>{r.published}</td></tr></table>"
        )
        body = f'{table}<div id="zoom">{zoom}{attach}</div>'
        return Response(200, html_page(r.title, body, meta_tags(r, data.name)).encode())

    def render() -> None:
        site.pages.clear()
        site.pages["/"] = home(data.name, "/col/col100/index.html", hub_href="/col/col100/index.html")
        site.pages["/col/col100/index.html"] = hub(data.name, column)
        site.pages[column] = column_page
        site.pages[proxy] = dataproxy
        for n, r in enumerate(sorted(data.reports, key=lambda r: -r.year)):
            site.pages[article_path(r, n)] = article(r, n)
            if r.year == attachment_only:
                doc = Response(200, render_word_html(r.report), "application/octet-stream")
                site.pages["/module/download/downfile.jsp"] = functools.partial(
                    _servlet, doc, lambda name: name.endswith(".doc")
                )
        if pdf_only is not None:
            pdf = Response(200, pdf_only[1], "application/octet-stream")
            site.pages["/module/download/downfile.jsp"] = functools.partial(
                _servlet, pdf, lambda name: name == PDF_NAME
            )
        if "/module/download/downfile.jsp" not in site.pages:
            site.pages["/module/download/downfile.jsp"] = Response(200, MINIMAL_PDF, "text/html")
        site.pages[f"/art/{data.reports[-1].published[:4]}/1/3/art_{COLUMN}_999.html"] = Response(
            200, html_page("通知", '<div id="zoom"><p>关于调整政府信息公开工作机构的通知。</p></div>').encode()
        )

    site.refresh = render
    render()
    return site


def _servlet(document: Response, wanted: Callable[[str], bool], req: Request) -> Response:
    """The download servlet: ``document`` for the file name it serves, a stub PDF for any other."""
    return document if wanted(req.query.get("filename", "")) else Response(200, MINIMAL_PDF, "text/html")
