"""Bad input gives one clear line and a clean exit (0, or 1 with --strict); never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from govreports.cli import cli
from govreports.parsers import parse_path
from tests.support import FIXTURES

BAD = FIXTURES / "bad"
GOVREPORTS = Path(sys.executable).parent / "govreports"

CASES = [
    (BAD / "empty.html", "unreadable", "empty document"),
    (BAD / "junk.bin", "unreadable", "binary data that is not a PDF, DOCX or web page"),
    (BAD / "news-not-a-report.html", "not_a_report", "no report title, section headings or template tables found"),
    (BAD / "report-list-page.html", "not_a_report", "a list of reports (several report titles, no report sections)"),
    (
        BAD / "attachment-only.html",
        "no_report_text",
        "a report title but no report text on the page (attachment only?)",
    ),
    (BAD / "report-2019.doc", "unsupported_format", "OLE file that holds no Word document; ask for a PDF or DOCX"),
]


@pytest.mark.parametrize(("path", "rule", "message"), CASES, ids=[c[0].name for c in CASES])
def test_bad_input_is_one_issue(path: Path, rule: str, message: str) -> None:
    report = parse_path(path)
    assert report.template is None and report.facts == []
    assert [(i.rule, i.severity, i.message) for i in report.issues] == [(rule, "error", message)]


@pytest.mark.parametrize(("path", "rule", "message"), CASES, ids=[c[0].name for c in CASES])
def test_cli_bad_input_exit_codes(path: Path, rule: str, message: str) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0
    obj = json.loads(result.stdout)
    assert obj["template"] is None and obj["facts"] == [] and obj["issues"][0]["rule"] == rule
    assert result.stderr == f"{path}: {rule}: {message}\n"
    strict = runner.invoke(cli, ["parse", str(path), "--strict"])
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == "Error: 1 of 1 documents unreadable or breaking a rule (--strict)"
    assert "Traceback" not in strict.output


def test_news_article_metadata_not_taken_from_related_links() -> None:
    """The news page lists two annual reports in its sidebar; it is still not a report."""
    report = parse_path(BAD / "news-not-a-report.html")
    assert report.agency is None and report.year is None and report.title is None


def test_fifty_megabyte_page_through_the_installed_command(tmp_path: Path) -> None:
    big = tmp_path / "huge.html"
    row = "<tr><td>行政许可</td><td>1</td></tr>\n".encode()
    with big.open("wb") as fh:
        fh.write(b"<html><body><table>")
        for _ in range((50 * 2**20) // len(row) + 1):
            fh.write(row)
        fh.write(b"</table></body></html>")
    assert big.stat().st_size > 50 * 2**20
    done = subprocess.run([str(GOVREPORTS), "parse", str(big)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    obj = json.loads(done.stdout)
    assert obj["issues"][0]["rule"] == "too_large"
    assert done.stderr.strip() == f"{big}: too_large: document is 50.0 MiB, over the 32.0 MiB limit (PARSE_MAX_BYTES)"
    strict = subprocess.run(
        [str(GOVREPORTS), "parse", str(big), "--strict"], capture_output=True, text=True, timeout=120
    )
    assert strict.returncode == 1
    assert "Traceback" not in strict.stderr and len(strict.stderr.strip().splitlines()) == 2


def test_subprocess_mixed_batch_and_nothing_half_written(tmp_path: Path) -> None:
    """Good and bad documents together: every one yields a line; a missing path writes nothing."""
    out = tmp_path / "facts.jsonl"
    good = FIXTURES / "html" / "xihu-edu-2023.html"
    done = subprocess.run(
        [str(GOVREPORTS), "parse", str(good), str(BAD / "junk.bin"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(x)["template"] for x in lines] == ["2021", None]
    missing = tmp_path / "again.jsonl"
    done = subprocess.run(
        [str(GOVREPORTS), "parse", str(good), str(tmp_path / "nope.html"), "-o", str(missing)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: no such file: {tmp_path / 'nope.html'}"
    assert not missing.exists() and list(tmp_path.glob(".again*")) == []


def test_attachment_only_page_keeps_its_metadata() -> None:
    """The crawler needs to know whose report it is, to go and fetch the attachment."""
    report = parse_path(BAD / "attachment-only.html")
    assert (report.agency, report.year, report.published) == ("某某县人民政府办公室", 2022, "2023-01-31")
    assert report.template is None and report.facts == []
