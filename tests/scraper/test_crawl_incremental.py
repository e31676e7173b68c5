"""Second runs: nothing downloaded again on unchanged sites, changes found, interrupted runs resumed."""

from __future__ import annotations

import asyncio
import contextlib

from govreports.demo.farm import demo_sites
from govreports.demo.server import Farm
from govreports.scraper.crawl import Crawler, FoundReport
from govreports.scraper.registry import Agency
from govreports.scraper.state import MemoryState
from govreports.scraper.store import RawStore
from tests.support.crawling import REPORT_PATHS, Recorder, correct_report, crawl, settings, site_reports


def report_hits(sites, status=200) -> int:
    return sum(
        len(s.served(p, status))
        for s in sites
        for p in REPORT_PATHS
        if not p.startswith("/zwgk/ndbg/20") or s.validators != "none"
    )


def test_second_run_downloads_no_report_and_finds_a_change(tmp_path) -> None:
    sites = demo_sites()
    with Farm(sites) as farm:
        first, _sink1, state = crawl(farm, sites, tmp_path)
        assert [(r.new, r.failed, bool(r.blocked)) for r in first] == [
            (5, 0, False),
            (4, 0, False),
            (3, 0, False),
            (3, 0, False),
            (0, 0, True),
        ]
        assert report_hits(sites) > 0
        for s in sites:
            s.log.clear()
        second, sink2, _ = crawl(farm, sites, tmp_path, state=state)
        assert sink2.found == []
        assert report_hits(sites) == 0  # 304s only
        assert sum(len(s.served(p, 304)) for s in sites for p in REPORT_PATHS) > 0
        assert [r.new + r.changed + r.failed for r in second] == [0, 0, 0, 0, 0]
        assert second[4].blocked and "$_ts" in second[4].blocked
        # a published report is corrected: one number changes, the page changes
        corrected = correct_report(sites[0], 2023)
        third, sink3, _ = crawl(farm, sites, tmp_path, state=state)
    assert (third[0].changed, third[0].new) == (1, 0)
    assert corrected.title.startswith("江南市财政局2023年")
    assert [f.title for f in sink3.found] == [corrected.title]
    assert sink3.found[0].revised is True


class Interrupting(Recorder):
    """A sink that lets ``n`` reports through, then the run dies (as under kill)."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    async def __call__(self, report: FoundReport) -> str:
        if len(self.found) >= self.n:
            raise asyncio.CancelledError
        return await super().__call__(report)


def test_interrupted_run_resumes_without_loss_or_duplicates(tmp_path) -> None:
    sites = demo_sites()[:4]
    with Farm(sites) as farm:
        agencies = [Agency(name=s.name, start_url=farm.url(s, "/")) for s in sites]
        state = MemoryState()
        sink = Interrupting(4)
        crawler = Crawler(settings(CONCURRENCY_AGENCIES=1), state, RawStore(root=tmp_path / "a"), sink)
        with contextlib.suppress(asyncio.CancelledError):
            asyncio.run(crawler.crawl(agencies))
        assert len(sink.found) == 4
        _, rest, _ = crawl(farm, sites, tmp_path / "a", state=state, agencies=agencies)
        _, whole, _ = crawl(farm, sites, tmp_path / "b", agencies=agencies)
    before = {f.url for f in sink.found}
    after = [f.url for f in rest.found]
    assert len(after) == len(set(after)) and not before & set(after)  # nothing handled twice…
    assert before | set(after) == {f.url for f in whole.found}  # …and nothing lost
    assert len(whole.found) == 15


def test_pruned_raw_store_and_failing_loader(tmp_path) -> None:
    import shutil

    sites = demo_sites()[1:2]  # TRS: Last-Modified validators

    class Failing(Recorder):
        async def __call__(self, report: FoundReport) -> str:
            if "2021" in report.title:
                raise RuntimeError("disk full")
            return await super().__call__(report)

    with Farm(sites) as farm:
        (first,), _, state = crawl(farm, sites, tmp_path / "raw", sink=Failing())
        shutil.rmtree(tmp_path / "raw")
        (second,), sink, _ = crawl(farm, sites, tmp_path / "raw", state=state)
    assert (first.new, first.failed) == (3, 1)
    assert first.errors == [e for e in first.errors if "not loaded: RuntimeError: disk full" in e] and first.errors
    assert (second.new, second.failed) == (1, 0)  # the failed one again; the rest revalidated from scratch bytes
    assert [f.title for f in sink.found] == [r.title for r in site_reports(sites[0]) if r.year == 2021]
    assert sink.found[0].title.startswith("江南市生态环境局2021年")
