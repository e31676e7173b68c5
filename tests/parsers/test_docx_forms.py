"""DOCX attachments: merged cells (vertical for 三、/（三）…, horizontal for spanned labels), split tables."""

from __future__ import annotations

import io
import zipfile

from govreports.parsers import fact_keys, parse_bytes, parse_path
from govreports.parsers.docx import read_docx
from tests.support import FIXTURES, values
from tests.support.expected import LUCHENG_SCJG_2021, MOUXIAN_GOV_2020, XIHU_EDU_2023

DOCX = FIXTURES / "docx"


def test_docx_2021_all_facts_same_as_html() -> None:
    report = parse_path(DOCX / "xihu-edu-2023.docx")
    assert report.format == "docx" and report.template == "2021"
    assert values(report) == XIHU_EDU_2023
    assert [(f.table, f.row, f.column) for f in report.facts] == fact_keys("2021")
    assert report.issues == []
    assert (report.agency, report.year, report.published) == ("杭州市西湖区教育局", 2023, "2024-01-19")
    assert report.sections["other_matters"].startswith("本机关2023年度未收取信息处理费。")


def test_docx_merged_cells_read_once() -> None:
    """A vertically merged label appears in the row where the merge starts, and nowhere else."""
    doc = read_docx((DOCX / "xihu-edu-2023.docx").read_bytes())
    rows = [ln.cells for ln in doc.lines if ln.grid]
    flat = [c for r in rows for c in r]
    assert flat.count("三、本年度办理结果") == 1
    assert flat.count("（三）不予公开") == 1
    secret = next(r for r in rows if "1.属于国家秘密" in r)
    assert secret == ["（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"]
    granted = next(r for r in rows if "（一）予以公开" in r)
    assert granted == ["三、本年度办理结果", "（一）予以公开", "15", "1", "0", "0", "1", "0", "17"]
    licensing = next(r for r in rows if r[0] == "行政许可")
    assert licensing == ["行政许可", "236"]  # one number spanning three columns is one cell


def test_docx_2019_table_split_over_a_page_break() -> None:
    report = parse_path(DOCX / "mouxian-gov-2020-split.docx")
    assert report.template == "2019"
    assert values(report) == MOUXIAN_GOV_2020
    assert report.issues == []


def test_damaged_docx_is_an_issue_not_a_crash() -> None:
    data = (DOCX / "xihu-edu-2023.docx").read_bytes()
    report = parse_bytes(data[: len(data) // 2], "broken.docx")
    assert report.template is None and [i.rule for i in report.issues] == ["unreadable"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body><unclosed></w:document>")
    report = parse_bytes(buf.getvalue(), "bad.docx")
    assert report.template is None and "not well-formed" in report.issues[0].message


def test_docx_transposed_applications_table() -> None:
    """Applicant types down the side (法人或其他组织 merged over five rows), result rows across."""
    xml = zipfile.ZipFile(DOCX / "lucheng-scjg-2021-transposed.docx").read("word/document.xml")
    assert b'w:vMerge w:val="restart"' in xml
    report = parse_path(DOCX / "lucheng-scjg-2021-transposed.docx")
    assert report.template == "2021"
    assert values(report) == LUCHENG_SCJG_2021
    assert report.issues == []


def test_docx_zip_bomb_is_stopped_by_counting_bytes(monkeypatch) -> None:
    """A body that inflates past the budget is refused while it is read; the header's size is not asked."""
    monkeypatch.setenv("GOVREPORTS_PARSE_MAX_INFLATED_BYTES", str(4 << 20))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            + b" " * ((4 << 20) + 1)
            + b"</w:document>",
        )
    report = parse_bytes(out.getvalue(), "bomb.docx")
    assert report.template is None
    assert [(i.rule, i.message) for i in report.issues] == [
        ("too_large", "document decompresses to more than 4.0 MiB, the limit (PARSE_MAX_INFLATED_BYTES)")
    ]
