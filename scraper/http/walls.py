"""Anti-bot walls: recognised and recorded, never defeated.

Seen in the wild: HTTP 412 with a ``$_ts`` script (Ruishu) or a ``$_ss`` one (server ``wswaf``), or
with nothing but a token ``<meta>`` and ``<script src=…>`` (newer Ruishu),
HTTP 521 with a script that sets ``document.cookie`` and reloads (Jiasule / Yunsuo), and tiny 200
"shell" pages that are nothing but such a script. A TRS list stub of a few hundred bytes has no script and is not a wall.
"""

from __future__ import annotations

import re

_SCRIPT = re.compile(rb"<script", re.I)
_ANCHOR = re.compile(rb"<a\s[^>]*href", re.I)
_CHALLENGE = re.compile(rb"\$_[ts]s|document\.cookie|location\.reload|window\.location|eval\(|_\$[a-z]{2}", re.I)
SHELL_MAX = 4096


def detect_wall(status: int, body: bytes) -> str | None:
    """The evidence of a wall in one answer, or None."""
    head = body[: SHELL_MAX * 4]
    if status == 412 and b"$_ts" in head:
        return "HTTP 412 with a $_ts challenge script (Ruishu)"
    if status == 412 and b"$_ss" in head:
        return "HTTP 412 with a $_ss challenge script"
    if status == 521 and b"document.cookie" in head:
        return "HTTP 521 with a document.cookie challenge script"
    if status in (412, 521, 403) and _SCRIPT.search(head) and _CHALLENGE.search(head):
        return f"HTTP {status} with a challenge script"
    if status == 412 and _SCRIPT.search(head) and not _ANCHOR.search(head):
        # we never send If-Match/If-Unmodified-Since, so a 412 is no precondition failing: newer Ruishu
        # builds answer a page of a <meta> token and <script src=…> alone, the challenge in the script file
        return "HTTP 412 with a script-only page (challenge script loaded from a file)"
    if (
        status == 200
        and len(body) <= SHELL_MAX
        and _SCRIPT.search(body)
        and (m := _CHALLENGE.search(body))
        and not _ANCHOR.search(body)
    ):
        return f"tiny shell page ({len(body)} bytes) with a {m.group(0).decode('ascii', 'replace')} script"
    return None
