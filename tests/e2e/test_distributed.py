"""A distributed run on one machine, through the commands: the farm in its own process, PostgreSQL,
three workers and one killed.

Forty agencies publish on twelve portals (a county portal and the departments on it share a host:
2 to 6 agencies a host), so the run has twelve sites. ``govreports run --distributed --no-wait``
enqueues them; a first ``govreports worker`` takes a site job and is killed with SIGKILL while it
holds it; three more workers and the stalled-job retry finish the run; ``govreports runs --wait``
finalises it. The farm records every request it answers: when it came, when it left, and how many
requests to its host were in flight. Then: every report loaded exactly once, no open failures, the
database equal to the one a single-process run builds over the same farm, never more than one
request in flight to a host (``--per-host 1``) and request starts spaced by the delay, whichever
worker sent them, and a second night downloads no report again. SIGTERM stops the workers
gracefully (exit status 0).
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from govreports.db.engine import connect
from govreports.pipeline import NightlyJob, SQLState, db_loader
from govreports.pipeline.distributed import run_progress
from govreports.pipeline.sites import group_sites
from govreports.scraper.registry import load_registry
from tests.support import values
from tests.support.crawling import settings
from tests.support.db import facts_in, pg_schema
from tests.support.portals import portal_agencies, portal_farm

SIZES = (6, 5, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2)  # agencies on each portal: 40 on 12 hosts
DELAY = 0.3  # seconds between two request starts to one host
LATENCY = 0.05  # each answer takes this long: two senders on one host would overlap
QUEUE_ENV = {"GOVREPORTS_QUEUE_HEARTBEAT": "0.5", "GOVREPORTS_QUEUE_STALLED_AFTER": "3", "GOVREPORTS_QUEUE_POLL": "0.3"}
GOVREPORTS = str(Path(sys.executable).parent / "govreports")
REPORT_PAGE = "/xxgk/zfxxgknb/20"  # a TRS report page's path, under the agency's /a<n>


def _registry(path: Path, starts: dict[str, str]) -> Path:
    lines = [
        f'[[agency]]\nname = "{name}"\nstart_url = "{url}"\nregion_code = "990000"\n' for name, url in starts.items()
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _govreports(*args: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [GOVREPORTS, *args, "--db", url], env={**os.environ, **QUEUE_ENV}, capture_output=True, text=True, timeout=600
    )


def _worker(url: str) -> subprocess.Popen:
    env = {**os.environ, **QUEUE_ENV}
    return subprocess.Popen([GOVREPORTS, "worker", "--db", url], env=env, stderr=subprocess.PIPE, text=True)


def _wait_for_doing(url: str, run_id: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while run_progress(url, run_id).sites.get("doing", 0) == 0:
        assert time.monotonic() < deadline, "no worker took a job"
        time.sleep(0.1)


def _run_id(stdout: str) -> int:
    assert stdout.startswith("run "), stdout
    return int(stdout.split()[1].rstrip(":"))


@pytest.mark.postgres
@pytest.mark.slow
def test_killed_worker_loses_nothing_and_hosts_stay_polite(tmp_path) -> None:
    flags = ["--allow-private", "--delay", str(DELAY), "--per-host", "1", "--store", str(tmp_path / "raw")]
    with pg_schema() as url, pg_schema() as single_url, portal_farm(SIZES, latency=LATENCY) as farm:
        registry = _registry(tmp_path / "agencies.toml", farm.starts)
        agencies = load_registry(registry)
        assert sorted(len(s.agencies) for s in group_sites(agencies)) == sorted(SIZES)

        enqueue = _govreports("run", "--registry", str(registry), "--distributed", "--no-wait", *flags, url=url)
        assert enqueue.returncode == 0, enqueue.stderr
        run_id = _run_id(enqueue.stdout)
        assert "12 site(s) enqueued for 40 agencies" in enqueue.stdout
        first = _worker(url)
        workers: list[subprocess.Popen] = []
        try:
            _wait_for_doing(url, run_id)
            first.send_signal(signal.SIGKILL)  # as the OOM killer would, while it holds a job
            first.wait(10)
            workers = [_worker(url) for _ in range(3)]
            night_one = _govreports("runs", str(run_id), "--wait", url=url)
            hits_one = farm.hits()
            farm.clear()
            again = _govreports("run", "--registry", str(registry), "--distributed", *flags, url=url)
            hits_two = farm.hits()
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)  # a graceful stop: the current job finishes first
            codes = [w.wait(60) for w in workers]
        assert codes == [0, 0, 0]
        assert night_one.returncode == 0, night_one.stdout + night_one.stderr
        assert again.returncode == 0, again.stdout + again.stderr

        engine = connect(url)
        expected = {
            (a.name, r.year): values(r.report) for portal in portal_agencies(SIZES) for a in portal for r in a.reports
        }
        assert len(expected) == 120
        assert facts_in(engine) == expected
        with engine.connect() as conn:
            documents = conn.execute(text("SELECT count(*), count(DISTINCT content_hash) FROM documents")).one()
            open_failures = conn.execute(text("SELECT count(*) FROM load_failures WHERE resolved_at IS NULL")).one()
            runs = conn.execute(text("SELECT status, counts FROM crawl_runs ORDER BY id")).all()
        assert tuple(documents) == (120, 120)  # every report loaded exactly once
        assert open_failures == (0,)
        assert [status for status, _ in runs] == ["finished", "finished"]
        one, two = (r.counts if isinstance(r.counts, dict) else json.loads(r.counts) for r in runs)
        # the killed worker's reports that were loaded count as unchanged when its job is retried
        assert (one.get("new", 0) + one.get("unchanged", 0), one.get("failed", 0)) == (120, 0)
        assert (two.get("new", 0), two.get("changed", 0), two.get("failed", 0)) == (0, 0, 0)
        # the second night asked again and downloaded no report page: every answer was a 304
        assert [h for h in hits_two if REPORT_PAGE in h.target and h.status == 200] == []
        assert any(REPORT_PAGE in h.target and h.status == 304 for h in hits_two)

        # politeness where it shows, at the farm, across every worker (the killed one included)
        by_host: dict[str, list] = defaultdict(list)
        for h in hits_one + hits_two:
            by_host[h.site].append(h)
        assert len(by_host) == 12
        assert max(h.in_flight for h in hits_one + hits_two) == 1
        gaps = sorted(
            b.start - a.start
            for hs in by_host.values()
            for a, b in itertools.pairwise(sorted(hs, key=lambda h: h.start))
        )
        # The farm stamps a request when its event loop has read it: on a loaded machine a little late,
        # which makes the gap before it look longer and the one after it shorter than the crawler
        # spaced them (the crawler's own spacing counts from when each request goes out on the wire).
        # Two senders on one host would instead give many gaps spread evenly below the delay.
        close = [
            (a.site, a.target, b.target, round(b.start - a.start, 3))
            for hs in by_host.values()
            for a, b in itertools.pairwise(sorted(hs, key=lambda h: h.start))
            if b.start - a.start < 0.5 * DELAY
        ]
        assert close == []
        assert len(gaps) > 200
        assert statistics.median(gaps) >= 0.95 * DELAY and gaps[len(gaps) // 50] >= 0.8 * DELAY, gaps[:10]

        single = connect(single_url)
        job = NightlyJob(
            settings(STORE_DIR=str(tmp_path / "raw1"), THROTTLE_DELAY=0.01), SQLState(single), db_loader(single)
        )
        job.run(agencies)
        assert facts_in(single) == facts_in(engine)
