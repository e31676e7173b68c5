"""An imitation Guangdong gkmlpt site: a script page with ``window._CONFIG``, a JSON list API, and
detail pages whose body sits JSON-escaped in their own ``_CONFIG``."""

from __future__ import annotations

import json
from html import escape

from .common import home, html_page
from .content import AgencyData, YearReport, report_body
from .site import Request, Response, Site

CAT, SID = 2311, "gd_sid_7f3a"


def detail_path(r: YearReport, n: int) -> str:
    return f"/gkmlpt/content/4/{CAT}/post_{4100 + n}.html"


def build(data: AgencyData, perpage: int = 2, name: str | None = None) -> Site:
    site = Site(name or data.name, validators="etag")

    def api(req: Request) -> Response:
        if req.query.get("sid") != SID:
            return Response(403, b'{"error":"sid"}', "application/json")
        page = int(req.query.get("page", 1))
        reports = sorted(data.reports, key=lambda r: -r.year)
        chunk = reports[(page - 1) * perpage: page * perpage]
        body = {"total": len(reports), "page": page, "articles": [
            {"id": 4100 + reports.index(r), "title": r.title, "url": detail_path(r, reports.index(r)) + f"#{CAT}",
             "date": r.published} for r in chunk]}
        return Response(200, json.dumps(body, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    def render() -> None:
        site.pages.clear()
        site.pages["/"] = home(data.name, f"/gkmlpt/index#{CAT}")
        config = f"window._CONFIG = {{SID: '{SID}', SITE_NAME: '{data.name}', ROOT: '/gkmlpt/'}};"
        site.pages["/gkmlpt/index"] = Response(200, html_page(
            "政府信息公开", f'<div id="app"></div><script>{config}</script><script src="/gkmlpt/js/app.js"></script>').encode())
        site.pages[f"/gkmlpt/api/all/{CAT}"] = api
        reports = sorted(data.reports, key=lambda r: -r.year)
        for n, r in enumerate(reports):
            detail = {"title": r.title, "publish_time": f"{r.published} 10:00:00", "content": report_body(r)}
            script = f"window._CONFIG = {{SID: '{SID}', DETAIL: {json.dumps(detail, ensure_ascii=True)}}};"
            site.pages[detail_path(r, n)] = Response(200, html_page(
                escape(r.title), f'<div id="app"></div><script>{script}</script>').encode())

    site.refresh = render
    render()
    return site
