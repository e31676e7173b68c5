"""Imitation sites whose reports have no text to read: OCR's ground (not among the default demo sites).

* 青田县自然资源和规划局 publishes its 2023 report as a 图片版 page: headings and prose as text, the
  three tables as pictures (``/picture/…png``);
* 龙泉市市场监督管理局 publishes its 2020 report as a scanned PDF attachment (black and white, 300 dpi)
  under a page that only links it.

The pictures and the scan are ``tests/fixtures/ocr`` files (made by its ``make_scans.py`` from
reports whose numbers are known), shipped in ``data/scanned/``.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from .common import html_page
from .site import Response, Site

QINGTIAN = "青田县自然资源和规划局"
LONGQUAN = "龙泉市市场监督管理局"
PICTURES = (
    "table-2021-active.png",
    "table-2021-applications-1.png",
    "table-2021-applications-2.png",
    "table-2021-review.png",
)
PROSE = {
    "一、总体情况": "2023年，青田县自然资源和规划局坚持以人民为中心，认真贯彻落实政务公开工作部署，持续深化重点领域信息公开，"
    "全年通过门户网站主动公开政府信息1,046条。",
    "五、存在的主要问题及改进情况": "一是主动公开的深度和广度有待拓展；二是政策解读形式较为单一。下一步，我局将进一步规范公开流程。",
    "六、其他需要报告的事项": "青田县自然资源和规划局2023年未收取政府信息公开信息处理费。",
}


def _data(name: str) -> bytes:
    return resources.files("govreports.demo").joinpath(f"data/scanned/{name}").read_bytes()


def _site(name: str, title: str, published: str, article: str, files: dict[str, Response]) -> Site:
    site = Site(name)
    site.pages["/"] = Response(
        200, html_page(name, f'<h1>{escape(name)}</h1><a href="/xxgk/ndbg/">政府信息公开年度报告</a>').encode()
    )
    site.pages["/xxgk/ndbg/index.html"] = Response(
        200,
        html_page(
            "政府信息公开年度报告",
            f'<ul><li><a href="art_1.html">{escape(title)}</a> <span>{published}</span></li></ul>',
        ).encode(),
    )
    head = f'<meta name="ArticleTitle" content="{escape(title)}"><meta name="PubDate" content="{published} 09:30">'
    site.pages["/xxgk/ndbg/art_1.html"] = Response(
        200, html_page(title, f'<div class="article"><h1>{escape(title)}</h1>{article}</div>', head).encode()
    )
    site.pages.update(files)
    return site


def picture_site() -> Site:
    """The 图片版 page: its tables are four pictures (the applications table runs over two)."""
    title = f"{QINGTIAN}2023年度政府信息公开工作年度报告"
    img = '<p align="center"><img src="/picture/{}" width="600"></p>'
    parts = [
        "<p>本报告依据《中华人民共和国政府信息公开条例》编制。</p>",
        "<p>一、总体情况</p>",
        f"<p>{PROSE['一、总体情况']}</p>",
        "<p>二、主动公开政府信息情况</p>",
        img.format(PICTURES[0]),
        "<p>三、收到和处理政府信息公开申请情况</p>",
        img.format(PICTURES[1]),
        img.format(PICTURES[2]),
        "<p>四、政府信息公开行政复议、行政诉讼情况</p>",
        img.format(PICTURES[3]),
        "<p>五、存在的主要问题及改进情况</p>",
        f"<p>{PROSE['五、存在的主要问题及改进情况']}</p>",
        "<p>六、其他需要报告的事项</p>",
        f"<p>{PROSE['六、其他需要报告的事项']}</p>",
        f'<p align="right">{QINGTIAN}</p><p align="right">2024年1月18日</p>',
    ]
    files = {f"/picture/{p}": Response(200, _data(p), "image/png") for p in PICTURES}
    return _site(QINGTIAN, title, "2024-01-18", "".join(parts), files)


def scan_site() -> Site:
    """A page that only links its report: a scanned PDF without a text layer."""
    title = f"{LONGQUAN}2020年度政府信息公开工作年度报告"
    article = '<p>详见附件。</p><p>附件：<a href="/attach/ndbg2020.pdf">2020年度政府信息公开工作年度报告.pdf</a></p>'
    files = {"/attach/ndbg2020.pdf": Response(200, _data("scanned-2019-300.pdf"), "application/pdf")}
    return _site(LONGQUAN, title, "2021-01-20", article, files)


def scanned_sites() -> list[Site]:
    return [picture_site(), scan_site()]
