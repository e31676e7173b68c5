"""Agencies: one identity across years and renamings, found by any name it goes by (``agency_aliases``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .models import Agency, AgencyAlias


@dataclass(slots=True)
class AgencyHint:
    """What a caller (the crawler's registry, an import script) knows about the reporting agency."""

    name: str
    region_code: str | None = None  # GB/T 2260
    level: str | None = None  # national | province | prefecture | county | township
    kind: str | None = None  # government | department (see ``govreports.db.coverage``)
    parent: str | None = None  # the parent agency's name
    site_url: str | None = None


def dialect_insert(conn: Connection, model):
    """INSERT with the dialect's ``on_conflict_do_nothing`` (SQLite and PostgreSQL have the same one)."""
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(model)


def _alias(name: str) -> str:
    return "".join(name.split())


def _own_name(printed: str | None, hint: AgencyHint | None) -> str:
    """The name a new agency is registered under: the hint's, else the printed one."""
    name = (hint and hint.name) or printed
    if not name:
        raise ValueError("a report with neither a printed agency nor a hint cannot be given an agency")
    return name


def resolve_agencies(conn: Connection, requests: list[tuple[str | None, AgencyHint | None]]) -> list[int]:
    """The agency id of each (printed name, hint): by any name it goes by, else a new agency.

    A new agency is named after the hint if there is one, else the printed name; every name seen
    becomes an alias; a hint fills what the agency row does not know yet.
    """
    own = [[_alias(n) for n in (hint and hint.name, printed) if n] for printed, hint in requests]
    names = sorted({a for names in own for a in names})
    known = dict(
        conn.execute(select(AgencyAlias.alias, AgencyAlias.agency_id).where(AgencyAlias.alias.in_(names))).all()
    )
    new = {
        _own_name(printed, hint)
        for (printed, hint), names_ in zip(requests, own, strict=True)
        if not any(a in known for a in names_)
    }
    ids: dict[str, int] = {}
    if new:
        conn.execute(
            dialect_insert(conn, Agency).on_conflict_do_nothing(index_elements=["name"]),
            [{"name": n} for n in sorted(new)],
        )
        ids = dict(conn.execute(select(Agency.name, Agency.id).where(Agency.name.in_(list(new)))).all())
    aliases: dict[str, int] = {}
    for (printed, hint), names_ in zip(requests, own, strict=True):
        agency_id = next((known[a] for a in names_ if a in known), None)
        if agency_id is None:
            agency_id = ids[_own_name(printed, hint)]
        for a in names_:
            if a not in known:
                aliases.setdefault(a, agency_id)
    if aliases:
        conn.execute(
            dialect_insert(conn, AgencyAlias).on_conflict_do_nothing(index_elements=["alias"]),
            [{"alias": a, "agency_id": i} for a, i in sorted(aliases.items())],
        )
        known.update(
            conn.execute(
                select(AgencyAlias.alias, AgencyAlias.agency_id).where(AgencyAlias.alias.in_(list(aliases)))
            ).all()
        )
    out, hinted = [], set()
    for (_, h), names_ in zip(requests, own, strict=True):
        agency_id = known[names_[0]]
        out.append(agency_id)
        key = h and (agency_id, h.name, h.region_code, h.level, h.kind, h.parent, h.site_url)
        if h and key not in hinted:
            hinted.add(key)
            _apply_hint(conn, agency_id, h)
    return out


def _apply_hint(conn: Connection, agency_id: int, hint: AgencyHint) -> None:
    """Fill what the agency row does not know yet; never overwrite what it does."""
    parent_id = None
    if hint.parent:
        parent_id = conn.execute(select(AgencyAlias.agency_id).where(AgencyAlias.alias == _alias(hint.parent))).scalar()
        if parent_id is None:
            parent_id = register_agency(conn, AgencyHint(hint.parent))
    known = {
        "region_code": hint.region_code,
        "level": hint.level,
        "kind": hint.kind,
        "site_url": hint.site_url,
        "parent_id": parent_id,
    }
    values = {k: func.coalesce(getattr(Agency, k), v) for k, v in known.items() if v is not None}
    if values:
        conn.execute(update(Agency).where(Agency.id == agency_id).values(**values))


def register_agency(conn: Connection, hint: AgencyHint, aliases: Iterable[str] = ()) -> int:
    """Create or complete an agency from a hint, with extra names (renamings) it goes by; its id."""
    names = [_alias(n) for n in (hint.name, *aliases)]
    agency_id = conn.execute(select(AgencyAlias.agency_id).where(AgencyAlias.alias.in_(names))).scalar()
    if agency_id is None:
        conn.execute(dialect_insert(conn, Agency).on_conflict_do_nothing(index_elements=["name"]), {"name": hint.name})
        agency_id = conn.execute(select(Agency.id).where(Agency.name == hint.name)).scalar_one()
    for a in names:
        conn.execute(
            dialect_insert(conn, AgencyAlias).on_conflict_do_nothing(index_elements=["alias"]),
            {"alias": a, "agency_id": agency_id},
        )
    if hint.region_code or hint.level or hint.kind or hint.site_url or hint.parent:
        _apply_hint(conn, agency_id, hint)
    return agency_id
