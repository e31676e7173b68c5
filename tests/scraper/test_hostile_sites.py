"""Hostile sites on 127.0.0.1: compression bombs are cut at HTTP_MAX_BYTES as they inflate, with the
crawler's memory bounded (measured in a subprocess of its own)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govreports.demo.server import Farm
from govreports.demo.site import Response, Site
from govreports.scraper.errors import FetchError
from govreports.scraper.http.blocking import fetch_url
from govreports.scraper.http.client import Fetcher
from tests.support.crawling import crawl, settings, site_reports
from tests.support.hostile import gzip_bomb, html_nested

ROOT = Path(__file__).resolve().parents[2]
CAP = 32 * 1024 * 1024  # HTTP_MAX_BYTES's default

# The fetch, run in a fresh interpreter so that its peak memory is this fetch's alone.
FETCH = """
import asyncio, json, sys
from govreports.scraper.http.client import Fetcher
from tests.support.crawling import settings
from tests.support.measure import peak_mib
async def go():
    fetcher = Fetcher(settings())
    try:
        await fetcher.get(sys.argv[1])
        return "fetched"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        await fetcher.aclose()
outcome = asyncio.run(go())
print(json.dumps({"outcome": outcome, "peak_mib": peak_mib()}))
"""


def bomb_site() -> Site:
    site = Site("bombs")
    bomb = gzip_bomb(4 << 30)
    site.pages["/bomb.html"] = Response(200, bomb, headers={"Content-Encoding": "gzip"})
    site.pages["/double.html"] = Response(200, bomb, headers={"Content-Encoding": "gzip, gzip"})
    site.pages["/brotli.html"] = Response(200, b"\x1b\x00", headers={"Content-Encoding": "br"})
    return site


@pytest.mark.slow
def test_gzip_bomb_is_cut_at_the_cap_with_bounded_memory() -> None:
    with Farm([bomb_site()]) as farm:
        done = subprocess.run(
            [sys.executable, "-c", FETCH, farm.url("bombs", "/bomb.html")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout)
    assert got["outcome"] == f"FetchError: {farm.url('bombs', '/bomb.html')}: response over the {CAP} byte cap"
    assert got["peak_mib"] < 200  # the cap (32 MiB) held, plus the interpreter; before: 4.1 GB


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/double.html", "stacked Content-Encoding 'gzip, gzip' refused (a compression bomb?)"),
        ("/brotli.html", "Content-Encoding 'br' not accepted"),
    ],
)
def test_stacked_or_unknown_encodings_are_refused(path: str, message: str) -> None:
    async def go(url: str):
        fetcher = Fetcher(settings())
        try:
            return await fetcher.get(url)
        finally:
            await fetcher.aclose()

    with Farm([bomb_site()]) as farm:
        url = farm.url("bombs", path)
        with pytest.raises(FetchError) as raised:
            asyncio.run(go(url))
    assert str(raised.value) == f"{url}: {message}"


def test_single_fetch_of_a_gzip_bomb_is_cut_at_the_cap() -> None:
    """`govreports parse URL` / `load URL` fetch through the same bounded body."""
    with Farm([bomb_site()]) as farm:
        url = farm.url("bombs", "/bomb.html")
        with pytest.raises(FetchError) as raised:
            fetch_url(url, allow_private=True)
    assert str(raised.value) == f"{url}: response over the {CAP} byte cap"


@pytest.mark.slow
def test_page_nested_too_deep_is_that_agencys_error_and_the_crawl_goes_on(tmp_path) -> None:
    """500 KB of unclosed <div> as a home page: minutes in lexbor's tree builder, refused before it."""
    from govreports.demo.farm import demo_sites

    deep = Site("深层市人民政府")
    deep.pages["/"] = Response(200, html_nested("div", 100_000, closed=False))
    sites = [demo_sites()[1], deep]  # the TRS imitation beside it, crawled in the same run
    with Farm(sites) as farm:
        start = time.monotonic()
        results, sink, _state = crawl(farm, sites, tmp_path)
        took = time.monotonic() - start
    by_agency = {r.agency: r for r in results}
    assert by_agency["深层市人民政府"].errors == [
        f"{farm.url(deep, '/')}: elements nested more than 1,000 deep, the limit (PARSE_MAX_DEPTH)"
    ]
    assert len(sink.urls()) == len(site_reports(sites[0]))  # every report of the other site found
    assert took < 60
