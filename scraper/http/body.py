"""Response bodies decoded as they stream and cut at the size cap before they are held in memory.

httpx inflates each network chunk whole, and stacks decoders for ``Content-Encoding: gzip, gzip``:
a 64 KB chunk of a gzip bomb becomes 64 MB, of a double gzip bomb gigabytes, before any cap is
checked. Here the raw bytes are read and inflated by us, at most a chunk of output at a time, and
counted; one layer of ``gzip`` or ``deflate`` is accepted, anything stacked or unknown is refused.
"""

from __future__ import annotations

import zlib

from ..errors import FetchError

_CHUNK = 1 << 16  # bytes of output inflated at a time


class Body:
    """Collects one response's body: ``feed(raw)`` for each raw chunk, then ``finish()`` for the bytes."""

    def __init__(self, url: str, content_encoding: str | None, max_bytes: int) -> None:
        self.url, self.max_bytes = url, max_bytes
        self.size = 0
        self._chunks: list[bytes] = []
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise FetchError(f"{url}: stacked Content-Encoding {content_encoding!r} refused (a compression bomb?)")
        self._inflater = None
        self._raw_deflate = self._fed = False
        if codings:
            if codings[0] in ("gzip", "x-gzip"):
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            elif codings[0] == "deflate":
                self._inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib-wrapped, as the standard says
                self._raw_deflate = True  # … or raw, as some servers send it: tried if the first chunk fails
            else:
                raise FetchError(f"{url}: Content-Encoding {codings[0]!r} not accepted")

    def feed(self, raw: bytes) -> None:
        if self._inflater is None:
            self._add(raw)
            return
        try:
            self._inflate(raw)
        except zlib.error as exc:
            if not (self._raw_deflate and self.size == 0 and not self._fed):
                raise FetchError(f"{self.url}: body does not inflate ({exc})") from exc
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # servers that send raw deflate
            self._raw_deflate = False
            self.feed(raw)
        self._fed = True

    def _inflate(self, raw: bytes) -> None:
        assert self._inflater is not None
        pending = raw
        while pending and not self._inflater.eof:
            self._add(self._inflater.decompress(pending, _CHUNK))
            pending = self._inflater.unconsumed_tail

    def finish(self) -> bytes:
        """The body (a truncated compressed stream gives what it holds: the parser judges it)."""
        return b"".join(self._chunks)

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise FetchError(f"{self.url}: response over the {self.max_bytes} byte cap")
        if data:
            self._chunks.append(data)
