"""The site families behind one protocol: the registry of families, and each family's column test."""

from __future__ import annotations

import pytest

from govreports.scraper.families import FAMILIES, Page, SiteFamily, detect, generic, gkmlpt, hanweb, trs

YEAR_LINKS = '<a href="2022/index.html">2022年</a><a href="2021/index.html">2021年</a>'
REPORT_LINK = '<a href="/art/2023/1/1/art_1_1.html">江南市财政局2022年政府信息公开工作年度报告</a>'


def page(url: str, body: str) -> Page:
    return Page(url, f"<html><body>{body}</body></html>".encode(), "text/html; charset=utf-8")


def test_every_family_is_a_site_family_under_its_own_name() -> None:
    assert list(FAMILIES) == ["hanweb", "gkmlpt", "trs", "generic"]  # detect's order; generic matches anything
    for name, family in FAMILIES.items():
        assert isinstance(family, SiteFamily), name
        assert name == family.NAME


def test_detect_by_registry_name_and_unknown_name() -> None:
    p = page("https://www.example.gov.cn/", "")
    assert detect(p, "trs") is trs
    assert detect(p) is generic
    with pytest.raises(KeyError, match="unknown site family 'drupal'"):
        detect(p, "drupal")


# gkmlpt reads its links from the site's JSON API, not from anchors: its column test is below
@pytest.mark.parametrize("family", [hanweb, trs, generic], ids=lambda f: f.NAME)
def test_a_page_with_a_report_link_is_a_column_for_every_family(family: SiteFamily) -> None:
    assert family.is_column(page("https://www.example.gov.cn/somewhere.html", REPORT_LINK))
    assert not family.is_column(page("https://www.example.gov.cn/somewhere.html", '<a href="/a.html">机构概况</a>'))


@pytest.mark.parametrize("family", [hanweb, trs, generic], ids=lambda f: f.NAME)
def test_year_subcolumns_make_a_column_only_under_a_report_column_path(family: SiteFamily) -> None:
    assert family.is_column(page("https://www.example.gov.cn/zfxxgknb/index.html", YEAR_LINKS))
    assert not family.is_column(page("https://www.example.gov.cn/news/index.html", YEAR_LINKS))


def test_family_specific_column_layouts() -> None:
    plain = "https://www.example.gov.cn/news/index.html"
    # gkmlpt fills its list from an API: the page only names its site
    assert gkmlpt.is_column(page(plain, "<script>var SID = 'gd-1';</script>"))
    assert not generic.is_column(page(plain, "<script>var SID = 'gd-1';</script>"))
    assert not gkmlpt.is_column(page(plain, REPORT_LINK))  # an anchor is not an API item
    # TRS paging script: year sub-columns count wherever the page lives
    trs_page = page(plain, YEAR_LINKS + "<script>createPageHTML(3, 0, 'index', 'html');</script>")
    assert trs.is_column(trs_page)
    assert not generic.is_column(trs_page)
    # a hanweb datastore without reports or sub-columns is not the column, whatever its path says
    empty_store = "<datastore><nextgroup></nextgroup><recordset></recordset></datastore>"
    assert not hanweb.is_column(page("https://www.example.gov.cn/zfxxgknb/col/col1/index.html", empty_store))
