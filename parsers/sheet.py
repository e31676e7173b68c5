"""Spreadsheet attachments (``.xlsx``, ``.xls``) → :class:`Document`, read with python-calamine.

An agency that publishes its report as a workbook pastes it into a sheet: the title, prose and
headings each in a row of their own (often merged across the sheet), the template's tables as
blocks of cells. A row is one line; a row holding a single cell is a paragraph (split at its line
breaks: whole sections pasted into one cell), a row of several cells is a table row (``grid``).
Merged cells are read as DOCX merges are: once, where the merge starts — a cell continuing a merge
from above, or one a merged label or number spans to its right, is left out; the cells an *empty*
merge spans stay empty cells. Visible sheets are read in order.

calamine builds each sheet's whole used area in memory (one cell placed at ``XFD1048576`` makes it
allocate billions of cells and abort the process), so the bounds are checked before calamine sees
the file: an XLSX's members are inflated once through :class:`~.archive.Archive` (counting bytes,
never trusting zip headers) and every cell or range reference in its sheets is measured; an XLS's
cell and dimension records are measured in its workbook stream. A sheet whose extent is larger than
any report is refused.
"""

from __future__ import annotations

import io
import math
import re
import struct
from datetime import date, datetime, time, timedelta

from .archive import Archive
from .document import Document, Line
from .errors import ParseError, UnsupportedFormat
from .grid import Cell, looks_transposed, transpose

MAX_CELLS = 2_000_000  # a report's sheet has a few thousand cells; its used area may be padded
MAX_ROWS = 100_000

Span = tuple[int, int, int, int]  # first row, first column, last row, last column (inclusive)


def read_sheet(data: bytes, kind: str) -> Document:
    """Read the visible sheets of an ``xlsx`` or ``xls`` workbook; raises :class:`ParseError`."""
    import python_calamine as calamine

    if kind == "xlsx":
        _check_xlsx(data)
    else:
        _check_xls(data)
    try:
        return _read_book(calamine, data, kind)
    except calamine.PasswordError as exc:
        raise UnsupportedFormat("password-protected workbook") from exc
    except (calamine.CalamineError, ValueError, OSError) as exc:
        raise ParseError(f"{kind.upper()} workbook cannot be read ({type(exc).__name__}: {exc})") from exc
    except BaseException as exc:
        # calamine panics on some damaged files; pyo3 raises the panic as a BaseException
        if type(exc).__name__ != "PanicException":
            raise
        raise ParseError(f"{kind.upper()} workbook is damaged ({str(exc).splitlines()[0][:200]})") from exc


def _read_book(calamine, data: bytes, kind: str) -> Document:
    book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    lines: list[Line] = []
    try:
        for meta in book.sheets_metadata:
            if meta.visible != calamine.SheetVisibleEnum.Visible or meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            _check_extent(sheet.height, sheet.width)
            lines.extend(_sheet_lines(list(sheet.iter_rows()), _spans(sheet)))
    finally:
        book.close()
    if not lines:
        raise ParseError(f"{kind.upper()} workbook holds no text")
    return Document(lines, kind)


def _check_extent(rows: int, cols: int) -> None:
    if rows > MAX_ROWS or rows * cols > MAX_CELLS:
        raise ParseError(f"a sheet spans {rows:,} rows × {cols:,} columns: not a report")


_REF = re.compile(rb"\s(?:r|ref|sqref)=\"([A-Za-z$0-9: ]{1,200})\"")
_CELL = re.compile(rb"\$?([A-Za-z]{0,3})\$?(\d{0,7})")


def _check_xlsx(data: bytes) -> None:
    """Inflate every member once within the budget, and measure each sheet by its cell references."""
    with Archive(data, "XLSX") as zf:
        for name in zf.names:
            body = zf.read(name)
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                rows = cols = 0
                for ref in _REF.findall(body):
                    for part in ref.replace(b" ", b":").split(b":"):
                        m = _CELL.fullmatch(part)
                        if m is None:
                            continue
                        letters, digits = m.groups()
                        rows = max(rows, int(digits or 0))
                        cols = max(cols, _column(letters))
                _check_extent(rows, cols)


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


# BIFF8 records that place a cell (row and column are their first two 16-bit fields)
_CELL_RECORDS = frozenset({0x0006, 0x00BD, 0x00BE, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x0406})
_DIMENSIONS = 0x0200


def _check_xls(data: bytes) -> None:
    """Measure an XLS's sheets by the rows and columns its cell and dimension records name."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            book = ole.openstream(stream).read()
    except (OSError, ValueError, IndexError, struct.error) as exc:
        raise ParseError(f"XLS workbook cannot be opened ({type(exc).__name__}: {exc})") from exc
    rows = cols = 0
    pos, end = 0, len(book) - 4
    while pos <= end:
        kind, size = struct.unpack_from("<HH", book, pos)
        body = pos + 4
        if kind in _CELL_RECORDS and size >= 4:
            row, col = struct.unpack_from("<HH", book, body)
            if kind in (0x00BD, 0x00BE) and size >= 6:  # MULRK/MULBLANK: the last column closes the record
                col = max(col, struct.unpack_from("<H", book, body + size - 2)[0])
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        elif kind == _DIMENSIONS and size >= 14:
            _, last_row, _, last_col = struct.unpack_from("<IIHH", book, body)
            rows, cols = max(rows, last_row), max(cols, last_col)
        pos = body + size
    _check_extent(rows, cols)


def _spans(sheet) -> list[Span]:
    ranges = sheet.merged_cell_ranges or []
    return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]


def _sheet_lines(rows: list[list], spans: list[Span]) -> list[Line]:
    """Rows → lines; blocks of table rows that hold the applications table turned are turned back."""
    texts = [[cell_text(v) for v in row] for row in rows]
    covered: dict[tuple[int, int], Span] = {}  # every position a merge covers but does not start at
    for span in spans:
        r0, c0, r1, c1 = span
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if (r, c) != (r0, c0):
                    covered[(r, c)] = span
    cells: list[list[tuple[int, str]]] = []  # per row: (column, text) of the cells read
    for r, row in enumerate(texts):
        out: list[tuple[int, str]] = []
        for c, text in enumerate(row):
            merge = covered.get((r, c))
            if merge is not None and (merge[0] < r or texts[merge[0]][merge[1]]):
                continue  # continues a merge from above, or a label or number spanning to the right
            out.append((c, text))
        while out and not out[-1][1]:
            out.pop()
        cells.append(out)
    lines: list[Line] = []
    block: list[int] = []
    for r, read in enumerate(cells):
        filled = [t for _, t in read if t]
        if len(filled) > 1:
            block.append(r)
            continue
        _flush(block, cells, spans, lines)
        block = []
        if filled:
            lines.extend(Line([part.strip()]) for part in filled[0].splitlines() if part.strip())
    _flush(block, cells, spans, lines)
    return lines


def _flush(block: list[int], cells: list[list[tuple[int, str]]], spans: list[Span], lines: list[Line]) -> None:
    """A block of table rows as grid lines (the applications table turned back if it is transposed)."""
    if not block:
        return
    rows = [[_one_line(t) for _, t in cells[r]] for r in block]
    if looks_transposed(rows):
        lines.extend(transpose(_grid_cells(block, cells, spans)))
        return
    lines.extend(Line(row, grid=True) for row in rows)


def _grid_cells(block: list[int], cells: list[list[tuple[int, str]]], spans: list[Span]) -> list[list[Cell]]:
    """The block's cells with the row and column spans of the merges they start."""
    starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in spans}
    last = block[-1]
    out: list[list[Cell]] = []
    for r in block:
        row: list[Cell] = []
        for c, text in cells[r]:
            rowspan, colspan = starts.get((r, c), (1, 1))
            row.append(Cell(_one_line(text), min(rowspan, last - r + 1), colspan))
        out.append(row)
    return out


def _one_line(text: str) -> str:
    """A table cell's text on one line: ``商业\\n企业`` → ``商业企业`` (CJK joins without a space)."""
    if "\n" not in text:
        return text
    parts = [p.strip() for p in text.splitlines() if p.strip()]
    out = parts[0] if parts else ""
    for p in parts[1:]:
        out += p if out[-1] >= "\u2e80" and p[0] >= "\u2e80" else " " + p
    return out


def cell_text(value: object) -> str:
    """A cell's value as it reads: whole numbers without ``.0``, dates in ISO form, empty as ``""``."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()
