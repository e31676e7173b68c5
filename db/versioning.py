"""The versioning rule: which stored versions a new document repeats, which version is current.

Per (agency, year), a document whose content equals any stored version adds none (``unchanged``);
otherwise it becomes the next version, and the current one is the last in publication order
(:func:`publication_order`): a later date wins, ties and undated versions going to the later load.
Every other version points at its successor in that order (``superseded_by``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import Connection, bindparam, insert, select, text, update

from .bulk import pg_insert_returning
from .load_items import LoadItem, LoadResult, as_date
from .models import Document, Report

__all__ = ["Version", "allocate_versions", "content_key", "insert_versions", "publication_order"]


def content_key(
    template: str | None,
    agency: str,
    year: int,
    title: str | None,
    published: date | str | None,
    sections: dict | None,
    facts: Iterable[tuple],
) -> str:
    """What a report says, as one string: equal for two documents that differ only in their bytes.

    ``facts`` are (table, row, column, value, raw, inferred, page) in any order. Computed from a
    parsed report and from the stored rows of a version the same way; only needed when a document
    arrives for an (agency, year) that already has a report, so a first load never pays for it.
    """
    rows = sorted(
        (t, r, c, None if v is None else float(v), raw, bool(inf), page) for t, r, c, v, raw, inf, page in facts
    )
    return repr(
        (
            template,
            agency,
            year,
            title,
            None if published is None else str(published),
            sorted((sections or {}).items()),
            rows,
        )
    )


def item_key(item: LoadItem) -> str:
    r = item.report
    return content_key(
        r.template,
        item.agency_name,
        item.pair[1],
        r.title,
        as_date(r.published),
        r.sections,
        ((f.table, f.row, f.column, f.value, f.raw, f.inferred, f.page) for f in r.facts),
    )


def stored_keys(conn: Connection, report_ids: list[int]) -> dict[int, str]:
    """content_key of stored report versions, read back from their rows."""
    if not report_ids:
        return {}
    facts: dict[int, list] = {rid: [] for rid in report_ids}
    for row in conn.execute(
        text(
            "SELECT report_id, table_name, row_key, column_key, value, raw, inferred, page "
            "FROM facts WHERE report_id IN :ids"
        ).bindparams(bindparam("ids", expanding=True)),
        {"ids": report_ids},
    ):
        facts[row[0]].append(tuple(row[1:]))
    out = {}
    for rid, template, agency, year, title, published, sections in conn.execute(
        select(
            Report.id, Report.template, Report.agency_name, Report.year, Report.title, Report.published, Report.sections
        ).where(Report.id.in_(report_ids))
    ):
        out[rid] = content_key(template, agency, year, title, published, sections, facts[rid])
    return out


Pair = tuple[int, int]  # (agency_id, year)


@dataclass(eq=False)
class Version:
    """A version of an (agency, year) report, stored or being written in this batch."""

    version: int  # the load order: version n was loaded after versions 1 … n-1
    published: date | None
    report_id: int | None = None  # stored; a new version has its id once inserted (item.result.report_id)
    item: LoadItem | None = None  # a new version
    is_current: bool = False  # as stored
    superseded_by: int | None = None  # as stored

    @property
    def id(self) -> int | None:
        return self.report_id if self.item is None else self.item.result.report_id


def publication_order(versions: Iterable[Version]) -> list[Version]:
    """The versions of one (agency, year), oldest first; the last is the current one.

    By published date, then by load order: a later date wins; on equal dates, or where a version has
    no date, the later load wins. Precisely, a version without a date counts as published on the
    latest date of the versions loaded before it (or before every dated version, if none has a
    date), and ties go to the later load. So an old copy loaded after its revision does not become
    current, a re-publication without a date does. Each version's successor in this order is the
    version that superseded it (``superseded_by``).
    """
    latest: date | None = None
    keyed = []
    for v in sorted(versions, key=lambda v: v.version):
        effective = v.published if v.published is not None else latest
        if v.published is not None and (latest is None or v.published > latest):
            latest = v.published
        keyed.append((effective is not None, effective or date.min, v.version, v))
    return [k[-1] for k in sorted(keyed, key=lambda k: k[:3])]


def allocate_versions(conn: Connection, loading: list[LoadItem]) -> tuple[list[LoadItem], dict[Pair, list[Version]]]:
    """Per (agency, year), under a lock: compare with every stored version, number the new versions.

    A document whose content equals any version of its (agency, year) — current or not — is
    ``unchanged``. Returns the items that become reports and, for each (agency, year) that gets a new
    version, all its versions (stored and new) in load order.
    """
    pairs = sorted({i.pair for i in loading})
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(a, y)) FROM "
                "(SELECT a, y FROM unnest(CAST(:a AS int[]), CAST(:y AS int[])) AS t(a, y) ORDER BY a, y) s"
            ),
            {"a": [p[0] for p in pairs], "y": [p[1] for p in pairs]},
        )
    wanted = set(pairs)
    versions: dict[Pair, list[Version]] = {}
    for rid, aid, year, version, is_cur, published, superseded_by in conn.execute(
        select(
            Report.id,
            Report.agency_id,
            Report.year,
            Report.version,
            Report.is_current,
            Report.published,
            Report.superseded_by,
        ).where(Report.agency_id.in_(sorted({p[0] for p in pairs})))
    ):
        if (aid, year) in wanted:
            versions.setdefault((aid, year), []).append(
                Version(version, as_date(published), rid, None, bool(is_cur), superseded_by)
            )
    stored = stored_keys(conn, sorted(v.report_id for vs in versions.values() for v in vs if v.report_id is not None))
    keys: dict[int, str] = {}  # id(item) → content_key, computed only where there is something to compare
    new_rows: list[LoadItem] = []
    touched: dict[Pair, list[Version]] = {}
    for item in loading:
        pair = item.pair
        known = versions.setdefault(pair, [])
        match = None
        if known:
            mine = keys.setdefault(id(item), item_key(item))
            for v in sorted(known, key=lambda v: not v.is_current):  # the current version first
                if v.item is not None:  # a version written earlier in this batch
                    theirs = keys.setdefault(id(v.item), item_key(v.item))
                else:  # a stored version: it has its id
                    theirs = stored[cast(int, v.report_id)]
                if mine == theirs:
                    match = v
                    break
        if match is not None:
            same = match.report_id
            what = "the current version" if match.is_current else f"version {match.version}"
            item.result = LoadResult(
                "unchanged",
                item.doc.source,
                same,
                item.result.document_id,
                item.report.agency,
                item.report.year,
                reason=f"same content as {what}",
            )
            item.doc_existing = True  # no report of its own
            if not item.reparse:  # a document read again keeps what it was: its report, or a repeat
                conn.execute(
                    update(Document)
                    .where(Document.id == item.result.document_id)
                    .values(status="unchanged", note=f"same content as report {same}" if same else "same content")
                )
            if match.item is not None:
                item.same_as = match.item
            continue
        version = max((v.version for v in known), default=0) + 1
        item.result.version = version
        item.result.status = "revised" if known else "new"
        known.append(Version(version, as_date(item.report.published), item=item))
        touched[pair] = known
        new_rows.append(item)
    return new_rows, touched


def insert_versions(conn: Connection, new_rows: list[LoadItem], touched: dict[Pair, list[Version]]) -> None:
    """Insert the new versions and make current, per (agency, year), the last in publication order;
    link each other version to its successor in that order (see :func:`publication_order`)."""
    order = {pair: publication_order(vs) for pair, vs in touched.items()}
    retire = [
        v.report_id
        for pair, vs in touched.items()
        for v in vs
        if v.item is None and v.is_current and v is not order[pair][-1]
    ]
    if retire:  # first, so that the new current version never meets the old one in the unique index
        conn.execute(update(Report).where(Report.id.in_(retire)).values(is_current=False))
    current_items = {id(o[-1].item) for o in order.values() if o[-1].item is not None}
    rows = [
        {
            "agency_id": i.agency_id,
            "year": i.report.year,
            "version": i.result.version,
            "is_current": id(i) in current_items,
            "agency_name": i.agency_name,
            "template": i.report.template,
            "title": i.report.title,
            "published": as_date(i.report.published),
            "document_id": i.result.document_id,
            "parser_version": i.report.parser_version,
            "sections": i.report.sections or None,
        }
        for i in new_rows
    ]
    if conn.dialect.name == "postgresql":
        by_doc = {doc_id: rid for rid, doc_id in pg_insert_returning(conn, "reports", rows, "document_id")}
        for item in new_rows:
            item.result.report_id = by_doc[item.result.document_id]
    else:
        ids = conn.execute(insert(Report).returning(Report.id, sort_by_parameter_order=True), rows).scalars().all()
        for item, rid in zip(new_rows, ids, strict=True):
            item.result.report_id = rid
    promote = [o[-1].report_id for o in order.values() if o[-1].item is None and not o[-1].is_current]
    if promote:  # not reached by the rule (a new version can only move the current one forward); kept exact
        conn.execute(update(Report).where(Report.id.in_(promote)).values(is_current=True))
    links = []
    for o in order.values():
        for v, successor in zip(o, [*o[1:], None], strict=True):
            target = None if successor is None else successor.id
            if v.item is not None:
                if target is not None:
                    links.append({"old": v.id, "new": target})
            elif v.superseded_by != target:
                links.append({"old": v.id, "new": target})
        newest = o[-1]
        for v in o[:-1]:
            if v.item is not None:
                v.item.result.reason = (
                    f"kept, not current: version {newest.version} "
                    f"({f'published {newest.published}' if newest.published else 'undated'}) "
                    "is newer"
                )
    if links:
        conn.execute(
            update(Report)
            .where(Report.id == bindparam("old"))
            .values(superseded_by=bindparam("new"))
            .execution_options(synchronize_session=False),
            links,
        )
