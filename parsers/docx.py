"""DOCX attachments → :class:`Document`: paragraphs and table rows in body order.

We read ``word/document.xml`` with lxml directly instead of through python-docx: it is several
times faster, and merged cells are explicit in the XML. A cell continuing a vertical merge
(``w:vMerge`` without ``restart``) is read once, where the merge starts; a cell spanning columns
(``w:gridSpan``) is one cell when it holds a label or a number and one empty cell per column when
it is empty.
"""

from __future__ import annotations

from lxml import etree

from .archive import Archive
from .document import Document, Line
from .errors import ParseError, TooDeep, TooLarge
from .grid import MAX_SPAN, Cell, looks_transposed, transpose
from .limits import check_count

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T, _SDT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "t", "sdt"))


def read_docx(data: bytes) -> Document:
    """Read paragraphs and tables in order; raises :class:`ParseError` for a damaged file.

    The zip's parts are inflated a chunk at a time, counted against ``PARSE_MAX_INFLATED_BYTES``
    (:class:`~.archive.Archive`: the sizes the archive declares are never trusted) and fed to the
    XML parser as they come, which counts tables and cells against ``PARSE_MAX_TABLES`` /
    ``PARSE_MAX_CELLS``.
    """
    with Archive(data, "DOCX") as z:
        root = _parse_part(z, "word/document.xml")
        core = _parse_part(z, "docProps/core.xml") if "docProps/core.xml" in z else None
    if root is None:
        raise ParseError("DOCX body is not well-formed XML (empty document part)")
    body = root.find(f"{_W}body")
    lines: list[Line] = []
    if body is not None:
        _block(body, lines)
    meta: dict[str, str] = {}
    if core is not None:
        title = _core_title(core)
        if title:
            meta["title"] = title
    return Document(lines, "docx", None, meta)


def _parse_part(z: Archive, name: str) -> etree._Element | None:
    """One XML part, inflated and parsed a chunk at a time, its tables and cells counted as they open.

    libxml2 refuses nesting deeper than 256 (we never ask for ``huge_tree``) and entities are left
    unresolved, so entity bombs and deep trees stop in the parser.
    """
    parser = etree.XMLPullParser(events=("start",), tag=(_TBL, _TC), resolve_entities=False)
    tables = cells = 0
    try:
        for chunk in z.chunks(name):
            parser.feed(chunk)
            for _event, el in parser.read_events():
                if el.tag == _TC:
                    cells += 1
                else:
                    tables += 1
            check_count(tables, "MAX_TABLES", "tables")
            check_count(cells, "MAX_CELLS", "table cells")
        return parser.close()
    except etree.XMLSyntaxError as exc:
        message = str(exc).lower()
        if "depth" in message:
            raise TooDeep(f"DOCX {name} nests elements deeper than the XML parser allows ({exc})") from exc
        if "resource limit" in message or "amplification" in message:  # libxml2's own guards
            raise TooLarge(f"DOCX {name} passes the XML parser's limits ({exc})") from exc
        if name != "word/document.xml":
            return None  # the title is a nicety; a damaged core.xml does not cost the report
        raise ParseError(f"DOCX body is not well-formed XML ({exc})") from exc


def _block(parent: etree._Element, lines: list[Line]) -> None:
    for child in parent:
        tag = child.tag
        if tag == _P:
            text = _text(child).strip()
            if text:
                lines.append(Line([text]))
        elif tag == _TBL:
            _table(child, lines)
        elif tag == _SDT:  # content controls wrap paragraphs and tables
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _block(content, lines)


def _text(node: etree._Element) -> str:
    return "".join(el.text or "" for el in node.iter(_T))


def _table(tbl: etree._Element, lines: list[Line]) -> None:
    raw: list[list[tuple[int, int, str | None, str]]] = []  # per row: (grid column, span, vMerge, text)
    for tr in tbl.iterchildren(_TR):
        col = _grid_before(tr)
        row: list[tuple[int, int, str | None, str]] = []
        for tc in tr.iterchildren(_TC):
            span, state = 1, None
            pr = tc.find(f"{_W}tcPr")
            if pr is not None:
                gs = pr.find(f"{_W}gridSpan")
                if gs is not None and (v := gs.get(f"{_W}val", "1")).isdigit():
                    span = max(1, min(int(v), MAX_SPAN))
                vm = pr.find(f"{_W}vMerge")
                if vm is not None:
                    state = "restart" if vm.get(f"{_W}val") == "restart" else "continue"
            # a cell continuing a vertical merge repeats nothing: its text was read where the merge starts
            text = "" if state == "continue" else _cell_text(tc)
            row.append((col, span, state, text))
            col += span
        raw.append(row)
    texts: list[list[str]] = []
    for row in raw:
        cells: list[str] = []
        for _col, span, state, text in row:
            if state == "continue":
                continue
            cells.append(text)
            if span > 1 and not text:
                cells.extend([""] * (span - 1))
        texts.append(cells)
    if looks_transposed(texts):
        lines.extend(transpose(_cells(raw)))
        return
    for cells in texts:
        if any(cells):
            lines.append(Line(cells, grid=True))


def _cell_text(tc: etree._Element) -> str:
    if tc.find(f".//{_TBL}") is not None:  # a table nested in the cell: its own paragraphs only
        return "".join(_text(p) for p in tc.iterchildren(_P)).strip()
    return _text(tc).strip()


def _grid_before(tr: etree._Element) -> int:
    pr = tr.find(f"{_W}trPr")
    gb = pr.find(f"{_W}gridBefore") if pr is not None else None
    value = gb.get(f"{_W}val", "0") if gb is not None else "0"
    return int(value) if value.isdigit() else 0


def _cells(raw: list[list[tuple[int, int, str | None, str]]]) -> list[list[Cell]]:
    """Rows of cells with row spans counted from the merges below (for the full grid).

    Walked from the bottom up, keeping per column how many rows below continue a merge, so a table
    of many merges costs its size, not its size times its rows.
    """
    rows: list[list[Cell]] = []
    below: dict[int, int] = {}  # grid column → rows continuing a merge right below this row
    for row in reversed(raw):
        out: list[Cell] = []
        here: dict[int, int] = {}
        for col, span, state, text in row:
            if state == "continue":
                here[col] = below.get(col, 0) + 1
                continue
            rowspan = 1 + below.get(col, 0) if state == "restart" else 1
            out.append(Cell(text, rowspan, span))
        rows.append(out)
        below = here
    rows.reverse()
    return rows


def _core_title(root: etree._Element) -> str | None:
    el = root.find("{http://purl.org/dc/elements/1.1/}title")
    return el.text.strip() if el is not None and el.text and el.text.strip() else None
