"""Hanweb (大汉) sites: ``col/colN/index.html`` columns, items in a ``<datastore>`` XML block.

The first page carries ``<record><![CDATA[<li><a href=…>]]></record>`` items and ``totalrecord``;
further items come by POST to ``module/web/jpage/dataproxy.jsp?page=N`` (older sites:
``module/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``) with columnid/unitid/webid read
from the page. Articles: ``art/YYYY/M/D/art_C_I.html``, body in ``#zoom``, metadata in
``table.xxgk_table`` (索引号, 发布机构, 发文日期).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import urljoin

from .base import Article, Getter, Link, Page, anchors, page_article

NAME = "hanweb"
FAMILY_SETTINGS: dict[str, object] = {}
BODY = ("#zoom",)
_COL = re.compile(r"/col/col(\d+)/")
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)|<perpage>\s*(\d+)", re.I)
_PARAM = {k: re.compile(rf"\b{k}\s*[:=]\s*['\"]?(\d+)", re.I) for k in ("columnid", "unitid", "webid")}
MAX_PAGES = 200


def matches(page: Page) -> bool:
    return bool(_COL.search(page.url)) or "<datastore>" in page.text.lower()


def links(page: Page) -> list[Link]:
    """Items of the datastore records (first page or a dataproxy answer), else the page's anchors."""
    records = _RECORD.findall(page.text)
    if not records:
        return anchors(page)
    return anchors(page, "".join(records))


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    return int(next(g for g in m.groups() if g)) if m else None


async def pages(first: Page, get: Getter) -> AsyncIterator[Page]:
    """The column page, then dataproxy pages until ``totalrecord`` items have been seen."""
    yield first
    text = first.text
    total = _number(_TOTAL, text)
    got = len(_RECORD.findall(text))
    if not total or got == 0 or got >= total:
        return
    params = {k: _number(p, text) for k, p in _PARAM.items()}
    if params["columnid"] is None and (m := _COL.search(first.url)):
        params["columnid"] = int(m.group(1))
    perpage = _number(_PERPAGE, text) or got
    old = "module/jpage/dataproxy.jsp" in text and "module/web/jpage/dataproxy.jsp" not in text
    endpoint = urljoin(first.url, "/module/jpage/dataproxy.jsp" if old else "/module/web/jpage/dataproxy.jsp")
    form = {"col": "1", "appid": "1", "path": "/", "permissiontype": "0", "sourceContentType": "1",
            **{k: str(v) for k, v in params.items() if v is not None}}
    number = 1
    while got < total and number < MAX_PAGES:
        number += 1
        if old:
            url = f"{endpoint}?startrecord={got + 1}&endrecord={got + perpage}&perpage={perpage}"
        else:
            url = f"{endpoint}?page={number}"
        page = await get(url, data=form)
        n = len(_RECORD.findall(page.text))
        if n == 0:
            return
        got += n
        yield page


def article(page: Page) -> Article:
    return page_article(page, BODY)
