"""A report that failed for good is not downloaded again every night: night after night on a demo
site (the hanweb family's), into SQLite and PostgreSQL.

The agency's 2023 report is published only as an attachment behind its download servlet, and the
attachment is a scanned PDF (no text); the page says only "详见附件". No reading by this parser will
change that. Night 1 fails it and marks it with the parser version; night 2 asks the server with its
validators, gets 304s and leaves it (``unreadable``); a newer parser reads it again — from the raw
store, the server answering 304 — and marks it anew; when the agency replaces the attachment (its
ETag changes) it is fetched and loaded.
"""

from __future__ import annotations

from sqlalchemy import text

import govreports.scraper.crawl as crawl_engine
from govreports.demo import hanweb
from govreports.demo.content import make_agency
from govreports.demo.farm import agencies
from govreports.demo.server import Farm
from govreports.demo.site import Response
from govreports.parsers import PARSER_VERSION
from govreports.pipeline import NightlyJob, SQLState, db_loader
from govreports.scraper.state import MemoryState
from tests.support import FIXTURES
from tests.support.crawling import crawl, settings

SCANNED = (FIXTURES / "pdf" / "scanned-2021.pdf").read_bytes()
SERVLET = "/module/download/downfile.jsp"
ATTACHMENT = f"{SERVLET}?classid=0&filename=2023ndbg.doc"
AGENCY = "江南市财政局"


def test_unreadable_report_waits_for_a_change_or_a_newer_parser(engine, tmp_path, monkeypatch) -> None:
    # a scanned PDF stands for a document that fails for good; with OCR it would now be read
    monkeypatch.setenv("GOVREPORTS_OCR_ENABLED", "false")
    site = hanweb.build(make_agency(AGENCY, [2021, 2022, 2023], seed=100), attachment_only=2023)
    word_file = site.pages[SERVLET]
    site.pages[SERVLET] = lambda req: (
        Response(200, SCANNED, "application/octet-stream")
        if req.query.get("filename") == "2023ndbg.doc"
        else word_file(req)
    )
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine), parse_workers=0)

    with Farm([site]) as farm:

        def night():
            site.log.clear()
            [result] = job.run(agencies(farm, [site])).agencies
            return result, [status for _, target, status in site.log if target == ATTACHMENT]

        first, attachment1 = night()
        with engine.connect() as conn:
            marked = conn.execute(
                text("SELECT url, complete, rejected_by FROM crawl_fetches WHERE rejected_by IS NOT NULL")
            ).all()
            failure = conn.execute(text("SELECT stage, error FROM load_failures WHERE resolved_at IS NULL")).all()
        second, attachment2 = night()
        page_answers = [status for _, target, status in site.log if "/art/" in target]
        monkeypatch.setattr(crawl_engine, "PARSER_VERSION", "9.9.9")  # a newer parser is installed
        third, attachment3 = night()
        fourth, attachment4 = night()
        site.pages[SERVLET] = word_file  # the agency replaces the scan with the Word file
        fifth, attachment5 = night()

    # night 1: the report is fetched, cannot be read, and is marked as such
    assert (first.new, first.failed, first.unreadable) == (2, 1, 0)
    assert attachment1 == [200]
    assert [(bool(c), v) for _, c, v in marked] == [(False, PARSER_VERSION)]
    assert marked[0][0].endswith("art_1229_1000.html")  # the 2023 report's page
    assert failure == [("parse", "no_report_text: a report title but no report text on the page (attachment only?)")]
    # night 2: asked with its validators, unchanged: not downloaded, not parsed
    assert (second.new, second.changed, second.failed, second.unreadable) == (0, 0, 0, 1)
    assert attachment2 == [304] and 200 not in page_answers
    # night 3, a newer parser: read again from the raw store (the server answering 304), still unreadable
    assert (third.failed, third.unreadable, attachment3) == (1, 0, [304])
    # night 4: marked by the newer parser, left alone again
    assert (fourth.failed, fourth.unreadable, attachment4) == (0, 1, [304])
    # night 5: the attachment changed, and its ETag with it: fetched and loaded
    assert (fifth.new, fifth.failed, fifth.unreadable, attachment5) == (1, 0, 0, [200])
    with engine.connect() as conn:
        years = conn.execute(text("SELECT year FROM reports WHERE is_current ORDER BY year")).scalars().all()
        left = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM load_failures WHERE resolved_at IS NULL), "
                "(SELECT count(*) FROM crawl_fetches WHERE rejected_by IS NOT NULL)"
            )
        ).one()
    assert years == [2021, 2022, 2023]
    assert tuple(left) == (0, 0)  # the failure resolved, the mark cleared


def test_without_validators_an_unreadable_report_is_not_asked_again(tmp_path) -> None:
    """A server that sends no ETag or Last-Modified cannot say the report changed: it is not asked."""
    site = hanweb.build(make_agency(AGENCY, [2021, 2022, 2023], seed=100), attachment_only=2023)
    site.validators = "none"
    handed: list[str] = []

    async def sink(found) -> str:
        handed.append(found.url.rsplit("/", 1)[-1])
        return "rejected" if found.url.endswith("art_1229_1000.html") else "new"

    state = MemoryState()
    with Farm([site]) as farm:
        [first], _, _ = crawl(farm, [site], tmp_path, state=state, sink=sink)
        site.log.clear()
        handed.clear()
        [second], _, _ = crawl(farm, [site], tmp_path, state=state, sink=sink)
    assert (first.new, first.failed) == (2, 1)
    assert (second.failed, second.unreadable) == (0, 1)
    assert "art_1229_1000.html" not in handed
    assert not [t for _, t, _ in site.log if t.endswith("art_1229_1000.html") or "2023ndbg" in t]


def test_reparse_reads_a_rejected_report_again_with_its_attachments(engine, tmp_path, monkeypatch) -> None:
    # a scanned PDF stands for a document that fails for good; with OCR it would now be read
    monkeypatch.setenv("GOVREPORTS_OCR_ENABLED", "false")
    """An attachment-only report whose attachment the old parser could not read (a workbook) is
    chosen and loaded by ``reparse`` from the raw store — no crawl, nothing fetched — and the next
    night finds it done."""
    import govreports.pipeline.choose as choose
    from govreports.parsers import UnsupportedFormat, parse_bytes, sheet
    from govreports.pipeline.reparse import reparse
    from govreports.scraper.store import RawStore
    from tests.support.db import facts_in
    from tests.support.expected import MOUXIAN_GOV_2020

    site = hanweb.build(make_agency(AGENCY, [2021, 2022, 2023], seed=100), attachment_only=2023)
    word_file = site.pages[SERVLET]
    workbook = (FIXTURES / "sheets" / "mouxian-gov-2020.xls").read_bytes()
    site.pages[SERVLET] = lambda req: (
        Response(200, workbook, "application/octet-stream")
        if req.query.get("filename") == "2023ndbg.doc"
        else word_file(req)
    )
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine), parse_workers=0)

    def old_parser(data: bytes, kind: str):
        raise UnsupportedFormat("spreadsheets are not read")

    def in_process(data, source, content_type=None, context=None, **_options):  # pictures: none in a workbook
        return parse_bytes(data, source, content_type, context=context)

    with Farm([site]) as farm:
        with monkeypatch.context() as old:  # the parser of version 0.1.0 could not read workbooks
            old.setattr(crawl_engine, "PARSER_VERSION", "0.1.0")
            old.setattr(sheet, "read_sheet", old_parser)
            # the nightly parses in a sandbox process, which this patch would not reach: parse here
            old.setattr(choose, "parse_bytes_limited", in_process)
            [first] = job.run(agencies(farm, [site])).agencies
        results = list(reparse(engine, RawStore(root=tmp_path / "raw")))
        site.log.clear()
        [second] = job.run(agencies(farm, [site])).agencies

    assert (first.new, first.failed) == (2, 1)
    loaded = [r for r in results if r.status == "new"]
    assert [(r.agency, r.year, r.source.rsplit("=", 1)[-1]) for r in loaded] == [
        ("某某县人民政府办公室", 2020, "2023ndbg.doc")
    ]
    assert facts_in(engine)[("某某县人民政府办公室", 2020)] == MOUXIAN_GOV_2020
    with engine.connect() as conn:
        record = conn.execute(
            text("SELECT complete, rejected_by FROM crawl_fetches WHERE url LIKE '%art_1229_1000.html'")
        ).one()
        open_failures = conn.execute(text("SELECT count(*) FROM load_failures WHERE resolved_at IS NULL")).scalar()
    assert (bool(record[0]), record[1], open_failures) == (True, None, 0)
    # the next night: the report is done; its page and attachment answer 304
    assert (second.new, second.changed, second.failed, second.unreadable) == (0, 0, 0, 0)
    assert [s for _, t, s in site.log if t == ATTACHMENT] == [304]
