"""A parse worker killed mid-batch (SIGKILL, as the out-of-memory killer does) costs at most the one
report that kills it: the pool is replaced, the batch is run again report by report, what still
fails is recorded, and the run says so."""

from __future__ import annotations

from govreports.db.engine import connect
from govreports.db.failures import failures
from govreports.demo.farm import agencies, demo_sites
from govreports.demo.server import Farm
from govreports.pipeline import NightlyJob, SQLState
from govreports.pipeline.pool import WORKER_DIED
from tests.support import values
from tests.support.crawling import settings, site_reports
from tests.support.db import facts_in
from tests.support.killing import KillingLoader


def _run(tmp_path, **killer):
    sites = demo_sites()[:2]
    engine = connect(f"sqlite:///{tmp_path / 'c.db'}")
    loader = KillingLoader(engine.url.render_as_string(hide_password=False), **killer)
    job = NightlyJob(
        settings(STORE_DIR=str(tmp_path / "raw"), LOAD_BATCH_LINGER=1.0), SQLState(engine), loader, parse_workers=1
    )
    with Farm(sites) as farm:
        summary = job.run(agencies(farm, sites))
    expected = {(r.agency, r.year): values(r.report) for s in sites for r in site_reports(s)}
    return summary, engine, expected


def test_a_worker_killed_once_costs_no_report(tmp_path) -> None:
    summary, engine, expected = _run(tmp_path, once=str(tmp_path / "killed"))
    assert (tmp_path / "killed").exists()  # a worker was killed
    got = facts_in(engine)
    assert {k: got.get(k) for k in expected} == expected  # every report loaded, the killed batch's too
    assert summary.totals()["failed"] == 0, summary.errors()
    assert summary.problems == ["parse workers died: the pool was replaced 1 time(s)"]


def test_a_report_that_kills_its_worker_every_time_fails_alone_and_is_recorded(tmp_path) -> None:
    sites = demo_sites()[:2]
    poison = site_reports(sites[0])[0]
    summary, engine, expected = _run(tmp_path, poison=(poison.agency, poison.year))
    got = facts_in(engine)
    healthy = {k: v for k, v in expected.items() if k != (poison.agency, poison.year)}
    assert len(healthy) == len(expected) - 1 >= 5
    assert {k: got.get(k) for k in healthy} == healthy and (poison.agency, poison.year) not in got
    assert summary.totals()["failed"] == 1 and summary.totals()["new"] == len(healthy)
    open_failures = failures(engine)
    assert len(open_failures) == 1
    row = open_failures.iloc[0]
    assert row["stage"] == "parse" and row["error"] == WORKER_DIED
    assert any(WORKER_DIED in e for e in summary.errors())
