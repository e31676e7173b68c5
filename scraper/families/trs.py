"""TRS WCM sites: ``index.html``, ``index_1.html``, … (also ``.htm``/``.shtml``).

The page count comes from ``createPageHTML(...)`` — ``(count, current, "index", "html")`` or
``("page_div", count, current, "index", "html", records)`` — or ``var countPage = N``. Articles:
``./YYYYMM/tYYYYMMDD_N.html``, body in ``.TRS_Editor``/``.trs_editor_view``, attachments ``./P0…pdf``.
Deep list pages can be 300-byte stubs without items: the walk ends there.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import urljoin, urlsplit

from ..errors import HTTPStatusError
from .base import Article, Getter, Link, Page, anchors, page_article

NAME = "trs"
FAMILY_SETTINGS: dict[str, object] = {}
BODY = (".TRS_Editor", ".trs_editor_view", ".view.TRS_UEDITOR")
_CREATE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_ARTICLE = re.compile(r"/\d{6}/t\d{8}_\d+\.s?html?$")
_INDEX = re.compile(r"/index(?:_\d+)?\.(s?html?)$")
MAX_PAGES = 200


def matches(page: Page) -> bool:
    return "createPageHTML" in page.text or bool(_COUNT.search(page.text)) \
        or any(_ARTICLE.search(a.url) for a in anchors(page))


def links(page: Page) -> list[Link]:
    return anchors(page)


def page_count(text: str) -> tuple[int, str | None, str | None]:
    """(pages, file prefix, extension) from ``createPageHTML`` in its argument orders or ``countPage``."""
    for m in _CREATE.finditer(text):  # the first call with numbers: pages inline the function's definition first
        args = [a.strip().strip("'\"") for a in m.group(1).split(",")]
        numbers = [int(a) for a in args if a.isdigit()]
        if not numbers:
            continue
        words = [a for a in args if a and not a.isdigit()]
        words = [w for w in words if re.fullmatch(r"[A-Za-z_]+", w)]
        ext = next((w for w in words if w.lower() in ("html", "htm", "shtml")), None)
        prefix = next((w for w in words if w.lower() not in ("html", "htm", "shtml") and "div" not in w.lower()
                       and w.lower() != "page"), None)
        return numbers[0], prefix, ext
    m = _COUNT.search(text)
    return (int(m.group(1)) if m else 1), None, None


async def pages(first: Page, get: Getter) -> AsyncIterator[Page]:
    yield first
    count, prefix, ext = page_count(first.text)
    path = urlsplit(first.url).path
    m = _INDEX.search(path)
    ext = ext or (m.group(1) if m else "html")
    prefix = prefix or "index"
    for n in range(1, min(count, MAX_PAGES)):
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
