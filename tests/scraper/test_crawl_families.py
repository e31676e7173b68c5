"""Each site family, served on 127.0.0.1, crawled from its home page: exactly its reports, once."""

from __future__ import annotations

import pytest

from govreports.demo import generic, gkmlpt, hanweb, trs
from govreports.demo.content import make_agency
from govreports.demo.server import Farm
from govreports.parsers import parse_bytes
from govreports.scraper.families import trs as trs_family
from tests.support import values
from tests.support.crawling import crawl


def test_hanweb_datastore_and_dataproxy_pages(tmp_path) -> None:
    data = make_agency("江南市财政局", [2019, 2020, 2021, 2022, 2023], seed=1)
    site = hanweb.build(data, perpage=2, attachment_only=2020)
    with Farm([site]) as farm:
        (result,), sink, _ = crawl(farm, [site], tmp_path)
    assert (result.family, result.new, result.failed, result.errors) == ("hanweb", 5, 0, [])
    assert result.column.endswith("/col/col1229/index.html")
    # 6 records (5 reports + a notice) at 2 a page: the column page, then POSTs for pages 2 and 3
    assert [t for m, t, s in site.log if m == "POST"] == [
        "/module/web/jpage/dataproxy.jsp?page=2",
        "/module/web/jpage/dataproxy.jsp?page=3",
    ]
    assert sink.urls() == sorted(
        hanweb.article_path(r, n)[1:] for n, r in enumerate(sorted(data.reports, key=lambda r: -r.year))
    )
    assert not site.served("/art/2023/1/3/")  # the notice is not a report
    only = next(f for f in sink.found if f.title.startswith("江南市财政局2020年"))
    attachment = next(d for d in only.documents if d.role == "attachment")
    assert attachment.url.endswith("downfile.jsp?classid=0&filename=2020ndbg.doc")
    assert attachment.content_type == "application/octet-stream"  # the servlet's wrong type, kept as sent
    assert attachment.raw_path.endswith(".html")  # …but the store names it by its bytes
    report = parse_bytes(attachment.data, attachment.url, attachment.content_type)
    assert (report.template, report.agency, report.year) == ("2019", "江南市财政局", 2020)
    page = next(f for f in sink.found if f.title.startswith("江南市财政局2023年"))
    assert page.published == f"{data.reports[-1].published}"


def test_hanweb_old_dataproxy_uses_start_and_end_records(tmp_path) -> None:
    site = hanweb.build(make_agency("江南市水利局", [2021, 2022, 2023], seed=2), perpage=2, old_proxy=True)
    with Farm([site]) as farm:
        (result,), _, _ = crawl(farm, [site], tmp_path)
    assert result.new == 3
    assert [t for m, t, s in site.log if m == "POST"] == [
        "/module/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=2"
    ]


@pytest.mark.parametrize("order", ["count_first", "div_first"])
def test_trs_pages_gbk_and_stub(tmp_path, order) -> None:
    data = make_agency("江南市生态环境局", [2020, 2021, 2022, 2023], seed=3)
    site = trs.build(data, perpage=1, stub_pages=2, args_order=order)
    with Farm([site]) as farm:
        (result,), sink, _ = crawl(farm, [site], tmp_path)
    assert (result.family, result.new, result.errors) == ("trs", 4, [])
    lists = site.served("/xxgk/zfxxgknb/index")
    # four real pages and the first stub; the walk ends there and never asks for the second stub.
    # createPageHTML(count, 0, …) names page 2 index_1; the 'page_div' form (1-based) names it index_2
    first = 1 if order == "count_first" else 2
    assert lists == ["/xxgk/zfxxgknb/index.html"] + [f"/xxgk/zfxxgknb/index_{n}.html" for n in range(first, first + 4)]
    for found in sink.found:
        page = next(d for d in found.documents if d.role == "page")
        report = parse_bytes(page.data, page.url, page.content_type)
        assert report.encoding == "gb18030" and report.agency == "江南市生态环境局"
        assert [d.url.rsplit("/", 1)[-1][:3] for d in found.documents if d.role == "attachment"] == ["P02"]


def test_trs_page_count_orders() -> None:
    assert trs_family.page_count('createPageHTML(7, 0, "index", "shtml");') == (7, "index", "shtml", 0)
    assert trs_family.page_count("createPageHTML('page_div',5,1,'index','html',48);") == (5, "index", "html", 1)
    assert trs_family.page_count("var countPage = 3//共多少页") == (3, None, None, 0)
    assert list(trs_family.page_count('createPageHTML(3, 0, "index", "html");').suffixes()) == [1, 2]
    assert list(trs_family.page_count("createPageHTML('page_div',3,1,'index','html',48);").suffixes()) == [2, 3]


@pytest.mark.parametrize(
    ("api", "pages"),
    [
        ("total", [1, 2]),  # {"total": 3}: two pages of two
        ("classify", [1, 2]),  # only classify.post_count, Unix-time dates, post_url
        ("single", [1, 2]),  # everything on page 1, page 2 answers 404: the end, not an error
    ],
)
def test_gkmlpt_api_and_escaped_body(tmp_path, api, pages) -> None:
    data = make_agency("岭南市交通运输局", [2021, 2022, 2023], seed=4)
    site = gkmlpt.build(data, perpage=2, api=api)
    with Farm([site]) as farm:
        (result,), sink, _ = crawl(farm, [site], tmp_path)
    assert (result.family, result.new, result.failed, result.errors) == ("gkmlpt", 3, 0, [])
    assert site.served("/gkmlpt/api/", status=None) == [f"/gkmlpt/api/all/2311?page={n}&sid=gd_sid_7f3a" for n in pages]
    by_year = {r.year: r for r in data.reports}
    # the list's dates, in whatever form the API gave them, are the reports' publication dates
    assert sorted(f.published for f in sink.found) == sorted(r.published for r in data.reports)
    for found in sink.found:
        extract = next(d for d in found.documents if d.role == "extract")
        report = parse_bytes(extract.data, extract.url)
        expected = by_year[report.year]
        assert report.template == "2021" and report.published == expected.published
        assert values(report) == values(expected.report)


def test_generic_iframe_year_subcolumns_robots_and_duplicates(tmp_path) -> None:
    data = make_agency(generic.JIAXING, [2020, 2021], seed=5, settle_last=True)
    site = generic.build(data)
    with Farm([site]) as farm:
        (result,), sink, _ = crawl(farm, [site], tmp_path)
    assert (result.family, result.new, result.failed, result.skipped) == ("generic", 3, 0, 1)
    assert result.column.endswith("/zwgk/ndbg/list.html")  # found through the iframe of the column page
    assert sink.urls() == [
        "zwgk/ndbg/2020/content_2020.html",
        "zwgk/ndbg/2021/content_2021.html",
        "zwgk/ndbg/2022/content_5801.html",
    ]
    assert site.served("/zwgk/ndbg/2022/content_5801.html") == ["/zwgk/ndbg/2022/content_5801.html"]  # once
    assert not site.served("/private/")  # robots.txt said no
    assert "/zwgk/ndbg/2020/index_1.html" in site.served("/zwgk/ndbg/2020/")  # followed 下一页
    jiaxing = next(f for f in sink.found if f.url.endswith("content_5801.html"))
    report = parse_bytes(jiaxing.documents[0].data, jiaxing.url)
    assert (report.agency, report.year, report.published, report.issues) == (generic.JIAXING, 2022, "2023-01-17", [])
    assert report.value("applications", "granted", "natural_person") == 3


def test_gkmlpt_category_from_the_registry_hint(tmp_path) -> None:
    from govreports.scraper.registry import Agency

    data = make_agency("岭南市民政局", [2022, 2023], seed=9)
    site = gkmlpt.build(data)
    with Farm([site]) as farm:
        agency = Agency(name=site.name, start_url=farm.url(site, "/gkmlpt/index"), cat_id=str(gkmlpt.CAT))
        (result,), _sink, _ = crawl(farm, [site], tmp_path, agencies=[agency])
    assert (result.family, result.new) == ("gkmlpt", 2)
