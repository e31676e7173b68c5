"""govreports: annual reports on government information disclosure, as data.

The notebook API lives in :mod:`govreports.api`; the command line in :mod:`govreports.cli`.
"""

from .api import parse, parse_many, reports_frame

__all__ = ["parse", "parse_many", "reports_frame"]
