"""The last line of defence: each document parsed in a worker process under a memory limit and a deadline.

The readers bound their own work (``PARSE_MAX_*``), but they stand on C libraries (pdfium, lexbor,
libxml2, zlib) that a hostile file can still drive into minutes of work or gigabytes of memory. A
:class:`Sandbox` keeps one worker process whose address space is capped with ``RLIMIT_AS``
(``PARSE_MEMORY``) and waits at most ``PARSE_TIMEOUT`` seconds for each document. A document that
passes either comes back as a report with one issue (``too_slow``, ``out_of_memory`` or
``parser_crashed``); the worker is killed and replaced for the next document, and the caller goes on.

OCR (a scanned PDF, the pictures of a 图片版 page) needs more: onnxruntime alone reserves over 1 GiB
of address space, and a page takes seconds. When a reader starts OCR the worker raises its own
address-space limit to ``OCR_MEMORY`` and tells the caller, which then waits up to ``OCR_TIMEOUT``
for that document; a worker that ran OCR is replaced after it, so the next document has
``PARSE_MEMORY`` again. Documents with a text layer never get the OCR limits.

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
import time
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import NamedTuple

from govreports import settings

from .context import Context
from .errors import OutOfMemory, ParseError, ParserCrashed, TooSlow
from .limits import size
from .model import Issue, Report
from .pictures import fetched_pictures


class Rendered(NamedTuple):
    """A report and its JSON line (the spec's object); ``report`` may come without its facts."""

    report: Report
    json: str


_Outcome = Report | Rendered | tuple[str, str]  # a worker's answer: ("memory" | "error", message) when it failed


class Sandbox:
    """One parse worker at a time, replaced after any document that kills it or runs out of time.

    ``timeout`` (seconds) and ``memory`` (bytes of address space) default to the ``PARSE_TIMEOUT``
    and ``PARSE_MEMORY`` settings. Thread-safe: documents are parsed one after another.
    """

    def __init__(
        self,
        timeout: float | None = None,
        memory: int | None = None,
        ocr_timeout: float | None = None,
        ocr_memory: int | None = None,
    ) -> None:
        self._timeout, self._memory = timeout, memory
        self._ocr_timeout, self._ocr_memory = ocr_timeout, ocr_memory
        self._ocr = False  # the document in the worker is being read by OCR
        self._worker_limits: tuple[int, int] | None = None  # (PARSE_MEMORY, OCR_MEMORY) the worker started with
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

    @property
    def ocr_timeout(self) -> float:
        """Seconds for a document read by OCR: as given, else ``OCR_TIMEOUT`` (never less than :attr:`timeout`)."""
        value = float(settings.get("OCR_TIMEOUT")) if self._ocr_timeout is None else float(self._ocr_timeout)
        return max(value, self.timeout)

    @property
    def ocr_memory(self) -> int:
        """Bytes of address space while OCR runs: as given, else ``OCR_MEMORY`` (never less than :attr:`memory`)."""
        value = int(settings.get("OCR_MEMORY")) if self._ocr_memory is None else int(self._ocr_memory)
        return max(value, self.memory)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def parse(
        self,
        data: bytes,
        source: str = "<bytes>",
        content_type: str | None = None,
        context: Context | None = None,
        pictures: dict[str, bytes] | None = None,
    ) -> Report:
        """:func:`~govreports.parsers.parse_bytes` in the worker; a breach of a limit is the report's issue.

        ``pictures`` are a web page's fetched pictures by URL (for OCR of a 图片版 page).
        """
        outcome = self._guarded(data, source, content_type, context, pictures, render=False)
        assert isinstance(outcome, Report)  # the worker writes the JSON only when asked to
        return outcome

    def parse_json(
        self,
        data: bytes,
        source: str = "<bytes>",
        content_type: str | None = None,
        context: Context | None = None,
        pictures: dict[str, bytes] | None = None,
    ) -> Rendered:
        """As :meth:`parse`, with the report's JSON line (``Report.to_json``) written by the worker.

        The facts stay in the worker: the report that comes back has none (they are in the line).
        Pickling two hundred facts to send them back costs more than the line, which is all that
        ``govreports parse --format json`` writes.
        """
        outcome = self._guarded(data, source, content_type, context, pictures, render=True)
        return outcome if isinstance(outcome, Rendered) else Rendered(outcome, outcome.to_json())

    def _guarded(
        self,
        data: bytes,
        source: str,
        content_type: str | None,
        context: Context | None,
        pictures: dict[str, bytes] | None,
        render: bool,
    ) -> Report | Rendered:
        with self._lock:
            try:
                return self._parse(data, source, content_type, context, pictures, render)
            except ParseError as exc:
                report = Report(source=source, content_hash=hashlib.sha256(data).hexdigest())
                report.issues.append(Issue(exc.rule, "error", str(exc)))
                return report

    def _parse(
        self,
        data: bytes,
        source: str,
        content_type: str | None,
        context: Context | None,
        pictures: dict[str, bytes] | None = None,
        render: bool = False,
    ) -> Report | Rendered:
        send, receive = self._worker()
        timeout = self.timeout
        # the worker reads its PARSE_* limits from the environment as it is now, not as it was at its start
        env = forwarded_environment()
        self._ocr = False
        try:
            send.send((data, source, content_type, context, env, pictures, render))
            outcome, timeout = self._outcome(receive, timeout)
        except (EOFError, OSError):  # the worker died on the document
            raise self._died() from None
        if self._ocr:  # its address space stays wide after OCR: the next document gets a fresh worker
            self.close()
        if outcome is None:
            self.close()
            limit = "OCR_TIMEOUT" if self._ocr else "PARSE_TIMEOUT"
            what = "reading this document by OCR" if self._ocr else "parsing"
            raise TooSlow(f"{what} took longer than {timeout:g} seconds, the limit ({limit})")
        if isinstance(outcome, (Report, Rendered)):
            return outcome
        assert outcome is not None  # ready: the worker answered
        kind, message = outcome
        self.close()  # after a MemoryError or a bug the worker's state is not to be trusted
        if kind == "memory":
            raise OutOfMemory(
                f"parsing needed more than {size(self._limit())} of memory, the limit ({self._limit_name()})"
            )
        raise ParseError(f"the parser failed on this document ({message[:300]})", rule="parser_error")

    def _outcome(self, receive: Connection, timeout: float) -> tuple[_Outcome | None, float]:
        """The worker's answer and the deadline that applied (None: none in time). A word that OCR
        began moves the deadline to :attr:`ocr_timeout` from the document's start."""
        start = time.monotonic()
        while receive.poll(max(0.0, start + timeout - time.monotonic())):
            outcome = receive.recv()
            if outcome != OCR_STARTED:
                return outcome, timeout
            self._ocr, timeout = True, self.ocr_timeout
        return None, timeout

    def _limit(self) -> int:
        limits = self._worker_limits or (self.memory, self.ocr_memory)
        return limits[1] if self._ocr else limits[0]

    def _limit_name(self) -> str:
        return "OCR_MEMORY" if self._ocr else "PARSE_MEMORY"

    def _died(self) -> ParseError:
        process, memory, name = self._process, self._limit(), self._limit_name()
        if process is not None:
            process.kill()
            process.wait()
        code = process.returncode if process is not None else None
        self.close()
        how = signal.Signals(-code).name if code is not None and code < 0 else f"exit status {code}"
        return ParserCrashed(
            f"the parser crashed on this document ({how}); often memory beyond {size(memory)} ({name})"
        )

    def _worker(self) -> tuple[Connection, Connection]:
        """The running worker's pipes, starting one if there is none (a new Python: nothing inherited
        but the environment, whatever threads or state the caller has)."""
        memory = self.memory
        if (
            self._pipes is None
            or self._process is None
            or self._process.poll() is not None
            or self._worker_limits != (memory, self.ocr_memory)
        ):
            self.close()
            self._worker_limits = (memory, self.ocr_memory)
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    f"from govreports.parsers.sandbox import serve; serve({memory}, {self.ocr_memory})",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                close_fds=True,
                env=_worker_environment(),
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


_FORWARDED = ("GOVREPORTS_PARSE_", "GOVREPORTS_OCR_")  # settings the worker reads as the caller has them now
# their variables' names: looked up one by one, not found by a scan of the whole environment per document
_FORWARDED_NAMES = tuple(
    f"GOVREPORTS_{name}" for name in settings.DEFAULTS if f"GOVREPORTS_{name}".startswith(_FORWARDED)
)


def forwarded_environment() -> dict[str, str]:
    """The ``GOVREPORTS_PARSE_*``/``GOVREPORTS_OCR_*`` settings set in this process's environment now."""
    environ = os.environ
    return {name: environ[name] for name in _FORWARDED_NAMES if name in environ}


# glibc's malloc gives the top of its heap back to the system whenever 128 KiB or more is free there, and
# a worker that parses one document after another then faults the same pages in again for the next:
# about 117 page faults a report, a fifth of an HTML report's CPU time in the kernel. Kept up to 64 MiB
# (the worker's address space is capped anyway), the faults fall to 5 a report. Ignored by other libcs;
# a GLIBC_TUNABLES of the caller's own is left as it is.
_WORKER_MALLOC = "glibc.malloc.trim_threshold=67108864"


def _worker_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("GLIBC_TUNABLES", _WORKER_MALLOC)
    return env


OCR_STARTED = "ocr started"  # the worker's word to the caller that the document is read by OCR


def serve(memory: int, ocr_memory: int | None = None) -> None:
    """The worker: cap the address space, then parse documents from stdin until it closes.

    While OCR reads a document the cap is ``ocr_memory`` (the caller replaces the worker after it).
    """
    receive, send = Connection(os.dup(0), writable=False), Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the pipe
    _cap_address_space(memory)
    from . import ocr, parse_bytes

    widened = [False]

    def widen() -> None:
        if not widened[0]:
            widened[0] = True
            _cap_address_space(max(memory, ocr_memory or memory))
            send.send(OCR_STARTED)

    ocr.ON_START.append(widen)

    applied: dict[str, str] | None = None  # the caller's forwarded settings now in this environment
    while True:
        try:
            data, source, content_type, context, env, pictures, render = receive.recv()
        except (EOFError, OSError):
            return
        if env != applied:  # most callers send the same settings with every document
            for key in [k for k in os.environ if k.startswith(_FORWARDED)]:
                del os.environ[key]
            os.environ.update(env)
            applied = env
        images = fetched_pictures(source, pictures) if pictures else None
        widened[0] = False
        outcome: _Outcome
        try:
            report = parse_bytes(data, source, content_type, context=context, images=images)
            outcome = Rendered(replace(report, facts=[]), report.to_json()) if render else report
        except MemoryError as exc:
            outcome = ("memory", str(exc))
        except Exception as exc:  # a parser bug: the caller gets it as the document's issue
            outcome = ("error", f"{type(exc).__name__}: {exc}")
        del data
        send.send(outcome)


def _cap_address_space(memory: int) -> None:
    """Set this process's soft RLIMIT_AS to ``memory`` (never past the hard limit)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))


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
    pictures: dict[str, bytes] | None = None,
) -> Report:
    """Parse in a worker under ``timeout``/``memory`` (the settings' limits by default, in a shared worker)."""
    if timeout is None and memory is None:
        return shared().parse(data, source, content_type, context, pictures)
    with Sandbox(timeout, memory) as sandbox:
        return sandbox.parse(data, source, content_type, context, pictures)
