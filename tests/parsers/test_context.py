"""Metadata from context: hints fill what the document does not print, and say so."""

from __future__ import annotations

from govreports.parsers import Context, parse_bytes
from govreports.parsers.context import attachment_name
from tests.support import FIXTURES

REAL = FIXTURES / "real"


def _pingtan_2024_body() -> bytes:
    # the real 2024 dump without the crawler's header: the report body prints no title at all
    text = (REAL / "text" / "pingtan-2024-crawler-dump.txt").read_text("utf-8")
    return text.split("==================== 正文 ====================\n", 1)[1].encode("utf-8")


def test_document_without_title_gets_agency_and_year_from_its_list_item() -> None:
    body = _pingtan_2024_body()
    bare = parse_bytes(body, "body.txt", "text/plain; charset=utf-8")
    assert (bare.agency, bare.year) == (None, None)
    assert "sources" not in bare.to_dict()  # no context given: nothing to say
    ctx = Context(link_text="平潭综合实验区2024年度政府信息公开工作年度报告", published="2025-03-10")
    report = parse_bytes(body, "body.txt", "text/plain; charset=utf-8", context=ctx)
    assert (report.agency, report.year, report.published) == ("平潭综合实验区", 2024, "2025-03-10")
    assert report.sources == {"agency": "context", "year": "context", "published": "context", "title": "context"}
    assert report.to_dict()["sources"]["year"] == "context"
    assert not report.issues_for("context_disagrees")


def test_registry_agency_fills_but_never_contradicts() -> None:
    ctx = Context(link_text="2024年度政府信息公开工作年度报告", registry_agency="平潭综合实验区")
    report = parse_bytes(_pingtan_2024_body(), "body.txt", "text/plain; charset=utf-8", context=ctx)
    assert (report.agency, report.year) == ("平潭综合实验区", 2024)
    assert report.sources["agency"] == "context"


def test_document_and_context_disagree_the_document_wins_with_a_warning() -> None:
    pdf = (REAL / "pdf" / "huaian-hongze-gov-2023.pdf").read_bytes()
    ctx = Context(agency="淮安市洪泽区人民政府", year=2024)
    report = parse_bytes(pdf, "hongze.pdf", context=ctx)
    assert (report.agency, report.year) == ("洪泽区人民政府", 2023)  # short and full name agree
    assert report.sources["year"] == "document"
    (issue,) = report.issues_for("context_disagrees")
    assert issue.severity == "warning" and issue.cells == ["year"]


def test_attachment_name_from_the_servlet_url() -> None:
    url = (
        "http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=P0202401.pdf"
        "&showname=%E6%B4%AA%E6%B3%BD%E5%8C%BA%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C2023%E5%B9%B4"
        "%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E5%B7%A5%E4%BD%9C%E5%B9%B4%E5%BA%A6"
        "%E6%8A%A5%E5%91%8A.pdf"
    )
    assert attachment_name(url, "附件1.pdf") == "洪泽区人民政府2023年政府信息公开工作年度报告.pdf"
    assert attachment_name("http://x/a.pdf", "附件1.pdf") == "附件1.pdf"
