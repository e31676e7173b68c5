"""The job queue of distributed runs: procrastinate on the project's PostgreSQL, one job per site.

A job crawls one :class:`~.sites.Site` with the same crawler and loader as a single-process run
(:meth:`.job.NightlyJob.crawl`). Its ``lock`` is the site, so two workers never crawl one host at
once, on any machine; its ``queueing_lock`` is run and site, so enqueueing a run twice is a no-op.
Each agency's result is written to ``crawl_run_agencies`` as soon as it is done: a job retried
after its worker died skips those agencies, and loading is idempotent for the rest.

procrastinate's objects live in a schema of their own beside the database's (migration
``0006_distributed``): ``procrastinate`` beside ``public``, ``<schema>_procrastinate`` beside any other.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any

import procrastinate
from sqlalchemy import Engine, select, text
from sqlalchemy.dialects.postgresql import insert

from govreports.db.crawl_models import CrawlRunAgency
from govreports.scraper.crawl import AgencyResult
from govreports.scraper.registry import Agency

log = logging.getLogger("govreports.queue")

TASK = "govreports.crawl_site"
SITE_PROBLEMS = "site:"  # crawl_run_agencies rows of a site's own problems (not an agency's)
_ENGINES: dict[str, Engine] = {}


def queue_schema(own_schema: str) -> str:
    """Where procrastinate's tables are, beside the database's schema ``own_schema``."""
    return "procrastinate" if own_schema == "public" else f"{own_schema}_procrastinate"


def engine_for(db_url: str) -> Engine:
    """This process's engine for ``db_url`` (opened and migrated once)."""
    if db_url not in _ENGINES:
        from govreports.db.engine import connect

        engine = connect(db_url)
        if engine.dialect.name != "postgresql":
            from govreports.db.errors import DatabaseError

            raise DatabaseError("distributed runs need PostgreSQL: the job queue lives in it")
        _ENGINES[db_url] = engine
    return _ENGINES[db_url]


def make_app(db_url: str) -> procrastinate.App:
    """A procrastinate app on ``db_url``'s database, its connections looking in the queue's schema first."""
    engine = engine_for(db_url)
    with engine.connect() as conn:
        own = conn.execute(text("SELECT current_schema()")).scalar_one()
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    connector = procrastinate.PsycopgConnector(
        conninfo=url,
        kwargs={"options": f"-c search_path={queue_schema(own)},{own}"},
        min_size=1,  # opened as needed: many workers on one server must not exhaust its connections
        max_size=8,
    )
    app = procrastinate.App(connector=connector)
    app.task(name=TASK, pass_context=False)(_crawl_site_job(db_url))
    return app


def agency_args(agency: Agency) -> dict[str, Any]:
    """An agency as a job argument (JSON)."""
    return {k: v for k, v in asdict(agency).items() if v not in (None, ())}


def _agency(args: dict[str, Any]) -> Agency:
    names = {f.name for f in fields(Agency)}
    values: dict[str, Any] = {k: (tuple(v) if k == "hosts" else v) for k, v in args.items() if k in names}
    return Agency(**values)


def done_agencies(engine: Engine, run_id: int) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(CrawlRunAgency.agency).where(CrawlRunAgency.run_id == run_id)).scalars()
        return {a for a in rows if not a.startswith(SITE_PROBLEMS)}


def record_result(engine: Engine, run_id: int, site: str, agency: str, result: dict[str, Any]) -> None:
    """The checkpoint: one agency (or a site's problems) done within a run; a retry overwrites it."""
    row = {"run_id": run_id, "agency": agency, "site": site, "result": result, "finished_at": datetime.now(UTC)}
    stmt = insert(CrawlRunAgency).values(row)
    stmt = stmt.on_conflict_do_update(
        index_elements=["run_id", "agency"],
        set_={"result": stmt.excluded.result, "finished_at": stmt.excluded.finished_at},
    )
    with engine.begin() as conn:
        conn.execute(stmt)


def _crawl_site_job(db_url: str):
    def crawl_site(run_id: int, site: str, agencies: list[dict[str, Any]], overrides: dict[str, Any]) -> dict:
        """Crawl one site's agencies not yet done in this run; their results go to the checkpoint table."""
        from govreports.settings import Settings

        from .crawl_state import SQLState
        from .job import NightlyJob
        from .loader import db_loader
        from .summary import Summary

        engine = engine_for(db_url)
        done = done_agencies(engine, run_id)
        todo = [a for a in map(_agency, agencies) if a.key not in done]

        state = SQLState(engine)

        def checkpoint(result: AgencyResult) -> None:
            state.flush()  # the agency's crawl state first: a retry that skips it refetches nothing
            record_result(engine, run_id, site, result.agency, asdict(result))

        try:
            job = NightlyJob(
                Settings.from_env().replace(**overrides), state, db_loader(engine), on_done=checkpoint, parse_workers=0
            )
            summary = Summary(run_id, datetime.now(UTC))
            job.crawl(todo, summary)
        finally:
            state.close()
        if summary.problems:
            record_result(engine, run_id, site, SITE_PROBLEMS + site, {"problems": summary.problems})
        return {"site": site, "agencies": len(todo), "skipped_done": len(agencies) - len(todo)}

    return crawl_site
