"""Bytes → text for HTML and plain-text reports: declared charset, then UTF-8, then detection."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
# GB2312 and GBK pages routinely use characters only GB18030 (their superset) names.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def _lookup(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _SUPERSET.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset an HTTP Content-Type or an HTML ``<meta>`` declares, if it is a known codec."""
    if content_type:
        m = re.search(r"charset\s*=\s*[\"']?([\w:.-]+)", content_type, re.I)
        if m and (enc := _lookup(m.group(1))):
            return enc
    m = _META_CHARSET.search(data[:4096])
    return _lookup(m.group(1).decode("ascii", "replace")) if m else None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode report bytes; returns (text, encoding used).

    Order: BOM, the declared charset if the bytes decode cleanly with it (pages lie about their
    charset), strict UTF-8, strict GB18030 when the bytes look like GBK, then charset detection.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, "replace").lstrip("\ufeff"), enc
    candidates = [declared_charset(data, content_type), "utf-8", "gb18030"]
    for enc in candidates:
        if not enc:
            continue
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("gb18030", "replace"), "gb18030"
