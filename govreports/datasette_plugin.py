"""Datasette hooks of ``govreports serve``: an agency page with its figures over the years and a chart.

``/-/agency/<agency_id>`` shows the agency's key figures and rates per year (a table), the chart of
:func:`govreports.plot.trend` as inline SVG (glyphs drawn as paths, so the browser needs no CJK
font), and its coverage record (published when, on time or late, findings). Agency names in
``agencies`` and every ``agency_id`` cell link to it.
"""

from __future__ import annotations

import asyncio
import io

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

TREND_TABLE_COLUMNS = [
    "year",
    "template",
    "new_received_total",
    "carried_over_total",
    "granted_total",
    "total_processed_total",
    "carried_forward_total",
    "review_total",
    "disclosure_rate",
]


def _page_data(path: str, name: str) -> dict:
    """The agency's trend table (HTML), chart (SVG) and coverage rows, read from the served SQLite file."""
    from matplotlib import pyplot as plt  # noqa: F401  (registers the backends savefig needs)

    from govreports import plot
    from govreports.db import query
    from govreports.db.engine import connect
    from govreports.dictionary import label

    engine = connect(f"sqlite:///{path}", migrate=False)
    try:
        frame = query.trend(engine, name)
        cov = query.coverage(engine, agency=name)
        svg = io.StringIO()
        plot.trend(name, db=engine).savefig(svg, format="svg")
    finally:
        engine.dispose()
    shown = frame[TREND_TABLE_COLUMNS].rename(columns={c: f"{c}\n{label(c)}" for c in TREND_TABLE_COLUMNS[2:]})
    cov_cols = ["year", "deadline", "status", "published", "date_source", "days_late", "versions", "errors", "warnings"]
    table = _html(shown, "govreports-trend")
    coverage = _html(cov[cov_cols], "govreports-coverage")
    return {"table": Markup(table), "chart": Markup(svg.getvalue().split("?>", 1)[-1]), "coverage": Markup(coverage)}


def _html(frame, css_class: str) -> str:
    """A frame as a Datasette-styled HTML table: empty cells empty (not NaN, <NA> or NaT), numbers as printed."""
    cells = frame.astype(object).where(frame.notna(), "")
    cells = cells.map(lambda v: f"{v:g}" if isinstance(v, float) else v)
    return cells.to_html(index=False, classes=f"rows-and-columns {css_class}")


async def agency_page(datasette, request):
    database = datasette.get_database()
    agency_id = int(request.url_vars["agency_id"])
    row = (
        await database.execute("SELECT id, name, region_code, level, kind FROM agencies WHERE id = ?", [agency_id])
    ).first()
    if row is None:
        raise NotFound(f"no agency {agency_id}")
    has_reports = (await database.execute("SELECT 1 FROM reports WHERE agency_id = ? LIMIT 1", [agency_id])).first()
    data = await asyncio.to_thread(_page_data, database.path, row["name"]) if has_reports else {}
    return Response.html(
        await datasette.render_template(
            "govreports_agency.html",
            {"agency": dict(row), "database": database.name, **data},
            request=request,
        )
    )


@hookimpl
def register_routes():
    return [(r"^/-/agency/(?P<agency_id>\d+)$", agency_page)]


@hookimpl
def render_cell(row, value, column, table, datasette):
    """An agency's name in ``agencies``, and ``agency_id`` anywhere, link to its page."""
    agency = row["id"] if table == "agencies" and column == "name" else value if column == "agency_id" else None
    if not isinstance(agency, int):
        return None
    return Markup(f'<a href="{datasette.urls.path("/-/agency/")}{agency}">{escape(value)}</a>')
