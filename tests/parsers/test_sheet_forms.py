"""Spreadsheet attachments (.xlsx, .xls) made by a real spreadsheet writer (LibreOffice Calc, from the
report pasted into a sheet; ``tests/fixtures/build_fixtures.py``): the same facts as the reports they
hold, merged cells read once, the transposed applications table turned back, and hostile or damaged
workbooks refused with one issue."""

from __future__ import annotations

import io
import zipfile

import pytest

from govreports.parsers import fact_keys, parse_bytes, parse_path, sniff
from govreports.parsers.sheet import cell_text, read_sheet
from tests.support import FIXTURES, values
from tests.support.expected import LUCHENG_SCJG_2021, MOUXIAN_GOV_2020, XIHU_EDU_2023

BUDGET = 4 * 1024 * 1024  # PARSE_MAX_INFLATED_BYTES for the bomb tests: small, so the bomb is cheap to build

SHEETS = FIXTURES / "sheets"


def test_xlsx_2021_all_facts_and_metadata() -> None:
    report = parse_path(SHEETS / "xihu-edu-2023.xlsx")
    assert (report.format, report.template, report.issues) == ("xlsx", "2021", [])
    assert values(report) == XIHU_EDU_2023
    assert [(f.table, f.row, f.column) for f in report.facts] == fact_keys("2021")
    assert (report.agency, report.year, report.published) == ("杭州市西湖区教育局", 2023, "2024-01-19")
    assert report.title == "杭州市西湖区教育局2023年度政府信息公开工作年度报告"
    assert report.sections["other_matters"].startswith("本机关2023年度未收取信息处理费。")


def test_xls_2019_all_facts() -> None:
    """Excel 97 (BIFF8), 2019 template, the three tables in one merged block as the page had them."""
    report = parse_path(SHEETS / "mouxian-gov-2020.xls")
    assert (report.format, report.template) == ("xls", "2019")
    assert values(report) == MOUXIAN_GOV_2020
    assert (report.agency, report.year) == ("某某县人民政府办公室", 2020)
    # numeric cells: the value the sheet holds, written without the page's thousands separator
    fact = report.fact("active", "licensing", "items_last_year")
    assert (fact.value, fact.raw) == (1246, "1246")


def test_xls_transposed_applications_table_turned_back() -> None:
    report = parse_path(SHEETS / "lucheng-scjg-2021-transposed.xls")
    assert (report.template, report.issues) == ("2021", [])
    assert values(report) == LUCHENG_SCJG_2021


def test_workbook_reads_like_the_page_it_was_pasted_from() -> None:
    """Template, metadata, sections, issues and every value equal the HTML report's."""
    for sheet, page in (
        ("xihu-edu-2023.xlsx", "xihu-edu-2023.html"),
        ("mouxian-gov-2020.xls", "mouxian-gov-2020-gb2312.html"),
    ):
        a, b = parse_path(SHEETS / sheet), parse_path(FIXTURES / "html" / page)
        for field in ("template", "title", "agency", "year", "published", "issues", "sections"):
            assert getattr(a, field) == getattr(b, field), (sheet, field)
        assert values(a) == values(b)


def test_merged_cells_read_once() -> None:
    doc = read_sheet((SHEETS / "xihu-edu-2023.xlsx").read_bytes(), "xlsx")
    rows = [ln.cells for ln in doc.lines if ln.grid]
    flat = [c for r in rows for c in r]
    assert flat.count("三、本年度办理结果") == 1 and flat.count("（三）不予公开") == 1
    assert ["（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"] in rows
    assert ["2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0"] in rows
    assert ["行政许可", "236"] in rows  # the number merged across the row's columns is one cell
    assert ["自然人", "法人或其他组织", "总计"] in rows  # the header row under 申请人情况
    assert ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] in rows  # 商业\n企业 joined
    plain = [ln.cells[0] for ln in doc.lines if not ln.grid]
    assert plain[:3] == [
        "杭州市西湖区教育局2023年度政府信息公开工作年度报告",
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制。"
        "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
        "本报告电子版可在“杭州市西湖区人民政府”门户网站查阅或下载。如对本报告有疑问，请与杭州市西湖区教育局联系。",
        "一、总体情况",
    ]


def test_sniffed_by_content_not_name() -> None:
    assert sniff((SHEETS / "xihu-edu-2023.xlsx").read_bytes()) == "xlsx"
    assert sniff((SHEETS / "mouxian-gov-2020.xls").read_bytes()) == "xls"
    assert sniff((FIXTURES / "doc" / "xihu-edu-2023.doc").read_bytes()) == "doc"
    # a workbook behind a download servlet that calls it a Word file is still read as a workbook
    report = parse_bytes((SHEETS / "mouxian-gov-2020.xls").read_bytes(), "download.doc", "application/msword")
    assert (report.format, report.template) == ("xls", "2019")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        (236.0, "236"),
        (12.5, "12.5"),
        (0.0, "0"),
        (float("nan"), ""),
        ("  规章 ", "规章"),
        (7, "7"),
    ],
)
def test_cell_text(value, text) -> None:
    assert cell_text(value) == text


def _with_sheet_xml(data: bytes, edit) -> bytes:
    """The workbook with its first sheet's XML changed by ``edit``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = edit(body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def test_sheet_with_a_far_cell_is_refused_before_its_cells_are_built() -> None:
    """One cell at XFD1048576 makes the used area 17 billion cells: refused by its size, at once."""
    data = _with_sheet_xml(
        (SHEETS / "xihu-edu-2023.xlsx").read_bytes(),
        lambda xml: xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'),
    )
    report = parse_bytes(data, "far.xlsx")
    assert report.template is None
    assert [(i.rule, i.severity) for i in report.issues] == [("unreadable", "error")]
    assert "not a report" in report.issues[0].message


def test_zip_bomb_workbook_is_refused_by_counting_bytes(monkeypatch) -> None:
    """A member that inflates past the budget is stopped while it is read, whatever its header says."""
    monkeypatch.setenv("GOVREPORTS_PARSE_MAX_INFLATED_BYTES", str(BUDGET))
    bomb = b"<x>" + b" " * (BUDGET + 1024) + b"</x>"
    data = _with_sheet_xml((SHEETS / "xihu-edu-2023.xlsx").read_bytes(), lambda xml: xml)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.xml", bomb)
    assert len(out.getvalue()) < 1_000_000  # small on the wire
    report = parse_bytes(out.getvalue(), "bomb.xlsx")
    assert report.template is None
    assert [(i.rule, i.message) for i in report.issues] == [
        ("too_large", "document decompresses to more than 4.0 MiB, the limit (PARSE_MAX_INFLATED_BYTES)")
    ]


def _understate(data: bytes, name: bytes, size: int) -> bytes:
    """The zip with the central directory's uncompressed size of ``name`` set to ``size``."""
    buf = bytearray(data)
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        length = int.from_bytes(buf[pos + 28 : pos + 30], "little")
        if buf[pos + 46 : pos + 46 + length] == name:
            buf[pos + 24 : pos + 28] = size.to_bytes(4, "little")
            return bytes(buf)
        pos = buf.find(b"PK\x01\x02", pos + 46)
    raise AssertionError(f"{name!r} not in the archive")


def test_lying_zip_header_is_damage_not_trusted() -> None:
    """A header that understates a member's size is not believed: the member fails its check."""
    data = _understate((SHEETS / "xihu-edu-2023.xlsx").read_bytes(), b"xl/worksheets/sheet1.xml", 10)
    report = parse_bytes(data, "lying.xlsx")
    assert report.template is None
    assert [i.rule for i in report.issues] == ["unreadable"]
    assert "damaged" in report.issues[0].message


def test_truncated_workbooks_are_one_issue() -> None:
    data = (SHEETS / "mouxian-gov-2020.xls").read_bytes()
    for cut in (len(data) // 3, len(data) - 700):
        report = parse_bytes(data[:cut], "cut.xls")
        assert report.template is None and len(report.issues) == 1, cut
    data = (SHEETS / "xihu-edu-2023.xlsx").read_bytes()
    report = parse_bytes(data[: len(data) // 2], "cut.xlsx")
    assert report.template is None and len(report.issues) == 1
