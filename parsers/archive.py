"""Reading zip containers (XLSX, OFD) within a budget of decompressed bytes.

A zip's headers state each member's size, but the headers are the sender's word: a zip bomb states
small sizes and inflates to gigabytes. So sizes are never taken from the headers; members are read
in chunks and every decompressed byte is counted against one budget for the whole document.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from .errors import ParseError

MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # a report unpacks to a few MB; more is a bomb, not a report
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
    """A zip opened from bytes; :meth:`read` counts what it inflates against ``budget`` bytes in all."""

    def __init__(self, data: bytes, kind: str, budget: int = MAX_UNZIPPED_BYTES) -> None:
        self.kind, self.left = kind, budget
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
        info = self.names.get(name.lstrip("/"))
        if info is None:
            raise ParseError(f"{self.kind} lacks {name}")
        out = bytearray()
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(min(_CHUNK, self.left + 1)):
                    out += chunk
                    if len(out) > self.left:
                        raise ParseError(
                            f"{self.kind} unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MiB (zip bomb?)"
                        )
        except ZIP_ERRORS as exc:
            raise ParseError(f"{self.kind} is damaged ({name}: {type(exc).__name__}: {exc})") from exc
        self.left -= len(out)
        return bytes(out)

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
