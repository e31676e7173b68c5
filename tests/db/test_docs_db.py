"""Every db command has help text and a section in docs/cli.md; every view and rate is in docs/database.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreports.cli import cli
from govreports.db.views import RATES, VIEWS

DOCS = Path(__file__).parents[2] / "docs"
CLI_DOC = (DOCS / "cli.md").read_text(encoding="utf-8")
DATABASE_DOC = (DOCS / "database.md").read_text(encoding="utf-8")
DB_COMMANDS = ["load", "failures", "query", "compare", "export", "check"]


@pytest.mark.parametrize("name", DB_COMMANDS)
def test_command_has_help_and_is_documented(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help) > 20
    assert f"### govreports {name}\n" in CLI_DOC
    assert f"govreports {name}" in DATABASE_DOC


def test_every_view_and_rate_is_documented() -> None:
    for view in VIEWS:
        assert f"`{view}`" in DATABASE_DOC, view
    for rate in RATES:
        assert f"`{rate.name}`" in DATABASE_DOC, rate.name
