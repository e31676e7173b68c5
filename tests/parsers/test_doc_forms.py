"""Legacy Word (.doc) attachments, made by a real Word 97 writer (LibreOffice's "MS Word 97" filter)
from the DOCX and HTML fixtures: the same facts as their sources, merged cells read once, a web page
saved as Word read through its layout tables, and damaged files as one issue, never a crash."""

from __future__ import annotations

import random
import struct

import pytest

from govreports.parsers import fact_keys, parse_bytes, parse_path
from govreports.parsers.doc import read_doc
from govreports.parsers.errors import ParseError
from tests.support import FIXTURES, values
from tests.support.expected import LUCHENG_SCJG_2021, XIHU_EDU_2023

DOC = FIXTURES / "doc"


def test_doc_2021_all_facts() -> None:
    report = parse_path(DOC / "xihu-edu-2023.doc")
    assert (report.format, report.template, report.issues) == ("doc", "2021", [])
    assert values(report) == XIHU_EDU_2023
    assert [(f.table, f.row, f.column) for f in report.facts] == fact_keys("2021")
    assert (report.agency, report.year, report.published) == ("杭州市西湖区教育局", 2023, "2024-01-19")
    assert report.title == "杭州市西湖区教育局2023年度政府信息公开工作年度报告"
    assert report.sections["other_matters"].startswith("本机关2023年度未收取信息处理费。")


def test_doc_reads_like_the_docx_it_was_saved_from() -> None:
    """Everything but the source, format and hash is the DOCX's report, field for field."""
    for name in ("xihu-edu-2023", "lucheng-scjg-2021-transposed"):
        doc, docx = parse_path(DOC / f"{name}.doc"), parse_path(FIXTURES / "docx" / f"{name}.docx")
        for field in ("template", "title", "agency", "year", "published", "facts", "issues", "sections"):
            assert getattr(doc, field) == getattr(docx, field), (name, field)


def test_doc_merged_cells_read_once() -> None:
    """Vertical merges are cells flagged in each row's table definition: read where the merge starts."""
    doc = read_doc((DOC / "xihu-edu-2023.doc").read_bytes())
    rows = [ln.cells for ln in doc.lines if ln.grid]
    flat = [c for r in rows for c in r]
    assert flat.count("三、本年度办理结果") == 1 and flat.count("（三）不予公开") == 1
    assert next(r for r in rows if "1.属于国家秘密" in r) == [
        "（三）不予公开",
        "1.属于国家秘密",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]
    assert next(r for r in rows if "2.其他法律行政法规禁止公开" in r) == [
        "2.其他法律行政法规禁止公开",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]
    assert next(r for r in rows if r[0] == "行政许可") == ["行政许可", "236"]  # a wide cell is one cell


def test_doc_transposed_applications_table() -> None:
    report = parse_path(DOC / "lucheng-scjg-2021-transposed.doc")
    assert (report.template, report.issues) == ("2021", [])
    assert values(report) == LUCHENG_SCJG_2021


def test_web_page_saved_as_word_keeps_its_layout_tables() -> None:
    """A CMS page saved as .doc: menus and the article sit in layout tables, the report's tables are
    nested in them. Layout text comes out as plain lines where it stands; the nested tables are the rows."""
    path = DOC / "liandu-wjj-2022-web-page.doc"
    doc = read_doc(path.read_bytes())
    plain = [ln.cells[0] for ln in doc.lines if not ln.grid]
    assert (
        plain.index("当前位置：首页 > 政务公开 > 政府信息公开年度报告")
        < plain.index("二、主动公开政府信息情况")
        < plain.index("三、收到和处理政府信息公开申请情况")
        < plain.index("四、政府信息公开行政复议、行政诉讼情况")
    )
    rows = [ln.cells for ln in doc.lines if ln.grid]
    assert ["一、本年新收政府信息公开申请数量", "8", "1", "", "", "", "", "9"] in rows  # blanks stay blank
    report = parse_path(path)
    html = parse_path(FIXTURES / "html" / "liandu-wjj-2022-split.html")
    assert (report.template, report.agency, report.published, report.issues) == (
        "2021",
        "丽水市莲都区卫生健康局",
        "2023-01-12",
        [],
    )
    assert report.title == "丽水市莲都区卫生健康局2022年度政府信息公开工作年度报告"  # not the page's <title>
    assert values(report) == values(html)
    assert values(report)[("applications", "new_received", "research")] is None  # a blank cell is null


def test_truncated_doc_is_an_issue() -> None:
    data = (DOC / "xihu-edu-2023.doc").read_bytes()
    report = parse_bytes(data[:30000], "cut.doc")
    assert report.template is None and report.facts == []
    assert [(i.rule, i.message) for i in report.issues] == [
        ("unreadable", "legacy Word file cannot be opened (OleFileError: incomplete OLE sector)")
    ]


@pytest.mark.parametrize("name", ["xihu-edu-2023.doc", "liandu-wjj-2022-web-page.doc"])
def test_damaged_doc_never_crashes(name: str) -> None:
    """Random byte damage anywhere (container, piece table, paragraph properties, text): a report with
    issues or facts, never an exception."""
    data = (DOC / name).read_bytes()
    rng = random.Random(name)
    rules: set[str] = set()
    for _ in range(60):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 5, 20, 100])):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        report = parse_bytes(bytes(damaged), name)
        rules |= {i.rule for i in report.issues}
        assert report.facts or report.issues
    assert "unreadable" in rules  # some damage is fatal, and said so


def _clx(pieces: list[tuple[int, int, int, bool]]) -> bytes:
    """A table stream holding one property modifier and a piece table for ``pieces`` (cp, cp_end, byte, compressed)."""
    cps = [p[0] for p in pieces] + [pieces[-1][1]]
    pcds = b"".join(
        struct.pack("<HIH", 0, (byte * 2) | 0x40000000 if compressed else byte, 0) for _, _, byte, compressed in pieces
    )
    plc = struct.pack(f"<{len(cps)}I", *cps) + pcds
    return b"\x01" + struct.pack("<h", 2) + b"\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc


def test_text_pieces_of_both_widths_in_their_order() -> None:
    """Word saves edited files in several pieces, 8-bit (cp1252) and UTF-16, anywhere in the stream:
    the text comes back in character order, each character with the byte it was read from."""
    from govreports.parsers.doc import _pieces, _text, _visible

    word = bytearray(400)
    word[300:305] = b"Table"
    word[100:108] = "年度报告".encode("utf-16-le")
    table = _clx([(0, 4, 100, False), (4, 9, 300, True)])
    fib = type("Fib", (), {"fc_clx": 0, "lcb_clx": len(table)})()
    pieces = _pieces(table, fib)
    assert pieces == [(0, 4, 100, False), (4, 9, 300, True)]
    assert _text(bytes(word), pieces, 9) == ("年度报告Table", [100, 102, 104, 106, 300, 301, 302, 303, 304])
    assert _text(bytes(word), pieces, 6)[0] == "年度报告Ta"  # what follows the main text (notes, headers) is not read
    word[100:110] = "年𠮷报告".encode("utf-16-le")  # 𠮷 (U+20BB7) is two UTF-16 units: four bytes, two CPs
    pieces = [(0, 5, 100, False), (5, 10, 300, True)]
    assert _text(bytes(word), pieces, 10) == ("年𠮷报告Table", [100, 102, 106, 108, 300, 301, 302, 303, 304])
    with pytest.raises(ParseError, match="out of order"):
        _text(bytes(word), [(0, 4, 100, False), (2, 9, 300, True)], 9)
    field = '\x13 HYPERLINK "http://a.gov.cn/x.pdf" \x14附件1\x15：年报\r'
    shown = list(_visible(field))
    assert len(shown) == len(field)  # one out for one in: offsets stay aligned
    assert "".join(c for c in shown if c != "\x00") == "附件1：年报\r"  # the field's result, not its code
