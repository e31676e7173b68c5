"""The loaders the nightly job hands parsed reports to: any callable, or :class:`DBLoader` for a database.

A :class:`DBLoader` is picklable (a URL, not an engine), so parse workers in other processes load
what they parse themselves; each process opens each database once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from govreports.parsers import Context, Report
from govreports.scraper.crawl import Document
from govreports.scraper.registry import Agency

# load(report, document, agency) -> new | unchanged | revised | failed; runs in the crawl's process
Loader = Callable[[Report, Document, Agency], str]


class LoadItem(NamedTuple):
    """One report for :meth:`DBLoader.load_many`: its best document, the agency, the context it was read with."""

    report: Report
    document: Document
    agency: Agency
    context: Context | None = None


_ENGINES: dict[str, object] = {}  # per process: a worker opens each database once


@dataclass(frozen=True)
class DBLoader:
    """``govreports.db.load.load_reports`` for the nightly job: picklable (a URL, not an engine), so the parse
    workers load what they parse, in batches, each worker with its own engine."""

    url: str

    def engine(self):
        if self.url not in _ENGINES:
            from govreports.db.engine import connect

            _ENGINES[self.url] = connect(self.url, migrate=False)  # the job's process migrated it
        return _ENGINES[self.url]

    def load_many(self, items: list[LoadItem]) -> list[str]:
        """Load reports with their documents' provenance (and the context each was read with) and the
        agencies' hints; one status each."""
        from govreports.db.load import DocumentInfo, load_reports

        triples = []
        for report, document, agency, context in items:
            info = DocumentInfo(
                source=document.url,
                content_hash=document.content_hash,
                content_type=document.content_type,
                encoding=report.encoding,
                size=len(document.data),
                fetched_at=document.fetched_at,
                published=report.published,
                raw_path=document.raw_path,
                hints=context.hints() if context is not None else None,
            )
            triples.append((report, info, agency_hint(agency)))
        return [r.status for r in load_reports(self.engine(), triples, batch_size=max(1, len(triples)))]

    def __call__(self, report: Report, document: Document, agency: Agency) -> str:
        return self.load_many([LoadItem(report, document, agency)])[0]

    def register(self, agencies: list[Agency]) -> None:
        """Every agency of the registry in the database, reports or not: coverage counts those with none."""
        from govreports.db.agencies import register_agency

        with self.engine().begin() as conn:
            for agency in agencies:
                register_agency(conn, agency_hint(agency))


def agency_hint(agency: Agency):
    """What the registry knows about an agency, as the database's :class:`~govreports.db.agencies.AgencyHint`."""
    from govreports.db.agencies import AgencyHint

    return AgencyHint(
        name=agency.name,
        region_code=agency.region_code,
        level=agency.level,
        kind=agency.kind,
        parent=agency.parent,
        site_url=agency.start_url,
    )


def db_loader(engine) -> DBLoader:
    """The loader for ``engine``'s database; this process reuses ``engine`` itself."""
    url = engine.url.render_as_string(hide_password=False)
    _ENGINES[url] = engine
    return DBLoader(url)
