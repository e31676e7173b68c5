"""Re-parsing what is stored: documents an older parser read are read again from the raw store and
loaded as new versions where they now read differently — nothing is fetched.

The database is filled "as the older parser 0.1.0 read it": the same bytes in the raw store, the
reports that parser gave (it could not read spreadsheets: ``unsupported_format``; it dropped a
number of one page), recorded with its version. The current parser then reads them again.
"""

from __future__ import annotations

import dataclasses

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from govreports import parsers
from govreports.api import reparse
from govreports.cli import cli
from govreports.db.failures import failures
from govreports.db.load import AgencyHint, DocumentInfo, load_reports
from govreports.db.stored import is_older, stale_documents, version_key
from govreports.parsers import Issue, Report, parse_bytes
from govreports.scraper.store import RawStore
from tests.support import FIXTURES, values
from tests.support.db import check_versions, facts_in
from tests.support.expected import MOUXIAN_GOV_2020, XIHU_EDU_2023

OLD = "0.1.0"
XLS = FIXTURES / "sheets" / "mouxian-gov-2020.xls"
PAGE = FIXTURES / "html" / "xihu-edu-2023.html"
SAME = FIXTURES / "html" / "lucheng-scjg-2021-transposed.html"
JUNK = FIXTURES / "bad" / "junk.bin"


@pytest.fixture
def no_network(monkeypatch):
    """Any HTTP request fails the test: re-parsing fetches nothing."""

    def refuse(*args, **kwargs):
        raise AssertionError("re-parsing tried to fetch")

    monkeypatch.setattr(httpx.Client, "send", refuse)
    monkeypatch.setattr(httpx.AsyncClient, "send", refuse)


def _old(report: Report) -> Report:
    return dataclasses.replace(report, parser_version=OLD)


def _stored(engine, store: RawStore) -> dict[str, str]:
    """Four documents as 0.1.0 read them, their bytes in the raw store; source → raw path."""
    items, paths = [], {}
    for path, url in (
        (XLS, "http://gov.example/attach/mouxian-2020.xls"),
        (PAGE, "http://gov.example/xihu/2023.html"),
        (SAME, "http://gov.example/lucheng/2021.html"),
        (JUNK, "http://gov.example/attach/junk.bin"),
    ):
        data = path.read_bytes()
        _, rel = store.put(data, path.suffix.lstrip("."))
        paths[url] = rel
        report = parse_bytes(data, url)
        if path == XLS:  # 0.1.0 did not read spreadsheets
            report = Report(url, content_hash=report.content_hash, format=None)
            report.issues.append(Issue("unsupported_format", "error", "Excel (.xls) attachments are not read"))
        if path == PAGE:  # …and lost the 行政许可 number of this page
            report.facts = [
                dataclasses.replace(f, value=None, raw=None) if (f.table, f.row) == ("active", "licensing") else f
                for f in report.facts
            ]
        items.append((_old(report), DocumentInfo.from_bytes(data, report, raw_path=rel), None))
    results = load_reports(engine, items)
    assert [r.status for r in results] == ["failed", "new", "new", "failed"]
    return paths


def test_versions_order_numerically() -> None:
    assert version_key("0.10.0") > version_key("0.9.1") > version_key("0.9") > version_key(None)
    assert is_older(None) and is_older("0.1.0") and not is_older(parsers.PARSER_VERSION)


def test_reparse_loads_what_now_reads_differently(engine, tmp_path, no_network) -> None:
    store = RawStore(root=tmp_path / "raw")
    _stored(engine, store)
    assert {d.source for d in stale_documents(engine)} == {
        "http://gov.example/attach/mouxian-2020.xls",
        "http://gov.example/xihu/2023.html",
        "http://gov.example/lucheng/2021.html",
        "http://gov.example/attach/junk.bin",
    }

    results = {r.source: r for r in reparse(engine, store=tmp_path / "raw")}

    xls = results["http://gov.example/attach/mouxian-2020.xls"]
    assert (xls.status, xls.agency, xls.year, xls.version) == ("new", "某某县人民政府办公室", 2020, 1)
    page = results["http://gov.example/xihu/2023.html"]
    assert (page.status, page.version) == ("revised", 2)
    assert results["http://gov.example/lucheng/2021.html"].status == "unchanged"
    junk = results["http://gov.example/attach/junk.bin"]
    assert (junk.status, junk.reason) == ("failed", "unreadable: binary data that is not a PDF, DOCX or web page")

    facts = facts_in(engine)  # the current versions
    assert facts[("某某县人民政府办公室", 2020)] == MOUXIAN_GOV_2020
    assert facts[("杭州市西湖区教育局", 2023)] == XIHU_EDU_2023
    check_versions(engine)
    with engine.connect() as conn:
        versions = conn.execute(
            text(
                "SELECT r.version, r.is_current, r.parser_version, d.source FROM reports r "
                "JOIN documents d ON d.id = r.document_id JOIN agencies a ON a.id = r.agency_id "
                "WHERE a.name = '杭州市西湖区教育局' ORDER BY r.version"
            )
        ).all()
        docs = dict(conn.execute(text("SELECT source, status || ' ' || parser_version FROM documents")).all())
    # the old reading stays as version 1, by 0.1.0, of the same document
    assert [(v, bool(c), p) for v, c, p, _ in versions] == [(1, False, OLD), (2, True, parsers.PARSER_VERSION)]
    assert {s for *_, s in versions} == {"http://gov.example/xihu/2023.html"}
    now = parsers.PARSER_VERSION
    assert docs == {
        "http://gov.example/attach/mouxian-2020.xls": f"loaded {now}",
        "http://gov.example/xihu/2023.html": f"loaded {now}",
        "http://gov.example/lucheng/2021.html": f"loaded {now}",
        "http://gov.example/attach/junk.bin": f"failed {now}",
    }
    # the spreadsheet's failure is resolved by the document that now loads; the junk stays open
    assert failures(engine)["source"].tolist() == ["http://gov.example/attach/junk.bin"]

    # a second run finds nothing older than the parser
    assert stale_documents(engine) == [] and reparse(engine, store=tmp_path / "raw") == []


def test_raw_copies_gone_or_changed_are_reported_and_left(engine, tmp_path, no_network) -> None:
    store = RawStore(root=tmp_path / "raw")
    paths = _stored(engine, store)
    store.path(paths["http://gov.example/xihu/2023.html"]).unlink()
    store.path(paths["http://gov.example/lucheng/2021.html"]).write_bytes(b"<html>another page</html>")
    results = {r.source: r for r in reparse(engine, store=tmp_path / "raw")}
    assert results["http://gov.example/xihu/2023.html"].status == "missing"
    assert "no longer holds the bytes" in results["http://gov.example/lucheng/2021.html"].reason
    assert results["http://gov.example/attach/mouxian-2020.xls"].status == "new"
    with engine.connect() as conn:
        left = dict(conn.execute(text("SELECT source, parser_version FROM documents")).all())
    # what could not be read back keeps its old parser version: a later reparse tries it again
    assert left["http://gov.example/xihu/2023.html"] == OLD
    assert left["http://gov.example/lucheng/2021.html"] == OLD


def test_files_loaded_from_disk_are_read_where_they_were(engine, tmp_path, no_network) -> None:
    path = tmp_path / "mouxian.xls"
    path.write_bytes(XLS.read_bytes())
    report = Report(str(path), content_hash=parse_bytes(path.read_bytes()).content_hash)
    report.issues.append(Issue("unsupported_format", "error", "not read"))
    load_reports(engine, [(_old(report), DocumentInfo.from_path(path, report), AgencyHint("某某县人民政府办公室"))])
    [result] = reparse(engine, store=tmp_path / "empty-store")
    assert (result.status, result.source, result.year) == ("new", str(path), 2020)
    assert values(parsers.parse_path(path)) == MOUXIAN_GOV_2020


def test_cli_reparse(db_url, tmp_path, no_network) -> None:
    from govreports.db.engine import connect

    engine = connect(db_url)
    _stored(engine, RawStore(root=tmp_path / "raw"))
    engine.dispose()
    run = CliRunner().invoke(cli, ["reparse", "--db", db_url, "--store", str(tmp_path / "raw")])
    assert run.exit_code == 0, run.output
    assert "new       某某县人民政府办公室 2020 v1  http://gov.example/attach/mouxian-2020.xls" in run.output
    assert "revised   杭州市西湖区教育局 2023 v2  http://gov.example/xihu/2023.html" in run.output
    assert "4 documents re-parsed: 1 new, 1 revised, 1 unchanged, 1 failed, 0 missing" in run.output
    again = CliRunner().invoke(cli, ["reparse", "--db", db_url, "--store", str(tmp_path / "raw")])
    assert again.exit_code == 0 and "0 documents re-parsed" in again.output
