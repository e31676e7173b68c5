"""Network faults for the imitation sites, queued per path: what the public internet does to a crawl.

``fault(site, "/a.html", "500", "timeout:5")`` makes the next two requests for ``/a.html`` fail that
way, each fault used once and in order; then the site answers as usual. The demo sites stay clean
imitations: the faults live here and reach a site through its ``before`` hook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govreports.demo.site import Request, Response, Site

BUSY = b"<html><body>busy</body></html>"


@dataclass
class Faults:
    """Queued faults per path: ``500``, ``503``, ``429:2`` (Retry-After 2), ``timeout:5`` (hold 5 s,
    then drop the connection), ``reset``, ``truncate`` (half the body, then close)."""

    queues: dict[str, list[str]] = field(default_factory=dict)

    def __call__(self, req: Request) -> Response | None:
        queue = self.queues.get(req.path)
        if not queue:
            return None
        action, _, arg = queue.pop(0).partition(":")
        if action.isdigit():
            return Response(int(action), BUSY, headers={"Retry-After": arg} if arg else {})
        if action not in ("reset", "timeout", "truncate"):
            raise ValueError(f"unknown fault {action!r}")
        return Response(fault=action, body=b"<html>" + b"x" * 4000 + b"</html>", hold=float(arg or 30))


def fault(site: Site, path: str, *actions: str) -> None:
    """Queue ``actions`` (see :class:`Faults`) for requests of ``path`` on ``site``."""
    if not isinstance(site.before, Faults):
        if site.before is not None:
            raise ValueError(f"site {site.name} already answers through another hook")
        site.before = Faults()
    site.before.queues.setdefault(path, []).extend(actions)
