"""The crawl commands' one-line errors (before any database is opened)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from govreports.cli import cli


@pytest.mark.parametrize("args, message", [
    (["crawl"], "Error: nothing to crawl: give URLs or --registry FILE"),
    (["crawl", "www.example.gov.cn"], "Error: not an http(s) URL: www.example.gov.cn"),
    (["crawl", "--registry", "nowhere.toml"], "Error: nowhere.toml: cannot read: No such file or directory"),
    (["run", "--registry", "nowhere.toml"], "Error: no such registry: nowhere.toml"),
])
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
