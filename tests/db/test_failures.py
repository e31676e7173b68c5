"""Sources that fail to load are recorded in ``load_failures``, the others go on, a later load resolves them."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

import govreports.db.load
from govreports import api
from govreports.cli import cli
from govreports.db.engine import connect
from govreports.db.failures import Failure, record_failure
from govreports.db.models import Document, LoadFailure
from tests.support import JIAXING
from tests.support.db import counts
from tests.support.hostile import html_nested

NOTICE = "<html><body><p>关于开展安全生产检查的通知</p></body></html>"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


class Site:
    """A server of our own on 127.0.0.1: ``/report.txt`` is the Jiaxing report, or a 500 while ``broken``."""

    def __init__(self) -> None:
        self.broken = True
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if site.broken or self.path != "/report.txt":
                    self.send_response(500 if site.broken else 404)
                    self.end_headers()
                    return
                body = JIAXING.read_bytes() + b"\n\n"  # other bytes, same report: its own document
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/report.txt"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.server.shutdown()


def closed_port_url() -> str:
    with socket.socket() as s:  # a port that was free a moment ago and that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/report.txt"


def open_failures(db_url: str) -> dict[str, tuple]:
    frame = api.failures(db=db_url)
    return {r.source: (r.stage, r.attempts, r.error) for r in frame.itertuples()}


@pytest.mark.slow
def test_failed_fetch_and_read_are_recorded_the_rest_loads_and_a_rerun_resolves(db_url, site, tmp_path) -> None:
    dead = closed_port_url()
    unreadable = tmp_path / "moved-away.txt"
    unreadable.symlink_to(tmp_path / "nowhere.txt")  # listed, but its target is gone: cannot be read
    first = run("load", "--allow-private", "--db", db_url, site.url, dead, unreadable, JIAXING)
    assert first.exit_code == 3, first.output
    lines = first.output.splitlines()
    # robots.txt answers 500 too: nothing of the host is fetched (RFC 9309), and the report is a failure
    unread = "the host is not fetched this run (recorded; run again to retry)"
    assert f"could not fetch {site.url}: robots.txt could not be read (HTTP 500): {unread}" in lines
    assert any(
        line.startswith(f"could not fetch {dead}: robots.txt could not be read (ConnectError") and line.endswith(unread)
        for line in lines
    )
    assert f"could not read {unreadable}: No such file or directory (recorded; run again to retry)" in lines
    assert f"new       嘉兴市经济和信息化局 2022 v1  {JIAXING}" in lines  # the others went on
    assert "4 sources: 1 new, 0 revised, 0 unchanged, 3 failed" in lines
    assert lines[-1] == "Error: 3 of 4 sources failed; see `govreports failures`"
    failed = open_failures(db_url)
    assert {s: v[:2] for s, v in failed.items()} == {
        site.url: ("fetch", 1),
        dead: ("fetch", 1),
        str(unreadable): ("read", 1),
    }

    again = run(
        "load", "--allow-private", "--db", db_url, site.url, dead
    )  # still down: one more attempt each, no new rows
    assert again.exit_code == 3
    assert {s: v[:2] for s, v in open_failures(db_url).items()} == {
        site.url: ("fetch", 2),
        dead: ("fetch", 2),
        str(unreadable): ("read", 1),
    }

    site.broken = False  # the server is back
    unreadable.unlink()
    unreadable.write_bytes(JIAXING.read_bytes() + b"\n")  # and the file is there again
    fixed = run("load", "--allow-private", "--db", db_url, site.url, unreadable)
    assert fixed.exit_code == 0, fixed.output
    assert fixed.output.splitlines()[0] == f"unchanged 嘉兴市经济和信息化局 2022  {site.url}"
    assert set(open_failures(db_url)) == {dead}
    every = api.failures(include_resolved=True, db=db_url).set_index("source")
    assert every.loc[site.url, "attempts"] == 2 and every.loc[str(unreadable), "attempts"] == 1
    engine = connect(db_url)
    with engine.connect() as conn:
        docs = dict(conn.execute(select(Document.source, Document.id)).all())
    engine.dispose()
    assert every.loc[site.url, "resolved_document_id"] == docs[site.url]
    assert every.loc[str(unreadable), "resolved_document_id"] == docs[str(unreadable)]
    assert (
        pd.isna(every.loc[dead, "resolved_at"])
        and every.loc[site.url, "resolved_at"] >= every.loc[site.url, "last_failed_at"]
    )


def test_store_failure_is_recorded_with_its_document_and_resolved_by_a_later_load(db_url, monkeypatch) -> None:
    real = govreports.db.load.insert_facts

    def disk_full(conn, rows):
        raise OSError("No space left on device")

    monkeypatch.setattr(govreports.db.load, "insert_facts", disk_full)
    for attempt in (1, 2):
        result = run("load", "--db", db_url, JIAXING)
        assert result.exit_code == 3
        assert result.output.splitlines()[0] == (
            f"could not store {JIAXING}: load failed: OSError: No space left on device (recorded; run again to retry)"
        )
        frame = api.failures(db=db_url)
        assert list(frame["source"]) == [str(JIAXING)] and list(frame["stage"]) == ["store"]
        assert list(frame["attempts"]) == [attempt]
    engine = connect(db_url)
    assert (counts(engine)["documents"], counts(engine)["reports"]) == (1, 0)
    with engine.connect() as conn:
        doc_id = conn.execute(select(Document.id)).scalar_one()
    assert frame.loc[0, "document_id"] == doc_id
    monkeypatch.setattr(govreports.db.load, "insert_facts", real)
    assert run("load", "--db", db_url, JIAXING).exit_code == 0
    assert api.failures(db=db_url).empty
    resolved = api.failures(include_resolved=True, db=db_url)
    assert list(resolved["resolved_document_id"]) == [doc_id] and counts(engine)["reports"] == 1
    engine.dispose()


def test_a_document_that_is_no_report_is_a_parse_failure(db_url, tmp_path) -> None:
    notice = tmp_path / "notice.html"
    notice.write_text(NOTICE, encoding="utf-8")
    result = run("load", "--db", db_url, notice, JIAXING)
    assert result.exit_code == 3
    assert f"could not parse {notice}: not_a_report" in result.output
    assert {s: v[:2] for s, v in open_failures(db_url).items()} == {str(notice): ("parse", 1)}


@pytest.mark.slow
def test_a_document_past_the_time_limit_is_a_parse_failure_and_the_rest_loads(db_url, tmp_path, monkeypatch) -> None:
    """The sandbox's deadline (PARSE_TIMEOUT) holds in `load`: the hostile page is recorded with its reason."""
    monkeypatch.setenv("GOVREPORTS_PARSE_MAX_DEPTH", str(10**9))  # the readers' own check out of the way
    monkeypatch.setenv("GOVREPORTS_PARSE_TIMEOUT", "2")
    slow = tmp_path / "slow.html"
    slow.write_bytes(html_nested("div", 100_000, closed=False))  # minutes in lexbor without the depth check
    result = run("load", "--db", db_url, slow, JIAXING)
    assert result.exit_code == 3, result.output
    reason = "too_slow: parsing took longer than 2 seconds, the limit (PARSE_TIMEOUT)"
    assert f"could not parse {slow}: {reason}" in result.output
    assert "new       嘉兴市经济和信息化局 2022" in result.output
    failures = open_failures(db_url)
    assert {s: v[:2] for s, v in failures.items()} == {str(slow): ("parse", 1)}


def test_fail_fast_stops_at_the_first_failure(db_url, tmp_path) -> None:
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "nowhere.txt")
    result = run("load", "--db", db_url, "--fail-fast", broken, JIAXING)
    assert result.exit_code == 3
    assert result.output.splitlines()[-1] == (
        "Error: 1 of 1 sources failed, stopped at the first (--fail-fast); see `govreports failures`"
    )
    engine = connect(db_url)
    assert counts(engine)["documents"] == 0  # JIAXING was never tried
    engine.dispose()
    assert run("load", "--db", db_url, "--fail-fast", JIAXING).exit_code == 0


def test_strict_tries_everything_and_exits_1_on_a_failure(db_url, tmp_path) -> None:
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "nowhere.txt")
    result = run("load", "--db", db_url, "--strict", broken, JIAXING)
    assert result.exit_code == 1
    assert f"new       嘉兴市经济和信息化局 2022 v1  {JIAXING}" in result.output.splitlines()  # still loaded
    assert result.output.splitlines()[-1] == "Error: 1 of 2 sources failed; see `govreports failures` (--strict)"
    assert run("load", "--db", db_url, "--strict", JIAXING).exit_code == 0


def test_fatal_errors_exit_1(tmp_path) -> None:
    assert run("load", "--db", "oracle://x", JIAXING).exit_code == 1
    assert run("load", "--db", f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "no-such-file.txt").exit_code == 1
    assert run("failures", "--db", "postgresql://postgres@127.0.0.1:1/test").exit_code == 1


def test_failures_command_formats(db_url, tmp_path) -> None:
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "nowhere.txt")
    assert run("load", "--db", db_url, broken).exit_code == 3
    table = run("failures", "--db", db_url)
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split() == ["source", "stage", "attempts", "last_failed_at", "error"]
    assert str(broken) in table.output and "No such file or directory" in table.output
    rows = [json.loads(line) for line in run("failures", "--db", db_url, "--format", "json").output.splitlines()]
    assert [(r["source"], r["stage"], r["attempts"], r["resolved_at"]) for r in rows] == [
        (str(broken), "read", 1, None)
    ]
    assert rows[0]["first_failed_at"].endswith("+00:00")
    csv = pd.read_csv(io.StringIO(run("failures", "--db", db_url, "--format", "csv").output))
    assert list(csv.columns) == [
        "source",
        "stage",
        "error",
        "attempts",
        "first_failed_at",
        "last_failed_at",
        "document_id",
        "resolved_at",
        "resolved_document_id",
    ]
    assert list(csv["source"]) == [str(broken)]
    broken.unlink()
    broken.write_bytes(JIAXING.read_bytes())
    assert run("load", "--db", db_url, broken).exit_code == 0
    assert run("failures", "--db", db_url).output.strip() == "(no rows)"
    every = run("failures", "--db", db_url, "--all")
    assert every.output.splitlines()[0].split()[-1] == "resolved_at" and str(broken) in every.output


def test_failures_frame_has_the_same_dtypes_on_both_databases(engine) -> None:
    dtypes = {
        "source": "object",
        "stage": "object",
        "error": "object",
        "attempts": "Int64",
        "first_failed_at": "datetime64[us, UTC]",
        "last_failed_at": "datetime64[us, UTC]",
        "document_id": "Int64",
        "resolved_at": "datetime64[us, UTC]",
        "resolved_document_id": "Int64",
    }
    assert {c: str(t) for c, t in api.failures(db=engine).dtypes.items()} == dtypes  # empty
    before = datetime.now(UTC)
    record_failure(engine, Failure("https://example.gov.cn/x.html", "fetch", "HTTP 503"))
    frame = api.failures(db=engine)
    assert {c: str(t) for c, t in frame.dtypes.items()} == dtypes
    row = frame.iloc[0]
    assert (row["source"], row["stage"], row["error"], row["attempts"]) == (
        "https://example.gov.cn/x.html",
        "fetch",
        "HTTP 503",
        1,
    )
    assert abs(row["first_failed_at"] - pd.Timestamp(before)) < pd.Timedelta(minutes=1)  # UTC on both databases
    assert pd.isna(row["document_id"]) and pd.isna(row["resolved_at"])


def test_at_most_one_open_failure_per_source(engine) -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    row = {
        "source": "x.txt",
        "stage": "read",
        "error": "e",
        "attempts": 1,
        "first_failed_at": when,
        "last_failed_at": when,
    }
    with engine.begin() as conn:
        conn.execute(insert(LoadFailure), {**row, "resolved_at": when})
        conn.execute(insert(LoadFailure), row)  # a resolved one and an open one: fine
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(LoadFailure), row)  # a second open one: refused by the database
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM load_failures")).scalar_one() == 2
