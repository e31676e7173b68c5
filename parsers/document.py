"""The form every reader produces: lines of cells in reading order, plus metadata the file states."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    """One line of the document: a paragraph, a table row, or a line of extracted text.

    ``grid`` is True where the cells are real table cells (HTML, DOCX, ``|``/tab text): an empty
    value cell there is an empty cell of the report. In flat forms (one cell per line, PDF text)
    empty cells have vanished and the table walker has to recover their places.
    """

    cells: list[str]
    grid: bool = False
    page: int | None = None
    scores: list[float | None] | None = None  # OCR only: the recogniser's confidence per value cell


@dataclass(slots=True)
class Document:
    lines: list[Line]
    format: str
    encoding: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # title / published / site, where the file says
    issues: list = field(default_factory=list)  # what the reader could not read (model.Issue), named
    # HTML: the pictures of the page, (index of the line each stands before, its src as written);
    # a 图片版 report prints its tables as pictures, read by OCR when the text has no tables
    images: list[tuple[int, str]] = field(default_factory=list)
