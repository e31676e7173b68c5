"""Text renderings of the same tables: one cell per line, ``|`` rows, tab-separated copy-paste."""

from __future__ import annotations

from govreports.parsers import fact_keys, parse_path, parse_text
from govreports.parsers.flat import split_line
from govreports.parsers.template import APPLICANT_KEYS
from tests.support import FIXTURES, values
from tests.support.expected import MOUXIAN_GOV_2020, XIHU_EDU_2023

TEXT = FIXTURES / "text"


def test_one_cell_per_line_same_facts_as_html() -> None:
    """The HTML page flattened: empty cells gone, 商业 / 企业 split over two lines."""
    report = parse_path(TEXT / "xihu-edu-2023-flat.txt")
    assert report.format == "text" and report.template == "2021"
    assert values(report) == XIHU_EDU_2023
    assert not any(f.inferred for f in report.facts)
    assert report.issues == []
    assert (report.agency, report.year, report.published) == ("杭州市西湖区教育局", 2023, "2024-01-19")


def test_one_cell_per_line_2019_template_with_placeholders() -> None:
    """The 2019 template flattened: ``—`` placeholders survive flattening as cells of their own."""
    report = parse_path(TEXT / "mouxian-gov-2020-flat.txt")
    assert report.template == "2019"
    assert values(report) == MOUXIAN_GOV_2020
    assert report.fact("active", "coercion", "decisions").raw == "—"
    assert report.issues == []


def test_pipe_rows_with_empty_cells_kept() -> None:
    """``| a |  | 41 |`` rows as HTML-to-Markdown converters write them, rowspans not repeated."""
    report = parse_path(TEXT / "xihu-edu-2023-pipes.txt")
    assert values(report) == XIHU_EDU_2023
    assert [(f.table, f.row, f.column) for f in report.facts] == fact_keys("2021")
    assert report.issues == []


def test_tab_separated_gbk_copy_paste() -> None:
    """Rows copied from a browser into a GBK .txt with CRLF: tabs between cells, merged cells once."""
    raw = (TEXT / "mouxian-gov-2020-tabs-gbk.txt").read_bytes()
    assert b"\r\n" in raw and b"\t" in raw
    report = parse_path(TEXT / "mouxian-gov-2020-tabs-gbk.txt")
    assert report.encoding == "gb18030" and report.template == "2019"
    assert values(report) == MOUXIAN_GOV_2020
    assert report.issues == []


def test_split_line_shapes() -> None:
    assert split_line("| 规章 | 0 |  | 3 |").cells == ["规章", "0", "", "3"]
    assert split_line("|---|:---:|---|") is None
    assert split_line("行政许可\t236\t\t").cells == ["行政许可", "236", "", ""]
    assert split_line("\t\t自然人\t法人或其他组织").cells == ["", "", "自然人", "法人或其他组织"]
    spaced = split_line("1 . 属于国家秘密   0   0   0")
    assert spaced is not None and spaced.cells == ["1 . 属于国家秘密", "0", "0", "0"]
    assert split_line("商 业 企 业   3").cells == ["商业企业", "3"]
    assert split_line("   ") is None


def test_several_cells_to_a_line_space_separated() -> None:
    """Each table row one line of space-padded cells (pdftotext -layout), 商 业 企 业 spaced out."""
    text = (TEXT / "xihu-edu-2023-spaced.txt").read_text("utf-8")
    assert "一、本年新收政府信息公开申请数量    41    3    0    1    2    0    47" in text
    report = parse_path(TEXT / "xihu-edu-2023-spaced.txt")
    assert values(report) == XIHU_EDU_2023
    assert report.issues == []


def test_empty_cells_kept_as_separators_are_null_not_zero() -> None:
    """In a separated row an empty cell is an empty cell of the report: value None, not inferred."""
    text = (
        (TEXT / "xihu-edu-2023-pipes.txt")
        .read_text("utf-8")
        .replace(
            "| 三、本年度办理结果 | （一）予以公开 |  | 15 | 1 | 0 | 0 | 1 | 0 | 17 |",
            "| 三、本年度办理结果 | （一）予以公开 |  | 15 | 1 |  |  | 1 |  | 17 |",
        )
    )
    report = parse_text(text)
    got = tuple(report.value("applications", "granted", c) for c in APPLICANT_KEYS)
    assert got == (15, 1, None, None, 1, None, 17)
    assert not any(f.inferred for f in report.facts)
    assert report.issues == []


def test_review_table_printed_one_row_per_kind_in_any_order() -> None:
    """四、 turned: a row each for 行政复议 / 直接起诉 / 复议后起诉, not in the template's order."""
    text = (TEXT / "xihu-edu-2023-pipes.txt").read_text("utf-8")
    start, end = text.index("四、政府信息公开行政复议"), text.index("五、存在的主要问题")
    turned = (
        "四、政府信息公开行政复议、行政诉讼情况\n\n| 类别 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
        "|---|---|---|---|---|---|\n| 行政诉讼（复议后起诉） | 0 | 0 | 0 | 0 | 0 |\n"
        "| 行政复议 | 1 | 0 | 0 | 1 | 2 |\n| 行政诉讼（未经复议直接起诉） | 0 | 0 | 1 | 0 | 1 |\n\n"
    )
    report = parse_text(text[:start] + turned + text[end:])
    assert values(report) == XIHU_EDU_2023
    assert report.issues == []
