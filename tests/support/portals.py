"""Portals holding several agencies, served by the imitation farm in a process of its own.

The portals are :func:`govreports.demo.portals.portal_sites`' (a county portal and the departments
on it share one host). The farm runs in a child process (spawned: nothing inherited), so its CPU and
event loop are apart from the crawlers it watches; it keeps every request it answered
(``Farm(watch=True)``) for the test to read.

The sites are built from seeds, so the parent builds the same agencies to know what they publish.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from govreports.demo.content import AgencyData, make_agency
from govreports.demo.portals import portal_sites
from govreports.demo.server import Farm, Hit

YEARS = [2021, 2022, 2023]


def portal_agencies(sizes: tuple[int, ...]) -> list[list[AgencyData]]:
    """The agencies of each portal (``sizes[i]`` of them on portal ``i``), numbered across portals."""
    out, n = [], 0
    for size in sizes:
        out.append([make_agency(f"江南市第{n + k + 1}局", YEARS, seed=500 + n + k) for k in range(size)])
        n += size
    return out


def _serve(conn, sizes: tuple[int, ...], latency: float) -> None:
    """The child: serve the portals, answer ``hits``/``clear`` until ``stop``."""
    sites, starts = portal_sites(portal_agencies(sizes))
    with Farm(sites, latency=latency, watch=True) as farm:
        conn.send({name: farm.url(site, path) for name, (site, path) in starts.items()})
        while (command := conn.recv()) != "stop":
            if command == "hits":
                conn.send(list(farm.hits))
            elif command == "clear":
                farm.hits.clear()
                conn.send(None)


@dataclass
class PortalFarm:
    """The parent's handle: each agency's start URL, and the requests the farm answered."""

    starts: dict[str, str]  # agency name → its column's URL
    _conn: object

    def hits(self) -> list[Hit]:
        self._conn.send("hits")  # type: ignore[attr-defined]
        return self._conn.recv()  # type: ignore[attr-defined]

    def clear(self) -> None:
        self._conn.send("clear")  # type: ignore[attr-defined]
        self._conn.recv()  # type: ignore[attr-defined]


@contextmanager
def portal_farm(sizes: tuple[int, ...], latency: float = 0.0) -> Iterator[PortalFarm]:
    """The portals served by a farm in its own process, for the length of the ``with``."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(child, sizes, latency), daemon=True, name="portal-farm")
    proc.start()
    try:
        if not parent.poll(120):
            raise RuntimeError("the farm process did not start")
        yield PortalFarm(parent.recv(), parent)
    finally:
        if proc.is_alive():
            parent.send("stop")
            proc.join(30)
        if proc.is_alive():
            proc.kill()
