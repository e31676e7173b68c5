"""One imitation site: pages by path, conditional answers, robots.txt and anti-bot walls."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

WALL_412 = (
    b"<html><head><meta charset=\"utf-8\"><script>var $_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={};"
    b'$_ts.nsd=43125;$_ts.cd="qEqmrGAlr...";</script><script src="/abc/x.js" r=\'m\'></script>'
    b"</head><body></body></html>"
)
WALL_521 = (
    b"<html><body><script>document.cookie='__jsl_clearance=1700000000.1|0|abc';"
    b"location.href=location.pathname+location.search</script></body></html>"
)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str]
    target: str = ""


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None  # reset | timeout | truncate
    hold: float = 0.0


Handler = Callable[[Request], Response]


@dataclass
class Site:
    """``pages`` maps a path to a response (or a handler). ``before``, when set, may answer a request
    first (past the wall and robots.txt): the tests queue network faults there (``tests/support/faults.py``)."""

    name: str
    pages: dict[str, Response | Handler] = field(default_factory=dict)
    robots: str | None = "User-agent: *\nDisallow: /private/\n"
    validators: str = "etag"  # etag | last-modified | none
    wall: int | None = None  # 412 or 521: every answer is an anti-bot wall
    before: Handler | Callable[[Request], Response | None] | None = None
    port: int = 0
    log: list[tuple[str, str, int]] = field(default_factory=list)  # (method, target, status)
    refresh: Callable[[], None] | None = None

    def served(self, prefix: str = "", status: int | None = 200) -> list[str]:
        """Targets answered (with ``status``) whose path starts with ``prefix``."""
        return [t for m, t, s in self.log if t.startswith(prefix) and (status is None or s == status)]

    def respond(self, req: Request) -> Response:
        r = self._respond(req)
        self.log.append((req.method, req.target, r.status if r.fault is None else 0))
        return r

    def _respond(self, req: Request) -> Response:
        if self.wall == 412:
            return Response(412, WALL_412)
        if self.wall == 521:
            return Response(521, WALL_521)
        if req.path == "/robots.txt":
            if self.robots is None:
                return Response(404, b"not found", "text/plain")
            return Response(200, self.robots.encode(), "text/plain")
        if self.before is not None and (first := self.before(req)) is not None:
            return first
        page = self.pages.get(req.path)
        if page is None and req.path.endswith("/"):
            page = self.pages.get(req.path + "index.html")
        if page is None:
            return Response(404, b"<html><body>404</body></html>")
        r = page(req) if callable(page) else page
        if r.status != 200 or req.method != "GET":
            return r
        return self._conditional(req, r)

    def _conditional(self, req: Request, r: Response) -> Response:
        digest = hashlib.sha1(r.body).hexdigest()[:16]
        headers = dict(r.headers)
        if self.validators == "etag":
            headers["ETag"] = f'"{digest}"'
            if req.headers.get("if-none-match") == headers["ETag"]:
                return Response(304, b"", None, headers)
        elif self.validators == "last-modified":
            # a stable date per version of the body
            stamp = int(digest[:6], 16) % 86400
            headers["Last-Modified"] = (
                f"Tue, 17 Jan 2023 {stamp // 3600:02d}:{stamp // 60 % 60:02d}:{stamp % 60:02d} GMT"
            )
            if req.headers.get("if-modified-since") == headers["Last-Modified"]:
                return Response(304, b"", None, headers)
        return Response(r.status, r.body, r.content_type, headers)
