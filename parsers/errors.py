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
