"""CSV that a spreadsheet opens as data: text cells starting = + - @ tab CR get a leading ', numbers
never; --no-csv-escape (or CSV_ESCAPE=0) writes the text as it is."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import text

from govreports.cli import cli
from govreports.db.csvsafe import escape_cell, escape_frame
from govreports.db.engine import connect
from govreports.db.failures import Failure, record_failure
from govreports.output import write_csv
from govreports.parsers import parse_bytes
from tests.support import JIAXING

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_text_is_escaped(value) -> None:
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["嘉兴市", "a=b", "", None, -3, -2.5, 0])
def test_other_values_are_left_alone(value) -> None:
    assert escape_cell(value) == value


def test_frames_escape_text_columns_only() -> None:
    frame = pd.DataFrame({"agency": ["=1+1", "ok"], "value": [-3, 4], "rate": [-0.5, 1.0]})
    out = escape_frame(frame)
    assert list(out["agency"]) == ["'=1+1", "ok"]
    assert list(out["value"]) == [-3, 4] and out["value"].dtype == frame["value"].dtype
    assert list(out["rate"]) == [-0.5, 1.0] and list(frame["agency"]) == ["=1+1", "ok"]  # the input unchanged


def test_parse_csv_escapes_text_never_numbers(monkeypatch) -> None:
    report = parse_bytes(JIAXING.read_bytes(), "=cmd|' /C calc'!A0")
    out = io.StringIO()
    write_csv([report], out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows and {r["source"] for r in rows} == {"'=cmd|' /C calc'!A0"}
    assert all(r["value"] == "" or float(r["value"]) >= 0 for r in rows)  # numbers as they are
    plain = io.StringIO()
    write_csv([report], plain, escape=False)
    assert {r["source"] for r in csv.DictReader(io.StringIO(plain.getvalue()))} == {"=cmd|' /C calc'!A0"}
    monkeypatch.setenv("GOVREPORTS_CSV_ESCAPE", "0")
    by_setting = io.StringIO()
    write_csv([report], by_setting)
    assert by_setting.getvalue() == plain.getvalue()


def test_failures_query_and_export_escape(db_url, tmp_path) -> None:
    assert run("load", "--db", db_url, JIAXING).exit_code == 0
    engine = connect(db_url)
    record_failure(engine, Failure("@evil.example/report", "fetch", "-2+3 said the server"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE reports SET agency_name = '=1+1'"))
    engine.dispose()

    failed = run("failures", "--db", db_url, "--format", "csv")
    row = next(csv.DictReader(io.StringIO(failed.output)))
    assert (row["source"], row["error"], row["attempts"]) == ("'@evil.example/report", "'-2+3 said the server", "1")
    raw = next(
        csv.DictReader(io.StringIO(run("failures", "--db", db_url, "--format", "csv", "--no-csv-escape").output))
    )
    assert raw["source"] == "@evil.example/report"

    queried = run("query", "--db", db_url, "--view", "facts", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(queried.output)))
    assert rows and {r["agency"] for r in rows} == {"'=1+1"}

    out = tmp_path / "facts.csv"
    assert run("export", "report_facts", "--db", db_url, "-o", out).exit_code == 0
    exported = pd.read_csv(out)
    assert set(exported["agency"]) == {"'=1+1"} and pd.api.types.is_numeric_dtype(exported["value"])
    assert run("export", "report_facts", "--db", db_url, "-o", out, "--no-csv-escape").exit_code == 0
    assert set(pd.read_csv(out)["agency"]) == {"=1+1"}
