"""Raw bytes of every fetched document, content-addressed on disk, so any report can be re-parsed
later without the network. Reads ``STORE_*``.

A document lives at ``<root>/<h0h1>/<h2h3>/<sha256>.<ext>``: the name is the hash (nothing from the
URL or the server reaches the file system), the extension one of a fixed list. Writes are atomic
(temporary file, then rename), so a crawl killed mid-write leaves no half file under a real name.
``STORE_DIR`` may also be an fsspec URL (``s3://bucket/prefix``): see :class:`RawStore`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from govreports.settings import Settings

EXTENSIONS = ("html", "pdf", "doc", "docx", "wps", "xls", "xlsx", "ofd", "txt", "json", "xml", "bin")
_MAGIC = ((b"%PDF-", "pdf"), (b"\xd0\xcf\x11\xe0", "doc"))


def guess_extension(data: bytes, url: str = "", content_type: str | None = None) -> str:
    """A safe extension from the bytes first, then the URL (incl. ``filename=`` of download servlets)."""
    for magic, ext in _MAGIC:
        if data[:1024].find(magic) != -1 and (ext != "doc" or data.startswith(magic)):
            if ext == "doc":
                name_ext = _url_extension(url)
                return name_ext if name_ext in ("doc", "wps", "xls") else "doc"
            return ext
    name_ext = _url_extension(url)
    if data.startswith(b"PK\x03\x04"):
        if name_ext in ("docx", "xlsx", "ofd"):
            return name_ext
        head = data[:65536]
        return "docx" if b"word/" in head else "xlsx" if b"xl/" in head else "ofd" if b"OFD.xml" in head else "bin"
    ctype = (content_type or "").lower()
    head = data[:512].lstrip().lower()
    if head.startswith((b"{", b"[")) and "json" in ctype:
        return "json"
    if b"<html" in data[:4096].lower() or b"<!doctype html" in head or "html" in ctype:
        return "html"
    if name_ext in EXTENSIONS:
        return name_ext
    return "txt" if "text/plain" in ctype else "bin"


def _url_extension(url: str) -> str:
    parts = urlsplit(url)
    candidates = [parts.path]
    for piece in parts.query.split("&"):
        key, _, value = piece.partition("=")
        if key.lower() in ("filename", "name", "file", "fileName".lower()):
            candidates.insert(0, unquote(value))
    for c in candidates:
        name = c.rsplit("/", 1)[-1]
        if "." in name:
            ext = name.rsplit(".", 1)[-1].lower()
            if ext in ("htm", "shtml"):
                return "html"
            if ext in EXTENSIONS:
                return ext
    return ""


class StoreError(OSError):
    """The raw store cannot be opened (a bad ``STORE_DIR`` URL or ``STORE_OPTIONS``, a missing backend)."""


_KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z]{2,4}")


class RawStore:
    """Put bytes, get back their sha256 and the relative path (the key) where they now live.

    ``STORE_DIR`` is a local folder (a shared mount works the same) or an fsspec URL such as
    ``s3://bucket/prefix``, opened with ``STORE_OPTIONS`` (JSON, e.g. ``{"endpoint_url": ...}``), so
    workers on several machines share one store. Keys are content-addressed and written once: two
    workers writing the same document write the same bytes under the same key, which is harmless.
    """

    def __init__(
        self, settings: Settings | None = None, root: str | Path | None = None, options: dict | None = None
    ) -> None:
        location = str(root if root is not None else (settings["STORE_DIR"] if settings else "data/raw"))
        self.url = location if "://" in location else None
        self.root = Path(location) if self.url is None else None
        self._fs: Any = None
        self._prefix = ""
        if self.url is not None:
            self._fs, self._prefix = _open(self.url, options, settings)
        self._dirs: set[Path] = set()  # directories known to exist: one mkdir each, not one per document

    def __repr__(self) -> str:
        return f"RawStore({self.url or str(self.root)!r})"

    def put(self, data: bytes, ext: str = "bin") -> tuple[str, str]:
        digest = hashlib.sha256(data).hexdigest()
        ext = ext if ext in EXTENSIONS else "bin"
        rel = f"{digest[:2]}/{digest[2:4]}/{digest}.{ext}"
        if self._fs is not None:
            # one PUT, no look first (a miss costs an object store two requests): the key names the
            # bytes, so writing it again, here or from another worker, writes what is there already
            self._fs.pipe_file(f"{self._prefix}/{rel}", data)
            return digest, rel
        assert self.root is not None  # a store without a file system is a local one
        path = self.root / rel
        if not path.exists():
            if path.parent not in self._dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._dirs.add(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return digest, rel

    def path(self, rel: str) -> Path:
        """The absolute path of a stored document (refusing anything that would leave the store);
        only a local store has paths."""
        if self.root is None:
            raise ValueError(f"{rel}: the raw store {self.url} is not a local folder")
        p = (self.root / rel).resolve()
        if self.root.resolve() not in p.parents:
            raise ValueError(f"{rel}: not inside the raw store")
        return p

    def get(self, rel: str) -> bytes:
        """A stored document's bytes; ``FileNotFoundError`` (an ``OSError``) when it is not there."""
        if self._fs is None:
            return self.path(rel).read_bytes()
        if not _KEY.fullmatch(rel):
            raise ValueError(f"{rel}: not a key of the raw store")
        return self._fs.cat_file(f"{self._prefix}/{rel}")

    def keys(self) -> list[str]:
        """Every stored document's key (relative path), sorted: for counting and pruning."""
        if self._fs is not None:
            found = self._fs.find(self._prefix)
            return sorted(k[len(self._prefix) + 1 :] for k in found if _KEY.fullmatch(k[len(self._prefix) + 1 :]))
        root = self.root
        if root is None or not root.is_dir():
            return []
        return sorted(p.relative_to(root).as_posix() for p in root.glob("*/*/*.*") if not p.name.startswith("."))


def _open(url: str, options: dict | None, settings: Settings | None) -> tuple[Any, str]:
    """The fsspec file system and the bucket/prefix path of a ``STORE_DIR`` URL."""
    import fsspec

    if options is None:
        raw = settings["STORE_OPTIONS"] if settings else ""
        try:
            options = json.loads(raw) if raw else {}
        except ValueError as exc:
            raise StoreError(f"STORE_OPTIONS is not JSON: {exc}") from None
        if not isinstance(options, dict):
            raise StoreError("STORE_OPTIONS must be a JSON object")
    try:
        fs, path = fsspec.core.url_to_fs(url, **options)
    except (ImportError, ValueError, TypeError) as exc:
        raise StoreError(f"raw store {url}: {exc}") from None
    return fs, path.rstrip("/")
