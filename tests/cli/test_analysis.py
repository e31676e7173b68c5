"""coverage, export --sqlite and publish through the CLI, on both databases.

Values read from the fixtures by eye: jiaxing-eib-2022.txt 发布日期:2023-01-17; its revision
(jiaxing-eib-2022-revised.txt, 发布日期:2023-02-03) says 共收到依申请公开事项8件 … 其中4件予以公开;
haining-city-2022.txt 发布日期:2023-01-30.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

import frictionless
import pandas as pd
import pytest
from click.testing import CliRunner

from govreports import api
from govreports.cli import cli
from tests.support import JIAXING, MULTIYEAR, REGISTRY
from tests.support.db import counts


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def loaded(db_url) -> str:
    api.load([JIAXING, MULTIYEAR], db=db_url, agencies=REGISTRY)
    return db_url


def test_coverage_formats_and_filters(loaded, tmp_path) -> None:
    result = run("coverage", "--db", loaded, "--year", "2022", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["agency"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert len(rows) == 5
    eib = rows["嘉兴市经济和信息化局"]
    assert (eib["status"], eib["published"], eib["deadline"], eib["versions"], eib["revised"]) == (
        "on_time",
        "2023-01-17",
        "2023-01-31",
        2,
        "2023-02-03",
    )
    assert rows["嘉兴市人民政府"]["status"] == "unknown" and rows["嘉兴市人民政府"]["published"] is None
    assert "4 on_time, 1 unknown" in result.stderr

    out = tmp_path / "coverage.csv"
    assert run("coverage", "--db", loaded, "--region", "330481", "--format", "csv", "-o", out).exit_code == 0
    frame = pd.read_csv(out)
    assert set(frame["agency"]) == {"海宁市人民政府"}
    assert frame.loc[frame["year"] == 2022, "published"].item() == "2023-01-30"

    table = run("coverage", "--db", loaded, "--agency", "海宁市人民政府", "--status", "on_time")
    assert table.stdout.splitlines()[1].split() == [
        "海宁市人民政府", "330481", "government", "2022", "2023-03-31", "on_time", "2023-01-30", "document", "1", "0",
    ]  # fmt: skip


def test_coverage_of_a_database_that_cannot_be_opened_is_one_line(tmp_path) -> None:
    result = run("coverage", "--db", "mysql://nowhere/x")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: unsupported database 'mysql': use sqlite:///… or postgresql://…"
    ]


def test_export_sqlite_copies_every_table_and_view(loaded, tmp_path) -> None:
    copy = tmp_path / "copy.sqlite"
    result = run("export", "--sqlite", "-o", copy, "--db", loaded)
    assert result.exit_code == 0, result.output
    copied = api.connect(f"sqlite:///{copy}")
    assert counts(copied) == counts(api.connect(loaded))
    left = api.coverage(db=loaded).drop(columns=["agency_id"])
    right = api.coverage(db=copied).drop(columns=["agency_id"])
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
    assert run("export", "--db", loaded, "-o", copy).exit_code == 1  # neither a view nor --sqlite
    both = run("export", "report_rates", "--sqlite", "--db", loaded, "-o", copy)
    assert both.exit_code == 1 and "give a VIEW to export, or --sqlite" in both.output


def test_publish_writes_a_valid_data_package(loaded, tmp_path) -> None:
    out = tmp_path / "dataset"
    result = run("publish", out, "--db", loaded)
    assert result.exit_code == 0, result.output
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "type", "note"])

    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert names >= {"facts", "applications_by_year", "reports", "agencies", "findings", "coverage", "template_keys"}
    apps = next(r for r in package["resources"] if r["name"] == "applications_by_year")
    field = next(f for f in apps["schema"]["fields"] if f["name"] == "new_received_total")
    assert (field["title"], field["unit"], field["type"]) == ("一、本年新收政府信息公开申请数量 · 总计", "件", "number")
    assert apps["schema"]["missingValues"] == [""]
    assert "null = the cell was empty" in package["description"]

    wide = pd.read_parquet(out / "data" / "applications_by_year.parquet")
    row = wide[(wide["agency"] == "嘉兴市经济和信息化局") & (wide["year"] == 2022)]
    assert (row["new_received_total"].item(), row["granted_total"].item()) == (8, 4)  # the revision is current
    keys = pd.read_parquet(out / "data" / "template_keys.parquet")
    assert (
        keys.set_index(["table_name", "row_key", "column_key"]).loc[("active", "fees", "amount_10k_yuan"), "unit"]
        == "万元"
    )
    cov = pd.read_parquet(out / "data" / "coverage.parquet")
    assert str(cov.loc[(cov["agency"] == "海宁市人民政府") & (cov["year"] == 2022), "published"].item()) == "2023-01-30"

    readme = (out / "README.md").read_text("utf-8")
    assert "4 agencies with reports, 8 report versions (7 current), years 2020–2023." in readme
    for res in package["resources"]:
        digest = hashlib.sha256((out / res["path"]).read_bytes()).hexdigest()
        assert f"| {res['path']} | " in readme and digest in readme and res["sha256"] == digest
    with sqlite3.connect(out / "govreports.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 8


def test_frictionless_catches_a_schema_that_does_not_fit(loaded, tmp_path) -> None:
    """The validation above can fail: a field typed wrongly in datapackage.json is reported."""
    out = tmp_path / "dataset"
    assert run("publish", out, "--db", loaded).exit_code == 0
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    agencies = next(r for r in package["resources"] if r["name"] == "agencies")
    next(f for f in agencies["schema"]["fields"] if f["name"] == "name")["type"] = "integer"
    (out / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), "utf-8")
    report = frictionless.validate(out / "datapackage.json")
    assert not report.valid
    assert [t.name for t in report.tasks if not t.valid] == ["agencies"]
    assert {(e[0], e[1]) for e in report.flatten(["type", "fieldName"])} == {("type-error", "name")}


def test_publish_into_a_file_is_one_line(loaded, tmp_path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = run("publish", target, "--db", loaded)
    assert result.exit_code == 1  # a usage error: exit status 1, as every command
    assert result.output.strip().splitlines()[-1].endswith("/file' is a file.")


def test_the_demo_database_end_to_end(tmp_path) -> None:
    """`govreports demo` fills a database by crawling; coverage, publish, serve and the plots work on it."""
    import asyncio

    from govreports import plot
    from govreports.serve import make_datasette

    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert run("demo", "--db", db, "--store", tmp_path / "raw").exit_code == 0

    result = run("coverage", "--db", db, "--year", "2022", "--format", "json")
    rows = {r["agency"]: r for r in map(json.loads, result.stdout.splitlines())}
    # the walled imitation site: registered from the registry, no report, blocked — unknown, not missing
    assert (rows["江北市人民政府"]["status"], rows["江北市人民政府"]["unknown_reason"]) == ("unknown", "blocked")
    assert rows["江北市人民政府"]["kind"] == "government" and rows["江南市财政局"]["kind"] == "department"
    crawled = [r for r in rows.values() if r["agency"] != "江北市人民政府"]
    assert {r["status"] for r in crawled} == {"on_time"} and {r["date_source"] for r in crawled} == {"document"}

    out = tmp_path / "dataset"
    assert run("publish", out, "--db", db).exit_code == 0
    assert frictionless.validate(out / "datapackage.json").valid
    cov = pd.read_parquet(out / "data" / "coverage.parquet")
    assert set(cov.loc[cov["agency"] == "江北市人民政府", "unknown_reason"]) == {"blocked"}

    ds = make_datasette(out / "govreports.sqlite", immutable=True)
    rates = asyncio.run(ds.client.get("/govreports/report_rates.json?_shape=array&agency=江南市财政局")).json()
    assert [r["year"] for r in rates] == [2019, 2020, 2021, 2022, 2023]
    page = asyncio.run(ds.client.get(f"/-/agency/{rates[0]['agency_id']}"))
    assert page.status_code == 200 and "<svg" in page.text

    legend = [t.get_text() for t in plot.coverage(db=db).axes[0].get_legend().get_texts()]
    assert legend[0] == "按时公布" and "未知(网站受阻或未抓取)" in legend


def test_disconnect_gives_the_connections_back(loaded) -> None:
    engine = api.connect(loaded)
    api.coverage(db=loaded)
    assert engine.pool.checkedin() >= 1  # kept for the next call
    api.disconnect(loaded)
    assert engine.pool.checkedin() == 0
    assert api.connect(loaded) is not engine  # a later call reconnects
