"""docs/cli.md from the commands themselves: each command's ``--help`` and the exit-code table.

Run through cog (``make docs``: ``cog -r docs/cli.md``); ``tests/cli/test_docs.py`` fails when the
file is not what this module generates now.
"""

from __future__ import annotations

import click

from .errors import ExitCode

WIDTH = 100  # help is rendered at this width, whatever the terminal: the file must not depend on it


def exit_codes() -> str:
    """The exit-code table (:class:`~govreports.errors.ExitCode`) as Markdown."""
    rows = [f"| {code.value} | `{code.name}` | {code.meaning} |" for code in ExitCode]
    return "\n".join(["| status | name | meaning |", "| ---: | --- | --- |", *rows]) + "\n"


def reference(group: click.Group | None = None) -> str:
    """Every command's ``--help``, in name order, subcommands after their group, as Markdown."""
    if group is None:
        from .cli import cli

        group = cli
    settings = {**group.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    root = click.Context(group, info_name="govreports", **settings)  # -h, as on the command line
    return "".join(_sections(group, root))


def _sections(group: click.Group, parent: click.Context) -> list[str]:
    out = []
    for name in sorted(group.commands):
        command = group.commands[name]
        ctx = click.Context(command, parent=parent, info_name=name, terminal_width=WIDTH, max_content_width=WIDTH)
        out.append(f"\n### {ctx.command_path}\n\n```text\n{command.get_help(ctx)}\n```\n")
        if isinstance(command, click.Group):
            out += _sections(command, ctx)
    return out
