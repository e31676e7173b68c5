"""Crawl speed against a local farm: 200 agencies × 20 pages, 50 ms latency, politeness on.

``--per-site K`` puts K agencies on each host (the country's shape: a county portal and the
departments publishing on it); agencies in flight are the defaults' (``CONCURRENCY_AGENCIES``).

The farm (TRS-style sites: 4 list pages + 16 report pages each, robots.txt on top) runs in its own
process. The crawl goes through the entry the nightly job uses
(:func:`govreports.pipeline.processes.crawl_agencies`): in ``--processes N`` crawler processes (``0``,
the default: ``CRAWL_PROCESSES``' rule, one per 100 hosts up to the CPU count), each fetching,
checking and storing every page of its sites and handing each report to a sink in the first process
that keeps nothing (parsing has its own benchmark). Printed: wall time; the floor the limits impose,
measured in the same run from the requests each host actually answered —
max over hosts of ((requests − 1) × THROTTLE_DELAY + latency), and all requests × latency ÷
CONCURRENCY_GLOBAL —; their ratio (target ≤ 1.5); the crawl's peak RSS summed over its processes
(target < 300 MB; < 1 GB at 10,000 agencies), the first process's RSS before the crawl and the
difference per agency in flight (what ``CONCURRENCY_AGENCY_MB`` stands for); CPU per process and
per request; each crawl runs in a fresh process.

    .venv/bin/python benchmarks/crawl_speed.py [--agencies 200] [--reports 16] [--delay 1.0] [--repeat 3]
        [--processes N] [--full | --cli] [--postgres postgresql://user@host/db]

``--full`` runs the whole nightly job instead: crawl state in SQLite, every report parsed and loaded;
with ``--postgres`` in a fresh database made on that server for each run (and dropped after it).
``--cli`` runs that job through the command users run, ``govreports run --registry … --processes N``
(peak RSS then summed over the command's process tree, sampled every 0.2 s).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govreports.pipeline.processes import crawl_agencies
from govreports.scraper.crawl import FoundReport
from govreports.scraper.registry import Agency
from govreports.scraper.state import MemoryState
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


def crawl_in_child(
    conn, urls: dict[str, str], delay: float, tmp: str, mode: str, db: str | None, processes: int
) -> None:
    """One measured crawl in its own process, so its peak memory is its own (and its crawler processes')."""
    from govreports.scraper.crawl import agencies_in_flight

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # imported, before the crawl
    in_flight = min(len(urls), agencies_in_flight(bench_settings(delay, tmp, processes)))
    run = {"cli": run_cli, "full": run_full, "crawl": run_once}[mode]
    conn.send((*run(urls, delay, tmp, db, processes), base, in_flight))


def bench_settings(delay: float, tmp: str, processes: int = 0) -> Settings:
    """The crawl's settings: politeness as set, private addresses allowed (the farm is on 127.0.0.1)."""
    return Settings(
        {
            "HTTP_ALLOW_PRIVATE": True,
            "THROTTLE_DELAY": delay,
            "THROTTLE_PER_HOST": 2,
            "CONCURRENCY_GLOBAL": 64,
            "CRAWL_PROCESSES": processes,
            "STORE_DIR": tmp,
        }
    )


def run_once(
    urls: dict[str, str], delay: float, tmp: str, db: str | None, processes: int
) -> tuple[float, int, float, float | None]:
    """The crawl alone, through the nightly job's entry; (wall, reports, peak RSS summed over its processes)."""
    settings = bench_settings(delay, tmp, processes)
    agencies = [Agency(name=name, start_url=url) for name, url in urls.items()]
    t0 = time.perf_counter()
    outcome = crawl_agencies(settings, MemoryState(), sink, agencies)
    wall = time.perf_counter() - t0
    cpu = sum(outcome.cpu_s)
    print(
        f"  {len(outcome.cpu_s) - (len(outcome.cpu_s) > 1)} crawler process(es); CPU {cpu:.1f} s "
        f"({' + '.join(f'{c:.1f}' for c in outcome.cpu_s)}) over {wall:.1f} s wall; "
        f"peak RSS {' + '.join(f'{m:.0f}' for m in outcome.peaks_mb)} MB"
    )
    results = outcome.results
    bad = [r for r in results if r.failed or r.errors or r.new == 0]
    if bad or outcome.problems:
        raise SystemExit(f"benchmark crawl went wrong: {bad[:1]} {outcome.problems}")
    return wall, sum(r.new for r in results), sum(outcome.peaks_mb), cpu


def run_full(
    urls: dict[str, str], delay: float, tmp: str, db: str | None, processes: int
) -> tuple[float, int, float, float | None]:
    """The whole nightly job: crawl state in SQLite (or ``db``), every report parsed and loaded."""
    from govreports.db.engine import connect
    from govreports.pipeline import NightlyJob, SQLState, db_loader

    settings = bench_settings(delay, tmp, processes)
    engine = connect(db or f"sqlite:///{tmp}/bench.db")
    job = NightlyJob(settings, SQLState(engine), db_loader(engine))
    t0, c0 = time.perf_counter(), time.process_time()
    summary = job.run([Agency(name=name, start_url=url) for name, url in urls.items()])
    wall = time.perf_counter() - t0
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"  job process CPU {time.process_time() - c0:.1f} s, its crawler and parse/load processes "
        f"{workers.ru_utime + workers.ru_stime:.1f} s, over {wall:.1f} s wall"
    )
    totals = summary.totals()
    if totals["failed"] or totals["new"] == 0 or summary.problems:
        raise SystemExit(f"benchmark crawl went wrong: {totals} {summary.problems}")
    # summed peak of the job process and its largest child: parse workers are not counted one by one here
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, totals["new"], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + children, None


def run_cli(
    urls: dict[str, str], delay: float, tmp: str, db: str | None, processes: int
) -> tuple[float, int, float, float | None]:
    """``govreports run`` over a registry of the farm's agencies, as cron would run it; the peak RSS is
    the largest sum over the command's process tree seen in samples every 0.2 s."""
    import psutil

    registry = Path(tmp) / "agencies.toml"
    registry.write_text(
        "".join(f'[[agency]]\nname = "{n}"\nstart_url = "{u}"\n\n' for n, u in urls.items()), encoding="utf-8"
    )
    command = [str(Path(sys.executable).parent / "govreports"), "run", "--registry", str(registry)]
    command += ["--db", db or f"sqlite:///{tmp}/bench.db", "--store", f"{tmp}/raw", "--allow-private"]
    command += ["--delay", str(delay), "--per-host", "2", "--concurrency", "64", "--processes", str(processes)]
    out_path, err_path = Path(tmp) / "run.out", Path(tmp) / "run.err"  # files: a full pipe would stall it
    t0 = time.perf_counter()
    with out_path.open("w") as out_file, err_path.open("w") as err_file:
        proc = subprocess.Popen(command, stdout=out_file, stderr=err_file)
        top, peak = psutil.Process(proc.pid), 0.0
    while proc.poll() is None:
        try:
            tree = [top, *top.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree) / 2**20)
        except psutil.Error:
            pass
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    out, err = out_path.read_text(encoding="utf-8"), err_path.read_text(encoding="utf-8")
    if proc.returncode != 0:
        raise SystemExit(f"govreports run failed ({proc.returncode}):\n{out[-2000:]}\n{err[-2000:]}")
    line = next(x for x in out.splitlines() if " agencies: " in x)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and every process it waited for
    print(f"  {line.strip()}\n  the command's CPU, crawl, parse and load: {used.ru_utime + used.ru_stime:.1f} s")
    return wall, int(line.split(" agencies: ")[1].split()[0]), peak, None


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
    ap.add_argument("--processes", type=int, default=0, help="crawler processes (CRAWL_PROCESSES; 0: its rule)")
    ap.add_argument("--full", action="store_true", help="the whole nightly job: parse and load into SQLite too")
    ap.add_argument("--cli", action="store_true", help="the whole nightly job through `govreports run`")
    ap.add_argument("--postgres", metavar="URL", help="with --full: load into a fresh database on this server")
    args = ap.parse_args()
    mode = "cli" if args.cli else "full" if args.full else "crawl"
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ctx = mp.get_context("fork")
    walls, floors, peaks = [], [], []
    for _ in range(args.repeat):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=serve, args=(child, args.agencies, args.reports, args.per_site), daemon=True)
        proc.start()
        urls = parent.recv()
        with tempfile.TemporaryDirectory() as tmp, fresh_database(args.postgres if mode != "crawl" else None) as db:
            mine, theirs = ctx.Pipe()
            crawler = ctx.Process(target=crawl_in_child, args=(theirs, urls, args.delay, tmp, mode, db, args.processes))
            crawler.start()
            wall, reports, rss, cpu, base, in_flight = mine.recv()
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
        if cpu is not None:
            print(f"  crawler CPU per request {1000 * cpu / sum(served.values()):.2f} ms (all its processes)")
        print(
            f"run: {args.agencies} agencies on {len(served)} hosts, {sum(served.values())} requests ({per_host} per host), "
            f"{reports} reports, wall {wall:.2f} s, floor {floor:.2f} s, ratio {wall / floor:.2f}, peak RSS {rss:.0f} MB "
            f"summed ({base:.0f} MB before the crawl in the first; {in_flight} agencies in flight)"
        )
    peak = max(peaks)
    wall, floor = statistics.median(walls), statistics.median(floors)
    print(
        f"median wall {wall:.2f} s / floor {floor:.2f} s = {wall / floor:.2f}× (target ≤ 1.5×); "
        f"peak RSS {peak:.0f} MB summed over the crawl's processes (target < 300 MB; < 1 GB at 10,000 agencies)"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
