"""The last line of defence: each document parsed in a worker process under a memory limit and a deadline.

The readers bound their own work (``PARSE_MAX_*``), but they stand on C libraries (pdfium, lexbor,
libxml2, zlib) that a hostile file can still drive into minutes of work or gigabytes of memory. A
:class:`Sandbox` keeps one worker process whose address space is capped with ``RLIMIT_AS``
(``PARSE_MEMORY``) and waits at most ``PARSE_TIMEOUT`` seconds for each document. A document that
passes either comes back as a report with one issue (``too_slow``, ``out_of_memory`` or
``parser_crashed``); the worker is killed and replaced for the next document, and the caller goes on.

Used by ``govreports parse``, ``govreports load`` and the nightly job's parse workers; library callers
of :func:`govreports.parsers.parse_bytes` parse in their own process, unguarded.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import resource
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from govreports import settings

from .context import Context
from .errors import OutOfMemory, ParseError, ParserCrashed, TooSlow
from .limits import size
from .model import Issue, Report


class Sandbox:
    """One parse worker at a time, replaced after any document that kills it or runs out of time.

    ``timeout`` (seconds) and ``memory`` (bytes of address space) default to the ``PARSE_TIMEOUT``
    and ``PARSE_MEMORY`` settings. Thread-safe: documents are parsed one after another.
    """

    def __init__(self, timeout: float | None = None, memory: int | None = None) -> None:
        self._timeout, self._memory = timeout, memory
        self._worker_memory: int | None = None  # the limit the running worker was started with
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._pipes: tuple[Connection, Connection] | None = None

    @property
    def timeout(self) -> float:
        """Seconds per document: as given, else ``PARSE_TIMEOUT`` as the process sees it now."""
        return float(settings.get("PARSE_TIMEOUT")) if self._timeout is None else float(self._timeout)

    @property
    def memory(self) -> int:
        """Bytes of address space: as given, else ``PARSE_MEMORY`` now (a change starts a new worker)."""
        return int(settings.get("PARSE_MEMORY")) if self._memory is None else int(self._memory)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def parse(
        self, data: bytes, source: str = "<bytes>", content_type: str | None = None, context: Context | None = None
    ) -> Report:
        """:func:`~govreports.parsers.parse_bytes` in the worker; a breach of a limit is the report's issue."""
        with self._lock:
            try:
                return self._parse(data, source, content_type, context)
            except ParseError as exc:
                report = Report(source=source, content_hash=hashlib.sha256(data).hexdigest())
                report.issues.append(Issue(exc.rule, "error", str(exc)))
                return report

    def _parse(self, data: bytes, source: str, content_type: str | None, context: Context | None) -> Report:
        send, receive = self._worker()
        timeout = self.timeout
        # the worker reads its PARSE_* limits from the environment as it is now, not as it was at its start
        env = {k: v for k, v in os.environ.items() if k.startswith("GOVREPORTS_PARSE_")}
        try:
            send.send((data, source, content_type, context, env))
            ready = receive.poll(timeout)
            outcome = receive.recv() if ready else None
        except (EOFError, OSError):  # the worker died on the document
            raise self._died() from None
        if not ready:
            self.close()
            raise TooSlow(f"parsing took longer than {timeout:g} seconds, the limit (PARSE_TIMEOUT)")
        if isinstance(outcome, Report):
            return outcome
        assert outcome is not None  # ready: the worker answered
        kind, message = outcome
        self.close()  # after a MemoryError or a bug the worker's state is not to be trusted
        if kind == "memory":
            raise OutOfMemory(
                f"parsing needed more than {size(self._worker_memory or self.memory)} of memory, the limit (PARSE_MEMORY)"
            )
        raise ParseError(f"the parser failed on this document ({message[:300]})", rule="parser_error")

    def _died(self) -> ParseError:
        process, memory = self._process, self._worker_memory or self.memory
        if process is not None:
            process.kill()
            process.wait()
        code = process.returncode if process is not None else None
        self.close()
        name = signal.Signals(-code).name if code is not None and code < 0 else f"exit status {code}"
        return ParserCrashed(
            f"the parser crashed on this document ({name}); often memory beyond {size(memory)} (PARSE_MEMORY)"
        )

    def _worker(self) -> tuple[Connection, Connection]:
        """The running worker's pipes, starting one if there is none (a new Python: nothing inherited
        but the environment, whatever threads or state the caller has)."""
        memory = self.memory
        if (
            self._pipes is None
            or self._process is None
            or self._process.poll() is not None
            or self._worker_memory != memory
        ):
            self.close()
            self._worker_memory = memory
            self._process = subprocess.Popen(
                [sys.executable, "-c", f"from govreports.parsers.sandbox import serve; serve({memory})"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                close_fds=True,
            )
            assert self._process.stdin is not None and self._process.stdout is not None
            self._pipes = (
                Connection(os.dup(self._process.stdin.fileno()), readable=False),
                Connection(os.dup(self._process.stdout.fileno()), writable=False),
            )
            self._process.stdin.close()
            self._process.stdout.close()
        return self._pipes

    def close(self) -> None:
        """Stop the worker (killed: it may be stuck in C code); the next document starts a new one."""
        process, pipes = self._process, self._pipes
        self._process = self._pipes = None
        if pipes is not None:
            for conn in pipes:
                conn.close()
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()


def serve(memory: int) -> None:
    """The worker: cap the address space, then parse documents from stdin until it closes."""
    receive, send = Connection(os.dup(0), writable=False), Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the pipe
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))
    from . import parse_bytes

    while True:
        try:
            data, source, content_type, context, env = receive.recv()
        except (EOFError, OSError):
            return
        for key in [k for k in os.environ if k.startswith("GOVREPORTS_PARSE_")]:
            del os.environ[key]
        os.environ.update(env)
        try:
            outcome: Report | tuple[str, str] = parse_bytes(data, source, content_type, context=context)
        except MemoryError as exc:
            outcome = ("memory", str(exc))
        except Exception as exc:  # a parser bug: the caller gets it as the document's issue
            outcome = ("error", f"{type(exc).__name__}: {exc}")
        del data
        send.send(outcome)


_SHARED: Sandbox | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> Sandbox:
    """This process's sandbox with the limits of the settings (closed when the process exits)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = Sandbox()
            atexit.register(_SHARED.close)
        return _SHARED


def parse_bytes_limited(
    data: bytes,
    source: str = "<bytes>",
    content_type: str | None = None,
    timeout: float | None = None,
    memory: int | None = None,
    context: Context | None = None,
) -> Report:
    """Parse in a worker under ``timeout``/``memory`` (the settings' limits by default, in a shared worker)."""
    if timeout is None and memory is None:
        return shared().parse(data, source, content_type, context)
    with Sandbox(timeout, memory) as sandbox:
        return sandbox.parse(data, source, content_type, context)
