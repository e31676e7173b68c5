"""Cross-year rules, views, rates and the DataFrame API over the multi-year fixture set."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from sqlalchemy import text

from govreports import api, parsers
from govreports.db import query
from govreports.db.checks import run_cross_year
from govreports.db.errors import QueryError
from govreports.db.load import DocumentInfo, load_report
from tests.support import JIAXING, MULTIYEAR, REGISTRY
from tests.support.db import counts

EIB = "嘉兴市经济和信息化局"


@pytest.fixture
def loaded(engine):
    """The real 2022 Jiaxing report, then the multi-year set (which revises 2022), with the registry."""
    results = api.load([JIAXING, MULTIYEAR], db=engine, agencies=REGISTRY)
    assert [r.status for r in results] == ["new", "new", "new", "new", "revised", "new", "new", "new"]
    return engine


def test_cross_year_rules_find_exactly_the_planted_violations(loaded) -> None:
    """2020 (2019 template) → 2021 → 2022 chain cleanly; only 2023's planted breaks are found."""
    found = run_cross_year(loaded)
    got = sorted(
        zip(
            found["rule"],
            found["agency"],
            found["year"],
            found["cells"].str.split(" ").str[0],
            found["expected"],
            found["actual"],
            strict=True,
        )
    )
    assert got == [
        ("X1", EIB, 2023, "applications/carried_over/natural_person", 0, 1),
        ("X1", EIB, 2023, "applications/carried_over/total", 0, 1),
        ("X2", EIB, 2023, "active/normative_documents/in_force", 10, 9),
    ]
    assert set(found["severity"]) == {"error", "warning"}
    stored = query.findings(loaded, rule="X2")
    assert list(stored["origin"]) == ["database"] and stored["message"][0].startswith("normative_documents: in_force 9")
    before = counts(loaded)["findings"]
    run_cross_year(loaded)  # recomputing replaces, never doubles
    assert counts(loaded)["findings"] == before == 3


def test_cross_year_rules_follow_the_current_version(loaded) -> None:
    """A corrected 2023 report (carried over 0, as 2022 carried forward) clears X1; X2 stays."""
    printed = (MULTIYEAR / "jiaxing-eib-2023.txt").read_text(encoding="utf-8")
    old_row = "二、上年结转政府信息公开申请数量\n\n1\n\n" + "0\n\n" * 5 + "1\n"
    assert printed.count(old_row) == 1
    corrected = parsers.parse_text(
        printed.replace(old_row, "二、上年结转政府信息公开申请数量\n\n" + "0\n\n" * 6 + "0\n"),
        "jiaxing-eib-2023-corrected.txt",
    )
    assert corrected.value("applications", "carried_over", "total") == 0
    result = load_report(loaded, corrected, DocumentInfo(corrected.source, corrected.content_hash))
    assert (result.status, result.version) == ("revised", 2)
    found = run_cross_year(loaded)
    assert list(zip(found["rule"], found["year"], strict=True)) == [("X2", 2023)]
    assert counts(loaded)["findings"] == 1 + len(corrected.issues)  # X2 + the corrected report's own findings
    # A3 breaks in the edited table, and the overview still says 上年结转1件, which the table now contradicts
    assert {i.rule for i in corrected.issues} == {"A3", "prose"}


def test_wide_views_and_rates_hold_the_reports_numbers(loaded) -> None:
    apps = query.wide(loaded, "applications", agency=EIB)
    assert list(apps["year"]) == [2020, 2021, 2022, 2023]
    assert list(apps["template"]) == ["2019", "2021", "2021", "2021"]
    assert list(apps["new_received_total"]) == [3, 5, 8, 10]
    assert list(apps["granted_total"]) == [1, 3, 4, 5]  # 2022 is the revised version
    assert list(apps["carried_forward_total"]) == [0, 0, 0, 1]
    assert list(apps["new_received_enterprise"]) == [0, 1, 0, 2]
    assert apps["other_total"].tolist()[0] == 0 and apps["other_total"][1:].isna().all()  # 2019's one row
    assert apps["other_other_total"].isna().tolist() == [True, False, False, False]
    active = query.wide(loaded, "active", agency=EIB)
    assert active["normative_documents_in_force"].isna().tolist() == [True, False, False, False]
    assert list(active["normative_documents_in_force"][1:]) == [2, 6, 9]
    assert list(active["procurement_amount_10k_yuan"].fillna(-1)) == [126.5, -1, -1, -1]  # 2019 template only
    assert list(active["licensing_items_change"].fillna(99)) == [-1, 99, 99, 99]
    rates = query.rates(loaded, year=2022).set_index("agency")
    assert rates.loc["嘉兴市财政局", "disclosure_rate"] == pytest.approx(14 / 23)
    assert rates.loc["嘉兴市南湖区人民政府", "review_correction_rate"] == pytest.approx(1 / 3)  # 1 of 3 decided
    assert rates.loc["海宁市人民政府", "litigation_per_100_applications"] == 0
    assert rates.loc["嘉兴市财政局", "litigation_per_100_applications"] == pytest.approx(100 / 23)
    assert math.isnan(rates.loc[EIB, "review_correction_rate"])  # no reviews: NULL, not a division by zero


def test_filters_by_region_agency_and_year(loaded) -> None:
    assert sorted(query.rates(loaded, region="330400", year=2022)["agency"]) == sorted(
        ["嘉兴市经济和信息化局", "嘉兴市财政局", "嘉兴市南湖区人民政府", "海宁市人民政府"]
    )
    assert list(query.rates(loaded, region="330402")["agency"]) == ["嘉兴市南湖区人民政府"]
    assert list(query.rates(loaded, region="33")["year"].value_counts().sort_index()) == [1, 1, 4, 1]
    assert list(query.rates(loaded, agency="财政")["agency"]) == ["嘉兴市财政局"]  # a fragment of the name
    assert list(query.rates(loaded, agency=EIB, year=[2021, 2023])["year"]) == [2021, 2023]
    assert sorted(query.rates(loaded, level="county")["region"]) == ["330402", "330481"]
    facts = query.facts(loaded, agency=EIB, year=2023, table="applications", row="carried_over")
    assert list(facts["column_key"]) == sorted(
        ["natural_person", "enterprise", "research", "public_interest", "legal_services", "other_org", "total"]
    )
    assert facts["inferred"].dtype == bool and facts.set_index("column_key").loc["total", "value"] == 1


def test_trend_and_compare(loaded) -> None:
    trend = query.trend(loaded, EIB)
    assert list(trend["year"]) == [2020, 2021, 2022, 2023]
    assert list(trend["disclosure_rate"]) == pytest.approx([1 / 3, 3 / 5, 4 / 8, 6 / 10])
    cmp = query.compare(loaded, 2022, region="330400")
    assert list(cmp["agency"]) == ["嘉兴市经济和信息化局", "嘉兴市财政局", "嘉兴市南湖区人民政府", "海宁市人民政府"]
    with pytest.raises(QueryError):
        query.trend(loaded, "不存在的机关")
    with pytest.raises(QueryError):
        query.read_view(loaded, "reports; DROP TABLE facts")


def test_export_csv_and_parquet(loaded, tmp_path) -> None:
    n = query.export(loaded, "report_facts", tmp_path / "facts.csv", "csv", agency=EIB)
    assert n == 198 + 600  # a 2019-template report has 198 facts, a 2021 one 200
    csv = pd.read_csv(tmp_path / "facts.csv")
    assert len(csv) == n and set(csv["year"]) == {2020, 2021, 2022, 2023}
    n = query.export(loaded, "applications_by_year", tmp_path / "apps.parquet", "parquet")
    back = pd.read_parquet(tmp_path / "apps.parquet")
    assert n == len(back) == 7 and back.set_index(["agency", "year"]).loc[(EIB, 2023), "new_received_total"] == 10
    with pytest.raises(QueryError):
        query.export(loaded, "report_facts", tmp_path / "x.xlsx", "xlsx")


def test_views_have_one_row_per_current_report(loaded) -> None:
    with loaded.connect() as conn:
        per_view = {
            v: conn.execute(text(f"SELECT count(*) FROM {v}")).scalar_one()
            for v in ("applications_by_year", "active_by_year", "review_litigation_by_year", "report_rates")
        }
        facts = conn.execute(text("SELECT count(*) FROM report_facts")).scalar_one()
    assert per_view == dict.fromkeys(per_view, 7)
    assert facts == 6 * 200 + 198
