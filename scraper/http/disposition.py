"""The file name a server gives an attachment in ``Content-Disposition``.

Download servlets (``downfile.jsp?fileid=…``) often put the report's name nowhere but here:
``attachment; filename*=UTF-8''%E6%B4%AA…`` (RFC 6266/5987), a percent-encoded ``filename=``, or
raw UTF-8/GBK bytes in ``filename="…"`` (which reach us as Latin-1 text). The name is context for the
parser (``Context.attachment_name``), never trusted over what the document prints.
"""

from __future__ import annotations

from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import unquote

MAX_NAME_CHARS = 300  # a file name; anything longer is not one


def disposition_filename(values: list[str]) -> str | None:
    """The decoded file name of the first ``Content-Disposition`` value that names one, else None."""
    for value in values:
        msg = Message()
        msg["content-disposition"] = value[:2000]
        params = msg.get_params(header="content-disposition") or []
        names = [v for k, v in params if k == "filename" and v]
        # filename*= (RFC 5987, a (charset, language, text) tuple here) wins over filename= (RFC 6266)
        names.sort(key=lambda v: not isinstance(v, tuple))
        for name in names:
            if text := _decoded(collapse_rfc2231_value(name)).strip()[:MAX_NAME_CHARS]:
                return text
    return None


def _decoded(name: str) -> str:
    """Undo percent-encoding and raw UTF-8/GBK bytes read as Latin-1."""
    if "%" in name:
        name = unquote(name, errors="replace")
    if name.isascii() or any(ord(c) > 0xFF for c in name):
        return name.strip()
    raw = name.encode("latin-1")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding).strip()
        except UnicodeDecodeError:
            continue
    return name.strip()
