"""`parse dir/`: every document gets its line, even when one of them makes the parser raise."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from govreports.cli import cli
from govreports.parsers import Sandbox
from tests.support import JIAXING


def test_one_crashing_document_does_not_hide_the_others(tmp_path, monkeypatch) -> None:
    shutil.copy(JIAXING, tmp_path / "a-good.txt")
    (tmp_path / "b-crash.html").write_text("<html><body>anything</body></html>", encoding="utf-8")
    shutil.copy(JIAXING, tmp_path / "c-good.txt")
    real = Sandbox.parse_json

    def parse_json(self, data, source="<bytes>", content_type=None, context=None):  # a bug, as RecursionError was
        if str(source).endswith("b-crash.html"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, data, source, content_type, context)

    # `govreports parse` parses each document through its sandbox, whose worker writes the JSON line
    monkeypatch.setattr(Sandbox, "parse_json", parse_json)
    result = CliRunner().invoke(cli, ["parse", str(tmp_path)])
    assert result.exit_code == 3, result.output + result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"].rsplit("/", 1)[-1] for line in lines] == ["a-good.txt", "b-crash.html", "c-good.txt"]
    assert lines[0]["agency"] == lines[2]["agency"] == "嘉兴市经济和信息化局"
    assert lines[1]["issues"] == [
        {
            "rule": "parser_crashed",
            "severity": "error",
            "message": "RecursionError: maximum recursion depth exceeded",
            "cells": [],
        }
    ]
    assert f"{tmp_path / 'b-crash.html'}: parser_crashed: RecursionError: maximum recursion depth exceeded" in (
        result.stderr.splitlines()
    )
    assert result.stderr.splitlines()[-1] == "Error: 1 of 3 documents could not be fetched or parsed"


def test_csv_goes_through_the_same_guard(tmp_path, monkeypatch) -> None:
    """CSV needs the facts, so its reports come back whole through ``Sandbox.parse``: a bug there is one row-less document."""
    shutil.copy(JIAXING, tmp_path / "a-good.txt")
    (tmp_path / "b-crash.html").write_text("<html><body>anything</body></html>", encoding="utf-8")
    real = Sandbox.parse

    def parse(self, data, source="<bytes>", content_type=None, context=None):
        if str(source).endswith("b-crash.html"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, data, source, content_type, context)

    monkeypatch.setattr(Sandbox, "parse", parse)
    result = CliRunner().invoke(cli, ["parse", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 3, result.output + result.stderr
    rows = result.stdout.splitlines()
    assert len(rows) == 1 + 200  # the header, then the Jiaxing report's 200 cells; none from the crashed one
    assert {row.split(",")[0].rsplit("/", 1)[-1] for row in rows[1:]} == {"a-good.txt"}
    assert f"{tmp_path / 'b-crash.html'}: parser_crashed: RecursionError: maximum recursion depth exceeded" in (
        result.stderr.splitlines()
    )


def test_json_lines_are_the_reports_json_whoever_writes_them(tmp_path) -> None:
    """The worker writes each line (``parse_each_json``); it is byte for byte what ``Report.to_json`` gives here."""
    from govreports.api import parse_each, parse_each_json
    from govreports.parsers import Context

    shutil.copy(JIAXING, tmp_path / "a.txt")
    (tmp_path / "b.html").write_bytes(b"\x00\xff junk")
    context = Context(agency="嘉兴市经济和信息化局", year=2022)
    in_process = [r.to_json() for r in parse_each([tmp_path], context=context)]
    with Sandbox(timeout=60) as sandbox:
        rendered = list(parse_each_json([tmp_path], context=context, sandbox=sandbox))
    assert [r.json for r in rendered] == in_process
    assert json.loads(rendered[0].json)["agency"] == "嘉兴市经济和信息化局"
    assert len(json.loads(rendered[0].json)["facts"]) == 200
    assert rendered[0].report.facts == []  # the facts stayed in the worker: they are in the line
    assert rendered[0].report.agency == "嘉兴市经济和信息化局" and rendered[0].report.template == "2021"
    assert not rendered[1].report.ok and rendered[1].report.issues[0].severity == "error"
