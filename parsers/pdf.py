"""Text PDFs (most attachments are Word/WPS exports) → :class:`Document` of flat lines.

pdfium's ``get_text_range`` already gives text in the order it was drawn — for Word and LibreOffice
exports cell by cell, row by row — one visual line per line break, with cells on one baseline
separated by spaces: a table row prints as ``规章 0 0 2``, a label that wraps in its cell as several
lines before its numbers. What it does not do, and we do here:

* drop page furniture — page numbers (``— 3 —``, ``第 3 页 共 5 页``, Word's plain ``3`` where the
  numbers count up with the pages), running headers/footers repeated on several pages, and table
  header rows Word repeats at the top of each page — which would otherwise read as table numbers
  or run into row labels;
* rejoin a number and the unit pdfium split off it (``1,250.6 万元``), so money converts right;
* join a paragraph's wrapped lines (found with one character box per line: the line reaches the
  right edge and starts at the left margin), and the report's title when it wraps on page 1;
* tell a scanned (image-only), blank, password-protected or truncated PDF apart in its error.

Empty cells leave no trace in the text, so every line is flat (``grid=False``): the table walker
recovers their places from the template's rules or reports the row as ambiguous. The work per page
is pdfium's text extraction plus two character boxes per line; no per-character Python.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass

from .document import Document, Line
from .errors import ParseError, ScannedPDF
from .flat import PAGE_NUMBER as _PAGE_NUMBER
from .flat import split_line
from .limits import Inflated, check_count
from .metadata import parse_title
from .text import parse_value, squash

# pdfium puts a space where a Latin run meets CJK text: "1,250.6 万元" → "1,250.6万元".
_UNIT_GAP = re.compile(r"(?<=\d)[ \u3000]+(?=(?:万元|亿元|元|件|条|个|项|次|家|份|宗|起)(?:[ \u3000]|$))", re.M)
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]")
_HAS_DIGIT = re.compile(r"\d")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
# A line ending within this many font sizes of the page's rightmost line end is full (wrapped):
# CJK lines break a character or two early (line-start rules keep "，" off a new line).
WRAP_SLACK = 2.2
INDENT_SLACK = 4.5  # a paragraph's first line is indented two characters
_TITLE_END = re.compile(r"报告\s*(?:[(（][^()（）]{0,8}[)）]\s*)?$")  # a title ends at 报告 (or 报告（文字版）)
GLYPH_EM = 1.25  # a glyph's box is a little smaller than its em (digits: ~0.7 of it high)
_HEADING_START = re.compile(r"^\s*[(（]?[一二三四五六七八九十]+[)）、]")
_NUMBERS_ONLY = re.compile(r"^[\s\d.,，+\-—/]*$")
EDGE_LINES = 2  # headers and footers sit among the first and last lines of a page
MIN_TEXT_CHARS = 20


def read_pdf(data: bytes) -> Document:
    """Extract each page's text layer (pdfium) and split it into lines of cells.

    Copy-protected PDFs (a permissions password, no open password) read like any other.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    check_streams(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ParseError("PDF is password-protected: it cannot be opened without its password") from exc
        if b"%%EOF" not in data[-2048:]:
            raise ParseError("PDF is truncated (it stops before its end marker); download it again") from exc
        raise ParseError(f"PDF cannot be opened ({exc}); damaged or encrypted?") from exc
    try:
        check_count(len(pdf), "MAX_PAGES", "pages")
        pages = [_page_lines(page) for page in pdf]
        if sum(len(ln.text.strip()) for lines in pages for ln in lines) < MIN_TEXT_CHARS and len(pdf) > 0:
            if not any(_has_image(page, pdfium_c.FPDF_PAGEOBJ_IMAGE) for page in pdf):
                raise ParseError("PDF has neither text nor images: blank pages")
            raise ScannedPDF("PDF has no text layer (scanned image)")
    except pdfium.PdfiumError as exc:
        raise ParseError(f"PDF text cannot be extracted ({exc})") from exc
    finally:
        pdf.close()
    if not pages:
        raise ParseError("PDF has no pages")
    lines = lines_of_pages(pages)
    if sum(len(c) for line in lines for c in line.cells) < MIN_TEXT_CHARS:
        raise ScannedPDF("PDF has no text layer (scanned image)")
    return Document(lines, "pdf")


def lines_of_pages(pages: list[list[_Line]]) -> list[Line]:
    """A fixed-layout document's text lines, page by page → the document's lines (flat cells).

    Page furniture and repeated header rows go, wrapped paragraphs and a wrapped title are joined,
    each line is split into cells. Shared by the fixed-layout readers (PDF, OFD); ``pages`` is
    changed in place.
    """
    _drop_furniture(pages)
    _drop_repeated_header_rows(pages)
    if pages:
        _join_title(pages[0])
    texts = [_join_wrapped(page) for page in pages]
    lines: list[Line] = []
    for number, page_lines in enumerate(texts, start=1):
        for raw, words in page_lines:
            line = split_line(raw)
            if line is not None:
                line.page = number
                if words is not None:
                    line.scores = value_scores(line.cells, words)
                lines.append(line)
    return lines


def value_scores(cells: list[str], words: list[tuple[str, float]]) -> list[float | None]:
    """The OCR confidence of each value cell: that of the next recognised word that is the same number.

    Labels get None: a label's confidence is not a fact's.
    """
    scores: list[float | None] = []
    k = 0
    for cell in cells:
        score = None
        if cell and parse_value(cell) is not None:  # a grid row's blank cell has none
            for j in range(k, len(words)):
                if words[j][0] == cell:
                    score, k = words[j][1], j + 1
                    break
            else:  # a value split off a word, or joined from several: the line's weakest word
                score = min((w[1] for w in words), default=None)
        scores.append(score)
    return scores


_TEXT_OPERATORS = (b"Tj", b"TJ")
_INFLATE_CHUNK = 1 << 20  # bytes inflated at a time
_INPUT_CHUNK = 16 << 10  # compressed bytes handed to zlib at a time


def check_streams(data: bytes) -> None:
    """Refuse a PDF whose streams inflate past ``PARSE_MAX_INFLATED_BYTES`` or draw more text than
    ``PARSE_MAX_TEXT_OBJECTS``, before pdfium loads a page.

    pdfium inflates a page's content whole and keeps an object per text operator (about 300 bytes
    each), so a content bomb of a few megabytes costs gigabytes. Every zlib stream is inflated here a
    chunk at a time, counted and thrown away; operators are counted in raw and inflated content alike.
    """
    inflated = Inflated()
    texts = _text_operators(data)
    at = data.find(b"stream")
    while at >= 0:
        start = at + 6 + (2 if data[at + 6 : at + 8] == b"\r\n" else 1)
        head = data[start : start + 2]
        if (
            data[at - 3 : at] != b"end"
            and data[at + 6 : at + 7] in (b"\r", b"\n")
            and len(head) == 2
            and head[0] & 0x0F == 8
            and not (head[0] << 8 | head[1]) % 31
        ):  # a zlib stream (images in JPEG and raw content are read as they are)
            texts += _inflate_counting(data, start, inflated)
            check_count(texts, "MAX_TEXT_OBJECTS", "text-drawing operators")
        at = data.find(b"stream", at + 6)


def _text_operators(chunk: bytes) -> int:
    """``Tj``/``TJ`` operators in ``chunk``; counted only where its ``T``s (C speed) could reach many."""
    if chunk.count(b"T") < 4096:
        return 0  # too few to matter: at most a few thousand objects
    return sum(chunk.count(op) for op in _TEXT_OPERATORS)


def _inflate_counting(data: bytes, at: int, inflated: Inflated) -> int:
    """Inflate one stream starting at ``at``, counting its bytes; returns its text operators.

    Input goes in small slices of a memoryview: the stream's end is unknown (its /Length may lie),
    and handing zlib the rest of the file for each stream would copy it once per stream.
    """
    inflater = zlib.decompressobj()
    view = memoryview(data)
    texts = 0
    pending: bytes | memoryview = view[at : at + _INPUT_CHUNK]
    at += _INPUT_CHUNK
    try:
        while pending and not inflater.eof:
            out = inflater.decompress(pending, _INFLATE_CHUNK)
            inflated.add(len(out))
            texts += _text_operators(out)
            pending = inflater.unconsumed_tail
            if not pending and not inflater.eof:
                pending, at = view[at : at + _INPUT_CHUNK], at + _INPUT_CHUNK
    except zlib.error:
        pass  # a damaged stream: pdfium says what it makes of it
    return texts


def _has_image(page, image_type: int) -> bool:
    try:
        return next(iter(page.get_objects(filter=[image_type], max_depth=3)), None) is not None
    finally:
        page.close()


@dataclass(slots=True)
class _Line:
    """One visual line of a page, as a text layer or OCR gives it."""

    text: str
    full: bool  # runs to the right edge of the page's text: a wrapped line of a paragraph
    # OCR only: the recognised words in reading order with the recogniser's confidence, so each
    # value cell of the line can carry the confidence of the box it was read from
    words: list[tuple[str, float]] | None = None


def _page_lines(page) -> list[_Line]:
    """The page's text lines, each marked whether it reaches the right edge (one charbox per line)."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        parts = _LINE_BREAK.split(text)  # lines and the breaks between them, alternately
        raw_lines = parts[::2]
        rights: list[float | None] = [None] * len(raw_lines)
        lefts: list[float | None] = [None] * len(raw_lines)
        sizes: list[float] = [0.0] * len(raw_lines)
        if len(text) == textpage.count_chars():  # pdfium's own line breaks count as chars: indices line up
            start = 0
            for i, ln in enumerate(raw_lines):
                body = ln.rstrip()
                if body:
                    last = start + len(body) - 1
                    box = textpage.get_charbox(last)
                    first = textpage.get_charbox(start + len(ln) - len(ln.lstrip()))
                    rights[i] = box[2]
                    lefts[i] = first[0]
                    sizes[i] = _em(pdfium_c.FPDFText_GetFontSize(textpage.raw, last), box, first)
                start += len(ln) + (len(parts[2 * i + 1]) if 2 * i + 1 < len(parts) else 0)
    finally:
        textpage.close()
        page.close()
    full = full_lines(lefts, rights, sizes)
    return [_Line(ln, f) for raw, f in zip(raw_lines, full, strict=True) if (ln := _UNIT_GAP.sub("", raw)).strip()]


def full_lines(lefts: list[float | None], rights: list[float | None], sizes: list[float]) -> list[bool]:
    """Which lines of a page are full: they reach the right edge and start at the left margin.

    (Or at a paragraph's indent.) Right-aligned signatures and centred titles are not wrapped
    paragraphs. ``sizes`` are character sizes (the em) in the unit of the positions.
    """
    edge = max((r for r in rights if r is not None), default=None)
    margin = min((x for x in lefts if x is not None), default=None)
    if edge is None or margin is None:
        return [False] * len(rights)
    return [
        left is not None
        and right is not None
        and edge - right < WRAP_SLACK * max(size, 1.0)
        and left - margin < INDENT_SLACK * max(size, 1.0)
        for left, right, size in zip(lefts, rights, sizes, strict=True)
    ]


def _em(font_size: float, *boxes: tuple[float, float, float, float]) -> float:
    """The line's character size on the page, in points.

    pdfium reports the font's nominal size, which WPS and some Word exports set in the hundreds
    with a text matrix that scales it down (a "319 pt" font drawn 14 pt high): a wrap slack of a
    few such "ems" would call every line full. The drawn glyph boxes of the line's first and last
    characters bound it (a line-final "，" alone is a dot's box; a line seldom starts with one).
    """
    glyph = max(max(b[2] - b[0], b[3] - b[1]) for b in boxes)
    return min(font_size, glyph * GLYPH_EM) if glyph > 0 else font_size


TextLine = _Line  # one visual line of a page's text, for the other fixed-layout readers (OFD)


_Joined = tuple[str, list[tuple[str, float]] | None]  # a line's text and its OCR words


def _join_wrapped(lines: list[_Line]) -> list[_Joined]:
    """Join the lines of a wrapped paragraph, so section text reads as paragraphs.

    Only a line that reaches the right edge and does not end in a digit is continued, and never
    onto a heading (``三、…``) or a line of numbers: table rows and section starts stay apart.
    """
    out: list[_Joined] = []
    joining = False
    for line in lines:
        text = line.text
        if joining and not _HEADING_START.match(text) and not _NUMBERS_ONLY.match(text):
            before, words = out[-1]
            out[-1] = (before + text.strip(), _words(words, line.words))
        else:
            out.append((text, line.words))
        joining = line.full and not text.rstrip()[-1].isdigit() and not _NUMBERS_ONLY.match(text)
    return out


def _edges(n: int) -> list[int]:
    """Indices of the first and last EDGE_LINES lines of a page of ``n`` lines."""
    return sorted({*range(min(EDGE_LINES, n)), *range(max(0, n - EDGE_LINES), n)})


def _furniture_key(line: str) -> str:
    return _DIGITS.sub("#", squash(line))


def _drop_furniture(pages: list[list[_Line]]) -> None:
    """Remove page numbers and running headers/footers (the same line at a page edge on 2+ pages)."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_furniture_key(lines[i].text) for i in _edges(len(lines))})
    # a repeated line of numbers alone ("0 0 0 0 0 0 0") is table content, never furniture
    repeated = {key for key, count in seen.items() if count >= 2 and _WORD.search(key)}
    bare = _bare_page_numbers(pages)
    for p, lines in enumerate(pages):
        drop = {
            i
            for i in _edges(len(lines))
            if _PAGE_NUMBER.match(lines[i].text) or _furniture_key(lines[i].text) in repeated
        }
        drop |= bare.get(p, set())
        if drop:
            pages[p] = [ln for i, ln in enumerate(lines) if i not in drop]


def _bare_page_numbers(pages: list[list[_Line]]) -> dict[int, set[int]]:
    """Word's plain page numbers (a lone ``2`` as the first or last line of a page).

    A lone number at a page edge could be a table value too; it is a page number only where such
    numbers count up with the pages (the same offset on at least two pages, or a one-page document
    numbered 1).
    """
    found: dict[int, list[tuple[int, int]]] = {}  # offset (number - page index) → (page, line)
    for p, lines in enumerate(pages):
        for i in {0, len(lines) - 1} if lines else ():
            m = _BARE_NUMBER.match(lines[i].text)
            if m:
                found.setdefault(int(m.group(1)) - p, []).append((p, i))
    out: dict[int, set[int]] = {}
    for offset, places in found.items():
        if len({p for p, _ in places}) >= 2 or (len(pages) == 1 and offset == 1):
            for p, i in places:
                out.setdefault(p, set()).add(i)
    return out


def _drop_repeated_header_rows(pages: list[list[_Line]], min_run: int = 2) -> None:
    """Drop a table's header rows that Word repeats at the top of each page it runs onto.

    They are the page's first lines, word for word a run of lines already seen, with no digit in
    them; left in, their words (``总计``, ``其他``) would run into the next row's label.
    """
    seen: dict[str, list[int]] = {}
    earlier: list[str] = []
    for p, lines in enumerate(pages):
        texts = [ln.text for ln in lines]
        best = 0
        for start in seen.get(texts[0], []) if texts else []:
            n = 0
            while (
                n < len(texts)
                and start + n < len(earlier)
                and earlier[start + n] == texts[n]
                and not _HAS_DIGIT.search(texts[n])
            ):
                n += 1
            best = max(best, n)
        if best >= min_run:
            pages[p] = lines[best:]
        for text in texts:
            seen.setdefault(text, []).append(len(earlier))
            earlier.append(text)


def _join_title(lines: list[_Line], look: int = 8) -> None:
    """Join the title of page 1 when it is set over two or three lines, and end its paragraph.

    ``…2023 年度政府信息`` / ``公开工作年度报告``, or the agency alone on the first line and
    ``2023 年政府信息公开工作年度报告`` on the next. A wide title line can reach the right edge: it
    must not run on into the report's first paragraph.
    """
    for i in range(min(look, len(lines))):
        for span in (1, 2, 3):
            if i + span > len(lines):
                break
            joined = "".join(ln.text.strip() for ln in lines[i : i + span])
            if _TITLE_END.search(joined) and parse_title(joined) is not None:
                words = None
                for ln in lines[i : i + span]:
                    words = _words(words, ln.words)
                lines[i : i + span] = [_Line(joined, False, words)]
                return


def _words(a: list[tuple[str, float]] | None, b: list[tuple[str, float]] | None) -> list[tuple[str, float]] | None:
    """The OCR words of two joined lines (None for text-layer lines)."""
    return None if a is None and b is None else [*(a or ()), *(b or ())]
