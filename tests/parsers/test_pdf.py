"""Text PDFs as agencies publish them (Word → PDF), read to exactly the numbers they print.

The fixtures in ``tests/fixtures/pdf`` were made by ``make_pdfs.py`` there: DOCX written with
python-docx, exported by LibreOffice. Their pdfium text has what real attachments have: the
applications table broken over pages (the 不予处理 / 信访举报投诉类申请 row is split between
pages 2 and 3), labels wrapped inside words, letter-spaced labels (``行 政 许 可``), the vertical
三、本年度办理结果 label one character a line, ``— 2 —`` page numbers, a running header carrying the
year, and in the 2019 report blank cells that vanish from the text.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from govreports.cli import cli
from govreports.parsers import fact_keys, parse_bytes, parse_path
from govreports.parsers.pdf import TextLine, _bare_page_numbers, _drop_furniture, _drop_repeated_header_rows, read_pdf
from govreports.parsers.tables import applicant_order, matcher
from govreports.parsers.template import APPLICANT_KEYS, TEMPLATE_DEFS
from tests.support import FIXTURES, values
from tests.support.expected import (
    ACTIVE_2019,
    ACTIVE_2021,
    APPLICATIONS_2019,
    APPLICATIONS_2021,
    REVIEW_2019,
    REVIEW_2021,
)
from tests.support.expected import pdf_facts as expected

PDF = FIXTURES / "pdf"
REPORT_2021 = PDF / "report-2021.pdf"
REPORT_2019 = PDF / "report-2019.pdf"


@pytest.fixture(scope="module")
def report_2021():
    return parse_path(REPORT_2021)


@pytest.fixture(scope="module")
def report_2019():
    return parse_path(REPORT_2019)


def test_2021_pdf_every_number_exactly(report_2021) -> None:
    r = report_2021
    assert (r.format, r.template) == ("pdf", "2021")
    assert values(r) == expected(ACTIVE_2021, APPLICATIONS_2021, REVIEW_2021)
    assert [(f.table, f.row, f.column) for f in r.facts] == fact_keys("2021")
    assert not any(f.inferred for f in r.facts)
    # nothing unplaced, no header warning, and the report's own arithmetic holds
    assert r.issues == []


def test_2021_pdf_metadata_and_sections(report_2021) -> None:
    r = report_2021
    # the title wraps over two lines on page 1
    assert r.title == "青田县自然资源和规划局2023年度政府信息公开工作年度报告"
    assert (r.agency, r.year, r.published) == ("青田县自然资源和规划局", 2023, "2024-01-18")
    # paragraphs wrapped over lines are joined; the right-aligned signature is not joined to its date
    assert r.sections["overview"].split("\n")[0] == (
        "2023年，青田县自然资源和规划局坚持以人民为中心，认真贯彻落实政务公开工作部署，"
        "持续深化重点领域信息公开，全年通过门户网站主动公开政府信息1,046条。"
    )
    assert r.sections["problems"] == (
        "一是主动公开的深度和广度有待拓展；二是政策解读形式较为单一。下一步，我局将进一步规范公开流程。"
    )
    # the section ends before the signature (agency and date), as on HTML pages
    assert r.sections["other_matters"] == "青田县自然资源和规划局2023年未收取政府信息公开信息处理费。"
    assert "—" not in r.sections["other_matters"]  # the "— 3 —" footer is gone


def test_facts_carry_their_page(report_2021) -> None:
    r = report_2021
    assert r.fact("active", "licensing", "decisions").page == 2
    # the 不予处理 / 信访举报投诉类申请 row starts on page 2 and ends on page 3: its numbers are on 2
    assert r.fact("applications", "rejected_petition", "other_org").page == 2
    assert r.fact("applications", "rejected_repeated", "natural_person").page == 3
    assert r.fact("applications", "carried_forward", "total").page == 3
    assert r.fact("review_litigation", "review", "total").page == 3
    assert json.loads(r.to_json())["facts"][0]["page"] == 2


def test_page_furniture_never_becomes_numbers() -> None:
    doc = read_pdf(REPORT_2019.read_bytes())
    texts = ["".join(line.cells) for line in doc.lines]
    assert not any(t.startswith("—") for t in texts)  # no "— 2 —" page numbers: this report has…
    assert [t for t in texts if t in {"1", "2", "3", "4"}] == []  # …Word's plain ones, all gone
    # the running header "龙泉市市场监督管理局 2020 年政府信息公开工作年度报告" tops all four pages
    assert not any(t == "龙泉市市场监督管理局2020年政府信息公开工作年度报告" for t in texts)
    assert texts[0] == "龙泉市市场监督管理局2020年度政府信息公开工作年度报告"  # the title, rejoined
    assert ["政府集中采购", "27", "1,250.6万元"] in [line.cells for line in doc.lines]  # unit rejoined


def test_2019_pdf_numbers_blanks_and_recovery(report_2019) -> None:
    r = report_2019
    assert (r.template, r.agency, r.year) == ("2019", "龙泉市市场监督管理局", 2020)
    assert values(r) == expected(ACTIVE_2019, APPLICATIONS_2019, REVIEW_2019)
    assert [(f.table, f.row, f.column) for f in r.facts] == fact_keys("2019")
    inferred = {f.row for f in r.facts if f.inferred}
    assert inferred == {"granted", "rejected_petition"}
    assert r.fact("applications", "granted", "research").raw is None  # a blank placed as blank, not 0
    assert r.fact("active", "licensing", "items_change").raw == "+3"
    assert r.fact("active", "procurement", "amount_10k_yuan").raw == "1,250.6万元"
    ambiguous = sorted(i.cells[0] for i in r.issues_for("ambiguous_row"))
    assert ambiguous == ["applications/denied_law_prohibited", "applications/unable_unclear"]
    assert all(i.message.endswith(": 1 1") for i in r.issues_for("ambiguous_row"))
    assert r.issues_for("unplaced_numbers") == [] and r.issues_for("header_unrecognised") == []


def test_scanned_pdf_without_ocr_is_an_issue_not_a_crash(monkeypatch) -> None:
    monkeypatch.setenv("GOVREPORTS_OCR_ENABLED", "0")
    r = parse_path(PDF / "scanned-2021.pdf")
    assert r.template is None and r.facts == []
    assert [(i.rule, i.severity) for i in r.issues] == [("scanned_pdf", "error")]
    assert r.issues[0].message == "PDF has no text layer (scanned image); OCR is switched off (GOVREPORTS_OCR_ENABLED)"


def test_scanned_pdf_says_how_to_install_ocr(monkeypatch) -> None:
    from govreports.parsers import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)
    r = parse_path(PDF / "scanned-2021.pdf")
    assert [i.rule for i in r.issues] == ["scanned_pdf"]
    assert r.issues[0].message.endswith("OCR is not installed (pip install 'govreports[ocr]')")


@pytest.mark.parametrize("fraction", [0.05, 0.4, 0.9, 0.999])
def test_truncated_pdf_is_unreadable(fraction: float) -> None:
    data = REPORT_2021.read_bytes()
    r = parse_bytes(data[: int(len(data) * fraction)], "cut.pdf")
    assert r.template is None and r.facts == []
    assert [i.rule for i in r.issues] == ["unreadable"]
    assert "truncated" in r.issues[0].message


def test_committed_truncated_fixture() -> None:
    r = parse_path(PDF / "truncated-2021.pdf")
    assert [i.rule for i in r.issues] == ["unreadable"]
    assert r.issues[0].message == "PDF is truncated (it stops before its end marker); download it again"


def test_cli_reads_pdfs_without_traceback(monkeypatch) -> None:
    monkeypatch.setenv("GOVREPORTS_OCR_ENABLED", "0")
    result = CliRunner().invoke(
        cli,
        ["parse", str(REPORT_2021), str(PDF / "scanned-2021.pdf"), str(PDF / "truncated-2021.pdf"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["template"] for o in objs] == ["2021", None, None]
    assert len(result.stderr.splitlines()) == 2  # one line per unreadable document
    assert [[i["rule"] for i in o["issues"]] for o in objs] == [[], ["scanned_pdf"], ["unreadable"]]


def test_furniture_is_text_repeated_at_page_edges_never_a_row_of_numbers() -> None:
    pages = [
        ["某局 2022 年报告", "一、总体情况", "0 0 0 0 0 0 0", "- 1 -"],
        ["某局 2022 年报告", "0 0 0 0 0 0 0", "规章 0 0 2", "第 2 页 共 3 页"],
        ["某局 2022 年报告", "行政许可 5", "0 0 0 0 0 0 0"],
    ]
    lines = [[TextLine(text, False) for text in page] for page in pages]
    _drop_furniture(lines)
    assert [[ln.text for ln in page] for page in lines] == [
        ["一、总体情况", "0 0 0 0 0 0 0"],
        ["0 0 0 0 0 0 0", "规章 0 0 2"],
        ["行政许可 5", "0 0 0 0 0 0 0"],
    ]


def test_applicant_header_with_total_inside_a_wrapped_label() -> None:
    # pdfium: "商业企 总计" on one line, "业" on the next — 总计 sits inside 商业企业
    header = "申请人情况自然人法人或其他组织商业企总计业科研机构社会公益组织法律服务机构其他"
    assert applicant_order(header) == list(APPLICANT_KEYS)


def test_word_defaults_top_aligned_cells_and_a_label_parted_by_the_page_break() -> None:
    """Cells top-aligned, header rows repeated on page 3, no widow control.

    pdfium gives page 2 ending ``2.其他法律行政法 1 0 0 0 0 0 1`` and page 3 starting with the
    repeated header, the rest of the vertical labels and ``规禁止公开``. ``2.其他…`` must not be
    taken for row ``3.其他``; it is the one row whose official label starts that way.
    """
    r = parse_path(PDF / "report-2021-top.pdf")
    assert (r.template, r.agency, r.year) == ("2021", "缙云县卫生健康局", 2022)
    assert values(r) == expected(ACTIVE_2021, APPLICATIONS_2021, REVIEW_2021)
    assert r.issues == []
    assert r.fact("active", "normative_documents", "in_force").page == 1
    assert r.fact("active", "licensing", "decisions").page == 2
    assert r.fact("applications", "denied_law_prohibited", "total").page == 2
    assert r.fact("applications", "denied_security_stability", "total").page == 3


def test_first_line_of_a_parted_label_names_its_row_or_nothing() -> None:
    table = TEMPLATE_DEFS["2021"].table("applications")
    m = matcher(table)
    assert m.match("#其他法律行政法", {}) is None  # not 3.其他: "#其他" counts only at the label's end
    assert m.match("规禁止公开#其他", {}) == "other_other"
    assert m.match_start("#其他法律行政法", {}) == "denied_law_prohibited"
    assert m.match_start("#要求行政机关确", {}) == "rejected_confirmation"
    assert m.match_start("#属于", {}) is None  # five rows begin 属于…: no guess
    assert m.match_start("#其他法律行政法", {"denied_law_prohibited": None}) is None


def test_copy_protected_pdf_reads_like_the_open_one(report_2019) -> None:
    r = parse_path(PDF / "restricted-2019.pdf")
    assert values(r) == values(report_2019)
    assert [i.rule for i in r.issues] == [i.rule for i in report_2019.issues]


def test_password_protected_pdf_is_unreadable_with_a_reason() -> None:
    r = parse_path(PDF / "password-2019.pdf")
    assert r.template is None and r.facts == []
    assert [(i.rule, i.message) for i in r.issues] == [
        ("unreadable", "PDF is password-protected: it cannot be opened without its password")
    ]


def test_repeated_table_header_rows_are_dropped_but_not_repeated_numbers() -> None:
    doc = read_pdf((PDF / "report-2021-top.pdf").read_bytes())
    page3 = ["".join(line.cells) for line in doc.lines if line.page == 3]
    assert page3[:4] == ["理", "结", "果", "开规禁止公开"]  # the header rows Word repeated are gone
    pages = [
        [TextLine(t, False) for t in page]
        for page in (
            ["申请人情况", "自然人", "一、本年新收 3 0 3", "0 0 0"],
            ["申请人情况", "自然人", "（七）总计 3 0 3"],
            ["0 0 0", "四、结转下年度继续办理 0 0 0"],
        )
    ]
    _drop_repeated_header_rows(pages)
    assert [[ln.text for ln in page] for page in pages] == [
        ["申请人情况", "自然人", "一、本年新收 3 0 3", "0 0 0"],
        ["（七）总计 3 0 3"],
        ["0 0 0", "四、结转下年度继续办理 0 0 0"],
    ]


def test_a_lone_number_is_a_page_number_only_if_it_counts_up_with_the_pages() -> None:
    def page(*texts: str) -> list[TextLine]:
        return [TextLine(t, False) for t in texts]

    # pages numbered from the second page on: 1, 2 at the feet of pages 2 and 3
    numbered = [page("标题", "正文"), page("规章 0 0 2", "1"), page("行政许可 5", "2")]
    assert _bare_page_numbers(numbered) == {1: {1}, 2: {1}}
    # a lone table value at a page foot, the page number on another: nothing counts up, keep both
    assert _bare_page_numbers([page("行政许可", "7"), page("行政处罚", "3")]) == {}
    assert _bare_page_numbers([page("一、总体情况", "1")]) == {0: {1}}


def test_blank_pdf_is_not_called_scanned() -> None:
    import io

    import pypdfium2 as pdfium

    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    buffer = io.BytesIO()
    blank.save(buffer)
    r = parse_bytes(buffer.getvalue(), "blank.pdf")
    assert [(i.rule, i.message) for i in r.issues] == [("unreadable", "PDF has neither text nor images: blank pages")]
