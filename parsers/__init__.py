"""govreports parsers: any published form of an annual report → a checked :class:`Report`.

This package knows nothing of fetching or storing; ``scraper`` and ``db`` build on it, through the
names in ``__all__`` only (``tests/test_layers.py`` holds them to it): the parse functions and the
report model; the template (its tables, keys and rules, the one list every view and generator is
made from); and the text helpers a crawler needs to read a page the way the parser does (``decode``,
``squash``, ``parse_title``, ``find_date``). Everything else is internal and may change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from govreports import settings

from .context import Context, apply_context, attachment_name
from .encoding import decode
from .errors import ParseError, ScannedPDF, TooDeep, TooLarge, UnsupportedFormat
from .markup import check_markup
from .metadata import Title, find_date, parse_title
from .model import PARSER_VERSION, Fact, Issue, Report
from .pictures import ImageSource, local_images
from .sandbox import Rendered, Sandbox, parse_bytes_limited
from .sniff import sniff
from .template import (
    AGENCY_KINDS,
    APPLICANT_KEYS,
    ORGANISATION_KEYS,
    OUTCOME_COLUMNS,
    RULES,
    SECTIONS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATE_DEFS,
    TEMPLATES,
    Column,
    Rule,
    Section,
    Table,
    Template,
    fact_keys,
    result_rows,
)
from .text import squash

__all__ = [
    "AGENCY_KINDS",
    "APPLICANT_KEYS",
    "ORGANISATION_KEYS",
    "OUTCOME_COLUMNS",
    "PARSER_VERSION",
    "RULES",
    "SECTIONS",
    "TEMPLATES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "TEMPLATE_DEFS",
    "Column",
    "Context",
    "Fact",
    "ImageSource",
    "Issue",
    "ParseError",
    "Rendered",
    "Report",
    "Rule",
    "Sandbox",
    "Section",
    "Table",
    "Template",
    "Title",
    "TooDeep",
    "attachment_name",
    "check_markup",
    "decode",
    "fact_keys",
    "find_date",
    "parse_bytes",
    "parse_bytes_limited",
    "parse_path",
    "parse_text",
    "parse_title",
    "result_rows",
    "sniff",
    "squash",
]


def parse_bytes(
    data: bytes,
    source: str = "<bytes>",
    content_type: str | None = None,
    max_bytes: int | None = None,
    context: Context | None = None,
    images: ImageSource | None = None,
) -> Report:
    """Parse one document's bytes. Never raises for bad input: the report carries the issue.

    ``max_bytes`` defaults to the ``PARSE_MAX_BYTES`` setting. ``context`` (link text, attachment
    name, page title, registry agency, the user's agency/year) fills metadata the document does
    not print; ``Report.sources`` then says where each field came from. ``images`` gives the bytes
    of a web page's pictures by their ``src``: a 图片版 page's tables are read from them by OCR.
    """
    report = _parse_bytes(data, source, content_type, max_bytes, images)
    if context is not None:
        apply_context(report, context)
    return report


def _parse_bytes(
    data: bytes, source: str, content_type: str | None, max_bytes: int | None, images: ImageSource | None = None
) -> Report:
    digest = hashlib.sha256(data).hexdigest()
    limit = int(settings.get("PARSE_MAX_BYTES")) if max_bytes is None else max_bytes
    try:
        if len(data) > limit:
            raise TooLarge(f"document is {_size(len(data))}, over the {_size(limit)} limit (PARSE_MAX_BYTES)")
        kind = sniff(data, content_type, source)
        doc = _read(kind, data, content_type)
    except ParseError as exc:
        report = Report(source=source, content_hash=digest)
        report.issues.append(Issue(exc.rule, "error", str(exc)))
        return report
    from .report import build_report

    report = build_report(doc, source)
    if doc.images and images is not None and report.issues_for("tables_not_found"):
        report = _read_pictures(doc, images, source, report)
    elif doc.meta.get("ocr"):  # a scanned PDF
        from .doubt import mark_ocr

        mark_ocr(report)
    report.content_hash = digest
    return report


def _read_pictures(doc, images: ImageSource, source: str, report: Report) -> Report:
    """The report again with its pictures read by OCR; as it was, the reason added, if OCR cannot run."""
    from .doubt import mark_ocr
    from .ocr import OcrUnavailable
    from .pictures import with_pictures
    from .report import build_report

    try:
        pictured, missing = with_pictures(doc, images)
    except OcrUnavailable as exc:
        for issue in report.issues_for("tables_not_found"):
            issue.message += f"; {exc}"
        return report
    if not pictured.meta.get("ocr"):  # no picture could be read
        if missing:
            for issue in report.issues_for("tables_not_found"):
                issue.message += f"; pictures not at hand: {', '.join(missing)}"
        return report
    out = build_report(pictured, source)
    mark_ocr(out)
    if missing:
        out.issues.append(
            Issue("pictures_missing", "warning", f"pictures of the page not read: {', '.join(missing)}", missing)
        )
    return out


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n:,} bytes"


def _read(kind: str, data: bytes, content_type: str | None):
    if kind == "html":
        from .html import read_html

        return read_html(data, content_type)
    if kind == "mhtml":
        from .html import read_mhtml

        return read_mhtml(data)
    if kind == "text":
        from .flat import read_text

        return read_text(data, content_type)
    if kind == "pdf":
        from .pdf import read_pdf

        try:
            return read_pdf(data)
        except ScannedPDF as exc:
            return _ocr_pdf(data, exc)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data)
    if kind == "doc":
        from .doc import read_doc

        return read_doc(data)
    if kind in ("xlsx", "xls"):
        from .sheet import read_sheet

        return read_sheet(data, kind)
    if kind == "ofd":
        from .ofd import read_ofd

        return read_ofd(data)
    raise UnsupportedFormat(f"cannot read {kind} documents")


def _ocr_pdf(data: bytes, scanned: ScannedPDF):
    """A PDF without a text layer, read by OCR; without OCR, the scanned_pdf issue says how to get it."""
    from .ocr import OcrUnavailable, read_scanned_pdf

    try:
        return read_scanned_pdf(data)
    except OcrUnavailable as exc:
        raise ScannedPDF(f"{scanned}; {exc}") from exc


def parse_path(path: str | Path, context: Context | None = None) -> Report:
    """Parse a file on disk (the report's ``source`` is the path as given)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        report = Report(source=str(path))
        report.issues.append(Issue("unreadable", "error", f"cannot read file: {exc.strerror or exc}"))
        return report
    return parse_bytes(data, str(path), context=context, images=local_images(p))


def parse_text(text: str, source: str = "<text>") -> Report:
    """Parse a report given as text (pasted or flattened)."""
    return parse_bytes(text.encode("utf-8"), source, "text/plain; charset=utf-8")
