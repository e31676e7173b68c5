"""The db commands end to end through the CLI, and their one-line errors."""

from __future__ import annotations

import io

import pandas as pd
from click.testing import CliRunner

from govreports.cli import cli
from govreports.db.engine import head_revision, upgrade
from tests.support import JIAXING, MULTIYEAR, REGISTRY


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_load_check_compare_query_export(db_url, tmp_path) -> None:
    first = run("load", "--db", db_url, "--agencies", REGISTRY, JIAXING, MULTIYEAR)
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[0] == f"new       嘉兴市经济和信息化局 2022 v1  {JIAXING}"
    assert "revised   嘉兴市经济和信息化局 2022 v2  " in first.output
    assert lines[-1] == "8 sources: 7 new, 1 revised, 0 unchanged, 0 failed"
    again = run("load", "--db", db_url, JIAXING, MULTIYEAR)
    assert again.output.splitlines()[-1] == "8 sources: 0 new, 0 revised, 8 unchanged, 0 failed"

    check = run("check", "--db", db_url)
    assert check.exit_code == 0
    assert (
        "error   X1 嘉兴市经济和信息化局 2023: natural_person: carried_over 1 ≠ carried_forward 0 of 2022"
        in check.output
    )
    assert check.output.splitlines()[-1] == "3 cross-year findings (2 errors, 1 warnings)"
    assert run("check", "--db", db_url, "--strict").exit_code == 1

    trend = run("compare", "--db", db_url, "--agency", "嘉兴市经济和信息化局", "--format", "csv")
    frame = pd.read_csv(io.StringIO(trend.output))
    assert list(frame["year"]) == [2020, 2021, 2022, 2023] and list(frame["granted_total"]) == [1, 3, 4, 5]
    side = run("compare", "--db", db_url, "--year", "2022", "--region", "330400", "--format", "csv")
    assert len(pd.read_csv(io.StringIO(side.output))) == 4
    neither = run("compare", "--db", db_url)
    assert neither.exit_code == 1 and neither.output.startswith("Error: give either --agency")

    q = run("query", "--db", db_url, "--view", "applications", "--agency", "财政", "--format", "csv")
    assert q.exit_code == 0 and "嘉兴市财政局" in q.output

    out = tmp_path / "rates.parquet"
    exp = run("export", "report_rates", "--db", db_url, "--format", "parquet", "-o", out)
    assert exp.exit_code == 0 and len(pd.read_parquet(out)) == 7
    bad = run("export", "no_such_view", "--db", db_url, "-o", tmp_path / "x.csv")
    assert bad.exit_code == 1 and bad.output.startswith("Error: no view 'no_such_view'")


def test_unreachable_database_is_a_one_line_error() -> None:
    result = run("query", "--db", "postgresql://postgres@127.0.0.1:1/test")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot open postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert len(result.output.strip().splitlines()) == 1
    assert run("load", "--db", "oracle://x", JIAXING).exit_code == 1


def test_failed_documents_are_listed_and_the_exit_status_says_so(db_url, tmp_path) -> None:
    notice = tmp_path / "notice.html"
    notice.write_text("<html><body><p>关于开展安全生产检查的通知</p></body></html>", encoding="utf-8")
    result = run("load", "--db", db_url, notice, JIAXING)
    assert result.exit_code == 3  # some sources failed; more in test_failures.py
    assert f"could not parse {notice}: not_a_report" in result.output
    assert "2 sources: 1 new, 0 revised, 0 unchanged, 1 failed" in result.output.splitlines()


def test_migrations_go_down_and_up(engine) -> None:
    from sqlalchemy import inspect

    # initial, crawl, failures, narrow facts, currency, queue, parser versions, header text, coverage, hints,
    # OCR marks
    assert head_revision() == "0011_ocr_marks"
    from govreports.db.engine import downgrade

    downgrade(engine, "base")
    assert not set(inspect(engine).get_table_names()) & {
        "fact_values",
        "fact_keys",
        "reports",
        "crawl_fetches",
        "crawl_runs",
        "crawl_run_agencies",
        "load_failures",
    }
    assert inspect(engine).get_view_names() == []
    upgrade(engine)
    assert {
        "fact_values",
        "fact_keys",
        "reports",
        "documents",
        "agencies",
        "findings",
        "crawl_fetches",
        "crawl_runs",
        "crawl_blocks",
        "crawl_run_agencies",
        "load_failures",
    } <= set(inspect(engine).get_table_names())
    assert set(inspect(engine).get_view_names()) == {
        "facts",
        "report_facts",
        "applications_by_year",
        "active_by_year",
        "review_litigation_by_year",
        "report_rates",
        "coverage",
    }


def test_load_from_a_url_records_where_it_came_from(db_url, tmp_path) -> None:
    """A report served over HTTP (a server of our own on 127.0.0.1) loads with its URL and fetch time."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from sqlalchemy import select

    from govreports.db.engine import connect
    from govreports.db.models import Document

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "report.txt").write_bytes(JIAXING.read_bytes())

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = partial(Quiet, directory=str(tmp_path / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/report.txt"
    try:
        result = run("load", "--allow-private", "--db", db_url, url)
        missing = run("load", "--allow-private", "--db", db_url, url.replace("report.txt", "gone.txt"))
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"new       嘉兴市经济和信息化局 2022 v1  {url}"
    assert missing.exit_code == 3 and "HTTP 404 (recorded; run again to retry)" in missing.output
    engine = connect(db_url)
    with engine.connect() as conn:
        doc = conn.execute(select(Document.__table__)).one()  # the missing one is a load failure, not a document
    engine.dispose()
    assert doc.source == url and doc.raw_path is None and doc.fetched_at is not None
    assert doc.content_type.startswith("text/plain") and doc.size == JIAXING.stat().st_size
