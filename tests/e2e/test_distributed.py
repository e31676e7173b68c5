"""A distributed run on one machine: the imitation farm, PostgreSQL, three workers and one killed.

Eight agencies publish on four hosts (each second agency's registry entry names the host of the
one before it, as a county department on its county's portal would), so the run has four sites.
One worker takes a site job and is killed with SIGKILL while it holds it; three more workers and
the coordinator's stalled-job retry finish the run. Then: every report loaded exactly once, the
database equal to the one a single-process run builds over the same farm, no two request starts
to one host closer than the delay across all workers, and a second night downloads nothing.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from govreports.db.engine import connect
from govreports.demo import hanweb, trs
from govreports.demo.content import make_agency
from govreports.demo.server import Farm
from govreports.demo.site import Site
from govreports.pipeline import NightlyJob, SQLState, db_loader
from govreports.pipeline.distributed import _enqueue, finalise_run, run_progress, start_run, wait_for_run
from govreports.pipeline.sites import group_sites
from govreports.scraper.registry import Agency
from tests.support import values
from tests.support.crawling import REPORT_PATHS, settings, site_reports
from tests.support.db import facts_in, pg_schema

DELAY = 0.3  # seconds between two request starts to one host
QUEUE_ENV = {"GOVREPORTS_QUEUE_HEARTBEAT": "0.5", "GOVREPORTS_QUEUE_STALLED_AFTER": "3", "GOVREPORTS_QUEUE_POLL": "0.3"}
GOVREPORTS = str(Path(sys.executable).parent / "govreports")


def farm_sites() -> list[Site]:
    sites = []
    for n in range(8):
        data = make_agency(f"江南市第{n + 1}局", [2021, 2022, 2023], seed=300 + n)
        sites.append((trs if n % 2 else hanweb).build(data))
    return sites


def registry(farm: Farm, sites: list[Site]) -> list[Agency]:
    """Each odd agency shares the host of the agency before it: four sites of two agencies."""
    out = []
    for n, s in enumerate(sites):
        shared = (farm.url(sites[n - 1], "/").split("/")[2],) if n % 2 else ()
        out.append(Agency(name=s.name, start_url=farm.url(s, "/"), hosts=shared, region_code="990000"))
    return out


@pytest.fixture
def starts(monkeypatch) -> dict[str, list[float]]:
    """Each request's start time, per site (a port on 127.0.0.1 is a host), whoever sent it."""
    seen: dict[str, list[float]] = {}
    original = Site.respond

    def respond(self, req):
        seen.setdefault(self.name, []).append(time.monotonic())
        return original(self, req)

    monkeypatch.setattr(Site, "respond", respond)
    return seen


def _worker(url: str) -> subprocess.Popen:
    env = {**os.environ, **QUEUE_ENV}
    return subprocess.Popen([GOVREPORTS, "worker", "--db", url], env=env, stderr=subprocess.PIPE, text=True)


def _wait_for_doing(url: str, run_id: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while run_progress(url, run_id).sites.get("doing", 0) == 0:
        assert time.monotonic() < deadline, "no worker took a job"
        time.sleep(0.1)


@pytest.mark.postgres
@pytest.mark.slow
def test_killed_worker_loses_nothing_and_hosts_stay_polite(tmp_path, monkeypatch, starts) -> None:
    for k, v in QUEUE_ENV.items():
        monkeypatch.setenv(k, v)
    sites = farm_sites()
    overrides = {"HTTP_ALLOW_PRIVATE": True, "THROTTLE_DELAY": DELAY, "STORE_DIR": str(tmp_path / "raw")}
    with pg_schema() as url, pg_schema() as single_url, Farm(sites) as farm:
        agencies = registry(farm, sites)
        assert [len(s.agencies) for s in group_sites(agencies)] == [2, 2, 2, 2]
        run_id, enqueued = start_run(url, agencies, overrides)
        assert enqueued == 4
        assert asyncio.run(_enqueue(url, run_id, group_sites(agencies), overrides)) == 0  # again: a no-op
        first = _worker(url)
        workers = []
        try:
            _wait_for_doing(url, run_id)
            first.send_signal(signal.SIGKILL)  # as the OOM killer would, while it holds a job
            first.wait(10)
            workers = [_worker(url) for _ in range(3)]
            wait_for_run(url, run_id)
            summary = finalise_run(url, run_id)
            night_one = {s.name: list(t) for s, t in ((s, starts.get(s.name, [])) for s in sites)}
            for s in sites:
                s.log.clear()
            second_id, _ = start_run(url, agencies, overrides)
            wait_for_run(url, second_id)
            second = finalise_run(url, second_id)
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)  # a graceful stop: the current job finishes first
            codes = [w.wait(60) for w in workers]
        assert codes == [0, 0, 0]
        refetched = [t for s in sites for p in REPORT_PATHS for t in s.served(p, 200)]

        engine = connect(url)
        expected = {(r.agency, r.year): values(r.report) for s in sites for r in site_reports(s)}
        assert len(expected) == 24
        assert facts_in(engine) == expected
        with engine.connect() as conn:
            reports = conn.execute(text("SELECT count(*), count(DISTINCT content_hash) FROM documents")).one()
            open_failures = conn.execute(text("SELECT count(*) FROM load_failures WHERE resolved_at IS NULL")).one()
            status = conn.execute(text("SELECT status FROM crawl_runs ORDER BY id")).scalars().all()
        assert tuple(reports) == (24, 24)  # every report loaded exactly once
        assert open_failures == (0,)
        assert status == ["finished", "finished"]
        totals = summary.totals()
        assert totals["new"] + totals["unchanged"] == 24 and totals["failed"] == 0 and totals["agencies"] == 8
        assert (second.totals()["new"], second.totals()["changed"], refetched) == (0, 0, [])

        gaps = sorted(b - a for times in night_one.values() for a, b in itertools.pairwise(times))
        # Across every worker, one host at a time. Gaps are measured where the farm sees requests
        # arrive, so a fresh worker's first request (connection setup on a loaded machine) can land
        # late; two workers on one host would instead give gaps spread evenly below the delay.
        assert len(gaps) > 50
        assert statistics.median(gaps) >= 0.9 * DELAY and gaps[len(gaps) // 10] >= 0.7 * DELAY, gaps[:10]

        single = connect(single_url)
        job = NightlyJob(
            settings(STORE_DIR=str(tmp_path / "raw1"), THROTTLE_DELAY=0.01), SQLState(single), db_loader(single)
        )
        job.run(agencies)
        assert facts_in(single) == facts_in(engine)
