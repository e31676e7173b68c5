"""Site families: one small module each, tried in order; ``generic`` is the fallback.

Adding a family is one module satisfying :class:`SiteFamily` (``NAME``, ``matches``, ``is_column``,
``links``, ``pages``, ``article``), plus its entry in :data:`FAMILIES` — which the CLI's
``--family`` choices and the registry's checks read, so nothing else lists the names.
"""

from __future__ import annotations

from . import generic, gkmlpt, hanweb, trs
from .base import Article, Link, Page
from .protocol import SiteFamily

# name -> family, in the order ``detect`` tries them (generic, which matches any page, last)
FAMILIES: dict[str, SiteFamily] = {m.NAME: m for m in (hanweb, gkmlpt, trs, generic)}

__all__ = ["FAMILIES", "Article", "Link", "Page", "SiteFamily", "detect"]


def detect(page: Page, name: str | None = None) -> SiteFamily:
    """The family named (from the registry), else the first whose ``matches`` the page, else generic."""
    if name:
        if name not in FAMILIES:
            raise KeyError(f"unknown site family {name!r} (known: {', '.join(FAMILIES)})")
        return FAMILIES[name]
    return next(m for m in FAMILIES.values() if m.matches(page))
