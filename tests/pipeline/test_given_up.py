"""A host that keeps timing out (one byte every two seconds, robots.txt too) is given up for the run,
named in the run's record, and the run ends in bounded time."""

from __future__ import annotations

import time

from govreports.pipeline import NightlyJob
from govreports.scraper.registry import Agency
from govreports.scraper.state import MemoryState
from tests.support.crawling import settings
from tests.support.network import drip, tcp_server


def test_a_host_that_keeps_timing_out_is_given_up_and_recorded(tmp_path) -> None:
    state = MemoryState()
    job = NightlyJob(
        settings(STORE_DIR=str(tmp_path / "raw"), HTTP_DEADLINE=0.5, RETRY_TIMES=2, HTTP_HOST_TIMEOUTS=2),
        state,
        lambda report, document, agency: "new",
        parse_workers=0,
    )
    with tcp_server(drip(2.0)) as (port, starts):
        t0 = time.monotonic()
        summary = job.run([Agency(name="滴水局", start_url=f"http://127.0.0.1:{port}/")])
        elapsed = time.monotonic() - t0
    assert elapsed < 15 and len(starts) == 2  # robots.txt twice, then nothing more
    host = f"127.0.0.1:{port}"
    assert summary.problems == [
        f"{host}: given up for this run after timeouts in a row "
        f"(http://{host}/robots.txt: no complete answer within the 0.5 s deadline)"
    ]
    assert "host given up for this run" in summary.agencies[0].errors[0]
    assert state.runs[-1].errors[-1] == summary.problems[0]  # in the run's record
