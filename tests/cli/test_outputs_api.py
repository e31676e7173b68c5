"""``--format csv`` / ``--format table`` and the notebook API on the fixture reports."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import govreports
from govreports.cli import cli
from tests.support import FIXTURES
from tests.support.expected import XIHU_EDU_2023

XIHU = FIXTURES / "html" / "xihu-edu-2023.html"
KECHENG = FIXTURES / "text" / "kecheng-zjj-2022-flat-lost-cells.txt"


def test_csv_one_fact_a_row() -> None:
    result = CliRunner().invoke(cli, ["parse", str(XIHU), str(KECHENG), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 400
    assert list(rows[0]) == [
        "source",
        "agency",
        "year",
        "template",
        "table",
        "row",
        "column",
        "value",
        "raw",
        "inferred",
        "page",
    ]
    by_key = {(r["agency"], r["table"], r["row"], r["column"]): r for r in rows}
    granted = by_key[("杭州市西湖区教育局", "applications", "granted", "natural_person")]
    assert (granted["value"], granted["raw"], granted["inferred"], granted["year"]) == ("15", "15", "0", "2023")
    placed = by_key[("衢州市柯城区住房和城乡建设局", "applications", "denied_third_party", "legal_services")]
    assert (placed["value"], placed["inferred"]) == ("1", "1")
    empty = by_key[("衢州市柯城区住房和城乡建设局", "applications", "granted", "research")]
    assert (empty["value"], empty["raw"]) == ("", "")  # null, never 0
    assert sum(1 for r in rows if r["agency"] == "杭州市西湖区教育局") == 200


def test_table_format_readable() -> None:
    result = CliRunner().invoke(cli, ["parse", str(KECHENG), "--format", "table"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("衢州市柯城区住房和城乡建设局2022年度政府信息公开工作年度报告\n")
    assert "template=2021  agency=衢州市柯城区住房和城乡建设局  year=2022  published=2023-01-18" in out
    line = next(ln for ln in out.splitlines() if "denied_third_party" in ln)
    assert [c.strip() for c in line.strip("│").split("│")][1:] == ["·", "·", "·", "·", "1*", "·", "1*"]
    assert "all rule checks pass" in out


def test_table_output_does_not_depend_on_the_path_length(tmp_path) -> None:
    """A clone in a long path once wrapped the header line (and so failed `make test`): pipes get no wrapping."""
    deep = tmp_path.joinpath("a" * 120, "b" * 60)
    deep.mkdir(parents=True)
    copy = deep / KECHENG.name
    copy.write_bytes(KECHENG.read_bytes())
    short = CliRunner().invoke(cli, ["parse", str(KECHENG), "--format", "table"]).stdout
    long = CliRunner().invoke(cli, ["parse", str(copy), "--format", "table"]).stdout
    header = long.splitlines()[1]
    assert header == (f"{copy}  template=2021  agency=衢州市柯城区住房和城乡建设局  year=2022  published=2023-01-18")
    assert long.replace(str(copy), "SOURCE") == short.replace(str(KECHENG), "SOURCE")


def test_api_parse_path_bytes_and_frame() -> None:
    report = govreports.parse(XIHU)
    frame = report.to_frame()
    assert len(frame) == 200
    assert list(frame.columns) == [
        "source",
        "template",
        "year",
        "agency",
        "table",
        "row",
        "column",
        "value",
        "raw",
        "inferred",
        "page",
        "ocr",
        "confidence",
    ]
    sel = frame[(frame["row"] == "total_processed") & (frame["column"] == "total")]
    assert sel["value"].tolist() == [45]
    same = govreports.parse(XIHU.read_bytes())
    assert same.source == "<bytes>"
    assert {(f.table, f.row, f.column): f.value for f in same.facts} == XIHU_EDU_2023
    wide = report.wide("applications")
    assert wide.loc["granted", "natural_person"] == 15


@pytest.fixture
def served() -> Iterator[str]:
    """The fixtures folder served on 127.0.0.1 by a local http.server thread."""
    handler = functools.partial(_Quiet, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_api_parse_url(served: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    url = f"{served}/html/mouxian-gov-2020-gb2312.html"
    report = govreports.parse(url, allow_private=True)
    assert report.source == url
    assert report.template == "2019" and report.agency == "某某县人民政府办公室" and report.encoding == "gb18030"
    assert len(report.to_frame()) == 198
    frame = govreports.reports_frame([report, govreports.parse(Path(XIHU))])
    assert len(frame) == 398 and sorted(frame["template"].unique()) == ["2019", "2021"]


def test_parse_agency_and_year_hints_fill_a_document_that_prints_neither(tmp_path) -> None:
    # the real Pingtan 2024 dump's body: the report without its title (the crawler header removed)
    dump = (Path(__file__).parents[1] / "fixtures" / "real" / "text" / "pingtan-2024-crawler-dump.txt").read_text(
        "utf-8"
    )
    body = tmp_path / "body.txt"
    body.write_text(dump.split("==================== 正文 ====================\n", 1)[1], "utf-8")
    bare = json.loads(CliRunner().invoke(cli, ["parse", str(body)]).output)
    assert (bare["agency"], bare["year"]) == (None, None)
    result = CliRunner().invoke(cli, ["parse", str(body), "--agency", "平潭综合实验区", "--year", "2024"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["agency"], out["year"]) == ("平潭综合实验区", 2024)
    assert out["sources"] == {"agency": "context", "year": "context"}
