"""Loading speed: facts per second of ``govreports.db.load.load_reports`` against each database's bulk floor.

For SQLite and PostgreSQL, in the same run and on the same rows:

* **load**: ``load_reports`` of N synthetic reports (200 facts each) into a freshly migrated
  database — documents, agencies, versions, facts, findings, one transaction per batch;
* **floor**: the fastest bulk path of the database for the same fact rows alone — the rows the
  loader writes to ``fact_values`` (report_id, key_id, value, raw, inferred, page) — into a bare
  table of the same definition (primary key included, ``WITHOUT ROWID`` on SQLite): binary
  ``COPY … FROM STDIN`` on PostgreSQL, ``executemany`` of one prepared ``INSERT`` in one transaction
  on SQLite.

Prints, per run, wall times and CPU times — of this process, plus on PostgreSQL of the server
backends serving it (read from /proc, so only for a server on this host) — then medians over
``--runs`` runs and the ratios load/floor (1.0 = as fast as the floor). On a shared machine the CPU
times vary much less than the wall times.

    .venv/bin/python benchmarks/load_speed.py                  # 10,000 reports, 3 runs, both databases
    .venv/bin/python benchmarks/load_speed.py -n 2000 --runs 5 --only sqlite

PostgreSQL: ``--pg`` or ``$GOVREPORTS_TEST_POSTGRES`` (default postgresql://postgres@127.0.0.1:5432/test);
each run uses a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from govreports.db.bulk import FACT_COLUMNS, FACT_PG_TYPES, fact_key_ids
from govreports.db.engine import connect, resolve_url
from govreports.db.load import load_reports
from govreports.testing import synthetic_batch

# the definition of `fact_values` (db/migrations/versions/0004_fact_keys.py), without the views around it
FACTS_DDL = """CREATE TABLE facts_floor (report_id INTEGER NOT NULL, key_id SMALLINT NOT NULL, value {double},
raw TEXT, inferred BOOLEAN NOT NULL, page SMALLINT, PRIMARY KEY (report_id, key_id)){without_rowid}"""


def fact_rows(items, engine) -> list[tuple]:
    """The rows the loader writes to ``fact_values``, with the key numbers of ``engine``'s database."""
    with engine.connect() as conn:
        ids = fact_key_ids(conn)
    return [
        (n, ids[f.table, f.row, f.column], None if f.value is None else float(f.value), f.raw, f.inferred, f.page)
        for n, (report, _) in enumerate(items, start=1)
        for f in report.facts
    ]


class ServerCPU:
    """CPU seconds of the PostgreSQL backends serving ``engine`` (read from /proc: the server must run
    on this host; NaN otherwise). With the client's own CPU time, a measure the other processes
    sharing the machine disturb much less than wall time."""

    def __init__(self, engine) -> None:
        self.pids: set[int] = set()
        event.listen(engine, "connect", lambda dbapi_conn, _rec: self.pids.add(dbapi_conn.info.backend_pid))
        with engine.connect() as conn:  # the pooled connection opened before the listener
            self.pids.add(conn.connection.driver_connection.info.backend_pid)

    def seconds(self) -> float:
        total = 0.0
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return math.nan
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        return total


def _load(engine, items, server: ServerCPU | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (this process, plus the server's backends on PostgreSQL)."""
    s0 = server.seconds() if server else 0.0
    t0, c0 = time.perf_counter(), time.process_time()
    results = load_reports(engine, items, batch_size=500)
    t_load, c_load = time.perf_counter() - t0, time.process_time() - c0
    assert all(r.status == "new" for r in results)
    return t_load, c_load + (server.seconds() - s0 if server else 0.0)


def sqlite_run(items) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"sqlite:///{tmp}/load.db")
        t_load, c_load = _load(engine, items)
        rows = fact_rows(items, engine)
        engine.dispose()
        import sqlite3

        conn = sqlite3.connect(f"{tmp}/floor.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(FACTS_DDL.format(double="FLOAT", without_rowid=" WITHOUT ROWID"))
        t0, c0 = time.perf_counter(), time.process_time()
        conn.execute("BEGIN")
        conn.executemany(
            f"INSERT INTO facts_floor ({', '.join(FACT_COLUMNS)}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})", rows
        )
        conn.execute("COMMIT")
        t_floor, c_floor = time.perf_counter() - t0, time.process_time() - c0
        conn.close()
    return t_load, c_load, t_floor, c_floor


def pg_run(items, url: str) -> tuple[float, float, float, float]:
    admin = create_engine(resolve_url(url))
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        sep = "&" if "?" in url else "?"
        engine = connect(f"{url}{sep}options=-csearch_path%3D{schema}")
        server = ServerCPU(engine)
        t_load, c_load = _load(engine, items, server)
        rows = fact_rows(items, engine)
        with engine.begin() as conn:
            conn.execute(text(FACTS_DDL.format(double="DOUBLE PRECISION", without_rowid="")))
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            s0 = server.seconds()
            t0, c0 = time.perf_counter(), time.process_time()
            with (
                raw.transaction(),
                raw.cursor() as cur,
                cur.copy(f"COPY facts_floor ({', '.join(FACT_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy,
            ):
                copy.set_types(FACT_PG_TYPES)
                for row in rows:
                    copy.write_row(row)
            t_floor, c_floor = time.perf_counter() - t0, time.process_time() - c0 + server.seconds() - s0
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return t_load, c_load, t_floor, c_floor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--reports", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    ap.add_argument(
        "--pg", default=os.environ.get("GOVREPORTS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    items = list(synthetic_batch(args.reports, seed=42))
    n_facts = sum(len(report.facts) for report, _ in items)
    print(
        f"{args.reports} reports, {n_facts:,} facts generated in {time.perf_counter() - t0:.1f}s; "
        f"{args.runs} runs each, medians",
        flush=True,
    )
    dbs = [d for d in ("sqlite", "postgresql") if args.only in (None, d)]
    for name in dbs:
        loads, cpus, floors, floor_cpus = [], [], [], []
        for run in range(args.runs):
            t_load, c_load, t_floor, c_floor = sqlite_run(items) if name == "sqlite" else pg_run(items, args.pg)
            loads.append(t_load)
            cpus.append(c_load)
            floors.append(t_floor)
            floor_cpus.append(c_floor)
            print(
                f"  {name} run {run + 1}: load {t_load:.2f}s (CPU {c_load:.2f}s), floor {t_floor:.2f}s "
                f"(CPU {c_floor:.2f}s), ratio {t_load / t_floor:.2f} (CPU {c_load / c_floor:.2f})",
                flush=True,
            )
        load, floor = statistics.median(loads), statistics.median(floors)
        cpu, floor_cpu = statistics.median(cpus), statistics.median(floor_cpus)
        floor_name = "COPY" if name == "postgresql" else "executemany"
        print(
            f"{name:<10} load {n_facts / load:>10,.0f} facts/s   {floor_name} floor {n_facts / floor:>10,.0f} "
            f"facts/s   load/floor time ratio {load / floor:.2f}   CPU load {cpu:.2f}s / floor {floor_cpu:.2f}s "
            f"= {cpu / floor_cpu:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
