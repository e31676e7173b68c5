"""Figures the overview states in words, read and compared with the tables."""

from __future__ import annotations

import pytest

from govreports.parsers.prose import check_prose, claims


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "2023年共收到政府信息公开申请47件，上年结转2件，全年答复45件（含上年结转2件，另有4件顺延至2024年办理），"
            "其中17件予以公开。全年发生政府信息公开行政复议2件、行政诉讼1件。",
            {
                "new_received": 47,
                "carried_over": 2,
                "total_processed": 45,
                "carried_forward": 4,
                "granted": 17,
                "review": 2,
                "litigation": 1,
            },
        ),
        (
            "全年共受理政府信息公开申请26件，办结24件（含上年结转1件，另有3件结转下年办理）。"
            "全年未发生政府信息公开行政诉讼，行政复议1件。",
            {
                "new_received": 26,
                "carried_over": 1,
                "total_processed": 24,
                "carried_forward": 3,
                "review": 1,
                "litigation": 0,
            },
        ),
        (
            "全年共收到政府信息公开申请1,362件，全年答复1，350件（含上年结转38件，另有45件顺延至2023年办理）。"
            "全年收到政府信息公开行政复议申请21件。",
            {"new_received": 1362, "total_processed": 1350, "carried_over": 38, "carried_forward": 45, "review": 21},
        ),
        (
            "2022年，我局共收到依申请公开事项8件，受理8件，均及时予以回复，其中3件予以公开。"
            "没有产生政府信息公开行政复议、行政诉讼情况。",
            {"new_received": 8, "granted": 3, "review": 0, "litigation": 0},
        ),
        (
            "全年共收到政府信息公开申请9件，其中予以公开4件。全年未发生政府信息公开行政复议、行政诉讼案件。",
            {"new_received": 9, "granted": 4, "review": 0, "litigation": 0},
        ),
        ("全年收到人大代表建议12件、政协提案9件，发布信息1,305条。", {}),
        (
            "本年度共受理政府信息公开申请31件，办结29件，结转下年度继续办理2件。",
            {"new_received": 31, "carried_forward": 2},
        ),
        ("本年度新收政府信息公开申请１２件。因政府信息公开被提起行政诉讼3起。", {"new_received": 12, "litigation": 3}),
        # 上海市人民政府办公厅 2025: no case lost, which says nothing of how many cases there were (55)
        ("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。", {}),
        (
            # 2020年上海市政府信息公开工作年度报告 (tests/fixtures/real/html/shanghai-city-2020.html): a time
            # limit (2个工作日) before the count, and first-instance cases (一审…687件) after the filed ones
            "各单位线下渠道收到的政府信息公开申请要求在2个工作日内录入办理平台，确保依申请件“应登尽登”。"
            "2020年，全市各级行政机关累计接收政府信息公开申请 29130件，较2019年下降6.62 %，"
            "答复政府信息公开申请28406件（含上年度结转申请1400件，另有2124件申请按照《条例》顺延到下年度答复）。"
            "信息公开类行政复议813件，其中，结果纠正42件。信息公开类行政诉讼立案731件，其中，未经复议直接起诉442件，"
            "复议后起诉289件。一审行政诉讼案件687件，结果纠正23件。",
            {"new_received": 29130, "carried_over": 1400, "review": 813, "litigation": 731},
        ),
        ("申请人须在15个工作日内补正。一审行政诉讼案件5件。", {}),
    ],
)
def test_claims(sentence: str, expected: dict[str, int]) -> None:
    assert {k: v for k, (v, _) in claims(sentence).items()} == expected


def test_disagreement_is_a_warning_with_both_sides() -> None:
    overview = (
        "全年共收到政府信息公开申请47件，全年答复45件（含上年结转2件，另有5件顺延）。全年发生行政复议2件、行政诉讼1件。"
    )
    table = {
        ("applications", "new_received", "total"): 47,
        ("applications", "total_processed", "total"): 45,
        ("applications", "carried_over", "total"): 2,
        ("applications", "carried_forward", "total"): 4,
        ("review_litigation", "review", "total"): 2,
        ("review_litigation", "litigation_direct", "total"): 0,
        ("review_litigation", "litigation_after_review", "total"): 1,
    }
    issues = check_prose(overview, table)
    assert [(i.rule, i.severity, i.cells, i.expected, i.actual) for i in issues] == [
        ("prose", "warning", ["applications/carried_forward/total"], 4, 5)
    ]
    assert issues[0].message == "overview says '另有5件顺延' but the table has 4"


def test_no_warning_when_table_cell_is_empty() -> None:
    assert check_prose("全年共收到政府信息公开申请47件。", {("applications", "new_received", "total"): None}) == []
