"""The raw store grows with reports, not with nights: list pages whose bytes change every night (a
clock, a visitor counter) but whose links do not are not stored again; a list page with a new link is."""

from __future__ import annotations

from urllib.parse import urlsplit

from govreports.demo.farm import agencies, demo_sites
from govreports.demo.server import Farm
from govreports.demo.site import Response, Site
from govreports.scraper.state import MemoryState
from govreports.scraper.store import RawStore
from tests.support.crawling import settings


def _rendered(site: Site, path: str, night: list[int], extra: bytes = b"") -> None:
    """The page at ``path`` now carries the night it was rendered (and ``extra`` markup)."""
    page = site.pages[path]

    def handler(req, page=page):
        r = page(req) if callable(page) else page
        if r.status != 200:
            return r
        stamp = f"<!-- rendered on night {night[0]} -->".encode()
        return Response(r.status, r.body.replace(b"</body>", stamp + extra + b"</body>"), r.content_type, r.headers)

    site.pages[path] = handler


def test_list_pages_with_the_same_links_are_not_stored_again(tmp_path) -> None:
    from govreports.pipeline import NightlyJob

    sites = demo_sites()
    state = MemoryState()
    store = RawStore(root=tmp_path)
    job = NightlyJob(settings(STORE_DIR=str(tmp_path)), state, lambda report, document, agency: "new")
    night = [1]
    with Farm(sites) as farm:
        first = job.run(agencies(farm, sites))
        stored = store.keys()
        by_port = {farm.ports[s.name]: s for s in sites}
        lists = [
            (by_port[urlsplit(url).port], urlsplit(url).path)
            for url, rec in state.records.items()
            if rec.kind == "list" and rec.children and urlsplit(url).path in by_port[urlsplit(url).port].pages
        ]
        assert len(lists) >= 3, lists  # the demo's list pages, on several sites
        first_copy = {url: rec.raw_path for url, rec in state.records.items()}
        for site, path in lists:
            _rendered(site, path, night)
        counts = []
        for n in (2, 3, 4):
            night[0] = n
            summary = job.run(agencies(farm, sites))
            assert summary.totals()["new"] == 0 and summary.totals()["changed"] == 0
            counts.append(len(store.keys()))
        # the page keeps the first night's copy, recorded without validators: no 304 will stand for
        # the bytes served since, which the store does not hold
        site, path = lists[0]
        record = state.records[farm.url(site, path)]
        assert record.raw_path == first_copy[farm.url(site, path)] and record.etag is None
        assert b"rendered on night" not in store.get(record.raw_path)
        # a new link on one list page: that page is stored again, once
        _rendered(site, path, night, b'<a href="/elsewhere.html">x</a>')
        night[0] = 5
        job.run(agencies(farm, sites))
        after_new_link = len(store.keys())
        night[0] = 6
        job.run(agencies(farm, sites))
    assert first.totals()["new"] == 15
    assert counts == [len(stored)] * 3
    assert after_new_link == len(stored) + 1
    assert len(store.keys()) == after_new_link
