"""The attachment's name as the server gives it in Content-Disposition, in the forms servers send."""

from __future__ import annotations

import pytest

from govreports.scraper.http.disposition import disposition_filename

NAME = "洪泽区人民政府2023年政府信息公开工作年度报告.pdf"
PERCENT = "%E6%B4%AA%E6%B3%BD%E5%8C%BA%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C2023%E5%B9%B4" + (
    "%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E5%B7%A5%E4%BD%9C%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf"
)


@pytest.mark.parametrize(
    "value",
    [
        f"attachment; filename*=UTF-8''{PERCENT}",  # RFC 5987
        f'attachment; filename="{PERCENT}"',  # percent-encoded in a plain filename
        f'attachment; filename="{NAME}"',  # UTF-8 that httpx decoded as such
        f'attachment; filename="{NAME.encode("utf-8").decode("latin-1")}"',  # UTF-8 bytes read as Latin-1
        f'attachment; filename="{NAME.encode("gbk").decode("latin-1")}"',  # GBK bytes read as Latin-1
        f"attachment; filename=\"x.pdf\"; filename*=UTF-8''{PERCENT}",  # filename* wins
    ],
    ids=["rfc5987", "percent", "utf8", "utf8-as-latin1", "gbk-as-latin1", "both"],
)
def test_filename_decoded(value: str) -> None:
    assert disposition_filename([value]) == NAME


def test_no_filename_is_none() -> None:
    assert disposition_filename([]) is None
    assert disposition_filename(["inline"]) is None
    assert disposition_filename(['attachment; filename=""']) is None
    assert len(disposition_filename(["attachment; filename=" + "a" * 5000]) or "") <= 300


def test_the_crawler_keeps_the_servers_file_name_on_the_attachment(tmp_path) -> None:
    from govreports.demo import hanweb
    from govreports.demo.content import make_agency
    from govreports.demo.server import Farm
    from tests.support.crawling import crawl

    site = hanweb.build(make_agency("江南市财政局", [2022, 2023], seed=100), attachment_only=2023)
    servlet = "/module/download/downfile.jsp"
    word_file = site.pages[servlet]

    def named(req):
        answer = word_file(req)
        answer.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{PERCENT}"
        return answer

    site.pages[servlet] = named
    with Farm([site]) as farm:
        _, sink, _ = crawl(farm, [site], tmp_path)
    [attachment] = [d for f in sink.found for d in f.documents if d.role == "attachment"]
    assert attachment.filename == NAME
    pages = [d for f in sink.found for d in f.documents if d.role == "page"]
    assert pages and all(d.filename is None for d in pages)
