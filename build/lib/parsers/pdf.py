"""Text PDFs (most attachments are Word exports) → :class:`Document` of flat lines."""

from __future__ import annotations

import re

from .document import Document, Line
from .errors import ParseError, ScannedPDF
from .flat import split_line

# Page furniture that would otherwise pass for table numbers: "- 3 -", "— 3 —", "第 3 页 共 5 页", "3/5".
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")
MIN_TEXT_CHARS = 20


def read_pdf(data: bytes) -> Document:
    """Extract each page's text layer (pdfium) and split it into lines of cells."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ParseError(f"PDF cannot be opened ({exc}); truncated or damaged?") from exc
    lines: list[Line] = []
    chars = 0
    try:
        for number, page in enumerate(pdf, start=1):
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            page_lines = [ln for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
            # drop page numbers among the first and last two lines of each page
            for idx in [0, 1, -1, -2]:
                if -len(page_lines) <= idx < len(page_lines) and _PAGE_NUMBER.match(page_lines[idx]):
                    page_lines[idx] = ""
            for raw in page_lines:
                line = split_line(raw)
                if line is not None:
                    line.page = number
                    chars += sum(len(c) for c in line.cells)
                    lines.append(line)
    finally:
        pdf.close()
    if chars < MIN_TEXT_CHARS:
        raise ScannedPDF("PDF has no text layer (scanned image); OCR it first")
    return Document(lines, "pdf")
