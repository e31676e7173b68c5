"""The layers of govreports import only downwards: scraper → parsers ← db, and pipeline wires them.

Every ``import`` of every module (at the top or inside a function) is read from its syntax tree,
so a lazy import cannot slip past. A package may import itself, ``govreports.settings`` and the
packages listed for it; anything else under ``govreports`` is a violation.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

# package -> the other govreports packages (and modules) it may import
ALLOWED: dict[str, set[str]] = {
    "parsers": {"settings"},
    "scraper": {"settings", "parsers"},
    "db": {"settings", "parsers"},
    "pipeline": {"settings", "parsers", "scraper", "db"},
}


def package_dir(package: str) -> Path:
    module = __import__(f"govreports.{package}", fromlist=["_"])
    return Path(module.__path__[0])


def imported(tree: ast.Module, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything ``module`` imports, relative imports resolved."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                base = parts if is_package else parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            for alias in node.names:  # `from govreports import db` imports the package govreports.db
                yield node.lineno, f"{prefix}.{alias.name}" if prefix == "govreports" else prefix


def violations(package: str, source: str, module: str, is_package: bool = False) -> list[str]:
    """The imports of one module of ``package`` that its layer forbids."""
    allowed = {package} | ALLOWED[package]
    bad = []
    for line, name in imported(ast.parse(source), module, is_package):
        parts = name.split(".")
        if parts[0] != "govreports" or len(parts) == 1:
            continue
        if parts[1] not in allowed:
            bad.append(f"{module}:{line} imports {name}")
    return bad


def modules(package: str) -> Iterator[tuple[str, Path, bool]]:
    root = package_dir(package)
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("").parts
        is_package = rel[-1] == "__init__"
        dotted = ".".join(("govreports", package, *(rel[:-1] if is_package else rel)))
        yield dotted, path, is_package


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_its_lower_layers(package: str) -> None:
    found = list(modules(package))
    assert len(found) > 3, f"no modules found for govreports.{package} under {package_dir(package)}"
    bad = [v for dotted, path, is_pkg in found for v in violations(package, path.read_text("utf-8"), dotted, is_pkg)]
    assert bad == []


def test_checker_sees_every_kind_of_import() -> None:
    """The rule check itself: absolute, from-package, relative and lazy imports are all caught."""
    source = """
import govreports.scraper.crawl
from govreports import db, settings
from ..scraper.state import State
from . import template

def later():
    from govreports.pipeline import NightlyJob
"""
    assert violations("parsers", source, "govreports.parsers.report") == [
        "govreports.parsers.report:2 imports govreports.scraper.crawl",
        "govreports.parsers.report:3 imports govreports.db",
        "govreports.parsers.report:4 imports govreports.scraper.state",
        "govreports.parsers.report:8 imports govreports.pipeline",
    ]
    assert violations("pipeline", source, "govreports.pipeline.job") == []
