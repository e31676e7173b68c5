"""Numbers that 一、总体情况 states in words, compared with the tables (warnings where they differ).

Agencies summarise the applications table in a sentence or two: 共收到政府信息公开申请47件，上年结转
2件，全年答复45件（含上年结转2件，另有4件顺延至2024年办理），其中17件予以公开；发生行政复议2件、行政诉讼1件.
Where such a figure differs from the table, one of the two is wrong: a warning for analysts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Issue, Number
from .text import squash

Values = Mapping[tuple[str, str, str], Number | None]
Cell = tuple[str, str, str]

_N = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"  # 1,362 (full-width commas are half-width after squash)
_CLAUSE = r"[^,.。;；:：!?！？()]"
_COUNT = r"(?:件|个(?!工作日|月|小时|自然日|日|百分点)|条)"  # 2个工作日 is a time limit, not two requests


@dataclass(frozen=True)
class Claim:
    """A pattern in the overview and the table cells (summed) that its number must equal.

    ``exclude``: words that, inside the match, show the number is about something else
    (收到行政复议申请21件 is not 21 disclosure requests).
    """

    name: str
    pattern: re.Pattern[str]
    cells: tuple[Cell, ...]
    exclude: tuple[str, ...] = ()


def _app(row: str) -> Cell:
    return ("applications", row, "total")


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "new_received",
        re.compile(rf"(?:收到|新收|受理|接收){_CLAUSE}{{0,16}}?申请{_CLAUSE}{{0,6}}?(?:共计|共|为)?{_N}{_COUNT}"),
        (_app("new_received"),),
        ("复议", "诉讼", "结转", "答复", "办结"),
    ),
    Claim("carried_over", re.compile(rf"上年(?:度)?结转(?:的)?(?:申请)?{_N}件"), (_app("carried_over"),)),
    Claim(
        "total_processed",
        re.compile(rf"(?:答复|办结|办理完毕|处理完毕|完成答复){_N}件[(]含上年"),
        (_app("total_processed"),),
    ),
    Claim(
        "carried_forward",
        re.compile(
            rf"(?:另有|尚有|还有){_N}件(?:{_CLAUSE}{{0,4}})?(?:顺延|结转|转入下|延期|继续办理)"
            rf"|结转(?:至|到)?下(?:一)?年度?(?:继续)?办理(?:的)?{_N.replace('<n>', '<m>')}件"
        ),
        (_app("carried_forward"),),
    ),
    Claim("granted", re.compile(rf"(?:其中)?{_N}件予以公开|予以公开{_N.replace('<n>', '<m>')}件"), (_app("granted"),)),
    Claim(
        "review",
        re.compile(rf"行政复议(?:申请|案件)?(?:共计|共)?{_N}(?:件|起|宗)"),
        (("review_litigation", "review", "total"),),
    ),
    Claim(
        "litigation",
        # 行政诉讼立案731件 counts the cases; 一审行政诉讼案件687件 only those tried at first instance
        re.compile(rf"(?<![一二]审)行政诉讼(?:案件)?(?:立案)?(?:共计|共)?{_N}(?:件|起|宗)"),
        (
            ("review_litigation", "litigation_direct", "total"),
            ("review_litigation", "litigation_after_review", "total"),
        ),
    ),
)
_BY_NAME = {c.name: c for c in CLAIMS}
# 未发生行政复议、行政诉讼 / 没有产生政府信息公开行政复议、行政诉讼情况: both are zero. Not
# 未发生…被行政复议纠错或行政诉讼败诉: no case lost says nothing of how many cases there were.
_NONE = re.compile(
    r"(?:没有|未|无)(?:产生|发生|收到|出现|被提起|被申请)?[^。;；]{0,12}?(?P<what>行政复议|行政诉讼)"
    r"(?!纠错|纠正|败诉|撤销|被纠)(?P<and>[、,和及与]行政诉讼(?!纠错|纠正|败诉|撤销|被纠))?"
)


def claims(overview: str) -> dict[str, tuple[int, str]]:
    """The figures the overview states: claim name → (number, the words that state it)."""
    text = squash(overview)
    said: dict[str, tuple[int, str]] = {}
    for claim in CLAIMS:
        for m in claim.pattern.finditer(text):
            quote = m.group(0)
            if any(w in quote for w in claim.exclude):
                continue
            number = m.group("n") if m.group("n") is not None else m.groupdict().get("m")
            if number is not None:
                said[claim.name] = (int(number.replace(",", "")), quote)
                break
    for m in _NONE.finditer(text):
        names = ["review" if m.group("what") == "行政复议" else "litigation"]
        if m.group("and"):
            names.append("litigation")
        for name in names:
            said.setdefault(name, (0, m.group(0)))
    return said


def _sum(values: Values, cells: tuple[Cell, ...]) -> Number | None:
    got = [values.get(c) for c in cells]
    if all(v is None for v in got):
        return None
    return sum(v for v in got if v is not None)


def check_prose(overview: str, values: Values) -> list[Issue]:
    """Compare what the overview says with the tables; one warning per disagreement."""
    issues: list[Issue] = []
    for name, (number, quote) in claims(overview).items():
        claim = _BY_NAME[name]
        table = _sum(values, claim.cells)
        if table is None or table == number:
            continue
        issues.append(
            Issue(
                "prose",
                "warning",
                f"overview says {quote!r} but the table has {table}",
                ["/".join(c) for c in claim.cells],
                expected=table,
                actual=number,
            )
        )
    return issues
