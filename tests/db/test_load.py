"""Loading: traceability, idempotency, revisions, failures recorded and never partial."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

import govreports.db.load
from govreports import parsers
from govreports.db.load import AgencyHint, DocumentInfo, load_report, load_reports
from govreports.db.models import Document, Report
from govreports.testing import synthetic_batch
from tests.support import JIAXING, MULTIYEAR
from tests.support.db import check_versions, counts, orphan_facts, snapshot


def _load_path(engine, path, hint=None):
    report = parsers.parse_path(path)
    return load_report(engine, report, DocumentInfo.from_path(path, report), hint)


def test_jiaxing_loads_every_fact_traceable_to_its_document(engine) -> None:
    result = _load_path(engine, JIAXING, AgencyHint("嘉兴市经济和信息化局", "330400", "prefecture"))
    assert result.status == "new" and result.version == 1
    report = parsers.parse_path(JIAXING)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT table_name, row_key, column_key, value, raw, inferred, source, "
                "content_hash, agency, region, level, year, template FROM report_facts"
            )
        ).all()
        marks = conn.execute(text("SELECT DISTINCT ocr, confidence FROM facts")).all()
        doc = conn.execute(select(Document.__table__)).one()
    assert len(rows) == len(report.facts) == 200
    assert [(bool(o), c) for o, c in marks] == [(False, None)]  # a text document: no OCR marks
    loaded = {(r.table_name, r.row_key, r.column_key): r.value for r in rows}
    assert loaded == {(f.table, f.row, f.column): f.value for f in report.facts}
    assert loaded[("applications", "granted", "natural_person")] == 3
    assert loaded[("active", "normative_documents", "in_force")] == 6
    assert {(r.agency, r.region, r.level, r.year, r.template) for r in rows} == {
        ("嘉兴市经济和信息化局", "330400", "prefecture", 2022, "2021")
    }
    assert {r.source for r in rows} == {str(JIAXING)} and {r.content_hash for r in rows} == {doc.content_hash}
    assert doc.raw_path == str(JIAXING.resolve()) and doc.size == JIAXING.stat().st_size
    assert doc.status == "loaded" and str(doc.published) == "2023-01-17" and doc.format == "text"


def test_loading_twice_changes_nothing(engine) -> None:
    first = _load_path(engine, JIAXING)
    before = snapshot(engine)
    again = _load_path(engine, JIAXING)
    assert (again.status, again.report_id, again.document_id) == ("unchanged", first.report_id, first.document_id)
    assert snapshot(engine) == before


def test_refetched_page_with_same_content_adds_no_version(engine, tmp_path) -> None:
    first = _load_path(engine, JIAXING)
    copy = tmp_path / "jiaxing-refetched.txt"
    copy.write_bytes(JIAXING.read_bytes() + b"\n\n")  # other bytes (a new view counter, a trailing line)
    again = _load_path(engine, copy)
    assert again.status == "unchanged" and again.report_id == first.report_id
    assert again.document_id != first.document_id
    c = counts(engine)
    assert (c["documents"], c["reports"], c["facts"]) == (2, 1, 200)
    with engine.connect() as conn:
        statuses = conn.execute(select(Document.status).order_by(Document.id)).scalars().all()
    assert statuses == ["loaded", "unchanged"]


def test_revised_report_becomes_a_new_version_and_the_old_is_kept(engine) -> None:
    old = _load_path(engine, JIAXING)
    new = _load_path(engine, MULTIYEAR / "jiaxing-eib-2022-revised.txt")
    assert (new.status, new.version) == ("revised", 2)
    with engine.connect() as conn:
        reports = conn.execute(
            select(Report.id, Report.version, Report.is_current, Report.superseded_by).order_by(Report.version)
        ).all()
        current_granted = (
            conn.execute(text("SELECT value FROM report_facts WHERE row_key = 'granted' AND column_key = 'total'"))
            .scalars()
            .all()
        )
        kept = conn.execute(
            text(
                f"SELECT value FROM facts WHERE report_id = {old.report_id} AND "
                "row_key = 'granted' AND column_key = 'total'"
            )
        ).scalar_one()
        wide = conn.execute(text("SELECT granted_total, unable_not_held_total FROM applications_by_year")).all()
    assert [tuple(r) for r in reports] == [(old.report_id, 1, False, new.report_id), (new.report_id, 2, True, None)]
    assert current_granted == [4] and kept == 3  # the view shows the revision; the original facts stay
    assert [tuple(w) for w in wide] == [(4, 1)]
    assert counts(engine)["facts"] == 400
    # the old document again: nothing changes, it does not come back as current
    again = _load_path(engine, JIAXING)
    assert again.status == "unchanged" and again.report_id == old.report_id
    with engine.connect() as conn:
        assert conn.execute(select(Report.id).where(Report.is_current)).scalars().all() == [new.report_id]


def test_unreadable_document_is_recorded_with_its_reason(engine, tmp_path) -> None:
    path = tmp_path / "notice.html"
    path.write_text("<html><body><p>关于开展安全生产检查的通知</p></body></html>", encoding="utf-8")
    result = _load_path(engine, path)
    assert result.status == "failed" and result.report_id is None and result.document_id is not None
    assert result.reason.startswith("not_a_report")
    with engine.connect() as conn:
        doc = conn.execute(select(Document.__table__)).one()
    assert doc.status == "failed" and doc.note == result.reason and doc.source == str(path)
    assert counts(engine)["reports"] == 0
    again = _load_path(engine, path)  # loading it again: still one document, still failed
    assert again.status == "failed" and counts(engine)["documents"] == 1


def test_failure_mid_report_leaves_nothing_partial(engine, monkeypatch) -> None:
    real = govreports.db.load.insert_facts

    def half_then_fail(conn, rows):
        rows = list(rows)
        real(conn, rows[: len(rows) // 2])  # half the facts are written, then the disk "fills up"
        raise OSError("No space left on device")

    monkeypatch.setattr(govreports.db.load, "insert_facts", half_then_fail)
    result = _load_path(engine, JIAXING)
    assert result.status == "failed" and "No space left on device" in result.reason
    c = counts(engine)
    assert (c["reports"], c["facts"], c["findings"], c["agencies"]) == (0, 0, 0, 0)
    assert orphan_facts(engine) == 0
    with engine.connect() as conn:
        doc = conn.execute(select(Document.__table__)).one()
    assert doc.status == "failed" and "No space left" in doc.note  # recorded, never dropped
    monkeypatch.setattr(govreports.db.load, "insert_facts", real)
    retry = _load_path(engine, JIAXING)  # the fault is gone: the same document now loads
    assert retry.status == "new" and retry.document_id == doc.id
    c = counts(engine)
    assert (c["documents"], c["reports"], c["facts"]) == (1, 1, 200)


def test_bulk_batch_with_one_bad_report_loads_the_others(engine) -> None:
    items = list(synthetic_batch(6, seed=3))
    items[2][0].facts[5].value = "12 件"  # a value no database column takes
    results = load_reports(engine, items, batch_size=10)
    assert [r.status for r in results] == ["new", "new", "failed", "new", "new", "new"]
    c = counts(engine)
    assert (c["documents"], c["reports"], c["facts"]) == (6, 5, 1000)
    assert orphan_facts(engine) == 0


def test_bulk_path_is_idempotent_and_equals_single_loads(engine) -> None:
    items = list(synthetic_batch(40, seed=1))
    results = load_reports(engine, items, batch_size=16)
    assert [r.status for r in results] == ["new"] * 40
    before = snapshot(engine)
    assert [r.status for r in load_reports(engine, items, batch_size=7)] == ["unchanged"] * 40
    assert snapshot(engine) == before
    assert counts(engine)["facts"] == 40 * 200
    # the same (agency, year) twice in one batch with different content: two versions, the later
    # published current (ordering by date is tested in test_versions.py)
    first, second = next(synthetic_batch(1, seed=1, variant=1)), next(synthetic_batch(1, seed=1, variant=2))
    results = load_reports(engine, [first, second])
    assert [(r.status, r.version) for r in results] == [("revised", 2), ("revised", 3)]
    with engine.connect() as conn:
        current = conn.execute(text("SELECT count(*) FROM reports WHERE is_current")).scalar_one()
    assert current == 40
    check_versions(engine)


def test_agency_identity_survives_a_renaming(engine) -> None:
    from govreports.db.load import register_agency

    _load_path(
        engine,
        MULTIYEAR / "jiaxing-eib-2021.txt",
        AgencyHint("嘉兴市经济和信息化局", "330400", "prefecture", parent="嘉兴市人民政府"),
    )
    with engine.begin() as conn:  # the agency was renamed: its old name becomes an alias
        register_agency(conn, AgencyHint("嘉兴市经济和信息化局"), aliases=["嘉兴市经济和信息化委员会"])
    renamed = parsers.parse_text(
        JIAXING.read_text(encoding="utf-8").replace("嘉兴市经济和信息化局", "嘉兴市经济和信息化委员会"), "renamed.txt"
    )
    assert renamed.agency == "嘉兴市经济和信息化委员会"
    result = load_report(engine, renamed, DocumentInfo("renamed.txt", renamed.content_hash))
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT agency, agency_canonical, region, year FROM applications_by_year ORDER BY year")
        ).all()
        parent = conn.execute(text("SELECT p.name FROM agencies a JOIN agencies p ON p.id = a.parent_id")).scalar_one()
    assert result.status == "new"
    assert [tuple(r) for r in rows] == [
        ("嘉兴市经济和信息化局", "嘉兴市经济和信息化局", "330400", 2021),
        ("嘉兴市经济和信息化委员会", "嘉兴市经济和信息化局", "330400", 2022),
    ]
    assert parent == "嘉兴市人民政府"


@pytest.mark.parametrize("bad", ["mysql://x@y/z", "not a url"])
def test_unsupported_urls_are_one_line_errors(bad) -> None:
    from govreports.db.engine import connect
    from govreports.db.errors import DatabaseError

    with pytest.raises(DatabaseError):
        connect(bad)


def test_a_transaction_lost_to_a_race_is_retried_whole(engine, monkeypatch, tmp_path) -> None:
    from sqlalchemy.exc import OperationalError

    real, calls = govreports.db.load.insert_facts, []

    def lose_once(conn, rows):
        rows = list(rows)
        calls.append(len(rows))
        if len(calls) == 1:
            raise OperationalError("COPY facts", {}, Exception("database is locked"))
        real(conn, rows)

    monkeypatch.setattr(govreports.db.load, "insert_facts", lose_once)
    notice = tmp_path / "notice.html"
    notice.write_text("<html><body><p>关于开展安全生产检查的通知</p></body></html>", encoding="utf-8")
    unreadable = parsers.parse_path(notice)
    jiaxing = parsers.parse_path(JIAXING)
    results = load_reports(
        engine,
        [(unreadable, DocumentInfo.from_path(notice, unreadable)), (jiaxing, DocumentInfo.from_path(JIAXING, jiaxing))],
    )
    assert [r.status for r in results] == ["failed", "new"]  # the retry keeps the unreadable one failed
    assert calls == [200, 200]
    c = counts(engine)
    assert (c["documents"], c["reports"], c["facts"]) == (2, 1, 200)
