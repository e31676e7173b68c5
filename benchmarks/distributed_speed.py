"""A distributed run against a single-process run over the same farm, both through the CLI.

The farm is ``crawl_speed.py``'s (TRS columns, ``--per-site`` agencies on each host, 50 ms latency,
in its own process). Each run is the whole nightly job into a fresh PostgreSQL database (made on
``--postgres`` and dropped after it), with its own raw store, from a TOML registry of the farm:

- single process: ``govreports run --registry … --db …``;
- distributed: ``govreports run --distributed --no-wait`` (enqueues one job per site), ``--workers``
  ``govreports worker --concurrency C`` processes, and ``govreports runs RUN --wait`` (waits for
  the sites, then finalises); timed from the enqueue to the end of the finalisation, workers
  started at once (their start-up counts), stopped with SIGTERM after.

Printed per run: wall time, the politeness floor of the farm (max over hosts of (requests − 1) ×
delay + latency, from the requests each host answered) and the ratio; then the medians and the
distributed / single ratio (target ≤ 1.3×). Two cores shared: quote ``uptime`` with the figures.

    .venv/bin/python benchmarks/distributed_speed.py --postgres postgresql://postgres@127.0.0.1:5432/test
        [--agencies 100] [--per-site 5] [--reports 4] [--delay 1.0] [--workers 2] [--concurrency 0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parent))

from crawl_speed import LATENCY, fresh_database, serve  # the same farm as the crawl benchmark

GOVREPORTS = str(Path(sys.executable).parent / "govreports")
QUEUE_ENV = {"GOVREPORTS_QUEUE_POLL": "0.2"}  # the coordinator's look at the queue: not what is measured


def write_registry(urls: dict[str, str], path: Path) -> None:
    """The farm's agencies as a registry (names as the farm's pages print them)."""
    entries = [
        {"name": f"基准市第{name[1:]}局", "start_url": url, "region_code": "990000"} for name, url in urls.items()
    ]
    path.write_text(tomli_w.dumps({"agency": entries}), encoding="utf-8")


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([GOVREPORTS, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"govreports {' '.join(args[:2])} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


def single(registry: Path, db: str, store: str, delay: float, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    cli(
        "run",
        "--registry",
        str(registry),
        "--db",
        db,
        "--store",
        store,
        "--allow-private",
        "--delay",
        str(delay),
        env=env,
    )
    return time.perf_counter() - t0


def distributed(
    registry: Path, db: str, store: str, delay: float, workers: int, concurrency: int, env: dict[str, str]
) -> float:
    t0 = time.perf_counter()
    flags = ["--db", db, "--store", store, "--allow-private", "--delay", str(delay)]
    out = cli("run", "--registry", str(registry), "--distributed", "--no-wait", *flags, env=env).stdout
    run_id = out.split()[1].rstrip(":")  # "run 3: 20 site(s) enqueued for 100 agencies"
    procs = [
        subprocess.Popen(
            [GOVREPORTS, "worker", "--db", db, "--concurrency", str(concurrency)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    try:
        cli("runs", run_id, "--db", db, "--wait", env=env)
        wall = time.perf_counter() - t0
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        codes = [p.wait(60) for p in procs]
    if any(codes):
        raise SystemExit(f"a worker ended with {codes}: {procs[0].stderr.read()[-2000:] if procs[0].stderr else ''}")
    return wall


def loaded(db: str) -> tuple[int, int]:
    """(reports, facts) in the run's database: both runs must load the same."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT count(*) FROM reports")).scalar_one(),
                conn.execute(text("SELECT count(*) FROM facts")).scalar_one(),
            )
    finally:
        engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--postgres", required=True, metavar="URL", help="a server where databases may be made and dropped")
    ap.add_argument("--agencies", type=int, default=100)
    ap.add_argument("--per-site", type=int, default=5, help="agencies on one host (one site job each host)")
    ap.add_argument("--reports", type=int, default=4)
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the distributed run")
    ap.add_argument(
        "--concurrency", type=int, default=0, help="site jobs per worker at once; 0: every site spread over the workers"
    )
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sites = -(-args.agencies // args.per_site)
    concurrency = args.concurrency or -(-sites // args.workers)
    env = {**os.environ, **QUEUE_ENV}
    ctx = mp.get_context("fork")
    walls: dict[str, list[float]] = {"single": [], "distributed": []}
    floors = []
    for n in range(args.repeat):
        for mode in ("single", "distributed") if n % 2 == 0 else ("distributed", "single"):
            parent, child = ctx.Pipe()
            farm = ctx.Process(target=serve, args=(child, args.agencies, args.reports, args.per_site), daemon=True)
            farm.start()
            urls = parent.recv()
            with tempfile.TemporaryDirectory() as tmp, fresh_database(args.postgres) as db:
                assert db is not None
                registry = Path(tmp) / "agencies.toml"
                write_registry(urls, registry)
                store = str(Path(tmp) / "raw")
                if mode == "single":
                    wall = single(registry, db, store, args.delay, env)
                else:
                    wall = distributed(registry, db, store, args.delay, args.workers, concurrency, env)
                reports, facts = loaded(db)
            if reports != args.agencies * args.reports:
                raise SystemExit(f"{mode}: {reports} reports loaded, not {args.agencies * args.reports}")
            parent.send("stop")
            served = parent.recv()
            farm_cpu = parent.recv()
            farm.join(10)
            floor = (max(served.values()) - 1) * args.delay + LATENCY
            floors.append(floor)
            walls[mode].append(wall)
            extra = f" ({args.workers} workers × {concurrency} site jobs)" if mode == "distributed" else ""
            print(
                f"{mode}{extra}: {args.agencies} agencies on {len(served)} hosts, {sum(served.values())} requests, "
                f"{reports} reports ({facts} facts) loaded, wall {wall:.2f} s, floor {floor:.2f} s, ratio {wall / floor:.2f}; "
                f"farm CPU {farm_cpu:.1f} s",
                flush=True,
            )
    one, many = statistics.median(walls["single"]), statistics.median(walls["distributed"])
    floor = statistics.median(floors)
    print(
        f"median single {one:.2f} s ({one / floor:.2f}× floor), distributed {many:.2f} s ({many / floor:.2f}× floor): "
        f"distributed / single = {many / one:.2f}× (target ≤ 1.3×)"
    )


if __name__ == "__main__":
    main()
