"""What kind of document a byte string is: by its magic bytes first, then its declared type."""

from __future__ import annotations

import re
import struct

from .errors import ParseError, UnsupportedFormat

_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|table|div|p|meta)[\s>/]", re.I)
_MHTML = re.compile(rb"^\s*(?:[\w-]+:[^\r\n]*\r?\n)*MIME-Version:\s*1\.0", re.I)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, content_type: str | None = None, name: str | None = None) -> str:
    """``html`` | ``mhtml`` | ``text`` | ``pdf`` | ``docx`` | ``doc`` | ``xlsx`` | ``xls`` | ``ofd``; raises for
    what cannot be a report we read.

    Download servlets answer with wrong Content-Types, so the bytes decide wherever they can.
    """
    head = data[:2048]
    if not data.strip():
        raise ParseError("empty document")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or (name or "").lower().endswith(".docx"):
            return "docx"
        if b"xl/" in data[:65536] or (name or "").lower().endswith(".xlsx"):
            return "xlsx"
        if b"OFD.xml" in data[:65536] or (name or "").lower().endswith(".ofd"):
            return "ofd"
        raise UnsupportedFormat("ZIP archive that is not a DOCX, XLSX or OFD document")
    if data.startswith(_OLE):
        return "xls" if _ole_workbook(data) else "doc"  # Word 97–2003 or WPS; the reader refuses other OLE files
    if _MHTML.match(head):
        return "mhtml"  # Word's "single file web page", often uploaded as .doc
    ctype = (content_type or "").lower()
    if _HTML.search(head) or "html" in ctype:
        return "html"
    if b"\x00" in head or _binary(head):
        raise ParseError("binary data that is not a PDF, DOCX or web page")
    return "text"


def _ole_workbook(data: bytes) -> bool:
    """An OLE file whose directory names an Excel workbook stream (``Workbook``, or ``Book`` before Excel 97)."""
    import io

    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("Workbook") or ole.exists("Book")
    except (OSError, ValueError, IndexError, struct.error):
        return False  # the Word reader says what is wrong with it


_CONTROL = bytes(b for b in range(256) if b < 9 or 13 < b < 32)
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def _binary(head: bytes) -> bool:
    """More than 2% control characters (other than tab/newline/form feed): not text."""
    controls = len(head.translate(None, _NOT_CONTROL))  # delete everything else, count what is left
    return controls > max(4, len(head) // 50)
