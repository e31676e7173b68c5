"""Run mypy on the installed layout: ``govreports.parsers`` lives in ``parsers/`` and so on.

mypy cannot follow setuptools' editable import hook, so this builds a tree of links shaped like
the installed package (``.typecheck/govreports/parsers -> parsers/`` …) from the ``package-dir``
table in pyproject.toml, runs mypy over it, and prints paths as they are in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / ".typecheck"


def build_tree() -> dict[str, str]:
    """Link every mapped folder into place; return {link prefix in mypy's output: repository path}."""
    mapping: dict[str, str] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    shutil.rmtree(TREE, ignore_errors=True)
    top = TREE / "govreports"
    top.mkdir(parents=True)
    for entry in (ROOT / mapping["govreports"]).iterdir():
        (top / entry.name).symlink_to(entry)
    prefixes = {f".typecheck/govreports/{e.name}": f"{mapping['govreports']}/{e.name}" for e in top.iterdir()}
    for package, folder in mapping.items():
        if package == "govreports":
            continue
        link = TREE.joinpath(*package.split("."))
        link.unlink(missing_ok=True)
        link.symlink_to(ROOT / folder)
        prefixes[".typecheck/" + package.replace(".", "/")] = folder
    return prefixes


def main() -> int:
    prefixes = build_tree()
    env = dict(os.environ, MYPYPATH=str(TREE))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "-p", "govreports", *sys.argv[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    longest_first = sorted(prefixes.items(), key=lambda kv: -len(kv[0]))
    for line in (done.stdout + done.stderr).splitlines():
        for link, real in longest_first:
            if line.startswith(link):
                line = real + line[len(link) :]
                break
        print(line)
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
