"""Reading zip containers (DOCX, XLSX, OFD) within a budget of decompressed bytes.

A zip's headers state each member's size, but the headers are the sender's word: a zip bomb states
small sizes and inflates to gigabytes. So sizes are never taken from the headers; members are read
in chunks and every decompressed byte is counted against one budget for the whole document
(``PARSE_MAX_INFLATED_BYTES``, through :class:`~.limits.Inflated`).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from .errors import ParseError
from .limits import Inflated

MAX_MEMBERS = 10_000
_CHUNK = 1 << 16
# truncated, damaged or encrypted archives fail in any of these ways
ZIP_ERRORS = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    EOFError,
    ValueError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
)


class Archive:
    """A zip opened from bytes; what :meth:`read` and :meth:`chunks` inflate is counted in ``inflated``."""

    def __init__(self, data: bytes, kind: str, inflated: Inflated | None = None) -> None:
        self.kind = kind
        self.inflated = Inflated() if inflated is None else inflated
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except ZIP_ERRORS as exc:
            raise ParseError(f"{kind} cannot be opened ({type(exc).__name__}: {exc})") from exc
        if len(infos) > MAX_MEMBERS:
            raise ParseError(f"{kind} holds {len(infos):,} files: not a document")
        self.names = {i.filename.lstrip("/"): i for i in infos}

    def __contains__(self, name: str) -> bool:
        return name.lstrip("/") in self.names

    def read(self, name: str) -> bytes:
        """A member's bytes; raises :class:`ParseError` if it is missing, damaged or over the budget."""
        return b"".join(self.chunks(name))

    def chunks(self, name: str) -> Iterator[bytes]:
        """A member's bytes a chunk at a time, each counted before it is handed on (a streaming parser
        then never holds more than it needs)."""
        info = self.names.get(name.lstrip("/"))
        if info is None:
            raise ParseError(f"{self.kind} lacks {name}")
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(min(_CHUNK, self.inflated.left)):
                    self.inflated.add(len(chunk))
                    yield chunk
        except ZIP_ERRORS as exc:
            raise ParseError(f"{self.kind} is damaged ({name}: {type(exc).__name__}: {exc})") from exc

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
