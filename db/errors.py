"""Errors of the db side; the CLI turns each into a one-line message and a non-zero exit."""

from govreports.errors import GovreportsError


class DatabaseError(GovreportsError):
    """The database cannot be opened or used (bad URL, server down, schema too new)."""


class LoadError(DatabaseError):
    """A report could not be stored and its failure could not be recorded either."""


class QueryError(DatabaseError):
    """A query asked for something that does not exist (unknown view, table or format)."""
