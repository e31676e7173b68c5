"""The coverage view: on time, late, missing only where the site was crawled, unknown where blocked or failed.

Dates are read from the fixtures by eye: jiaxing-eib-2022.txt says 发布日期:2023-01-17, its
revision 2023-02-03; jiaxing-finance-2022.txt 2023-01-28; haining-city-2022.txt 2023-01-30.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import insert

from govreports import api
from govreports.db.crawl_models import CrawlBlock, CrawlFetch
from govreports.db.load import DocumentInfo, load_reports
from govreports.db.registry import hints_from_entries
from govreports.parsers import parse_path
from govreports.scraper.errors import RegistryError
from govreports.scraper.registry import read_entries
from tests.support import FIXTURES, JIAXING, MULTIYEAR, REGISTRY


def _row(frame, agency: str, year: int) -> dict:
    rows = frame[(frame["agency"] == agency) & (frame["year"] == year)].to_dict("records")
    assert len(rows) == 1, f"{agency} {year}: {len(rows)} rows"
    return rows[0]


def _crawled(engine, agency: str, when: datetime, error: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(CrawlFetch),
            {
                "url": f"https://example.gov.cn/{agency}/{when:%Y%m%d}",
                "agency": agency,
                "kind": "column",
                "status": None if error else 200,
                "fetched_at": when,
                "complete": error is None,
                "children": [],
                "error": error,
            },
        )


@pytest.fixture
def loaded(engine):
    api.load([JIAXING, MULTIYEAR], db=engine, agencies=REGISTRY)
    return engine


def test_published_dates_deadlines_and_revisions(loaded) -> None:
    frame = api.coverage(db=loaded)
    eib = _row(frame, "嘉兴市经济和信息化局", 2022)
    assert (eib["kind"], eib["deadline"], eib["status"]) == ("department", date(2023, 1, 31), "on_time")
    assert (eib["published"], eib["date_source"]) == (date(2023, 1, 17), "document")
    assert (eib["versions"], eib["revised"]) == (2, date(2023, 2, 3))
    haining = _row(frame, "海宁市人民政府", 2022)
    assert (haining["kind"], haining["deadline"], haining["status"]) == ("government", date(2023, 3, 31), "on_time")
    assert _row(frame, "嘉兴市财政局", 2022)["published"] == date(2023, 1, 28)
    # one row per agency of the registry and year, from the first year a report covers to last year
    assert set(frame["agency"]) == {
        "嘉兴市人民政府",
        "嘉兴市经济和信息化局",
        "嘉兴市财政局",
        "嘉兴市南湖区人民政府",
        "海宁市人民政府",
    }
    assert frame["year"].min() == 2020 and frame["year"].max() == date.today().year - 1
    assert len(frame) == 5 * (date.today().year - 2020)


def test_never_crawled_is_unknown_not_missing(loaded) -> None:
    row = _row(api.coverage(db=loaded), "嘉兴市财政局", 2023)
    assert (row["status"], row["unknown_reason"]) == ("unknown", "not crawled since the deadline")


def test_missing_only_after_a_crawl_past_the_deadline(loaded) -> None:
    _crawled(loaded, "嘉兴市财政局", datetime(2024, 3, 1, 8, tzinfo=UTC))
    frame = api.coverage(agency="嘉兴市财政局", db=loaded)
    assert _row(frame, "嘉兴市财政局", 2023)["status"] == "missing"  # deadline 2024-01-31, crawled 2024-03-01
    later = _row(frame, "嘉兴市财政局", 2024)  # deadline 2025-01-31: that crawl says nothing about it
    assert (later["status"], later["unknown_reason"]) == ("unknown", "not crawled since the deadline")
    assert _row(frame, "嘉兴市财政局", 2022)["status"] == "on_time"


def test_blocked_or_failed_sites_are_unknown(loaded) -> None:
    _crawled(loaded, "海宁市人民政府", datetime(2025, 5, 1, tzinfo=UTC))
    with loaded.begin() as conn:
        conn.execute(
            insert(CrawlBlock),
            {
                "agency": "海宁市人民政府",
                "url": "https://www.haining.gov.cn/",
                "status": 412,
                "evidence": "$_ts",
                "seen_at": datetime(2025, 5, 2, tzinfo=UTC),
            },
        )
    _crawled(loaded, "嘉兴市南湖区人民政府", datetime(2025, 5, 1, tzinfo=UTC), error="HTTP 503")
    frame = api.coverage(year=2023, db=loaded)
    assert (_row(frame, "海宁市人民政府", 2023)["status"], _row(frame, "海宁市人民政府", 2023)["unknown_reason"]) == (
        "unknown",
        "blocked",
    )
    nanhu = _row(frame, "嘉兴市南湖区人民政府", 2023)
    assert (nanhu["status"], nanhu["unknown_reason"]) == ("unknown", "crawl failed")
    assert "missing" not in set(frame["status"])


def test_late_by_the_documents_date(engine) -> None:
    api.load(MULTIYEAR / "jiaxing-eib-2022-revised.txt", db=engine, agencies=REGISTRY)  # published 2023-02-03
    row = _row(api.coverage(year=2022, db=engine), "嘉兴市经济和信息化局", 2022)
    assert (row["status"], row["days_late"], row["date_source"], row["versions"]) == ("late", 3, "document", 1)


def test_first_seen_date_is_said_and_never_makes_a_report_late(engine) -> None:
    report = replace(parse_path(str(MULTIYEAR / "jiaxing-finance-2022.txt")), published=None)
    seen = DocumentInfo(
        source="https://czj.example/2022.html", content_hash="f" * 64, fetched_at=datetime(2023, 1, 5, tzinfo=UTC)
    )
    late_seen = replace(report, year=2021)
    later = DocumentInfo(
        source="https://czj.example/2021.html", content_hash="e" * 64, fetched_at=datetime(2023, 1, 5, tzinfo=UTC)
    )
    load_reports(engine, [(report, seen), (late_seen, later)])
    frame = api.coverage(agency="嘉兴市财政局", db=engine)
    first = _row(frame, "嘉兴市财政局", 2022)
    assert (first["status"], first["published"], first["date_source"]) == ("on_time", date(2023, 1, 5), "first_seen")
    second = _row(frame, "嘉兴市财政局", 2021)  # first seen a year after its deadline: not provably late
    assert (second["status"], second["date_source"], second["days_late"]) == ("published", "first_seen", None)


def test_reports_before_2019_have_no_deadline(engine) -> None:
    api.load(FIXTURES / "html" / "dinghai-edu-2015-legacy.html", db=engine)
    frame = api.coverage(year=2015, db=engine)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["status"] == "published" and pd.isna(row["deadline"])


def test_the_registry_says_the_kind(tmp_path) -> None:
    path = tmp_path / "agencies.toml"
    entry = '[[agency]]\nname = "温州市人民政府办公室"\nlevel = "prefecture"\nkind = "{}"\n'
    path.write_text(entry.format("agency"), encoding="utf-8")
    with pytest.raises(RegistryError, match=r"agency #1 \(温州市人民政府办公室\): kind must be one of"):
        api.load(MULTIYEAR / "jiaxing-finance-2022.txt", db=f"sqlite:///{tmp_path / 'x.db'}", agencies=path)
    path.write_text(entry.format("government"), encoding="utf-8")
    hints = hints_from_entries(read_entries(path, require_start_url=False))
    assert hints["温州市人民政府办公室"].kind == "government"


def test_registry_kind_overrides_the_name(engine, tmp_path) -> None:
    path = tmp_path / "agencies.toml"
    path.write_text(
        '[[agency]]\nname = "嘉兴市财政局"\nregion_code = "330400"\nlevel = "prefecture"\nkind = "government"\n',
        encoding="utf-8",
    )
    api.load(MULTIYEAR / "jiaxing-finance-2022.txt", db=engine, agencies=path)
    row = _row(api.coverage(year=2022, db=engine), "嘉兴市财政局", 2022)
    assert (row["kind"], row["kind_source"], row["deadline"]) == ("government", "registry", date(2023, 3, 31))
