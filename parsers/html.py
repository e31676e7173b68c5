"""HTML report pages → :class:`Document`: paragraphs as lines, data-table rows as grid lines."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .document import Document, Line
from .encoding import decode

_SKIP = frozenset({"script", "style", "noscript", "head", "template", "select", "option", "iframe", "svg", "button", "input", "textarea"})
_BLOCK = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
     "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "center", "form",
     "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "hr", "address", "figure", "figcaption"}
)
_META = {
    "articletitle": "title",
    "title": "title",
    "pubdate": "published",
    "firstpublishedtime": "published",
    "sitename": "site",
    "contentsource": "site",
    "columnname": "column",
}
_DATE_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")


def read_html(data: bytes | str, content_type: str | None = None) -> Document:
    """Read an HTML page as agencies publish it (any charset, tables with spans, nav around)."""
    if isinstance(data, bytes):
        text, encoding = decode(data, content_type)
    else:
        text, encoding = data, None
    tree = LexborHTMLParser(text)
    meta: dict[str, str] = {}
    for node in tree.css("meta[name]"):
        key = _META.get((node.attributes.get("name") or "").lower())
        content = (node.attributes.get("content") or "").strip()
        if key and content and key not in meta:
            meta[key] = content
    if "published" in meta and not _DATE_PREFIX.match(meta["published"]):
        del meta["published"]
    title = tree.css_first("title")
    if title is not None and "page_title" not in meta:
        meta["page_title"] = title.text(strip=True)
    lines: list[Line] = []
    root = tree.body or tree.root
    if root is not None:
        _Walker(lines).block(root)
    return Document(lines, "html", encoding, meta)


class _Walker:
    """Depth-first walk that flushes a line at every block boundary and reads data tables as grids."""

    __slots__ = ("buf", "lines")

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.buf: list[str] = []

    def flush(self) -> None:
        if self.buf:
            text = "".join(self.buf).strip()
            self.buf.clear()
            if text:
                self.lines.append(Line([text]))

    def block(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.buf.append(child.text_content or "")
            elif tag in _SKIP or tag == "_comment" or tag == "!comment":
                continue
            elif tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                if len(child.css("table")) > 1:  # a layout table around the article (css() includes the node itself)
                    self.block(child)
                else:
                    self.table(child)
                self.flush()
            elif tag in _BLOCK:
                self.flush()
                self.block(child)
                self.flush()
            else:
                self.block(child)

    def table(self, table: LexborNode) -> None:
        for tr in table.css("tr"):
            cells: list[str] = []
            for td in tr.iter():
                if td.tag not in ("td", "th"):
                    continue
                text = td.text(deep=True, separator="", strip=True)
                cells.append(text)
                if text:  # only an empty cell's span matters; reading attributes costs a dict per cell
                    continue
                span = td.attributes.get("colspan")
                if span and span.isdigit() and int(span) > 1:
                    # an empty cell spanning columns stands for each of them; a number or a placeholder
                    # spanning columns is one value (the official layout prints 本年处理决定数量 and its
                    # number across three columns)
                    cells.extend([text] * (min(int(span), 20) - 1))
            if any(cells):
                self.lines.append(Line(cells, grid=True))
