"""OFD documents (GB/T 33190, China's fixed-layout e-document format) → :class:`Document`.

An OFD file is a zip of XML: ``OFD.xml`` names each document's root (``DocRoot``), whose
``Document.xml`` lists the pages (``Pages/Page/@BaseLoc``); each page's ``Content.xml`` holds
layers of ``TextObject`` elements, each placed by its ``Boundary`` (x y w h, millimetres, y down)
and optional ``CTM``, with ``TextCode`` runs whose ``X``/``Y`` give the first glyph's baseline and
``DeltaX``/``DeltaY`` the advance to each next glyph (``g n d`` repeats ``d`` n times).

Like a PDF's text layer, the page holds glyphs and positions, not paragraphs or table cells. We
place every glyph, gather the glyphs drawn one after another on one baseline into a visual line,
put a space where the gap between neighbours is wider than a glyph, and hand the lines to the PDF reader's
:func:`~.pdf.lines_of_pages` (page furniture, wrapped paragraphs, cells). Templates (``Template``,
the page's letterhead and page number) are not read. Elements are matched by local name: producers
differ in namespace URI and attribute case (``Size``/``size``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from .archive import Archive
from .document import Document
from .errors import ParseError, ScannedPDF
from .pdf import INDENT_SLACK, MIN_TEXT_CHARS, WRAP_SLACK, TextLine, lines_of_pages

MAX_PAGES = 2_000
MAX_GLYPHS = 2_000_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|-?\.\d+")
GAP = 0.6  # a gap wider than this many font sizes between glyphs separates words (or cells)
BASELINE = 0.4  # glyphs whose baselines differ by less than this many font sizes share a line


@dataclass(slots=True)
class _Glyph:
    x: float
    y: float  # baseline
    size: float
    char: str


def read_ofd(data: bytes) -> Document:
    """Read each page's text objects into lines; raises :class:`ParseError` for what is not a readable OFD."""
    with Archive(data, "OFD") as zf:
        ofd = _xml(zf, "OFD.xml")
        root = _first(ofd, "DocRoot")
        if root is None or not (root.text or "").strip():
            raise ParseError("OFD names no document (OFD.xml has no DocRoot)")
        doc_path = _resolve("", root.text.strip())
        document = _xml(zf, doc_path)
        pages = [
            _resolve(posixpath.dirname(doc_path), loc) for el in _all(document, "Page") if (loc := el.get("BaseLoc"))
        ]
        if not pages:
            raise ParseError("OFD document has no pages")
        if len(pages) > MAX_PAGES:
            raise ParseError(f"OFD document has {len(pages):,} pages: not a report")
        glyphs = 0
        page_lines: list[list[TextLine]] = []
        for path in pages:
            found = _glyphs(_xml(zf, path))
            glyphs += len(found)
            if glyphs > MAX_GLYPHS:
                raise ParseError("OFD document holds more text than any report")
            page_lines.append(_visual_lines(found))
        meta = {}
        title = _first(ofd, "Title")
        if title is not None and (title.text or "").strip():
            meta["title"] = title.text.strip()
    if sum(len(ln.text.strip()) for page in page_lines for ln in page) < MIN_TEXT_CHARS:
        raise ScannedPDF("OFD pages hold no text objects (scanned images); OCR it first")
    return Document(lines_of_pages(page_lines), "ofd", None, meta)


def _xml(zf: Archive, name: str) -> etree._Element:
    try:
        return etree.fromstring(zf.read(name), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"OFD part {name} is not well-formed XML ({exc})") from exc


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _all(root: etree._Element, name: str) -> list[etree._Element]:
    return [el for el in root.iter() if _local(el) == name]


def _first(root: etree._Element, name: str) -> etree._Element | None:
    return next((el for el in root.iter() if _local(el) == name), None)


def _resolve(base: str, loc: str) -> str:
    """A ``BaseLoc``/``DocRoot`` path: absolute from the package root if it starts with ``/``."""
    loc = loc.strip().replace("\\", "/")
    path = posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc))
    if path.startswith("../") or path == "..":
        raise ParseError(f"OFD part path {loc!r} leaves the package")
    return path


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _deltas(text: str | None) -> list[float]:
    """``DeltaX``/``DeltaY``: numbers, where ``g n d`` stands for ``d`` repeated ``n`` times."""
    out: list[float] = []
    tokens = (text or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                n, d = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                break
            out.extend([d] * max(0, min(n, MAX_GLYPHS)))
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            break
        i += 1
    return out


def _glyphs(page: etree._Element) -> list[_Glyph]:
    """Every glyph of the page's text objects, placed on the page (templates are not read)."""
    out: list[_Glyph] = []
    for obj in _all(page, "TextObject"):
        box = _numbers(obj.get("Boundary"))
        if len(box) < 2:
            continue
        bx, by = box[0], box[1]
        ctm = _numbers(obj.get("CTM"))
        a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        size = next(iter(_numbers(obj.get("Size") or obj.get("size"))), 0.0) or 3.5
        size *= max(abs(a), abs(d)) or 1.0
        x = y = 0.0
        for code in obj:
            if _local(code) != "TextCode" or not code.text:
                continue
            xs, ys = _numbers(code.get("X")), _numbers(code.get("Y"))
            x = xs[0] if xs else x
            y = ys[0] if ys else y
            dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
            gx, gy = x, y
            for i, ch in enumerate(code.text):
                out.append(_Glyph(bx + a * gx + c * gy + e, by + b * gx + d * gy + f, size, ch))
                gx += dx[i] if i < len(dx) else (size if ch >= "\u2e80" else size / 2)
                gy += dy[i] if i < len(dy) else 0.0
            x, y = gx, gy
    return out


def _visual_lines(glyphs: list[_Glyph]) -> list[TextLine]:
    """Glyphs in drawing order → visual lines, with a space where neighbouring glyphs stand apart.

    Producers draw text in reading order (a Word export: paragraph by paragraph, table cell by
    cell), so, as pdfium does for a PDF, a line goes on while the next glyph sits on its baseline to
    the right, and a new line starts where the pen moves down, up or back.
    """
    rows: list[list[_Glyph]] = []
    end = 0.0
    for g in glyphs:
        if g.char.isspace():
            continue
        if rows and abs(g.y - rows[-1][-1].y) < BASELINE * max(g.size, rows[-1][-1].size) and g.x > end - g.size / 2:
            rows[-1].append(g)
        else:
            rows.append([g])
        end = g.x + _advance(g)
    texts: list[tuple[str, float, float, float]] = []  # text, left, right, size
    for row in rows:
        parts: list[str] = []
        right = None
        for g in row:
            if right is not None and g.x - right > GAP * g.size:
                parts.append(" ")
            parts.append(g.char)
            right = g.x + _advance(g)
        texts.append(("".join(parts), row[0].x, right or row[0].x, max(g.size for g in row)))
    if not texts:
        return []
    edge = max(right for _, _, right, _ in texts)
    margin = min(left for _, left, _, _ in texts)
    # as in the PDF reader: a line reaching the right edge from the left margin (or an indent) wraps
    return [
        TextLine(text, edge - right < WRAP_SLACK * size and left - margin < INDENT_SLACK * size)
        for text, left, right, size in texts
    ]


def _advance(g: _Glyph) -> float:
    """A glyph's width: a full em for CJK, half for Latin letters and digits."""
    return g.size if g.char >= "\u2e80" else g.size / 2
