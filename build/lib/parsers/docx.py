"""DOCX attachments → :class:`Document`: paragraphs and table rows in body order."""

from __future__ import annotations

import io
import zipfile

from .document import Document, Line
from .errors import ParseError
from .text import parse_value


def read_docx(data: bytes) -> Document:
    """Read paragraphs and tables in order; merged cells are read once, spanned values per column."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError(f"DOCX cannot be opened ({exc})") from exc
    lines: list[Line] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text.strip()
            if text:
                lines.append(Line([text]))
        elif tag == "tbl":
            seen: set[int] = set()
            for row in Table(child, document).rows:
                cells: list[str] = []
                previous = None
                row_seen: set[int] = set()
                for cell in row.cells:
                    tc = id(cell._tc)
                    if tc in seen and tc not in row_seen:
                        continue  # merged down from the row above: read once, where it starts
                    text = "".join(p.text for p in cell.paragraphs).strip()
                    if tc == previous and parse_value(text) is None:
                        continue  # a label spanning columns
                    previous = tc
                    row_seen.add(tc)
                    cells.append(text)
                seen |= row_seen
                if any(cells):
                    lines.append(Line(cells, grid=True))
    return Document(lines, "docx")
