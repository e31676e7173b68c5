"""The HTTP layer against a served site with injected faults: what is retried, what is not, what is refused."""

from __future__ import annotations

import asyncio
import time

import pytest

from govreports.demo.server import Farm
from govreports.demo.site import WALL_412, WALL_521, Response, Site
from govreports.demo.trs import STUB
from govreports.scraper.errors import Blocked, FetchError, HTTPStatusError, OffSite, RetryableStatus, RobotsDenied
from govreports.scraper.http.cache import Validators
from govreports.scraper.http.client import Fetcher
from govreports.scraper.http.walls import detect_wall
from govreports.scraper.store import RawStore, guess_extension
from tests.support.crawling import settings
from tests.support.faults import fault

BODY = "<html><body>" + "<p>政府信息公开工作年度报告</p>" * 200 + "</body></html>"


def site() -> Site:
    s = Site("faults")
    s.pages["/a.html"] = Response(200, BODY.encode())
    s.pages["/loop1"] = Response(302, b"", None, {"Location": "/loop2"})
    s.pages["/loop2"] = Response(302, b"", None, {"Location": "/loop1"})
    s.pages["/moved"] = Response(301, b"", None, {"Location": "a.html"})
    s.pages["/private/x.html"] = Response(200, b"<html>secret</html>")
    s.pages["/big"] = Response(200, b"x" * 5000, "text/plain")
    return s


def fetch(farm: Farm, path: str, prior: Validators | None = None, **overrides: object):
    async def go():
        fetcher = Fetcher(settings(**overrides))
        try:
            return await fetcher.get(farm.url("faults", path), prior=prior)
        finally:
            await fetcher.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("faults", [["500", "503"], ["reset"], ["truncate"], ["timeout:3"], ["502", "reset", "500"]])
def test_transient_failures_are_retried(faults) -> None:
    s = site()
    fault(s, "/a.html", *faults)
    with Farm([s]) as farm:
        got = fetch(farm, "/a.html", HTTP_TIMEOUT=0.5)
    assert got.status == 200 and got.content == BODY.encode()  # gzip on the wire, the body as written
    assert len(s.served("/a.html", status=None)) == len(faults) + 1


def test_retry_after_is_honoured() -> None:
    s = site()
    fault(s, "/a.html", "429:1")
    with Farm([s]) as farm:
        t0 = time.monotonic()
        got = fetch(farm, "/a.html")
        elapsed = time.monotonic() - t0
    assert got.status == 200 and elapsed >= 0.95
    assert [st for _, t, st in s.log if t == "/a.html"] == [429, 200]


def test_retry_after_too_long_gives_up_at_once() -> None:
    s = site()
    fault(s, "/a.html", "429:3600")
    with Farm([s]) as farm, pytest.raises(RetryableStatus, match="HTTP 429"):
        fetch(farm, "/a.html")
    assert len(s.served("/a.html", status=None)) == 1


def test_persistent_5xx_fails_after_the_attempts() -> None:
    s = site()
    fault(s, "/a.html", *["503"] * 10)
    with Farm([s]) as farm, pytest.raises(RetryableStatus, match="HTTP 503"):
        fetch(farm, "/a.html", RETRY_TIMES=3)
    assert len(s.served("/a.html", status=None)) == 3


def test_other_4xx_never_retried() -> None:
    s = site()
    with Farm([s]) as farm, pytest.raises(HTTPStatusError) as err:
        fetch(farm, "/missing.html")
    assert err.value.status == 404 and len(s.served("/missing.html", status=None)) == 1


def test_redirects_followed_and_loops_caught() -> None:
    s = site()
    with Farm([s]) as farm:
        got = fetch(farm, "/moved")
        assert got.final_url == farm.url("faults", "/a.html") and got.status == 200
        with pytest.raises(FetchError, match="redirect loop"):
            fetch(farm, "/loop1")


def test_size_cap() -> None:
    s = site()
    with Farm([s]) as farm, pytest.raises(FetchError, match="byte cap"):
        fetch(farm, "/big", HTTP_MAX_BYTES=1000)


def test_robots_txt_obeyed() -> None:
    s = site()
    with Farm([s]) as farm, pytest.raises(RobotsDenied):
        fetch(farm, "/private/x.html")
    assert not s.served("/private/", status=None) and s.served("/robots.txt")


def test_loopback_refused_unless_allowed() -> None:
    s = site()
    with Farm([s]) as farm, pytest.raises(OffSite, match="private"):
        fetch(farm, "/a.html", HTTP_ALLOW_PRIVATE=False)
    assert s.log == []


def test_other_hosts_refused() -> None:
    async def go():
        fetcher = Fetcher(settings())
        try:
            await fetcher.get("http://127.0.0.1:9/x.html", hosts=frozenset({"127.0.0.1:8"}))
        finally:
            await fetcher.aclose()

    with pytest.raises(OffSite, match="outside the agency's hosts"):
        asyncio.run(go())
    with pytest.raises(OffSite, match="not an http"):
        asyncio.run(Fetcher(settings()).get("ftp://127.0.0.1/x"))


@pytest.mark.parametrize("wall", [412, 521])
def test_walls_are_detected_not_defeated(wall) -> None:
    s = site()
    s.wall = wall
    with Farm([s]) as farm, pytest.raises(Blocked) as err:
        fetch(farm, "/a.html")
    assert ("$_ts" if wall == 412 else "document.cookie") in err.value.evidence
    assert len(s.log) == 1  # robots.txt answered with the wall; nothing else was tried


def test_wall_shapes() -> None:
    assert detect_wall(412, WALL_412).startswith("HTTP 412 with a $_ts")
    assert detect_wall(521, WALL_521).startswith("HTTP 521 with a document.cookie")
    shell = b"<html><script>document.cookie='a=b';location.reload()</script></html>"
    assert detect_wall(200, shell).startswith("tiny shell page")
    assert detect_wall(200, STUB) is None  # a TRS list stub is small, but no wall
    assert detect_wall(200, BODY.encode()) is None
    ruishu_v5 = (
        b'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        b'<meta id="FSSBBIl1UgzbN7N" content="k8Pd0q3.vB_uYyZzAfcgR1mWqQ"><script r="m" type="text/javascript" '
        b'charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.5c2b4a.js"></script></head><body></body></html>'
    )
    assert detect_wall(412, ruishu_v5).startswith("HTTP 412 with a script-only page")
    assert detect_wall(404, ruishu_v5) is None  # only a 412 says so
    assert detect_wall(412, b"<html><body>Precondition Failed</body></html>") is None  # no script: a plain error


def test_conditional_requests() -> None:
    s = site()
    with Farm([s]) as farm:
        first = fetch(farm, "/a.html")
        again = fetch(farm, "/a.html", prior=Validators(first.etag, first.last_modified))
        s.validators = "last-modified"
        lm = fetch(farm, "/a.html")
        lm_again = fetch(farm, "/a.html", prior=Validators(None, lm.last_modified))
        s.pages["/a.html"] = Response(200, b"<html>changed</html>")
        changed = fetch(farm, "/a.html", prior=Validators(None, lm.last_modified))
    assert first.etag and again.not_modified and again.content == b""
    assert lm.last_modified and lm_again.status == 304
    assert changed.status == 200 and changed.content == b"<html>changed</html>"


def test_store_is_content_addressed_and_safe(tmp_path) -> None:
    store = RawStore(root=tmp_path)
    digest, rel = store.put(b"%PDF-1.4 x", guess_extension(b"%PDF-1.4 x", "http://h/../../etc/passwd?filename=a.doc"))
    assert rel == f"{digest[:2]}/{digest[2:4]}/{digest}.pdf" and store.get(rel) == b"%PDF-1.4 x"
    assert store.put(b"%PDF-1.4 x", "pdf") == (digest, rel)  # same bytes, same place, written once
    assert guess_extension(b"<html></html>", "http://h/downfile.jsp?filename=r.pdf", "application/pdf") == "html"
    assert guess_extension(b"PK\x03\x04word/", "http://h/x") == "docx"
    assert guess_extension(b"PK\x03\x04[Content_Types].xml xl/workbook.xml", "http://h/down.do?id=3") == "xlsx"
    assert guess_extension(b"PK\x03\x04OFD.xml", "http://h/down.do?id=4") == "ofd"
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")
    assert not list(tmp_path.rglob(".tmp-*"))
