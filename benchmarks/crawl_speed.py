"""Crawl speed against a local farm: 200 agencies × 20 pages, 50 ms latency, politeness on.

``--per-site K`` puts K agencies on each host (the country's shape: a county portal and the
departments publishing on it); agencies in flight are the defaults' (``CONCURRENCY_AGENCIES``).

The farm (TRS-style sites: 4 list pages + 16 report pages each, robots.txt on top) runs in its own
process. The crawler fetches, checks and stores every page and hands each report to a sink that
keeps nothing (parsing has its own benchmark). Printed: wall time; the floor the limits impose,
measured in the same run from the requests each host actually answered —
max over hosts of ((requests − 1) × THROTTLE_DELAY + latency), and all requests × latency ÷
CONCURRENCY_GLOBAL —; their ratio (target ≤ 1.5); peak RSS of the crawler process (target < 300 MB; < 1 GB at
10,000 agencies), its RSS before the crawl and the difference per agency in flight (what
``CONCURRENCY_AGENCY_MB`` stands for); each crawl runs in a fresh process.

    .venv/bin/python benchmarks/crawl_speed.py [--agencies 200] [--reports 16] [--delay 1.0] [--repeat 3] [--full]
        [--postgres postgresql://user@host/db]

``--full`` runs the whole nightly job instead: crawl state in SQLite, every report parsed and loaded;
with ``--postgres`` in a fresh database made on that server for each run (and dropped after it).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govreports.scraper.crawl import Crawler, FoundReport
from govreports.scraper.registry import Agency
from govreports.scraper.state import MemoryState
from govreports.scraper.store import RawStore
from govreports.settings import Settings

LATENCY = 0.05


def serve(conn, agencies: int, reports: int, per_site: int = 1) -> None:
    """The farm: ``agencies`` TRS columns, ``per_site`` of them on each host (a county portal and its
    departments), each agency's pages under ``/a<n>`` there."""
    from govreports.demo.content import make_agency
    from govreports.demo.portals import portal_sites
    from govreports.demo.server import Farm

    years = list(range(2024 - reports, 2024))
    made = [make_agency(f"基准市第{n}局", years, seed=n) for n in range(agencies)]
    sites, starts = portal_sites([made[i : i + per_site] for i in range(0, agencies, per_site)], perpage=4, prefix="s")
    with Farm(sites, latency=LATENCY) as farm:
        conn.send({name: farm.url(host, path) for name, (host, path) in starts.items()})
        conn.recv()  # stop
        conn.send({s.name: len(s.log) for s in sites})
    usage = resource.getrusage(resource.RUSAGE_SELF)
    conn.send(usage.ru_utime + usage.ru_stime)


async def sink(found: FoundReport) -> str:
    return "new"


def crawl_in_child(conn, urls: dict[str, str], delay: float, tmp: str, full: bool, db: str | None) -> None:
    """One measured crawl in its own process, so its peak memory is its own."""
    from govreports.scraper.crawl import agencies_in_flight

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # imported, before the crawl
    in_flight = min(len(urls), agencies_in_flight(bench_settings(delay, tmp)))
    wall, reports = run_full(urls, delay, tmp, db) if full else run_once(urls, delay, tmp)
    conn.send((wall, reports, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, base, in_flight))


def bench_settings(delay: float, tmp: str) -> Settings:
    """The crawl's settings: politeness as set, private addresses allowed (the farm is on 127.0.0.1)."""
    return Settings(
        {
            "HTTP_ALLOW_PRIVATE": True,
            "THROTTLE_DELAY": delay,
            "THROTTLE_PER_HOST": 2,
            "CONCURRENCY_GLOBAL": 64,
            "STORE_DIR": tmp,
        }
    )


def run_once(urls: dict[str, str], delay: float, tmp: str) -> tuple[float, int]:
    settings = bench_settings(delay, tmp)
    agencies = [Agency(name=name, start_url=url) for name, url in urls.items()]
    crawler = Crawler(settings, MemoryState(), RawStore(settings), sink)
    t0, c0 = time.perf_counter(), time.process_time()
    results = asyncio.run(crawler.crawl(agencies))
    wall = time.perf_counter() - t0
    print(f"  crawler CPU {time.process_time() - c0:.1f} s over {wall:.1f} s wall")
    bad = [r for r in results if r.failed or r.errors or r.new == 0]
    if bad:
        raise SystemExit(f"benchmark crawl went wrong: {bad[0]}")
    return wall, sum(r.new for r in results)


def run_full(urls: dict[str, str], delay: float, tmp: str, db: str | None = None) -> tuple[float, int]:
    """The whole nightly job: crawl state and reports in SQLite (or ``db``), every report parsed and loaded."""
    from govreports.db.engine import connect
    from govreports.pipeline import NightlyJob, SQLState, db_loader

    settings = bench_settings(delay, tmp)
    engine = connect(db or f"sqlite:///{tmp}/bench.db")
    job = NightlyJob(settings, SQLState(engine), db_loader(engine))
    t0, c0 = time.perf_counter(), time.process_time()
    summary = job.run([Agency(name=name, start_url=url) for name, url in urls.items()])
    wall = time.perf_counter() - t0
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"  crawler CPU {time.process_time() - c0:.1f} s, its parse/load workers {workers.ru_utime + workers.ru_stime:.1f} s, "
        f"over {wall:.1f} s wall"
    )
    totals = summary.totals()
    if totals["failed"] or totals["new"] == 0:
        raise SystemExit(f"benchmark crawl went wrong: {totals}")
    return wall, totals["new"]


@contextmanager
def fresh_database(server: str | None) -> Iterator[str | None]:
    """A new, empty PostgreSQL database on ``server`` for one run, dropped after it; None without a server."""
    if server is None:
        yield None
        return
    from sqlalchemy import create_engine, text

    from govreports.db.engine import resolve_url

    url = resolve_url(server)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"govreports_crawlbench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--agencies", type=int, default=200)
    ap.add_argument("--reports", type=int, default=16)
    ap.add_argument("--per-site", type=int, default=1, help="agencies on one host (a portal and its departments)")
    ap.add_argument("--delay", type=float, default=1.0, help="THROTTLE_DELAY (seconds between starts per host)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--full", action="store_true", help="the whole nightly job: parse and load into SQLite too")
    ap.add_argument("--postgres", metavar="URL", help="with --full: load into a fresh database on this server")
    args = ap.parse_args()
    ctx = mp.get_context("fork")
    walls, floors, peaks = [], [], []
    for _ in range(args.repeat):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=serve, args=(child, args.agencies, args.reports, args.per_site), daemon=True)
        proc.start()
        urls = parent.recv()
        with tempfile.TemporaryDirectory() as tmp, fresh_database(args.postgres if args.full else None) as db:
            mine, theirs = ctx.Pipe()
            crawler = ctx.Process(target=crawl_in_child, args=(theirs, urls, args.delay, tmp, args.full, db))
            crawler.start()
            wall, reports, rss, base, in_flight = mine.recv()
            crawler.join(30)
        peaks.append(rss)
        parent.send("stop")
        served = parent.recv()
        print(f"  farm (the sites' server) CPU {parent.recv():.1f} s")
        proc.join(10)
        per_host = max(served.values())
        floor = max((per_host - 1) * args.delay + LATENCY, sum(served.values()) * LATENCY / 64)
        walls.append(wall)
        floors.append(floor)
        print(
            f"run: {args.agencies} agencies on {len(served)} hosts, {sum(served.values())} requests ({per_host} per host), "
            f"{reports} reports, wall {wall:.2f} s, floor {floor:.2f} s, ratio {wall / floor:.2f}, peak RSS {rss:.0f} MB "
            f"({base:.0f} MB before the crawl; {(rss - base) / in_flight:.2f} MB more per agency in flight, {in_flight} in flight)"
        )
    peak = max(peaks)
    wall, floor = statistics.median(walls), statistics.median(floors)
    print(
        f"median wall {wall:.2f} s / floor {floor:.2f} s = {wall / floor:.2f}× (target ≤ 1.5×); "
        f"peak RSS {peak:.0f} MB (target < 300 MB)"
    )


if __name__ == "__main__":
    main()
