"""Agencies are data: one TOML file lists them, with their start URLs and optional hints.

The one registry format, read by the crawler (``govreports crawl/run --registry``) and by the loader
(``govreports load --agencies``, which needs no ``start_url``). A CSV list of agencies is converted
once, explicitly: ``govreports registry import agencies.csv -o agencies.toml`` (:func:`entries_from_csv`,
:func:`to_toml`).

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

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
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
    """The agencies to crawl from a registry file; raises :class:`RegistryError` naming the entry."""
    out = []
    for n, entry in enumerate(read_entries(path, require_start_url=True), 1):
        family = entry.get("family")
        if family and family not in FAMILIES:
            raise RegistryError(f"{path}: agency #{n} ({entry['name']}): unknown family {family!r}")
        out.append(
            Agency(
                name=str(entry["name"]),
                start_url=str(entry["start_url"]),
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


def read_entries(path: str | Path, require_start_url: bool = True) -> list[dict[str, Any]]:
    """The ``[[agency]]`` tables of a TOML registry, checked; :class:`RegistryError` names the entry.

    ``require_start_url=False`` for the loader, which matches reports to agencies by name and needs
    no URL to crawl.
    """
    p = Path(path)
    if p.suffix.lower() in (".csv", ".yaml", ".yml"):
        raise RegistryError(
            f"{p}: a registry is a TOML file; convert it once: govreports registry import {p} -o {p.with_suffix('.toml')}"
            if p.suffix.lower() == ".csv"
            else f"{p}: a registry is a TOML file (YAML is no longer read); see registry/agencies.toml"
        )
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RegistryError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{p}: not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{p}: not valid TOML: {exc}") from exc
    entries = data.get("agency", [])
    if not isinstance(entries, list):
        raise RegistryError(f"{p}: expected a list of [[agency]] entries")
    names: set[str] = set()
    for n, entry in enumerate(entries, 1):
        _check_entry(entry, f"{p}: agency #{n}", names, require_start_url)
    return entries


def _check_entry(entry: Any, where: str, names: set[str], require_start_url: bool) -> None:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: not a table")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("name", "start_url") if require_start_url else ("name",):
        if not entry.get(required):
            raise RegistryError(f"{where}: missing {required}")
    url = entry.get("start_url")
    if url is not None and urlsplit(str(url)).scheme not in ("http", "https"):
        raise RegistryError(f"{where} ({entry['name']}): start_url must be http(s): {url}")
    if entry.get("kind") and entry["kind"] not in AGENCY_KINDS:
        raise RegistryError(f"{where} ({entry['name']}): kind must be one of {', '.join(AGENCY_KINDS)}")
    if entry["name"] in names:
        raise RegistryError(f"{where}: duplicate agency {entry['name']}")
    names.add(entry["name"])


_CSV_ALIASES = {"site_url": "start_url"}  # the loader's old CSV called the site site_url


def entries_from_csv(path: str | Path) -> list[dict[str, Any]]:
    """Registry entries from a CSV with a header (``name`` required; the other columns are fields).

    Empty cells are left out (unknown, not empty strings); ``site_url`` is read as ``start_url``;
    ``hosts`` may list several hosts separated by spaces. Raises :class:`RegistryError` naming the line.
    """
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = {_CSV_ALIASES.get(h.strip(), h.strip()): h for h in reader.fieldnames or []}
            header = list(columns)
            if "name" not in header:
                raise RegistryError(f"{p}: an agency list needs a 'name' column")
            unknown = set(header) - _FIELDS
            if unknown:
                raise RegistryError(f"{p}: unknown column(s) {', '.join(sorted(unknown))}")
            entries: list[dict[str, Any]] = []
            names: set[str] = set()
            for line, row in enumerate(reader, start=2):
                cells = {field: (row.get(column) or "").strip() for field, column in columns.items()}
                entry: dict[str, Any] = {k: v for k, v in cells.items() if v}
                if not entry:
                    continue
                if "hosts" in entry:
                    entry["hosts"] = entry["hosts"].split()
                _check_entry(entry, f"{p}:{line}", names, require_start_url=False)
                entries.append(entry)
    except OSError as exc:
        raise RegistryError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{p}: not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    return entries


def to_toml(entries: list[dict[str, Any]], source: str | None = None) -> str:
    """A registry file of ``entries``, fields in the documented order."""
    import tomli_w

    order = ["name", "region_code", "level", "parent", "start_url", "family", "hosts", "cat_id", "seen_at", "note"]
    tables = [{k: entry[k] for k in order if k in entry} for entry in entries]
    head = "# Agency registry for govreports (fields: see registry/agencies.toml)."
    if source:
        head += f"\n# Converted from {source} by `govreports registry import`."
    return head + "\n\n" + tomli_w.dumps({"agency": tables})
