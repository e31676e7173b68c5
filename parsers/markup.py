"""Markup too deep to hand to an HTML tree builder, found before it is parsed (no selectolax here:
the crawler checks the pages it walks with the same function)."""

from __future__ import annotations

import re

from .limits import check_depth, limit

# Start and end tags, and the elements whose start tag never deepens the tree: void elements, and
# those the parser closes itself when the next one starts (<p>, <li>, <td>, …).
_TAG = re.compile(rb"<(/?)([a-z][a-z0-9]*)[^<>]*?(/?)>")
_FLAT = frozenset(
    b"area base br col embed hr img input link meta source track wbr param keygen p li td th tr option optgroup "
    b"dt dd tbody thead tfoot colgroup caption rb rt rp".split()
)
_CHUNK = 4096
_SCAN_FROM = 10_000  # tags; below this even the deepest nesting parses in a fraction of a second


def check_markup(data: bytes) -> None:
    """Refuse markup nested deeper than ``PARSE_MAX_DEPTH`` before lexbor sees it.

    The HTML tree builder checks element scopes by walking its stack of open elements, so each start
    tag costs the current depth and 500 KB of unclosed ``<div>`` takes minutes. Only pages with many
    tags can cost that much; their depth is bounded chunk by chunk from tag counts (C speed), and
    only a page whose bound passes the limit is scanned tag by tag.
    """
    if data.count(b"<") <= _SCAN_FROM:
        return  # few tags: lexbor's cost is bounded whatever the nesting; the walker checks the depth
    low = data.lower()
    if _depth_bound(low) > limit("MAX_DEPTH"):
        check_depth(_depth(low))


def _depth_bound(low: bytes) -> int:
    """An upper bound on element nesting: depth before each chunk plus every start tag within it."""
    depth = bound = 0
    for at in range(0, len(low), _CHUNK):
        chunk = low[at : at + _CHUNK]
        closes = chunk.count(b"</")
        opens = chunk.count(b"<") - closes - chunk.count(b"<!") - chunk.count(b"<br") - chunk.count(b"<img")
        bound = max(bound, depth + opens)
        depth = max(0, depth + opens - closes)
    return bound


def _depth(low: bytes) -> int:
    """Element nesting counted tag by tag (elements that never deepen the tree left out)."""
    depth = deepest = 0
    for close, name, self_closing in _TAG.findall(low):
        if self_closing or name in _FLAT:
            continue
        if close:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest
