"""The Python API for notebooks: the same verbs as the command line, returning objects and DataFrames."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from govreports import settings
from govreports.parsers import (
    Context,
    Rendered,
    Report,
    attachment_name,
    parse_bytes,
    parse_bytes_limited,
    parse_path,
)

if TYPE_CHECKING:
    import pandas as pd

    from govreports.parsers import Sandbox
    from govreports.scraper.http.blocking import BlockingFetcher
    from govreports.scraper.http.client import Fetched

_URL = re.compile(r"^https?://", re.I)
DOCUMENT_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".txt", ".pdf", ".docx", ".doc", ".wps"})


def is_url(target: str) -> bool:
    return bool(_URL.match(target))


def url_context(url: str, fetched: Fetched, context: Context | None = None) -> Context | None:
    """``context`` plus the name the server gave the file (``Content-Disposition``, ``showname=``):
    a PDF behind a download servlet that prints no year is a report through it, as in the crawl."""
    name = attachment_name(fetched.final_url or url, None, fetched.filename)
    if name is None or (context is not None and context.attachment_name):
        return context
    return replace(context or Context(), attachment_name=name)


def parse(
    target: str | Path | bytes,
    source: str | None = None,
    context: Context | None = None,
    sandbox: Sandbox | None = None,
    *,
    allow_private: bool = False,
    fetcher: BlockingFetcher | None = None,
) -> Report:
    """Parse a path, a URL or raw bytes into a :class:`govreports.parsers.Report`.

    ``context`` (e.g. ``Context(agency=…, year=…)``) fills metadata the document does not print.
    With a :class:`~govreports.parsers.Sandbox` the parsing runs in its worker, under its time and
    memory limits (as ``govreports parse`` does); without, in this process. A URL is fetched through
    the crawler's client (host guard at every redirect, robots.txt, throttle, retries, deadline, size
    cap); ``allow_private`` lets it reach loopback/private addresses (local mirrors); ``fetcher``
    shares one client across calls.
    """
    return _parse(target, source, context, sandbox, allow_private, fetcher, render=False).report


def _parse(
    target: str | Path | bytes,
    source: str | None,
    context: Context | None,
    sandbox: Sandbox | None,
    allow_private: bool,
    fetcher: BlockingFetcher | None,
    render: bool,
) -> Rendered:
    """:func:`parse`, with the report's JSON line when ``render`` (else an empty line): through a
    sandbox its worker writes it, and the report comes back without its facts."""

    def parse_data(data: bytes, name: str, content_type: str | None, hints: Context | None) -> Rendered:
        if sandbox is not None and render:
            return sandbox.parse_json(data, name, content_type, hints)
        if sandbox is not None:
            return _rendered(sandbox.parse(data, name, content_type, hints), render=False)
        return _rendered(parse_bytes(data, name, content_type, context=hints), render)

    if isinstance(target, bytes):
        return parse_data(target, source or "<bytes>", None, context)
    target = str(target)
    if is_url(target):
        fetched = _fetch(target, allow_private, fetcher)
        return parse_data(
            fetched.content, source or target, fetched.content_type, url_context(target, fetched, context)
        )
    if sandbox is None:
        return _rendered(parse_path(target, context), render)
    try:
        data = Path(target).read_bytes()
    except OSError:
        return _rendered(parse_path(target, context), render)  # its report says why the file cannot be read
    return parse_data(data, target, None, context)


def _rendered(report: Report, render: bool) -> Rendered:
    """``report`` with its JSON line, or with an empty one when none is asked for."""
    return Rendered(report, report.to_json() if render else "")


def _fetch(url: str, allow_private: bool, fetcher: BlockingFetcher | None) -> Fetched:
    from govreports.scraper.http.blocking import fetch_url

    return fetcher.get(url) if fetcher is not None else fetch_url(url, allow_private)


def parse_each(
    targets: Iterable[str | Path],
    *,
    allow_private: bool = False,
    context: Context | None = None,
    sandbox: Sandbox | None = None,
) -> Iterator[Report]:
    """One report per document of ``targets`` (paths, directories, URLs), whatever happens to the others.

    A URL that cannot be fetched is a report with a ``fetch_failed`` issue, a document that makes the
    parser raise one with ``parser_crashed``: each says why, and the documents after it are parsed.
    """
    for rendered in _each(targets, allow_private, context, sandbox, render=False):
        yield rendered.report


def parse_each_json(
    targets: Iterable[str | Path],
    *,
    allow_private: bool = False,
    context: Context | None = None,
    sandbox: Sandbox | None = None,
) -> Iterator[Rendered]:
    """:func:`parse_each` with each report's JSON line (docs/spec.md), for writing JSON Lines.

    Through a ``sandbox`` the worker writes the line, and the report comes back without its facts:
    they are in the line (``govreports parse --format json`` spends a fifth less CPU a report so).
    """
    yield from _each(targets, allow_private, context, sandbox, render=True)


def _each(
    targets: Iterable[str | Path],
    allow_private: bool,
    context: Context | None,
    sandbox: Sandbox | None,
    render: bool,
) -> Iterator[Rendered]:
    from govreports.parsers import Issue, ParseError
    from govreports.scraper.errors import FetchError

    with SharedFetcher(allow_private) as fetchers:
        for target in expand(targets):
            try:
                yield _parse(target, None, context, sandbox, allow_private, fetchers.get(target), render)
                continue
            except FetchError as exc:
                issue = Issue("fetch_failed", "error", _one_line(exc, target))
            except ParseError as exc:  # the parser turns these into issues itself; should one escape
                issue = Issue(exc.rule, "error", str(exc))
            except Exception as exc:  # a parser bug: this document's issue, not the end of the others
                issue = Issue("parser_crashed", "error", f"{type(exc).__name__}: {_one_line(exc, target)}")
            yield _rendered(_failed(target, issue), render)


def _failed(source: str, issue) -> Report:
    report = Report(source=source)
    report.issues.append(issue)
    return report


def expand(targets: Iterable[str | Path]) -> Iterator[str]:
    """Paths and URLs as given, with directories replaced by the documents inside them (sorted)."""
    for target in targets:
        t = str(target)
        p = Path(t)
        if not is_url(t) and p.is_dir():
            yield from sorted(str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES)
        else:
            yield t


def parse_many(targets: Iterable[str | Path], *, allow_private: bool = False) -> list[Report]:
    """Parse several paths/URLs/directories; a failed fetch raises :class:`govreports.scraper.errors.FetchError`."""
    with SharedFetcher(allow_private) as fetchers:
        return [parse(t, fetcher=fetchers.get(str(t))) for t in expand(targets)]


class SharedFetcher:
    """One :class:`BlockingFetcher` for the URLs of a command, made only if there is a URL."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._fetcher: BlockingFetcher | None = None

    def get(self, target: str) -> BlockingFetcher | None:
        if not is_url(target):
            return None
        if self._fetcher is None:
            from govreports.scraper.http.blocking import BlockingFetcher, single_settings

            self._fetcher = BlockingFetcher(single_settings(self.allow_private))
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def __enter__(self) -> SharedFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reports_frame(reports: Iterable[Report]) -> pd.DataFrame:
    """All facts of several reports as one long DataFrame (one fact a row)."""
    import pandas as pd

    frames = [r.to_frame() for r in reports if r.facts]
    if not frames:
        return pd.DataFrame(
            columns=[
                "source",
                "template",
                "year",
                "agency",
                "table",
                "row",
                "column",
                "value",
                "raw",
                "inferred",
                "page",
                "ocr",
                "confidence",
            ]
        )
    return pd.concat(frames, ignore_index=True)


# --- the database side: load, query, check, export ---------------------------------------------

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from govreports.db.load import AgencyHint, LoadResult

_ENGINES: dict[str, Engine] = {}


def connect(db: str | Engine | None = None) -> Engine:
    """The database at ``db`` (URL; default ``$GOVREPORTS_DB`` or ``sqlite:///govreports.db``), migrated.

    Engines are cached per URL, so notebook cells can pass the same URL again at no cost.
    """
    from sqlalchemy import Engine

    from govreports.db.engine import connect as db_connect
    from govreports.db.engine import resolve_url

    if isinstance(db, Engine):
        return db
    url = resolve_url(db)
    if url not in _ENGINES:
        _ENGINES[url] = db_connect(url)
    return _ENGINES[url]


def disconnect(db: str | None = None) -> None:
    """Close the connections :func:`connect` keeps for ``db`` (every database when None); a later call reconnects."""
    from govreports.db.engine import resolve_url

    for url in [resolve_url(db)] if db is not None else list(_ENGINES):
        engine = _ENGINES.pop(url, None)
        if engine is not None:
            engine.dispose()


def load(
    targets: Iterable[str | Path] | str | Path,
    db: str | Engine | None = None,
    agencies: str | Path | dict[str, AgencyHint] | None = None,
    check: bool = True,
    stop_on_failure: bool = False,
    allow_private: bool = False,
) -> list[LoadResult]:
    """Parse documents (paths, directories, URLs) and load them; one :class:`govreports.db.load.LoadResult` each.

    ``agencies`` is a registry file (TOML, as ``registry/agencies.toml``; see
    :mod:`govreports.scraper.registry`) or a name → hint mapping. With ``check``
    the cross-year rules X1/X2 are recomputed afterwards. A source that cannot be fetched, read,
    parsed or stored does not stop the others: its result is ``failed`` (with ``stage`` and
    ``reason``) and it is recorded in ``load_failures`` until a later load of it succeeds (see
    :func:`failures`). With ``stop_on_failure`` nothing after the first failed source is tried.
    URLs are fetched through the crawler's client (see :func:`parse`; ``allow_private`` as there).
    """
    return list(iter_load(targets, db, agencies, check, stop_on_failure, allow_private))


def agency_hints(path: str | Path) -> dict[str, AgencyHint]:
    """What a registry file tells the loader about each agency, by name (no ``start_url`` needed)."""
    from govreports.db.registry import hints_from_entries
    from govreports.scraper.registry import read_entries

    return hints_from_entries(read_entries(path, require_start_url=False), where=str(path))


def iter_load(
    targets: Iterable[str | Path] | str | Path,
    db: str | Engine | None = None,
    agencies: str | Path | dict[str, AgencyHint] | None = None,
    check: bool = True,
    stop_on_failure: bool = False,
    allow_private: bool = False,
) -> Iterator[LoadResult]:
    """:func:`load`, yielding each result, in the order of the sources, as its batch is committed."""
    from govreports.db.checks import run_cross_year
    from govreports.db.load import LoadResult, load_reports

    engine = connect(db)
    if isinstance(targets, str | Path):
        targets = [targets]
    registry = agency_hints(agencies) if isinstance(agencies, str | Path) else (agencies or {})
    batch_size = (
        1 if stop_on_failure else int(settings.get("DB_BATCH_SIZE"))
    )  # stop means: not one more source after the failure
    pending: list[tuple | LoadResult] = []  # parsed items and fetch/read failures, in source order

    def flush() -> Iterator[LoadResult]:
        loaded = iter(load_reports(engine, [p for p in pending if isinstance(p, tuple)], batch_size=batch_size))
        out = [p if isinstance(p, LoadResult) else next(loaded) for p in pending]
        pending.clear()
        yield from out

    stopped = False
    with SharedFetcher(allow_private) as fetchers:
        for target in expand(targets):
            pending.append(_parsed(engine, target, registry, fetchers.get(target)))
            if sum(isinstance(p, tuple) for p in pending) >= batch_size or (
                stop_on_failure and isinstance(pending[-1], LoadResult)
            ):
                for result in flush():
                    yield result
                    stopped = stopped or (stop_on_failure and result.status == "failed")
                if stopped:
                    break
    if not stopped:
        yield from flush()
    if check:
        run_cross_year(engine)


def reparse(db: str | Engine | None = None, store: str | Path | None = None, check: bool = True) -> list:
    """Parse again the stored documents an older parser read; load what now reads differently.

    Nothing is fetched: the raw bytes come from the raw store (``store``, default the ``STORE_DIR``
    setting) or, for files loaded from disk, from where they were loaded. One result per document:
    a :class:`govreports.db.load.LoadResult` (``new``/``revised`` — a new version, the old one kept;
    ``unchanged`` — it reads as a stored version does; ``failed`` — still not a report, with today's
    reason) or a ``Missing`` (status ``missing``) when its bytes cannot be read back. With ``check``
    the cross-year rules X1/X2 are recomputed afterwards.
    """
    from govreports.db.checks import run_cross_year
    from govreports.pipeline.reparse import reparse as reparse_stored
    from govreports.scraper.store import RawStore

    engine = connect(db)
    results = list(
        reparse_stored(engine, RawStore(settings.Settings.from_env(), root=store) if store is not None else None)
    )
    if check and any(r.status in ("new", "revised") for r in results):
        run_cross_year(engine)
    return results


def _parsed(engine: Engine, target: str, registry: dict, fetcher: BlockingFetcher | None) -> tuple | LoadResult:
    """(report, document, hint) of a source; a source that cannot be fetched or read is recorded as a
    failure (``govreports.db.failures``) and its failed result returned instead."""
    from datetime import UTC, datetime

    from govreports.db.failures import Failure, record_failure
    from govreports.db.load import DocumentInfo, LoadResult

    stage = "fetch" if is_url(target) else "read"
    context: Context | None = None
    try:
        if fetcher is not None:
            fetched = fetcher.get(target)
            data, content_type, raw_path = fetched.content, fetched.content_type, None
            context = url_context(target, fetched)
        else:
            data, content_type, raw_path = Path(target).read_bytes(), None, str(Path(target).resolve())
        stage = "parse"
        # a hostile file: a failure, not a stop
        report = parse_bytes_limited(data, target, content_type, context=context)
    except Exception as exc:  # FetchError, OSError, or a parser bug: recorded, the others go on
        error = _one_line(exc, target)
        record_failure(engine, Failure(target, stage, error))
        return LoadResult("failed", target, reason=error, stage=stage)
    if fetcher is not None:
        doc = DocumentInfo.from_bytes(data, report, content_type, fetched_at=datetime.now(UTC))
    else:
        doc = DocumentInfo.from_bytes(data, report, raw_path=raw_path)
    doc.hints = context.hints() if context is not None else None
    hint = registry.get("".join((report.agency or "").split()))
    return report, doc, hint


def _one_line(exc: BaseException, source: str) -> str:
    """The error of a failed fetch/read in one line, without the source it is about."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if text.startswith(source + ": "):
        text = text[len(source) + 2 :]
    return text[:500]


def failures(include_resolved: bool = False, db: str | Engine | None = None) -> pd.DataFrame:
    """Sources that could not be loaded and are not loaded since (with ``include_resolved``, all of them).

    One row per failure: source, stage (fetch | read | parse | store), error, attempts, first and
    last failure times (UTC), document id, and when and as which document it was resolved.
    """
    from govreports.db.failures import failures as db_failures

    return db_failures(connect(db), include_resolved=include_resolved)


def facts(
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    table: str | None = None,
    db: str | Engine | None = None,
) -> pd.DataFrame:
    """Every fact of the current reports, one a row, filtered (see :mod:`govreports.db.query`)."""
    from govreports.db import query

    return query.facts(connect(db), agency=agency, region=region, year=year, table=table)


def wide(
    table: str = "applications",
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    db: str | Engine | None = None,
) -> pd.DataFrame:
    """One row per report, one column per cell of ``table`` (``applications``, ``active``, ``review_litigation``)."""
    from govreports.db import query

    return query.wide(connect(db), table, agency=agency, region=region, year=year)


def rates(
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    db: str | Engine | None = None,
) -> pd.DataFrame:
    """Derived rates per report (disclosure rate, review correction rate, litigation per 100 …)."""
    from govreports.db import query

    return query.rates(connect(db), agency=agency, region=region, year=year)


def trend(agency: str, db: str | Engine | None = None) -> pd.DataFrame:
    """One agency over the years: key numbers and rates, one row per year."""
    from govreports.db import query

    return query.trend(connect(db), agency)


def compare(
    year: int, region: str | None = None, level: str | None = None, db: str | Engine | None = None
) -> pd.DataFrame:
    """All agencies of a region (GB/T 2260 prefix) in one year, side by side."""
    from govreports.db import query

    return query.compare(connect(db), year, region=region, level=level)


def check(db: str | Engine | None = None) -> pd.DataFrame:
    """Run the cross-year rules X1/X2 over the database; the violations (also stored as findings)."""
    from govreports.db.checks import run_cross_year

    return run_cross_year(connect(db))


def findings(
    agency: str | None = None, year: int | None = None, rule: str | None = None, db: str | Engine | None = None
) -> pd.DataFrame:
    """Stored findings of current reports: the parser's rules and X1/X2."""
    from govreports.db import query

    return query.findings(connect(db), agency=agency, year=year, rule=rule)


def export(
    view: str,
    path: str | Path,
    fmt: str = "csv",
    agency: str | None = None,
    region: str | None = None,
    year: int | Iterable[int] | None = None,
    db: str | Engine | None = None,
    csv_escape: bool | None = None,
) -> int:
    """Write a view to CSV or Parquet; the number of rows written. CSV text cells that would start a
    spreadsheet formula get a leading ``'`` unless ``csv_escape`` is False (default: ``CSV_ESCAPE``)."""
    from govreports.db import query

    return query.export(connect(db), view, path, fmt, agency=agency, region=region, year=year, csv_escape=csv_escape)


def coverage(
    year: int | Iterable[int] | None = None,
    region: str | None = None,
    agency: str | None = None,
    status: str | None = None,
    db: str | Engine | None = None,
) -> pd.DataFrame:
    """Who published for which year and when: one row per agency and year (see :mod:`govreports.db.coverage`).

    ``status`` is on_time, late, published (timeliness unknown), missing (crawled since the
    deadline, nothing found), unknown (blocked, failed or not crawled: never missing), not_due or
    no_deadline; ``date_source`` says whether ``published`` is the document's date or only when
    the crawl first saw it; ``versions``/``revised`` the re-publications; ``errors``/``warnings``
    the current version's rule findings.
    """
    from govreports.db import query

    return query.coverage(connect(db), agency=agency, region=region, year=year, status=status)


def export_sqlite(path: str | Path, db: str | Engine | None = None) -> dict[str, int]:
    """Copy the database (SQLite or PostgreSQL) to a new SQLite file; rows per table.

    This is how a PostgreSQL database is served (``govreports serve``) and published.
    """
    from govreports.db.copy import copy_to_sqlite

    return copy_to_sqlite(connect(db), path)
