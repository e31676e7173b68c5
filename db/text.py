"""Text the databases cannot store, made storable the same way for SQLite and PostgreSQL.

PostgreSQL refuses NUL in text and both refuse code points that are half a surrogate pair (they
have no UTF-8 form); SQLite takes NUL and would keep what PostgreSQL drops. Every string a report
brings is cleaned here before either sees it: NUL is removed (it is never part of a name or a
number) and a lone surrogate becomes U+FFFD. The document's raw bytes stay as fetched in the raw
store, so nothing is lost that a later parser could want.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar

from govreports import parsers

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_REPLACEMENTS = {0: None, **dict.fromkeys(range(0xD800, 0xE000), "\ufffd")}

T = TypeVar("T")


def storable(text: str) -> str:
    """``text`` without NUL and with each lone surrogate as U+FFFD (unchanged, and fast, when clean)."""
    return text.translate(_REPLACEMENTS) if _UNSTORABLE.search(text) else text


def _maybe(text: str | None) -> str | None:
    return None if text is None else storable(text)


def storable_report(report: parsers.Report) -> parsers.Report:
    """The report itself when all its text is storable, else a copy with its text cleaned."""
    if not _needs_cleaning(report):
        return report
    return dataclasses.replace(
        report,
        source=storable(report.source),
        agency=_maybe(report.agency),
        published=_maybe(report.published),
        title=_maybe(report.title),
        sections={storable(k): storable(v) for k, v in report.sections.items()},
        facts=[dataclasses.replace(f, raw=_maybe(f.raw)) for f in report.facts],
        issues=[
            dataclasses.replace(i, message=storable(i.message), cells=[storable(c) for c in i.cells])
            for i in report.issues
        ],
        encoding=_maybe(report.encoding),
    )


def storable_fields(obj: T) -> T:
    """A dataclass with every ``str`` field cleaned (a copy only when one needed it)."""
    changes = {
        f.name: storable(value)
        for f in dataclasses.fields(obj)  # type: ignore[arg-type]
        if isinstance(value := getattr(obj, f.name), str) and _UNSTORABLE.search(value)
    }
    return dataclasses.replace(obj, **changes) if changes else obj  # type: ignore[type-var]


def _needs_cleaning(report: parsers.Report) -> bool:
    texts = [report.source, report.agency, report.published, report.title, report.encoding]
    texts += report.sections.keys()
    texts += report.sections.values()
    texts += (f.raw for f in report.facts)
    texts += (i.message for i in report.issues)
    texts += (c for i in report.issues for c in i.cells)
    return any(t and _UNSTORABLE.search(t) for t in texts)
