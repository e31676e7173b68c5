"""The crawl engine: per agency, find the report column, walk it, fetch what is new or changed,
and hand each report's documents to a sink (parse + load, wired in ``govreports``).

Pages are decoded and parsed in threads (``asyncio.to_thread``), never on the event loop: a hard
page costs its own agency time, not every agency's. Incremental: list pages are read until one
holds only reports already handled (once a column has been walked to its end); known reports are revalidated with conditional requests, so an
unchanged site costs 304s and downloads no report again. Resumable: a report's record is written
only after the sink has taken it, so a killed run redoes exactly the unfinished reports.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from govreports.parsers import PARSER_VERSION, parse_title
from govreports.settings import Settings

from .discover import candidates
from .errors import Blocked, FetchError, HTTPStatusError, RobotsDenied
from .families import FAMILIES, Page, SiteFamily, detect
from .families.base import Article, Link, frames, is_attachment
from .http.cache import Validators
from .http.client import Fetched, Fetcher
from .http.guard import host_of
from .registry import Agency
from .state import FetchRecord, State
from .store import RawStore, guess_extension

log = logging.getLogger("govreports.crawl")


@dataclass(slots=True)
class Document:
    """One file of a report as fetched and stored: the page, an attachment, or a family's extract."""

    url: str
    role: str  # page | attachment | extract | picture (an <img> of a 图片版 page, read by OCR with the page)
    data: bytes
    content_type: str | None
    content_hash: str
    raw_path: str
    fetched_at: datetime
    title: str | None = None
    filename: str | None = None  # the server's name for it (Content-Disposition), when it sent one


@dataclass(slots=True)
class FoundReport:
    """A report (new or changed) with all its documents, for the sink."""

    agency: Agency
    url: str
    title: str | None
    published: str | None
    documents: list[Document]
    revised: bool  # an earlier version was handled before


# returns new | changed | unchanged | failed | rejected (failed for good: the same bytes will fail the
# same way with this parser — unsupported format, no text…; not downloaded again while they are unchanged)
Sink = Callable[[FoundReport], Awaitable[str]]


@dataclass(slots=True)
class AgencyResult:
    agency: str
    family: str | None = None
    column: str | None = None
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # disallowed by robots.txt
    unreadable: int = 0  # known unreadable by this parser and unchanged: not downloaded again
    blocked: str | None = None  # the evidence
    errors: list[str] = field(default_factory=list)
    fetch_failures: list[tuple[str, str]] = field(default_factory=list)  # (report URL, why), for the record

    def count(self, status: str) -> None:
        key = {"revised": "changed"}.get(status, status)
        key = key if key in ("new", "changed", "unchanged", "unreadable") else "failed"
        setattr(self, key, getattr(self, key) + 1)


def agencies_in_flight(settings: Settings, available: int | None = None) -> int:
    """How many agencies are walked at once: ``CONCURRENCY_AGENCIES``, or with ``0`` as many as half
    the memory available now holds at ``CONCURRENCY_AGENCY_MB`` each (between 32 and
    ``CONCURRENCY_AGENCIES_MAX``). Politeness is per host, so a large registry needs many agencies in
    flight to keep its hosts busy; what bounds them is the memory their pages take."""
    fixed = int(settings["CONCURRENCY_AGENCIES"])
    if fixed > 0:
        return fixed
    available = _available_memory() if available is None else available
    if available is None:
        return 32
    fit = available // 2 // (int(settings["CONCURRENCY_AGENCY_MB"]) * 2**20)
    return max(32, min(int(settings["CONCURRENCY_AGENCIES_MAX"]), fit))


def by_turns(agencies: list[Agency]) -> list[int]:
    """The agencies' indexes, one host after another in turn (the first agency of every host, then
    the second of every host, …), each host's agencies in their order; a host is the start URL's."""
    hosts: dict[str, list[int]] = {}
    for index, agency in enumerate(agencies):
        hosts.setdefault(host_of(agency.start_url), []).append(index)
    turns = itertools.zip_longest(*hosts.values())
    return [index for turn in turns for index in turn if index is not None]


def _available_memory() -> int | None:
    """Bytes of memory available to this process now (Linux ``MemAvailable``), None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _now() -> datetime:
    return datetime.now(UTC)


class Crawler:
    """Crawls agencies concurrently (``CONCURRENCY_AGENCIES``) through one :class:`Fetcher`."""

    def __init__(
        self,
        settings: Settings,
        state: State,
        store: RawStore,
        sink: Sink,
        fetcher: Fetcher | None = None,
        on_done: Callable[[AgencyResult], None] | None = None,
    ) -> None:
        self.settings = settings
        self.state = state
        self.store = store
        self.sink = sink
        self.fetcher = fetcher or Fetcher(settings)
        self.on_done = on_done

    async def crawl(self, agencies: list[Agency]) -> list[AgencyResult]:
        """Every agency's result, in the order given.

        Agencies start one host at a time in turn (:func:`by_turns`): with fewer agencies in flight
        than the registry holds, every host has some from the start, so no host waits idle for
        the agencies of others to finish (politeness is per host: an idle host is time lost)."""
        sem = asyncio.Semaphore(agencies_in_flight(self.settings))
        results: list[AgencyResult | None] = [None] * len(agencies)

        async def one(index: int) -> None:
            async with sem:
                result = results[index] = await AgencyCrawl(self, agencies[index]).run()
            if self.on_done:
                self.on_done(result)

        try:
            await asyncio.gather(*(one(i) for i in by_turns(agencies)))
            return [r for r in results if r is not None]
        finally:
            await self.fetcher.aclose()


class AgencyCrawl:
    """One agency's crawl: discovery, column walks, reports."""

    def __init__(self, crawler: Crawler, agency: Agency) -> None:
        self.c = crawler
        self.agency = agency
        self.hosts = frozenset({host_of(agency.start_url), *agency.hosts})
        self.result = AgencyResult(agency.key, agency.family)
        self.seen: set[str] = set()
        self.family: SiteFamily = FAMILIES["generic"]

    async def run(self) -> AgencyResult:
        try:
            url = self.agency.start_url
            if self.agency.cat_id and "#" not in url:  # gkmlpt: the category rides in the fragment
                url = f"{url}#{self.agency.cat_id}"
            start = await self.get(url, kind="list", any_host=True)
            self.hosts |= {host_of(start.url)}
            self.family = await asyncio.to_thread(detect, start, self.agency.family)
            columns = await self.discover(start)
            if not columns:
                self.result.errors.append(f"{self.agency.start_url}: no annual-report column found")
            walked: set[str] = set()
            while columns:
                page, family = columns.pop(0)
                if page.url in walked or len(walked) > int(self.c.settings["CRAWL_MAX_SUBCOLUMNS"]):
                    continue
                walked.add(page.url)
                self.result.column = self.result.column or page.asked or page.url
                self.result.family = family.NAME
                columns += await self.walk(page, family)
            self.c.state.unblock(self.agency.key)
        except Blocked as exc:
            self.result.blocked = f"{exc.url}: {exc.evidence}"
            self.c.state.block(self.agency.key, exc.url, exc.status, exc.evidence)
            log.warning("blocked", extra={"agency": self.agency.key, "url": exc.url, "evidence": exc.evidence})
        except FetchError as exc:
            self.result.errors.append(str(exc))
        except Exception as exc:  # a page no family expected (bad JSON, odd markup): this agency only
            log.exception("agency failed", extra={"agency": self.agency.key})
            self.result.errors.append(f"{self.agency.start_url}: {type(exc).__name__}: {exc}")
        return self.result

    # --- fetching through the state -------------------------------------------------------

    async def get(
        self,
        url: str,
        data: dict[str, str] | None = None,
        kind: str = "list",
        any_host: bool = False,
        tree: bool = False,
    ) -> Page:
        """A list page through the HTTP layer, revalidated against the last run's copy (with ``tree``
        its HTML parsed too, in the same thread)."""
        record = self.c.state.get(url) if data is None else None
        fetched, body = await self._fetch(url, record, data, any_host)
        if data is None and not fetched.not_modified:
            self._record_list(url, kind, fetched, record)
        page = Page(fetched.final_url, body, fetched.content_type, asked=url)
        await asyncio.to_thread(_read, page, tree)  # decoded off the event loop, once
        return page

    async def list_page(self, url: str, data: dict[str, str] | None = None) -> Page:
        """A column's next list page, its tree parsed off the event loop too: a family's ``pages``
        reads it before handing the page on."""
        return await self.get(url, data, tree=True)

    async def _fetch(
        self, url: str, record: FetchRecord | None, data: dict[str, str] | None = None, any_host: bool = False
    ) -> tuple[Fetched, bytes]:
        prior = None
        if (
            record is not None
            and (record.complete or record.rejected_by is not None)
            and record.raw_path
            and (record.etag or record.last_modified)
        ):
            prior = Validators(record.etag, record.last_modified)
        hosts = None if any_host else self.hosts
        fetched = await self.c.fetcher.get(url, hosts=hosts, prior=prior, data=data)
        if fetched.not_modified and record is not None and record.raw_path:
            try:
                return fetched, self.c.store.get(record.raw_path)
            except OSError:  # the raw store was moved or pruned: fetch the bytes again
                fetched = await self.c.fetcher.get(url, hosts=hosts, data=data)
        return fetched, fetched.content

    def _record_list(self, url: str, kind: str, fetched: Fetched, record: FetchRecord | None) -> None:
        """Record a list page; keep its new bytes only when its links changed, so the raw store grows
        with reports, not with nights (a page that differs only by a clock or a visitor counter).

        When the links are the same the copy already stored is kept and the page is recorded without
        validators: a later 304 would otherwise stand for bytes the store does not hold, so the next
        night fetches it whole and looks at its links again."""
        links = list_links(fetched.content)
        if (
            links == NO_LINKS
            or record is None
            or record.kind != kind
            or not record.raw_path
            or not record.content_hash
            or record.children != links
        ):
            self._record(url, kind, fetched, complete=True, children=links)
            return
        unvalidated = Fetched(fetched.url, fetched.final_url, fetched.status, fetched.content, fetched.content_type)
        self._record(
            url, kind, unvalidated, complete=True, children=links, stored=(record.content_hash, record.raw_path)
        )

    def _record(
        self,
        url: str,
        kind: str,
        fetched: Fetched,
        complete: bool,
        children: list[str] | None = None,
        stored: tuple[str, str] | None = None,
        rejected_by: str | None = None,
    ) -> FetchRecord:
        digest, rel = stored or self.c.store.put(
            fetched.content, guess_extension(fetched.content, url, fetched.content_type)
        )
        record = FetchRecord(
            url,
            self.agency.key,
            kind,
            fetched.status,
            fetched.etag,
            fetched.last_modified,
            digest,
            fetched.content_type,
            rel,
            len(fetched.content),
            _now(),
            complete,
            children or [],
            rejected_by=rejected_by,
            filename=fetched.filename,
        )
        self.c.state.put(record)
        return record

    # --- discovery and walking -----------------------------------------------------------

    async def discover(self, start: Page) -> list[tuple[Page, SiteFamily]]:
        """The report column(s): the start page itself, or one found by link text or path, two levels deep."""
        if await asyncio.to_thread(self.family.is_column, start):
            return [(start, self.family)]
        tried = {start.url}
        frontier = [(start, 0)]
        budget = int(self.c.settings["CRAWL_DISCOVERY_CANDIDATES"]) * 2
        while frontier and budget > 0:
            page, depth = frontier.pop(0)
            found_links = await asyncio.to_thread(candidates, page, self.hosts, depth)
            for link in found_links[: int(self.c.settings["CRAWL_DISCOVERY_CANDIDATES"])]:
                if link.url in tried or budget <= 0:
                    continue
                tried.add(link.url)
                budget -= 1
                try:
                    found = await self.get(link.url)
                except Blocked:
                    raise
                except FetchError as exc:
                    self.result.errors.append(str(exc))
                    continue
                family, column = await asyncio.to_thread(self._classify, found)
                if column:
                    return [(found, family)]
                for url in await asyncio.to_thread(frames, found):  # a column that shows its list in an iframe
                    if host_of(url) in self.hosts and url not in tried:
                        tried.add(url)
                        framed = await self.get(url)
                        fam, framed_column = await asyncio.to_thread(self._classify, framed)
                        if framed_column:
                            return [(framed, fam)]
                if depth == 0:
                    frontier.append((found, 1))
        return []

    def _classify(self, page: Page) -> tuple[SiteFamily, bool]:
        """(the page's family, whether it is a report column): run in a thread, it reads the page's tree."""
        family = detect(page, self.agency.family)
        return family, family.is_column(page)

    async def walk(self, column: Page, family: SiteFamily) -> list[tuple[Page, SiteFamily]]:
        """Read a column's pages and handle their reports; returns the year sub-columns it links."""
        key = "column:" + (column.asked or column.url)
        rec = self.c.state.get(key)
        known_column = rec is not None and rec.complete
        subcolumns: list[tuple[Page, SiteFamily]] = []
        # a column cut off at the cap last run goes on where it stopped: its first pages again (cheap,
        # conditional requests), then up to the cap further
        reached = rec.size or 0 if rec is not None and not rec.complete and rec.error else 0
        max_pages = reached + int(self.c.settings["CRAWL_MAX_LIST_PAGES"])
        number = 0
        cut = False
        failed_before = self.result.failed
        # reports are handled while the walk goes on: the list pages keep their pace while the sink
        # (parse + load, in batches) works through what came before
        pending: list[asyncio.Task] = []
        previous: Page | None = None
        try:
            async for page in family.pages(column, self.list_page):
                if previous is not None:  # read by the family until it fetched this one: done with
                    previous.forget_tree()
                previous = page
                if any(t.done() and not t.cancelled() and isinstance(t.exception(), Blocked) for t in pending):
                    break  # a wall met by a report: walk no further, it is raised below
                number += 1
                links = await asyncio.to_thread(family.links, page)
                reports = [link for link in links if link.is_report and host_of(link.url) in self.hosts]
                for link in links:  # Hanweb lists carry items of sibling hosts (zwgk.…): said, not silently dropped
                    if link.is_report and host_of(link.url) not in self.hosts and link.url not in self.seen:
                        self.seen.add(link.url)
                        self.result.errors.append(f"{link.url}: report outside the agency's hosts, not fetched")
                for link in links:
                    if link.is_subcolumn and host_of(link.url) in self.hosts and link.url not in self.seen:
                        self.seen.add(link.url)
                        try:
                            sub = await self.get(link.url)
                        except FetchError as exc:
                            if isinstance(exc, Blocked):
                                raise
                            self.result.errors.append(str(exc))
                            continue
                        subcolumns.append((sub, await asyncio.to_thread(detect, sub, self.agency.family)))
                fresh = [link for link in reports if link.url not in self.seen]
                self.seen.update(link.url for link in fresh)
                records = self.c.state.get_many([link.url for link in fresh])
                unknown = [link for link in fresh if not ((r := records.get(link.url)) and _handled(r))]
                pending += [asyncio.create_task(self.report(link, family, records.get(link.url))) for link in fresh]
                if known_column and reports and not unknown:
                    break  # scanned until known items
                if number >= max_pages:
                    cut = True  # there may be more: said, and continued next run
                    break
        finally:  # reports already found are finished even when a later list page fails
            if previous is not None:
                previous.forget_tree()
            outcomes = await asyncio.gather(*pending, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):  # a wall met by a report (Blocked), or a cancellation
                raise outcome
        # a column counts as walked only when every report on it was handled: a failed one is
        # looked for again on the next run however deep it sits
        complete = self.result.failed == failed_before and not cut
        error = None
        if cut:
            error = f"cut off after {number} list pages (CRAWL_MAX_LIST_PAGES); the next run goes on from there"
            self.result.errors.append(f"{column.asked or column.url}: {error}")
        self.c.state.put(
            FetchRecord(
                key,
                self.agency.key,
                "column",
                size=number if cut else None,
                fetched_at=_now(),
                complete=complete,
                error=error,
            )
        )
        return subcolumns

    # --- reports -------------------------------------------------------------------------

    async def report(self, link: Link, family: SiteFamily, record: FetchRecord | None) -> None:
        """Fetch, store and hand over one report; ``record`` is what the last run kept of its page."""
        try:
            status = await self._report(link, family, record)
        except Blocked:
            raise
        except RobotsDenied as exc:
            self.result.skipped += 1
            self.result.errors.append(str(exc))
            return
        except FetchError as exc:
            status = "failed"
            self.result.errors.append(str(exc))
            self.result.fetch_failures.append((link.url, str(exc)))
        self.result.count(status)

    async def _report(self, link: Link, family: SiteFamily, record: FetchRecord | None) -> str:
        known = record is not None and record.complete
        rejected = record if record is not None and _rejected(record) else None
        if known and rejected is None and not revalidation_due(link, self.c.settings, _today()):
            return "unchanged"  # an older year's report, loaded already: asked again on its night of the week
        if rejected is not None and not (rejected.etag or rejected.last_modified):
            return "unreadable"  # no validator could say it changed: it waits for a newer parser
        fetched, body = await self._fetch(link.url, record)
        same = record is not None and (fetched.not_modified or fetched.content_hash == record.content_hash)
        prefetched: dict[str, tuple[Fetched, bytes]] = {}  # attachments fetched to see whether they changed
        if rejected is not None and same and await self._children_unchanged(rejected, prefetched):
            return "unreadable"
        changed = not (known and same)
        kind = "attachment" if is_attachment(link.url) or not _looks_html(body) else "report"
        title, published, attachment_links = link.text, link.date, []
        picture_links: list[Link] = []
        if kind == "report":  # read and stored in one thread: each hand-over to a thread costs the loop
            article, documents = await asyncio.to_thread(self._read_report, link, family, fetched, body, record)
            title = article.title or link.text
            published = article.published or link.date
            attachment_links = article.attachments
            picture_links = article.pictures[: int(self.c.settings["OCR_MAX_IMAGES"])]
        else:
            documents = [await self._document(link.url, "page", body, fetched, record)]
        children_done: list[tuple[str, Fetched]] = []
        children = [(att, "attachment") for att in attachment_links] + [(pic, "picture") for pic in picture_links]
        for att, role in children:
            if host_of(att.url) not in self.hosts:
                if role == "attachment":  # a picture from elsewhere (a CDN badge) is no part of the report
                    self.result.errors.append(f"{att.url}: attachment outside the agency's hosts, not fetched")
                continue
            arec = self.c.state.get(att.url)
            try:
                got = prefetched.pop(att.url, None)
                afetched, abody = got if got is not None else await self._fetch(att.url, arec)
            except HTTPStatusError as exc:
                if 400 <= exc.status < 500:  # gone for good: the report stands without it
                    self.result.errors.append(str(exc))
                    continue
                raise
            achanged = not (
                arec and arec.complete and (afetched.not_modified or afetched.content_hash == arec.content_hash)
            )
            changed = changed or achanged
            documents.append(await self._document(att.url, role, abody, afetched, arec, att.text))
            children_done.append((att.url, afetched))
        if not changed:
            return "unchanged"
        try:
            status = await self.c.sink(FoundReport(self.agency, link.url, title, published, documents, known))
        except Exception as exc:  # a loader failure is this report's failure, not the run's
            log.error("load failed", extra={"agency": self.agency.key, "url": link.url})
            self.result.errors.append(f"{link.url}: not loaded: {type(exc).__name__}: {exc}")
            return "failed"
        stored = {d.url: (d.content_hash, d.raw_path) for d in documents if d.role != "extract"}
        for url, afetched in children_done:
            if not afetched.not_modified:
                self._record(url, "attachment", afetched, complete=True, stored=stored.get(url))
        rejected_by = PARSER_VERSION if status == "rejected" else None
        if fetched.not_modified and record is not None:  # a 304 answers a request made with its validators
            record.children = [u for u, _ in children_done]
            record.fetched_at = _now()
            record.rejected_by = rejected_by
            record.complete = status not in ("failed", "rejected")  # a failed change is tried again
            self.c.state.put(record)
        else:
            self._record(
                link.url,
                kind,
                fetched,
                complete=status not in ("failed", "rejected"),
                children=[u for u, _ in children_done],
                stored=stored.get(link.url),
                rejected_by=rejected_by,
            )
        return "changed" if status == "new" and known else status

    async def _children_unchanged(self, record: FetchRecord, fetched: dict[str, tuple[Fetched, bytes]]) -> bool:
        """True when every attachment of a report answers as last fetched (304, or the same bytes).

        What was fetched goes into ``fetched``, so a changed attachment is not downloaded twice."""
        for url in record.children:
            arec = self.c.state.get(url)
            if arec is None or not (arec.etag or arec.last_modified):
                continue  # nothing to ask it with: like the page without validators, it is not fetched
            try:
                fetched[url] = await self._fetch(url, arec)
            except HTTPStatusError:
                return False  # gone or failing: the report is looked at again as a whole
            afetched = fetched[url][0]
            if not (afetched.not_modified or afetched.content_hash == arec.content_hash):
                return False
        return True

    def _read_report(
        self, link: Link, family: SiteFamily, fetched: Fetched, body: bytes, record: FetchRecord | None
    ) -> tuple[Article, list[Document]]:
        """A report page read by its family, and stored with its extract (in a thread). The page's
        parsed tree is large: it lives only for this call (no name keeps the page)."""
        article = family.article(Page(fetched.final_url, body, fetched.content_type, asked=link.url))
        documents = [self._document_now(link.url, "page", body, fetched, record)]
        if article.body_html is not None:
            data = article.body_html.encode("utf-8")
            digest, rel = self.c.store.put(data, "html")
            title = article.title or link.text
            documents.append(
                Document(link.url, "extract", data, "text/html; charset=utf-8", digest, rel, _now(), title)
            )
        return article, documents

    async def _document(
        self, url: str, role: str, body: bytes, fetched: Fetched, record: FetchRecord | None, title: str | None = None
    ) -> Document:
        if _stored_already(fetched, record):  # nothing to write: no thread needed
            return self._document_now(url, role, body, fetched, record, title)
        return await asyncio.to_thread(self._document_now, url, role, body, fetched, record, title)

    def _document_now(
        self, url: str, role: str, body: bytes, fetched: Fetched, record: FetchRecord | None, title: str | None = None
    ) -> Document:
        """A fetched document as stored (put in the raw store unless a 304 says it is there already)."""
        if _stored_already(fetched, record):
            assert record is not None and record.raw_path is not None
            return Document(
                url,
                role,
                body,
                record.content_type,
                record.content_hash or "",
                record.raw_path,
                record.fetched_at or _now(),
                title,
                fetched.filename or record.filename,  # a 304 seldom sends Content-Disposition again
            )
        digest, rel = self.c.store.put(body, guess_extension(body, url, fetched.content_type))
        return Document(url, role, body, fetched.content_type, digest, rel, _now(), title, fetched.filename)


def _stored_already(fetched: Fetched, record: FetchRecord | None) -> bool:
    """A 304 for a document whose bytes the raw store holds from an earlier fetch."""
    return fetched.not_modified and record is not None and bool(record.raw_path)


def _today() -> date:
    return _now().date()


def revalidation_due(link: Link, settings: Settings, today: date) -> bool:
    """Whether a report already loaded is asked again tonight (with its validators).

    Reports of the last ``CACHE_RECENT_YEARS`` years, and those whose title names no year, every
    night: agencies revise recent reports. An older one once in ``CACHE_OLDER_EVERY_DAYS`` nights, on
    a night fixed by its URL, so a large registry's older reports spread evenly over the week."""
    title = parse_title(link.text)
    every = int(settings["CACHE_OLDER_EVERY_DAYS"])
    if title is None or every <= 1 or title.year > today.year - int(settings["CACHE_RECENT_YEARS"]) - 1:
        return True
    night = int(hashlib.sha1(link.url.encode()).hexdigest()[:8], 16)
    return (today.toordinal() + night) % every == 0


def _read(page: Page, tree: bool) -> None:
    """Decode a fetched page (and read it as JSON if it is; with ``tree``, parse its HTML): called
    in a thread, so that a hard page never stalls the event loop; the results are cached on the
    page. Trees are built only where they are read (list pages, in threads), as they cost memory."""
    text = page.text
    if text.lstrip()[:1] in ("{", "["):
        try:
            page.data  # noqa: B018 - the cached property is the point
            return
        except ValueError:
            pass
    if tree:
        page.tree  # noqa: B018


_LINK = re.compile(rb"""(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


NO_LINKS: list[str] = []


def list_links(body: bytes) -> list[str]:
    """A digest of the link targets a list page holds (``href``/``src``, markup inside scripts and
    CDATA too, sorted and deduplicated), kept as the page record's one child: what decides whether
    the page changed for the store. :data:`NO_LINKS` for a page without such links (a JSON API),
    whose bytes are then always kept."""
    found = sorted(set(_LINK.findall(body)))
    return [f"links:{hashlib.sha256(chr(10).encode().join(found)).hexdigest()}"] if found else NO_LINKS


def _rejected(record: FetchRecord) -> bool:
    """A report this parser found unreadable for good (see :data:`Sink`)."""
    return not record.complete and record.rejected_by == PARSER_VERSION


def _handled(record: FetchRecord) -> bool:
    """Nothing to do for it while it is unchanged: loaded, or unreadable by this parser."""
    return record.complete or _rejected(record)


def _looks_html(body: bytes) -> bool:
    head = body[:4096].lower()
    return b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<div" in head
