"""What every site family shares: pages, links, articles, and reading them out of HTML.

A family module (``hanweb.py``, ``trs.py``, ``gkmlpt.py``, ``generic.py``) provides the same four
functions over these types: ``matches(page)``, ``pages(first, get)`` (the column's list pages, the
first included), ``links(page)`` (items of one list page) and ``article(page)`` (a report page's body,
metadata and attachments). Families never retry, throttle, cache or check robots.txt: ``get`` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from govreports.parsers import ParseError, check_markup, decode, find_date, parse_title, squash

from ..errors import FetchError

ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "ofd")
_EXT = re.compile(r"\.(" + "|".join(ATTACHMENT_EXTENSIONS) + r")$", re.I)
_EXT_ANYWHERE = re.compile(r"\.(" + "|".join(ATTACHMENT_EXTENSIONS) + r")", re.I)
_YEAR_ONLY = re.compile(r"^((?:19|20)\d{2})年?度?(?:政府信息公开)?(?:工作)?(?:年度报告|年报)?$")
_CUT = re.compile(r"(\.{2,}|…+)$")
# The usual paths of a report column (zfxxgknb = 政府信息公开年报 …); discovery scores links by them too.
COLUMN_PATHS = re.compile(r"/(zfxxgknb|zfxxgkndbg|xxgkndbg|ndbg|gknb|xxgknb)(/|_|\.|$)", re.I)
_LIST_PATH = re.compile(r"(/col/col\d+/(index\.html?)?$|/index(_\d+)?\.s?html?$|/$)", re.I)


@dataclass(slots=True)
class Link:
    """An anchor: where it points (absolute, no fragment) and its text."""

    url: str
    text: str
    date: str | None = None

    @property
    def is_report(self) -> bool:
        """The text is a report title (``{机关}{YYYY}年政府信息公开工作年度报告`` and its variants)."""
        return parse_title(self.text) is not None and not self.is_subcolumn

    @property
    def is_subcolumn(self) -> bool:
        """A year's sub-column of the report column (``2022年``, ``2022年度``) or a titled list page."""
        text = squash(self.text)
        if _YEAR_ONLY.match(text):
            return True
        return (
            parse_title(self.text) is not None
            and bool(_LIST_PATH.search(urlsplit(self.url).path))
            and not is_attachment(self.url)
        )


T = TypeVar("T")


class cached_property(Generic[T]):
    """``functools.cached_property`` without its lock: on Python 3.11 that lock is one per class
    attribute, shared by every instance, so threads reading different pages waited on each other
    (a crawl's page trees were built one at a time). Two threads never read one page at once here;
    if they did, the value would only be computed twice."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


@dataclass
class Page:
    """A fetched page: ``url`` resolves its relative links; ``asked`` keeps a fragment (gkmlpt ``#catId``)."""

    url: str
    content: bytes
    content_type: str | None = None
    asked: str = ""

    @cached_property
    def text(self) -> str:
        return decode(self.content, self.content_type)[0]

    @cached_property
    def data(self) -> Any:
        """The page as JSON (an API answer: any JSON value); read once however many callers ask."""
        return json.loads(self.text)

    @cached_property
    def tree(self) -> LexborHTMLParser:
        """The page parsed; markup nested past ``PARSE_MAX_DEPTH`` is a :class:`FetchError` of this page
        (lexbor's tree builder is quadratic in depth: it would stall the crawl's event loop for minutes)."""
        try:
            check_markup(self.content)
        except ParseError as exc:
            raise FetchError(f"{self.url}: {exc}") from exc
        return LexborHTMLParser(self.text)

    def forget_tree(self) -> None:
        """Let the parsed tree go (it is rebuilt if read again): lexbor takes ~130 KB for even a small
        list page, and an agency in flight keeps its column's pages while its reports are fetched."""
        self.__dict__.pop("tree", None)

    @cached_property
    def base(self) -> str:
        node = self.tree.css_first("base[href]")
        return urljoin(self.url, node.attributes.get("href") or "") if node is not None else self.url


@dataclass(slots=True)
class Article:
    """A report page read by its family: title, date, body HTML to parse, attachments to fetch."""

    title: str | None
    published: str | None
    site: str | None = None
    body_html: str | None = None  # set when the page's own bytes are not what the parser should read
    attachments: list[Link] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    # the pictures of a page whose body has no table (图片版: the tables are pictures), for OCR
    pictures: list[Link] = field(default_factory=list)


Getter = Callable[..., Awaitable[Page]]  # get(url, data=None) -> Page, through the HTTP layer


def absolute(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for ``javascript:``, ``mailto:``, ``#`` …"""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#") or re.match(r"^(javascript|mailto|tel|data):", href, re.I):
        return None
    url, _, fragment = urljoin(base, href).partition("#")
    if fragment.isdigit():  # gkmlpt names its categories in the fragment: /gkmlpt/index#1234
        url = f"{url}#{fragment}"
    return url if url.startswith(("http://", "https://")) else None


def anchors(page: Page, html: str | None = None, scope: str | None = None) -> list[Link]:
    """Every distinct link of a page (or of ``html`` read relative to it), in document order."""
    tree = page.tree if html is None else LexborHTMLParser(html)
    root = tree.css_first(scope) if scope else None
    nodes = (root or tree).css("a[href]") if (root or tree) is not None else []
    seen: set[str] = set()
    out: list[Link] = []
    for a in nodes:
        url = absolute(page.base, a.attributes.get("href"))
        if url is None or url in seen:
            continue
        text = a.text(deep=True, separator="", strip=True) or (a.attributes.get("title") or "").strip()
        title = (a.attributes.get("title") or "").strip()
        date = None
        if title and title != text:
            if len(title) > len(text) and parse_title(title):
                text = title  # lists cut long titles to "…" and keep the whole one in title=
            elif (stem := _CUT.sub("", text)) and title.startswith(stem) and len(title) > len(stem):
                text = title  # 标题… cut without being a report title: title= is still the whole one
            elif text.startswith(title):
                # the anchor wraps the title and its date (<div>标题</div><div>2017-05-24</div>)
                date = find_date(text[len(title) :])
                text = title
        seen.add(url)
        out.append(Link(url, text, date))
    return out


def frames(page: Page) -> list[str]:
    """URLs of iframes/frames (some columns show their list in one)."""
    out = []
    for node in page.tree.css("iframe[src], frame[src]"):
        url = absolute(page.base, node.attributes.get("src"))
        if url and url not in out:
            out.append(url)
    return out


def is_attachment(url: str, text: str = "") -> bool:
    """A document link: by its path, a download servlet's ``filename=``, or the link text's extension."""
    parts = urlsplit(url)
    if _EXT.search(unquote(parts.path)):
        return True
    for key, value in parse_qsl(parts.query):
        if key.lower() in ("filename", "name", "file", "fname") and _EXT.search(value):
            return True
    return bool(text and _EXT.search(text.strip()) and re.search(r"down|file|attach", parts.path, re.I))


def attachments(page: Page, scope: str | None = None) -> list[Link]:
    """Attachment links of a report page: those in the body (``scope``) first, then the rest of the page."""
    if not _EXT_ANYWHERE.search(unquote(page.text)):
        return []  # no link can be a document's (every test of is_attachment needs an extension)
    found = [link for link in anchors(page) if is_attachment(link.url, link.text)]
    if scope and len(found) > 1:
        inside = {link.url for link in anchors(page, scope=scope)}
        found.sort(key=lambda link: link.url not in inside)
    return found


_META = {"articletitle": "title", "pubdate": "published", "sitename": "site", "firstpublishedtime": "published"}


def page_article(page: Page, scopes: tuple[str, ...] = ()) -> Article:
    """The common reading of a report page: <meta> tags, an 信息公开 metadata table, attachments."""
    meta: dict[str, str] = {}
    for node in page.tree.css("meta[name]"):
        key = _META.get((node.attributes.get("name") or "").lower())
        content = (node.attributes.get("content") or "").strip()
        if key and content:
            meta.setdefault(key, content)
    for row in page.tree.css("table.xxgk_table tr, table.xxgk-table tr"):
        cells = [c.text(strip=True) for c in row.css("th, td")]
        for label, value in zip(cells[::2], cells[1::2], strict=False):
            label = squash(label).rstrip(":：")
            if label and value:
                meta.setdefault(label, value)
    published = (
        find_date(meta.get("published", ""))
        or find_date(meta.get("发文日期", ""))
        or find_date(meta.get("发布日期", ""))
    )
    title = meta.get("title")
    if not title:
        title_node = page.tree.css_first("title")
        title = title_node.text(strip=True) if title_node is not None else None
    scope = next((s for s in scopes if page.tree.css_first(s) is not None), None)
    return Article(title, published, meta.get("site"), None, attachments(page, scope), meta, pictures(page, scope))


def pictures(page: Page, scope: str | None = None) -> list[Link]:
    """The pictures of a report page without tables (its body's, or the whole page's), in order.

    A page whose tables are text needs none; a 图片版 page prints its tables as ``<img>``: the
    parser reads them by OCR when the text has no tables. ``data:`` URIs are not fetched.
    """
    root = (page.tree.css_first(scope) if scope else None) or page.tree.body or page.tree.root
    if root is None or _has_table_numbers(root):
        return []
    out: list[Link] = []
    for img in root.css("img[src]"):
        url = absolute(page.base, img.attributes.get("src"))
        if url is not None and all(url != link.url for link in out):
            out.append(Link(url, (img.attributes.get("alt") or "").strip()))
    return out


def _has_table_numbers(root) -> bool:
    """True when a table of the body holds a number: the report's tables are text."""
    return any(any(ch.isdigit() for ch in td.text(strip=True)) for td in root.css("table td"))


def lists_reports(page: Page, links: list[Link]) -> bool:
    """The column test every family shares: a report link among ``links``, or a year sub-column on a
    page whose path is a report column's."""
    if any(link.is_report for link in links):
        return True
    return any(link.is_subcolumn for link in links) and bool(COLUMN_PATHS.search(page.url))
