"""What the loader takes from an agency registry: a hint (region, level, kind, parent, site) per name.

The registry itself is one TOML file (``govreports.scraper.registry.read_entries`` reads and checks
it; ``govreports registry import`` converts a CSV). A report whose printed agency name matches an
entry's ``name`` is loaded with that entry as its :class:`~govreports.db.agencies.AgencyHint`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .agencies import AgencyHint
from .errors import DatabaseError
from .models import LEVELS


def hints_from_entries(entries: Iterable[Mapping[str, Any]], where: str = "registry") -> dict[str, AgencyHint]:
    """name (white space removed) → hint; a level outside :data:`LEVELS` raises :class:`DatabaseError`."""
    out: dict[str, AgencyHint] = {}
    for n, entry in enumerate(entries, 1):
        name = str(entry["name"]).strip()
        level = entry.get("level") or None
        if level and level not in LEVELS:
            raise DatabaseError(f"{where}: agency #{n} ({name}): level {level!r} is not one of {', '.join(LEVELS)}")
        out["".join(name.split())] = AgencyHint(
            name=name,
            region_code=str(entry["region_code"]) if entry.get("region_code") else None,
            level=level,
            kind=entry.get("kind") or None,
            parent=entry.get("parent") or None,
            site_url=entry.get("start_url") or None,
        )
    return out
