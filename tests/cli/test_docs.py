"""The documentation is kept with the code: the CLI reference, the settings, the README's front door."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cogapp import Cog

from govreports.settings import DEFAULTS

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_cli_reference_is_what_the_commands_say_now(capsys) -> None:
    status = Cog().main(["cog", "--check", str(DOCS / "cli.md")])
    assert status == 0, "docs/cli.md is out of date: run `make docs`\n" + capsys.readouterr().out


def test_settings_page_has_one_line_per_setting_with_its_default() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| `([^`]*)`", text, flags=re.M))
    assert set(rows) == set(DEFAULTS), "docs/settings.md and govreports/settings.py list different settings"
    for key, shown in rows.items():
        default = DEFAULTS[key]
        want = str(default).lower() if isinstance(default, bool) else str(default)
        assert shown == want, key


def test_readme_is_a_front_door_with_the_two_commands() -> None:
    assert len(README.encode()) < 8_000
    section = README.split("## Two commands\n", 1)[1].split("\n## ", 1)[0]
    assert "make run" in section and "make test" in section
    for page in (
        "crawling",
        "parsing",
        "database",
        "cli",
        "settings",
        "notebooks",
        "development",
        "benchmarks",
        "spec",
    ):
        assert f"docs/{page}.md" in README, page
        assert (DOCS / f"{page}.md").exists(), page
    assert "CHANGELOG.md" in README


@pytest.mark.parametrize(
    "page", [*sorted(p.name for p in DOCS.glob("*.md")), "../README.md", "../benchmarks/RESULTS.md"]
)
def test_relative_links_point_at_files_that_exist(page: str) -> None:
    path = DOCS / page
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
        assert (path.parent / target).exists(), f"{page}: {target}"
