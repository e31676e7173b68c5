"""Report titles as agencies write them: spaces, year first, suffixes, traditional characters."""

from __future__ import annotations

import pytest

from govreports.parsers.metadata import find_date, parse_title


@pytest.mark.parametrize(
    ("text", "title", "agency", "year"),
    [
        (
            "杭州市西湖区教育局 2023 年度政府信息公开工作年度报告（超链版）",
            "杭州市西湖区教育局2023年度政府信息公开工作年度报告",
            "杭州市西湖区教育局",
            2023,
        ),
        (
            "宁波市自然资源和规划局2022年度政府信息公开工作年度报告(图片版)",
            "宁波市自然资源和规划局2022年度政府信息公开工作年度报告",
            "宁波市自然资源和规划局",
            2022,
        ),
        (
            "某某县人民政府办公室2020年政府信息公开工作年度报告（文字版）",
            "某某县人民政府办公室2020年政府信息公开工作年度报告",
            "某某县人民政府办公室",
            2020,
        ),
        (
            "2022年嘉兴市经济和信息化局政府信息公开工作年度报告",
            "2022年嘉兴市经济和信息化局政府信息公开工作年度报告",
            "嘉兴市经济和信息化局",
            2022,
        ),
        (
            "中华人民共和国外交部2022年政府信息公开工作年度报告",
            "中华人民共和国外交部2022年政府信息公开工作年度报告",
            "中华人民共和国外交部",
            2022,
        ),
        (
            "杭州市西湖区教育局2023年度政府信息公开年度报告",
            "杭州市西湖区教育局2023年度政府信息公开年度报告",
            "杭州市西湖区教育局",
            2023,
        ),
        (
            "附件：某某县人民政府办公室2022年度政府信息公开工作年度报告.pdf",
            "某某县人民政府办公室2022年度政府信息公开工作年度报告",
            "某某县人民政府办公室",
            2022,
        ),
        (
            "国家税务总局台州市椒江区税务局政府信息公开工作年度报告（2021年）",
            "国家税务总局台州市椒江区税务局政府信息公开工作年度报告(2021年)",
            "国家税务总局台州市椒江区税务局",
            2021,
        ),
    ],
)
def test_titles(text: str, title: str, agency: str, year: int) -> None:
    got = parse_title(text)
    assert got is not None and (got.title, got.agency, got.year) == (title, agency, year)


@pytest.mark.parametrize(
    "text",
    [
        "关于印发某某县2020年政府信息公开工作年度报告的通知",
        "首页 > 政务公开 > 2022年度政府信息公开工作年度报告",
        "图解 | 嘉兴市经济和信息化局2022年度政府信息公开工作年度报告",
        "一图读懂杭州市西湖区教育局2023年度政府信息公开工作年度报告",
        "杭州市西湖区教育局2023年度政府信息公开工作年度报告（解读）",
        "西湖区教育局召开2024年政务公开工作部署会",
    ],
)
def test_not_titles(text: str) -> None:
    assert parse_title(text) is None


def test_dates() -> None:
    assert find_date("发布时间：2024-01-19 16:20 来源：杭州市西湖区教育局", labelled=True) == "2024-01-19"
    assert find_date("索引号：002489/2023-01-00018 发布日期：2023年1月17日", labelled=True) == "2023-01-17"
    assert find_date("2023-02-30") is None
