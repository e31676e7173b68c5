"""OCR: scanned PDFs and 图片版 pictures read into the same checked tables (the ``ocr`` extra).

The fixtures (``tests/fixtures/ocr``, made by ``make_scans.py``) are the two text-PDF reports of
``tests/fixtures/pdf`` printed to images, turned and noisy; their numbers are written out in
``tests/support/expected.py`` from the reports as printed.
"""

from __future__ import annotations

import json
import socket

import pytest

from govreports.parsers import Fact, parse_bytes, parse_path
from govreports.parsers.doubt import ocr_doubts
from govreports.parsers.ocr import Word, _as_digits, visual_lines
from govreports.parsers.template import APPLICANT_KEYS, fact_keys
from tests.support import FIXTURES, values
from tests.support.expected import (
    ACTIVE_2019,
    APPLICATIONS_2019,
    PDF_2021,
    PRINTED_2019_ROWS,
    REVIEW_2019,
    pdf_facts,
)

OCR = FIXTURES / "ocr"
PRINTED_2021 = PDF_2021
# what report-2019.pdf prints, the two rows printed ``1 1`` included: OCR sees the cells' places
PRINTED_2019 = pdf_facts(ACTIVE_2019, {**APPLICATIONS_2019, **PRINTED_2019_ROWS}, REVIEW_2019)

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed (make test installs it)")


@pytest.fixture(scope="module")
def offline():
    """No connection may be opened while OCR runs: the models ship in the wheel."""
    real = socket.socket.connect

    def refuse(self, address):
        raise AssertionError(f"OCR tried to connect to {address}")

    socket.socket.connect = refuse
    try:
        yield
    finally:
        socket.socket.connect = real


@pytest.fixture(scope="module")
def scanned_2021(offline):
    return parse_path(OCR / "scanned-2021-150.pdf")


@pytest.fixture(scope="module")
def scanned_2019(offline):
    return parse_path(OCR / "scanned-2019-300.pdf")


@pytest.fixture(scope="module")
def picture_page(offline):
    return parse_path(OCR / "imitation-2021.html")


# --- scanned PDFs -------------------------------------------------------------------------------


def test_scanned_2021_report_is_read_into_every_fact(scanned_2021) -> None:
    r = scanned_2021
    assert (r.format, r.template, r.agency, r.year) == ("pdf", "2021", "青田县自然资源和规划局", 2023)
    assert [(f.table, f.row, f.column) for f in r.facts] == fact_keys("2021")
    assert values(r) == PRINTED_2021
    assert all(f.ocr for f in r.facts)
    assert all(0.0 < f.confidence <= 1.0 for f in r.facts if f.value is not None)
    assert r.fact("active", "licensing", "decisions").page == 2
    # the report's arithmetic holds, so no cell is in doubt
    assert [i.rule for i in r.issues if i.severity == "error"] == []
    assert "全年通过门户网站主动公开政府信息1，046条" in r.sections["overview"]  # OCR gives the full-width comma


def test_scanned_2019_black_and_white_300_dpi(scanned_2019) -> None:
    r = scanned_2019
    assert (r.template, r.agency, r.year) == ("2019", "龙泉市市场监督管理局", 2020)
    # the rows with blank cells (``1 1``, ``12 3 15``, ``2 2 4``) are placed by their boxes' columns,
    # which the text PDF's flat text cannot do: every number as printed, none placed by the rules
    assert values(r) == PRINTED_2019
    assert r.issues_for("ambiguous_row") == [] and not any(f.inferred for f in r.facts)
    assert [i.rule for i in r.issues if i.severity == "error"] == []
    assert r.fact("active", "procurement", "amount_10k_yuan").value == 1250.6


def test_ocr_facts_carry_their_marks_in_json(scanned_2021) -> None:
    facts = json.loads(scanned_2021.to_json())["facts"]
    licensing = next(f for f in facts if (f["table"], f["row"], f["column"]) == ("active", "licensing", "decisions"))
    assert licensing["ocr"] is True and licensing["value"] == 1362 and 0.9 <= licensing["confidence"] <= 1.0
    text = json.loads(parse_path(FIXTURES / "pdf" / "report-2021.pdf").to_json())["facts"]
    assert "ocr" not in text[0] and "confidence" not in text[0]


def test_too_many_pages_is_refused_before_any_ocr(monkeypatch) -> None:
    monkeypatch.setenv("GOVREPORTS_OCR_MAX_PAGES", "2")
    r = parse_path(OCR / "scanned-2021-150.pdf")
    assert [(i.rule, i.message) for i in r.issues] == [
        ("scanned_pdf", "scanned PDF has 3 pages, over the OCR limit of 2 (OCR_MAX_PAGES)")
    ]


# --- 图片版 pages --------------------------------------------------------------------------------


def test_picture_page_tables_are_read_from_its_local_pictures(picture_page) -> None:
    r = picture_page
    assert (r.format, r.template, r.agency, r.year, r.published) == (
        "html",
        "2021",
        "青田县自然资源和规划局",
        2023,
        "2024-01-18",
    )
    assert values(r) == PRINTED_2021
    assert all(f.ocr and f.page is None for f in r.facts)
    assert r.issues_for("tables_not_found") == []
    # the site's badge (/images/gongan.png) is not beside the page: named, not fatal. The header's
    # two-line labels (自然 / 人, 商业企 / 业) come apart in OCR lines: the template's order is assumed
    # and said so, as for any header it cannot read
    assert [(i.rule, i.severity, i.cells) for i in r.issues] == [
        ("header_unrecognised", "warning", ["applications"]),
        ("pictures_missing", "warning", ["/images/gongan.png"]),
    ]


def test_picture_page_without_its_pictures_keeps_tables_not_found() -> None:
    data = (OCR / "imitation-2021.html").read_bytes()
    r = parse_bytes(data, "page.html", images=lambda src: None)
    assert r.facts == []
    [issue] = r.issues_for("tables_not_found")
    assert issue.message.endswith(
        "pictures not at hand: table-2021-active.png, table-2021-applications-1.png, "
        "table-2021-applications-2.png, table-2021-review.png, /images/gongan.png"
    )


def test_picture_page_with_ocr_off_says_so(monkeypatch) -> None:
    monkeypatch.setenv("GOVREPORTS_OCR_ENABLED", "false")
    r = parse_path(OCR / "imitation-2021.html")
    [issue] = r.issues_for("tables_not_found")
    assert issue.message.endswith("; OCR is switched off (GOVREPORTS_OCR_ENABLED)")


def test_a_picture_that_is_not_an_image_is_named() -> None:
    data = (OCR / "imitation-2021.html").read_bytes()
    pictures = {"table-2021-active.png": b"<html>not found</html>"}
    r = parse_bytes(data, "page.html", images=pictures.get)
    [issue] = r.issues_for("tables_not_found")
    assert "table-2021-active.png" in issue.message


def test_local_pictures_never_leave_the_page_folder(tmp_path) -> None:
    from govreports.parsers.pictures import local_images

    (tmp_path / "site").mkdir()
    page = tmp_path / "site" / "page.html"
    (tmp_path / "secret.png").write_bytes(b"x")
    (tmp_path / "site" / "a.png").write_bytes(b"png")
    read = local_images(page)
    assert read("a.png") == b"png" and read("/a.png") == b"png"
    assert read("../secret.png") is None and read("http://example.org/a.png") is None


# --- lines from boxes, confusions, doubts (no OCR run) ---------------------------------------


def _word(text: str, left: float, top: float, width: float = 20, height: float = 20, score: float = 0.99) -> Word:
    return Word(text, score, left, top, left + width, top + height)


def test_wrapped_label_lines_stay_apart_from_the_row_numbers() -> None:
    words = [
        _word("2.其他法律行政", 100, 100, 140),
        _word("1", 300, 104),  # a little below the label's first line, crooked
        _word("0", 380, 106),
        _word("1", 460, 103),
        _word("法规禁止公开", 100, 122, 120),  # right under the first line: never in its row
        _word("规", 100, 160), _word("章", 118, 161),  # letter-spaced: the boxes touch
    ]  # fmt: skip
    assert [ln.text for ln in visual_lines(words)] == ["2.其他法律行政 1 0 1", "法规禁止公开", "规 章"]


def _row(y: float, label: str | None, *cells: str, x0: float = 300, step: float = 80) -> list[Word]:
    """A table row at height ``y``: its label, then a number or nothing under each column."""
    words = [_word(label, 100, y, 140)] if label else []
    return words + [_word(c, x0 + k * step, y) for k, c in enumerate(cells) if c]


def test_a_row_with_blank_cells_is_placed_by_its_columns() -> None:
    words = [
        *_row(100, "本年新收", "30", "5", "1", "1", "3", "0", "40"),
        *_row(140, "2.其他法律行政法", "", "", "1", "", "", "", "1"),
        *_row(180, None, "", "", "", "1", "", "", "1"),  # its label wraps onto the lines around it
        *_row(220, "总计", "30", "4", "1", "1", "3", "0", "39"),
    ]
    lines = visual_lines(words)
    assert [ln.text for ln in lines] == [
        "本年新收 30 5 1 1 3 0 40",
        "2.其他法律行政法\t\t\t1\t\t\t\t1",
        "\t\t\t1\t\t\t1",
        "总计 30 4 1 1 3 0 39",
    ]


def test_a_row_off_its_tables_columns_stays_flat() -> None:
    words = [
        *_row(100, "本年新收", "30", "5", "1", "1", "3", "0", "40"),
        *_row(140, "收费", "3", "1", x0=340),  # half a column off: not the table's columns
        *_row(180, "其他", "1", "1", "1", "1", "1", "1", "6", step=60),  # the rows below do not line up
    ]
    assert [ln.text for ln in visual_lines(words)][1] == "收费 3 1"


def test_a_weak_number_outside_the_tables_columns_is_not_a_cell() -> None:
    """A ruling line between the label and the first column, read as a ``1`` at 0.37, in the table's
    last row (no row below: the two rows above give the columns)."""
    words = [
        *_row(100, "（六）其他处理", "1", "0", "0", "0", "0", "0", "1"),
        *_row(140, "（七）总计", "30", "4", "1", "1", "3", "0", "39"),
        *_row(180, "四、结转下年度继续办理", "1", "1", "0", "0", "0", "0", "2"),
        _word("1", 255, 180, width=6, score=0.37),
    ]
    assert [ln.text for ln in visual_lines(words)][2] == "四、结转下年度继续办理 1 1 0 0 0 0 2"
    sure = [*words[:-1], _word("1", 255, 180, width=6, score=0.95)]  # a sure reading stays, and is reported
    assert [ln.text for ln in visual_lines(sure)][2] == "四、结转下年度继续办理 1 1 1 0 0 0 0 2"


def test_a_number_boxed_twice_is_read_once() -> None:
    from govreports.parsers.ocr import _without_doubles

    zero, double = _word("0", 300, 100, score=0.78), _word("0", 302, 101, score=0.69)  # "o." read as 0
    two = _word("2", 220, 102)
    assert _without_doubles([zero, double, two]) == [zero, two] and zero.score == 0.78
    six, eight = _word("6", 300, 100, score=0.9), _word("8", 301, 100, score=0.8)
    assert _without_doubles([six, eight]) == [six] and six.score == 0.5  # they disagree: in doubt


def test_a_letter_read_for_a_digit_becomes_the_digit_in_doubt() -> None:
    assert _as_digits("o", 0.97) == ("0", 0.5)
    assert _as_digits("1O", 0.9) == ("10", 0.5)
    assert _as_digits("o:", 0.76) == ("0", 0.5)  # a speck of the cell read as a colon
    assert _as_digits("0-", 0.55) == ("0", 0.5)
    assert _as_digits("4.", 0.9) == ("4", 0.5)
    assert _as_digits("-2", 0.99) == ("-2", 0.99)  # a printed minus stays
    assert _as_digits("12", 0.9) == ("12", 0.9)
    assert _as_digits("规章", 0.8) == ("规章", 0.8)


def _facts(**changes: tuple[int | None, float]) -> list[Fact]:
    out = []
    for (table, row, column), value in PRINTED_2021.items():
        confidence = 0.99
        key = f"{table}/{row}/{column}"
        if key in changes:
            value, confidence = changes[key]
        out.append(Fact(table, row, column, value, None if value is None else str(value), confidence=confidence))
    return out


def test_rules_confirm_unsure_numbers_they_cover() -> None:
    assert ocr_doubts(_facts(**{"applications/granted/enterprise": (2, 0.55)}), "2021") == []


def test_a_misread_number_is_named_where_its_row_and_column_rules_cross() -> None:
    [issue] = ocr_doubts(_facts(**{"applications/granted/enterprise": (8, 0.97)}), "2021")
    assert issue.rule == "ocr_inconsistent" and issue.severity == "error"
    assert issue.cells == ["applications/granted/enterprise"]
    assert "rule(s) A1, A2" in issue.message and "'8' (0.97)" in issue.message


def test_unsure_numbers_no_rule_covers_are_in_doubt() -> None:
    [issue] = ocr_doubts(_facts(**{"active/licensing/decisions": (1362, 0.62)}), "2021")
    assert (issue.rule, issue.severity, issue.cells) == ("ocr_doubt", "warning", ["active/licensing/decisions"])


def test_rules_resting_on_an_unplaced_row_judge_nothing() -> None:
    """A row whose numbers could not be placed is left empty: the column rules through it fail for our
    gap, not a misreading, so they neither doubt nor confirm; the row's own issue names it."""
    empty_row = {f"applications/granted/{c}": (None, 1.0) for c in APPLICANT_KEYS}
    facts = _facts(**empty_row)
    inconsistent, doubt = ocr_doubts(facts, "2021")
    assert inconsistent.rule == "ocr_inconsistent"
    # granted prints 0 under public_interest and other_org: blank there, no rule fails (a blank counts
    # as 0) and none can confirm a blank, so OCR's missing number is in doubt
    assert (doubt.rule, doubt.cells) == (
        "ocr_doubt",
        ["applications/granted/public_interest", "applications/granted/other_org"],
    )
    assert ocr_doubts(facts, "2021", ("applications/granted/",)) == []
