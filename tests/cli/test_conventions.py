"""The conventions every command follows: output options, --strict/--fail-fast, exit codes, help, errors."""

from __future__ import annotations

import io
import json

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from govreports.cli import cli
from govreports.errors import ExitCode, GovreportsError
from govreports.scraper.families import FAMILIES
from tests.support import JIAXING, MULTIYEAR, REGISTRY

ROW_COMMANDS = ["parse", "load", "query", "compare", "failures", "check", "registry check"]


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def commands(group: click.Group = cli, prefix: str = "") -> dict[str, click.Command]:
    """Every command by its full name ("load", "registry import"), subcommands included."""
    out: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        out[full] = command
        if isinstance(command, click.Group):
            out.update(commands(command, full + " "))
    return out


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_command_and_option_has_help(name: str) -> None:
    command = commands()[name]
    assert command.help and len(command.help) > 20, name
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help and len(param.help) > 10, f"{name} {param.opts[0]}"


@pytest.mark.parametrize("name", ROW_COMMANDS)
def test_commands_that_print_rows_share_one_output_option_set(name: str) -> None:
    options = {p.name: p for p in commands()[name].params}
    assert list(options["fmt"].type.choices) == ["table", "csv", "json"], name
    assert options["fmt"].opts == ["--format"] and options["output"].opts == ["-o", "--output"]


def test_output_help_is_the_same_text_everywhere() -> None:
    helps = {next(p.help for p in commands()[name].params if p.name == "output") for name in ROW_COMMANDS}
    assert len(helps) == 1


def test_family_choices_come_from_the_families() -> None:
    option = next(p for p in cli.commands["crawl"].params if p.name == "family")
    assert set(option.type.choices) == set(FAMILIES)


def test_usage_errors_exit_1_with_one_line() -> None:
    result = run("crawl", "--family", "wordpress", "https://x.example/")
    assert result.exit_code == ExitCode.FATAL
    assert result.output.strip().splitlines()[-1].startswith("Error: Invalid value for '--family': 'wordpress'")
    assert run("parse").exit_code == 1  # missing argument: 1, not click's 2
    assert run("no-such-command").exit_code == 1
    assert run("--help").exit_code == 0


def test_every_error_type_is_under_the_one_root() -> None:
    from govreports.db import errors as db_errors
    from govreports.parsers import errors as parse_errors
    from govreports.scraper import errors as fetch_errors

    for module in (db_errors, parse_errors, fetch_errors):
        classes = [c for c in vars(module).values() if isinstance(c, type) and issubclass(c, Exception)]
        assert classes and all(issubclass(c, GovreportsError) for c in classes), module.__name__


def test_query_writes_json_lines_and_files(db_url, tmp_path) -> None:
    assert run("load", "--db", db_url, "--agencies", REGISTRY, JIAXING, MULTIYEAR).exit_code == 0
    as_csv = run("query", "--db", db_url, "--view", "applications", "--agency", "财政", "--format", "csv")
    rows = list(pd.read_csv(io.StringIO(as_csv.output))["year"])
    out = tmp_path / "q.jsonl"
    result = run("query", "--db", db_url, "--view", "applications", "--agency", "财政", "--format", "json", "-o", out)
    assert result.exit_code == 0 and result.output == ""
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["year"] for r in records] == rows and {r["agency"] for r in records} == {"嘉兴市财政局"}
    trend = run("compare", "--db", db_url, "--agency", "嘉兴市经济和信息化局", "--format", "json")
    assert [json.loads(line)["granted_total"] for line in trend.output.splitlines()] == [1, 3, 4, 5]
    check = run("check", "--db", db_url, "--format", "csv")
    frame = pd.read_csv(io.StringIO(check.stdout))
    assert sorted(frame["rule"]) == ["X1", "X1", "X2"]


def test_registry_import_converts_the_csv_to_the_committed_toml(tmp_path) -> None:
    out = tmp_path / "agencies.toml"
    result = run("registry", "import", MULTIYEAR / "agencies.csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == REGISTRY.read_text(encoding="utf-8")
    listed = run("registry", "check", out, "--load", "--format", "csv")
    frame = pd.read_csv(io.StringIO(listed.stdout))
    assert list(frame["name"])[:2] == ["嘉兴市人民政府", "嘉兴市经济和信息化局"]
    assert frame.loc[1, "parent"] == "嘉兴市人民政府" and frame.loc[1, "level"] == "prefecture"
    assert run("registry", "check", "registry/agencies.toml").exit_code == 0  # the shipped registry


@pytest.mark.parametrize(
    "csv_text, message",
    [
        ("name,url\n甲局,http://a/\n", "unknown column(s) url"),
        ("name,site_url\n甲局,http://a/\n甲局,http://b/\n", ":3: duplicate agency 甲局"),
        ("region_code\n330400\n", "an agency list needs a 'name' column"),
        ("name,site_url\n甲局,ftp://a/\n", ":2 (甲局): start_url must be http(s)"),
    ],
)
def test_registry_import_errors_are_one_line(tmp_path, csv_text: str, message: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text(csv_text, encoding="utf-8")
    result = run("registry", "import", path, "-o", tmp_path / "a.toml")
    assert result.exit_code == 1 and not (tmp_path / "a.toml").exists()
    assert len(result.output.strip().splitlines()) == 1 and message in result.output


def test_load_takes_the_toml_registry_and_refuses_a_csv_with_the_way_out(db_url) -> None:
    result = run("load", "--db", db_url, "--agencies", MULTIYEAR / "agencies.csv", JIAXING)
    assert result.exit_code == 1
    assert "a registry is a TOML file; convert it once: govreports registry import" in result.output


def test_crawl_exits_3_when_one_agency_fails_and_the_others_crawl(tmp_path, monkeypatch) -> None:
    from govreports.demo import trs
    from govreports.demo.content import make_agency
    from govreports.demo.server import Farm

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVREPORTS_RETRY_TIMES", "1")
    site = trs.build(make_agency("江南市商务局", [2022], seed=11))
    with Farm([site]) as farm:
        good, gone = farm.url(site, "/"), farm.url(site, "/no/such/column/")
        (tmp_path / "r.toml").write_text(
            f'[[agency]]\nname = "江南市商务局"\nstart_url = "{good}"\n'
            f'[[agency]]\nname = "江北市商务局"\nstart_url = "{gone}"\nfamily = "trs"\n',
            encoding="utf-8",
        )
        db = f"sqlite:///{tmp_path / 'x.db'}"
        result = run("run", "--registry", "r.toml", "--db", db, "--allow-private", "--delay", "0.05")
    assert result.exit_code == ExitCode.PARTIAL, result.output
    assert "2 agencies: 1 new" in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: 1 of 2 agencies blocked or with failures")


def test_run_exit_status_from_the_summary() -> None:
    from types import SimpleNamespace

    from govreports.cli_crawl import exit_status
    from govreports.scraper.crawl import AgencyResult

    def summary(*agencies: AgencyResult) -> SimpleNamespace:  # what exit_status reads of a run's summary
        return SimpleNamespace(agencies=list(agencies), problems=[])

    fine = AgencyResult("甲局", new=3)
    robots = AgencyResult("乙局", unchanged=2, skipped=1, errors=["http://x/p.html: disallowed by robots.txt"])
    assert exit_status(summary(fine, robots)) == ExitCode.OK  # robots.txt obeyed is no failure
    assert exit_status(summary(fine, AgencyResult("丙局", new=1, failed=1, errors=["x: not loaded"]))) == 3
    assert exit_status(summary(fine, AgencyResult("丁局", blocked="HTTP 412 with a $_ts script"))) == 3
    assert exit_status(summary(AgencyResult("丁局", blocked="412"), AgencyResult("戊局", errors=["down"]))) == 1


def test_load_writes_its_results_as_rows(db_url, tmp_path) -> None:
    notice = tmp_path / "notice.html"
    notice.write_text("<html><body><p>关于开展安全生产检查的通知</p></body></html>", encoding="utf-8")
    out = tmp_path / "loaded.jsonl"
    result = run("load", "--db", db_url, "--format", "json", "-o", out, JIAXING, notice)
    assert result.exit_code == ExitCode.PARTIAL
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["status"], r["agency"], r["year"], r["version"]) for r in rows] == [
        ("new", "嘉兴市经济和信息化局", 2022, 1),
        ("failed", None, None, None),
    ]
    assert (rows[1]["stage"], rows[1]["source"]) == ("parse", str(notice))
    assert rows[1]["reason"] == "not_a_report: no report title, section headings or template tables found"
    again = run("load", "--db", db_url, "--format", "csv", JIAXING)
    frame = pd.read_csv(io.StringIO(again.stdout))
    assert list(frame["status"]) == ["unchanged"] and list(frame["source"]) == [str(JIAXING)]


def test_an_output_file_that_cannot_be_written_is_a_one_line_error(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    result = run("parse", JIAXING, "-o", blocker / "out.jsonl")  # a folder that is a file
    assert result.exit_code == ExitCode.FATAL
    assert result.output.strip() == f"Error: cannot write {blocker / 'out.jsonl'}: File exists"
    done = run("parse", JIAXING, "-o", tmp_path / "new" / "out.jsonl")
    assert done.exit_code == 0 and json.loads((tmp_path / "new" / "out.jsonl").read_text(encoding="utf-8"))
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["out.jsonl"]  # no temporary file left
