"""The crawl spread over several crawler processes of one machine (``CRAWL_PROCESSES``).

Forty agencies on twelve portals (2 to 6 agencies on a host: twelve sites) served by the imitation
farm in a process of its own, which records every request it answers. Three crawler processes
share the sites out; only the job's process writes. Then: the farm never sees two requests in
flight to a host (``THROTTLE_PER_HOST`` 1) nor two starts much closer than the delay, whichever
process sent them; the database equals a one-process run's; and a crawler process killed with
SIGKILL mid-run costs only its unfinished agencies, recorded as such and crawled the next run.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from govreports.cli import cli  # noqa: F401  (the commands register themselves on import)
from govreports.cli_crawl import exit_status
from govreports.db.engine import connect
from govreports.errors import ExitCode
from govreports.pipeline import NightlyJob, SQLState, db_loader
from govreports.pipeline.processes import crawl_agencies, crawl_processes, share_out
from govreports.pipeline.sites import Site, group_sites
from govreports.scraper.registry import Agency
from govreports.scraper.state import MemoryState
from tests.support import values
from tests.support.crawling import Recorder, settings
from tests.support.db import facts_in
from tests.support.portals import portal_agencies, portal_farm

SIZES = (6, 5, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2)  # agencies on each portal: 40 on 12 hosts
DELAY = 0.3
LATENCY = 0.05  # each answer takes this long: two senders on one host would overlap


def _site(key: str, n: int) -> Site:
    agencies = tuple(Agency(name=f"{key}{i}", start_url=f"http://{key}/a{i}/") for i in range(n))
    return Site(key, (key,), agencies)


def test_shares_hold_whole_sites_and_even_out_their_agencies() -> None:
    sites = [_site(k, n) for k, n in zip("abcdefg", (6, 5, 4, 4, 3, 2, 1), strict=True)]
    shares = share_out(sites, 3)
    # biggest first, each to the share with fewest agencies: a 6 | b 5 | c 4, then d → c (8), e → b (8),
    # f → a (8), and g to the first of three equal shares (9)
    assert [[s.key for s in share] for share in shares] == [["a", "f", "g"], ["b", "e"], ["c", "d"]]
    assert sorted(s.key for share in shares for s in share) == list("abcdefg")
    assert share_out(sites[:2], 5) == [[sites[0]], [sites[1]]]  # never an empty share


def test_processes_follow_the_hosts_up_to_the_cpu_count() -> None:
    sites = [_site(f"h{i}", 2) for i in range(250)]
    cpus = os.cpu_count() or 1
    assert crawl_processes(settings(CRAWL_PROCESSES=0, CRAWL_HOSTS_PER_PROCESS=100), sites) == min(cpus, 3)
    assert crawl_processes(settings(CRAWL_PROCESSES=0, CRAWL_HOSTS_PER_PROCESS=100), sites[:40]) == 1
    assert crawl_processes(settings(CRAWL_PROCESSES=4), sites) == 4
    assert crawl_processes(settings(CRAWL_PROCESSES=4), sites[:3]) == 3  # at most one per site


def _agencies(starts: dict[str, str]) -> list[Agency]:
    return [Agency(name=name, start_url=url) for name, url in starts.items()]


@pytest.mark.slow
def test_hosts_stay_polite_across_crawler_processes(tmp_path: Path) -> None:
    with portal_farm(SIZES, latency=LATENCY) as farm:
        agencies = _agencies(farm.starts)
        assert len(group_sites(agencies)) == 12
        sink = Recorder()
        conf = settings(STORE_DIR=str(tmp_path / "raw"), THROTTLE_DELAY=DELAY, THROTTLE_PER_HOST=1, CRAWL_PROCESSES=3)
        outcome = crawl_agencies(conf, MemoryState(), sink, agencies)
        hits = farm.hits()
    assert len(outcome.cpu_s) == 4  # this process and three crawler processes, each reporting back
    assert outcome.problems == []
    assert [r.agency for r in outcome.results] == [a.key for a in agencies]  # in the order given
    assert sum(r.new for r in outcome.results) == 120 and len(sink.found) == 120
    by_host: dict[str, list] = defaultdict(list)
    for h in hits:
        by_host[h.site].append(h)
    assert len(by_host) == 12
    assert max(h.in_flight for h in hits) == 1
    # two senders on one host would give gaps well below the delay; the farm stamps a request when
    # its loop reads it, so on a busy machine a gap may look a little shorter than the crawler spaced it
    close = [
        (a.target, b.target, round(b.start - a.start, 3))
        for hs in by_host.values()
        for a, b in itertools.pairwise(sorted(hs, key=lambda h: h.start))
        if b.start - a.start < 0.5 * DELAY
    ]
    assert close == []
    assert len(hits) > 200


def _tables(engine) -> dict[str, list[tuple]]:
    """What a run leaves in the database, without times and run ids: documents, fetch records, failures."""
    with engine.connect() as conn:
        return {
            "documents": sorted(conn.execute(text("SELECT source, content_hash, raw_path FROM documents")).all()),
            "fetches": sorted(
                conn.execute(
                    text("SELECT url, agency, kind, status, content_hash, raw_path, complete FROM crawl_fetches")
                ).all()
            ),
            "failures": sorted(conn.execute(text("SELECT source, stage FROM load_failures")).all()),
            "agencies": sorted(conn.execute(text("SELECT name FROM agencies")).all()),
        }


def _job(tmp: Path, name: str, processes: int, **extra: object) -> tuple[NightlyJob, object]:
    engine = connect(f"sqlite:///{tmp / name}.db")
    conf = settings(STORE_DIR=str(tmp / "raw"), THROTTLE_DELAY=0.05, CRAWL_PROCESSES=processes)
    return NightlyJob(conf, SQLState(engine), db_loader(engine), **extra), engine  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_database_equals_a_one_process_run(tmp_path: Path) -> None:
    with portal_farm(SIZES) as farm:
        agencies = _agencies(farm.starts)
        one, one_db = _job(tmp_path, "one", 1)
        three, three_db = _job(tmp_path, "three", 3)
        assert one.run(agencies).totals()["new"] == 120
        summary = three.run(agencies)
    assert (summary.totals()["new"], summary.totals()["failed"], summary.problems) == (120, 0, [])
    expected = {(a.name, r.year): values(r.report) for p in portal_agencies(SIZES) for a in p for r in a.reports}
    assert facts_in(three_db) == expected
    tables = _tables(three_db)
    assert len(tables["documents"]) == 120 and len(tables["fetches"]) > 160
    assert tables == _tables(one_db)


@pytest.mark.slow
def test_a_killed_crawler_process_loses_nothing(tmp_path: Path) -> None:
    """SIGKILL to the crawler process holding the biggest portal once the first agency is done anywhere:
    its unfinished agencies are in the summary with the death named (exit status 3), the rest loaded;
    the next run crawls them and the database ends as a clean run's."""
    killed: list[int] = []

    def kill_once(_result) -> None:
        if killed:
            return
        for child in multiprocessing.active_children():
            if child.name == "govreports-crawl-0" and child.pid is not None:
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)

    with portal_farm(SIZES, latency=LATENCY) as farm:
        agencies = _agencies(farm.starts)
        job, engine = _job(tmp_path, "killed", 3, on_done=kill_once)
        job.settings = job.settings.replace(THROTTLE_DELAY=DELAY)  # slow enough to die mid-portal
        night_one = job.run(agencies)
        again, _ = _job(tmp_path, "killed", 3)
        night_two = again.run(agencies)
    assert len(killed) == 1
    died = [a.agency for a in night_one.agencies if any("crawl process 0 died (exit code -9)" in e for e in a.errors)]
    share = {a.key for site in share_out(group_sites(agencies), 3)[0] for a in site.agencies}
    assert len(share) == 14  # portals of 6, 3, 3 and 2 agencies (see the test above for the rule)
    assert died and set(died) <= share  # only the killed process's agencies, those it had not finished
    assert [p for p in night_one.problems if "died" in p] == [
        f"crawl process 0 died (exit code -9): {len(died)} agencies not finished, crawled again next run"
    ]
    assert len(night_one.agencies) == 40
    assert exit_status(night_one) is ExitCode.PARTIAL
    # the second night: everything there, the reports loaded before the kill found unchanged
    totals = night_two.totals()
    assert (totals["failed"], night_two.problems) == (0, [])
    assert exit_status(night_two) is ExitCode.OK
    expected = {(a.name, r.year): values(r.report) for p in portal_agencies(SIZES) for a in p for r in a.reports}
    assert facts_in(engine) == expected
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*), count(DISTINCT content_hash) FROM documents")).one() == (120, 120)
        statuses = conn.execute(text("SELECT status FROM crawl_runs ORDER BY id")).scalars().all()
    assert statuses == ["finished", "finished"]
