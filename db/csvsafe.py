"""CSV that a spreadsheet opens as data: text cells that would start a formula are escaped.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets (CSV injection; a report's agency name or a URL is text the
internet wrote). Such text gets a leading ``'``, the usual spreadsheet-safe convention (OWASP).
Numbers are never touched, so ``-3`` in a numeric column stays a number. ``CSV_ESCAPE`` (or the
commands' ``--no-csv-escape``) turns it off for tools that read CSV as plain data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govreports import settings

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text that a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with its text cells escaped (numeric, date and bool columns as they are)."""
    import pandas as pd

    out = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
            out[column] = frame[column].map(escape_cell)
    return out


def enabled(escape: bool | None = None) -> bool:
    """Whether to escape: the caller's choice, else the ``CSV_ESCAPE`` setting."""
    return bool(settings.get("CSV_ESCAPE")) if escape is None else escape
