"""The DataFrame API gives equal frames (values and dtypes) on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from govreports import api
from govreports.db import query
from govreports.db.engine import connect
from tests.support import JIAXING, MULTIYEAR, REGISTRY
from tests.support.db import pg_schema

IDS = ["report_id", "agency_id", "other_report_id"]


@pytest.fixture
def both(tmp_path):
    with pg_schema("the SQLite/PostgreSQL comparison skipped") as url:
        engines = [connect(f"sqlite:///{tmp_path / 'a.db'}"), connect(url)]
        try:
            for e in engines:
                api.load([JIAXING, MULTIYEAR], db=e, agencies=REGISTRY)
            yield engines
        finally:
            for e in engines:
                e.dispose()


@pytest.mark.parametrize(
    "call",
    [
        lambda e: query.facts(e, region="3304"),
        lambda e: query.wide(e, "applications"),
        lambda e: query.wide(e, "active", year=2022),
        lambda e: query.wide(e, "review_litigation"),
        lambda e: query.rates(e),
        lambda e: query.trend(e, "嘉兴市经济和信息化局"),
        lambda e: query.compare(e, 2022, region="330400"),
        lambda e: query.findings(e),
    ],
    ids=["facts", "applications", "active", "review_litigation", "rates", "trend", "compare", "findings"],
)
def test_same_frames_on_sqlite_and_postgresql(both, call) -> None:
    lite, pg = (call(e) for e in both)
    assert len(lite) > 0
    lite = lite.drop(columns=[c for c in IDS if c in lite])
    pg = pg.drop(columns=[c for c in IDS if c in pg])
    pd.testing.assert_frame_equal(lite, pg, check_dtype=True)
