"""Hostile documents, made on the spot: bombs and traps built by code, never checked in.

Each generator returns the bytes of one document an attacker (or a broken exporter) could publish.
Compressed bombs are built from one deflate block repeated after full flushes, so a 2 GB bomb
costs milliseconds and a few megabytes to make.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from . import FIXTURES

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MIB = 1 << 20


# --- HTML -------------------------------------------------------------------------------------------


def html_nested(tag: str, depth: int, closed: bool = True) -> bytes:
    """``depth`` elements each inside the last (``<li>`` inside ``<ul>``, cells inside tables)."""
    open_, close = {
        "li": ("<ul><li>", "</li></ul>"),
        "table": ("<table><tr><td>", "</td></tr></table>"),
    }.get(tag, (f"<{tag}>", f"</{tag}>"))
    return ("<html><body>" + open_ * depth + "x" + (close * depth if closed else "") + "</body></html>").encode()


def html_siblings(tag: str, count: int) -> bytes:
    """``count`` sibling list items or one-cell tables."""
    item = {"li": "<li>事项</li>", "table": "<table><tr><td>1</td></tr></table>"}[tag]
    return ("<html><body><ul>" + item * count + "</ul></body></html>").encode()


def mhtml_nested(depth: int) -> bytes:
    """MHTML whose multipart holds a multipart, ``depth`` deep, an HTML part at the bottom."""
    head = "MIME-Version: 1.0\r\n"
    body = "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>x</p></body></html>\r\n"
    for level in range(depth):
        b = f"b{level}"
        body = f'Content-Type: multipart/related; boundary="{b}"\r\n\r\n--{b}\r\n{body}--{b}--\r\n'
    return (head + body).encode()


# --- zip / DOCX -----------------------------------------------------------------------------------


def _repeated_deflate(prefix: bytes, filler: bytes, total: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``prefix`` then ``filler`` repeated to about ``total`` bytes, built
    from one compressed chunk repeated; returns (stream, inflated size)."""
    chunk = filler * (_MIB // len(filler))
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = first.compress(prefix) + first.flush(zlib.Z_FULL_FLUSH)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    n = max(1, (total - len(prefix)) // len(chunk))
    tail = comp.flush(zlib.Z_FINISH)
    return head + block * n + tail, len(prefix) + n * len(chunk)


def _zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, deflated data, crc, declared compressed size, declared size) — sizes as given,
    true or not."""
    out, central = bytearray(), bytearray()
    for name, data, crc, csize, usize in entries:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, csize, usize, len(raw), 0) + raw + data
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, csize, usize, len(raw), 0, 0, 0, 0, 0, offset
            )
            + raw
        )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


def _deflated(name: str, text: bytes) -> tuple[str, bytes, int, int, int]:
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = comp.compress(text) + comp.flush()
    return name, data, zlib.crc32(text), len(data), len(text)


def _document_xml(body: str) -> bytes:
    return f'<w:document xmlns:w="{_W_NS}"><w:body>{body}</w:body></w:document>'.encode()


_CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(body: str) -> bytes:
    """A small DOCX whose body is ``body`` (WordprocessingML)."""
    return _zip([_deflated("[Content_Types].xml", _CONTENT_TYPES), _deflated("word/document.xml", _document_xml(body))])


def docx_bomb(part: str = "word/document.xml", inflated: int = 2 << 30, lie: bool = False) -> bytes:
    """A DOCX whose ``part`` inflates to ``inflated`` bytes of XML whitespace (a valid start, so only
    counting the bytes stops it). ``lie``: the headers declare 1 KB, not the true size."""
    opening = (
        f'<w:document xmlns:w="{_W_NS}"><w:body>'
        if part == "word/document.xml"
        else ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">')
    )
    data, size = _repeated_deflate(opening.encode(), b" ", inflated)
    declared = 1024 if lie else min(size, 0xFFFFFFFF)
    entries = [_deflated("[Content_Types].xml", _CONTENT_TYPES)]
    if part != "word/document.xml":
        entries.append(_deflated("word/document.xml", _document_xml("<w:p><w:r><w:t>x</w:t></w:r></w:p>")))
    entries.append((part, data, 0, len(data), declared))
    return _zip(entries)


def docx_table(rows: int, tables: int = 1) -> bytes:
    """``tables`` tables of ``rows`` two-cell rows."""
    row = "<w:tr><w:tc><w:p><w:r><w:t>行</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>"
    return docx(f"<w:tbl>{row * rows}</w:tbl>" * tables)


def docx_entities() -> bytes:
    """A DOCX body with a billion-laughs entity declaration."""
    lol = '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    xml = f'<?xml version="1.0"?>{lol}]><w:document xmlns:w="{_W_NS}"><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>'
    return _zip([_deflated("[Content_Types].xml", _CONTENT_TYPES), _deflated("word/document.xml", xml.encode())])


def docx_zip_slip() -> bytes:
    """A DOCX with entries named to escape a directory (``../../etc/passwd``)."""
    return _zip(
        [
            _deflated("[Content_Types].xml", _CONTENT_TYPES),
            _deflated("../../../../tmp/govreports-zip-slip", b"owned"),
            _deflated("word/document.xml", _document_xml("<w:p><w:r><w:t>x</w:t></w:r></w:p>")),
        ]
    )


# --- PDF ------------------------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered objects (1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_pages(count: int) -> bytes:
    """A PDF of ``count`` pages, each with one line of text."""
    content = b"BT /F1 12 Tf 72 720 Td (page) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        _FONT,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
    return _pdf(objects + [page] * count)


def pdf_content_bomb(inflated: int = 1 << 30) -> bytes:
    """One page whose content stream inflates to ``inflated`` bytes of text-drawing operators."""
    data, _ = _repeated_deflate(b"BT /F1 12 Tf 72 720 Td ", b"(x) Tj ", inflated)
    data = b"\x78\x9c" + data  # zlib header; pdfium takes the stream without its checksum
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            _FONT,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        ]
    )


def pdf_cyclic_pages() -> bytes:
    """A page tree whose Pages node lists itself among its kids."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


# --- legacy .doc ----------------------------------------------------------------------------------

DOC = FIXTURES / "doc" / "xihu-edu-2023.doc"


def _ole_fat_offset(data: bytes, entry: int) -> int:
    """Byte offset of FAT entry ``entry`` (512-byte sectors; the header's first FAT sector)."""
    first_fat = struct.unpack_from("<I", data, 0x4C + 4 * (entry // 128))[0]
    return (first_fat + 1) * 512 + 4 * (entry % 128)


def doc_fat_loop(path: Path = DOC) -> bytes:
    """The real .doc with the directory's first sector chained to itself in the FAT."""
    data = bytearray(path.read_bytes())
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    struct.pack_into("<I", data, _ole_fat_offset(data, first_dir), first_dir)
    return bytes(data)


def doc_stream_loop(path: Path = DOC) -> bytes:
    """The real .doc with its WordDocument stream's chain looping back to its own first sector."""
    import olefile

    data = bytearray(path.read_bytes())
    with olefile.OleFileIO(bytes(data)) as ole:
        start = ole.direntries[ole._find("WordDocument")].isectStart
    struct.pack_into("<I", data, _ole_fat_offset(data, start + 3), start)
    return bytes(data)


def _stream_offset(data: bytes, name: str) -> int:
    """Byte offset of the first sector of a big (FAT) stream."""
    import olefile

    with olefile.OleFileIO(data) as ole:
        return (ole.direntries[ole._find(name)].isectStart + 1) * 512


def doc_negative_prc(path: Path = DOC) -> bytes:
    """The real .doc with a property-modifier block (Prc) of negative size before its piece table."""
    import olefile

    data = bytearray(path.read_bytes())
    with olefile.OleFileIO(bytes(data)) as ole:
        word = ole.openstream("WordDocument").read()
        flags = struct.unpack_from("<H", word, 0x0A)[0]
        table_name = "1Table" if flags & 0x0200 else "0Table"
    pos = 32
    csw = struct.unpack_from("<H", word, pos)[0]
    pos += 2 + csw * 2
    cslw = struct.unpack_from("<H", word, pos)[0]
    pairs = pos + 2 + cslw * 4 + 2
    fc_clx = struct.unpack_from("<I", word, pairs + 33 * 8)[0]
    at = _stream_offset(bytes(data), table_name) + fc_clx
    data[at : at + 3] = b"\x01" + struct.pack("<h", -3)  # a Prc whose size takes it back onto itself
    return bytes(data)


def doc_bad_summary(path: Path = DOC) -> bytes:
    """The real .doc whose SummaryInformation stream claims millions of properties at wild offsets."""
    import olefile

    data = bytearray(path.read_bytes())
    with olefile.OleFileIO(bytes(data)) as ole:
        stream = ole.openstream("\x05SummaryInformation").read()
        entry = ole.direntries[ole._find("\x05SummaryInformation")]
        fat, minifat = ole.fat, (ole.loadminifat() or ole.minifat)
        root_start = ole.root.isectStart

    def file_offset(at: int) -> int:  # a byte of the summary stream → its offset in the file
        mini = entry.isectStart
        for _ in range(at // 64):
            mini = minifat[mini]
        in_root = mini * 64 + at % 64
        sect = root_start
        for _ in range(in_root // 512):
            sect = fat[sect]
        return (sect + 1) * 512 + in_root % 512

    section = struct.unpack_from("<I", stream, 44)[0]
    struct.pack_into("<I", data, file_offset(section + 4), 0x7FFFFFFF)  # property count
    for i in range(8):  # every property: id 2 (title), at an offset past any stream
        struct.pack_into("<I", data, file_offset(section + 8 + 8 * i), 2)
        struct.pack_into("<I", data, file_offset(section + 12 + 8 * i), 0xFFFFFFF0)
    return bytes(data)


# --- HTTP ---------------------------------------------------------------------------------------


def gzip_bomb(inflated: int = 4 << 30) -> bytes:
    """A gzip body that inflates to ``inflated`` zero bytes (4 GiB from about 4 MB)."""
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    data, _ = _repeated_deflate(b"", b"\x00", inflated)
    return header + data  # no trailer: a reader that holds its cap never gets there


# --- text -----------------------------------------------------------------------------------------


def with_nul_agency(text: str) -> str:
    """A report text whose agency name holds a NUL character and a lone surrogate."""
    return text.replace("嘉兴市经济和信息化局", "嘉兴市经济和\x00信息化局\udc80", 1)
