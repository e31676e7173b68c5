"""The crawl commands' one-line errors (before any database is opened)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from govreports.cli import cli


@pytest.mark.parametrize(
    "args, message",
    [
        (["crawl"], "Error: nothing to crawl: give URLs or --registry FILE"),
        (["crawl", "www.example.gov.cn"], "Error: not an http(s) URL: www.example.gov.cn"),
        (["crawl", "--registry", "nowhere.toml"], "Error: nowhere.toml: cannot read: No such file or directory"),
        (["run", "--registry", "nowhere.toml"], "Error: no such registry: nowhere.toml"),
    ],
)
def test_crawl_errors_are_one_line(args, message, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1] == message
    assert "Traceback" not in result.output


def test_every_crawl_command_has_help() -> None:
    for name in ("crawl", "run", "demo"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
        assert cli.commands[name].help


def test_demo_is_the_main_job(tmp_path, monkeypatch) -> None:
    """`govreports demo` (what `make run` calls): offline, into ./govreports.db, summary and comparison."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOVREPORTS_DB", raising=False)
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "5 agencies: 15 new, 0 changed, 0 unchanged, 0 failed, 1 blocked" in result.output
    assert "cross-year checks: 0 finding(s)" in result.output
    assert "│ 嘉兴市经济和信息化局 │ 2022 │ 2021     │   8 │            0 │       3 │         8 │" in result.output
    assert (tmp_path / "govreports.db").exists() and list((tmp_path / "data" / "raw").rglob("*.html"))
    again = CliRunner().invoke(cli, ["demo"])
    assert again.exit_code == 0 and "0 new, 0 changed" in again.output


def test_crawl_a_url_and_run_a_registry(tmp_path, monkeypatch) -> None:
    from govreports.demo import trs
    from govreports.demo.content import make_agency
    from govreports.demo.server import Farm

    monkeypatch.chdir(tmp_path)
    site = trs.build(make_agency("江南市商务局", [2022, 2023], seed=11))
    db = f"sqlite:///{tmp_path / 'x.db'}"
    with Farm([site]) as farm:
        url = farm.url(site, "/")
        refused = CliRunner().invoke(cli, ["crawl", url, "--db", db])
        crawled = CliRunner().invoke(cli, ["crawl", url, "--db", db, "--allow-private", "--delay", "0.01"])
        (tmp_path / "r.toml").write_text(f'[[agency]]\nname = "江南市商务局"\nstart_url = "{url}"\n', encoding="utf-8")
        ran = CliRunner().invoke(cli, ["run", "--registry", "r.toml", "--db", db, "--allow-private", "--delay", "0.01"])
    assert refused.exit_code == 1 and "1 agencies: 0 new" in refused.output  # loopback refused without the flag
    assert "loopback/private/non-global address" in refused.output
    assert crawled.exit_code == 0 and "1 agencies: 2 new" in crawled.output, crawled.output
    assert ran.exit_code == 0 and "1 agencies: 0 new, 0 changed, 2 unchanged" in ran.output, ran.output


def test_a_run_whose_parse_workers_died_exits_3() -> None:
    """Every report loaded, but the run replaced dead parse workers: partial, and the summary says why."""
    from datetime import UTC, datetime

    from govreports.cli_crawl import exit_status
    from govreports.errors import ExitCode
    from govreports.pipeline import Summary
    from govreports.scraper.crawl import AgencyResult

    fine = Summary(1, datetime.now(UTC), agencies=[AgencyResult("甲局", new=3)])
    assert exit_status(fine) == ExitCode.OK
    fine.problems.append("parse workers died: the pool was replaced 1 time(s)")
    assert exit_status(fine) == ExitCode.PARTIAL
