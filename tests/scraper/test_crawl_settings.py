"""Settings layers and the discovery of a report column from link texts and paths."""

from __future__ import annotations

import pytest

from govreports.scraper.discover import column_score
from govreports.scraper.families.base import Link, Page, absolute, attachments, is_attachment
from govreports.scraper.registry import Agency
from govreports.settings import DEFAULTS, Settings


def test_layers_in_order() -> None:
    family = {"THROTTLE_DELAY": 3.0}
    s = Settings.from_env(family, environ={"GOVREPORTS_THROTTLE_DELAY": "2.5", "GOVREPORTS_ROBOTS_ENABLED": "no"})
    assert s["THROTTLE_DELAY"] == 2.5 and s["ROBOTS_ENABLED"] is False
    assert s.replace(THROTTLE_DELAY=0.1)["THROTTLE_DELAY"] == 0.1  # CLI flags last
    assert Settings.from_env(family, environ={})["THROTTLE_DELAY"] == 3.0
    assert s.prefix("RETRY") == {k[6:]: v for k, v in DEFAULTS.items() if k.startswith("RETRY_")}
    with pytest.raises(KeyError):
        Settings({"THROTTLE_DELAYS": 1})


def test_one_setting_read_where_no_settings_object_is_handed(monkeypatch) -> None:
    from govreports import parsers, settings
    from govreports.db.engine import resolve_url

    assert settings.get("DB_BATCH_SIZE", environ={"GOVREPORTS_DB_BATCH_SIZE": "7"}) == 7
    monkeypatch.setenv("GOVREPORTS_DB", "sqlite:///elsewhere.db")
    assert resolve_url() == "sqlite:///elsewhere.db"
    monkeypatch.setenv("GOVREPORTS_PARSE_MAX_BYTES", "100")
    report = parsers.parse_bytes(b"<html>" + b"x" * 200 + b"</html>", "big.html")
    assert [(i.rule, i.severity) for i in report.issues] == [("too_large", "error")]
    assert report.issues[0].message == "document is 213 bytes, over the 100 bytes limit (PARSE_MAX_BYTES)"
    assert DEFAULTS["HTTP_MAX_BYTES"] == DEFAULTS["PARSE_MAX_BYTES"]  # the crawler keeps nothing the parser refuses


def test_defaults_are_grouped_and_sorted() -> None:
    keys = list(DEFAULTS)
    assert keys == sorted(keys)
    assert "+https://" in DEFAULTS["HTTP_USER_AGENT"]  # an honest User-Agent with a contact URL


@pytest.mark.parametrize(
    "text, url, score",
    [
        ("政府信息公开年报", "http://a/col/col9/index.html", 100),
        ("政府信息公开工作年度报告", "http://a/x/", 99),
        ("年报", "http://a/x/", 95),
        ("", "http://a/xxgk/zfxxgkndbg/", 80),
        ("信息公开", "http://a/xxgk/", 19),
        ("新闻中心", "http://a/news/", 0),
        ("嘉兴市经济和信息化局2022年度政府信息公开工作年度报告", "http://a/x.html", 0),  # a report, not a column
    ],
)
def test_column_score(text, url, score) -> None:
    assert column_score(Link(url, text)) == score


def test_links() -> None:
    assert absolute("http://a/b/c.html", "javascript:void(0)") is None
    assert absolute("http://a/b/c.html", "../d.html#top") == "http://a/d.html"
    assert absolute("http://a/b/", "/gkmlpt/index#2311") == "http://a/gkmlpt/index#2311"
    assert is_attachment("http://a/module/download/downfile.jsp?classid=0&filename=2021%E5%B9%B4.pdf")
    assert is_attachment("http://a/b/P020230117123.PDF")
    assert not is_attachment("http://a/b/t20230117_1.html")
    assert Link("http://a/2022/", "2022年度").is_subcolumn
    assert Link("http://a/t.html", "某局 2022年 政府信息公开工作年度报告（超链版）").is_report


def test_attachments_are_found_however_their_names_are_written() -> None:
    html = """<html><body><div id="zoom"><p>正文</p>
      <a href="/module/download/downfile.jsp?classid=0&amp;filename=%E5%B9%B4%E6%8A%A5%2Epdf">年度报告</a>
      <a href="P020240125.PDF">附件</a>
      <a href="/attach/get?id=9">2023年报表.xlsx</a>
      <a href="/news/1.html">新闻</a></div>
      <a href="/downloads/">下载中心</a></body></html>"""
    page = Page("http://a.gov.cn/art/2024/1/25/art_1_2.html", html.encode(), "text/html; charset=utf-8")
    assert [(link.url, link.text) for link in attachments(page, "#zoom")] == [
        ("http://a.gov.cn/module/download/downfile.jsp?classid=0&filename=%E5%B9%B4%E6%8A%A5%2Epdf", "年度报告"),
        ("http://a.gov.cn/art/2024/1/25/P020240125.PDF", "附件"),
        ("http://a.gov.cn/attach/get?id=9", "2023年报表.xlsx"),
    ]
    plain = Page(page.url, b"<html><body><a href='/news/1.html'>docs</a><a href='/x.html'>pdf</a></body></html>")
    assert attachments(plain) == []


def test_agencies_in_flight_follow_memory_unless_fixed() -> None:
    from govreports.scraper.crawl import agencies_in_flight

    gib = 2**30
    auto = Settings({"CONCURRENCY_AGENCIES": 0, "CONCURRENCY_AGENCY_MB": 8, "CONCURRENCY_AGENCIES_MAX": 2000})
    assert agencies_in_flight(auto, available=2 * gib) == 128  # half of 2 GiB at 8 MiB each
    assert agencies_in_flight(auto, available=64 * gib) == 2000  # capped
    assert agencies_in_flight(auto, available=100 * 2**20) == 32  # a small machine still walks 32
    assert agencies_in_flight(auto.replace(CONCURRENCY_AGENCIES=5), available=64 * gib) == 5
    assert agencies_in_flight(Settings({"CONCURRENCY_AGENCIES": 0})) >= 32  # this machine's own memory


def test_agencies_start_one_host_at_a_time_in_turn() -> None:
    """With fewer agencies in flight than the registry holds, every host gets some from the start."""
    from govreports.scraper.crawl import by_turns

    hosts = ["a.gov.cn", "a.gov.cn", "a.gov.cn", "b.gov.cn", "c.gov.cn", "c.gov.cn"]
    agencies = [Agency(name=f"局{n}", start_url=f"http://{h}/d{n}/") for n, h in enumerate(hosts)]
    assert by_turns(agencies) == [0, 3, 4, 1, 5, 2]
    assert by_turns([]) == []
