"""govreports: annual reports on government information disclosure, as data.

The notebook API lives in :mod:`govreports.api`; the command line in :mod:`govreports.cli`.
"""

from .api import (
    check,
    compare,
    connect,
    export,
    facts,
    failures,
    findings,
    load,
    parse,
    parse_many,
    rates,
    reports_frame,
    trend,
    wide,
)

__all__ = [
    "check",
    "compare",
    "connect",
    "export",
    "facts",
    "failures",
    "findings",
    "load",
    "parse",
    "parse_many",
    "rates",
    "reports_frame",
    "trend",
    "wide",
]
