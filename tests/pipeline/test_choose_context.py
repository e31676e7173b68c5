"""The nightly job parses each document with its context: an attachment that prints no title still
gets its agency and year from the list item that linked it, and the report says so."""

from __future__ import annotations

from datetime import UTC, datetime

from govreports.pipeline import best_report
from govreports.scraper.crawl import Document, FoundReport
from govreports.scraper.registry import Agency
from tests.support import FIXTURES


def _doc(url: str, role: str, data: bytes, content_type: str, title: str | None = None) -> Document:
    return Document(url, role, data, content_type, "0" * 64, "raw", datetime(2025, 3, 11, tzinfo=UTC), title)


def test_attachment_without_title_takes_agency_and_year_from_its_context() -> None:
    dump = (FIXTURES / "real" / "text" / "pingtan-2024-crawler-dump.txt").read_text("utf-8")
    body = dump.split("==================== 正文 ====================\n", 1)[1].encode("utf-8")
    page = _doc("http://x/art/1.html", "page", "<html><body><p>详见附件。</p></body></html>".encode(), "text/html")
    attachment = _doc(
        "http://x/module/download/downfile.jsp?classid=0&filename=P0.txt", "attachment", body, "text/plain", "附件1"
    )
    found = FoundReport(
        Agency("平潭综合实验区管委会办公室", "http://x/"),
        "http://x/art/1.html",
        "平潭综合实验区2024年度政府信息公开工作年度报告",
        "2025-03-10",
        [page, attachment],
        False,
    )
    report, doc, _ = best_report(found)
    assert doc is attachment
    assert (report.template, report.agency, report.year, report.published) == (
        "2021",
        "平潭综合实验区",
        2024,
        "2025-03-10",
    )
    assert report.sources["agency"] == report.sources["year"] == "context"


def test_attachment_named_only_by_the_servers_content_disposition() -> None:
    # the link says 附件1, the URL holds a file id, the list item no title: the server's file name
    # (Content-Disposition, kept on the Document by the crawler) names the report
    dump = (FIXTURES / "real" / "text" / "pingtan-2024-crawler-dump.txt").read_text("utf-8")
    body = dump.split("==================== 正文 ====================\n", 1)[1].encode("utf-8")
    page = _doc("http://x/art/1.html", "page", "<html><body><p>详见附件。</p></body></html>".encode(), "text/html")
    attachment = _doc("http://x/downfile.jsp?fileid=8812", "attachment", body, "text/plain", "附件1")
    attachment.filename = "平潭综合实验区2024年度政府信息公开工作年度报告.txt"
    found = FoundReport(Agency("某办公室", "http://x/"), "http://x/art/1.html", None, None, [page, attachment], False)
    report, doc, _ = best_report(found)
    assert doc is attachment
    assert (report.agency, report.year) == ("平潭综合实验区", 2024)
    assert report.sources["agency"] == report.sources["year"] == "context"
    attachment.filename = None  # without it: the registry's agency, and no year at all
    report, _, _ = best_report(found)
    assert (report.agency, report.year) == ("某办公室", None)
