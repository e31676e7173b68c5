"""Which of a found report's documents is the report: each is parsed, the best one kept."""

from __future__ import annotations

from typing import NamedTuple

from govreports.parsers import Context, Report, attachment_name, parse_bytes_limited
from govreports.scraper.crawl import Document, FoundReport

GOOD_TEMPLATES = ("2021", "2019", "mixed")
# issues that the same bytes get again from the same parser: the document is not worth fetching
# again until it changes or the parser does. A damaged file (``unreadable``: a truncated download)
# is not among them — the next download may be whole.
FOR_GOOD = frozenset(
    {"unsupported_format", "scanned_pdf", "too_large", "not_a_report", "no_report_text", "tables_not_found"}
)


class Choice(NamedTuple):
    """The report read from a found report's best document, that document, and the context it was
    read with (kept with the document, so that ``reparse`` reads it again the same way)."""

    report: Report
    document: Document
    context: Context


def best_report(found: FoundReport) -> Choice:
    """Parse a report's documents, best first: a family's extract, the page, then the attachments.

    The first with template tables wins; else the first read as a (legacy) report; else the page's
    result, whose issue says why it is not a report. A report published only as an attachment is
    still a report. Each is parsed with its context (the list item's text and date, the attachment's
    name, the article's title, the registry's agency), which fills what the document does not print.
    """
    order = sorted(
        (d for d in found.documents if d.role != "picture"), key=lambda d: {"extract": 0, "page": 1}.get(d.role, 2)
    )
    pictures = {d.url: d.data for d in found.documents if d.role == "picture"}
    first: Choice | None = None
    fallback: Choice | None = None
    page_title: str | None = None
    for doc in order:
        context = Context(
            link_text=found.title,
            attachment_name=attachment_name(doc.url, doc.title, doc.filename) if doc.role == "attachment" else None,
            page_title=page_title,
            registry_agency=found.agency.name,
            published=found.published,
        )
        # in a sandbox worker: a document past PARSE_TIMEOUT/PARSE_MEMORY is this report's issue, not the run's end
        report = parse_bytes_limited(doc.data, doc.url, doc.content_type, context=context, pictures=pictures or None)
        if doc.role == "page" and report.sources.get("title") == "document":
            page_title = report.title  # the article's own title names its attachments' report
        if report.template in GOOD_TEMPLATES:
            return Choice(report, doc, context)
        if first is None:
            first = Choice(report, doc, context)
        if fallback is None and report.ok:
            fallback = Choice(report, doc, context)
    assert first is not None, "a found report has at least its page"
    return fallback or first


def failed_for_good(report: Report) -> bool:
    """True when this parser will fail these bytes the same way every time: an issue of
    :data:`FOR_GOOD`, or a report that names no year (the loader refuses it; only a newer parser
    or a changed document can help)."""
    if report.template is None:
        return any(i.rule in FOR_GOOD for i in report.issues if i.severity == "error")
    return report.year is None
