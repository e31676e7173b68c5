"""An imitation Guangdong gkmlpt site: a script page with ``window._CONFIG``, a JSON list API, and
detail pages whose body sits JSON-escaped in their own ``_CONFIG``.

The list API answers in the shapes real gkmlpt sites use (``api``):

- ``"total"``: ``{"total": N, "articles": [{…, "url", "date": "YYYY-MM-DD"}]}``;
- ``"classify"`` (Shenzhen's): the count only in ``classify.post_count``, pages 0 and 1 the same,
  ``date`` a Unix time, the title's date in ``display_publish_time``, the page URL also as ``post_url``;
- ``"single"`` (Zhaoqing's): every item on page 1 and no count, any later page answers 404.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from .common import home, html_page
from .content import AgencyData, YearReport, report_body
from .site import Request, Response, Site

CAT, SID = 2311, "gd_sid_7f3a"


def detail_path(r: YearReport, n: int) -> str:
    return f"/gkmlpt/content/4/{CAT}/post_{4100 + n}.html"


def _item(r: YearReport, n: int, api: str) -> dict:
    url = detail_path(r, n) + f"#{CAT}"
    if api == "total":
        return {"id": 4100 + n, "title": r.title, "url": url, "date": r.published}
    published = datetime.fromisoformat(f"{r.published}T10:00:00+08:00")
    return {
        "id": 4100 + n,
        "title": r.title,
        "url": url,
        "post_url": url,
        "date": int(published.timestamp()),
        "created_at": f"{r.published} 10:00:00",
        "display_publish_time": int(published.timestamp()),
        "identifier": f"11440300MB2C{n:05d}/{r.year + 1}-00{n:03d}",
        "attachment": [],
    }


def build(data: AgencyData, perpage: int = 2, name: str | None = None, api: str = "total") -> Site:
    site = Site(name or data.name, validators="etag")

    def list_api(req: Request) -> Response:
        if req.query.get("sid") != SID:
            return Response(403, b'{"error":"sid"}', "application/json")
        page = int(req.query.get("page", 1))
        reports = sorted(data.reports, key=lambda r: -r.year)
        if api == "single":
            if page > 1:
                return Response(404, b"<html><body>404 Not Found</body></html>", "text/html")
            chunk = reports
        else:
            start = max(page - 1, 0) * perpage  # page 0 is page 1
            chunk = reports[start : start + perpage]
        articles = [_item(r, reports.index(r), api) for r in chunk]
        if api == "total":
            body: dict = {"total": len(reports), "page": page, "articles": articles}
        elif api == "single":
            body = {"articles": articles}
        else:
            body = {
                "classify": {"id": CAT, "name": "政府信息公开年报", "post_count": len(reports)},
                "articles": articles,
            }
        return Response(200, json.dumps(body, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    def render() -> None:
        site.pages.clear()
        site.pages["/"] = home(data.name, f"/gkmlpt/index#{CAT}")
        config = f"window._CONFIG = {{SID: '{SID}', SITE_NAME: '{data.name}', ROOT: '/gkmlpt/'}};"
        site.pages["/gkmlpt/index"] = Response(
            200,
            html_page(
                "政府信息公开",
                f'<div id="app"></div><script>{config}</script><script src="/gkmlpt/js/app.js"></script>',
            ).encode(),
        )
        site.pages[f"/gkmlpt/api/all/{CAT}"] = list_api
        reports = sorted(data.reports, key=lambda r: -r.year)
        for n, r in enumerate(reports):
            detail = {"title": r.title, "publish_time": f"{r.published} 10:00:00", "content": report_body(r)}
            script = f"window._CONFIG = {{SID: '{SID}', DETAIL: {json.dumps(detail, ensure_ascii=True)}}};"
            site.pages[detail_path(r, n)] = Response(
                200, html_page(escape(r.title), f'<div id="app"></div><script>{script}</script>').encode()
            )

    site.refresh = render
    render()
    return site
