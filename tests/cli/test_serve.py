"""govreports serve: Datasette with our metadata, canned queries, facets and agency pages (Datasette's test client)."""

from __future__ import annotations

import asyncio
import re

import pytest

from govreports import api
from govreports.serve import make_datasette, prepare
from tests.support import JIAXING, MULTIYEAR, REGISTRY


@pytest.fixture
def served(db_url, tmp_path):
    """The fixtures loaded, then served as `govreports serve` serves them (a PostgreSQL one through a copy)."""
    api.load([JIAXING, MULTIYEAR], db=db_url, agencies=REGISTRY)
    path, source = prepare(db_url, tmp_path / "copy.sqlite")
    assert (source is None) == db_url.startswith("sqlite")
    return make_datasette(path, source=source, immutable=source is not None), path.stem, source


def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


def agency_id(ds, db: str, name: str) -> int:
    rows = get(ds, f"/{db}/agencies.json?name={name}&_shape=array").json()
    return rows[0]["id"]


def test_agency_page_has_table_chart_and_coverage(served) -> None:
    ds, db, _ = served
    page = get(ds, f"/-/agency/{agency_id(ds, db, '嘉兴市经济和信息化局')}")
    assert page.status_code == 200
    html = page.text
    assert "<h1>嘉兴市经济和信息化局</h1>" in html
    table = html[html.index('class="dataframe rows-and-columns govreports-trend"') :]
    rows = re.findall(r"<tr>\s*<td>(\d{4})</td>\s*<td>(\w+)</td>\s*<td>(\d+)</td>", table[: table.index("</table>")])
    assert rows == [("2020", "2019", "3"), ("2021", "2021", "5"), ("2022", "2021", "8"), ("2023", "2021", "10")]
    assert "<svg" in html and html.count("<path") > 20  # the chart, inline
    assert "2023-01-17" in html and "on_time" in html  # first published; the revision is version 2
    assert "NaT" not in html and "&lt;NA&gt;" not in html and "nan" not in html  # empty cells are empty
    assert get(ds, "/-/agency/999").status_code == 404


def test_every_table_view_and_column_is_described(served) -> None:
    ds, db, source = served
    meta = get(ds, "/-/metadata.json").json()
    tables = meta["databases"][db]["tables"]
    assert {"coverage", "applications_by_year", "report_rates", "facts", "agencies"} <= set(tables)
    for name, entry in tables.items():
        assert entry["title"] and entry["description"], name
        assert all(entry["columns"].values()), name
    apps = tables["applications_by_year"]["columns"]
    assert apps["new_received_total"].startswith("一、本年新收政府信息公开申请数量 · 总计 (件;")
    assert (
        tables["report_rates"]["columns"]["disclosure_rate"]
        == "(granted + partly_granted) / total_processed, all applicants"
    )
    assert "X1" in tables["findings"]["columns"]["rule"]
    assert ("SQLite copy of postgresql" in meta["description"]) == (source is not None)


def test_canned_queries_and_facets(served) -> None:
    ds, db, _ = served
    matrix = get(ds, f"/{db}/coverage_matrix.json?_shape=array").json()
    eib = next(r for r in matrix if r["agency"] == "嘉兴市经济和信息化局")
    assert (eib["2020"], eib["2022"], eib["2023"]) == ("on_time", "on_time", "on_time")
    years = get(ds, f"/{db}/agency_over_years.json?agency=嘉兴市经济和信息化局&_shape=array").json()
    assert [(r["year"], r["granted_total"]) for r in years] == [(2020, 1), (2021, 3), (2022, 4), (2023, 5)]
    region = get(ds, f"/{db}/region_in_year.json?region=3304&year=2022&_shape=array").json()
    assert {r["agency"] for r in region} == {
        "嘉兴市经济和信息化局",
        "嘉兴市财政局",
        "嘉兴市南湖区人民政府",
        "海宁市人民政府",
    }
    findings = get(ds, f"/{db}/rule_findings.json?rule=X1&_shape=array").json()
    assert findings and {f["rule"] for f in findings} == {"X1"}
    changes = get(ds, f"/{db}/largest_changes.json?_shape=array").json()
    assert abs(changes[0]["change"]) == max(abs(c["change"]) for c in changes) > 0
    facets = get(ds, f"/{db}/report_rates.json").json()["facet_results"]
    assert {"region", "level", "year", "template"} <= set(facets)
    years_facet = {f["value"]: f["count"] for f in facets["year"]["results"]}
    assert years_facet == {2020: 1, 2021: 1, 2022: 4, 2023: 1}
    regions = {f["value"]: f["count"] for f in facets["region"]["results"]}
    assert regions == {"330400": 5, "330402": 1, "330481": 1}


def test_agencies_link_to_their_pages(served) -> None:
    ds, db, _ = served
    html = get(ds, f"/{db}/agencies").text
    eib = agency_id(ds, db, "嘉兴市经济和信息化局")
    assert f'<a href="/-/agency/{eib}">嘉兴市经济和信息化局</a>' in html
    rates = get(ds, f"/{db}/report_rates?agency_id={eib}").text
    assert f'<a href="/-/agency/{eib}">{eib}</a>' in rates
