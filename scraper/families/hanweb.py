"""Hanweb (大汉) sites: ``col/colN/index.html`` columns, items in a ``<datastore>`` XML block.

The first page carries ``<record><![CDATA[<li><a href=…>]]></record>`` items and ``totalrecord``;
further items come by POST to the page's jpage ``proxyUrl`` (or its ``<nextgroup>`` link):
``module/web/jpage/dataproxy.jsp?page=N``, or ``?startrecord=…&endrecord=…&perpage=…`` on
``module/jpage/`` and ``module/jslib/jquery/jpage/``, with columnid/unitid/webid read from the page. Articles: ``art/YYYY/M/D/art_C_I.html``, body in ``#zoom``, metadata in
``table.xxgk_table`` (索引号, 发布机构, 发文日期).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .base import Article, Getter, Link, Page, anchors, lists_reports, page_article

NAME = "hanweb"
FAMILY_SETTINGS: dict[str, object] = {}
BODY = ("#zoom",)
_COL = re.compile(r"/col/col(\d+)/")
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)|<perpage>\s*(\d+)", re.I)
_PARAM = {k: re.compile(rf"\b{k}\s*[:=]\s*['\"]?(\d+)", re.I) for k in ("columnid", "unitid", "webid")}
_PROXY = re.compile(r"""proxyUrl\s*:\s*['"]([^'"?]*dataproxy\.jsp)""", re.I)
_NEXTGROUP = re.compile(r"""<nextgroup>\s*<!\[CDATA\[\s*<a\s+href=['"]([^'"?]*dataproxy\.jsp)""", re.I)
MAX_PAGES = 200


def matches(page: Page) -> bool:
    return bool(_COL.search(page.url)) or "<datastore>" in page.text.lower()


def links(page: Page) -> list[Link]:
    """Items of the datastore records (first page or a dataproxy answer), else the page's anchors."""
    records = _RECORD.findall(page.text)
    if not records:
        return anchors(page)
    return anchors(page, "".join(records))


def is_column(page: Page) -> bool:
    """A page with a ``<datastore>`` is a column list exactly when its records hold reports or sub-columns."""
    found = links(page)
    if "<datastore>" in page.text.lower():
        return any(link.is_report or link.is_subcolumn for link in found)
    return lists_reports(page, found)


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    return int(next(g for g in m.groups() if g)) if m else None


@dataclass(slots=True)
class Proxy:
    """How a column asks for its further records: the dataproxy URL, paging style and POST form."""

    endpoint: str
    by_page: bool  # ?page=N (``/module/web/jpage/``) rather than ?startrecord=…&endrecord=…&perpage=…
    form: dict[str, str]
    total: int | None
    perpage: int | None

    def url(self, number: int, got: int, perpage: int) -> str:
        """The request for list page ``number`` (2, 3, …) after ``got`` records."""
        if self.by_page:
            return f"{self.endpoint}?page={number}"
        return f"{self.endpoint}?startrecord={got + 1}&endrecord={got + perpage}&perpage={perpage}"


def proxy(page: Page) -> Proxy:
    """The dataproxy request read from a column page (its jpage script and ``<datastore>``).

    The endpoint is the jpage ``proxyUrl``, else the ``<nextgroup>`` link's path, else the usual
    ``/module/web/jpage/dataproxy.jsp`` (``/module/jpage/…`` on pages that name only that one): sites use
    ``/module/web/jpage/``, ``/module/jpage/`` and ``/module/jslib/jquery/jpage/``.
    """
    text = page.text
    m = _PROXY.search(text) or _NEXTGROUP.search(text)
    if m:
        endpoint = urljoin(page.url, m.group(1))
    else:
        old = "module/jpage/dataproxy.jsp" in text and "module/web/jpage/dataproxy.jsp" not in text
        endpoint = urljoin(page.url, "/module/jpage/dataproxy.jsp" if old else "/module/web/jpage/dataproxy.jsp")
    params = {k: _number(p, text) for k, p in _PARAM.items()}
    if params["columnid"] is None and (c := _COL.search(page.url)):
        params["columnid"] = int(c.group(1))
    form = {
        "col": "1",
        "appid": "1",
        "path": "/",
        "permissiontype": "0",
        "sourceContentType": "1",
        **{k: str(v) for k, v in params.items() if v is not None},
    }
    by_page = urlsplit(endpoint).path.endswith("/module/web/jpage/dataproxy.jsp")
    return Proxy(endpoint, by_page, form, _number(_TOTAL, text), _number(_PERPAGE, text))


async def pages(first: Page, get: Getter) -> AsyncIterator[Page]:
    """The column page, then dataproxy pages until ``totalrecord`` items have been seen."""
    yield first
    got = len(_RECORD.findall(first.text))
    request = proxy(first)
    total = request.total
    if not total or got == 0 or got >= total:
        return
    perpage = request.perpage or got
    number = 1
    while got < total and number < MAX_PAGES:
        number += 1
        page = await get(request.url(number, got, perpage), data=request.form)
        n = len(_RECORD.findall(page.text))
        if n == 0:
            return
        got += n
        yield page


def article(page: Page) -> Article:
    return page_article(page, BODY)
