"""Text PDFs (most attachments are Word/WPS exports) → :class:`Document` of flat lines.

pdfium's ``get_text_range`` already gives text in reading order, one visual line per ``\\r\\n``, with
cells on one baseline separated by spaces — a table row prints as ``规章 0 0 2``, a label that wraps
in its cell as several lines before (or around) its numbers. What it does not do, and we do here:

* drop page furniture — page numbers (``— 3 —``, ``第 3 页 共 5 页``) and running headers/footers
  repeated on several pages — which would otherwise read as table numbers;
* rejoin a number and the unit pdfium split off it (``1,250.6 万元``), so money converts right;
* rejoin the report's title when it wraps over two or three lines on page 1.

Empty cells leave no trace in the text, so every line is flat (``grid=False``): the table walker
recovers their places from the template's rules or reports the row as ambiguous.
"""

from __future__ import annotations

import re
from collections import Counter

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
EDGE_LINES = 2  # headers and footers sit among the first and last lines of a page
MIN_TEXT_CHARS = 20


def read_pdf(data: bytes) -> Document:
    """Extract each page's text layer (pdfium) and split it into lines of cells."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if b"%%EOF" not in data[-2048:]:
            raise ParseError("PDF is truncated (it stops before its end marker); download it again") from exc
        raise ParseError(f"PDF cannot be opened ({exc}); damaged or encrypted?") from exc
    try:
        pages = [_page_lines(page) for page in pdf]
    except pdfium.PdfiumError as exc:
        raise ParseError(f"PDF text cannot be extracted ({exc})") from exc
    finally:
        pdf.close()
    _drop_furniture(pages)
    if pages:
        _join_title(pages[0])
    lines: list[Line] = []
    chars = 0
    for number, page_lines in enumerate(pages, start=1):
        for raw in page_lines:
            line = split_line(raw)
            if line is not None:
                line.page = number
                chars += sum(len(c) for c in line.cells)
                lines.append(line)
    if chars < MIN_TEXT_CHARS:
        raise ScannedPDF("PDF has no text layer (scanned image); OCR it first")
    return Document(lines, "pdf")


def _page_lines(page) -> list[str]:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
        page.close()
    text = _UNIT_GAP.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [ln for ln in text.split("\n") if ln.strip()]


def _edges(n: int) -> list[int]:
    """Indices of the first and last EDGE_LINES lines of a page of ``n`` lines."""
    return sorted({*range(min(EDGE_LINES, n)), *range(max(0, n - EDGE_LINES), n)})


def _furniture_key(line: str) -> str:
    return _DIGITS.sub("#", squash(line))


def _drop_furniture(pages: list[list[str]]) -> None:
    """Remove page numbers and running headers/footers (the same line at a page edge on 2+ pages)."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_furniture_key(lines[i]) for i in _edges(len(lines))})
    # a repeated line of numbers alone ("0 0 0 0 0 0 0") is table content, never furniture
    repeated = {key for key, count in seen.items() if count >= 2 and _WORD.search(key)}
    for p, lines in enumerate(pages):
        drop = {i for i in _edges(len(lines)) if _PAGE_NUMBER.match(lines[i]) or _furniture_key(lines[i]) in repeated}
        if drop:
            pages[p] = [ln for i, ln in enumerate(lines) if i not in drop]


def _join_title(lines: list[str], look: int = 8) -> None:
    """Join the title of page 1 when it wraps: ``…2023 年度政府信息`` / ``公开工作年度报告``."""
    for i in range(min(look, len(lines))):
        if parse_title(lines[i]) is not None:
            return
        for span in (2, 3):
            if i + span <= len(lines) and parse_title("".join(lines[i:i + span])) is not None:
                lines[i:i + span] = ["".join(lines[i:i + span])]
                return
