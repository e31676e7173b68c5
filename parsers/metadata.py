"""Title, agency, year and publication date of a report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .text import squash

# {agency}{YYYY}年度?{…}政府信息公开(工作)?年度报告, or the year first: 2022年{agency}政府信息公开…
_TITLE = re.compile(
    r"(?P<pre>.{0,60}?)(?P<year>(?:19|20)\d{2})年度?(?P<mid>.{0,40}?)政府信息公开(?:工作)?(?:年度)?报告"
)
# or the year after, in brackets: 国家税务总局政府信息公开工作年度报告（2022年）
_TITLE_YEAR_AFTER = re.compile(r"(?P<pre>.{1,60}?)政府信息公开(?:工作)?(?:年度)?报告\((?P<year>(?:19|20)\d{2})年?度?\)")
_SUFFIX = re.compile(r"[(（][^()（）]{0,8}版[)）]$|[(（](?:全文|正文|文字版|附件)[)）]$")
_ATTACHMENT = re.compile(r"^附件\d*[:：]?")  # 附件：….pdf names the report file
_FILE_EXT = re.compile(r"\.(?:pdf|docx?|wps|ofd|xlsx?|zip|rar)$", re.I)
_NOT_AGENCY = re.compile(r"^(关于|印发|发布)|[>|｜»]")
# Marks other tools put around a title: Markdown (``## …``, ``**…**``) and a crawler's field label
# (``标题: …``). They are not part of the agency's name.
_MARKS = re.compile(r"^(?:[#*>\s]+|(?:标题|题名|名称|文章标题|title)\s*[:：]\s*)+|[*\s]+$", re.I)
# A saved file's folder path (``本地目录: zwgk/…/80613_…``) or a URL is never an agency name.
_PATH = re.compile(r"[/\\]|[:：]")
# pages about a report are not the report: 一图读懂/图解/解读 links sit beside the report itself
_ABOUT = re.compile(r"解读|图解|一图读懂|读懂|答记者问")
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日)"
)
_DATE_LABEL = re.compile(r"(发布日期|发布时间|发文日期|成文日期|公开日期|日期|时间)\s*[:：]\s*$")
# when a crawler or a browser saved the page, not when the agency published it
_CAPTURE_LABEL = re.compile(
    r"(抓取|采集|爬取|下载|保存|访问|归档|快照)(日期|时间)\s*[:：]\s*$|(captured|crawled|fetched|saved)(_?at)?\s*[:：]\s*$",
    re.I,
)


@dataclass(slots=True)
class Title:
    title: str
    agency: str | None
    year: int


def parse_title(text: str) -> Title | None:
    """Read a report title; None if ``text`` is not one (breadcrumbs, list items, prose)."""
    t = _MARKS.sub("", _FILE_EXT.sub("", _ATTACHMENT.sub("", squash(text))))
    if len(t) > 90 or "政府信息公开" not in t or _NOT_AGENCY.search(t) or _ABOUT.search(t):
        return None
    m = _TITLE.fullmatch(_strip_suffix(t)) or _TITLE.match(t)
    if not m:
        after = _TITLE_YEAR_AFTER.fullmatch(_strip_suffix(t))
        if after is None:
            return None
        return Title(_strip_suffix(t), after["pre"].strip("：:，,、 ") or None, int(after["year"]))
    year = int(m["year"])
    agency = m["pre"] or None
    if agency is None and m["mid"]:
        agency = m["mid"]
    if agency:
        agency = agency.strip("：:，,、 ")
        if _PATH.search(agency):  # a path or a labelled field, not a title line
            return None
    return Title(_strip_suffix(t), agency or None, year)


def _strip_suffix(t: str) -> str:
    while True:
        stripped = _SUFFIX.sub("", t)
        if stripped == t:
            return t
        t = stripped


def find_date(text: str, labelled: bool = False) -> str | None:
    """An ISO date in ``text``; with ``labelled`` only one introduced by 发布日期/发布时间/…, never
    by a capture label (抓取时间, 保存日期, …: when the page was saved, not published).

    An 索引号 such as ``2023-01-00018`` is not a date: the day must be one or two digits.
    """
    for m in _DATE.finditer(text):
        if labelled and (not _DATE_LABEL.search(text[: m.start()]) or _CAPTURE_LABEL.search(text[: m.start()])):
            continue
        y, mo, d = int(m["y"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
        try:
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def find_capture_date(text: str) -> str | None:
    """An ISO date introduced by a capture label (抓取时间: …): what a crawler's dump records."""
    for m in _DATE.finditer(text):
        if _CAPTURE_LABEL.search(text[: m.start()]):
            return find_date(text[m.start() : m.end()])
    return None
