"""The raw store on S3-compatible object storage (a local moto server): the nightly job writes to it, a
304 reads the previous bytes back from it, and ``govreports reparse`` reads from it."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from click.testing import CliRunner

from govreports.api import reparse
from govreports.cli import cli
from govreports.db.load import DocumentInfo, load_reports
from govreports.demo.farm import agencies, demo_sites
from govreports.demo.server import Farm
from govreports.parsers import parse_bytes
from govreports.scraper.state import MemoryState
from govreports.scraper.store import RawStore, StoreError
from tests.support import FIXTURES
from tests.support.crawling import settings
from tests.support.s3 import s3_server

PAGE = FIXTURES / "html" / "xihu-edu-2023.html"


@pytest.fixture
def s3():
    with s3_server() as bucket:
        yield bucket


def test_keys_are_content_addressed_and_written_once(s3) -> None:
    store = RawStore(root=s3.url, options=s3.options)
    digest, rel = store.put(b"<html>report</html>", "html")
    assert digest == hashlib.sha256(b"<html>report</html>").hexdigest()
    assert rel == f"{digest[:2]}/{digest[2:4]}/{digest}.html"
    # a second worker writing the same document: the same key, the same bytes, one object
    other = RawStore(root=s3.url, options=s3.options)
    assert other.put(b"<html>report</html>", "html") == (digest, rel)
    assert other.get(rel) == b"<html>report</html>" and other.keys() == [rel]
    with pytest.raises(FileNotFoundError):
        store.get(f"{'0' * 2}/{'0' * 2}/{'0' * 64}.pdf")
    with pytest.raises(ValueError, match="not a key"):
        store.get("../../etc/passwd")
    with pytest.raises(ValueError, match="not a local folder"):
        store.path(rel)


def test_bad_store_options_are_one_clear_error(s3) -> None:
    with pytest.raises(StoreError, match="STORE_OPTIONS is not JSON"):
        RawStore(settings(STORE_DIR=s3.url, STORE_OPTIONS="{endpoint"))
    with pytest.raises(StoreError, match="must be a JSON object"):
        RawStore(settings(STORE_DIR=s3.url, STORE_OPTIONS="[1]"))


def test_nightly_job_writes_to_s3_and_a_304_reads_it_back(s3, monkeypatch) -> None:
    from govreports.pipeline import NightlyJob

    loaded = []
    read_back: list[tuple[str, bytes]] = []
    get = RawStore.get

    def counting_get(self, rel):
        data = get(self, rel)
        read_back.append((rel, data))
        return data

    monkeypatch.setattr(RawStore, "get", counting_get)
    sites = demo_sites()
    state = MemoryState()
    job = NightlyJob(
        settings(STORE_DIR=s3.url, STORE_OPTIONS=s3.options_json),
        state,
        lambda report, document, agency: loaded.append(document) or "new",
    )
    with Farm(sites) as farm:
        first = job.run(agencies(farm, sites))
        assert read_back == []  # nothing to revalidate on the first night
        second = job.run(agencies(farm, sites))
    assert first.totals()["new"] == 15 and len(loaded) == 15
    assert second.totals()["new"] == 0 and second.totals()["changed"] == 0
    store = RawStore(root=s3.url, options=s3.options)
    keys = set(store.keys())
    # every loaded document's bytes are in the bucket under their own hash
    for document in loaded:
        assert document.raw_path in keys
        assert hashlib.sha256(store.get(document.raw_path)).hexdigest() == document.content_hash
    # the second night's 304s were answered from the bucket, with the bytes the first night stored
    assert len(read_back) >= 15
    for rel, data in read_back:
        assert rel in keys and rel.split("/")[-1].startswith(hashlib.sha256(data).hexdigest())


def test_reparse_reads_from_s3(s3, engine, db_url, monkeypatch) -> None:
    store = RawStore(root=s3.url, options=s3.options)
    data = PAGE.read_bytes()
    _, rel = store.put(data, "html")
    url = "http://gov.example/xihu/2023.html"
    report = parse_bytes(data, url)
    # as an older parser read it: one number lost
    old = dataclasses.replace(
        report,
        parser_version="0.1.0",
        facts=[
            dataclasses.replace(f, value=None, raw=None) if (f.table, f.row) == ("active", "licensing") else f
            for f in report.facts
        ],
    )
    assert [
        r.status for r in load_reports(engine, [(old, DocumentInfo.from_bytes(data, old, raw_path=rel), None)])
    ] == ["new"]
    monkeypatch.setenv("GOVREPORTS_STORE_OPTIONS", s3.options_json)
    run = CliRunner().invoke(cli, ["reparse", "--db", db_url, "--store", s3.url])
    assert run.exit_code == 0, run.output
    assert url in run.output
    assert "1 revised" in run.output and "0 missing" in run.output
    assert reparse(engine, store=s3.url) == []  # every stored document now read by this parser
