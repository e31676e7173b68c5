"""The family adapters on markup real sites served (tests/fixtures/sites/real/, sources in its README).

The imitation sites (tests/test_crawl_families.py) show the crawler works on what we think the CMSs
print; these show the adapters read what the CMSs did print: detection, list items, paging requests,
attachments and walls. Page URLs marked "assumed" in the README are the URLs the tests read them at.
"""

from __future__ import annotations

import asyncio

import pytest

from govreports.demo.server import Farm
from govreports.demo.site import Response, Site
from govreports.scraper.errors import HTTPStatusError
from govreports.scraper.families import Page, detect, hanweb, trs
from govreports.scraper.families.base import attachments, is_attachment
from govreports.scraper.http.walls import detect_wall
from govreports.scraper.registry import Agency
from tests.support import FIXTURES
from tests.support.crawling import crawl

REAL = FIXTURES / "sites" / "real"


def page(name: str, url: str, content_type: str = "text/html") -> Page:
    return Page(url, (REAL / name).read_bytes(), content_type)


def walk(
    first: Page, family, answers: dict[str, bytes]
) -> tuple[list[Page], list[tuple[str, dict | None]], HTTPStatusError | None]:
    """Run ``family.pages`` with a getter that answers from ``answers`` (404 otherwise): the pages it
    yielded, the requests it made, and the 404 it let through (None if it ended the walk itself)."""
    asked: list[tuple[str, dict | None]] = []
    seen: list[Page] = []

    async def get(url: str, data: dict | None = None) -> Page:
        asked.append((url, data))
        if url not in answers:
            raise HTTPStatusError(url, 404)
        return Page(url, answers[url], "text/xml")

    async def run() -> None:
        async for p in family.pages(first, get):
            seen.append(p)

    try:
        asyncio.run(run())
    except HTTPStatusError as exc:
        return seen, asked, exc
    return seen, asked, None


# --- Hanweb ----------------------------------------------------------------------------------------

DINGXI = "http://www.dingxi.gov.cn/col/col12377/index.html"  # assumed


def test_hanweb_dingxi_datastore_items_titles_and_request() -> None:
    p = page("hanweb/dingxi-col12377-datastore.xml", DINGXI)
    assert detect(p) is hanweb
    links = hanweb.links(p)
    assert [(link.url, link.text) for link in links] == [
        ("http://www.dingxi.gov.cn/art/2022/1/20/art_12377_1486865.html", "定西市“春节”文明祭祀倡议书"),
        # the list cuts the title to "…情..."; the whole one is in title=
        (
            "http://www.dingxi.gov.cn/art/2022/1/19/art_12377_1486583.html",
            "定西市工信局关于对省级第二轮环保督察反馈第四项第十三项问题整改完成情况的公示",
        ),
        ("http://www.dingxi.gov.cn/art/2022/1/14/art_12377_1485512.html", "2021年度政府网站年度工作报表"),
        (
            "http://www.dingxi.gov.cn/art/2022/1/14/art_12377_1485138.html",
            "定西市新冠肺炎疫情联防联控领导小组办公室通告",
        ),
        (
            "http://zwgk.dingxi.gov.cn/art/2021/11/4/art_12480_1461862.html",
            "甘肃省人民政府教育督导委员会办公室关于开展2021年市（州）人民政府履行教育职责情况满意度调查的通知",
        ),
        (
            "http://www.dingxi.gov.cn/art/2021/11/3/art_12377_1461607.html",
            "关于引洮供水一期总干渠1#-5#隧洞工程病害处理延期施工的通知",
        ),
        (
            "http://www.dingxi.gov.cn/art/2021/10/14/art_12377_1455094.html",
            "定西市人民政府办公室关于2021年度履行教育职责自查自评的报告",
        ),
    ]
    # 网站年度工作报表 and a 履职自查报告 are not 政府信息公开 annual reports
    assert not any(link.is_report or link.is_subcolumn for link in links)
    assert not hanweb.is_column(p)  # no report and no totalrecord: not the report column
    request = hanweb.proxy(p)
    assert (request.endpoint, request.by_page) == ("http://www.dingxi.gov.cn/module/web/jpage/dataproxy.jsp", True)
    assert {k: request.form[k] for k in ("columnid", "unitid", "webid")} == {
        "columnid": "12377",
        "unitid": "38486",
        "webid": "110",
    }
    assert request.total is None
    pages, asked, error = walk(p, hanweb, {})
    assert (len(pages), asked, error) == (1, [], None)  # no total on the page: nothing to ask for


NANTONG = "http://zfcg.nantong.gov.cn/col/col31685/index.html"  # the spider's start URL


def test_hanweb_nantong_old_jpage_rows_and_jslib_proxy() -> None:
    p = page("hanweb/nantong-zfcg-col31685-datastore.xml", NANTONG)
    assert detect(p) is hanweb
    assert [(link.url, link.text) for link in hanweb.links(p)] == [
        (
            "http://zfcg.nantong.gov.cn/art/2017/4/24/art_31685_2451995.html",
            "南通市公安局交警支队空调设备询价2017XJ3018",
        ),
        ("http://zfcg.nantong.gov.cn/art/2017/4/20/art_31685_2451309.html", "2017XJ3017"),
        (
            "http://zfcg.nantong.gov.cn/art/2017/4/19/art_31685_2450790.html",
            "南通市城市照明管理处市政道路及维护项目控制箱 2017XJ2002第三次",
        ),
        ("http://zfcg.nantong.gov.cn/art/2017/2/27/art_31685_2432948.html", "2017XJ1008"),
    ]
    request = hanweb.proxy(p)
    # the site's proxy is under /module/jslib/jquery/jpage/, not /module/web/jpage/ (404 there)
    assert (request.endpoint, request.by_page) == (
        "http://zfcg.nantong.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp",
        False,
    )
    assert {k: request.form[k] for k in ("columnid", "unitid", "webid")} == {
        "columnid": "31685",
        "unitid": "80325",
        "webid": "60",
    }


def test_hanweb_nantong_jpage_call_gives_total_perpage_and_params() -> None:
    script = (REAL / "hanweb/nantong-zfcg-col30067-jpage.js").read_bytes()
    p = Page("http://zfcg.nantong.gov.cn/col/col30067/index.html", b"<script>" + script + b"</script>", "text/html")
    request = hanweb.proxy(p)
    assert (request.endpoint, request.by_page, request.total, request.perpage) == (
        "http://zfcg.nantong.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp",
        False,
        1418,
        25,
    )
    assert request.form == {
        "col": "1",
        "appid": "1",
        "path": "/",
        "permissiontype": "0",
        "sourceContentType": "1",
        "columnid": "30067",
        "unitid": "49468",
        "webid": "60",
    }
    assert (
        request.url(2, 75, 25)
        == "http://zfcg.nantong.gov.cn/module/jslib/jquery/jpage/dataproxy.jsp?startrecord=76&endrecord=100&perpage=25"
    )


WENZHOU = "http://wzkj.wenzhou.gov.cn/module/jpage/dataproxy.jsp?page=2"  # the URL the source fetched


def test_hanweb_wenzhou_dataproxy_answer_records_dates_and_next_request() -> None:
    p = page("hanweb/wenzhou-kjj-dataproxy.xml", WENZHOU, "text/xml")
    assert detect(p) is hanweb
    # the anchor wraps <div class="text">title</div><div class="text-date">date</div>: title and date apart
    assert [(link.url, link.text, link.date) for link in hanweb.links(p)] == [
        (
            "http://wzkj.wenzhou.gov.cn/art/2017/5/24/art_1312722_7744076.html",
            "舟山市科技局关于对2017年省重点研发计划项目经费使用监督检查的通知",
            "2017-05-24",
        ),
        (
            "http://wzkj.wenzhou.gov.cn/art/2017/5/23/art_1312722_7744075.html",
            "关于组织申报科技支撑“五大会战”重大科技项目的通知",
            "2017-05-23",
        ),
        (
            "http://wzkj.wenzhou.gov.cn/art/2017/5/12/art_1312722_7744074.html",
            "关于举办2017年舟山群岛新区科技活动周的通知",
            "2017-05-12",
        ),
    ]
    # a datastore with a total is any Hanweb list (科技 news here), not by itself the report column
    assert not hanweb.is_column(p)
    request = hanweb.proxy(p)
    # <nextgroup> is relative (./dataproxy.jsp) and spread over lines; <totalrecord> counts all 3432
    assert (request.endpoint, request.by_page, request.total) == (
        "http://wzkj.wenzhou.gov.cn/module/jpage/dataproxy.jsp",
        False,
        3432,
    )
    assert {k: request.form[k] for k in ("columnid", "unitid", "webid")} == {
        "columnid": "1220132",
        "unitid": "3995919",
        "webid": "1934",
    }
    # read as a list page, it leads to the next records by startrecord, with its params as the POST form
    nxt = "http://wzkj.wenzhou.gov.cn/module/jpage/dataproxy.jsp?startrecord=4&endrecord=6&perpage=3"
    pages, asked, error = walk(p, hanweb, {nxt: (REAL / "hanweb/wenzhou-kjj-dataproxy.xml").read_bytes()})
    after = "http://wzkj.wenzhou.gov.cn/module/jpage/dataproxy.jsp?startrecord=7&endrecord=9&perpage=3"
    assert [a for a, _ in asked] == [nxt, after] and asked[0][1]["columnid"] == "1220132" and len(pages) == 2
    # a failed dataproxy request is not taken for the end of the list: it reaches the crawler (recorded,
    # the column stays unwalked) instead of the remaining 3426 records being silently skipped
    assert error is not None and error.url == after


# --- TRS ------------------------------------------------------------------------------------------

YZQ = "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/index.html"  # assumed from the breadcrumb
ORDOS = "http://www.ordos.gov.cn/egb/xxgk/xxgknb/index.html"  # assumed


def test_trs_page_count_skips_the_inline_function_definition() -> None:
    p = page("trs/yzq-zwyw-index.html", YZQ)
    assert detect(p) is trs
    # the page defines createPageHTML(_nPageCount, …) before calling createPageHTML(120, 0, "index", "html")
    assert trs.page_count(p.text) == (120, "index", "html", 0)
    items = [(link.url, link.text) for link in trs.links(p) if "/201710/" in link.url]
    assert (
        items[:2]
        == [
            (
                "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/201710/t20171020_398361.html",
                "袁州区财政局掀起学习贯彻省、市、区有关文件精神热潮",
            ),
            (
                "http://www.yzq.gov.cn/zwgk/zwdt/zwyw/201710/t20171020_398360.html",
                "袁州区农业局进行脱贫攻坚“百日行动”部署工作",
            ),
        ]
        and len(items) == 5
    )
    pages, asked, error = walk(p, trs, {})
    # a TRS index_N.html past the real end answers 404 (countPage can run ahead of the files): the list ends
    assert [a for a, _ in asked] == ["http://www.yzq.gov.cn/zwgk/zwdt/zwyw/index_1.html"]
    assert (len(pages), error) == (1, None)


def test_trs_page_div_call_pages_count_from_one() -> None:
    """``createPageHTML('page_div', count, 1, name, ext, records)``: page 2 is ``name_2``, the last ``name_{count}``.

    The call is as a crawler's test quotes it from www.csrc.gov.cn; the numbering is that of the real
    paging script of such sites (``if(k >1 ) param = "_" + k;``, 末页 ``"_" + (_nPageCount)``), see the README.
    """
    call = (REAL / "trs/csrc-fg-createPageHTML.js").read_bytes()
    p = Page("http://www.csrc.gov.cn/csrc/c106256/fg.shtml", b"<script>" + call + b"</script>", "text/html")
    assert trs.page_count(p.text) == (5, "fg", "shtml", 1)
    pages, asked, error = walk(p, trs, {})
    assert [a for a, _ in asked] == ["http://www.csrc.gov.cn/csrc/c106256/fg_2.shtml"] and error is None
    assert len(pages) == 1  # fg_2.shtml is not served here: 404 ends the walk
    assert list(trs.page_count(p.text).suffixes()) == [2, 3, 4, 5]


def test_trs_report_column_countpage_and_reports() -> None:
    p = page("trs/ordos-egb-xxgknb-index.html", ORDOS)
    assert detect(p) is trs and trs.is_column(p)
    assert trs.page_count(p.text) == (2, None, None, 0)  # var countPage = 2//共多少页
    assert [(link.url, link.text) for link in trs.links(p) if link.is_report] == [
        (
            "http://www.ordos.gov.cn/egb/xxgk/xxgknb/202009/t20200903_2748784.html",
            "鄂尔多斯市2019年政府信息公开工作年度报告",
        ),
        (
            "http://www.ordos.gov.cn/egb/xxgk/xxgknb/202003/t20200311_2593126.html",
            "鄂尔多斯市人民政府办公室2019年政府信息公开工作年度报告",
        ),
        (
            "http://www.ordos.gov.cn/egb/xxgk/xxgknb/201905/t20190530_2380968.html",
            "鄂尔多斯市2018年政府信息公开年度报告",
        ),
        (
            "http://www.ordos.gov.cn/egb/xxgk/xxgknb/201905/t20190530_2380967.html",
            "内蒙古自治区2018年政府信息公开工作年度报告",
        ),
    ]


def test_trs_report_column_crawled_end_to_end(tmp_path) -> None:
    """The real column page served on 127.0.0.1: its four reports and its second page are asked for.

    The report pages themselves are not in the fixtures (no real one was found), so the site answers 404:
    each is counted failed with its error, none dropped, and the column stays unwalked for the next run.
    """
    site = Site(
        "ordos-egb",
        pages={"/egb/xxgk/xxgknb/index.html": Response(200, (REAL / "trs/ordos-egb-xxgknb-index.html").read_bytes())},
    )
    with Farm([site]) as farm:
        agency = Agency(
            name="鄂尔多斯市恩格贝生态示范区管委会", start_url=farm.url(site, "/egb/xxgk/xxgknb/index.html")
        )
        (result,), sink, state = crawl(farm, [site], tmp_path, agencies=[agency])
    assert (result.family, result.new, result.failed, sink.found) == ("trs", 0, 4, [])
    assert result.column.endswith("/egb/xxgk/xxgknb/index.html")
    assert sorted(site.served("/egb/xxgk/xxgknb/", status=404)) == [
        "/egb/xxgk/xxgknb/201905/t20190530_2380967.html",
        "/egb/xxgk/xxgknb/201905/t20190530_2380968.html",
        "/egb/xxgk/xxgknb/202003/t20200311_2593126.html",
        "/egb/xxgk/xxgknb/202009/t20200903_2748784.html",
        "/egb/xxgk/xxgknb/index_1.html",
    ]
    assert len([e for e in result.errors if "404" in e]) == 4
    assert not state.get("column:" + agency.start_url).complete


def test_trs_attachment_paragraph_href_not_oldsrc() -> None:
    article = "http://shj.xining.gov.cn/zwgk/xxgkml/xzsp/yslxm/202108/t20210830_1.html"  # assumed
    p = page("trs/xining-insertfiletag.html", article)
    found = attachments(p)
    assert [(a.url, a.text) for a in found] == [
        (
            "http://shj.xining.gov.cn/zwgk/xxgkml/xzsp/yslxm/202108/P020210830423761510808.pdf",
            "乳制品前处理改造升级项目环评报告表.pdf",
        )
    ]
    assert is_attachment(found[0].url)


# Hanweb download-servlet links as people recorded them from 江苏, 国家知识产权局 (filename before and after
# showname) and 浙江省建设厅 (sources in the README); the file type is only in the query
SERVLETS = [
    "https://www.jiangsu.gov.cn/module/download/downfile.jsp?classid=0&filename=41d4406973644c03b562924cf59cd693.pdf",
    "https://www.cnipa.gov.cn/module/download/downfile.jsp?classid=0&filename=5753f257e6a04b6f8e305eb6d34ba452.pdf"
    "&showname=%E4%B8%93%E5%88%A9%E5%AE%A1%E6%9F%A5%E6%8C%87%E5%8D%97.pdf",
    "https://www.cnipa.gov.cn/module/download/downfile.jsp?classid=0&showname=3%EF%BC%8E%E6%8E%A8%E8%8D%90%E5%87%BD.docx"
    "&filename=d79c1d6677e845d0a9d3d6ebe9e5d632.docx",
    "http://www.zjt.gov.cn/module/download/downfile.jsp?classid=0&filename=100422150340281.doc",
]


@pytest.mark.parametrize("url", SERVLETS)
def test_real_download_servlet_links_are_attachments(url) -> None:
    assert is_attachment(url)
    p = Page(
        "http://example.gov.cn/art/2023/1/16/art_1229_1.html",
        f'<div id="zoom"><a href="{url}">附件</a></div>'.encode(),
        "text/html",
    )
    assert [a.url for a in attachments(p, "#zoom")] == [url]


# --- walls ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "evidence"),
    [
        ("walls/ruishu-412.html", 412, "HTTP 412 with a $_ts challenge script (Ruishu)"),
        ("walls/jiasule-521.html", 521, "HTTP 521 with a document.cookie challenge script"),
    ],
)
def test_real_walls_are_recognised_and_recorded(tmp_path, name, status, evidence) -> None:
    body = (REAL / name).read_bytes()
    assert detect_wall(status, body) == evidence
    site = Site("walled", pages={"/": Response(status, body)})
    with Farm([site]) as farm:
        (result,), sink, state = crawl(farm, [site], tmp_path)
    assert result.blocked.endswith(evidence) and sink.found == []
    assert state.blocked["walled"][1] == status


def test_wswaf_412_prefix_is_a_wall() -> None:
    """Not a saved page: the first bytes of a 山东 tax bureau's 412 answer (server ``wswaf``) as a crawler's
    notes quote them (``read_file id=70393571537``), which a ``$_ts`` test alone did not catch."""
    quoted = b"<script>$_ss=window['$_ss'];$_ss.nsd=100343;..."
    assert detect_wall(412, quoted) == "HTTP 412 with a $_ss challenge script"
