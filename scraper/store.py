"""Raw bytes of every fetched document, content-addressed on disk, so any report can be re-parsed
later without the network. Reads ``STORE_*``.

A document lives at ``<root>/<h0h1>/<h2h3>/<sha256>.<ext>``: the name is the hash (nothing from the
URL or the server reaches the file system), the extension one of a fixed list. Writes are atomic
(temporary file, then rename), so a crawl killed mid-write leaves no half file under a real name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
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


class RawStore:
    """Put bytes, get back their sha256 and the relative path where they now live."""

    def __init__(self, settings: Settings | None = None, root: str | Path | None = None) -> None:
        self.root = Path(root if root is not None else (settings["STORE_DIR"] if settings else "data/raw"))
        self._dirs: set[Path] = set()  # directories known to exist: one mkdir each, not one per document

    def put(self, data: bytes, ext: str = "bin") -> tuple[str, str]:
        digest = hashlib.sha256(data).hexdigest()
        ext = ext if ext in EXTENSIONS else "bin"
        rel = f"{digest[:2]}/{digest[2:4]}/{digest}.{ext}"
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
        """The absolute path of a stored document (refusing anything that would leave the store)."""
        p = (self.root / rel).resolve()
        if self.root.resolve() not in p.parents:
            raise ValueError(f"{rel}: not inside the raw store")
        return p

    def get(self, rel: str) -> bytes:
        return self.path(rel).read_bytes()
