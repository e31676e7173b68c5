"""Guangdong's 政府信息公开目录平台 (gkmlpt): a JSON list API behind a script page.

The column page holds ``window._CONFIG = {SID: '…', …}``; the list is
``gkmlpt/api/all/{catId}?page=N&sid=SID`` (catId from the column URL's ``#N``, the registry hints or
the config), answered as ``{"total"|"classify": {"post_count"}, "articles": [{title, url|post_url,
date…}]}``; a detail page carries its body JSON-escaped inside its own ``_CONFIG``.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

from govreports.parsers import find_date

from ..errors import HTTPStatusError
from .base import Article, Getter, Link, Page, absolute, attachments, lists_reports, page_article

NAME = "gkmlpt"
FAMILY_SETTINGS: dict[str, object] = {}
_SID = re.compile(r"""\bSID\s*[:=]\s*['"]([\w-]+)['"]""")
_CAT = re.compile(r"""\b(?:CAT_ID|catId|cat_id)\s*[:=]\s*['"]?(\d+)""")
_FIELD = r"""["']?{key}["']?\s*:\s*"((?:[^"\\]|\\.)*)\""""
MAX_PAGES = 200
_CHINA = timezone(timedelta(hours=8))


def matches(page: Page) -> bool:
    return "/gkmlpt/" in page.url or ("_CONFIG" in page.text and "gkmlpt" in page.text)


def _field(text: str, key: str) -> str | None:
    m = re.search(_FIELD.format(key=key), text)
    return json.loads(f'"{m.group(1)}"') if m else None


def links(page: Page) -> list[Link]:
    """Items of an API answer (JSON); a column page itself lists nothing."""
    if not page.text.lstrip().startswith("{"):
        return []
    out = []
    for item in page.data.get("articles") or []:
        url = absolute(page.url, item.get("url") or item.get("post_url"))
        if url:
            out.append(Link(url.split("#", 1)[0], item.get("title") or "", _item_date(item)))
    return out


def is_column(page: Page) -> bool:
    """A gkmlpt column page carries its site id (``SID``); its list comes from the API, not the page."""
    return "SID" in page.text or lists_reports(page, links(page))


def _item_date(item: dict) -> str | None:
    """An item's date: sites give ``YYYY-MM-DD[ hh:mm:ss]`` strings or Unix times (China time)."""
    for key in ("display_publish_time", "publish_time", "created_at", "date"):
        value = item.get(key)
        if isinstance(value, str) and (found := find_date(value)):
            return found
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, _CHINA).date().isoformat()
    return None


async def pages(first: Page, get: Getter) -> AsyncIterator[Page]:
    """The API's pages until the count is reached, a page is empty or repeats, or a later page is gone.

    The count is ``total`` or ``classify.post_count``; some sites serve everything on page 1 and
    answer 404 after it, some ignore ``page`` and repeat page 1.
    """
    sid = _SID.search(first.text)
    cat = first.asked.partition("#")[2] or (m.group(1) if (m := _CAT.search(first.text)) else "")
    if not sid or not cat.isdigit():
        yield first
        return
    seen: set[str] = set()
    for n in range(1, MAX_PAGES):
        try:
            page = await get(urljoin(first.url, f"/gkmlpt/api/all/{cat}?page={n}&sid={sid.group(1)}"))
        except HTTPStatusError as exc:
            if n > 1 and exc.status in (400, 404, 410):
                return  # past the last page
            raise
        data = page.data
        urls = {link.url for link in links(page)}
        if not urls or urls <= seen:
            return
        seen |= urls
        yield page
        total = data.get("total") or (data.get("classify") or {}).get("post_count")
        if total is not None and len(seen) >= int(total):
            return


def article(page: Page) -> Article:
    """The body HTML from the JSON-escaped config, wrapped as a page the parser reads with its metadata."""
    found = page_article(page)
    body = _field(page.text, "content")
    if body is None:
        return found
    title = _field(page.text, "title") or found.title
    date = _field(page.text, "publish_time") or found.published
    body_page = Page(page.url, body.encode("utf-8"), "text/html; charset=utf-8")
    found.attachments += [a for a in attachments(body_page) if all(a.url != b.url for b in found.attachments)]
    head = f'<meta charset="utf-8"><meta name="ArticleTitle" content="{_attr(title)}">'
    if date:
        head += f'<meta name="PubDate" content="{_attr(date)}">'
    found.title, found.published = title, (date or "")[:10] or None
    found.body_html = f"<html><head>{head}</head><body><h1>{_escape(title or '')}</h1>{body}</body></html>"
    return found


def _attr(s: str | None) -> str:
    return (s or "").replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;")


def column_url(base: str, cat_id: int | str) -> str:
    return urljoin(base, f"/gkmlpt/index#{cat_id}")
