"""The last line of defence: a document past the time or memory limit, or one that kills its worker,
is that document's issue; the worker is replaced and the next document parses."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest
from click.testing import CliRunner

from govreports.cli import cli
from govreports.parsers.sandbox import Sandbox
from tests.support import JIAXING, values
from tests.support.hostile import html_nested

# lexbor's tree builder is quadratic in nesting: with the depth check raised out of the way this
# page takes minutes, which is what a hostile document the readers cannot see through looks like
SLOW = html_nested("div", 100_000, closed=False)
NO_DEPTH_CHECK = "GOVREPORTS_PARSE_MAX_DEPTH"


@pytest.fixture
def unbounded_depth(monkeypatch) -> None:
    monkeypatch.setenv(NO_DEPTH_CHECK, str(10**9))


def test_sandbox_parses_like_parse_bytes() -> None:
    from govreports.parsers import parse_path

    with Sandbox(timeout=60) as sandbox:
        report = sandbox.parse(JIAXING.read_bytes(), str(JIAXING))
    assert values(report) == values(parse_path(JIAXING))
    assert report.issues == []


@pytest.mark.slow
def test_too_slow_document_is_an_issue_and_the_next_one_parses(unbounded_depth) -> None:
    with Sandbox(timeout=2) as sandbox:
        start = time.monotonic()
        slow = sandbox.parse(SLOW, "slow.html")
        took = time.monotonic() - start
        good = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    assert [(i.rule, i.severity, i.message) for i in slow.issues] == [
        ("too_slow", "error", "parsing took longer than 2 seconds, the limit (PARSE_TIMEOUT)")
    ]
    assert slow.template is None and slow.content_hash is not None
    assert took < 15  # the worker is killed at the deadline, not waited for
    assert good.template == "2021" and good.issues == []


@pytest.mark.slow
def test_worker_killed_mid_document_is_parser_crashed(unbounded_depth) -> None:
    with Sandbox(timeout=60) as sandbox:
        sandbox.parse(b"warm up", "x.txt")
        pid = sandbox._process.pid  # the worker, killed from outside as a C library would kill it
        threading.Timer(1.0, os.kill, (pid, signal.SIGKILL)).start()
        crashed = sandbox.parse(SLOW, "slow.html")
        good = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    assert [(i.rule, i.message) for i in crashed.issues] == [
        (
            "parser_crashed",
            "the parser crashed on this document (SIGKILL); often memory beyond 1024.0 MiB (PARSE_MEMORY)",
        )
    ]
    assert good.template == "2021"


def test_worker_reads_the_limits_of_the_moment(monkeypatch) -> None:
    """Settings changed after the worker started still apply: they travel with each document."""
    with Sandbox(timeout=60) as sandbox:
        sandbox.parse(b"warm up", "x.txt")
        monkeypatch.setenv("GOVREPORTS_PARSE_MAX_BYTES", "100")
        report = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    assert report.issues[0].rule == "too_large"
    assert report.issues[0].message.endswith("over the 100 bytes limit (PARSE_MAX_BYTES)")


@pytest.mark.slow
def test_cli_parse_timeout_flag(tmp_path, unbounded_depth) -> None:
    slow = tmp_path / "slow.html"
    slow.write_bytes(SLOW)
    result = CliRunner().invoke(cli, ["parse", str(slow), str(JIAXING), "--timeout", "2"])
    assert result.exit_code == 0, result.output
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["issues"][0]["rule"] if r["issues"] else None for r in reports] == ["too_slow", None]
    assert reports[1]["template"] == "2021"
    assert result.stderr == f"{slow}: too_slow: parsing took longer than 2 seconds, the limit (PARSE_TIMEOUT)\n"
