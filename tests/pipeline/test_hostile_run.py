"""The nightly job survives a hostile document and a hostile site in the same run, every other report loaded."""

from __future__ import annotations

import dataclasses
import time

import pytest

from govreports.demo.farm import agencies, demo_sites
from govreports.demo.server import Farm
from govreports.demo.site import Response, Site
from govreports.parsers import parse_bytes_limited
from govreports.scraper.state import MemoryState
from tests.support.crawling import settings, site_reports
from tests.support.hostile import gzip_bomb, html_nested

BOMB_AGENCY = "炸弹市人民政府"


@pytest.mark.slow
def test_hostile_document_and_hostile_site_in_one_run(tmp_path, monkeypatch) -> None:
    from govreports.pipeline import NightlyJob

    # the hostile document: 江南市财政局's 2020 report, published only as an attachment, is replaced by
    # 500 KB of unclosed <div> with the reader's depth check raised out of the way — minutes of work
    # in lexbor, so only the sandbox's deadline stops it
    monkeypatch.setenv("GOVREPORTS_PARSE_MAX_DEPTH", str(10**9))
    monkeypatch.setenv("GOVREPORTS_PARSE_TIMEOUT", "3")
    sites = demo_sites()
    hanweb = sites[0]
    download = hanweb.pages["/module/download/downfile.jsp"]
    slow = html_nested("div", 100_000, closed=False)

    def hostile_download(request):
        return dataclasses.replace(download(request), body=slow)

    hanweb.pages["/module/download/downfile.jsp"] = hostile_download
    # the hostile site: its home page is a gzip bomb (4 GiB inflated)
    bomb = Site(BOMB_AGENCY)
    bomb.pages["/"] = Response(200, gzip_bomb(4 << 30), headers={"Content-Encoding": "gzip"})
    sites.append(bomb)

    import govreports.pipeline.choose as choose

    parsed = {}  # every document the job parsed, by URL: a spy on the sandboxed parse (workers in-process)

    def recording(data, source, content_type=None, context=None):
        parsed[source] = report = parse_bytes_limited(data, source, content_type, context=context)
        return report

    monkeypatch.setattr(choose, "parse_bytes_limited", recording)
    loaded = {}

    def loader(report, document, agency):
        loaded[(agency.name, report.year or document.url)] = report
        return "new"

    with Farm(sites) as farm:
        job = NightlyJob(settings(STORE_DIR=str(tmp_path)), MemoryState(), loader, parse_workers=0)
        start = time.monotonic()
        summary = job.run(agencies(farm, sites))
        took = time.monotonic() - start

    assert took < 120  # no hang: minutes of lexbor cut at 3 s
    by_agency = {a.agency: a for a in summary.agencies}
    assert by_agency[BOMB_AGENCY].errors and all("byte cap" in e for e in by_agency[BOMB_AGENCY].errors), by_agency[
        BOMB_AGENCY
    ].errors
    # every other report loaded with the numbers its site printed
    expected = {(r.agency, r.year): r for s in sites[:-1] for r in site_reports(s)}
    for key, want in expected.items():
        if key == ("江南市财政局", 2020):
            continue
        assert loaded[key].template == want.template, key
    assert summary.totals()["new"] == 15
    # the hostile document was given up at the deadline; the report is its page's result, which says why
    slow_docs = [url for url, r in parsed.items() if [i.rule for i in r.issues] == ["too_slow"]]
    assert len(slow_docs) == 1 and "filename=2020ndbg.doc" in slow_docs[0]
    hostile = [r for (name, _), r in loaded.items() if name == "江南市财政局" and r.template is None]
    assert len(hostile) == 1 and [i.rule for i in hostile[0].issues] == ["no_report_text"]
