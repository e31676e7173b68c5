"""Legacy Word (.doc, Word 97–2003 binary; also WPS files saved in that format) → :class:`Document`.

Many reports of 2019–2021 were attached as ``.doc``. ``olefile`` opens the OLE container; what is
ours is reading the text back out of it ([MS-DOC]): the piece table (``Clx`` in the table stream)
maps the main text's characters to bytes of the ``WordDocument`` stream, and the paragraph
properties (``PlcBtePapx`` → ``PapxFkp`` pages) tell which paragraphs sit in a table, which end a
row (``sprmPFTtp``) and, in the row's table definition (``sprmTDefTable``), which cells continue a
vertical merge. Rows come out as DOCX rows do: cells in order, a cell continuing a vertical merge
left out (its text was read where the merge starts).
"""

from __future__ import annotations

import io
import struct
from bisect import bisect_right
from dataclasses import dataclass, field

import olefile

from .document import Document, Line
from .errors import ParseError, UnsupportedFormat
from .grid import MAX_SPAN, looks_transposed, transpose
from .grid import Cell as GridCell
from .limits import Inflated

_FIB_MAGIC = 0xA5EC
_FC_CLX, _FC_BTE_PAPX = 33, 13  # indexes of (fc, lcb) pairs in FibRgFcLcb97
_SPRM_IN_TABLE, _SPRM_TTP, _SPRM_ITAP = 0x2416, 0x2417, 0x6649
_SPRM_INNER_TTP, _SPRM_INNER_CELL = 0x244C, 0x244B
_SPRM_TDEF_TABLE = 0xD608
_SPRM_HUGE_PAPX = 0x6646  # the paragraph's properties did not fit its page: they sit in the Data stream
_OPERAND = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}  # by spra; 6 is variable
_VERT_MERGE, _VERT_RESTART = 0x0020, 0x0040
MAX_CHARS = 2_000_000  # a report is a few thousand characters; more is a damaged or hostile file
_MAX_DEPTH = 63  # Word nests tables at most 63 deep


@dataclass(slots=True)
class _Para:
    """Properties of one paragraph that matter here."""

    in_table: bool = False
    row_end: bool = False  # the table terminating paragraph: its mark ends a row
    inner_cell: bool = False  # in a nested table: this paragraph's mark ends a cell
    inner_row_end: bool = False  # in a nested table: this paragraph ends a row
    depth: int = 0  # table nesting (1 = an outer table)
    merged: tuple[bool, ...] = ()  # per cell of the row (row ends only): continues a vertical merge
    edges: tuple[int, ...] = ()  # the row's cell boundaries, left to right (twips; row ends only)


def read_doc(data: bytes) -> Document:
    """Read paragraphs and table rows in order; raises for a damaged, encrypted or non-Word file."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError) as exc:
        raise ParseError(f"legacy Word file cannot be opened ({type(exc).__name__}: {exc})") from exc
    with ole:
        if not ole.exists("WordDocument"):
            if ole.exists("Workbook") or ole.exists("Book"):
                raise UnsupportedFormat("an Excel workbook, not a Word document (read it as .xls)")
            raise UnsupportedFormat("OLE file that holds no Word document; ask for a PDF or DOCX")
        inflated = Inflated()  # the streams' declared sizes bound what olefile reads: they are counted first
        try:
            _check_chain(ole.fat, ole.first_dir_sector, "directory")
            word = _stream(ole, "WordDocument", inflated)
            fib = _Fib(word)
            if fib.encrypted:
                raise UnsupportedFormat("password-protected Word file")
            if not ole.exists(fib.table_name):
                raise ParseError(f"legacy Word file lacks its {fib.table_name} stream")
            table = _stream(ole, fib.table_name, inflated)
            extra = _stream(ole, "Data", inflated) if ole.exists("Data") else b""
            meta = _meta(ole, inflated)
        except (OSError, ValueError, struct.error, IndexError) as exc:
            raise ParseError(f"legacy Word file is damaged ({type(exc).__name__}: {exc})") from exc
    try:
        lines = _lines(word, table, extra, fib)
    except (ValueError, struct.error, IndexError) as exc:
        raise ParseError(f"legacy Word file is damaged ({type(exc).__name__}: {exc})") from exc
    return Document(lines, "doc", None, meta)


class _Fib:
    """The few fields of the File Information Block this reader needs."""

    def __init__(self, word: bytes) -> None:
        ident, _nfib = struct.unpack_from("<HH", word, 0)
        if ident != _FIB_MAGIC:
            raise ParseError("not a Word document (no Word file information block)")
        flags = struct.unpack_from("<H", word, 0x0A)[0]
        self.encrypted = bool(flags & 0x0100)
        self.table_name = "1Table" if flags & 0x0200 else "0Table"
        pos = 32
        csw = struct.unpack_from("<H", word, pos)[0]
        pos += 2 + csw * 2
        cslw = struct.unpack_from("<H", word, pos)[0]
        rglw = pos + 2
        self.ccp_text = struct.unpack_from("<i", word, rglw + 3 * 4)[0]
        pos = rglw + cslw * 4
        cb = struct.unpack_from("<H", word, pos)[0]
        pairs = pos + 2
        if cb <= _FC_CLX:
            raise ParseError("Word file information block too short (Word 6/95 files are not read)")
        self.fc_clx, self.lcb_clx = struct.unpack_from("<II", word, pairs + _FC_CLX * 8)
        self.fc_papx, self.lcb_papx = struct.unpack_from("<II", word, pairs + _FC_BTE_PAPX * 8)


def _pieces(table: bytes, fib: _Fib) -> list[tuple[int, int, int, bool]]:
    """The piece table: (first CP, last CP + 1, byte offset in WordDocument, compressed) per piece."""
    pos, end = fib.fc_clx, fib.fc_clx + fib.lcb_clx
    while pos < end and table[pos] == 0x01:  # Prc: property modifiers we do not need
        size = struct.unpack_from("<h", table, pos + 1)[0]
        if size < 0:  # would step back onto itself for ever
            raise ParseError("legacy Word file's piece table has a block of negative size")
        pos += 3 + size
    if pos >= end or table[pos] != 0x02:
        raise ParseError("legacy Word file has no piece table")
    lcb = struct.unpack_from("<I", table, pos + 1)[0]
    plc = pos + 5
    n = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", table, plc)
    out = []
    for i in range(n):
        fc_raw = struct.unpack_from("<I", table, plc + (n + 1) * 4 + i * 8 + 2)[0]
        compressed = bool(fc_raw & 0x40000000)
        fc = fc_raw & 0x3FFFFFFF
        out.append((cps[i], cps[i + 1], fc // 2 if compressed else fc, compressed))
    return out


def _text(word: bytes, pieces: list[tuple[int, int, int, bool]], ccp: int) -> tuple[str, list[int]]:
    """The main document's text and, per character, its byte offset (to find its paragraph's properties)."""
    if not 0 <= ccp <= MAX_CHARS:
        raise ParseError("legacy Word file claims an implausible text length")
    chars: list[str] = []
    offsets: list[int] = []
    done = 0
    for first, last, fc, compressed in pieces:
        if first != done or last < first:
            raise ParseError("legacy Word file's piece table is out of order")
        if first >= ccp:
            break
        last = min(last, ccp)
        count = last - first
        done = last
        if compressed:
            chars.append(word[fc : fc + count].decode("cp1252", errors="replace"))
            offsets.extend(range(fc, fc + count))
        else:
            piece = word[fc : fc + 2 * count].decode("utf-16-le", errors="replace")
            chars.append(piece)
            if len(piece) == count:
                offsets.extend(range(fc, fc + 2 * count, 2))
            else:  # characters beyond the BMP (rare names: 𠮷) take two UTF-16 units, four bytes
                at = fc
                for ch in piece:
                    offsets.append(at)
                    at += 4 if ord(ch) > 0xFFFF else 2
    text = "".join(chars)
    if len(text) != len(offsets):
        raise ParseError("legacy Word file's text is cut short")
    return text, offsets


def _paragraph_runs(word: bytes, table: bytes, extra: bytes, fib: _Fib) -> tuple[list[int], list[_Para]]:
    """Byte ranges of paragraphs (their starts, sorted) with their properties, from every PAPX page."""
    n = (fib.lcb_papx - 4) // 8
    if n <= 0:
        return [], []
    pns = struct.unpack_from(f"<{n}I", table, fib.fc_papx + (n + 1) * 4)
    starts: list[int] = []
    props: list[_Para] = []
    for pn in pns:
        page = (pn & 0x3FFFFF) * 512
        fkp = word[page : page + 512]
        if len(fkp) < 512:
            raise ParseError("legacy Word file's paragraph table points past its end")
        count = fkp[511]
        fcs = struct.unpack_from(f"<{count + 1}I", fkp, 0)
        for i in range(count):
            offset = fkp[(count + 1) * 4 + i * 13] * 2
            starts.append(fcs[i])
            props.append(_papx(fkp, offset, extra) if offset else _Para())
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return [starts[i] for i in order], [props[i] for i in order]


def _papx(fkp: bytes, offset: int, extra: bytes) -> _Para:
    cb = fkp[offset]
    if cb:
        start, size = offset + 1, 2 * cb - 1
    else:
        start, size = offset + 2, 2 * fkp[offset + 1]
    para = _Para()
    _sprms(fkp[start + 2 : start + size], para, extra)  # after the 2-byte style index
    if para.in_table and para.depth == 0:
        para.depth = 1
    return para


def _sprms(grpprl: bytes, para: _Para, extra: bytes) -> None:
    pos = 0
    while pos + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, pos)[0]
        pos += 2
        spra = sprm >> 13
        if sprm == _SPRM_TDEF_TABLE:
            size = struct.unpack_from("<H", grpprl, pos)[0]
            para.edges, para.merged = _def_table(grpprl[pos + 2 : pos + 1 + size])
            pos += 1 + size
            continue
        if spra == 6:
            size = grpprl[pos] if pos < len(grpprl) else 0
            pos += 1
        else:
            size = _OPERAND[spra]
        value = grpprl[pos] if size and pos < len(grpprl) else 0
        if sprm == _SPRM_IN_TABLE:
            para.in_table = bool(value)
        elif sprm == _SPRM_TTP:
            para.row_end = bool(value)
        elif sprm == _SPRM_INNER_CELL:
            para.inner_cell = bool(value)
        elif sprm == _SPRM_INNER_TTP:
            para.inner_row_end = bool(value)
        elif sprm == _SPRM_ITAP and pos + 4 <= len(grpprl):
            depth = struct.unpack_from("<i", grpprl, pos)[0]
            para.depth = depth if 0 <= depth <= _MAX_DEPTH else 1  # deeper is damage
        elif sprm == _SPRM_HUGE_PAPX and pos + 4 <= len(grpprl):
            at = struct.unpack_from("<I", grpprl, pos)[0]
            if at + 2 <= len(extra):
                cb = struct.unpack_from("<H", extra, at)[0]
                _sprms(extra[at + 2 : at + 2 + cb], para, b"")
        pos += size


def _def_table(operand: bytes) -> tuple[tuple[int, ...], tuple[bool, ...]]:
    """A row's cell boundaries and, per cell, whether it continues a vertical merge (sprmTDefTable)."""
    if not operand:
        return (), ()
    cells = operand[0]
    edges = struct.unpack_from(f"<{cells + 1}h", operand, 1)
    tcs = 1 + (cells + 1) * 2
    merged = []
    for i in range(cells):
        at = tcs + i * 20
        flags = struct.unpack_from("<H", operand, at)[0] if at + 2 <= len(operand) else 0
        merged.append(bool(flags & _VERT_MERGE) and not flags & _VERT_RESTART)
    return edges, tuple(merged)


@dataclass(slots=True)
class _Cell:
    text: str
    merged: bool  # continues a vertical merge: its text was read where the merge starts
    left: int | None
    right: int | None


@dataclass(slots=True)
class _Open:
    """A table being read, at one nesting depth."""

    rows: list[list[_Cell]] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)  # finished cells of the current row, as paragraphs
    cell: list[str] = field(default_factory=list)  # paragraphs of the current cell
    layout: bool = False  # the current row holds a nested table: page layout, not a row of the report


def _lines(word: bytes, table: bytes, extra: bytes, fib: _Fib) -> list[Line]:
    """Paragraphs as lines and table rows as grid lines, in document order.

    Pages saved as Word keep their layout tables: a row that holds a nested table is layout, its own
    text comes out as plain lines where it stands, and the nested tables' rows are the grid lines.
    """
    text, offsets = _text(word, _pieces(table, fib), fib.ccp_text)
    starts, props = _paragraph_runs(word, table, extra, fib)
    plain = _Para()
    lines: list[Line] = []
    stack: list[_Open] = []
    paragraph: list[str] = []

    def say(*texts: str) -> None:
        lines.extend(Line([t]) for t in texts if t)

    for ch, fc in zip(_visible(text), offsets, strict=True):
        if ch == "\x00":
            continue
        if ch not in "\r\x07":
            paragraph.append(ch)
            continue
        i = bisect_right(starts, fc) - 1
        para = props[i] if i >= 0 else plain
        words = "".join(paragraph).strip()
        paragraph = []
        depth = para.depth if para.in_table else 0
        while len(stack) > depth:  # a table ended
            _table(stack.pop().rows, lines)
        while len(stack) < depth:  # a table starts (inside the current cell of the one around it)
            if stack:
                outer = stack[-1]
                outer.layout = True
                say(*(p for c in outer.cells for p in c), *outer.cell)
                outer.cells, outer.cell = [], []
            stack.append(_Open())
        if not stack:
            say(words)
            continue
        t = stack[-1]
        row_end = para.row_end if depth == 1 else para.inner_row_end
        cell_end = ch == "\x07" if depth == 1 else para.inner_cell
        if row_end:
            if t.layout:
                say(*(p for c in t.cells for p in c))
            else:
                merged, edges = para.merged, para.edges
                t.rows.append(
                    [
                        _Cell(
                            "".join(c),
                            k < len(merged) and merged[k],
                            *((edges[k], edges[k + 1]) if k + 1 < len(edges) else (None, None)),
                        )
                        for k, c in enumerate(t.cells)
                    ]
                )
            t.cells, t.layout = [], False
            continue
        if words:
            t.cell.append(words)
        if cell_end:
            t.cells.append(t.cell)
            t.cell = []
    while stack:
        _table(stack.pop().rows, lines)
    return lines


def _table(rows: list[list[_Cell]], lines: list[Line]) -> None:
    """A table's rows as lines, the way the DOCX reader gives them (an empty cell spanning columns
    is one empty cell per column), or transposed when its applicants run down the side."""
    grid = _grid(rows)
    texts = []
    for row in grid:
        cells: list[str] = []
        for cell in row:
            cells.append(cell.text)
            if cell.colspan > 1 and not cell.text:
                cells.extend([""] * (cell.colspan - 1))
        texts.append(cells)
    if looks_transposed(texts):
        lines.extend(transpose(grid))
        return
    for cells in texts:
        if any(cells):
            lines.append(Line(cells, grid=True))


def _grid(rows: list[list[_Cell]]) -> list[list[GridCell]]:
    """Rows of cells with column spans from the cell boundaries of all rows (merged cells are wider
    cells in this format) and row spans from the vertical merges below."""
    columns = sorted({e for row in rows for c in row for e in (c.left, c.right) if e is not None})
    index = {e: i for i, e in enumerate(columns)}
    out: list[list[GridCell]] = []
    for r, row in enumerate(rows):
        cells = []
        for cell in row:
            if cell.merged:
                continue
            colspan = 1
            if cell.left is not None and cell.right is not None:
                colspan = max(1, min(index[cell.right] - index[cell.left], MAX_SPAN))
            rowspan = 1
            for below in rows[r + 1 :]:
                if any(c.merged and c.left == cell.left for c in below):
                    rowspan += 1
                else:
                    break
            cells.append(GridCell(cell.text, rowspan, colspan))
        out.append(cells)
    return out


def _visible(text: str):
    """The text as read: field instructions dropped (their results kept), special characters mapped."""
    depth: list[bool] = []  # per open field: are we in its result part yet?
    for ch in text:
        if ch == "\x13":
            depth.append(False)
            yield "\x00"
        elif ch == "\x14":
            if depth:
                depth[-1] = True
            yield "\x00"
        elif ch == "\x15":
            if depth:
                depth.pop()
            yield "\x00"
        elif depth and not depth[-1] and ch not in "\r\x07":
            yield "\x00"
        elif ch in "\x0b\x0c\x0e":
            yield "\r" if ch != "\x0b" else "\n"
        elif ch in "\x01\x02\x03\x04\x05\x08\x1f":
            yield "\x00"
        elif ch == "\x1e":
            yield "-"
        else:
            yield ch


def _stream(ole: olefile.OleFileIO, name: str, inflated: Inflated) -> bytes:
    """A stream's bytes, its declared size counted against ``PARSE_MAX_INFLATED_BYTES`` before it is read
    (olefile reads no more than the size declared, whatever loops the sector chains hold)."""
    inflated.add(ole.get_size(name))
    entry = ole.direntries[ole._find(name)]
    if entry.size < ole.minisectorcutoff:
        ole.loadminifat()
        _check_chain(ole.minifat, entry.isectStart, name)
    else:
        _check_chain(ole.fat, entry.isectStart, name)
    return ole.openstream(name).read()


def _check_chain(fat, start: int, name: str) -> None:
    """Raise for a sector chain that loops or leaves the allocation table (olefile would read a loop
    over and over up to the size declared, and give the repeats as the stream)."""
    seen: set[int] = set()
    sect = start
    while sect not in (olefile.ENDOFCHAIN, olefile.FREESECT):
        if sect >= len(fat):
            raise ParseError(f"legacy Word file is damaged (the {name.strip(chr(5))} stream points outside the file)")
        if sect in seen:
            raise ParseError(f"legacy Word file is damaged (the {name.strip(chr(5))} stream's sectors loop)")
        seen.add(sect)
        sect = fat[sect]


_SUMMARY = "\x05SummaryInformation"
_PID_TITLE, _VT_LPSTR, _VT_LPWSTR = 2, 30, 31
_MAX_PROPERTIES = 64  # the summary holds about 20; more is damage


def _meta(ole: olefile.OleFileIO, inflated: Inflated) -> dict[str, str]:
    """The title in the summary stream, read ourselves: only the one property, every offset checked
    (olefile's reader walks whatever property counts a damaged stream claims)."""
    if not ole.exists(_SUMMARY):
        return {}
    data = _stream(ole, _SUMMARY, inflated)
    title = _summary_title(data)
    # a weak hint (often a web page's <title> with the site's name, or a template's): the text decides first
    return {"page_title": title} if title else {}


def _summary_title(data: bytes) -> str | None:
    """PIDSI_TITLE of a property set stream ([MS-OLEPS]); None where it is missing or damaged."""
    try:
        section = struct.unpack_from("<I", data, 44)[0]
        count = min(struct.unpack_from("<I", data, section + 4)[0], _MAX_PROPERTIES)
        for i in range(count):
            pid, offset = struct.unpack_from("<II", data, section + 8 + 8 * i)
            if pid != _PID_TITLE:
                continue
            at = section + offset
            kind, size = struct.unpack_from("<II", data, at)
            encodings: tuple[str, ...]
            if kind == _VT_LPWSTR:
                raw, encodings = data[at + 8 : at + 8 + 2 * size], ("utf-16-le",)
            elif kind == _VT_LPSTR:
                raw, encodings = data[at + 8 : at + 8 + size], ("utf-8", "gb18030")
            else:
                return None
            for encoding in encodings:
                try:
                    return raw.decode(encoding).split("\x00")[0].strip() or None
                except UnicodeDecodeError:
                    continue
            return None
    except struct.error:
        return None
    return None
