"""govreports: annual reports on government information disclosure, as data.

The notebook API lives in :mod:`govreports.api` (its verbs are re-exported here); the command line
in :mod:`govreports.cli`. The subpackages: :mod:`govreports.parsers` (bytes → checked reports),
:mod:`govreports.scraper` (fetching), :mod:`govreports.db` (storage and queries).

The API is imported on first use, so ``import govreports.parsers`` stays light and free of cycles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "check",
    "compare",
    "connect",
    "coverage",
    "disconnect",
    "export",
    "export_sqlite",
    "facts",
    "failures",
    "findings",
    "load",
    "parse",
    "parse_many",
    "rates",
    "reparse",
    "reports_frame",
    "trend",
    "wide",
]

if TYPE_CHECKING:
    from .api import (
        check,
        compare,
        connect,
        coverage,
        disconnect,
        export,
        export_sqlite,
        facts,
        failures,
        findings,
        load,
        parse,
        parse_many,
        rates,
        reparse,
        reports_frame,
        trend,
        wide,
    )


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'govreports' has no attribute {name!r}")
