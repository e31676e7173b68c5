"""Every db command has help text and a line in the README; every view is documented there."""

from __future__ import annotations

from pathlib import Path

import pytest

from govreports.cli import cli
from govreports.db.views import RATES, VIEWS

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
DB_COMMANDS = ["load", "failures", "query", "compare", "export", "check"]


@pytest.mark.parametrize("name", DB_COMMANDS)
def test_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help) > 20
    assert f"govreports {name}" in README


def test_every_view_and_rate_is_documented() -> None:
    for view in VIEWS:
        assert f"`{view}`" in README, view
    for rate in RATES:
        assert f"`{rate.name}`" in README, rate.name
