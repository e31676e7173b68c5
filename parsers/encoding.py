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
        header = re.search(r"charset\s*=\s*[\"']?([\w:.-]+)", content_type, re.I)
        if header and (enc := _lookup(header.group(1))):
            return enc
    meta = _META_CHARSET.search(data[:4096])
    return _lookup(meta.group(1).decode("ascii", "replace")) if meta else None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode report bytes; returns (text, encoding used).

    Order: BOM; strict UTF-8 (Chinese text in GBK is practically never valid UTF-8, while UTF-8
    bytes decode "cleanly" as GB18030 mojibake, so a page declared gbk but saved as UTF-8 must be
    caught here); the declared charset if the bytes decode cleanly with it (pages lie about their
    charset); strict GB18030 (superset of GB2312/GBK); only then charset detection.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, "replace").lstrip("\ufeff"), enc
    declared = declared_charset(data, content_type)
    if declared and declared.startswith(("utf-16", "utf-32")):
        candidates = [declared, "utf-8", "gb18030"]
    else:
        candidates = ["utf-8", *([declared] if declared else []), "gb18030"]
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("gb18030", "replace"), "gb18030"
