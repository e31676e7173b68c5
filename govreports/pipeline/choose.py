"""Which of a found report's documents is the report: each is parsed, the best one kept."""

from __future__ import annotations

from govreports.parsers import Report, parse_bytes
from govreports.scraper.crawl import Document, FoundReport

GOOD_TEMPLATES = ("2021", "2019")


def best_report(found: FoundReport) -> tuple[Report, Document]:
    """Parse a report's documents, best first: a family's extract, the page, then the attachments.

    The first with template tables wins; else the first read as a (legacy) report; else the page's
    result, whose issue says why it is not a report. A report published only as an attachment is
    still a report.
    """
    order = sorted(found.documents, key=lambda d: {"extract": 0, "page": 1}.get(d.role, 2))
    first: tuple[Report, Document] | None = None
    fallback: tuple[Report, Document] | None = None
    for doc in order:
        report = parse_bytes(doc.data, doc.url, doc.content_type)
        if report.template in GOOD_TEMPLATES:
            return report, doc
        if first is None:
            first = (report, doc)
        if fallback is None and report.ok:
            fallback = (report, doc)
    assert first is not None, "a found report has at least its page"
    return fallback or first
