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
from collections import Counter
from dataclasses import dataclass

from .document import Document, Line
from .errors import ParseError, ScannedPDF
from .flat import split_line
from .metadata import parse_title
from .text import squash

# Page furniture that would otherwise pass for table numbers: "- 3 -", "— 3 —", "第 3 页 共 5 页", "3/5".
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|[Pp]age\s*\d{1,3}(?:\s*of\s*\d{1,3})?)\s*$"
)
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

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ParseError("PDF is password-protected: it cannot be opened without its password") from exc
        if b"%%EOF" not in data[-2048:]:
            raise ParseError("PDF is truncated (it stops before its end marker); download it again") from exc
        raise ParseError(f"PDF cannot be opened ({exc}); damaged or encrypted?") from exc
    try:
        pages = [_page_lines(page) for page in pdf]
        if sum(len(ln.text.strip()) for lines in pages for ln in lines) < MIN_TEXT_CHARS and len(pdf) > 0:
            if not any(_has_image(page, pdfium_c.FPDF_PAGEOBJ_IMAGE) for page in pdf):
                raise ParseError("PDF has neither text nor images: blank pages")
            raise ScannedPDF("PDF has no text layer (scanned image); OCR it first")
    except pdfium.PdfiumError as exc:
        raise ParseError(f"PDF text cannot be extracted ({exc})") from exc
    finally:
        pdf.close()
    if not pages:
        raise ParseError("PDF has no pages")
    lines = lines_of_pages(pages)
    if sum(len(c) for line in lines for c in line.cells) < MIN_TEXT_CHARS:
        raise ScannedPDF("PDF has no text layer (scanned image); OCR it first")
    return Document(lines, "pdf")


def lines_of_pages(pages: list[list[_Line]]) -> list[Line]:
    """A fixed-layout document's text lines, page by page → the document's lines (flat cells).

    Page furniture and repeated header rows go, wrapped paragraphs and a wrapped title are joined,
    each line is split into cells. Shared by the fixed-layout readers (PDF, OFD); ``pages`` is
    changed in place.
    """
    _drop_furniture(pages)
    _drop_repeated_header_rows(pages)
    texts = [_join_wrapped(page) for page in pages]
    if texts:
        _join_title(texts[0])
    lines: list[Line] = []
    for number, page_lines in enumerate(texts, start=1):
        for raw in page_lines:
            line = split_line(raw)
            if line is not None:
                line.page = number
                lines.append(line)
    return lines


def _has_image(page, image_type: int) -> bool:
    try:
        return next(iter(page.get_objects(filter=[image_type], max_depth=3)), None) is not None
    finally:
        page.close()


@dataclass(slots=True)
class _Line:
    text: str
    full: bool  # runs to the right edge of the page's text: a wrapped line of a paragraph


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
                    rights[i] = textpage.get_charbox(last)[2]
                    lefts[i] = textpage.get_charbox(start + len(ln) - len(ln.lstrip()))[0]
                    sizes[i] = pdfium_c.FPDFText_GetFontSize(textpage.raw, last)
                start += len(ln) + (len(parts[2 * i + 1]) if 2 * i + 1 < len(parts) else 0)
    finally:
        textpage.close()
        page.close()
    edge = max((r for r in rights if r is not None), default=None)
    margin = min((x for x in lefts if x is not None), default=None)
    out: list[_Line] = []
    for ln, left, right, size in zip(raw_lines, lefts, rights, sizes, strict=True):
        ln = _UNIT_GAP.sub("", ln)
        if ln.strip():
            em = max(size, 1.0)
            # reaches the right edge, and starts at the left margin (or a paragraph's indent):
            # right-aligned signatures and centred titles are not wrapped paragraphs
            full = (
                edge is not None
                and right is not None
                and left is not None
                and margin is not None
                and edge - right < WRAP_SLACK * em
                and left - margin < INDENT_SLACK * em
            )
            out.append(_Line(ln, full))
    return out


TextLine = _Line  # one visual line of a page's text, for the other fixed-layout readers (OFD)


def _join_wrapped(lines: list[_Line]) -> list[str]:
    """Join the lines of a wrapped paragraph, so section text reads as paragraphs.

    Only a line that reaches the right edge and does not end in a digit is continued, and never
    onto a heading (``三、…``) or a line of numbers: table rows and section starts stay apart.
    """
    out: list[str] = []
    joining = False
    for line in lines:
        text = line.text
        if joining and not _HEADING_START.match(text) and not _NUMBERS_ONLY.match(text):
            out[-1] += text.strip()
        else:
            out.append(text)
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


def _join_title(lines: list[str], look: int = 8) -> None:
    """Join the title of page 1 when it wraps: ``…2023 年度政府信息`` / ``公开工作年度报告``."""
    for i in range(min(look, len(lines))):
        if parse_title(lines[i]) is not None:
            return
        for span in (2, 3):
            if i + span <= len(lines) and parse_title("".join(lines[i : i + span])) is not None:
                lines[i : i + span] = ["".join(lines[i : i + span])]
                return
