"""Row labels as agencies really type them still reach their rows (flattened text, one cell a line)."""

from __future__ import annotations

import re

import pytest

from govreports.parsers import parse_text
from tests.support import FIXTURES, values
from tests.support.expected import XIHU_EDU_2023

FLAT = (FIXTURES / "text" / "xihu-edu-2023-flat.txt").read_text("utf-8")


def _halfwidth_brackets(t: str) -> str:
    return t.replace("（", "(").replace("）", ")")


def _comma_ordinals(t: str) -> str:
    return re.sub(r"(?m)^(\d)\.", r"\1、", t)


def _fullwidth_dot_ordinals(t: str) -> str:
    return re.sub(r"(?m)^(\d)\.", r"\1．", t)


def _no_leaf_ordinals(t: str) -> str:
    return re.sub(r"(?m)^\d\.", "", t)


def _no_group_ordinals(t: str) -> str:
    return re.sub(r"(?m)^（[一二三四五六七]）", "", t)


def _labels_broken_over_lines(t: str) -> str:
    return (
        t.replace("3.危及“三安全一稳定”", "3.危及“三安全\n\n一稳定”")
        .replace("5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新\n\n出具已获取信息")
        .replace("法律服务机构", "法律服务\n\n机构")
    )


def _wording(t: str) -> str:
    return (
        t.replace("信访举报投诉类申请", "信访举报投拆类申请")  # a typo
        .replace("本机关不掌握相关政府信息", "本机关不掌握相关的政府信息")
        .replace("其他法律行政法规禁止公开", "其他法律、行政法规禁止公开")
        .replace("属于行政执法案卷", "属于行政执法卷宗")
        .replace("危及“三安全一稳定”", '危及"三安全一稳定"')
        .replace("社会公益组织", "公益组织")
    )


@pytest.mark.parametrize(
    "variant",
    [
        _halfwidth_brackets,
        _comma_ordinals,
        _fullwidth_dot_ordinals,
        _no_leaf_ordinals,
        _no_group_ordinals,
        _labels_broken_over_lines,
        _wording,
    ],
)
def test_variant_labels(variant) -> None:
    text = variant(FLAT)
    assert text != FLAT
    report = parse_text(text)
    assert values(report) == XIHU_EDU_2023
    assert report.issues == []
