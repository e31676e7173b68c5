"""A real HTML report as a PDF→Markdown tool writes it: paragraphs as lines, table rows as pipe rows.

Used to test what such tools add around a real document's text (heading marks, renumbered
sections) without inventing the document: every line and cell is the real report's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import lxml.html

_HEADING = re.compile(
    r"^([一二三四五六])、(总体情况|主动公开|收到和处理|政府信息公开行政复议|政府信息公开工作存在|其他需要)"
)
_ORDINALS = "一二三四五六"


def markdown_of_html(path: Path, heading: Callable[[str], str] = lambda h: h) -> str:
    """The fragment's paragraphs and table rows as Markdown lines; ``heading`` rewrites each
    section heading (一、总体情况 … 六、其他需要报告的事项)."""
    root = lxml.html.fragment_fromstring(path.read_text("utf-8"), create_parent="div")
    lines: list[str] = []
    for el in root:
        if el.tag == "p":
            text = el.text_content().strip()
            lines.append(heading(text) if _HEADING.match(text) else text)
        elif el.tag == "table":
            for tr in el.iter("tr"):
                cells = [td.text_content().replace("\xa0", "").strip() for td in tr.iter("td")]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def numbered_from_one(heading: str) -> str:
    """二、主动公开… → 一、主动公开…: the numbering of a report whose 总体情况 has no number."""
    n = _ORDINALS.index(heading[0])
    return heading[2:] if n == 0 else _ORDINALS[n - 1] + heading[1:]
