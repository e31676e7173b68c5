"""The parser's output: plain data classes shared by every reader, the checks, the CLI and ``db``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:  # pandas is imported lazily: the CLI's json path does not need it
    import pandas as pd

PARSER_VERSION = "0.4.1"  # 0.2.0: spreadsheets and OFD are read; 0.3.0: real reports (WPS PDFs, split titles, crawler dumps, hybrids, context); 0.3.1: PDF→Markdown text (bare rows, page numbers, titles over lines); 0.3.2: placeholder rows, prose counts; 0.4.0: OCR rows placed by box columns; 0.4.1: crawler dumps of department reports (headings after the tables, 四 before prose, run-on 0, other row names)

Number = int | float


@dataclass(slots=True)
class Fact:
    """One number of the template at (table, row, column); ``value`` is None for an empty cell."""

    table: str
    row: str
    column: str
    value: Number | None
    raw: str | None
    inferred: bool = False
    page: int | None = None  # 1-based page of a PDF the number was read from
    ocr: bool = False  # read by OCR from an image (a scanned page, a table printed as a picture)
    confidence: float | None = None  # the recogniser's confidence (0–1) in the printed text, OCR only

    @property
    def cell(self) -> str:
        return f"{self.table}/{self.row}/{self.column}"


@dataclass(slots=True)
class Issue:
    """A finding about a document: a violated rule (A1…R1), a warning, or why it could not be read."""

    rule: str
    severity: str  # "error" | "warning" | "info"
    message: str
    cells: list[str] = field(default_factory=list)
    expected: Number | None = None  # one side of a violated rule
    actual: Number | None = None  # the other side


def _fact_dict(f: Fact) -> dict[str, Any]:
    d = {"table": f.table, "row": f.row, "column": f.column, "value": f.value, "raw": f.raw, "inferred": f.inferred}
    if f.page is not None:
        d["page"] = f.page
    if f.ocr:  # the OCR keys only where OCR read the cell, like ``page`` for PDFs
        d["ocr"] = True
        d["confidence"] = f.confidence
    return d


def _issue_dict(i: Issue) -> dict[str, Any]:
    d: dict[str, Any] = {"rule": i.rule, "severity": i.severity, "message": i.message, "cells": list(i.cells)}
    if i.expected is not None:
        d["expected"] = i.expected
    if i.actual is not None:
        d["actual"] = i.actual
    return d


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)  # no cycles in reports

# A fact as the tuple of its fields, in their order: how a report's facts cross a process boundary
# (the parse worker to its caller). Pickling two hundred Fact objects one by one took three quarters
# of a millisecond a report there and back; a list of tuples takes a tenth of that.
_fact_state = attrgetter(*(f.name for f in fields(Fact)))


def _report_from_state(state: tuple[Any, ...], facts: list[tuple[Any, ...]]) -> Report:
    """The inverse of :meth:`Report.__reduce__`."""
    report = Report(*state)
    report.facts = [Fact(*f) for f in facts]
    return report


@dataclass(slots=True)
class Report:
    """Everything the parser got from one document."""

    source: str
    template: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    title: str | None = None
    facts: list[Fact] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    format: str | None = None  # html | text | pdf | docx | doc | xlsx | xls | ofd
    encoding: str | None = None
    content_hash: str | None = None  # sha256 of the bytes parsed
    parser_version: str = PARSER_VERSION
    # where agency/year/published/title came from ("document" or "context") when a context was given
    sources: dict[str, str] = field(default_factory=dict)

    def fact(self, table: str, row: str, column: str) -> Fact | None:
        """The fact at (table, row, column), or None if the report has no such cell."""
        for f in self.facts:
            if f.table == table and f.row == row and f.column == column:
                return f
        return None

    def value(self, table: str, row: str, column: str) -> Number | None:
        f = self.fact(table, row, column)
        return f.value if f else None

    @property
    def ok(self) -> bool:
        """True when the document was read as a report (a template was decided)."""
        return self.template is not None

    def issues_for(self, rule: str) -> list[Issue]:
        return [i for i in self.issues if i.rule == rule]

    def to_dict(self) -> dict[str, Any]:
        """The spec's JSON object (``docs/spec.md`` → Parser output)."""
        # Built field by field, not with dataclasses.asdict: that deep-copies every value of every
        # fact through its generic recursion and took two thirds of `govreports parse --format json`.
        # Key order is the fields' order; ``page``, ``expected`` and ``actual`` are left out when None,
        # ``ocr`` and ``confidence`` where OCR did not read the document.
        return {
            "source": self.source,
            "template": self.template,
            "agency": self.agency,
            "year": self.year,
            "published": self.published,
            "title": self.title,
            "facts": [_fact_dict(f) for f in self.facts],
            "sections": dict(self.sections),
            "issues": [_issue_dict(i) for i in self.issues],
            "format": self.format,
            "encoding": self.encoding,
            "content_hash": self.content_hash,
            "parser_version": self.parser_version,
            # where agency/year/published/title came from; only when a context was given
            **({"sources": dict(self.sources)} if self.sources else {}),
        }

    def to_json(self) -> str:
        """The spec's JSON object on one line (UTF-8 text, no spaces).

        Written by orjson (four times the standard library's speed, the same text for what a report
        holds); an integer beyond 64 bits, which orjson refuses, goes through the standard library.
        """
        obj = self.to_dict()
        try:
            return orjson.dumps(obj).decode()
        except orjson.JSONEncodeError:
            return _ENCODER.encode(obj)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its facts as tuples (see ``_fact_state``); every other field as it is."""
        state = tuple([] if name == "facts" else getattr(self, name) for name in _REPORT_FIELDS)
        return (_report_from_state, (state, [_fact_state(f) for f in self.facts]))

    def to_frame(self) -> pd.DataFrame:
        """One row per fact, with the report's metadata repeated, for notebooks."""
        import pandas as pd

        cols = ["table", "row", "column", "value", "raw", "inferred", "page", "ocr", "confidence"]
        frame = pd.DataFrame([[getattr(f, c) for c in cols] for f in self.facts], columns=cols)
        for key in ("agency", "year", "template", "source"):
            frame.insert(0, key, getattr(self, key))
        return frame

    def wide(self, table: str) -> pd.DataFrame:
        """One table of the report as rows × columns, as printed (None where empty)."""
        frame = self.to_frame()
        frame = frame[frame["table"] == table]
        return frame.pivot(index="row", columns="column", values="value")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        """Rebuild a report from its JSON object (the inverse of :meth:`to_dict`)."""
        d = dict(d)
        d["facts"] = [Fact(**f) for f in d.get("facts", [])]
        d["issues"] = [Issue(**i) for i in d.get("issues", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


_REPORT_FIELDS = tuple(f.name for f in fields(Report))
