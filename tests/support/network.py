"""Network doubles for tests of the guard and the deadlines: a recording socket layer, a resolver,
servers on 127.0.0.1 that never answer or answer one byte at a time."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore


class Forward(httpcore.AsyncNetworkBackend):
    """A socket layer that records the address each connection was asked for and connects to
    127.0.0.1:``port`` instead: addresses that must never be contacted are never contacted."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.asked: list[tuple[str, int]] = []
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.asked.append((host, port))
        return await self._inner.connect_tcp("127.0.0.1", self.port, timeout, local_address, socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise AssertionError("no unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class Resolver:
    """A name lookup from a table; a name may get a list of answers, one per lookup (rebinding)."""

    def __init__(self, table: dict[str, list[str] | list[list[str]]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def __call__(self, name: str) -> list[str]:
        self.asked.append(name)
        answers = self.table.get(name)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if isinstance(answers[0], list):  # one answer per lookup, the last one repeated
            return list(answers.pop(0) if len(answers) > 1 else answers[0])  # type: ignore[arg-type]
        return list(answers)  # type: ignore[arg-type]


@contextlib.contextmanager
def tcp_server(handler: Any) -> Iterator[tuple[int, list[float]]]:
    """A threaded TCP server on 127.0.0.1 calling ``handler(conn)`` per connection; yields
    (port, connection start times). Connections are closed when the block ends."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()
    conns: list[socket.socket] = []
    starts: list[float] = []

    def serve_one(conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            handler(conn, stop)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conns.append(conn)
            starts.append(time.monotonic())
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], starts
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.close()


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """Accept, read what comes, never answer."""
    conn.settimeout(0.2)
    while not stop.is_set():
        try:
            if not conn.recv(4096):
                return
        except TimeoutError:
            continue


def drip(interval: float = 2.0):
    """An HTTP server that answers 200 and then one byte of body every ``interval`` seconds."""

    def handler(conn: socket.socket, stop: threading.Event) -> None:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(interval):
            conn.sendall(b"x")

    return handler
