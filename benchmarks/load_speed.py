"""Loading speed: facts per second of ``db.load.load_reports`` against each database's bulk floor.

For SQLite and PostgreSQL, in the same run and on the same rows:

* **load**: ``load_reports`` of N synthetic reports (200 facts each) into a freshly migrated
  database — documents, agencies, versions, facts, findings, one transaction per batch;
* **floor**: the fastest bulk path of the database for the same facts alone into a bare table of
  the same definition (primary key included): ``COPY … FROM STDIN`` on PostgreSQL,
  ``executemany`` of one prepared ``INSERT`` in one transaction on SQLite.

Prints medians over ``--runs`` runs and the ratio load/floor (1.0 = as fast as the floor).

    .venv/bin/python benchmarks/load_speed.py                  # 10,000 reports, 3 runs, both databases
    .venv/bin/python benchmarks/load_speed.py -n 2000 --runs 5 --only sqlite

PostgreSQL: ``--pg`` or ``$GOVREPORTS_TEST_POSTGRES`` (default postgresql://postgres@127.0.0.1:5432/test);
each run uses a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.engine import connect, resolve_url
from db.load import FACT_COLUMNS, load_reports
from db.synthetic import synthetic_batch

# the definition of `facts` (db/migrations/versions/0001_initial.py), without the views around it
FACTS_DDL = """CREATE TABLE facts_floor (report_id INTEGER NOT NULL, table_name VARCHAR(20){c} NOT NULL,
row_key VARCHAR(40){c} NOT NULL, column_key VARCHAR(20){c} NOT NULL, value {double}, raw TEXT, inferred BOOLEAN NOT NULL,
page SMALLINT, PRIMARY KEY (report_id, table_name, row_key, column_key))"""


def fact_rows(items) -> list[tuple]:
    return [(n, f.table, f.row, f.column, None if f.value is None else float(f.value), f.raw, f.inferred, f.page)
            for n, (report, _) in enumerate(items, start=1) for f in report.facts]


def sqlite_run(items, rows) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"sqlite:///{tmp}/load.db")
        t0 = time.perf_counter()
        results = load_reports(engine, items, batch_size=500)
        t_load = time.perf_counter() - t0
        assert all(r.status == "new" for r in results)
        engine.dispose()
        import sqlite3

        conn = sqlite3.connect(f"{tmp}/floor.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(FACTS_DDL.format(double="FLOAT", c=""))
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO facts_floor ({', '.join(FACT_COLUMNS)}) VALUES ({', '.join('?' * 8)})", rows)
        conn.execute("COMMIT")
        t_floor = time.perf_counter() - t0
        conn.close()
    return t_load, t_floor


def pg_run(items, rows, url: str) -> tuple[float, float]:
    admin = create_engine(resolve_url(url))
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        sep = "&" if "?" in url else "?"
        engine = connect(f"{url}{sep}options=-csearch_path%3D{schema}")
        t0 = time.perf_counter()
        results = load_reports(engine, items, batch_size=500)
        t_load = time.perf_counter() - t0
        assert all(r.status == "new" for r in results)
        with engine.begin() as conn:
            conn.execute(text(FACTS_DDL.format(double="DOUBLE PRECISION", c=' COLLATE "C"')))
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            t0 = time.perf_counter()
            with raw.transaction(), raw.cursor() as cur, \
                    cur.copy(f"COPY facts_floor ({', '.join(FACT_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            t_floor = time.perf_counter() - t0
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return t_load, t_floor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--reports", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    ap.add_argument("--pg", default=os.environ.get("GOVREPORTS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    items = list(synthetic_batch(args.reports, seed=42))
    rows = fact_rows(items)
    print(f"{args.reports} reports, {len(rows):,} facts generated in {time.perf_counter() - t0:.1f}s; "
          f"{args.runs} runs each, medians", flush=True)
    dbs = [d for d in ("sqlite", "postgresql") if args.only in (None, d)]
    for name in dbs:
        loads, floors = [], []
        for run in range(args.runs):
            t_load, t_floor = sqlite_run(items, rows) if name == "sqlite" else pg_run(items, rows, args.pg)
            loads.append(t_load)
            floors.append(t_floor)
            print(f"  {name} run {run + 1}: load {t_load:.2f}s, floor {t_floor:.2f}s, ratio {t_load / t_floor:.2f}",
                  flush=True)
        load, floor = statistics.median(loads), statistics.median(floors)
        floor_name = "COPY" if name == "postgresql" else "executemany"
        print(f"{name:<10} load {len(rows) / load:>10,.0f} facts/s   {floor_name} floor {len(rows) / floor:>10,.0f} "
              f"facts/s   load/floor time ratio {load / floor:.2f}", flush=True)


if __name__ == "__main__":
    main()
