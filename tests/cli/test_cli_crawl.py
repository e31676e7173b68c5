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


def test_a_run_with_failed_reports_exits_3(tmp_path, monkeypatch) -> None:
    """One report answers 404: the other loads, the failure is recorded, and the exit status is 3."""
    from govreports.demo import trs
    from govreports.demo.content import make_agency
    from govreports.demo.server import Farm

    monkeypatch.chdir(tmp_path)
    data = make_agency("江南市商务局", [2022, 2023], seed=11)
    site = trs.build(data, attachments=False)
    gone = "/xxgk/zfxxgknb/" + trs.article_rel(sorted(data.reports, key=lambda r: -r.year)[1], 1)
    del site.pages[gone]
    db = f"sqlite:///{tmp_path / 'x.db'}"
    with Farm([site]) as farm:
        result = CliRunner().invoke(cli, ["crawl", farm.url(site, "/"), "--db", db, "--allow-private", "--delay", "0"])
    assert result.exit_code == 3, result.output
    assert "1 agencies: 1 new, 0 changed, 0 unchanged, 1 failed" in result.output
    assert result.output.strip().splitlines()[-1] == "Error: 1 report(s) failed (see `govreports failures`)"
