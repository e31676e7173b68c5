"""The Python API for notebooks: the same verbs as the command line, returning objects and DataFrames."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from parsers import Report, parse_bytes, parse_path

if TYPE_CHECKING:
    import pandas as pd

_URL = re.compile(r"^https?://", re.I)
DOCUMENT_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".txt", ".pdf", ".docx", ".doc", ".wps"})


def is_url(target: str) -> bool:
    return bool(_URL.match(target))


def parse(target: str | Path | bytes, source: str | None = None) -> Report:
    """Parse a path, a URL (fetched with httpx) or raw bytes into a :class:`parsers.Report`."""
    if isinstance(target, bytes):
        return parse_bytes(target, source or "<bytes>")
    target = str(target)
    if is_url(target):
        from scraper.fetch import fetch_url

        fetched = fetch_url(target)
        return parse_bytes(fetched.content, source or target, fetched.content_type)
    return parse_path(target)


def expand(targets: Iterable[str | Path]) -> Iterator[str]:
    """Paths and URLs as given, with directories replaced by the documents inside them (sorted)."""
    for target in targets:
        t = str(target)
        p = Path(t)
        if not is_url(t) and p.is_dir():
            yield from sorted(str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES)
        else:
            yield t


def parse_many(targets: Iterable[str | Path]) -> list[Report]:
    """Parse several paths/URLs/directories; a failed fetch raises :class:`scraper.errors.FetchError`."""
    return [parse(t) for t in expand(targets)]


def reports_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """All facts of several reports as one long DataFrame (one fact a row)."""
    import pandas as pd

    frames = [r.to_frame() for r in reports if r.facts]
    if not frames:
        return pd.DataFrame(columns=["source", "template", "year", "agency", "table", "row", "column",
                                     "value", "raw", "inferred", "page"])
    return pd.concat(frames, ignore_index=True)
