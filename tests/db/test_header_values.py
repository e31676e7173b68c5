"""Header values are stored as the server sent them: a Content-Type past 100 characters loads on
both databases, with the good sources of the same run; and recording a failure cannot fail for
the reason the load failed."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

import govreports.db.load
from govreports import api
from govreports.cli import cli
from govreports.db.engine import connect
from govreports.db.models import Document
from govreports.demo.server import Farm
from govreports.demo.site import Response, Site
from tests.support import JIAXING, MULTIYEAR

LONG_TYPE = "text/plain; charset=utf-8; " + "; ".join(f"x-param{n}=value{n}" for n in range(12))


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_long_content_type_is_stored_whole_beside_the_other_sources(db_url) -> None:
    assert len(LONG_TYPE) > 200
    site = Site("long-type", robots=None)
    site.pages["/report.txt"] = Response(200, JIAXING.read_bytes(), LONG_TYPE)
    other = MULTIYEAR / "haining-city-2022.txt"
    with Farm([site]) as farm:
        url = farm.url(site, "/report.txt")
        result = run("load", "--allow-private", "--db", db_url, url, other)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"new       嘉兴市经济和信息化局 2022 v1  {url}"
    engine = connect(db_url)
    with engine.connect() as conn:
        types = dict(conn.execute(select(Document.source, Document.content_type)).all())
    engine.dispose()
    assert types[url] == LONG_TYPE and set(types) == {url, str(other)}
    assert api.failures(db=db_url).empty


def test_a_failure_whose_document_cannot_be_written_is_still_recorded(db_url, monkeypatch) -> None:
    def disk_full(conn, rows):
        raise OSError("No space left on device")

    real_row = govreports.db.load._doc_row

    def doc_row(doc, status, note, report):  # the failed document's row fails as the report's write did
        if status == "failed":
            raise OSError("No space left on device")
        return real_row(doc, status, note, report)

    monkeypatch.setattr(govreports.db.load, "insert_facts", disk_full)
    monkeypatch.setattr(govreports.db.load, "_doc_row", doc_row)
    result = run("load", "--db", db_url, JIAXING)
    assert result.exit_code == 3, result.output  # recorded and retried, not a fatal error
    frame = api.failures(db=db_url)
    assert list(frame["source"]) == [str(JIAXING)] and list(frame["stage"]) == ["store"]
    assert frame.loc[0, "error"] == (
        "load failed: OSError: No space left on device (document not recorded: No space left on device)"
    )
    assert frame["document_id"].isna().all()
