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
    real = Sandbox.parse

    def parse(self, data, source="<bytes>", content_type=None, context=None):  # a bug, as RecursionError once was
        if str(source).endswith("b-crash.html"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, data, source, content_type, context)

    monkeypatch.setattr(Sandbox, "parse", parse)  # `govreports parse` parses each document through its sandbox
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
