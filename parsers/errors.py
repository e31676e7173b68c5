"""Exceptions of the parsers package; the CLI catches them at its edge."""

from govreports.errors import GovreportsError


class ParseError(GovreportsError):
    """A document could not be read at all; ``rule`` names the issue it becomes in the report."""

    rule = "unreadable"

    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        if rule:
            self.rule = rule


class UnsupportedFormat(ParseError):
    rule = "unsupported_format"


class ScannedPDF(ParseError):
    rule = "scanned_pdf"


class TooLarge(ParseError):
    rule = "too_large"


class TooDeep(ParseError):
    """Nesting beyond ``PARSE_MAX_DEPTH``: no report is built that way, and deep trees cost quadratic time."""

    rule = "too_deep"


class TooSlow(ParseError):
    """The document took longer than ``PARSE_TIMEOUT`` in its parse worker."""

    rule = "too_slow"


class OutOfMemory(ParseError):
    """Parsing the document needed more than ``PARSE_MEMORY`` of address space."""

    rule = "out_of_memory"


class ParserCrashed(ParseError):
    """The parse worker died on the document (a crash in a C library); the worker is replaced."""

    rule = "parser_crashed"
