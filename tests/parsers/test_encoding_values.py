"""Charsets as pages declare them (or do not, or wrongly) and cell values as agencies type them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govreports.parsers import parse_bytes
from govreports.parsers.encoding import decode
from govreports.parsers.text import parse_value, to_number
from tests.support import FIXTURES, values
from tests.support.expected import XIHU_EDU_2023

XIHU = FIXTURES / "html" / "xihu-edu-2023.html"


def test_page_declared_gbk_but_saved_as_utf8() -> None:
    page = XIHU.read_text("utf-8").replace("charset=utf-8", "charset=gbk")
    report = parse_bytes(page.encode("utf-8"), "x.html")
    assert report.encoding == "utf-8" and report.agency == "杭州市西湖区教育局"
    assert values(report) == XIHU_EDU_2023


def test_http_header_charset_wrong_body_gb18030() -> None:
    page = XIHU.read_text("utf-8").replace("charset=utf-8", "charset=GB18030")
    report = parse_bytes(page.encode("gb18030"), "x.html", "text/html; charset=UTF-8")
    assert report.encoding == "gb18030" and values(report) == XIHU_EDU_2023


def test_decode_order() -> None:
    text = "嘉兴市经济和信息化局2022年度政府信息公开工作年度报告"
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode(text.encode("utf-8"), "text/plain; charset=gbk") == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("utf-16"), None)[0] == text


@pytest.mark.parametrize(
    ("cell", "money", "value"),
    [
        ("1,362", False, 1362),
        ("1，362", False, 1362),
        ("１３６２", False, 1362),
        ("12件", False, 12),
        ("12 件", False, 12),
        ("-31", False, -31),
        ("0", False, 0),
        ("251000元", True, 25.1),
        ("3.5亿元", True, 35000),
        ("1386.52", True, 1386.52),
        ("12.5万元", True, 12.5),
        ("０", True, 0),
    ],
)
def test_numbers(cell: str, money: bool, value: int | float) -> None:
    parsed = parse_value(cell)
    assert parsed is not None and parsed.raw == cell.strip()
    got = to_number(parsed, money)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("cell", ["—", "/", "无", "空", "-", "——", "／", "", " "])
def test_placeholders_are_null_with_raw_kept(cell: str) -> None:
    parsed = parse_value(cell)
    assert parsed is not None and parsed.number is None and parsed.raw == cell.strip()


@pytest.mark.parametrize("cell", ["行政许可", "1.属于国家秘密", "（七）总计", "2023年", "第二十条第（一）项"])
def test_labels_are_not_values(cell: str) -> None:
    assert parse_value(cell) is None


def test_decimal_is_exact() -> None:
    assert parse_value("0.1").number == Decimal("0.1")
