"""HTML report pages → :class:`Document`: paragraphs as lines, data-table rows as grid lines."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .document import Document, Line
from .encoding import decode
from .errors import ParseError, TooDeep
from .grid import MAX_SPAN, Cell, looks_transposed, transpose
from .limits import check_count, check_depth, limit
from .markup import check_markup

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "head",
        "template",
        "select",
        "option",
        "iframe",
        "svg",
        "button",
        "input",
        "textarea",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "pre",
        "center",
        "form",
        "tr",
        "td",
        "th",
        "tbody",
        "thead",
        "tfoot",
        "caption",
        "hr",
        "address",
        "figure",
        "figcaption",
    }
)
MAX_MULTIPARTS = 20  # multipart containers in an MHTML archive; the email parser recurses into each
MAX_CELL_CHARS = 300  # the longest template label is under 40 characters; prose means layout
_NAV = frozenset({"nav", "footer", "aside"})  # not <header>: HTML5 articles keep their title and date there
_META = {
    "articletitle": "title",
    "title": "title",
    "pubdate": "published",
    "firstpublishedtime": "published",
    "sitename": "site",
    "contentsource": "site",
    "columnname": "column",
}
# What the walker does with a node, by its tag (selectolax names text nodes "-text"); the default is
# _INLINE: walk its children into the current line. One lookup instead of a chain of set tests.
_TEXT, _INLINE, _SKIPPED, _BREAK, _TABLE, _NAVIGATION, _LIST_ITEM, _BLOCK_ELEMENT = (
    "text",
    "inline",
    "skipped",
    "break",
    "table",
    "navigation",
    "list item",
    "block",
)
_ACTIONS = {
    **dict.fromkeys(_BLOCK, _BLOCK_ELEMENT),
    **dict.fromkeys(_NAV, _NAVIGATION),  # not <header>: see _NAV
    **dict.fromkeys((*_SKIP, "-comment", "_comment", "!comment"), _SKIPPED),
    "li": _LIST_ITEM,  # a block, unless it is mostly a link
    "br": _BREAK,
    "table": _TABLE,
    "-text": _TEXT,
}
_DATE_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")


def read_html(data: bytes | str, content_type: str | None = None) -> Document:
    """Read an HTML page as agencies publish it (any charset, tables with spans, nav around)."""
    if isinstance(data, bytes):
        text, encoding = decode(data, content_type)
    else:
        text, encoding = data, None
    check_markup(data if isinstance(data, bytes) else text.encode("utf-8", "surrogatepass"))
    # lexbor reads UTF-8 bytes: bytes that decoded strictly as UTF-8 (no BOM to drop) are exactly
    # what the text would encode to, so they go in as they are, sparing an encode of the page.
    if encoding == "utf-8" and isinstance(data, bytes) and not data.startswith(codecs.BOM_UTF8):
        tree = LexborHTMLParser(data)
    else:
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


def read_mhtml(data: bytes) -> Document:
    """Word's "single file web page" (MHTML, often saved as .doc): its HTML part, read as HTML."""
    import email
    import email.policy

    if data.lower().count(b"multipart/") > MAX_MULTIPARTS:
        raise TooDeep(f"MHTML archive holds more than {MAX_MULTIPARTS} multipart containers (Word writes one)")
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        html = next((part for part in message.walk() if part.get_content_type() == "text/html"), None)
        payload = html.get_payload(decode=True) if html is not None else None
    except RecursionError as exc:  # the email parser recurses per nested part
        raise TooDeep("MHTML archive nests its parts deeper than can be read") from exc
    if html is None or not isinstance(payload, bytes) or not payload:
        raise ParseError("MHTML archive without an HTML part")
    charset = html.get_content_charset()
    doc = read_html(payload, f"text/html; charset={charset}" if charset else None)
    doc.format = "mhtml"
    return doc


class _Walker:
    """Depth-first walk that flushes a line at every block boundary and reads data tables as grids."""

    __slots__ = ("buf", "cells", "lines", "max_cells", "max_depth", "max_tables", "tables")

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.buf: list[str] = []
        self.tables = self.cells = 0
        self.max_tables, self.max_cells, self.max_depth = limit("MAX_TABLES"), limit("MAX_CELLS"), limit("MAX_DEPTH")

    def flush(self) -> None:
        if self.buf:
            text = "".join(self.buf).strip()
            self.buf.clear()
            if text:
                self.lines.append(Line([text]))

    def block(self, node: LexborNode) -> None:
        """Walk ``node``'s subtree in document order with a stack of child iterators (no recursion:
        pages nest as deep as ``PARSE_MAX_DEPTH``), flushing a line where each block element ends."""
        buf = self.buf
        stack: list[tuple[Iterator[LexborNode], bool]] = [
            (node.iter(include_text=True), False)
        ]  # (children, flush after)
        while stack:
            children, flush_after = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if flush_after:
                    self.flush()
                continue
            action = _ACTIONS.get(child.tag or "", _INLINE)
            if action is _TEXT:
                buf.append(child.text_content or "")
            elif action is _INLINE:
                stack.append((child.iter(include_text=True), False))
                if len(stack) > self.max_depth:
                    check_depth(len(stack))
            elif action is _BLOCK_ELEMENT or (action is _LIST_ITEM and not _is_link_item(child)):
                self.flush()
                stack.append((child.iter(include_text=True), True))
                if len(stack) > self.max_depth:
                    check_depth(len(stack))
            elif action is _BREAK or action is _NAVIGATION or action is _LIST_ITEM:
                # menus, footers and link lists ("related articles" name other years' reports)
                self.flush()
            elif action is _TABLE:
                self.flush()
                self.tables += 1
                if self.tables > self.max_tables:
                    check_count(self.tables, "MAX_TABLES", "tables")
                if len(child.css("table")) > 1:  # a layout table around the article (css() includes itself)
                    stack.append((child.iter(include_text=True), True))
                else:
                    self.table(child)
                    self.flush()
            # _SKIPPED: scripts, styles, form controls, comments

    def table(self, table: LexborNode) -> None:
        trs = table.css("tr")
        rows: list[list[str]] = []
        for tr in trs:
            texts: list[str] = []
            for td in tr.iter():
                tag = td.tag
                if tag != "td" and tag != "th":
                    continue
                self.cells += 1
                if self.cells > self.max_cells:
                    check_count(self.cells, "MAX_CELLS", "table cells")
                text = td.text(deep=True, separator="", strip=True)
                if len(text) > MAX_CELL_CHARS:  # a page-layout table holding the article: walk it as text
                    self.block(table)
                    return
                texts.append(text)
                if not text:
                    # an empty cell spanning columns stands for each of them; a label or a number
                    # spanning columns (行政许可 | 236 over three columns) is one cell. Attributes
                    # are read only here: building them for every cell costs more than the text.
                    span = _span(td.attributes.get("colspan"))
                    if span > 1:
                        texts.extend([""] * (min(span, MAX_SPAN) - 1))
            rows.append(texts)
        if looks_transposed(rows):
            self.lines.extend(transpose(_cells(trs)))
            return
        for texts in rows:
            if any(texts):
                self.lines.append(Line(texts, grid=True))


def _cells(trs: list[LexborNode]) -> list[list[Cell]]:
    """Rows of cells with their spans (only for the rare tables that need the full grid)."""
    rows: list[list[Cell]] = []
    for tr in trs:
        cells: list[Cell] = []
        for td in tr.iter():
            if td.tag in ("td", "th"):
                attrs = td.attributes
                cells.append(
                    Cell(
                        td.text(deep=True, separator="", strip=True),
                        _span(attrs.get("rowspan")),
                        _span(attrs.get("colspan")),
                    )
                )
        rows.append(cells)
    return rows


def _is_link_item(li: LexborNode) -> bool:
    """A list item that is mostly a link (a menu entry, a related article), not prose with a link."""
    a = li.css_first("a")
    if a is None:
        return False
    return len(a.text(strip=True)) * 2 >= len(li.text(strip=True))


def _span(value: str | None) -> int:
    if value and value.strip().isdigit():
        return max(1, int(value.strip()))
    return 1
