"""The layers of govreports import only downwards, and ``parsers`` only through its public names.

``parsers`` imports no other layer; ``scraper`` and ``db`` import ``parsers`` (never each other);
``govreports.pipeline`` wires them. Outside ``parsers`` nothing imports a parser module or a name
missing from ``govreports.parsers.__all__``. Every ``import`` (at the top or inside a function) is
read from the modules' syntax trees, so a lazy import cannot slip past. Every layer may import
``govreports.settings`` and ``govreports.errors`` (the exception root), which import nothing of ours.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import govreports
from govreports import parsers

# package -> the other govreports packages (and modules) it may import; None: any
ALLOWED: dict[str, set[str] | None] = {
    "parsers": {"settings", "errors"},
    "scraper": {"settings", "errors", "parsers"},
    "db": {"settings", "errors", "parsers"},
    "pipeline": {"settings", "errors", "parsers", "scraper", "db"},
    "demo": None,
    "testing": None,
}
PUBLIC = set(parsers.__all__)


def package_dir(package: str) -> Path:
    return Path(importlib.import_module(f"govreports.{package}").__path__[0])


def imported(tree: ast.Module, module: str, is_package: bool) -> Iterator[tuple[int, str, str | None]]:
    """(line, module, name or None) of everything ``module`` imports, relative imports resolved."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                base = parts if is_package else parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            for alias in node.names:  # `from govreports import db` imports the package govreports.db
                if prefix == "govreports":
                    yield node.lineno, f"govreports.{alias.name}", None
                else:
                    yield node.lineno, prefix, alias.name


def violations(package: str | None, source: str, module: str, is_package: bool = False) -> list[str]:
    """The imports of one module (of ``package``, or of ``govreports`` itself when None) that break the rules."""
    rule = ALLOWED.get(package) if package else None
    bad = []
    for line, name, member in imported(ast.parse(source), module, is_package):
        parts = name.split(".")
        if parts[0] != "govreports" or len(parts) == 1:
            continue
        if rule is not None and parts[1] not in rule | {package}:
            bad.append(f"{module}:{line} imports {name}")
        elif package != "parsers" and parts[1] == "parsers":
            if len(parts) > 2:
                bad.append(f"{module}:{line} imports the parsers' internal module {name}")
            elif member is not None and member not in PUBLIC:
                bad.append(f"{module}:{line} imports {member}, not in govreports.parsers.__all__")
    return bad


def modules(root: Path, prefix: str, recursive: bool = True) -> Iterator[tuple[str, Path, bool]]:
    for path in sorted(root.rglob("*.py") if recursive else root.glob("*.py")):
        rel = path.relative_to(root).with_suffix("").parts
        is_package = rel[-1] == "__init__"
        yield ".".join((prefix, *(rel[:-1] if is_package else rel))), path, is_package


def check(package: str | None, found: list[tuple[str, Path, bool]]) -> list[str]:
    return [v for dotted, path, is_pkg in found for v in violations(package, path.read_text("utf-8"), dotted, is_pkg)]


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_its_layer_may(package: str) -> None:
    found = list(modules(package_dir(package), f"govreports.{package}"))
    assert len(found) >= 3, f"no modules found for govreports.{package} under {package_dir(package)}"
    assert check(package, found) == []


def test_top_level_modules_use_only_the_parsers_public_names() -> None:
    found = list(modules(Path(govreports.__file__).parent, "govreports", recursive=False))
    assert {"govreports.api", "govreports.cli"} <= {dotted for dotted, _, _ in found}
    assert check(None, found) == []


def test_public_names_exist() -> None:
    assert [name for name in parsers.__all__ if not hasattr(parsers, name)] == []


def test_checker_sees_every_kind_of_import() -> None:
    """The rule check itself: absolute, from-package, relative and lazy imports are all caught."""
    source = """
import govreports.scraper.crawl
from govreports import db, settings
from ..scraper.state import State
from . import template

def later():
    from govreports.pipeline import NightlyJob
    from govreports.parsers.template import APPLICANT_KEYS
    from govreports.parsers import _read, parse_bytes
"""
    assert violations("parsers", source, "govreports.parsers.report") == [
        "govreports.parsers.report:2 imports govreports.scraper.crawl",
        "govreports.parsers.report:3 imports govreports.db",
        "govreports.parsers.report:4 imports govreports.scraper.state",
        "govreports.parsers.report:8 imports govreports.pipeline",
    ]
    assert violations("pipeline", source, "govreports.pipeline.job") == [
        "govreports.pipeline.job:9 imports the parsers' internal module govreports.parsers.template",
        "govreports.pipeline.job:10 imports _read, not in govreports.parsers.__all__",
    ]
    assert violations("db", "from ..scraper import crawl", "govreports.db.load") == [
        "govreports.db.load:1 imports govreports.scraper"
    ]
