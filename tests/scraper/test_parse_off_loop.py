"""The crawler never parses a page on its event loop: list pages, discovery and report pages are
decoded and parsed in threads, so a hard page stalls its own agency, not every other one."""

from __future__ import annotations

import threading

from govreports.demo.farm import demo_sites
from govreports.demo.server import Farm
from govreports.scraper.families import base
from tests.support.crawling import crawl


def test_pages_are_parsed_off_the_event_loop(tmp_path, monkeypatch) -> None:
    threads: list[str] = []
    real_parser, real_decode = base.LexborHTMLParser, base.decode

    def parser(text):
        threads.append(threading.current_thread().name)
        return real_parser(text)

    def decode(data, content_type=None):
        threads.append(threading.current_thread().name)
        return real_decode(data, content_type)

    monkeypatch.setattr(base, "LexborHTMLParser", parser)
    monkeypatch.setattr(base, "decode", decode)
    sites = demo_sites()[:4]  # the families: discovery from a home page, list pages, JSON lists, articles
    with Farm(sites) as farm:
        results, sink, _ = crawl(farm, sites, tmp_path / "raw")
    assert sum(r.new for r in results) == len(sink.found) > 8
    assert len(threads) > 50
    on_loop = [t for t in threads if t == threading.main_thread().name]
    assert on_loop == []  # the event loop runs in the main thread: nothing was parsed there
