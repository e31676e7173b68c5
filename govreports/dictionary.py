"""The data dictionary: what every table, view and column holds, in English with the template's Chinese labels.

Cell labels and keys come from :mod:`govreports.parsers.template` (the one source of truth), rate
definitions from :data:`govreports.db.views.RATES`, rule wording from the template's ``RULES``. The
Datasette metadata (``govreports serve``), the published dataset's ``datapackage.json``
(``govreports publish``) and the plots' axis labels all read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govreports.db.views import RATES, WIDE_VIEWS, wide_columns
from govreports.parsers import RULES, TEMPLATE_DEFS

NULL_MEANS = "null = the cell was empty or held a placeholder (—, /, 无) in the report: not zero"

# rows whose label, without its ordinals, says nothing on its own ("（七）总计")
SHORT_ROW_LABELS = {"total_processed": "办理结果总计", "other_other": "其他处理 · 其他"}
UNITS = {"amount_10k_yuan": "万元", "items_last_year": "项", "items_change": "项", "projects": "个"}
DEFAULT_UNIT = "件"


@dataclass(frozen=True)
class Cell:
    """One template cell: its key, the Chinese labels of its row and column (both templates), and unit."""

    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    unit: str

    @property
    def label(self) -> str:
        return f"{self.row_label} · {self.column_label}"

    @property
    def short_label(self) -> str:
        """The row label without its ordinals, with the column's unless it is the total (for plots)."""
        row = SHORT_ROW_LABELS.get(self.row) or _strip_ordinals(self.row_label)
        return row if self.column == "total" else f"{row} · {_strip_ordinals(self.column_label)}"


def _strip_ordinals(label: str) -> str:
    label = re.sub(r"[一二三四五六七]、|（[一二三四五六七]）|\d\.", "", label)
    return re.sub(r"（[^）]*）$", "", label).strip()


def _labels(values: list[str]) -> str:
    return " / ".join(dict.fromkeys(values))


def cells() -> dict[tuple[str, str, str], Cell]:
    """Every (table, row, column) of both templates, labelled; where the templates word a label
    differently both wordings are kept ("2021 / 2019")."""
    rows: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for tpl in TEMPLATE_DEFS.values():
        for table in tpl.tables.values():
            for row in table.rows:
                for col in row.columns:
                    r, c = rows.setdefault((table.key, row.key, col.key), ([], []))
                    r.append(row.label)
                    c.append(col.label)
    return {key: Cell(*key, _labels(r), _labels(c), UNITS.get(key[2], DEFAULT_UNIT)) for key, (r, c) in rows.items()}


def cell(table: str, row: str, column: str) -> Cell:
    return cells()[(table, row, column)]


def wide_column_cells(view: str) -> dict[str, Cell]:
    """view column → its cell, for a wide view (``applications_by_year`` …)."""
    table = next(t for t, v in WIDE_VIEWS.items() if v == view)
    known = cells()
    return {name: known[(table, row, col)] for name, row, col in wide_columns(table)}


def label(view_column: str) -> str:
    """The Chinese label of a wide-view column (``new_received_total`` → 本年新收政府信息公开申请数量), or the name."""
    for view in WIDE_VIEWS.values():
        found = wide_column_cells(view).get(view_column)
        if found:
            return found.short_label
    return view_column


IDENTITY = {
    "report_id": "The report version (reports.id); views show the current version of each report",
    "agency_id": "The agency (agencies.id), stable across renamings",
    "agency": "The agency's name as the report prints it",
    "agency_canonical": "The agency's name in the registry (agencies.name)",
    "region": "Administrative division code (GB/T 2260), e.g. 330400 嘉兴市",
    "level": "national | province | prefecture | county | township",
    "year": "The year the report covers (published the year after)",
    "template": "2021 (current national template), 2019 (first national template) or legacy (before 2019)",
    "published": "Publication date printed on the page or in the document (发布日期)",
    "source": "URL or path the report was read from",
    "content_hash": "sha256 of the document's bytes",
}

FACT_COLUMNS = {
    "table_name": "Template table: active (主动公开), applications (依申请公开), review_litigation (复议诉讼)",
    "row_key": "Template row key (see fact_keys and the data dictionary for its Chinese label)",
    "column_key": "Template column key",
    "value": f"The number ({NULL_MEANS})",
    "raw": "The cell's text as printed",
    "inferred": "1 when the number was placed by the template's arithmetic rules, not read from a cell",
    "page": "1-based PDF page the number was read from",
    "ocr": "1 when the cell was read by OCR (a scanned PDF, a 图片版 page's pictures); check its confidence and findings",
    "confidence": "OCR only: the recogniser's confidence (0–1) in the number; null for text-layer facts and blank cells",
}

COVERAGE_COLUMNS = {
    "kind": "government (人民政府: deadline 31 March) or department (政府部门: 31 January) or township (no deadline)",
    "kind_source": "registry (the registry says so) or name (derived from the agency's name)",
    "deadline": "Deadline under 第四十九条 of the 2019 regulation; null before 2019 and for townships",
    "status": "on_time | late | published (timeliness unknown) | missing (crawled after the deadline, no report)"
    " | unknown (blocked, failed or not crawled: never missing) | not_due | no_deadline",
    "published": "First publication date of the report for the year",
    "date_source": "document (the date printed on the page/document) or first_seen (only when the crawl first saw it)",
    "days_late": "Days past the deadline (by the document's own date only)",
    "versions": "How many versions were published (more than 1: revised)",
    "revised": "Date of the latest re-publication",
    "unknown_reason": "Why the status is unknown: blocked, crawl failed, not crawled since the deadline",
    "last_crawled": "Last successful fetch of the agency's report column or list",
    "errors": "Rule violations (errors) found in the current version",
    "warnings": "Warnings found in the current version",
}

FINDING_COLUMNS = {
    "rule": "Rule id: "
    + "; ".join(f"{r.id} {r.description}" for r in RULES.values())
    + "; other ids are the parser's (e.g. lost cells, unreadable documents)",
    "severity": "error | warning | info",
    "message": "What was found, naming the cells",
    "cells": "table/row/column of the cells involved, joined by ', '",
    "expected": "What the rule expects the cell to hold",
    "actual": "What the report holds",
    "origin": "parser (checked when the report was read) or database (cross-year rules X1/X2)",
}


def rate_columns() -> dict[str, str]:
    return {r.name: r.definition for r in RATES}


TABLES: dict[str, tuple[str, str]] = {
    "agencies": ("Agencies", "One row per agency, stable across years and renamings; region, level, kind, site"),
    "agency_aliases": ("Agency names", "Every name an agency is known by (as printed, as registered), spaces removed"),
    "documents": ("Documents", "Every fetched or imported file, loaded or not; status says what became of it"),
    "reports": ("Reports", "One version of an agency's report for a year; is_current marks the latest publication"),
    "fact_keys": ("Template keys", "The numbered (table, row, column) keys of the template"),
    "fact_values": ("Numbers (storage)", "One number per report version and key; read the facts view instead"),
    "facts": ("Facts", "One number per report version, with its key spelled out"),
    "findings": ("Rule findings", "Rule violations and parser issues per report version (勾稽关系 checks)"),
    "load_failures": ("Load failures", "Sources that could not be fetched, read, parsed or stored; retried"),
    "crawl_fetches": ("Crawl: fetches", "Each URL as last fetched by the crawler"),
    "crawl_runs": ("Crawl: runs", "One row per crawl run with counts and errors"),
    "crawl_blocks": ("Crawl: blocked sites", "Agencies whose site answered with an anti-bot wall"),
    "crawl_run_agencies": ("Crawl: agencies per run", "One agency's result within a run, written when it is done"),
    "alembic_version": ("Schema revision", "The database schema's migration revision"),
    "report_facts": ("Facts of current reports", "One row per number of the current version of every report"),
    "applications_by_year": (
        "三、收到和处理政府信息公开申请情况",
        "Applications (依申请公开): one row per current report, each row's total and the applicant columns of new applications",
    ),
    "active_by_year": ("二、主动公开政府信息情况", "Active disclosure (主动公开): one row per current report"),
    "review_litigation_by_year": (
        "四、政府信息公开行政复议、行政诉讼情况",
        "Administrative review and litigation: one row per current report",
    ),
    "report_rates": ("Rates", "Derived rates per current report; a zero or empty denominator gives null"),
    "coverage": (
        "Who published, and when",
        "One row per agency and year: on time, late, missing or unknown under the deadlines of 第四十九条"
        " of the 2019 regulation (departments 31 January, governments 31 March of the next year)",
    ),
}


BASE_COLUMNS: dict[str, dict[str, str]] = {
    "agencies": {
        "id": "Agency id",
        "name": "Name in the registry, or as first printed",
        "region_code": IDENTITY["region"],
        "level": IDENTITY["level"],
        "parent_id": "The government or agency it belongs to (agencies.id)",
        "site_url": "Its site or report column, as the registry gives it",
        "created_at": "When it entered the database",
        "kind": "government | department as the registry says; null: derived from the name (see coverage)",
    },
    "agency_aliases": {"alias": "A name, white space removed", "agency_id": IDENTITY["agency_id"]},
    "documents": {
        "id": "Document id",
        "source": IDENTITY["source"],
        "content_hash": IDENTITY["content_hash"],
        "content_type": "HTTP Content-Type, when fetched",
        "format": "html | text | pdf | docx | doc",
        "encoding": "Character encoding the text was decoded with",
        "size": "Bytes",
        "fetched_at": "When the crawler fetched it (UTC); null for local files",
        "published": IDENTITY["published"],
        "raw_path": "Where the raw bytes are kept",
        "status": "loaded | unchanged | failed",
        "note": "Why it failed, or which report it repeats",
        "loaded_at": "When it was loaded (UTC)",
    },
    "reports": {
        "id": "Report version id",
        "agency_id": IDENTITY["agency_id"],
        "year": IDENTITY["year"],
        "version": "1 for the first publication, 2… for re-publications",
        "is_current": "1 for the version published last",
        "superseded_by": "The version that replaced this one",
        "agency_name": IDENTITY["agency"],
        "template": IDENTITY["template"],
        "title": "The report's title",
        "published": IDENTITY["published"],
        "document_id": "The document it was parsed from",
        "parser_version": "govreports version that parsed it",
        "sections": "Text of the sections without tables (总体情况, 存在的主要问题, 其他需要报告的事项), JSON",
        "loaded_at": "When it was loaded (UTC)",
    },
    "fact_keys": {"id": "Key id"},
    "fact_values": {"key_id": "fact_keys.id"},
    "findings": {"id": "Finding id", "report_id": IDENTITY["report_id"]},
    "load_failures": {
        "id": "Failure id",
        "source": IDENTITY["source"],
        "stage": "fetch | read | parse | store",
        "error": "The error, one line",
        "attempts": "Failed attempts so far",
        "first_failed_at": "First failure (UTC)",
        "last_failed_at": "Latest failure (UTC)",
        "document_id": "The document whose bytes were recorded",
        "resolved_at": "When a later load succeeded; null: still failing",
        "resolved_document_id": "The document that loaded then",
    },
    "crawl_fetches": {
        "url": "The URL",
        "agency": "Agency (registry name)",
        "kind": "column | list | report | attachment",
        "status": "HTTP status",
        "etag": "ETag validator",
        "last_modified": "Last-Modified validator",
        "content_hash": IDENTITY["content_hash"],
        "content_type": "HTTP Content-Type",
        "raw_path": "Where the raw bytes are kept",
        "size": "Bytes",
        "fetched_at": "When (UTC)",
        "complete": "1 when everything it links to was handled",
        "children": "URLs found in it, JSON",
        "error": "Why the fetch failed; null if it did not",
    },
    "crawl_runs": {
        "id": "Run id",
        "started_at": "Start (UTC)",
        "finished_at": "End (UTC)",
        "status": "running | finished | interrupted",
        "counts": "new, changed, unchanged, failed, blocked… (JSON)",
        "errors": "Errors of the run (JSON)",
        "agencies": "Per-agency counts and errors (JSON)",
    },
    "crawl_blocks": {
        "agency": "Agency (registry name)",
        "url": "The URL that answered with a wall",
        "status": "HTTP status",
        "evidence": "What identified the wall",
        "seen_at": "When (UTC)",
    },
    "crawl_run_agencies": {
        "run_id": "The run (crawl_runs.id)",
        "agency": "Agency (registry name)",
        "site": "The site (agencies sharing hosts are one site)",
        "result": "Its counts and errors (JSON)",
        "finished_at": "When it was done (UTC)",
    },
    "alembic_version": {"version_num": "Schema revision"},
}


def columns(name: str) -> dict[str, str]:
    """column → description for a table or view (the columns this dictionary knows)."""
    out: dict[str, str] = dict(IDENTITY)
    if name in ("facts", "report_facts", "fact_values"):
        out.update(FACT_COLUMNS)
    if name in WIDE_VIEWS.values():
        out.update({col: f"{c.label} ({c.unit}; {NULL_MEANS})" for col, c in wide_column_cells(name).items()})
    if name == "report_rates":
        out.update(rate_columns())
        for view in ("applications_by_year", "review_litigation_by_year"):
            out.update({col: f"{c.label} ({c.unit})" for col, c in wide_column_cells(view).items()})
    if name == "coverage":
        out.update(COVERAGE_COLUMNS)
    if name == "findings":
        out.update(FINDING_COLUMNS)
    out.update(BASE_COLUMNS.get(name, {}))
    return out
