"""The parser against real published reports (tests/fixtures/real/), with values typed by eye.

What a real report prints is read right, or its loss is reported: no value is wrong, every cell
left null is named by an issue, and the metadata is the document's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govreports.parsers import Context, parse_bytes, parse_path
from tests.support.markdown import markdown_of_html, numbered_from_one
from tests.support.real_expected import REAL_REPORTS, RealReport, score

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


@pytest.mark.parametrize("real", REAL_REPORTS, ids=[r.path for r in REAL_REPORTS])
def test_real_report_values_are_right_or_reported(real: RealReport) -> None:
    report = parse_path(REAL / real.path)
    s = score(report, real)
    assert s.wrong == []
    assert s.unreported == []
    assert (report.agency, report.year, report.published) == (real.agency, real.year, real.published)


@pytest.mark.parametrize("name", ["huaian-hongze-gov-2023.pdf", "huaian-hongze-gov-2024.pdf"])
def test_title_split_over_two_lines_with_spaced_year(name: str) -> None:
    # page 1 sets the agency on one line and "2023 年政府信息公开工作年度报告" on the next
    report = parse_path(REAL / "pdf" / name)
    year = int(name[-8:-4])
    assert report.title is not None and report.title.endswith(f"{year}年政府信息公开工作年度报告")
    assert report.template == "mixed"


def test_hongze_pdfs_hybrid_tables_each_read_by_its_own_layout() -> None:
    # 二 is the 2021 table (本年制发件数 …), 三 the 2019 one (（六）其他处理 one row, no sub-rows): the
    # report is "mixed", 二 keeps the 2021 keys and 三 the 2019 keys; every printed cell is read but
    # the row the document misprints (2.其他法律行政止公开), which a warning names
    for real in REAL_REPORTS[:2]:
        report = parse_path(REAL / real.path)
        assert report.template == "mixed"
        keys = {(f.table, f.row, f.column) for f in report.facts}
        assert ("active", "normative_documents", "in_force") in keys  # 2021 key
        assert ("active", "normative_documents", "total_published") not in keys  # 2019 key
        assert ("applications", "other", "total") in keys  # 2019 key
        assert ("applications", "other_other", "total") not in keys  # 2021 key
        s = score(report, real)
        assert s.right == len(real.facts) - len(s.missing)
        assert set(s.missing) == {f"applications/denied_law_prohibited/{c}" for c in _COLUMNS}
        lost = next(i for i in report.issues if i.rule == "rows_not_read")
        assert lost.severity == "warning"
        assert lost.cells == [f"applications/denied_law_prohibited/{c}" for c in _COLUMNS]


def test_crawler_dump_agency_is_not_the_saved_folder_path() -> None:
    report = parse_path(REAL / "text" / "pingtan-2021-crawler-dump.txt")
    assert report.agency == "平潭综合实验区"
    assert "/" not in (report.title or "")
    # the tables run together on one line are not read; that is an error, never a quiet gap
    assert any(i.severity == "error" for i in report.issues)


_COLUMNS = ("natural_person", "enterprise", "research", "public_interest", "legal_services", "other_org", "total")


def test_crawler_dump_rows_found_by_their_labels_and_run_together_cells_never_guessed() -> None:
    report = parse_path(REAL / "text" / "pingtan-2021-crawler-dump.txt")
    # sections and rows are found in the one-line dump; seven digits under seven cells are read
    assert report.value("applications", "denied_enforcement_file", "natural_person") == 6
    assert report.value("applications", "denied_enforcement_file", "total") == 6
    assert report.value("active", "licensing", "decisions") == 2293
    # "693665" under three cells could be 69/36/65 or 6/93/665: not read, and said so
    assert report.value("active", "normative_documents", "issued") is None
    run_together = {i.cells[0] for i in report.issues if i.rule == "cells_run_together"}
    assert run_together == {
        "active/normative_documents",
        "applications/new_received",
        "applications/granted",
        "applications/unable_not_held",
        "applications/total_processed",
        "review_litigation",
    }
    assert all(i.severity == "error" for i in report.issues if i.rule == "cells_run_together")
    # no arithmetic error is claimed for rows the parser could not read
    assert not [i for i in report.issues if i.rule in ("A2", "A3")]


def test_crawler_dump_2019_template_and_misprinted_heading() -> None:
    r2019 = parse_path(REAL / "text" / "pingtan-2019-crawler-dump.txt")
    assert r2019.template == "2019"
    assert r2019.value("applications", "other", "total") == 0  # printed "0 0 0 0 0 00"
    # 四、政府信息公开行政法复议、行政诉讼情况 (sic): still the review table, its spaced cells read
    r2022 = parse_path(REAL / "text" / "pingtan-2022-crawler-dump.txt")
    assert r2022.value("review_litigation", "litigation_direct", "upheld") == 1
    assert r2022.value("review_litigation", "review", "total") == 2


def test_hybrid_the_other_way_round_2019_table_two_with_2021_table_three() -> None:
    # assembled here from two real dumps (not a corpus document): Pingtan 2019's 二 (the 2019
    # layout: 本年新制作数量 …) followed by Pingtan 2023's 三 and 四 (2021 layout: 其他处理 sub-rows)
    d2019 = (REAL / "text" / "pingtan-2019-crawler-dump.txt").read_text("utf-8")
    d2023 = (REAL / "text" / "pingtan-2023-crawler-dump.txt").read_text("utf-8")
    head, rest = d2019.split("二、主动公开政府信息情况", 1)
    two = rest.split("三、收到和处理政府信息公开申请情况", 1)[0]
    three_on = "三、收到和处理政府信息公开申请情况" + d2023.split("三、收到和处理政府信息公开申请情况", 1)[1]
    report = parse_bytes((head + "二、主动公开政府信息情况" + two + three_on).encode(), "hybrid.txt", "text/plain")
    assert report.template == "mixed"
    keys = {(f.table, f.row, f.column) for f in report.facts}
    assert ("active", "regulations", "total_published") in keys  # 二 keeps the 2019 keys
    assert ("applications", "other_overdue_correction", "total") in keys  # 三 the 2021 keys
    assert ("applications", "other", "total") not in keys
    assert report.value("active", "regulations", "made") == 0
    assert report.value("applications", "denied_admin_query", "total") == 2
    assert report.value("review_litigation", "litigation_direct", "total") == 5


def test_crawler_dump_negative_change_run_together_is_not_split_into_digits() -> None:
    # 2020's 行政事业性收费 "35-15" (35 last year, −15): four digits for two cells, never 3 and 5
    report = parse_path(REAL / "text" / "pingtan-2020-crawler-dump.txt")
    assert report.value("active", "fees", "items_last_year") is None
    assert report.value("active", "fees", "items_change") is None
    issue = next(i for i in report.issues if i.cells == ["active/fees"])
    assert (issue.rule, issue.severity) == ("cells_run_together", "error")
    assert report.value("active", "regulations", "total_published") == 7  # "规章007"


SHANGHAI = next(r for r in REAL_REPORTS if r.path == "html/shanghai-gov-office-2019.html")


def test_html_fragment_blank_cells_are_null_and_the_printed_date_is_published() -> None:
    # the article body as the site's script holds it: no <html>, no <title>; 发布日期 under the title
    report = parse_path(REAL / SHANGHAI.path)
    assert (report.template, report.published) == ("2019", "2020-01-31")
    assert report.value("applications", "granted", "research") is None  # &nbsp;
    assert report.value("applications", "granted", "total") is None  # the 总计 column left blank
    assert report.value("active", "procurement", "amount_10k_yuan") == 25.1  # "251000元"
    # the blank totals break A1 in the document itself: said, never filled in
    granted = next(i for i in report.issues if i.rule == "A1" and "applications/granted/total" in i.cells)
    assert granted.message == "granted: total ≠ sum of applicant columns: empty ≠ 272"


def test_printed_date_wins_over_the_crawlers_date() -> None:
    data = (REAL / SHANGHAI.path).read_bytes()
    report = parse_bytes(data, "page.html", "text/html", context=Context(published="2024-05-01"))
    assert (report.published, report.sources["published"]) == ("2020-01-31", "document")


@pytest.mark.parametrize(
    "mark",
    [lambda h: "## " + h, lambda h: "**" + h + "**", lambda h: "### **" + h + "**"],
    ids=["hash", "bold", "hash-bold"],
)
def test_markdown_marks_on_section_headings(mark) -> None:
    # the real report as a PDF→Markdown tool writes it; its headings marked: every section and cell found
    text = markdown_of_html(REAL / SHANGHAI.path, mark)
    report = parse_bytes(text.encode(), "report.md", "text/markdown")
    assert set(report.sections) == {"overview", "problems", "other_matters"}
    s = score(report, SHANGHAI)
    assert (s.right, s.wrong, s.missing) == (len(SHANGHAI.facts), [], [])


def test_sections_numbered_from_one_when_the_overview_has_no_number() -> None:
    # 一、主动公开… 二、收到和处理… 三、…行政复议… : each section found by its words, not its ordinal
    text = markdown_of_html(REAL / SHANGHAI.path, numbered_from_one)
    assert "一、主动公开政府信息情况" in text and "三、政府信息公开行政复议、行政诉讼情况" in text
    report = parse_bytes(text.encode(), "report.md", "text/markdown")
    assert set(report.sections) == {"problems", "other_matters"}
    s = score(report, SHANGHAI)
    assert (s.right, s.wrong, s.missing) == (len(SHANGHAI.facts), [], [])


def test_printed_date_wins_over_the_pages_metadata_and_the_disagreement_is_said() -> None:
    # the real fragment inside a page whose <meta name="pubdate"> holds the day a copy was saved
    fragment = (REAL / SHANGHAI.path).read_text("utf-8")
    page = f'<html><head><meta name="pubdate" content="2026-11-30 10:00"></head><body>{fragment}</body></html>'
    report = parse_bytes(page.encode(), "page.html", "text/html")
    assert report.published == "2020-01-31"
    [issue] = report.issues_for("published_disagrees")
    assert (issue.severity, issue.cells) == ("warning", ["published"])


def test_a_capture_date_is_never_the_publication_date() -> None:
    # the same page as a crawler saved it, its 发布日期 line replaced by the crawler's own
    fragment = (REAL / SHANGHAI.path).read_text("utf-8")
    assert fragment.count("发布日期：2020-01-31") == 1
    saved = fragment.replace("发布日期：2020-01-31", "抓取时间：2026-11-30 08:12")
    report = parse_bytes(saved.encode(), "page.html", "text/html")
    assert report.published is None
    [issue] = report.issues_for("published_untrusted")
    assert (issue.severity, issue.cells) == ("warning", ["published"])
    assert "2026-11-30" in issue.message


STCSM = next(r for r in REAL_REPORTS if r.path == "markdown/shanghai-stcsm-2024-pdf2md.md")
OFFICE_2025 = next(r for r in REAL_REPORTS if r.path == "markdown/shanghai-office-2025-pdf2md.md")


@pytest.mark.parametrize("real", [STCSM, OFFICE_2025], ids=["stcsm-2024", "office-2025"])
def test_pdf_to_markdown_title_over_two_lines(real: RealReport) -> None:
    # "正文" / "2024 年上海市科委政府信息公开工作" / "年度报告": the title's two lines, not the word above
    report = parse_path(REAL / real.path)
    assert report.title == f"{real.year}年{real.agency}政府信息公开工作年度报告"
    assert (report.agency, report.year) == (real.agency, real.year)


def test_pdf_to_markdown_bare_rows_read_by_position_and_marked_inferred() -> None:
    # "5.属于三类内部事务信息" and "1.本机关不掌握相关政府信息" as loose lines, then "| 1 | 0 | … | 1 |":
    # the label nearest the numbers is not theirs; between 8.属于行政查询事项 and 1.信访举报投诉类申请
    # three bare rows stand for the three rows of （四）无法提供, in order
    report = parse_path(REAL / STCSM.path)
    facts = {(f.row, f.column): f for f in report.facts if f.table == "applications"}
    assert facts[("denied_internal_affairs", "total")].value == 1
    assert [facts[(r, "total")].value for r in ("unable_not_held", "unable_needs_creation", "unable_unclear")] == [
        4,
        6,
        0,
    ]
    assert facts[("unable_not_held", "natural_person")].inferred  # placed by position, and said so
    assert not facts[("denied_process_info", "total")].inferred  # "| 6.属于四类过程性信息 | 1 | …": its own label


def test_pdf_to_markdown_bare_rows_never_placed_when_the_count_differs() -> None:
    # the real text with one bare row taken out: after "4.无正当理由大量反复申请", "5.要求行政机关
    # 确认…" and "1.申请人无正当理由逾期不补正…" as loose lines, two bare rows where three rows are
    # due — which is which is a guess, so none is placed and each is an error
    text = (REAL / STCSM.path).read_text("utf-8")
    rule = "|---|---|---|---|---|---|---|\n"
    three = rule + "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n" + rule + "| 8 | 2 | 0 | 0 | 0 | 0 | 10 |\n"
    assert text.count(three) == 1
    two = rule + "| 8 | 2 | 0 | 0 | 0 | 0 | 10 |\n"
    report = parse_bytes(text.replace(three, two).encode(), "report.md", "text/markdown")
    for row in ("rejected_excessive", "rejected_confirmation", "other_overdue_correction"):
        assert report.value("applications", row, "total") is None
    assert score(report, STCSM).wrong == []
    unplaced = [i.message for i in report.issues if i.rule == "unplaced_numbers" and i.severity == "error"]
    assert "applications: numbers under no row label: 8 2 0 0 0 0 10" in unplaced


def test_pdf_to_markdown_page_numbers_and_prose_are_not_cells() -> None:
    report = parse_path(REAL / OFFICE_2025.path)
    # "行政事业性收费 0" then "— 4 —": one cell, not four
    assert report.value("active", "fees", "amount_10k_yuan") == 0
    # 五's heading is lost, its text ("2024 年…近 1400 个…— 6 —") runs on after 四's table row
    assert report.value("review_litigation", "litigation_after_review", "total") == 22
    assert not [i for i in report.issues if i.cells and i.cells[0].startswith("review_litigation")]
    # "未发生因依申请公开被行政复议纠错" is no claim that there was no review (the table has 55)
    assert not report.issues_for("prose")


SHANGHAI_2020 = next(r for r in REAL_REPORTS if r.path == "html/shanghai-city-2020.html")


def test_signed_changes_footnote_marks_and_the_documents_own_arithmetic() -> None:
    # 二 prints 本年增/减 with signs (-183, +5174) and 第二十条第（一）项[1]; 三's printed total 29130
    # is not the sum of its columns (29126): read as printed, and the error is the document's
    report = parse_path(REAL / SHANGHAI_2020.path)
    assert (report.template, report.published) == ("2019", "2021-03-30")
    assert report.value("active", "licensing", "items_change") == -183
    assert report.value("active", "other_services", "items_change") == 5174
    assert report.value("active", "procurement", "amount_10k_yuan") == 2722529.0916  # "27225290916元"
    a1 = next(i for i in report.issues if i.rule == "A1" and "applications/new_received/total" in i.cells)
    assert (a1.severity, a1.message) == ("error", "new_received: total ≠ sum of applicant columns: 29130 ≠ 29126")
    # the overview's "收到的政府信息公开申请要求在2个工作日内录入" is a time limit, not a count
    assert not [i for i in report.issues if i.rule == "prose"]


SHUYANG_OCR = next(r for r in REAL_REPORTS if r.path == "text/shuyang-gov-2025-ocr.txt")


def test_ocr_markdown_placeholder_header_rows_give_way_to_the_printed_row() -> None:
    # the OCR tool wrote 三's header as tables of dashes ("### 申请人情况 (总计)" / "| - | - |"): the dashes
    # name no cell, and （七）总计, printed later under a garbled header, is read as its row
    report = parse_path(REAL / SHUYANG_OCR.path)
    assert [report.value("applications", "total_processed", c) for c in _COLUMNS] == [710, 3, 0, 0, 5, 0, 718]
    assert not [i for i in report.issues if i.rule in ("unplaced_numbers", "ambiguous_row")]
    [header] = report.issues_for("header_unrecognised")
    assert header.severity == "warning"


SHUYANG_FGJ = next(r for r in REAL_REPORTS if r.path == "html/shuyang-fgj-2023-crawler-page.html")


def test_crawler_saved_page_metadata_is_the_sites_not_the_crawlers() -> None:
    # the crawler's header says 单位：沭阳县发改局 and 采集时间：2025-12-30; the page itself says
    # 发布机构 沭阳县发展和改革局 and 公开日期 2024-01-17: agency and date are the page's
    report = parse_path(REAL / SHUYANG_FGJ.path)
    assert (report.agency, report.year, report.published) == ("沭阳县发展和改革局", 2023, "2024-01-17")
    # blank organisation columns stay null, and nothing is claimed about them
    assert report.value("applications", "new_received", "enterprise") is None
    assert report.value("applications", "new_received", "total") == 26
    assert report.issues == []


def _dept(name: str) -> RealReport:
    return next(r for r in REAL_REPORTS if r.path == f"text/pingtan-{name}-crawler-dump.txt")


def test_department_dump_fifth_heading_worded_otherwise_and_review_still_read() -> None:
    # 公安局2024: "五、存在的主要问题及明年工作计划" (no 情况) after 四's fifteen zeros: 四 is read and 五
    # found, where the review table used to run on to the end of the text and go unread
    real = _dept("gaj-2024")
    report = parse_path(REAL / real.path)
    assert [report.value("review_litigation", "review", c) for c in ("upheld", "total")] == [0, 0]
    assert {"overview", "problems", "other_matters"} <= set(report.sections)
    assert report.issues == []


def test_department_dump_sections_after_the_tables_each_on_a_line() -> None:
    # 经济发展局2020: "五、…情况 2020年，…。 六、其他需要报告的事项 无 …" on the table's line; "无" is 六's
    # text, never a sixteenth cell of 四
    report = parse_path(REAL / _dept("jjf-2020").path)
    assert report.template == "2019"
    assert report.value("review_litigation", "litigation_after_review", "total") == 0
    assert report.sections["other_matters"].startswith("无")
    assert report.issues == []


def test_department_dump_prose_run_on_after_cells() -> None:
    # 市场监督管理局2025: "行政事业性收费02025年，我局…" is a fee of 0 (no number is printed with a
    # leading zero), not 2025; 四's seventeen digits stop at the prose after them and are an error
    report = parse_path(REAL / _dept("scj-2025").path)
    assert report.value("active", "fees", "amount_10k_yuan") == 0
    review = next(i for i in report.issues if i.cells == ["review_litigation"])
    assert (review.rule, review.severity) == ("cells_run_together", "error")
    assert "'10000100000000000'" in review.message
    # "7.属于行政执法案件" (sic) is the 案卷 row
    assert report.value("applications", "denied_enforcement_file", "total") == 3


def test_dump_row_under_an_unknown_label_keeps_the_row_before_it() -> None:
    # the real dump with row 7's label changed to one no template knows: row 6's seven zeros are
    # still read (they were taken with "7." as one decimal-looking number and lost, unreported)
    text = (REAL / _dept("scj-2025").path).read_text("utf-8")
    assert text.count("7.属于行政执法案件") == 1
    report = parse_bytes(text.replace("7.属于行政执法案件", "7.属于行政执法文书").encode(), "p.txt", "text/plain")
    assert [report.value("applications", "denied_process_info", c) for c in _COLUMNS] == [0] * 7
    assert report.value("applications", "denied_enforcement_file", "total") is None
    lost = next(i for i in report.issues if i.rule == "rows_not_read")
    assert lost.cells == [f"applications/denied_enforcement_file/{c}" for c in _COLUMNS]
    assert score(report, _dept("scj-2025")).unreported == []


def test_department_dump_review_heading_with_yu_and_the_documents_own_arithmetic() -> None:
    # 行政审批局2024: "四、政府信息公开行政复议与行政诉讼情况"; 四 prints a review upheld beside a
    # total of 0: read as printed, and the sum that fails is the document's
    report = parse_path(REAL / _dept("hzs-2024").path)
    assert report.value("review_litigation", "review", "upheld") == 1
    assert report.value("review_litigation", "review", "total") == 0
    assert any(i.rule == "R1" and "review_litigation/review/total" in i.cells for i in report.issues)
    # "规范性文件" for 行政规范性文件 in the 2021 table, its cells run together: said, never silent
    norm = next(i for i in report.issues if i.cells == ["active/normative_documents"])
    assert norm.rule == "cells_run_together"


def test_department_dump_agency_is_the_titles_not_the_headers_publisher() -> None:
    # 财政金融局2021: the crawler's header says 发布机构: 平潭综合实验区人民政府
    real = _dept("czj-2021")
    report = parse_path(REAL / real.path)
    assert (report.agency, report.year, report.published) == ("平潭综合实验区财政金融局", 2021, "2022-01-13")
