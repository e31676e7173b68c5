"""Text normalisation and cell classification shared by every reader."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .template import PLACEHOLDERS

_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# Ordinals that number headings and rows: （一） (1) 一、 1. 1、 1． ① … become "#".
_ORDINAL = re.compile(
    r"\(\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*\)|[一二三四五六七八九十]+、|(?<![\d.])\d{1,2}[、.](?!\d)|[①-⑳]"
)
_QUOTES = re.compile("[\"'“”‘’「」『』]")
# Traditional characters common in report labels; their presence switches on full conversion.
_TRADITIONAL = re.compile("[開報資請處關計劃數機維審結務規範許當]")


# Full-width ASCII (，（）：１２…) and the ideographic space, each mapped to its NFKC form (one ASCII
# character). Chinese text is full of them, and one such character sends unicodedata.normalize from its
# quick check to full decomposition and recomposition of the whole string, three times slower than
# replacing them first. The result is the same: a character replaced by its own compatibility
# decomposition leaves the string's NFKD, hence its NFKC, unchanged.
_WIDE = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in (*range(0xFF01, 0xFF5F), 0x3000)}
_WIDE_CHAR = re.compile("[\uff01-\uff5e\u3000]")


def _half(m: re.Match[str]) -> str:
    return _WIDE[m.group()]


MAX_CACHED_CHARS = 120  # cells, headings and titles recur in every report; paragraphs do not


def squash(text: str) -> str:
    """NFKC (full-width → half-width) and all white space removed: the form labels are compared in."""
    if len(text) <= MAX_CACHED_CHARS:
        return _squash_short(text)
    return _squash(text)


def _squash(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII as it is
        return _SPACE.sub("", text)
    return _SPACE.sub("", unicodedata.normalize("NFKC", _WIDE_CHAR.sub(_half, text)))


_squash_short = lru_cache(maxsize=8192)(_squash)


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """A label reduced to what identifies it: squashed, quotes dropped, ordinals replaced by ``#``."""
    return _ORDINAL.sub("#", _QUOTES.sub("", squash(text)))


def looks_traditional(text: str) -> bool:
    return _TRADITIONAL.search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (zhconv), for reports typed in traditional characters."""
    import zhconv

    return zhconv.convert(text, "zh-cn")


# --- values -------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"^(?P<sign>[+\-]?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<unit>万元|亿元|元|件|条|个|项|次|家|人|份|宗|起)?$"
)
_MONEY_FACTOR = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}


@dataclass(slots=True, frozen=True)
class Value:
    """A cell that holds a value position: a number, a placeholder, or nothing (grid forms only)."""

    number: Decimal | None
    unit: str | None
    raw: str
    count: int | float | None = None  # ``number`` as a plain int/float, computed once per distinct cell


@lru_cache(maxsize=8192)  # cells repeat within and across reports ("0", "1", the template's labels)
def parse_value(cell: str) -> Value | None:
    """Classify one cell: a :class:`Value` if it sits in a value position, None if it is a label.

    ``1,362``, ``１３６２``, ``12件``, ``251000元``, ``+2`` are numbers; ``—``, ``/``, ``无`` and an
    empty cell are placeholders (number None, raw kept).
    """
    raw = cell.strip()
    text = squash(raw)
    if not text or text in PLACEHOLDERS or all(ch in "—–-_/\\－" for ch in text):
        return Value(None, None, raw)
    first = text[0]
    if not (first.isdigit() or first in "+-."):
        return None
    m = _NUMBER.match(text.replace("，", ","))
    if not m:
        return None
    try:
        number = Decimal(m["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        return None
    if m["sign"] == "-":
        number = -number
    return Value(number, m["unit"], raw, _plain(number))


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def to_number(value: Value, money: bool) -> int | float | None:
    """The fact's value: an int for counts, 万元 (float unless whole) for money columns."""
    if value.number is None:
        return None
    if not money or value.unit in (None, "万元"):
        return value.count if value.count is not None else _plain(value.number)
    number = value.number
    if money:
        number = number * _MONEY_FACTOR.get(value.unit or "万元", Decimal(1))
    if number == number.to_integral_value():
        return int(number)
    return float(number)
