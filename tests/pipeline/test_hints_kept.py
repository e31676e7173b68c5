"""What the crawl knew besides a document's bytes is kept, so that reading it again gives the same answer.

The document is the body of a real report that prints neither its agency nor its year (平潭综合实验区
2024, the text of tests/fixtures/real/text/pingtan-2024-crawler-dump.txt after its crawler header):
only its context — the list item's text, the attachment's name — makes it a report. The nightly job
keeps that context with the document (``documents.hints``), ``reparse`` reads it with it, and an
attachment answered by a 304 keeps the name the server gave it the first time.
"""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import quote

from sqlalchemy import text

from govreports.demo import hanweb
from govreports.demo.content import make_agency
from govreports.demo.farm import agencies
from govreports.demo.server import Farm
from govreports.pipeline import NightlyJob, SQLState, db_loader
from govreports.pipeline.reparse import reparse
from govreports.scraper.store import RawStore
from tests.support import FIXTURES
from tests.support.crawling import crawl, settings

DUMP = (FIXTURES / "real" / "text" / "pingtan-2024-crawler-dump.txt").read_text("utf-8")
BODY = DUMP.split("==================== 正文 ====================\n", 1)[1].encode("utf-8")
AGENCY = "平潭综合实验区"
SERVLET = "/module/download/downfile.jsp"
NAME = "平潭综合实验区2024年度政府信息公开工作年度报告.txt"


def _named_site():
    """The servlet sends the file's name, as many do, but (as most servers) not again with a 304."""
    site = hanweb.build(make_agency(AGENCY, [2024], seed=5), pdf_only=(2024, BODY))
    servlet = next(p for p in site.pages if p.startswith(SERVLET))
    serve = site.pages[servlet]

    def named(req):
        answer = serve(req)
        if "if-none-match" not in req.headers:
            answer.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(NAME)}"
        return answer

    site.pages[servlet] = named
    return site


def test_body_prints_no_agency_or_year() -> None:
    # the premise: without its context this document is not a report of any agency or year
    from govreports.parsers import parse_bytes

    report = parse_bytes(BODY, "downfile.jsp", "application/octet-stream")
    assert (report.agency, report.year) == (None, None)
    assert report.template == "2021"


def test_reparse_reads_a_document_with_the_context_it_was_first_read_with(engine, tmp_path) -> None:
    site = hanweb.build(make_agency(AGENCY, [2023, 2024], seed=5), pdf_only=(2024, BODY))
    store = tmp_path / "raw"
    job = NightlyJob(settings(STORE_DIR=str(store)), SQLState(engine), db_loader(engine), parse_workers=0)
    with Farm([site]) as farm:
        summary = job.run(agencies(farm, [site]))
    assert summary.totals()["new"] == 2
    with engine.connect() as conn:
        [(doc_id, hints)] = conn.execute(
            text("SELECT id, hints FROM documents WHERE source LIKE :s"), {"s": f"%{SERVLET}%"}
        ).all()
        [(year, agency)] = conn.execute(
            text("SELECT year, agency_name FROM reports WHERE document_id = :d"), {"d": doc_id}
        ).all()
    assert (agency, year) == (AGENCY, 2024)
    hints = hints if isinstance(hints, dict) else json.loads(hints)  # SQLite gives the text
    assert hints["link_text"] == "平潭综合实验区2024年政府信息公开工作年度报告"
    assert hints["registry_agency"] == AGENCY
    assert hints["attachment_name"].endswith("年度报告.pdf")  # the attachment link's text on the article page

    with engine.begin() as conn:  # as if read by an older parser
        conn.execute(text("UPDATE documents SET parser_version = '0.0.1'"))
        conn.execute(text("UPDATE reports SET parser_version = '0.0.1'"))
    results = list(reparse(engine, RawStore(root=store)))
    by_source = {r.source: r for r in results}
    [again] = [r for s, r in by_source.items() if SERVLET in s]
    assert (again.status, again.agency, again.year) == ("unchanged", AGENCY, 2024)


def test_an_attachment_answered_304_keeps_the_servers_name_for_it(tmp_path) -> None:
    site = _named_site()
    with Farm([site]) as farm:
        _, first, state = crawl(farm, [site], tmp_path)
        # night 2: the article page is edited (so the report is read again); the attachment is not
        [article] = [p for p in site.pages if "/art/" in p and not p.endswith("_999.html")]
        page = site.pages[article]
        assert not callable(page)
        site.pages[article] = dataclasses.replace(page, body=page.body + b"<!-- edited -->")
        site.log.clear()
        _, second, _ = crawl(farm, [site], tmp_path, state=state)
    [before] = [d for f in first.found for d in f.documents if d.role == "attachment"]
    [after] = [d for f in second.found for d in f.documents if d.role == "attachment"]
    assert before.filename == NAME
    assert [status for _, target, status in site.log if target.startswith(SERVLET)] == [304]
    assert after.data == BODY and after.filename == NAME


def test_parse_and_load_of_a_url_use_the_servers_name_for_the_file(engine, tmp_path) -> None:
    from govreports import api

    site = _named_site()
    with Farm([site]) as farm:
        url = farm.url(site, f"{SERVLET}?classid=0&filename={hanweb.PDF_NAME}")
        report = api.parse(url, allow_private=True)
        [loaded] = api.load([url], db=engine, allow_private=True)
    assert (report.agency, report.year, report.sources["year"]) == (AGENCY, 2024, "context")
    assert (loaded.status, loaded.agency, loaded.year) == ("new", AGENCY, 2024)
    with engine.connect() as conn:
        hints = conn.execute(text("SELECT hints FROM documents")).scalar_one()
    hints = hints if isinstance(hints, dict) else json.loads(hints)  # SQLite gives the text
    assert hints == {"attachment_name": NAME}
