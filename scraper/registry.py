"""Agencies are data: a TOML or YAML list of agencies with their start URLs and optional hints.

```toml
[[agency]]
name = "嘉兴市经济和信息化局"
region_code = "330400"
level = "prefecture"          # optional: national | province | prefecture | county | township
kind = "department"           # optional: government | department (the 第四十九条 deadline); else from the name
parent = "嘉兴市人民政府"       # optional
start_url = "https://…/"       # home page or the annual-report column
family = "hanweb"              # optional: hanweb | trs | gkmlpt | generic (else detected)
hosts = ["xxgk.example.gov.cn"]  # optional: further hosts of the same agency
cat_id = 1234                  # optional: gkmlpt category of the report column
seen_at = "https://…"          # where the URL was seen (required for real agencies)
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from govreports.parsers import AGENCY_KINDS

from .errors import RegistryError
from .families import FAMILIES

_FIELDS = {
    "name",
    "region_code",
    "level",
    "kind",
    "parent",
    "start_url",
    "family",
    "hosts",
    "cat_id",
    "seen_at",
    "note",
}


@dataclass(frozen=True, slots=True)
class Agency:
    """One agency to crawl."""

    name: str
    start_url: str
    region_code: str | None = None
    level: str | None = None
    kind: str | None = None
    parent: str | None = None
    family: str | None = None
    hosts: tuple[str, ...] = ()
    cat_id: str | None = None
    seen_at: str | None = None
    note: str | None = None

    @property
    def key(self) -> str:
        return self.name


def agency_from_url(url: str) -> Agency:
    """An agency known only by a URL given on the command line (named by its host)."""
    return Agency(name=urlsplit(url).netloc or url, start_url=url)


def load_registry(path: str | Path) -> list[Agency]:
    """Read a registry file (``.toml``, ``.yaml``/``.yml``); raises :class:`RegistryError` naming the entry."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegistryError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    try:
        if p.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise RegistryError(f"{p}: not valid {p.suffix.lstrip('.').upper() or 'TOML'}: {exc}") from exc
    except Exception as exc:  # yaml.YAMLError without importing yaml at module level
        raise RegistryError(f"{p}: not valid YAML: {exc}") from exc
    entries = (data.get("agency") or data.get("agencies") or []) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise RegistryError(f"{p}: expected a list of [[agency]] entries")
    out, names = [], set()
    for n, entry in enumerate(entries, 1):
        where = f"{p}: agency #{n}"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: not a table")
        unknown = set(entry) - _FIELDS
        if unknown:
            raise RegistryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        for required in ("name", "start_url"):
            if not entry.get(required):
                raise RegistryError(f"{where}: missing {required}")
        url = str(entry["start_url"])
        if urlsplit(url).scheme not in ("http", "https"):
            raise RegistryError(f"{where} ({entry['name']}): start_url must be http(s): {url}")
        family = entry.get("family")
        if family and family not in FAMILIES:
            raise RegistryError(f"{where} ({entry['name']}): unknown family {family!r}")
        if entry.get("kind") and entry["kind"] not in AGENCY_KINDS:
            raise RegistryError(f"{where} ({entry['name']}): kind must be one of {', '.join(AGENCY_KINDS)}")
        if entry["name"] in names:
            raise RegistryError(f"{where}: duplicate agency {entry['name']}")
        names.add(entry["name"])
        out.append(
            Agency(
                name=str(entry["name"]),
                start_url=url,
                region_code=str(entry["region_code"]) if entry.get("region_code") else None,
                level=entry.get("level"),
                kind=entry.get("kind"),
                parent=entry.get("parent"),
                family=family,
                hosts=tuple(str(h).lower() for h in entry.get("hosts") or ()),
                cat_id=str(entry["cat_id"]) if entry.get("cat_id") is not None else None,
                seen_at=entry.get("seen_at"),
                note=entry.get("note"),
            )
        )
    return out
