"""TRS WCM sites: ``index.html``, ``index_1.html``, … (also ``.htm``/``.shtml``).

The page count comes from ``createPageHTML(...)`` — ``(count, current, "index", "html")``, pages
``index_1…`` — or ``("page_div", count, current, "list", "shtml", records)``, pages ``list_2…`` — or
``var countPage = N``; pages inline the function's own definition before the call. Articles:
``./YYYYMM/tYYYYMMDD_N.html``, body in ``.TRS_Editor``/``.trs_editor_view``, attachments ``./P0…pdf``.
Deep list pages can be 300-byte stubs without items: the walk ends there.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from ..errors import HTTPStatusError
from .base import Article, Getter, Link, Page, anchors, lists_reports, page_article

NAME = "trs"
FAMILY_SETTINGS: dict[str, object] = {}
BODY = (".TRS_Editor", ".trs_editor_view", ".view.TRS_UEDITOR")
_CREATE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_ARTICLE = re.compile(r"/\d{6}/t\d{8}_\d+\.s?html?$")
_FILE = re.compile(r"/([A-Za-z_]+?)(?:_\d+)?\.(s?html?)$")
MAX_PAGES = 200


def matches(page: Page) -> bool:
    return (
        "createPageHTML" in page.text
        or bool(_COUNT.search(page.text))
        or any(_ARTICLE.search(a.url) for a in anchors(page))
    )


def links(page: Page) -> list[Link]:
    return anchors(page)


def is_column(page: Page) -> bool:
    """A page paged by ``createPageHTML`` is a column as soon as it links a year sub-column."""
    found = links(page)
    if "createPageHTML" in page.text and any(link.is_subcolumn for link in found):
        return True
    return lists_reports(page, found)


class Paging(NamedTuple):
    """A list's paging: ``pages`` pages; page 1 is ``{prefix}.{ext}``, the others ``{prefix}_{n}.{ext}``
    for n from ``current + 1`` on, where ``current`` is the first page's own index (0 or 1)."""

    pages: int
    prefix: str | None
    ext: str | None
    current: int = 0

    def suffixes(self) -> range:
        """The ``_n`` of the pages after the first: 1…count-1 (0-based lists), 2…count (1-based)."""
        return range(self.current + 1, self.current + self.pages)


def page_count(text: str) -> Paging:
    """The paging from ``createPageHTML`` in its argument orders, else ``var countPage``.

    ``createPageHTML(count, current, "index", "html")`` counts from 0 (page 2 is ``index_1``); the
    ``('page_div', count, current, 'list', 'shtml', records)`` form counts from 1 (page 2 is ``list_2``).
    """
    for m in _CREATE.finditer(text):  # the first call with numbers: pages inline the function's definition first
        args = [a.strip().strip("'\"") for a in m.group(1).split(",")]
        numbers = [int(a) for a in args if a.isdigit()]
        if not numbers:
            continue
        words = [a for a in args if a and not a.isdigit()]
        words = [w for w in words if re.fullmatch(r"[A-Za-z_]+", w)]
        ext = next((w for w in words if w.lower() in ("html", "htm", "shtml")), None)
        prefix = next(
            (
                w
                for w in words
                if w.lower() not in ("html", "htm", "shtml") and "div" not in w.lower() and w.lower() != "page"
            ),
            None,
        )
        current = numbers[1] if len(numbers) > 1 and numbers[1] in (0, 1) else 0
        return Paging(numbers[0], prefix, ext, current)
    count = _COUNT.search(text)
    return Paging(int(count.group(1)) if count else 1, None, None)


async def pages(first: Page, get: Getter) -> AsyncIterator[Page]:
    yield first
    paging = page_count(first.text)
    m = _FILE.search(urlsplit(first.url).path)
    ext = paging.ext or (m.group(2) if m else "html")
    prefix = paging.prefix or (m.group(1) if m else "index")
    for n in paging.suffixes()[: MAX_PAGES - 1]:
        try:
            page = await get(urljoin(first.url, f"{prefix}_{n}.{ext}"))
        except HTTPStatusError as exc:
            if exc.status == 404:
                return
            raise
        if not any(_ARTICLE.search(a.url) or a.is_report for a in anchors(page)):
            return  # a stub past the real end of the list
        yield page


def article(page: Page) -> Article:
    return page_article(page, BODY)
