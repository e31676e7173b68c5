"""Finding an agency's annual-report column from its home page (or any page of its site).

By link text (政府信息公开年报, 政府信息公开工作年度报告, 年度报告, 年报 …) or by the usual paths
(``zfxxgknb``, ``zfxxgkndbg``, ``ndbg``, ``gknb``), within the agency's hosts, two levels deep
(home → 政府信息公开 → 年报). A page is a column when its family says so (``SiteFamily.is_column``).
"""

from __future__ import annotations

import re

from .families import Page
from .families.base import COLUMN_PATHS, Link, anchors, frames
from .http.guard import host_of

# Link texts of a report column, strongest first; then of the disclosure sections that hold one.
COLUMN_WORDS = (
    "政府信息公开年报",
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "信息公开年度报告",
    "年度报告",
    "年报",
)
SECTION_WORDS = ("政府信息公开", "信息公开", "政务公开")


def column_score(link: Link) -> int:
    """How likely a link leads to the report column (0: not at all)."""
    text = re.sub(r"\s+", "", link.text)
    if len(text) > 20:  # a report title or prose, not a menu entry
        return 0
    for n, word in enumerate(COLUMN_WORDS):
        if word in text:
            return 100 - n
    if COLUMN_PATHS.search(link.url):
        return 80
    for n, word in enumerate(SECTION_WORDS):
        if word in text:
            return 20 - n
    return 0


def candidates(page: Page, hosts: frozenset[str], depth: int) -> list[Link]:
    """Links worth trying, best first: frames of the page, then by :func:`column_score`."""
    scored = []
    for url in frames(page):
        if host_of(url) in hosts:
            scored.append((200, Link(url, "")))
    for link in anchors(page):
        if host_of(link.url) not in hosts or link.url == page.url:
            continue
        score = column_score(link)
        if score >= 50 or (score and depth == 0):
            scored.append((score, link))
    scored.sort(key=lambda s: -s[0])
    return [link for _, link in scored]
