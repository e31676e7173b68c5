"""Which of a found report's documents is the report: each is parsed, the best one kept."""

from __future__ import annotations

from urllib.parse import urljoin

from govreports.parsers import ImageSource, Report, parse_bytes
from govreports.scraper.crawl import Document, FoundReport

GOOD_TEMPLATES = ("2021", "2019")


def best_report(found: FoundReport) -> tuple[Report, Document]:
    """Parse a report's documents, best first: a family's extract, the page, then the attachments.

    The first with template tables wins; else the first read as a (legacy) report; else the page's
    result, whose issue says why it is not a report. A report published only as an attachment is
    still a report.
    """
    order = sorted(
        (d for d in found.documents if d.role != "picture"), key=lambda d: {"extract": 0, "page": 1}.get(d.role, 2)
    )
    pictures = {d.url: d.data for d in found.documents if d.role == "picture"}
    first: tuple[Report, Document] | None = None
    fallback: tuple[Report, Document] | None = None
    for doc in order:
        images = _picture_source(doc.url, pictures) if pictures else None
        report = parse_bytes(doc.data, doc.url, doc.content_type, images=images)
        if report.template in GOOD_TEMPLATES:
            return report, doc
        if first is None:
            first = (report, doc)
        if fallback is None and report.ok:
            fallback = (report, doc)
    assert first is not None, "a found report has at least its page"
    return fallback or first


def _picture_source(base: str, pictures: dict[str, bytes]) -> ImageSource:
    """The fetched pictures of a 图片版 page by their ``src`` as the page writes it (relative to the page)."""

    def read(src: str) -> bytes | None:
        return pictures.get(urljoin(base, src).partition("#")[0])

    return read
