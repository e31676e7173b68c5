"""Site families: one small module each, tried in order; ``generic`` is the fallback.

Adding a family is one file with ``NAME``, ``matches``, ``pages``, ``links``, ``article``, plus its
name in :data:`FAMILIES`.
"""

from __future__ import annotations

from types import ModuleType

from . import generic, gkmlpt, hanweb, trs
from .base import Article, Link, Page

FAMILIES: dict[str, ModuleType] = {m.NAME: m for m in (hanweb, gkmlpt, trs, generic)}

__all__ = ["FAMILIES", "Article", "Link", "Page", "detect"]


def detect(page: Page, name: str | None = None) -> ModuleType:
    """The family named (from the registry), else the first whose ``matches`` the page, else generic."""
    if name:
        if name not in FAMILIES:
            raise KeyError(f"unknown site family {name!r} (known: {', '.join(FAMILIES)})")
        return FAMILIES[name]
    return next(m for m in FAMILIES.values() if m.matches(page))
