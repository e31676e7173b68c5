"""End to end with OCR: a 图片版 page and a scanned PDF, crawled from imitation sites, read, checked, loaded.

The sites (``govreports.demo.scanned``) serve the OCR fixtures; their numbers are the reports'
as printed (``tests/support/expected.py``).
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from govreports.demo.farm import agencies
from govreports.demo.scanned import LONGQUAN, QINGTIAN, scanned_sites
from govreports.demo.server import Farm
from govreports.pipeline import NightlyJob, SQLState, db_loader
from tests.support.crawling import settings
from tests.support.db import facts_in
from tests.support.expected import ACTIVE_2019, APPLICATIONS_2019, PDF_2021, PRINTED_2019_ROWS, REVIEW_2019, pdf_facts

pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed (make test installs it)")
pytestmark = pytest.mark.slow


def test_picture_page_and_scanned_pdf_are_crawled_read_and_loaded(engine, tmp_path) -> None:
    sites = scanned_sites()
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine))
    with Farm(sites) as farm:
        summary = job.run(agencies(farm, sites))
        pictures = sites[0].served("/picture/")
    assert summary.totals()["new"] == 2 and summary.totals()["failed"] == 0, summary.errors()
    assert sorted(pictures) == [
        "/picture/table-2021-active.png",
        "/picture/table-2021-applications-1.png",
        "/picture/table-2021-applications-2.png",
        "/picture/table-2021-review.png",
    ]
    loaded = facts_in(engine)
    assert loaded[(QINGTIAN, 2023)] == PDF_2021
    # the scan's rows with blank cells (two printed "1 1") are placed by their boxes' columns
    assert loaded[(LONGQUAN, 2020)] == pdf_facts(ACTIVE_2019, {**APPLICATIONS_2019, **PRINTED_2019_ROWS}, REVIEW_2019)
    with engine.connect() as conn:
        findings = conn.execute(
            text(
                "SELECT r.agency_name, f.rule, f.cells FROM findings f JOIN reports r ON r.id = f.report_id "
                "WHERE f.severity = 'error' ORDER BY r.agency_name, f.cells"
            )
        ).all()
        formats = conn.execute(
            text("SELECT r.agency_name, d.format FROM reports r JOIN documents d ON d.id = r.document_id")
        ).all()
        marks = conn.execute(
            text(
                "SELECT r.agency_name, f.ocr, COUNT(*), COUNT(f.confidence), MIN(f.confidence), MAX(f.confidence) "
                "FROM facts f JOIN reports r ON r.id = f.report_id GROUP BY r.agency_name, f.ocr"
            )
        ).all()
    assert findings == []
    # every fact is marked as read by OCR; every printed number carries the recogniser's confidence
    blanks = {LONGQUAN: sum(v is None for v in loaded[(LONGQUAN, 2020)].values()), QINGTIAN: 0}
    assert sorted((a, bool(o), n, c) for a, o, n, c, _, _ in marks) == sorted(
        [(LONGQUAN, True, 198, 198 - blanks[LONGQUAN]), (QINGTIAN, True, 200, 200)]
    )
    assert all(0 < low <= high <= 1 for *_, low, high in marks)
    assert sorted(formats) == sorted([(QINGTIAN, "html"), (LONGQUAN, "pdf")])
