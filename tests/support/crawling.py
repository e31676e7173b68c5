"""Helpers for crawler tests: fast polite settings, a recording sink, one call to crawl served sites."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from govreports.demo.content import YearReport
from govreports.demo.server import Farm
from govreports.demo.site import Site
from govreports.scraper.crawl import AgencyResult, Crawler, FoundReport
from govreports.scraper.registry import Agency
from govreports.scraper.state import MemoryState
from govreports.scraper.store import RawStore
from govreports.settings import Settings
from govreports.testing import with_values

REPORT_PATHS = ("/art/", "/xxgk/zfxxgknb/20", "/gkmlpt/content/", "/zwgk/ndbg/20", "/module/download/")
"""Path prefixes of the report pages and attachments the demo sites serve."""

FAST = {
    "HTTP_ALLOW_PRIVATE": True,
    # every loaded report revalidated every night, as the incremental tests expect of the demo's
    # 2019–2023 reports (the weekly schedule has its own test: test_revalidation_schedule.py)
    "CACHE_OLDER_EVERY_DAYS": 1,
    "THROTTLE_DELAY": 0.005,
    "RETRY_BACKOFF_BASE": 0.01,
    "RETRY_BACKOFF_MAX": 0.05,
    "HTTP_TIMEOUT": 2.0,
}


def settings(**overrides: object) -> Settings:
    return Settings(FAST, overrides)


@dataclass
class Recorder:
    """A sink that keeps what it was handed."""

    found: list[FoundReport] = field(default_factory=list)

    async def __call__(self, report: FoundReport) -> str:
        self.found.append(report)
        return "new"

    def urls(self, role: str = "page") -> list[str]:
        return sorted(d.url.split("/", 3)[-1] for f in self.found for d in f.documents if d.role == role)


def crawl(
    farm: Farm,
    sites: list[Site],
    store: Path,
    state: MemoryState | None = None,
    sink: Recorder | None = None,
    agencies: list[Agency] | None = None,
    **overrides: object,
) -> tuple[list[AgencyResult], Recorder, MemoryState]:
    state = state if state is not None else MemoryState()
    sink = sink or Recorder()
    if agencies is None:
        agencies = [Agency(name=s.name, start_url=farm.url(s, "/")) for s in sites]
    crawler = Crawler(settings(**overrides), state, RawStore(root=store), sink)
    return asyncio.run(crawler.crawl(agencies)), sink, state


def site_reports(site: Site) -> list[YearReport]:
    """The reports behind a demo site (its refresh closure holds the AgencyData it serves)."""
    if site.refresh is None:
        return []
    closure = site.refresh.__closure__ or ()
    return next(c.cell_contents for c in closure if hasattr(c.cell_contents, "reports")).reports


CORRECTION = ("active", "licensing", "decisions")


def correct_report(site: Site, year: int) -> YearReport:
    """The agency corrects its ``year`` report — one more licensing decision than it first printed —
    and the site serves the corrected page from now on. Returns the corrected report."""
    published = next(r for r in site_reports(site) if r.year == year)
    published.report = with_values(published.report, {CORRECTION: (published.report.value(*CORRECTION) or 0) + 1})
    assert site.refresh is not None
    site.refresh()
    return published
