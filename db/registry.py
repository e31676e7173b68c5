"""Agency registries: a CSV of what is known about agencies (region, level, parent, site), by name.

Columns: ``name,region_code,level,parent,site_url`` and optionally ``kind`` (government | department) (extra columns ignored, empty cells unknown). A
report whose printed agency name matches a row's ``name`` is loaded with that row as its
:class:`~db.load.AgencyHint`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from govreports.parsers import AGENCY_KINDS

from .agencies import AgencyHint
from .errors import DatabaseError
from .models import LEVELS


def read_registry(path: str | Path) -> dict[str, AgencyHint]:
    """name (white space removed) → hint; a malformed file raises :class:`DatabaseError` naming the line."""
    out: dict[str, AgencyHint] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "name" not in reader.fieldnames:
                raise DatabaseError(f"{path}: an agency registry needs a 'name' column")
            for n, row in enumerate(reader, start=2):
                name = (row.get("name") or "").strip()
                if not name:
                    continue
                level = (row.get("level") or "").strip() or None
                if level and level not in LEVELS:
                    raise DatabaseError(f"{path}:{n}: level {level!r} is not one of {', '.join(LEVELS)}")
                kind = (row.get("kind") or "").strip() or None
                if kind and kind not in AGENCY_KINDS:
                    raise DatabaseError(f"{path}:{n}: kind {kind!r} is not one of {', '.join(AGENCY_KINDS)}")
                out["".join(name.split())] = AgencyHint(
                    name=name,
                    region_code=(row.get("region_code") or "").strip() or None,
                    level=level,
                    kind=kind,
                    parent=(row.get("parent") or "").strip() or None,
                    site_url=(row.get("site_url") or "").strip() or None,
                )
    except OSError as exc:
        raise DatabaseError(f"cannot read agency registry {path}: {exc.strerror or exc}") from exc
    return out
