"""Any site: report links are recognised by their title; pages follow a "next page" link.

The fallback when no known CMS matches. Titles: ``{机关}{YYYY}年政府信息公开工作年度报告`` with spaces
and suffixes such as （超链版）（图片版） (see :attr:`Link.is_report`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from ..errors import FetchError
from .base import Article, Getter, Link, Page, anchors, lists_reports, page_article

NAME = "generic"
FAMILY_SETTINGS: dict[str, object] = {}
BODY = ("#zoom", ".TRS_Editor", ".trs_editor_view", ".article-content", "article", "#content", ".content")
_NEXT = re.compile(r"^(下一页|下页|后一页|next|>|›|»)$", re.I)
MAX_PAGES = 60


def matches(page: Page) -> bool:
    return True


def links(page: Page) -> list[Link]:
    return anchors(page)


def is_column(page: Page) -> bool:
    return lists_reports(page, links(page))


async def pages(first: Page, get: Getter) -> AsyncIterator[Page]:
    """The column page, then each "下一页" page not seen before."""
    seen = {first.url}
    page = first
    for _ in range(MAX_PAGES):
        yield page
        nxt = next((a.url for a in anchors(page) if _NEXT.match(a.text.strip()) and a.url not in seen), None)
        if nxt is None:
            return
        seen.add(nxt)
        try:
            page = await get(nxt)
        except FetchError:
            return


def article(page: Page) -> Article:
    return page_article(page, BODY)
