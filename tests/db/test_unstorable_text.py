"""Text the databases cannot store (NUL, lone surrogates) is cleaned the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from govreports.db.failures import Failure, record_failure
from govreports.db.load import DocumentInfo, load_report
from govreports.db.models import Agency, LoadFailure, Report
from govreports.db.text import storable
from govreports.parsers import parse_path
from tests.support import JIAXING


def test_storable_removes_nul_and_replaces_lone_surrogates() -> None:
    assert storable("嘉兴市\x00经信局\udc80") == "嘉兴市经信局\ufffd"
    clean = "嘉兴市经济和信息化局"
    assert storable(clean) is clean


def test_report_with_nul_and_surrogates_loads(engine) -> None:
    report = parse_path(JIAXING)
    hostile = dataclasses.replace(
        report,
        agency="嘉兴市经济和\x00信息化局\udc80",
        title=report.title + "\x00",
        sections={key: text + "\x00\ud800" for key, text in report.sections.items()},
    )
    result = load_report(engine, hostile, DocumentInfo.from_bytes(JIAXING.read_bytes(), hostile))
    assert result.status == "new"
    with engine.connect() as conn:
        row = conn.execute(select(Report.agency_name, Report.title, Report.sections)).one()
        names = conn.execute(select(Agency.name)).scalars().all()
    assert row.agency_name == "嘉兴市经济和信息化局\ufffd"
    assert names == ["嘉兴市经济和信息化局\ufffd"]
    assert row.title == report.title
    assert row.sections == {key: text + "\ufffd" for key, text in report.sections.items()}
    assert hostile.agency == "嘉兴市经济和\x00信息化局\udc80"  # the caller's report is left as it was


def test_failure_message_with_nul_is_recorded(engine) -> None:
    record_failure(engine, Failure("https://example.gov.cn/a\x00.html", "parse", "unreadable: bad \x00 byte \udc80"))
    with engine.connect() as conn:
        source, error = conn.execute(select(LoadFailure.source, LoadFailure.error)).one()
    assert (source, error) == ("https://example.gov.cn/a.html", "unreadable: bad  byte \ufffd")
