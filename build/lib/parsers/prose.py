"""Numbers that 一、总体情况 states in words, compared with the tables (warnings where they differ)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .model import Issue, Number
from .text import squash

Values = Mapping[tuple[str, str, str], Number | None]


@dataclass(frozen=True)
class Claim:
    """A pattern in the overview and the table cells (summed) that its number must equal."""

    name: str
    pattern: re.Pattern[str]
    group: str
    cells: tuple[tuple[str, str, str], ...]


def _app(row: str) -> tuple[str, str, str]:
    return ("applications", row, "total")


_CLAUSE = r"[^，。；,;：:]"
CLAIMS: tuple[Claim, ...] = (
    Claim("new_received", re.compile(rf"(?:收到|新收|受理){_CLAUSE}{{0,20}}?(?P<n>\d+)件(?![^，。；]{{0,3}}结转)"), "n",
          (_app("new_received"),)),
    Claim("total_processed", re.compile(r"(?:答复|办结|办理完毕)(?P<n>\d+)件[(（]含上年结转"), "n", (_app("total_processed"),)),
    Claim("carried_over", re.compile(r"含上年结转(?P<n>\d+)件"), "n", (_app("carried_over"),)),
    Claim("carried_forward", re.compile(r"另有(?P<n>\d+)件(?:顺延|结转|转入下年)"), "n", (_app("carried_forward"),)),
    Claim("granted", re.compile(r"(?:其中|予以公开)(?P<n>\d+)件予以公开|予以公开(?P<m>\d+)件"), "n",
          (_app("granted"),)),
    Claim("review", re.compile(r"(?:政府信息公开)?行政复议(?:案件)?(?:共)?(?P<n>\d+)(?:件|起)"), "n",
          (("review_litigation", "review", "total"),)),
    Claim("litigation", re.compile(r"(?:政府信息公开)?行政诉讼(?:案件)?(?:共)?(?P<n>\d+)(?:件|起)"), "n",
          (("review_litigation", "litigation_direct", "total"),
           ("review_litigation", "litigation_after_review", "total"))),
)
_NONE = re.compile(r"(?:没有|未|无)(?:产生|发生|收到|出现)?[^。；]{0,12}?(?P<what>行政复议|行政诉讼)")


def _sum(values: Values, cells: tuple[tuple[str, str, str], ...]) -> Number | None:
    got = [values.get(c) for c in cells]
    if all(v is None for v in got):
        return None
    return sum(v for v in got if v is not None)


def check_prose(overview: str, values: Values) -> list[Issue]:
    """Compare what the overview says with the tables; one warning per disagreement."""
    text = squash(overview)
    issues: list[Issue] = []
    said: dict[str, tuple[int, str]] = {}
    for claim in CLAIMS:
        m = claim.pattern.search(text)
        if not m:
            continue
        number = m.group(claim.group) or (m.groupdict().get("m"))
        if number is not None:
            said[claim.name] = (int(number), m.group(0))
    none = _NONE.search(text)
    if none:
        whole = none.group(0)
        for what, name in (("行政复议", "review"), ("行政诉讼", "litigation")):
            if what in whole or (what == "行政诉讼" and "行政诉讼" in text[none.end(): none.end() + 8]):
                said.setdefault(name, (0, whole))
    by_name: dict[str, Claim] = {c.name: c for c in CLAIMS}
    for name, (number, quote) in said.items():
        claim = by_name[name]
        table = _sum(values, claim.cells)
        if table is None or table == number:
            continue
        issues.append(Issue("prose", "warning", f"overview says {quote!r} but the table has {table}",
                            ["/".join(c) for c in claim.cells], expected=table, actual=number))
    return issues

