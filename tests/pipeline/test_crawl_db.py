"""End to end: imitation sites → crawl → parse → load into SQLite and PostgreSQL; exact facts in the
database, a second run that fetches no report, and a run killed midway that ends like an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from govreports.db.engine import connect, resolve_url
from govreports.demo.farm import agencies, demo_sites
from govreports.demo.generic import JIAXING
from govreports.demo.server import Farm
from govreports.parsers import parse_path
from govreports.pipeline import NightlyJob, SQLState, db_loader
from tests.support import FIXTURES, values
from tests.support.crawling import REPORT_PATHS, correct_report, settings, site_reports
from tests.support.db import facts_in

# the same switch as the db tests: set (as .ci/run does) the PostgreSQL tests must run, unset they skip
PG_ADMIN = os.environ.get("GOVREPORTS_TEST_POSTGRES")


def _pg_url():
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if not PG_ADMIN:
        pytest.skip("PostgreSQL tests skipped: set GOVREPORTS_TEST_POSTGRES=postgresql://user@host:port/db to run them")
    url = resolve_url(PG_ADMIN)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"govreports_crawl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, name, url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crawl.db'}"
        return
    admin, name, url = _pg_url()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def test_demo_sites_into_the_database(db_url, tmp_path) -> None:
    sites = demo_sites()
    engine = connect(db_url)
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine))
    with Farm(sites) as farm:
        first = job.run(agencies(farm, sites))
        for s in sites:
            s.log.clear()
        second = job.run(agencies(farm, sites))
        refetched = [t for s in sites for p in REPORT_PATHS for t in s.served(p, 200) if s.validators != "none"]
        expected = {(r.agency, r.year): values(r.report) for s in sites for r in site_reports(s)}
        before = facts_in(engine)
        # the agency corrects its 2023 report
        corrected = correct_report(sites[0], 2023)
        third = job.run(agencies(farm, sites))
    assert first.totals() == {
        "new": 15,
        "changed": 0,
        "unchanged": 0,
        "failed": 0,
        "unreadable": 0,
        "skipped": 1,
        "blocked": 1,
        "agencies": 5,
    }
    assert (second.totals()["new"], second.totals()["changed"], refetched) == (0, 0, [])
    expected[(JIAXING, 2022)] = {
        (f.table, f.row, f.column): f.value for f in parse_path(FIXTURES / "samples" / "jiaxing-eib-2022.txt").facts
    }
    assert before == expected
    assert (third.totals()["new"], third.totals()["changed"]) == (0, 1)
    expected[("江南市财政局", 2023)] = values(corrected.report)
    assert facts_in(engine) == expected  # the current version carries the correction
    with engine.connect() as conn:
        versions = conn.execute(
            text(
                "SELECT version, is_current FROM reports WHERE agency_name = '江南市财政局' "
                "AND year = 2023 ORDER BY version"
            )
        ).all()
    assert versions == [(1, False), (2, True)]
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT status, counts FROM crawl_runs ORDER BY id")).all()
        blocks = conn.execute(text("SELECT agency, status, evidence FROM crawl_blocks")).all()
        raw = conn.execute(
            text(
                "SELECT raw_path FROM documents d JOIN reports r ON r.document_id = d.id "
                "WHERE r.agency_name = :a AND r.year = 2020"
            ),
            {"a": "江南市财政局"},
        ).scalar()
    assert [r[0] for r in runs] == ["finished", "finished", "finished"]
    assert blocks == [("江北市人民政府", 412, "HTTP 412 with a $_ts challenge script (Ruishu)")]
    assert raw and (tmp_path / "raw" / raw).read_bytes().startswith(b"<html xmlns:o=")  # the .doc attachment


def _registry(path: Path, farm: Farm, sites) -> Path:
    lines = []
    for a in agencies(farm, sites):
        lines += [
            "[[agency]]",
            f'name = "{a.name}"',
            f'start_url = "{a.start_url}"',
            f'region_code = "{a.region_code}"',
            'seen_at = "imitation site"',
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _crawl_cmd(registry: Path, db: str, store: Path) -> list[str]:
    return [
        str(Path(sys.executable).parent / "govreports"),
        "crawl",
        "--registry",
        str(registry),
        "--db",
        db,
        "--store",
        str(store),
        "--allow-private",
        "--delay",
        "0.01",
    ]


def _children(pid: int) -> list[int]:
    """Child processes of ``pid`` (Linux /proc): the crawl's parse workers."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _snapshot(db: str) -> dict:
    engine = create_engine(db)
    with engine.connect() as conn:
        return {
            "reports": sorted(
                conn.execute(
                    text("SELECT agency_name, year, version, is_current, template, title, published FROM reports")
                ).all()
            ),
            "facts": sorted(
                conn.execute(
                    text(
                        "SELECT r.agency_name, r.year, f.table_name, f.row_key, f.column_key, f.value FROM facts f "
                        "JOIN reports r ON r.id = f.report_id"
                    )
                ).all()
            ),
            "documents": sorted(conn.execute(text("SELECT content_hash, raw_path, status FROM documents")).all()),
            "fetches": sorted(
                conn.execute(
                    text("SELECT url, kind, content_hash, complete FROM crawl_fetches WHERE kind != 'list'")
                ).all()
            ),
        }


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_database(tmp_path) -> None:
    sites = demo_sites()[:4]
    with Farm(sites) as farm:
        registry = _registry(tmp_path / "agencies.toml", farm, sites)
        whole = f"sqlite:///{tmp_path / 'whole.db'}"
        subprocess.run(
            _crawl_cmd(registry, whole, tmp_path / "raw-whole"), check=True, capture_output=True, timeout=120
        )
        for s in sites:
            s.log.clear()
        killed = f"sqlite:///{tmp_path / 'killed.db'}"
        kills, orphans = 0, []
        for threshold in (3, 7, 11):
            proc = subprocess.Popen(
                _crawl_cmd(registry, killed, tmp_path / "raw-killed"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            start = sum(len(s.served(p, None)) for s in sites for p in REPORT_PATHS)
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                if sum(len(s.served(p, None)) for s in sites for p in REPORT_PATHS) - start >= threshold:
                    orphans += _children(proc.pid)
                    proc.send_signal(signal.SIGKILL)
                    kills += 1
                    break
                time.sleep(0.005)
            proc.wait(30)
        subprocess.run(
            _crawl_cmd(registry, killed, tmp_path / "raw-killed"), check=True, capture_output=True, timeout=120
        )
    assert kills >= 1
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() for pid in orphans) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert orphans and not [pid for pid in orphans if Path(f"/proc/{pid}").exists()]  # parse workers died too
    a, b = _snapshot(whole), _snapshot(killed)
    assert len(a["reports"]) == 15 and all(r[2] == 1 for r in b["reports"])  # one version each: nothing twice
    assert a == b
