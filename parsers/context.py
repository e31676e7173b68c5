"""Metadata from a document's context: what the crawl (or the user) knows besides its bytes.

A report whose document does not print its agency or year is still a report. The list item that
linked it, the attachment's name (``showname=…`` in the servlet's URL), the page's ``<title>``,
the registry's agency and what the user says (``govreports parse --agency/--year``) fill what the
document leaves out; the output says which field came from where (``Report.sources``). Where the
document and its context disagree, the document's value stands and an issue says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from urllib.parse import parse_qs, unquote, urlsplit

from .metadata import Title, find_date, parse_title
from .model import Issue, Report
from .text import squash

DOCUMENT = "document"
CONTEXT = "context"


@dataclass(frozen=True, slots=True)
class Context:
    """Hints about one document; every field optional."""

    link_text: str | None = None  # the list item's text
    attachment_name: str | None = None  # the attachment link's text, showname=, Content-Disposition
    page_title: str | None = None  # the page's <title> (or the article's title, for its attachments)
    agency: str | None = None  # said by the user: compared with the document
    year: int | None = None  # said by the user: compared with the document
    registry_agency: str | None = None  # the registry's name for the site: fills a gap, never contradicts
    published: str | None = None  # the list's date for the item

    def hints(self) -> dict[str, object]:
        """The fields that are set, as plain JSON values: what the database keeps for ``reparse``."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_hints(cls, hints: dict[str, object] | None) -> Context | None:
        """The context :meth:`hints` kept (fields it does not know are ignored); None for none."""
        if not hints:
            return None
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in hints.items() if k in known})  # type: ignore[arg-type]


def attachment_name(url: str, link_text: str | None = None, filename: str | None = None) -> str | None:
    """The attachment's own name: the link's text, else the server's ``filename`` (Content-Disposition),
    else ``showname=``/``filename=`` in its URL — the first that reads as a report title."""
    for name in (link_text, filename):
        if name and parse_title(name) is not None:
            return name
    query = parse_qs(urlsplit(url).query)
    for key in ("showname", "fileName", "filename", "name"):
        for value in query.get(key, []):
            name = unquote(value)
            if parse_title(name) is not None:
                return name
    return link_text


def _title(ctx: Context) -> Title | None:
    """The first of the context's texts that reads as a report title."""
    for text in (ctx.link_text, ctx.attachment_name, ctx.page_title):
        if text:
            for part in (text, text.split("_")[0].split("-")[0]):
                if (title := parse_title(part)) is not None:
                    return title
    return None


def _same_agency(a: str, b: str) -> bool:
    """The same agency, printed in full or in short (淮安市洪泽区人民政府 / 洪泽区人民政府)."""
    x, y = squash(a), squash(b)
    return x in y or y in x


def apply_context(report: Report, ctx: Context) -> None:
    """Fill the report's missing metadata from ``ctx``; record each field's source; flag disagreement."""
    title = _title(ctx)
    said_agency = ctx.agency or (title.agency if title else None)
    said_year = ctx.year or (title.year if title else None)
    said_published = find_date(ctx.published) if ctx.published else None
    for field, said, fill in (
        ("agency", said_agency, said_agency or ctx.registry_agency),
        ("year", said_year, said_year),
        ("published", None, said_published),
    ):
        mine = getattr(report, field)
        if mine is not None:
            report.sources[field] = DOCUMENT
            if said is not None and not (
                _same_agency(mine, said) if field == "agency" else mine == said  # type: ignore[arg-type]
            ):
                report.issues.append(
                    Issue(
                        "context_disagrees",
                        "warning",
                        f"{field}: the document says {mine!r}, its context says {said!r}; the document's is kept",
                        [field],
                    )
                )
        elif fill is not None:
            setattr(report, field, fill)
            report.sources[field] = CONTEXT
    if report.title is None and title is not None:
        report.title = title.title
        report.sources["title"] = CONTEXT
    elif report.title is not None:
        report.sources["title"] = DOCUMENT
