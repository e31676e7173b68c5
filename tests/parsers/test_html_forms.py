"""HTML report pages as agencies publish them: Word-exported tables inside CMS pages, any charset."""

from __future__ import annotations

import re

import pytest

from govreports.parsers import fact_keys, parse_bytes, parse_path
from govreports.parsers.template import APPLICANT_KEYS
from tests.support import FIXTURES, values
from tests.support.expected import LUCHENG_SCJG_2021, MOUXIAN_GOV_2020, XIHU_EDU_2023

HTML = FIXTURES / "html"


def test_word_html_in_cms_page_all_200_facts() -> None:
    """Three-row header, rowspans for 三、/（三）…（六）, <br> in 商业<br>企业, nested layout tables."""
    report = parse_path(HTML / "xihu-edu-2023.html")
    assert report.template == "2021"
    assert values(report) == XIHU_EDU_2023
    assert [(f.table, f.row, f.column) for f in report.facts] == fact_keys("2021")
    assert all(f.raw == str(f.value) and not f.inferred for f in report.facts)
    assert report.issues == []


def test_metadata_ignores_other_years_in_related_list_and_footer() -> None:
    report = parse_path(HTML / "xihu-edu-2023.html")
    assert (report.agency, report.year, report.published) == ("杭州市西湖区教育局", 2023, "2024-01-19")
    assert report.title == "杭州市西湖区教育局2023年度政府信息公开工作年度报告"
    assert report.encoding == "utf-8" and report.format == "html"
    assert report.sections["overview"].startswith("2023年，杭州市西湖区教育局在区委、区政府的坚强领导下")
    assert report.sections["problems"].startswith("（一）存在的主要问题。一是政策解读形式较为单一")
    # the report ends at its signature: no related-article list, print links or site footer
    assert report.sections["other_matters"] == (
        "本机关2023年度未收取信息处理费。\n"
        "2023年度共办理人大代表建议12件、政协委员提案9件，均已按期办结，办理结果已按要求公开。"
    )


def test_gb2312_page_with_gbk_only_character_and_one_merged_table() -> None:
    """Declared gb2312, bytes need GBK (镕); tables of 二、三、四 merged into one <table>; 2019 template."""
    report = parse_path(HTML / "mouxian-gov-2020-gb2312.html")
    assert report.encoding == "gb18030"
    assert "镕城政务" in report.sections["overview"]
    assert report.template == "2019" and report.year == 2020
    assert report.agency == "某某县人民政府办公室"
    assert values(report) == MOUXIAN_GOV_2020
    assert [(f.table, f.row, f.column) for f in report.facts] == fact_keys("2019")
    penalty = report.fact("active", "penalty", "decisions")
    assert penalty is not None and penalty.value is None and penalty.raw == "—"
    assert report.fact("active", "licensing", "items_change").raw == "-31"
    assert report.fact("active", "procurement", "amount_10k_yuan").value == 1386.52
    assert report.issues == []


def test_wrongly_declared_charset_subtotal_column_and_number_forms() -> None:
    """Declared utf-8 but GBK bytes; 8 applicant columns (小计); 1,362 / 1，362 / １２ / 3,105件 / 251000元."""
    report = parse_path(HTML / "ningbo-zrzy-2022-gbk-declared-utf8.html")
    assert report.encoding == "gb18030"
    assert report.agency == "宁波市自然资源和规划局"
    assert report.title == "宁波市自然资源和规划局2022年度政府信息公开工作年度报告"  # （超链版） dropped
    assert report.template == "2021"
    assert [(f.table, f.row, f.column) for f in report.facts] == fact_keys("2021")
    assert not any(f.column == "subtotal" for f in report.facts)  # checked, never stored
    got = values(report)
    row = {
        r: tuple(got[("applications", r, c)] for c in APPLICANT_KEYS)
        for r in (
            "new_received",
            "carried_over",
            "granted",
            "unable_not_held",
            "other_other",
            "total_processed",
            "carried_forward",
        )
    }
    assert row == {
        "new_received": (1120, 198, 3, 5, 30, 6, 1362),
        "carried_over": (31, 6, 0, 0, 1, 0, 38),
        "granted": (402, 77, 2, 1, 11, 2, 495),
        "unable_not_held": (298, 41, 1, 2, 8, 2, 352),
        "other_other": (10, 2, 0, 0, 2, 0, 14),
        "total_processed": (1113, 193, 3, 4, 31, 6, 1350),
        "carried_forward": (38, 11, 0, 1, 0, 0, 50),
    }
    raw = {(f.row, f.column): f.raw for f in report.facts}
    assert raw[("new_received", "total")] == "1，362" and raw[("new_received", "natural_person")] == "1,120"
    assert got[("active", "normative_documents", "issued")] == 12 and raw[("normative_documents", "issued")] == "１２"
    assert got[("active", "licensing", "decisions")] == 3105 and raw[("licensing", "decisions")] == "3,105件"
    assert got[("active", "fees", "amount_10k_yuan")] == 25.1 and raw[("fees", "amount_10k_yuan")] == "251000元"
    assert [
        got[("review_litigation", r, "total")] for r in ("review", "litigation_direct", "litigation_after_review")
    ] == [21, 8, 2]
    # the report's own faults are findings: 小计 typed 5 for 2+0+0+2+0, and the prose's 45 vs 50
    assert [(i.rule, i.severity, i.expected, i.actual) for i in report.issues] == [
        ("A1", "error", 4, 5),
        ("prose", "warning", 50, 45),
    ]
    assert report.issues[0].cells[0] == "applications/other_other/enterprise"


def test_transposed_applications_table() -> None:
    """Rows = 自然人 … 总计, columns = result rows under a three-row header; undeclared GBK."""
    report = parse_path(HTML / "lucheng-scjg-2021-transposed.html")
    assert report.encoding == "gb18030"
    assert report.template == "2021" and report.year == 2021
    assert values(report) == LUCHENG_SCJG_2021
    assert report.issues == []


def test_table_split_by_page_break_and_blank_cells_stay_null() -> None:
    """The applications table continues in a second <table> without header; zeros typed as blanks."""
    report = parse_path(HTML / "liandu-wjj-2022-split.html")
    assert report.template == "2021" and report.agency == "丽水市莲都区卫生健康局"
    got = values(report, "applications")
    blank = (None,) * 7
    rows = {r: tuple(got[("applications", r, c)] for c in APPLICANT_KEYS) for r in dict.fromkeys(k[1] for k in got)}
    assert rows == {
        "new_received": (8, 1, None, None, None, None, 9),
        "carried_over": (1, None, None, None, None, None, 1),
        "granted": (3, 1, None, None, None, None, 4),
        "partly_granted": (1, None, None, None, None, None, 1),
        **{
            r: blank
            for r in (
                "denied_state_secret",
                "denied_law_prohibited",
                "denied_security_stability",
                "denied_third_party",
                "denied_internal_affairs",
                "denied_process_info",
                "denied_enforcement_file",
                "denied_admin_query",
            )
        },
        "unable_not_held": (3, None, None, None, None, None, 3),  # first row of the continuation table
        "unable_needs_creation": blank,
        "unable_unclear": (1, None, None, None, None, None, 1),
        "rejected_petition": (1, None, None, None, None, None, 1),
        **{
            r: blank
            for r in (
                "rejected_repeated",
                "rejected_publication",
                "rejected_excessive",
                "rejected_confirmation",
                "other_overdue_correction",
                "other_overdue_fee",
                "other_other",
            )
        },
        "total_processed": (9, 1, None, None, None, None, 10),
        "carried_forward": blank,
    }
    active = values(report, "active")
    assert active == {
        ("active", "regulations", "issued"): None,
        ("active", "regulations", "repealed"): None,
        ("active", "regulations", "in_force"): None,
        ("active", "normative_documents", "issued"): 1,
        ("active", "normative_documents", "repealed"): None,
        ("active", "normative_documents", "in_force"): 4,
        ("active", "licensing", "decisions"): 1032,
        ("active", "penalty", "decisions"): 57,
        ("active", "coercion", "decisions"): None,
        ("active", "fees", "amount_10k_yuan"): None,
    }
    assert set(values(report, "review_litigation").values()) == {0}
    assert not any(f.inferred for f in report.facts)  # blank grid cells are empty cells, nothing to infer
    assert report.issues == []


def test_traditional_characters_and_label_variants() -> None:
    """The site's 繁體 page: 1、 for 1., 半角 brackets, a missing ordinal, 已获取的信息, 仍然不明确."""
    report = parse_path(HTML / "jiaojiang-sfj-2021-traditional.html")
    assert report.agency == "台州市椒江区司法局" and report.year == 2021
    assert report.title == "台州市椒江区司法局2021年度政府信息公开工作年度报告"  # （圖片版） dropped
    assert report.template == "2021"
    got = values(report)
    assert None not in got.values() and len(got) == 200
    apps = {
        r: tuple(got[("applications", r, c)] for c in APPLICANT_KEYS)
        for r in (
            "new_received",
            "granted",
            "partly_granted",
            "unable_not_held",
            "rejected_petition",
            "rejected_excessive",
            "rejected_confirmation",
            "total_processed",
        )
    }
    assert apps == {
        "new_received": (11, 1, 0, 0, 0, 0, 12),
        "granted": (4, 1, 0, 0, 0, 0, 5),
        "partly_granted": (1, 0, 0, 0, 0, 0, 1),
        "unable_not_held": (3, 0, 0, 0, 0, 0, 3),
        "rejected_petition": (2, 0, 0, 0, 0, 0, 2),
        "rejected_excessive": (1, 0, 0, 0, 0, 0, 1),
        "rejected_confirmation": (0, 0, 0, 0, 0, 0, 0),
        "total_processed": (11, 1, 0, 0, 0, 0, 12),
    }
    assert got[("review_litigation", "review", "upheld")] == 1
    assert report.issues == []


def test_legacy_2015_report_text_and_metadata_only() -> None:
    report = parse_path(HTML / "dinghai-edu-2015-legacy.html")
    assert report.template == "legacy"
    assert (report.agency, report.year, report.published) == ("舟山市定海区教育局", 2015, "2016-03-21")
    assert report.facts == []
    assert [i.rule for i in report.issues] == ["legacy"]
    assert "共受理政府信息公开申请5件" in report.sections["full_text"]


def test_template_from_headers_not_year() -> None:
    """A 2021 report typed on the 2019 template is a 2019-template report; a 2021 one stays 2021."""
    page = (HTML / "mouxian-gov-2020-gb2312.html").read_bytes().decode("gbk")
    relabelled = page.replace("2020年", "2021年").replace("2020年度", "2021年度")
    report = parse_bytes(relabelled.encode("gbk"), "x.html")
    assert report.year == 2021 and report.template == "2019"
    assert values(report) == MOUXIAN_GOV_2020


def test_same_page_utf8_undeclared() -> None:
    """The Word-exported page with its charset declaration removed still reads (UTF-8 tried first)."""
    page = (HTML / "xihu-edu-2023.html").read_text("utf-8")
    stripped = page.replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n', "")
    assert "charset" not in stripped
    report = parse_bytes(stripped.encode("utf-8"), "x.html")
    assert report.encoding == "utf-8" and values(report) == XIHU_EDU_2023


def test_report_with_tables_as_pictures_is_not_legacy() -> None:
    """The 图片版: modern sections, tables pasted as images. No template guessed, no facts, one issue."""
    report = parse_path(HTML / "xihu-edu-2023-image-tables.html")
    assert report.template is None and report.facts == []
    assert (report.agency, report.year) == ("杭州市西湖区教育局", 2023)
    assert [(i.rule, i.severity) for i in report.issues] == [("tables_not_found", "error")]
    assert report.sections["overview"].startswith("2023年，杭州市西湖区教育局")


def test_word_single_file_web_page_saved_as_doc() -> None:
    """A ".doc" attachment that is really Word's MHTML: quoted-printable gb2312 HTML inside MIME."""
    path = HTML / "mouxian-gov-2020-word-mht.doc"
    assert path.read_bytes().startswith(b"MIME-Version: 1.0")
    report = parse_path(path)
    assert report.format == "mhtml" and report.encoding == "gb18030"
    assert report.template == "2019" and values(report) == MOUXIAN_GOV_2020
    assert report.issues == []


_XIHU_PAGE = (HTML / "xihu-edu-2023.html").read_text("utf-8")


@pytest.mark.parametrize(
    "mess",
    [
        pytest.param(
            lambda p: (
                re.sub(r"<(/?)(td|tr|table|p|span)\b", lambda m: f"<{m[1]}{m[2].upper()}", p)
                .replace("colspan=", "COLSPAN=")
                .replace("rowspan=", "ROWSPAN=")
            ),
            id="upper-case-tags",
        ),
        pytest.param(lambda p: re.sub(r"(<span[^>]*>)(\d+)(</span>)", r"\1&nbsp;\2&nbsp;\3", p), id="nbsp-around"),
        pytest.param(
            lambda p: re.sub(r"(<span[^>]*>)(\d+)(</span>)", r"\1<font face=宋体 size=2>\2</font>\3", p), id="font-tags"
        ),
        pytest.param(lambda p: p.replace("</td>", "").replace("</tr>", ""), id="unclosed-cells"),
        pytest.param(
            lambda p: re.sub(
                r"(<span[^>]*>)(\d+)(</span>)", r"\1<!--[if !supportMisc]-->\2<!--[endif]-->\3", p
            ).replace("<o:p></o:p>", "<!--[if !supportLists]--><o:p></o:p><!--[endif]-->"),
            id="comments",
        ),
        pytest.param(lambda p: p.replace("<td", "<th").replace("</td>", "</th>"), id="th-cells"),
        pytest.param(
            lambda p: re.sub(
                r"(<span[^>]*>)(\d+)(</span></p>)", r"\1\2\3<p class=MsoNormal><span>&nbsp;</span></p>", p
            ),
            id="empty-paragraphs",
        ),
        pytest.param(
            lambda p: p.replace("三、本年度办理结果", "三、本 年 度 办 理 结 果").replace("自然人", "自 然 人"),
            id="spaced-labels",
        ),
    ],
)
def test_messy_markup_same_facts(mess) -> None:
    page = mess(_XIHU_PAGE)
    assert page != _XIHU_PAGE
    report = parse_bytes(page.encode("utf-8"), "x.html")
    assert values(report) == XIHU_EDU_2023
    assert report.issues == []


@pytest.mark.parametrize(("printed", "value"), [("13865200元", 1386.52), ("3.5亿元", 35000), ("1,386.52万元", 1386.52)])
def test_money_units_converted_to_10k_yuan(printed: str, value: float) -> None:
    """采购总金额 typed in 元 or 亿元 is stored in 万元, the raw text kept."""
    page = (HTML / "mouxian-gov-2020-gb2312.html").read_bytes().decode("gbk")
    assert page.count(">1386.52<") == 1
    report = parse_bytes(page.replace(">1386.52<", f">{printed}<").encode("gbk"), "x.html")
    fact = report.fact("active", "procurement", "amount_10k_yuan")
    assert (fact.value, fact.raw) == (value, printed)


def test_prose_in_list_items_with_links_is_kept() -> None:
    """Some CMS editors put the overview's points in <li>; a link inside one does not make it a menu."""
    page = _XIHU_PAGE.replace(
        "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'><span style='font-size:16.0pt;"
        "font-family:仿宋_GB2312'>（四）平台建设情况。",
        '<li><span>（四）平台建设情况。详见<a href="/col/col2004/">专栏</a>。',
    )
    assert page != _XIHU_PAGE
    report = parse_bytes(page.encode("utf-8"), "x.html")
    assert "（四）平台建设情况。详见专栏。完成教育局专栏栏目调整" in report.sections["overview"]
    assert values(report) == XIHU_EDU_2023


def test_html5_article_header_keeps_title_and_date() -> None:
    """<article><header><h1>title</h1><time>…</time></header>: the header is the report's, not the site's."""
    page = _XIHU_PAGE.replace(
        '<meta name="ArticleTitle" content="杭州市西湖区教育局2023年度政府信息公开工作年度报告">\n', ""
    )
    page = page.replace('<meta name="PubDate" content="2024-01-19 16:20">\n', "")
    page = page.replace(
        "<title>杭州市西湖区教育局2023年度政府信息公开工作年度报告_杭州市西湖区人民政府</title>",
        "<title>西湖区人民政府</title>",
    )
    page = re.sub(
        r"<table width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\"><tr><td class=\"title\".*?</td></tr>\n"
        r"<tr><td align=\"center\" class=\"info\">.*?</td></tr>",
        '<table width="100%"><tr><td><article><header><h1>杭州市西湖区教育局2023年度政府信息公开工作年度报告</h1>'
        "<p>发布日期：<time>2024-01-19</time></p></header></article></td></tr>",
        page,
        flags=re.S,
    )
    page = page.replace(
        '<tr><td class="xxgk_td">发布机构：</td><td>杭州市西湖区教育局</td><td class="xxgk_td">发文日期：</td>'
        "<td>2024-01-19</td></tr>",
        "",
    )
    assert "ArticleTitle" not in page and "<header>" in page and "发文日期" not in page
    report = parse_bytes(page.encode("utf-8"), "x.html")
    assert (report.agency, report.year, report.published) == ("杭州市西湖区教育局", 2023, "2024-01-19")
