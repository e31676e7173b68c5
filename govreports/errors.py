"""The one root of govreports' exceptions, and the exit codes every command follows.

Each side raises its own specific types (``ParseError``, ``FetchError``, ``RegistryError``,
``DatabaseError`` …), all under :class:`GovreportsError`; the command line catches that root at its
edge (:mod:`govreports.cli`) and prints the message as one line, exiting with the error's
:attr:`~GovreportsError.exit_code`. This module imports nothing, so every package may import it.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit status of every ``govreports`` command (documented in ``docs/cli.md``)."""

    OK = 0
    FATAL = 1
    PARTIAL = 3

    @property
    def meaning(self) -> str:
        """What the status tells a script or a scheduler (the table in ``docs/cli.md``)."""
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "everything asked for was done",
    ExitCode.FATAL: "fatal or usage error: bad arguments or input, database unreachable, nothing could be "
    "crawled; or `--strict` and an error was found (the output is still written)",
    ExitCode.PARTIAL: "partial: some items failed (each named, recorded and retried next time), the others were done",
}


class GovreportsError(Exception):
    """Root of every error govreports raises on purpose; its message is one line for the user."""

    exit_code: ExitCode = ExitCode.FATAL


class CommandError(GovreportsError):
    """A command cannot run as asked: missing or malformed arguments or input files."""


class StrictFailure(GovreportsError):
    """``--strict`` was given and the command found an error; the output was still written."""


class PartialFailure(GovreportsError):
    """Some items failed (each named or recorded) while the others were done: exit status 3."""

    exit_code = ExitCode.PARTIAL
