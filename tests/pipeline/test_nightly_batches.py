"""The nightly job's batching: reports go to parse/load workers in batches, crawl state is written behind;
neither may lose a report or a record, and a batch that cannot be loaded is failed and retried next run."""

from __future__ import annotations

import asyncio
import time

import pandas as pd
import pytest
from sqlalchemy import event, select

from govreports.db.crawl_models import CrawlFetch
from govreports.db.engine import connect
from govreports.demo.farm import agencies, demo_sites
from govreports.demo.server import Farm
from govreports.pipeline import DBLoader, NightlyJob, SQLState, db_loader
from govreports.pipeline.batcher import Batcher
from govreports.scraper.registry import Agency
from govreports.scraper.state import FetchRecord
from tests.support import values
from tests.support.crawling import settings, site_reports
from tests.support.db import facts_in
from tests.support.faults import fault


def test_batches_go_by_size_then_by_linger() -> None:
    seen: list[list[int]] = []

    async def run(items: list[int]) -> list[int]:
        seen.append(items)
        return [i * 10 for i in items]

    async def main() -> list[int]:
        batcher = Batcher(run, size=2, linger=0.05)
        return list(await asyncio.gather(*(batcher.submit(i) for i in range(5))))

    assert asyncio.run(main()) == [0, 10, 20, 30, 40]  # each caller gets its own item's result
    assert seen == [[0, 1], [2, 3], [4]]  # the last one went after the linger


def test_a_failed_batch_fails_each_of_its_callers() -> None:
    async def run(items: list[int]) -> list[int]:
        raise ConnectionError("database gone")

    async def main() -> list:
        batcher = Batcher(run, size=3, linger=0.01)
        return list(await asyncio.gather(*(batcher.submit(i) for i in range(4)), return_exceptions=True))

    out = asyncio.run(main())
    assert [type(e) for e in out] == [ConnectionError] * 4 and str(out[0]) == "database gone"


def _record(url: str, **kw) -> FetchRecord:
    return FetchRecord(url, "某局", "report", status=200, content_hash="h-" + url[-1], complete=True, **kw)


def _rows(engine) -> dict[str, tuple]:
    with engine.connect() as conn:
        t = CrawlFetch.__table__
        return {r[0]: tuple(r[1:]) for r in conn.execute(select(t.c.url, t.c.content_hash, t.c.complete, t.c.children))}


def test_state_is_written_behind_in_batches(tmp_path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 's.db'}")
    state = SQLState(engine, flush_every=3, flush_after=3600)
    first = _record("http://a/1", children=["http://a/1.pdf"])
    state.put(first)
    state.put(_record("http://a/2"))
    assert state.get("http://a/1") is first  # seen at once, from memory
    assert _rows(engine) == {}  # not written yet
    first.children.append("http://a/other.pdf")  # changed after put: the values put are what is written
    state.put(_record("http://a/3"))  # the third: the writer thread writes all three in one go
    deadline = time.monotonic() + 5
    while len(_rows(engine)) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _rows(engine) == {
        "http://a/1": ("h-1", True, ["http://a/1.pdf"]),
        "http://a/2": ("h-2", True, []),
        "http://a/3": ("h-3", True, []),
    }
    state.put(_record("http://a/4"))
    state.flush()
    assert set(_rows(engine)) == {"http://a/1", "http://a/2", "http://a/3", "http://a/4"}
    fresh = SQLState(engine).get("http://a/4")  # another process's view: from the database
    assert (fresh.content_hash, fresh.complete, fresh.children) == ("h-4", True, [])
    state.close()


def test_state_that_cannot_be_written_is_kept_and_reported(tmp_path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 's.db'}")
    state = SQLState(engine, flush_every=100, flush_after=3600)
    CrawlFetch.__table__.drop(engine)  # the database refuses the write
    state.put(_record("http://a/1"))
    with pytest.raises(Exception, match="crawl_fetches"):
        state.flush()
    assert state.get("http://a/1").content_hash == "h-1"  # kept, not dropped
    CrawlFetch.__table__.create(engine)
    state.flush()
    assert _rows(engine) == {"http://a/1": ("h-1", True, [])}


def test_state_looks_up_many_urls_at_once(tmp_path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 's.db'}")
    state = SQLState(engine, flush_every=100, flush_after=3600)
    state.put(_record("http://a/1"))
    state.flush()
    state.put(_record("http://a/2", children=["http://a/2.pdf"]))  # kept, not yet written
    urls = [f"http://a/{i}" for i in range(1, 1200)]  # more than one query's worth
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    found = state.get_many(urls)
    assert {u: (r.content_hash, r.children) for u, r in found.items()} == {
        "http://a/1": ("h-1", []),
        "http://a/2": ("h-2", ["http://a/2.pdf"]),
    }
    assert found["http://a/2"] is state.get("http://a/2")  # the kept record itself
    assert len([s for s in statements if s.startswith("SELECT")]) == 3  # 1,198 URLs from the database, 500 a query
    assert all(found[u].url == u for u in found)
    state.close()


def test_a_list_page_looks_up_its_reports_in_one_query(tmp_path) -> None:
    sites = demo_sites()[:1]
    engine = connect(f"sqlite:///{tmp_path / 'c.db'}")
    state = SQLState(engine)
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), state, db_loader(engine), parse_workers=0)
    single: list[str] = []
    many: list[list[str]] = []

    def seen(conn, cursor, statement, params, context, executemany) -> None:
        if statement.startswith("SELECT") and "FROM crawl_fetches" in statement:
            (many if " IN (" in statement else single).append(list(params))

    event.listen(engine, "before_cursor_execute", seen)
    with Farm(sites) as farm:
        job.run(agencies(farm, sites))
    report_urls = {r.url for r in state.get_many([u for batch in many for u in batch]).values() if r.kind == "report"}
    assert len(report_urls) == len(site_reports(sites[0])) == 5  # each found by a list page's one lookup
    assert not report_urls & {u for params in single for u in params}  # and never looked up alone


def _expected(sites) -> dict:
    return {(r.agency, r.year): values(r.report) for s in sites for r in site_reports(s)}


def test_job_without_workers_loads_in_its_writer_thread(tmp_path) -> None:
    """One core: parse and load run in the job's own writer thread, with the same result."""
    sites = demo_sites()[:3]
    engine = connect(f"sqlite:///{tmp_path / 'c.db'}")
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine), parse_workers=0)
    with Farm(sites) as farm:
        summary = job.run(agencies(farm, sites))
    got = facts_in(engine)
    assert summary.totals()["new"] == len(got) and summary.totals()["failed"] == 0
    expected = _expected(sites)
    assert {k: got[k] for k in expected} == expected


def test_a_batch_the_database_refuses_is_failed_then_retried(tmp_path) -> None:
    """The loader's database is down: every report fails (none is marked handled), the next run loads them all."""
    sites = demo_sites()[:3]
    engine = connect(f"sqlite:///{tmp_path / 'c.db'}")
    down = DBLoader("postgresql://nobody@127.0.0.1:1/none")  # nothing listens on port 1
    with Farm(sites) as farm:
        first = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), down, parse_workers=1).run(
            agencies(farm, sites)
        )
        second = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine)).run(
            agencies(farm, sites)
        )
    loaded = facts_in(engine)
    assert first.totals()["new"] == 0 and first.totals()["failed"] == second.totals()["new"] == len(loaded) > 0
    assert all("not loaded" in e for a in first.agencies for e in a.errors if "robots" not in e), first.errors()
    assert [p for p in first.problems if "not registered" in p]  # the registry's agencies could not be written
    expected = _expected(sites)
    assert {k: loaded[k] for k in expected} == expected


def test_reports_that_cannot_be_fetched_are_listed_with_load_failures(tmp_path) -> None:
    """A report page that answers 503 past the retries and one that redirects to itself: both are open
    fetch failures after the run, with an attempt more each run, and the one that comes back closes."""
    from govreports.db.failures import failures
    from govreports.demo import trs
    from govreports.demo.content import make_agency
    from govreports.demo.site import Response

    data = make_agency("江南市统计局", [2022, 2023], seed=8)
    site = trs.build(data, perpage=2, attachments=False)
    reports = sorted(data.reports, key=lambda r: -r.year)
    broken = "/xxgk/zfxxgknb/" + trs.article_rel(reports[1], 1)
    fault(site, broken, *["503"] * 4)  # the fetcher tries 4 times in a run
    loop = "/xxgk/zfxxgknb/202401/t20240101_1.html"
    site.pages["/xxgk/zfxxgknb/index.html"] = Response(
        200,
        site.pages["/xxgk/zfxxgknb/index.html"].body.replace(
            b"</ul>", f'<li><a href="{loop}">江南市统计局2019年政府信息公开工作年度报告</a></li></ul>'.encode("gb18030")
        ),
        "text/html",
    )
    site.pages[loop] = Response(302, b"", None, {"Location": loop})
    engine = connect(f"sqlite:///{tmp_path / 'c.db'}")
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine), parse_workers=0)
    with Farm([site]) as farm:
        first = job.run([Agency(name=site.name, start_url=farm.url(site, "/xxgk/zfxxgknb/index.html"))])
        after_first = failures(engine)
        second = job.run([Agency(name=site.name, start_url=farm.url(site, "/xxgk/zfxxgknb/index.html"))])
        after_second = failures(engine, include_resolved=True)
    assert (first.totals()["new"], first.totals()["failed"]) == (1, 2)
    rows = {
        s.rsplit("/", 1)[-1]: (stage, attempts, "HTTP 503" in e or "redirect loop" in e)
        for s, stage, e, attempts in after_first[["source", "stage", "error", "attempts"]].itertuples(index=False)
    }
    assert rows == {broken.rsplit("/", 1)[-1]: ("fetch", 1, True), "t20240101_1.html": ("fetch", 1, True)}
    assert (second.totals()["new"], second.totals()["failed"]) == (1, 1)
    final = {
        s.rsplit("/", 1)[-1]: (attempts, resolved is not pd.NaT and resolved is not None)
        for s, attempts, resolved in after_second[["source", "attempts", "resolved_at"]].itertuples(index=False)
    }
    assert final == {broken.rsplit("/", 1)[-1]: (1, True), "t20240101_1.html": (2, False)}


def test_fetch_failures_that_cannot_be_recorded_are_said(tmp_path, monkeypatch) -> None:
    """The database refuses the run's record of fetch failures: the run still ends, and says so."""
    import govreports.db.failures
    import govreports.db.load  # before the patch: the loader keeps its own record_failures
    from govreports.demo import trs
    from govreports.demo.content import make_agency

    def refuse(conn, failures) -> None:
        raise RuntimeError("database is locked")

    data = make_agency("江南市统计局", [2022, 2023], seed=8)
    site = trs.build(data, perpage=2, attachments=False)
    fault(site, "/xxgk/zfxxgknb/" + trs.article_rel(sorted(data.reports, key=lambda r: -r.year)[1], 1), *["503"] * 4)
    engine = connect(f"sqlite:///{tmp_path / 'c.db'}")
    monkeypatch.setattr(govreports.db.failures, "record_failures", refuse)
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine), parse_workers=0)
    with Farm([site]) as farm:
        summary = job.run([Agency(name=site.name, start_url=farm.url(site, "/xxgk/zfxxgknb/index.html"))])
    assert (summary.totals()["new"], summary.totals()["failed"]) == (1, 1)
    assert summary.problems == ["fetch failures not recorded in load_failures: database is locked"]
    assert summary.errors()[-1] == summary.problems[0]
    assert SQLState(engine).runs()[-1].errors[-1] == summary.problems[0]  # and the run's record keeps it
