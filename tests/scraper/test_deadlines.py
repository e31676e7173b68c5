"""Nothing waits forever: a server that drips one byte every two seconds (the per-read timeout never
fires) is cut off by the overall deadline, its robots.txt too, and a host that keeps timing out is
given up for the run."""

from __future__ import annotations

import asyncio
import time

import pytest

from govreports.scraper.errors import DeadlineExceeded, FetchError, HostGivenUp
from govreports.scraper.http.client import Fetcher
from tests.support.crawling import settings
from tests.support.network import drip, tcp_server

SLOW = {"HTTP_TIMEOUT": 5.0, "HTTP_DEADLINE": 1.0, "RETRY_TIMES": 2, "HTTP_HOST_TIMEOUTS": 3}


def _run(port: int, paths: list[str], **overrides: object) -> tuple[list[object], Fetcher, float]:
    fetcher = Fetcher(settings(**{**SLOW, **overrides}))

    async def go():
        out = []
        try:
            for path in paths:
                try:
                    out.append(await fetcher.get(f"http://127.0.0.1:{port}{path}"))
                except FetchError as exc:
                    out.append(exc)
        finally:
            await fetcher.aclose()
        return out

    t0 = time.monotonic()
    out = asyncio.run(go())
    return out, fetcher, time.monotonic() - t0


def test_slow_drip_is_cut_off_by_the_deadline() -> None:
    with tcp_server(drip(2.0)) as (port, starts):
        (err,), fetcher, elapsed = _run(port, ["/report.html"], ROBOTS_ENABLED=False)
    assert isinstance(err, DeadlineExceeded) and "1 s deadline" in str(err)
    assert len(starts) == 2  # the first attempt and one retry, each cut at the deadline
    assert elapsed < 10
    assert fetcher.given_up == {}  # two timeouts in a row, under the three that give a host up


def test_a_host_that_keeps_timing_out_is_given_up_for_the_run() -> None:
    with tcp_server(drip(2.0)) as (port, starts):
        out, fetcher, elapsed = _run(port, ["/a.html", "/b.html", "/c.html"], ROBOTS_ENABLED=False)
    assert isinstance(out[0], DeadlineExceeded)  # 2 attempts
    assert isinstance(out[1], HostGivenUp)  # the third timeout in a row gives the host up
    assert isinstance(out[2], HostGivenUp) and "given up" in str(out[2])
    assert len(starts) == 3  # /c.html never asked
    assert list(fetcher.given_up) == [f"127.0.0.1:{port}"]
    assert elapsed < 15


def test_a_slow_robots_txt_is_cut_off_through_its_retries() -> None:
    with tcp_server(drip(2.0)) as (port, starts):
        out, fetcher, elapsed = _run(port, ["/a.html", "/b.html"], HTTP_HOST_TIMEOUTS=2)
    assert all(isinstance(o, HostGivenUp) for o in out), out
    assert len(starts) == 2 and elapsed < 10  # robots.txt twice, then nothing more of the host
    assert list(fetcher.given_up) == [f"127.0.0.1:{port}"] and "robots.txt" in fetcher.given_up[f"127.0.0.1:{port}"]


@pytest.mark.parametrize("setting", ["HTTP_DEADLINE", "HTTP_HOST_TIMEOUTS"])
def test_deadline_settings_exist_with_env_override(setting, monkeypatch) -> None:
    from govreports.settings import Settings

    monkeypatch.setenv(f"GOVREPORTS_{setting}", "7")
    assert Settings.from_env()[setting] == 7
