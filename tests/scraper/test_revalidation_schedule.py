"""Reports already loaded are revalidated on a schedule: recent years every night, older years once a
week (``CACHE_RECENT_YEARS``, ``CACHE_OLDER_EVERY_DAYS``), instead of every report every night."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest

from govreports.demo.farm import agencies, demo_sites
from govreports.demo.server import Farm
from govreports.scraper import crawl
from govreports.scraper.families.base import Link
from govreports.scraper.state import MemoryState
from tests.support.crawling import settings

TODAY = date(2024, 6, 1)
WEEK = [TODAY + timedelta(days=n) for n in range(1, 15)]


def _due_days(text: str, url: str = "http://a.example/art/1.html", **overrides) -> list[int]:
    link = Link(url, text)
    chosen = settings(**{"CACHE_OLDER_EVERY_DAYS": 7, "CACHE_RECENT_YEARS": 2, **overrides})
    return [n for n, day in enumerate(WEEK) if crawl.revalidation_due(link, chosen, day)]


def test_recent_years_every_night_older_once_a_week() -> None:
    assert _due_days("某市财政局2023年政府信息公开工作年度报告") == list(range(14))  # recent: 2023 > 2024-2
    older = _due_days("某市财政局2019年政府信息公开工作年度报告")
    assert len(older) == 2 and older[1] - older[0] == 7
    assert _due_days("点击查看") == list(range(14))  # no year in the title: every night
    assert _due_days("某市财政局2019年政府信息公开工作年度报告", CACHE_OLDER_EVERY_DAYS=1) == list(range(14))
    assert _due_days("某市财政局2019年政府信息公开工作年度报告", CACHE_RECENT_YEARS=10) == list(range(14))


def test_older_reports_spread_over_the_week() -> None:
    text = "某市财政局2019年政府信息公开工作年度报告"
    first = Counter(_due_days(text, f"http://a.example/art/{n}.html")[0] for n in range(700))
    assert sorted(first) == list(range(7))
    assert all(60 < count < 140 for count in first.values()), first  # about 100 each, not one spike


def _nights(monkeypatch, every: int) -> tuple[Counter, dict[tuple[str, str], str]]:
    """Eight nights over the demo farm (the first loads everything); per URL, the GETs of nights 2–8,
    and the title of every report link the crawler was handed."""
    titles: dict[str, str] = {}
    report = crawl.AgencyCrawl.report

    async def spy(self, link, family, record):
        titles[link.url] = link.text
        return await report(self, link, family, record)

    monkeypatch.setattr(crawl.AgencyCrawl, "report", spy)
    from govreports.pipeline import NightlyJob

    sites = demo_sites()
    job = NightlyJob(settings(CACHE_RECENT_YEARS=1, CACHE_OLDER_EVERY_DAYS=every), MemoryState(), lambda r, d, a: "new")
    day = [TODAY]
    monkeypatch.setattr(crawl, "_today", lambda: day[0])
    with Farm(sites) as farm:
        job.run(agencies(farm, sites))
        for site in sites:
            site.log.clear()
        for n in range(1, 8):
            day[0] = TODAY + timedelta(days=n)
            summary = job.run(agencies(farm, sites))
            assert summary.totals()["new"] == 0 and summary.totals()["changed"] == 0
        gets = Counter((site.name, target) for site in sites for method, target, _ in site.log if method == "GET")
        names = {port: name for name, port in farm.ports.items()}
    # each farm listens on ports of its own: a URL is known by its site and its target
    return gets, {(names[urlsplit(url).port], _target(url)): text for url, text in titles.items()}


def _target(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.slow
def test_a_week_of_nights_asks_older_reports_once(monkeypatch) -> None:
    nightly, titles = _nights(monkeypatch, every=1)
    weekly, _ = _nights(monkeypatch, every=7)
    recent = {u for u, t in titles.items() if "2023年" in t}
    older = {u for u, t in titles.items() if any(f"{y}年" in t for y in range(2019, 2023))}
    asked = {u for u in titles if nightly[u] == 7}  # the report links the walk reaches every night
    assert asked & recent and asked & older, (asked, titles)
    for url in asked & recent:
        assert weekly[url] == 7, url
    for url in asked & older:
        assert weekly[url] == 1, url
    assert sum(weekly.values()) < sum(nightly.values())
